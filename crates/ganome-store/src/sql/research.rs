//! [`ResearchStore`] over SQL: applications with their events, releases with their members.

use std::collections::BTreeMap;

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{SqlStore, opt_time, parse_time_col};
use crate::error::parse_col;
use crate::{
    ApplicationDecision, ApplicationEvent, ReleaseMember, ResearchApplication, ResearchRelease,
    ResearchStore, StoreError,
};

const A: &str = "research_applications";
const R: &str = "research_releases";

const APPLICATION_COLS: &str = "id, applicant_id, facility_id, sector, title, purpose, \
    scope_json, duo_codes, state, submitted_at, decided_by, decided_at, decision_comment, \
    conditions, embargo_days, embargo_reason";

const RELEASE_COLS: &str = "id, application_id, seq, built_at, built_by, embargo_days, \
    registered_before, cases, excluded_json, format, storage_key, sha256, size_bytes, \
    csv_storage_key";

fn corrupt(table: &'static str, e: serde_json::Error) -> StoreError {
    StoreError::Corrupt {
        table,
        message: e.to_string(),
    }
}

fn application_from_row(row: &AnyRow) -> Result<ResearchApplication, StoreError> {
    let scope: String = row.try_get("scope_json")?;
    let duo: String = row.try_get("duo_codes")?;
    Ok(ResearchApplication {
        id: row.try_get("id")?,
        applicant_id: row.try_get("applicant_id")?,
        facility_id: row.try_get("facility_id")?,
        sector: parse_col(A, &row.try_get::<String, _>("sector")?)?,
        title: row.try_get("title")?,
        purpose: row.try_get("purpose")?,
        scope: serde_json::from_str(&scope).map_err(|e| corrupt(A, e))?,
        duo_codes: serde_json::from_str(&duo).map_err(|e| corrupt(A, e))?,
        state: parse_col(A, &row.try_get::<String, _>("state")?)?,
        submitted_at: parse_time_col(A, &row.try_get::<String, _>("submitted_at")?)?,
        decided_by: row.try_get("decided_by")?,
        decided_at: opt_time(A, row.try_get("decided_at")?)?,
        decision_comment: row.try_get("decision_comment")?,
        conditions: row.try_get("conditions")?,
        embargo_days: row.try_get("embargo_days")?,
        embargo_reason: row.try_get("embargo_reason")?,
    })
}

fn release_from_row(row: &AnyRow) -> Result<ResearchRelease, StoreError> {
    let excluded: String = row.try_get("excluded_json")?;
    Ok(ResearchRelease {
        id: row.try_get("id")?,
        application_id: row.try_get("application_id")?,
        seq: row.try_get("seq")?,
        built_at: parse_time_col(R, &row.try_get::<String, _>("built_at")?)?,
        built_by: row.try_get("built_by")?,
        embargo_days: row.try_get("embargo_days")?,
        registered_before: parse_time_col(R, &row.try_get::<String, _>("registered_before")?)?,
        cases: row.try_get("cases")?,
        excluded: serde_json::from_str::<BTreeMap<String, i64>>(&excluded)
            .map_err(|e| corrupt(R, e))?,
        format: row.try_get("format")?,
        storage_key: row.try_get("storage_key")?,
        sha256: row.try_get("sha256")?,
        size_bytes: row.try_get("size_bytes")?,
        csv_storage_key: row.try_get("csv_storage_key")?,
    })
}

async fn insert_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    application_id: &str,
    event: &ApplicationEvent,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO research_application_events (application_id, seq, state, at, by_user, note) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(application_id.to_owned())
    .bind(event.seq)
    .bind(event.state.as_str())
    .bind(event.at.to_string())
    .bind(event.by_user.clone())
    .bind(event.note.clone())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[async_trait]
