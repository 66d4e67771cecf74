//! [`JobStore`] over SQL. The claim is one `UPDATE … WHERE id = (SELECT … LIMIT 1)`: on
//! PostgreSQL the inner select takes `FOR UPDATE SKIP LOCKED`, so concurrent workers skip a
//! row another is claiming instead of waiting for it or taking it twice; on SQLite the
//! statement runs under the database's single writer (and this process's write lock).

use async_trait::async_trait;
use ganome_core::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{SqlStore, opt_time, parse_time_col};
use crate::{Backend, Job, JobCounts, JobState, JobStore, MAX_JOB_ATTEMPTS, StoreError};

const T: &str = "jobs";

const JOB_COLS: &str = "id, kind, subject, detail, requested_by, enqueued_at, state, attempts, \
    worker, finished_at, error";

fn job_from_row(row: &AnyRow) -> Result<Job, StoreError> {
    let state: String = row.try_get("state")?;
    Ok(Job {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        subject: row.try_get("subject")?,
        detail: row.try_get("detail")?,
        requested_by: row.try_get("requested_by")?,
        enqueued_at: parse_time_col(T, &row.try_get::<String, _>("enqueued_at")?)?,
        state: JobState::parse(&state).ok_or_else(|| StoreError::Corrupt {
            table: T,
            message: format!("unknown job state '{state}'"),
        })?,
        attempts: row.try_get("attempts")?,
        worker: row.try_get("worker")?,
        finished_at: opt_time(T, row.try_get("finished_at")?)?,
        error: row.try_get("error")?,
    })
}

/// The claim statement for the backend.
fn claim_sql(backend: Backend) -> String {
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    format!(
        "UPDATE jobs SET state = 'running', worker = $1, attempts = attempts + 1, \
         lease_until = $2 \
         WHERE id = (SELECT id FROM jobs WHERE state = 'queued' \
         OR (state = 'running' AND lease_until < $3) \
         ORDER BY ordinal LIMIT 1{lock}) \
         RETURNING {JOB_COLS}"
    )
}

#[async_trait]
impl JobStore for SqlStore {
    async fn enqueue_jobs(
        &self,
        kind: &str,
        subjects: &[String],
        detail: &str,
        requested_by: &str,
        at: Timestamp,
    ) -> Result<usize, StoreError> {
        let _w = self.write().await;
        let batch: u64 = rand::random();
        let mut tx = self.pool.begin().await?;
        // Jobs run in the order queued: ordinals continue from the last one (two
        // PostgreSQL transactions queuing at once may share ordinals; ties are harmless).
        let (last,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(ordinal), 0) FROM jobs")
            .fetch_one(&mut *tx)
            .await?;
        let mut queued = 0;
        for (i, subject) in subjects.iter().enumerate() {
            let ordinal = last + 1 + i64::try_from(i).unwrap_or(i64::MAX - last - 1);
            let done = sqlx::query(
                "INSERT INTO jobs (id, kind, subject, detail, requested_by, enqueued_at, ordinal, \
                 state) SELECT $1, $2, $3, $4, $5, $6, $7, 'queued' WHERE NOT EXISTS \
                 (SELECT 1 FROM jobs WHERE kind = $2 AND subject = $3 AND state = 'queued')",
            )
            .bind(format!("{batch:016x}-{i:07}"))
            .bind(kind.to_owned())
            .bind(subject.clone())
            .bind(detail.to_owned())
            .bind(requested_by.to_owned())
            .bind(at.to_string())
            .bind(ordinal)
            .execute(&mut *tx)
            .await?;
            queued += usize::try_from(done.rows_affected()).unwrap_or(0);
        }
        tx.commit().await?;
        Ok(queued)
    }

    async fn claim_job(
        &self,
        worker: &str,
        now: Timestamp,
        lease_until: i64,
    ) -> Result<Option<Job>, StoreError> {
        let _w = self.write().await;
        let row = sqlx::query(&claim_sql(self.backend))
            .bind(worker.to_owned())
            .bind(lease_until)
            .bind(now.unix())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(job_from_row).transpose()
    }

    async fn finish_job(
        &self,
        id: &str,
        worker: &str,
        outcome: Result<(), String>,
        at: Timestamp,
    ) -> Result<Option<JobState>, StoreError> {
        let _w = self.write().await;
        let (sql, error) = match outcome {
            Ok(()) => (
                "UPDATE jobs SET state = 'done', lease_until = NULL, finished_at = $3, \
                 error = NULL WHERE id = $1 AND worker = $2 AND state = 'running' \
                 RETURNING state"
                    .to_owned(),
                None,
            ),
            Err(e) => (
                format!(
                    "UPDATE jobs SET state = CASE WHEN attempts >= {MAX_JOB_ATTEMPTS} \
                     THEN 'failed' ELSE 'queued' END, \
                     finished_at = CASE WHEN attempts >= {MAX_JOB_ATTEMPTS} THEN $3 \
                     ELSE NULL END, lease_until = NULL, error = $4 \
                     WHERE id = $1 AND worker = $2 AND state = 'running' RETURNING state"
                ),
                Some(e),
            ),
        };
        let mut q = sqlx::query(&sql)
            .bind(id.to_owned())
            .bind(worker.to_owned())
            .bind(at.to_string());
        if let Some(e) = error {
            q = q.bind(e);
        }
        let row = q.fetch_optional(&self.pool).await?;
        row.map(|r| {
            let s: String = r.try_get("state")?;
            JobState::parse(&s).ok_or_else(|| StoreError::Corrupt {
                table: T,
                message: format!("unknown job state '{s}'"),
            })
        })
        .transpose()
    }

    async fn job_counts(&self, kind: &str) -> Result<JobCounts, StoreError> {
        let rows =
            sqlx::query("SELECT state, COUNT(*) AS n FROM jobs WHERE kind = $1 GROUP BY state")
                .bind(kind.to_owned())
                .fetch_all(&self.pool)
                .await?;
        let mut counts = JobCounts::default();
        for r in rows {
            let state: String = r.try_get("state")?;
            let n: i64 = r.try_get("n")?;
            match JobState::parse(&state) {
                Some(JobState::Queued) => counts.queued = n,
                Some(JobState::Running) => counts.running = n,
                Some(JobState::Done) => counts.done = n,
                Some(JobState::Failed) => counts.failed = n,
                None => {
                    return Err(StoreError::Corrupt {
                        table: T,
                        message: format!("unknown job state '{state}'"),
                    });
                }
            }
        }
        Ok(counts)
    }

    async fn failed_jobs(&self, kind: &str, limit: i64) -> Result<Vec<Job>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {JOB_COLS} FROM jobs WHERE kind = $1 AND state = 'failed' \
             ORDER BY finished_at DESC, id DESC LIMIT $2"
        ))
        .bind(kind.to_owned())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(job_from_row).collect()
    }
}
