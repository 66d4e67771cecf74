-- Second factor (TOTP, RFC 6238) and login throttling.
--
-- One row per user who has begun enrolling: the TOTP secret (base32; kept in clear because
-- the server must compute codes from it), whether it is confirmed (0 pending until the user
-- proves their app shows the right code, 1 enabled), when it was enabled, and the last time
-- step whose code was accepted, so that no code is accepted twice and no earlier step after a
-- later one. Failed logins are kept per login name (not per user id: a name that does not
-- exist is throttled exactly like one that does), and a lock row refuses a name until its
-- end. Portable DDL as in the foundation migration (TEXT ids, 0/1 BIGINT booleans, RFC 3339
-- text times).

CREATE TABLE user_second_factors (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    totp_secret TEXT NOT NULL,
    confirmed BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    enabled_at TEXT,
    last_step BIGINT
);

CREATE TABLE login_failures (
    username TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, failed_at);

CREATE TABLE login_locks (
    username TEXT NOT NULL,
    locked_at TEXT NOT NULL,
    locked_until TEXT NOT NULL
);
CREATE INDEX login_locks_username ON login_locks(username, locked_until);
