//! Background jobs (DESIGN §4): work queued in the database and drained by any number of
//! workers — every `ganome serve` process and the operator command that queued it — so a
//! long piece of work (re-interpreting every case under a new knowledge release) survives
//! the process that started it and spreads over several servers. What a job does is the
//! service's business; the store only queues, leases and records outcomes.

use async_trait::async_trait;
use ganome_core::Timestamp;
use serde::Serialize;

use crate::StoreError;

/// How many times a job is tried before it is left failed.
pub const MAX_JOB_ATTEMPTS: i64 = 3;

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for a worker.
    Queued,
    /// Leased by a worker.
    Running,
    /// Finished.
    Done,
    /// Failed [`MAX_JOB_ATTEMPTS`] times; kept with its last error.
    Failed,
}

impl JobState {
    /// Stable text, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<JobState> {
        Some(match s {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "failed" => JobState::Failed,
            _ => return None,
        })
    }
}

/// A job as a worker or an operator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    /// Opaque id.
    pub id: String,
    /// What to do (`findings.reinterpret`).
    pub kind: String,
    /// What to do it to (a case id).
    pub subject: String,
    /// The kind's parameter (for re-interpretation, the reason recorded on the version).
    pub detail: String,
    /// The user whose action queued it (recorded on what it produces).
    pub requested_by: String,
    /// When it was queued.
    pub enqueued_at: Timestamp,
    /// Where it stands.
    pub state: JobState,
    /// Attempts so far (a claim counts as one).
    pub attempts: i64,
    /// The worker holding it, or that last held it.
    pub worker: Option<String>,
    /// When it finished (done or failed).
    pub finished_at: Option<Timestamp>,
    /// The last attempt's error, if it failed.
    pub error: Option<String>,
}

/// Jobs of one kind by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct JobCounts {
    /// Waiting.
    pub queued: i64,
    /// Leased by a worker.
    pub running: i64,
    /// Finished.
    pub done: i64,
    /// Given up.
    pub failed: i64,
}

/// The queue.
#[async_trait]
pub trait JobStore {
    /// Queues one job of `kind` per subject, in one transaction, in the given order; a
    /// subject that already has a queued job of the kind is skipped (the waiting job will
    /// do the same work). Returns how many were queued.
    async fn enqueue_jobs(
        &self,
        kind: &str,
        subjects: &[String],
        detail: &str,
        requested_by: &str,
        at: Timestamp,
    ) -> Result<usize, StoreError>;

    /// Claims the oldest job that is queued, or running with a lease that has passed
    /// (its worker died), for `worker` until `lease_until` (Unix seconds). `None` when
    /// there is nothing to do.
    async fn claim_job(
        &self,
        worker: &str,
        now: Timestamp,
        lease_until: i64,
    ) -> Result<Option<Job>, StoreError>;

    /// Records the outcome of a claimed job: done, or on error queued again until
    /// [`MAX_JOB_ATTEMPTS`] and then failed. Ignored when `worker` no longer holds it (its
    /// lease passed and another worker took it). Returns the state written, if any.
    async fn finish_job(
        &self,
        id: &str,
        worker: &str,
        outcome: Result<(), String>,
        at: Timestamp,
    ) -> Result<Option<JobState>, StoreError>;

    /// Jobs of `kind` by state.
    async fn job_counts(&self, kind: &str) -> Result<JobCounts, StoreError>;

    /// The most recently failed jobs of `kind`, newest first.
    async fn failed_jobs(&self, kind: &str, limit: i64) -> Result<Vec<Job>, StoreError>;
}