impl ResearchStore for SqlStore {
    async fn insert_research_application(&self, a: &ResearchApplication) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO research_applications (id, applicant_id, facility_id, sector, title, \
             purpose, scope_json, duo_codes, state, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(a.id.clone())
        .bind(a.applicant_id.clone())
        .bind(a.facility_id.clone())
        .bind(a.sector.as_str())
        .bind(a.title.clone())
        .bind(a.purpose.clone())
        .bind(serde_json::to_string(&a.scope).map_err(|e| corrupt(A, e))?)
        .bind(serde_json::to_string(&a.duo_codes).map_err(|e| corrupt(A, e))?)
        .bind(a.state.as_str())
        .bind(a.submitted_at.to_string())
        .execute(&mut *tx)
        .await?;
        let first = ApplicationEvent {
            seq: 1,
            state: a.state,
            at: a.submitted_at,
            by_user: a.applicant_id.clone(),
            note: None,
        };
        insert_event(&mut tx, &a.id, &first).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_research_application(
        &self,
        id: &str,
    ) -> Result<Option<ResearchApplication>, StoreError> {
        let sql = format!("SELECT {APPLICATION_COLS} FROM research_applications WHERE id = $1");
        sqlx::query(&sql)
            .bind(id.to_owned())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(application_from_row)
            .transpose()
    }

    async fn list_research_applications(
        &self,
        applicant_id: Option<&str>,
    ) -> Result<Vec<ResearchApplication>, StoreError> {
        let rows = match applicant_id {
            Some(user) => {
                let sql = format!(
                    "SELECT {APPLICATION_COLS} FROM research_applications WHERE applicant_id = $1 \
                     ORDER BY submitted_at DESC, id"
                );
                sqlx::query(&sql)
                    .bind(user.to_owned())
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!(
                    "SELECT {APPLICATION_COLS} FROM research_applications \
                     ORDER BY submitted_at DESC, id"
                );
                sqlx::query(&sql).fetch_all(&self.pool).await?
            }
        };
        rows.iter().map(application_from_row).collect()
    }

    async fn decide_research_application(
        &self,
        id: &str,
        d: &ApplicationDecision,
    ) -> Result<ResearchApplication, StoreError> {
        {
            let _w = self.write().await;
            let mut tx = self.pool.begin().await?;
            let done = sqlx::query(
                "UPDATE research_applications SET state = $1, decided_by = $2, decided_at = $3, \
                 decision_comment = $4, conditions = $5, embargo_days = $6, embargo_reason = $7 \
                 WHERE id = $8 AND state = 'submitted'",
            )
            .bind(d.state.as_str())
            .bind(d.by_user.clone())
            .bind(d.at.to_string())
            .bind(d.comment.clone())
            .bind(d.conditions.clone())
            .bind(d.embargo_days)
            .bind(d.embargo_reason.clone())
            .bind(id.to_owned())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(format!(
                    "application {id} is unknown or already decided"
                )));
            }
            let (last,): (i64,) = sqlx::query_as(
                "SELECT COALESCE(MAX(seq), 0) FROM research_application_events \
                 WHERE application_id = $1",
            )
            .bind(id.to_owned())
            .fetch_one(&mut *tx)
            .await?;
            let event = ApplicationEvent {
                seq: last + 1,
                state: d.state,
                at: d.at,
                by_user: d.by_user.clone(),
                note: Some(d.comment.clone()),
            };
            insert_event(&mut tx, id, &event).await?;
            tx.commit().await?;
        }
        self.get_research_application(id)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("application {id} is unknown")))
    }

    async fn research_application_events(
        &self,
        id: &str,
    ) -> Result<Vec<ApplicationEvent>, StoreError> {
        const E: &str = "research_application_events";
        let rows = sqlx::query(
            "SELECT seq, state, at, by_user, note FROM research_application_events \
             WHERE application_id = $1 ORDER BY seq",
        )
        .bind(id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApplicationEvent {
                    seq: r.try_get("seq")?,
                    state: parse_col(E, &r.try_get::<String, _>("state")?)?,
                    at: parse_time_col(E, &r.try_get::<String, _>("at")?)?,
                    by_user: r.try_get("by_user")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    async fn insert_research_release(
        &self,
        release: &ResearchRelease,
        members: &[ReleaseMember],
    ) -> Result<ResearchRelease, StoreError> {
        {
            let _w = self.write().await;
            let mut tx = self.pool.begin().await?;
            let (last,): (i64,) = sqlx::query_as(
                "SELECT COALESCE(MAX(seq), 0) FROM research_releases WHERE application_id = $1",
            )
            .bind(release.application_id.clone())
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO research_releases (id, application_id, seq, built_at, built_by, \
                 embargo_days, registered_before, cases, excluded_json, format, storage_key, \
                 sha256, size_bytes, csv_storage_key) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(release.id.clone())
            .bind(release.application_id.clone())
            .bind(last + 1)
            .bind(release.built_at.to_string())
            .bind(release.built_by.clone())
            .bind(release.embargo_days)
            .bind(release.registered_before.to_string())
            .bind(release.cases)
            .bind(serde_json::to_string(&release.excluded).map_err(|e| corrupt(R, e))?)
            .bind(release.format.clone())
            .bind(release.storage_key.clone())
            .bind(release.sha256.clone())
            .bind(release.size_bytes)
            .bind(release.csv_storage_key.clone())
            .execute(&mut *tx)
            .await?;
            for m in members {
                sqlx::query(
                    "INSERT INTO research_release_members (release_id, research_id, patient_id, \
                     case_id, consent_id) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(release.id.clone())
                .bind(m.research_id.clone())
                .bind(m.patient_id.clone())
                .bind(m.case_id.clone())
                .bind(m.consent_id.clone())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }
        self.get_research_release(&release.id)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("release {} is unknown", release.id)))
    }

    async fn list_research_releases(
        &self,
        application_id: &str,
    ) -> Result<Vec<ResearchRelease>, StoreError> {
        let sql = format!(
            "SELECT {RELEASE_COLS} FROM research_releases WHERE application_id = $1 ORDER BY seq"
        );
        sqlx::query(&sql)
            .bind(application_id.to_owned())
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(release_from_row)
            .collect()
    }

    async fn get_research_release(&self, id: &str) -> Result<Option<ResearchRelease>, StoreError> {
        let sql = format!("SELECT {RELEASE_COLS} FROM research_releases WHERE id = $1");
        sqlx::query(&sql)
            .bind(id.to_owned())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(release_from_row)
            .transpose()
    }

    async fn research_release_members(
        &self,
        release_id: &str,
    ) -> Result<Vec<ReleaseMember>, StoreError> {
        let rows = sqlx::query(
            "SELECT research_id, patient_id, case_id, consent_id FROM research_release_members \
             WHERE release_id = $1 ORDER BY research_id",
        )
        .bind(release_id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReleaseMember {
                    research_id: r.try_get("research_id")?,
                    patient_id: r.try_get("patient_id")?,
                    case_id: r.try_get("case_id")?,
                    consent_id: r.try_get("consent_id")?,
                })
            })
            .collect()
    }
}
