-- Background work (DESIGN §4): a queue in the database drained by any number of workers —
-- every `ganome serve` process and the operator command that queued the work. A worker
-- claims the oldest queued job (on PostgreSQL with FOR UPDATE SKIP LOCKED, so concurrent
-- workers never take the same row; on SQLite the claim is one UPDATE under the database's
-- single writer) together with a lease; a job whose worker died is claimed again when its
-- lease has passed. A job is done or, after three failed attempts, failed with its error.
-- Portable DDL as in the foundation migration (TEXT ids and times, BIGINT numbers).

CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    enqueued_at TEXT NOT NULL,
    ordinal BIGINT NOT NULL, -- the order queued, across batches
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    worker TEXT,
    lease_until BIGINT,
    finished_at TEXT,
    error TEXT
);
CREATE INDEX jobs_claim ON jobs(state, ordinal);
CREATE INDEX jobs_subject ON jobs(kind, subject, state);
