-- Portable DDL: runs unchanged on SQLite and PostgreSQL (TEXT, BIGINT, 0/1 BIGINT for booleans (the Any driver cannot read SQLite booleans), DOUBLE PRECISION;
-- times as RFC 3339 UTC text; ids as text).

CREATE TABLE facilities (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name_ja TEXT NOT NULL,
    name_en TEXT,
    prefecture_code TEXT NOT NULL,
    may_host_panel BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE facility_designations (
    facility_id TEXT NOT NULL REFERENCES facilities(id),
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    PRIMARY KEY (facility_id, valid_from)
);

CREATE TABLE facility_links (
    cooperative_id TEXT NOT NULL REFERENCES facilities(id),
    parent_id TEXT NOT NULL REFERENCES facilities(id),
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    source TEXT NOT NULL,
    PRIMARY KEY (cooperative_id, valid_from)
);

CREATE TABLE facility_secrets (
    facility_id TEXT PRIMARY KEY REFERENCES facilities(id),
    secret_hex TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    role TEXT NOT NULL,
    facility_id TEXT NOT NULL REFERENCES facilities(id),
    created_at TEXT NOT NULL,
    disabled BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE patients (
    id TEXT PRIMARY KEY,
    facility_id TEXT NOT NULL REFERENCES facilities(id),
    pseudonym TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_year BIGINT NOT NULL,
    birth_month BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id),
    UNIQUE (facility_id, pseudonym)
);

CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    patient_id TEXT NOT NULL REFERENCES patients(id),
    form_version TEXT NOT NULL,
    method TEXT NOT NULL,
    registration BIGINT NOT NULL,
    secondary_use_academia BIGINT NOT NULL,
    secondary_use_industry BIGINT NOT NULL,
    overseas_transfer BIGINT NOT NULL,
    recontact BIGINT NOT NULL,
    germline_disclosure TEXT NOT NULL,
    given_at TEXT NOT NULL,
    withdrawn_at TEXT,
    recorded_by TEXT NOT NULL REFERENCES users(id),
    withdrawn_by TEXT REFERENCES users(id)
);
CREATE INDEX consents_patient ON consents(patient_id);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    case_number TEXT NOT NULL UNIQUE,
    patient_id TEXT NOT NULL REFERENCES patients(id),
    ordering_facility_id TEXT NOT NULL REFERENCES facilities(id),
    panel_facility_id TEXT NOT NULL REFERENCES facilities(id),
    lab_facility_id TEXT NOT NULL REFERENCES facilities(id),
    test_product TEXT NOT NULL,
    specimen_type TEXT NOT NULL,
    specimen_site TEXT,
    specimen_collected_on TEXT,
    tumor_content_pct DOUBLE PRECISION,
    oncotree_code TEXT NOT NULL,
    stage TEXT,
    ecog_ps BIGINT,
    state TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users(id)
);
CREATE INDEX cases_ordering ON cases(ordering_facility_id, registered_at);
CREATE INDEX cases_panel ON cases(panel_facility_id, registered_at);
CREATE INDEX cases_lab ON cases(lab_facility_id, registered_at);
CREATE INDEX cases_patient ON cases(patient_id);

CREATE TABLE case_events (
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq BIGINT NOT NULL,
    state TEXT NOT NULL,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES users(id),
    note TEXT,
    PRIMARY KEY (case_id, seq)
);

CREATE TABLE result_files (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES users(id),
    uploaded_at TEXT NOT NULL
);
CREATE INDEX result_files_case ON result_files(case_id);

-- Idempotency keys: a repeated request with the same key returns the first result.
CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL REFERENCES users(id),
    key TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- Append-only, hash-chained audit log. hash = sha256(prev_hash || canonical row).
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    user_id TEXT,
    username TEXT,
    role TEXT,
    facility_id TEXT,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT,
    outcome TEXT NOT NULL,
    detail TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
