-- The auditors' questions read the chain by user and by entity ("who opened this case?");
-- without these, each question scans the whole log.
CREATE INDEX audit_log_entity ON audit_log(entity_id, seq);
CREATE INDEX audit_log_username ON audit_log(username, seq);
