-- Findings reports (調査結果) issued for cases, one row per version, and the knowledge-base
-- releases they were built with. A new knowledge release adds versions; none is overwritten.
-- Portable DDL as in the foundation migration.

CREATE TABLE knowledge_releases (
    name TEXT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    storage_key TEXT NOT NULL,
    summary TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    is_current BIGINT NOT NULL
);

CREATE TABLE findings_reports (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    version BIGINT NOT NULL,
    report_id TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    knowledge_release TEXT NOT NULL,
    knowledge_hash TEXT NOT NULL,
    transcript_db TEXT NOT NULL,
    engine TEXT NOT NULL,
    reason TEXT NOT NULL,
    alterations BIGINT NOT NULL,
    vus BIGINT NOT NULL,
    options BIGINT NOT NULL,
    top_level TEXT,
    trials BIGINT NOT NULL,
    germline_flag BIGINT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    report_json TEXT NOT NULL,
    UNIQUE (case_id, version)
);
CREATE INDEX findings_reports_release ON findings_reports(knowledge_release);
