-- One narrow row per case with what the national indicators ask of it: when it was shipped
-- (the test's month), its facility and diagnosis, the first time of each later state and of
-- the panel's findings (epoch seconds), and its first treatment based on a recommendation.
-- Kept by the store in the same transaction as every write that changes them (case
-- registration, state changes, sign-offs, treatments); filled for existing cases on migrate.
CREATE TABLE case_facts (
    case_id TEXT PRIMARY KEY REFERENCES cases(id),
    patient_id TEXT NOT NULL,
    ordering_facility_id TEXT NOT NULL,
    panel_facility_id TEXT NOT NULL,
    oncotree_code TEXT NOT NULL,
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
    treated_on TEXT
);
-- Covering: an indicator request reads the window's rows from the index alone (a range of
-- table lookups by row costs ten times the scan on SQLite).
CREATE INDEX case_facts_shipped ON case_facts(shipped_at, ordering_facility_id,
    panel_facility_id, patient_id, oncotree_code, registered_s, results_s, findings_s,
    reviewed_s, explained_s, signed_s, option_s, referral_s, confirmatory_s, treated_on, case_id);
