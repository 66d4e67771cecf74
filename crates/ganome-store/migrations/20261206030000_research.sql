-- Secondary use (利活用): applications by researchers, the review board's decisions, and the
-- de-identified releases built for approved applications. A release is immutable: its row,
-- its files in the object store and its members are written once, in one transaction, and
-- never updated. The members table is the data center's private link from a release's
-- research ids to patients, cases and the consent versions used; it never leaves the data
-- center and lets later releases and query answers honour a withdrawal.
-- Portable DDL as in the foundation migration (TEXT ids, RFC 3339 text times, JSON as text).

CREATE TABLE research_applications (
    id TEXT PRIMARY KEY,
    applicant_id TEXT NOT NULL REFERENCES users(id),
    facility_id TEXT NOT NULL REFERENCES facilities(id),
    sector TEXT NOT NULL,
    title TEXT NOT NULL,
    purpose TEXT NOT NULL,
    scope_json TEXT NOT NULL,
    duo_codes TEXT NOT NULL,
    state TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    decided_by TEXT REFERENCES users(id),
    decided_at TEXT,
    decision_comment TEXT,
    conditions TEXT,
    embargo_days BIGINT,
    embargo_reason TEXT
);
CREATE INDEX research_applications_applicant ON research_applications(applicant_id, submitted_at);

CREATE TABLE research_application_events (
    application_id TEXT NOT NULL REFERENCES research_applications(id),
    seq BIGINT NOT NULL,
    state TEXT NOT NULL,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES users(id),
    note TEXT,
    PRIMARY KEY (application_id, seq)
);

CREATE TABLE research_releases (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES research_applications(id),
    seq BIGINT NOT NULL,
    built_at TEXT NOT NULL,
    built_by TEXT NOT NULL REFERENCES users(id),
    embargo_days BIGINT NOT NULL,
    registered_before TEXT NOT NULL,
    cases BIGINT NOT NULL,
    excluded_json TEXT NOT NULL,
    format TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    csv_storage_key TEXT NOT NULL,
    UNIQUE (application_id, seq)
);

CREATE TABLE research_release_members (
    release_id TEXT NOT NULL REFERENCES research_releases(id),
    research_id TEXT NOT NULL,
    patient_id TEXT NOT NULL REFERENCES patients(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    consent_id TEXT NOT NULL REFERENCES consents(id),
    PRIMARY KEY (release_id, case_id)
);
CREATE INDEX research_release_members_patient ON research_release_members(patient_id);
