//! [`AlertStore`] over SQL: re-interpretation alerts and their options. The alert itself is
//! written by [`write_alert`] inside the findings version's transaction.

use async_trait::async_trait;
use ganome_core::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{SqlStore, opt_time, parse_time_col};
use crate::error::parse_col;
use crate::{AlertFilter, AlertOption, AlertScope, AlertStore, ReinterpretationAlert, StoreError};

const T: &str = "reinterpretation_alerts";

const ALERT_COLS: &str = "a.id, a.case_id, c.case_number, a.findings_id, a.findings_version, \
    a.previous_findings_id, a.previous_version, a.knowledge_release, \
    a.previous_knowledge_release, a.reason, a.raised_at, a.acknowledged_by, a.acknowledged_at";

fn alert_from_row(row: &AnyRow) -> Result<ReinterpretationAlert, StoreError> {
    Ok(ReinterpretationAlert {
        id: row.try_get("id")?,
        case_id: row.try_get("case_id")?,
        case_number: row.try_get("case_number")?,
        findings_id: row.try_get("findings_id")?,
        findings_version: row.try_get("findings_version")?,
        previous_findings_id: row.try_get("previous_findings_id")?,
        previous_version: row.try_get("previous_version")?,
        knowledge_release: row.try_get("knowledge_release")?,
        previous_knowledge_release: row.try_get("previous_knowledge_release")?,
        reason: row.try_get("reason")?,
        options: Vec::new(),
        raised_at: parse_time_col(T, &row.try_get::<String, _>("raised_at")?)?,
        acknowledged_by: row.try_get("acknowledged_by")?,
        acknowledged_at: opt_time(T, row.try_get("acknowledged_at")?)?,
    })
}

/// Writes `alert` for findings version `version` of its case, inside the version's
/// transaction; `Conflict` when its previous version is no longer the one before `version`
/// (another version was stored between the comparison and this write).
pub(crate) async fn write_alert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    alert: &ReinterpretationAlert,
    version: i64,
) -> Result<(), StoreError> {
    let previous: Option<(String,)> =
        sqlx::query_as("SELECT id FROM findings_reports WHERE case_id = $1 AND version = $2")
            .bind(alert.case_id.clone())
            .bind(version - 1)
            .fetch_optional(&mut **tx)
            .await?;
    if previous.as_ref().map(|(id,)| id.as_str()) != Some(alert.previous_findings_id.as_str()) {
        return Err(StoreError::Conflict(format!(
            "case {}: findings {} is no longer the latest version; compare again",
            alert.case_id, alert.previous_findings_id
        )));
    }
    sqlx::query(
        "INSERT INTO reinterpretation_alerts (id, case_id, findings_id, findings_version, \
         previous_findings_id, previous_version, knowledge_release, previous_knowledge_release, \
         reason, raised_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(alert.id.clone())
    .bind(alert.case_id.clone())
    .bind(alert.findings_id.clone())
    .bind(version)
    .bind(alert.previous_findings_id.clone())
    .bind(version - 1)
    .bind(alert.knowledge_release.clone())
    .bind(alert.previous_knowledge_release.clone())
    .bind(alert.reason.clone())
    .bind(alert.raised_at.to_string())
    .execute(&mut **tx)
    .await?;
    for (i, o) in alert.options.iter().enumerate() {
        sqlx::query(
            "INSERT INTO reinterpretation_alert_options (alert_id, ordinal, alteration, drug, \
             level, previous_level) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(alert.id.clone())
        .bind(i as i64 + 1)
        .bind(o.alteration.clone())
        .bind(o.drug.clone())
        .bind(o.level.as_str())
        .bind(o.previous_level.map(|l| l.as_str()))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl SqlStore {
    /// Reads alerts by a `WHERE` clause over `a` (alerts) and `c` (cases), with their options.
    async fn alerts_where(
        &self,
        where_sql: &str,
        binds: Vec<String>,
        limit: i64,
    ) -> Result<Vec<ReinterpretationAlert>, StoreError> {
        let sql = format!(
            "SELECT {ALERT_COLS} FROM reinterpretation_alerts a JOIN cases c ON c.id = a.case_id \
             {where_sql} ORDER BY a.raised_at DESC, a.id LIMIT {}",
            limit.clamp(1, 10_000)
        );
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        let mut alerts = q
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(alert_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        for a in &mut alerts {
            let rows = sqlx::query(
                "SELECT alteration, drug, level, previous_level FROM reinterpretation_alert_options \
                 WHERE alert_id = $1 ORDER BY ordinal",
            )
            .bind(a.id.clone())
            .fetch_all(&self.pool)
            .await?;
            a.options = rows
                .iter()
                .map(|r| {
                    const O: &str = "reinterpretation_alert_options";
                    Ok(AlertOption {
                        alteration: r.try_get("alteration")?,
                        drug: r.try_get("drug")?,
                        level: parse_col(O, &r.try_get::<String, _>("level")?)?,
                        previous_level: r
                            .try_get::<Option<String>, _>("previous_level")?
                            .map(|l| parse_col(O, &l))
                            .transpose()?,
                    })
                })
                .collect::<Result<_, StoreError>>()?;
        }
        Ok(alerts)
    }
}

#[async_trait]
impl AlertStore for SqlStore {
    async fn list_alerts(
        &self,
        filter: &AlertFilter,
    ) -> Result<Vec<ReinterpretationAlert>, StoreError> {
        let mut clauses: Vec<String> = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let mut push = |clause: &str, value: Option<&str>| {
            let mut c = clause.to_owned();
            if let Some(v) = value {
                binds.push(v.to_owned());
                c = c.replacen('?', &format!("${}", binds.len()), 1);
            }
            clauses.push(c);
        };
        match &filter.scope {
            AlertScope::All => {}
            AlertScope::OrderedBy(f) => push("c.ordering_facility_id = ?", Some(f)),
            AlertScope::PanelOf(f) => push("c.panel_facility_id = ?", Some(f)),
        }
        if let Some(case) = &filter.case_id {
            push("a.case_id = ?", Some(case));
        }
        if filter.unacknowledged_only {
            push("a.acknowledged_at IS NULL", None);
        }
        let where_sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        self.alerts_where(&where_sql, binds, filter.limit).await
    }

    async fn get_alert(&self, id: &str) -> Result<Option<ReinterpretationAlert>, StoreError> {
        Ok(self
            .alerts_where("WHERE a.id = $1", vec![id.to_owned()], 1)
            .await?
            .pop())
    }

    async fn acknowledge_alert(
        &self,
        id: &str,
        by_user: &str,
        at: Timestamp,
    ) -> Result<ReinterpretationAlert, StoreError> {
        {
            let _w = self.write().await;
            let done = sqlx::query(
                "UPDATE reinterpretation_alerts SET acknowledged_by = $1, acknowledged_at = $2 \
                 WHERE id = $3 AND acknowledged_at IS NULL",
            )
            .bind(by_user.to_owned())
            .bind(at.to_string())
            .bind(id.to_owned())
            .execute(&self.pool)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(format!(
                    "alert {id} is unknown or already acknowledged"
                )));
            }
        }
        self.get_alert(id)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("alert {id} is unknown")))
    }
}
