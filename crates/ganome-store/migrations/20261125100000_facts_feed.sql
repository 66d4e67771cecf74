-- The indicator facts become a change feed: every transaction that writes facts or consents
-- first advances `facts_clock` (one row; on PostgreSQL its row lock orders those
-- transactions, so a sequence number is visible only after every smaller one is) and stamps
-- the rows it writes with the new value. A reader holding the facts in memory asks for the
-- rows stamped after the value it last saw, so an indicator request reads what changed
-- since the previous one instead of scanning every case (see docs/indicators.md).
CREATE TABLE facts_clock (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL
);
INSERT INTO facts_clock (id, seq) VALUES (1, 1);

-- Rebuilt with the case's registration time and the stamp; `migrate` refills every case.
DROP TABLE case_facts;
CREATE TABLE case_facts (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    patient_id TEXT NOT NULL,
    ordering_facility_id TEXT NOT NULL,
    panel_facility_id TEXT NOT NULL,
    oncotree_code TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    shipped_at TEXT,
    registered_s BIGINT,
    results_s BIGINT,
    findings_s BIGINT,
    reviewed_s BIGINT,
    explained_s BIGINT,
    signed_s BIGINT,
    option_s BIGINT,
    referral_s BIGINT,
    confirmatory_s BIGINT,
    treated_on TEXT,
    seq BIGINT NOT NULL
);
CREATE INDEX case_facts_seq ON case_facts(seq);

ALTER TABLE consents ADD COLUMN facts_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX consents_facts_seq ON consents(facts_seq);
-- The consent in force is now found in memory.
DROP INDEX consents_in_force;
-- Indexes for the aggregate queries this replaces (facts are read by stamp; case events
-- by case and state, which `case_events_case_state` serves).
DROP INDEX cases_indicators;
DROP INDEX case_events_state_at;
