-- Secrets at rest (docs/security.md, crates/ganome-store/src/secrets.rs).
--
-- `facility_secrets.secret_hex` and `user_second_factors.totp_secret` keep their names but
-- now hold `v1:` + base64(nonce || AES-256-GCM ciphertext) under a master key kept outside
-- the database; values written before this migration are encrypted in place by the first
-- process that opens the store with a master key. This table keeps one check value per key
-- name (`master`: a known text sealed under the master key), so a wrong key is recognised
-- before anything is written, and a database whose secrets are encrypted is recognised when
-- no key is given.

CREATE TABLE secret_keys (
    name TEXT PRIMARY KEY,
    check_value TEXT NOT NULL,
    created_at TEXT NOT NULL,
    rotated_at TEXT
);
