//! Background work (DESIGN §4): re-interpreting every case under a newly published knowledge
//! release is queued in the store, one job per case, and drained by any number of workers —
//! the `ganome publish` process itself (with a progress bar), and every `ganome serve`
//! process in the background. A job is "bring this case's findings up to date with the
//! current release": running it twice issues nothing new the second time (the same report
//! id is not stored again), so a job whose worker died is simply run again when its lease
//! passes. Each worker first follows the store's current release
//! ([`Ganome::follow_current_knowledge_release`]), so a server started before a release was
//! published by another process annotates with the new one.

use std::time::Duration;

use ganome_core::Timestamp;
use ganome_store::{Job, JobCounts, JobState};

use crate::{Ganome, ServiceError};

/// The kind of job that re-issues a case's findings under the current knowledge release.
pub const REINTERPRET: &str = "findings.reinterpret";

/// How long a worker holds a job before another may take it over (a case takes
/// milliseconds; the lease only matters when a worker dies).
pub const LEASE_SECONDS: i64 = 300;

/// What one job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    /// The job as claimed.
    pub job: Job,
    /// The state written: done, queued again after an error, or failed.
    pub state: Option<JobState>,
    /// Whether a new findings version was issued.
    pub issued: bool,
    /// The error of this attempt, if it failed.
    pub error: Option<String>,
}

/// The re-interpretation queue as the data center sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ReinterpretationQueue {
    /// Jobs by state.
    #[schema(value_type = Object)]
    pub counts: JobCounts,
    /// The latest failed jobs (case id, attempts, last error).
    #[schema(value_type = Vec<Object>)]
    pub failed: Vec<Job>,
}

/// What a drain did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainReport {
    /// Jobs finished.
    pub done: usize,
    /// New findings versions issued by them.
    pub issued: usize,
    /// Attempts that failed (the job is queued again or, after the last attempt, failed).
    pub errors: usize,
}

impl Ganome {
    /// Queues the re-interpretation of every case that has findings (used when a knowledge
    /// release becomes current). Returns how many were queued.
    pub(crate) async fn queue_reinterpretation(
        &self,
        reason: &str,
        requested_by: &str,
    ) -> Result<usize, ServiceError> {
        let cases = self.store.cases_with_findings().await?;
        Ok(self
            .store
            .enqueue_jobs(REINTERPRET, &cases, reason, requested_by, Timestamp::now())
            .await?)
    }

    /// Re-interpretation jobs by state and the latest failures (for operators:
    /// `ganome jobs`).
    pub async fn reinterpretation_jobs(&self) -> Result<(JobCounts, Vec<Job>), ServiceError> {
        Ok((
            self.store.job_counts(REINTERPRET).await?,
            self.store.failed_jobs(REINTERPRET, 20).await?,
        ))
    }

    /// The same for the data center's staff who publish releases (curators, reviewers,
    /// administrators), audited: failed jobs name cases.
    pub async fn reinterpretation_queue(
        &self,
        actor: &crate::Actor,
    ) -> Result<ReinterpretationQueue, ServiceError> {
        let result = async {
            if !crate::access::may_publish_knowledge(actor) {
                return Err(ServiceError::Forbidden(
                    "the re-interpretation queue is for the data center's curators, reviewers and administrators"
                        .into(),
                ));
            }
            let (counts, failed) = self.reinterpretation_jobs().await?;
            Ok(ReinterpretationQueue { counts, failed })
        }
        .await;
        let entry = actor.audit("jobs.read", "jobs", Some(REINTERPRET));
        self.audited(entry, result).await
    }

    /// Claims and runs the next job as `worker`. `None` when nothing is waiting, or when
    /// this instance issues no findings (it leaves the work to a worker that does).
    pub async fn run_next_job(&self, worker: &str) -> Result<Option<JobRun>, ServiceError> {
        if self.annotation_engine().is_none() {
            return Ok(None);
        }
        let now = Timestamp::now();
        let Some(job) = self
            .store
            .claim_job(worker, now, now.unix() + LEASE_SECONDS)
            .await?
        else {
            return Ok(None);
        };
        let result = match job.kind.as_str() {
            REINTERPRET => self.reinterpret(&job).await.map_err(|e| e.to_string()),
            other => Err(format!("unknown job kind '{other}'")),
        };
        let (issued, error) = match result {
            Ok(issued) => (issued, None),
            Err(e) => {
                tracing::warn!(job = %job.id, subject = %job.subject, "job failed: {e}");
                (false, Some(e))
            }
        };
        let outcome = error.clone().map_or(Ok(()), Err);
        let state = self
            .store
            .finish_job(&job.id, worker, outcome, Timestamp::now())
            .await?;
        Ok(Some(JobRun {
            job,
            state,
            issued,
            error,
        }))
    }

    /// Runs jobs as `worker` until none is waiting; `progress` is called after each.
    pub async fn drain_jobs(
        &self,
        worker: &str,
        progress: &(dyn Fn(&JobRun) + Send + Sync),
    ) -> Result<DrainReport, ServiceError> {
        let mut report = DrainReport::default();
        while let Some(run) = self.run_next_job(worker).await? {
            if run.error.is_some() {
                report.errors += 1;
            } else {
                report.done += 1;
                report.issued += usize::from(run.issued);
            }
            progress(&run);
        }
        Ok(report)
    }

    /// A server's background worker: drains the queue, then looks again every `idle`.
    /// Never returns; store errors are logged and retried.
    pub async fn run_job_worker(&self, worker: String, idle: Duration) {
        loop {
            match self.drain_jobs(&worker, &|_| {}).await {
                Ok(r) if r.done + r.errors > 0 => tracing::info!(
                    worker = %worker,
                    done = r.done,
                    issued = r.issued,
                    errors = r.errors,
                    "background jobs drained"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(worker = %worker, "job worker: {e}"),
            }
            tokio::time::sleep(idle).await;
        }
    }

    /// One re-interpretation: the case's findings under the current release.
    async fn reinterpret(&self, job: &Job) -> Result<bool, ServiceError> {
        let Some(case) = self.store.get_case(&job.subject).await? else {
            return Ok(false);
        };
        Ok(self
            .issue_findings_for(&case, &job.detail, &job.requested_by)
            .await?
            .is_some())
    }
}

/// A worker name unique enough to tell processes apart in the queue (host, process, purpose).
pub fn worker_name(purpose: &str) -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".into());
    format!("{host}:{}:{purpose}", std::process::id())
}
