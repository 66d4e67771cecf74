-- Re-interpretation alerts (再解析アラート): when a new findings version of a case lists a
-- treatment option at an actionable level that the previous version did not (or at a
-- weaker level), one alert row is written in the same transaction as that version, with
-- one row per new or improved option. Acknowledgement is per alert: the first clinician or
-- panel member who acknowledges closes it for everyone, and who and when are kept.
-- Portable DDL as in the foundation migration (TEXT ids, RFC 3339 text times).

CREATE TABLE reinterpretation_alerts (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    findings_id TEXT NOT NULL UNIQUE REFERENCES findings_reports(id),
    findings_version BIGINT NOT NULL,
    previous_findings_id TEXT NOT NULL REFERENCES findings_reports(id),
    previous_version BIGINT NOT NULL,
    knowledge_release TEXT NOT NULL,
    previous_knowledge_release TEXT NOT NULL,
    reason TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    acknowledged_by TEXT REFERENCES users(id),
    acknowledged_at TEXT
);
CREATE INDEX reinterpretation_alerts_case ON reinterpretation_alerts(case_id);
CREATE INDEX reinterpretation_alerts_open ON reinterpretation_alerts(acknowledged_at);

CREATE TABLE reinterpretation_alert_options (
    alert_id TEXT NOT NULL REFERENCES reinterpretation_alerts(id),
    ordinal BIGINT NOT NULL,
    alteration TEXT NOT NULL,
    drug TEXT NOT NULL,
    level TEXT NOT NULL,
    previous_level TEXT,
    PRIMARY KEY (alert_id, ordinal)
);
