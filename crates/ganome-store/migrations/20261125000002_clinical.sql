-- The clinical workflow: expert panel meetings and case reviews with recommendations,
-- result explanations, treatments with responses and adverse events, outcomes.
-- Portable DDL as in the foundation migration (booleans as 0/1 BIGINT, times as RFC 3339 text,
-- dates as YYYY-MM-DD text, ids as text).

CREATE TABLE panel_meetings (
    id TEXT PRIMARY KEY,
    panel_facility_id TEXT NOT NULL REFERENCES facilities(id),
    held_on TEXT NOT NULL,
    mode TEXT NOT NULL,
    sequencing_in_house BIGINT NOT NULL,
    chair_user_id TEXT REFERENCES users(id),
    finalised_at TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX panel_meetings_facility ON panel_meetings(panel_facility_id, held_on);

CREATE TABLE panel_attendees (
    meeting_id TEXT NOT NULL REFERENCES panel_meetings(id),
    seq BIGINT NOT NULL,
    name TEXT NOT NULL,
    panel_role TEXT NOT NULL,
    user_id TEXT REFERENCES users(id),
    PRIMARY KEY (meeting_id, seq)
);

CREATE TABLE case_reviews (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    meeting_id TEXT NOT NULL REFERENCES panel_meetings(id),
    findings_version TEXT NOT NULL,
    discussion TEXT NOT NULL,
    germline_counselling_referral BIGINT NOT NULL,
    germline_confirmatory_test BIGINT NOT NULL,
    germline_note TEXT,
    signed_off_at TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (case_id, meeting_id)
);
CREATE INDEX case_reviews_meeting ON case_reviews(meeting_id);

CREATE TABLE recommendations (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES case_reviews(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    ordinal BIGINT NOT NULL,
    drug TEXT NOT NULL,
    biomarker TEXT,
    evidence_level TEXT NOT NULL,
    access_route TEXT NOT NULL,
    trial_id TEXT,
    note TEXT
);
CREATE INDEX recommendations_review ON recommendations(review_id, ordinal);
CREATE INDEX recommendations_case ON recommendations(case_id);

CREATE TABLE review_signoffs (
    review_id TEXT NOT NULL REFERENCES case_reviews(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    signed_at TEXT NOT NULL,
    PRIMARY KEY (review_id, user_id)
);

CREATE TABLE explanations (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    explained_on TEXT NOT NULL,
    explained_by TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX explanations_case ON explanations(case_id);

CREATE TABLE treatments (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    line BIGINT NOT NULL,
    regimen TEXT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    recommendation_id TEXT REFERENCES recommendations(id),
    access_route TEXT NOT NULL,
    not_given_reason TEXT,
    best_response TEXT,
    progression_on TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX treatments_case ON treatments(case_id);

CREATE TABLE adverse_events (
    treatment_id TEXT NOT NULL REFERENCES treatments(id),
    seq BIGINT NOT NULL,
    ctcae_term TEXT NOT NULL,
    grade BIGINT NOT NULL,
    onset_on TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (treatment_id, seq)
);

CREATE TABLE outcomes (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    vital_status TEXT NOT NULL,
    last_contact_on TEXT NOT NULL,
    cause_of_death TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX outcomes_case ON outcomes(case_id);
