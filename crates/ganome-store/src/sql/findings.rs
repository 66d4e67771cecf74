//! [`FindingsStore`] over SQL: findings versions and knowledge releases.

use async_trait::async_trait;
use ganome_core::CaseState;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{SqlStore, move_case, parse_time_col};
use crate::{
    BeaconHit, BeaconVariant, FindingsStore, FindingsVersion, KnowledgeReleaseRecord, NewFindings,
    StoreError, beacon_variants_of,
};

const FINDINGS_COLS: &str = "id, case_id, version, report_id, schema_version, knowledge_release, \
     knowledge_hash, transcript_db, engine, reason, alterations, vus, options, top_level, trials, \
     germline_flag, issued_by, issued_at";

const RELEASE_COLS: &str =
    "name, content_hash, storage_key, summary, registered_by, registered_at, is_current";

fn findings_from_row(row: &AnyRow) -> Result<FindingsVersion, StoreError> {
    Ok(FindingsVersion {
        id: row.try_get("id")?,
        case_id: row.try_get("case_id")?,
        version: row.try_get("version")?,
        report_id: row.try_get("report_id")?,
        schema_version: row.try_get("schema_version")?,
        knowledge_release: row.try_get("knowledge_release")?,
        knowledge_hash: row.try_get("knowledge_hash")?,
        transcript_db: row.try_get("transcript_db")?,
        engine: row.try_get("engine")?,
        reason: row.try_get("reason")?,
        alterations: row.try_get("alterations")?,
        vus: row.try_get("vus")?,
        options: row.try_get("options")?,
        top_level: row.try_get("top_level")?,
        trials: row.try_get("trials")?,
        germline_flag: row.try_get::<i64, _>("germline_flag")? != 0,
        issued_by: row.try_get("issued_by")?,
        issued_at: parse_time_col("findings_reports", &row.try_get::<String, _>("issued_at")?)?,
    })
}

fn release_from_row(row: &AnyRow) -> Result<KnowledgeReleaseRecord, StoreError> {
    Ok(KnowledgeReleaseRecord {
        name: row.try_get("name")?,
        content_hash: row.try_get("content_hash")?,
        storage_key: row.try_get("storage_key")?,
        summary: row.try_get("summary")?,
        registered_by: row.try_get("registered_by")?,
        registered_at: parse_time_col(
            "knowledge_releases",
            &row.try_get::<String, _>("registered_at")?,
        )?,
        is_current: row.try_get::<i64, _>("is_current")? != 0,
    })
}

/// Writes the Beacon index rows of a findings version (in the caller's transaction).
pub(super) async fn write_beacon_rows(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    findings_id: &str,
    case_id: &str,
    report_json: &str,
) -> Result<(), StoreError> {
    for v in beacon_variants_of(report_json) {
        sqlx::query(
            "INSERT INTO beacon_variants (findings_id, case_id, gene, hgvs_p, label, chrom, pos, \
             ref_bases, alt_bases, genome_build) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(findings_id.to_owned())
        .bind(case_id.to_owned())
        .bind(v.gene)
        .bind(v.hgvs_p)
        .bind(v.label)
        .bind(v.chrom)
        .bind(v.pos)
        .bind(v.ref_bases)
        .bind(v.alt_bases)
        .bind(v.genome_build)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Indexes the findings versions that have no Beacon rows yet (after the migration that
/// made the table; versions without alterations are read again, harmlessly).
pub(super) async fn backfill_beacon_rows(store: &SqlStore) -> Result<(), StoreError> {
    let ids: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM findings_reports WHERE id NOT IN (SELECT findings_id FROM beacon_variants) \
         ORDER BY id",
    )
    .fetch_all(&store.pool)
    .await?;
    for (id,) in ids {
        let (case_id, json): (String, String) =
            sqlx::query_as("SELECT case_id, report_json FROM findings_reports WHERE id = $1")
                .bind(id.clone())
                .fetch_one(&store.pool)
                .await?;
        let mut tx = store.pool.begin().await?;
        write_beacon_rows(&mut tx, &id, &case_id, &json).await?;
        tx.commit().await?;
    }
    Ok(())
}

#[async_trait]
impl FindingsStore for SqlStore {
    async fn beacon_candidates(
        &self,
        gene: Option<&str>,
        position: Option<(&str, i64)>,
    ) -> Result<Vec<BeaconHit>, StoreError> {
        let sql = |cond: &str| {
            format!(
                "SELECT b.case_id, c.patient_id, c.oncotree_code, b.gene, b.hgvs_p, b.label, \
                 b.chrom, b.pos, b.ref_bases, b.alt_bases, b.genome_build \
                 FROM beacon_variants b JOIN cases c ON c.id = b.case_id \
                 WHERE {cond} AND b.findings_id = (SELECT f.id FROM findings_reports f \
                   WHERE f.case_id = b.case_id ORDER BY f.version DESC LIMIT 1) \
                 ORDER BY b.case_id"
            )
        };
        let rows = match (gene, position) {
            (Some(g), _) => {
                sqlx::query(&sql("b.gene = $1"))
                    .bind(g.to_owned())
                    .fetch_all(&self.pool)
                    .await?
            }
            (None, Some((c, p))) => {
                sqlx::query(&sql("b.chrom = $1 AND b.pos = $2"))
                    .bind(c.to_owned())
                    .bind(p)
                    .fetch_all(&self.pool)
                    .await?
            }
            (None, None) => return Ok(Vec::new()),
        };
        rows.iter()
            .map(|r| {
                Ok(BeaconHit {
                    case_id: r.try_get("case_id")?,
                    patient_id: r.try_get("patient_id")?,
                    oncotree_code: r.try_get("oncotree_code")?,
                    variant: BeaconVariant {
                        gene: r.try_get("gene")?,
                        hgvs_p: r.try_get("hgvs_p")?,
                        label: r.try_get("label")?,
                        chrom: r.try_get("chrom")?,
                        pos: r.try_get("pos")?,
                        ref_bases: r.try_get("ref_bases")?,
                        alt_bases: r.try_get("alt_bases")?,
                        genome_build: r.try_get("genome_build")?,
                    },
                })
            })
            .collect()
    }

    async fn insert_findings(&self, new: &NewFindings) -> Result<FindingsVersion, StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        let f = &new.findings;
        let (version,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM findings_reports WHERE case_id = $1",
        )
        .bind(f.case_id.clone())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO findings_reports ({FINDINGS_COLS}, report_json) VALUES ($1, $2, $3, $4, \
             $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
        ))
        .bind(f.id.clone())
        .bind(f.case_id.clone())
        .bind(version)
        .bind(f.report_id.clone())
        .bind(f.schema_version.clone())
        .bind(f.knowledge_release.clone())
        .bind(f.knowledge_hash.clone())
        .bind(f.transcript_db.clone())
        .bind(f.engine.clone())
        .bind(f.reason.clone())
        .bind(f.alterations)
        .bind(f.vus)
        .bind(f.options)
        .bind(f.top_level.clone())
        .bind(f.trials)
        .bind(i64::from(f.germline_flag))
        .bind(f.issued_by.clone())
        .bind(f.issued_at.to_string())
        .bind(new.report_json.clone())
        .execute(&mut *tx)
        .await?;
        write_beacon_rows(&mut tx, &f.id, &f.case_id, &new.report_json).await?;
        if let Some(alert) = &new.alert {
            super::alerts::write_alert(&mut tx, alert, version).await?;
        }
        if let Some(from) = new.move_from {
            let note = format!("findings v{version} {} ({})", f.report_id, f.reason);
            move_case(
                &mut tx,
                self.backend,
                &f.case_id,
                from,
                CaseState::FindingsIssued,
                f.issued_at,
                &f.issued_by,
                Some(&note),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(FindingsVersion {
            version,
            ..f.clone()
        })
    }

    async fn list_findings(&self, case_id: &str) -> Result<Vec<FindingsVersion>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {FINDINGS_COLS} FROM findings_reports WHERE case_id = $1 ORDER BY version"
        ))
        .bind(case_id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(findings_from_row).collect()
    }

    async fn get_findings(
        &self,
        id: &str,
    ) -> Result<Option<(FindingsVersion, String)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {FINDINGS_COLS}, report_json FROM findings_reports WHERE id = $1"
        ))
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((findings_from_row(&r)?, r.try_get("report_json")?)))
            .transpose()
    }

    async fn cases_with_findings(&self) -> Result<Vec<String>, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT DISTINCT case_id FROM findings_reports ORDER BY case_id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    async fn insert_knowledge_release(&self, r: &KnowledgeReleaseRecord) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        if r.is_current {
            sqlx::query("UPDATE knowledge_releases SET is_current = 0")
                .execute(&mut *tx)
                .await?;
        }
        let (seq,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(seq), 0) + 1 FROM knowledge_releases")
                .fetch_one(&mut *tx)
                .await?;
        let inserted = sqlx::query(&format!(
            "INSERT INTO knowledge_releases ({RELEASE_COLS}, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(r.name.clone())
        .bind(r.content_hash.clone())
        .bind(r.storage_key.clone())
        .bind(r.summary.clone())
        .bind(r.registered_by.clone())
        .bind(r.registered_at.to_string())
        .bind(i64::from(r.is_current))
        .bind(seq)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                tx.rollback().await?;
                return Err(StoreError::Conflict(format!(
                    "knowledge release {} (or its content {}) is already registered",
                    r.name,
                    &r.content_hash[..12.min(r.content_hash.len())]
                )));
            }
            Err(e) => return Err(e.into()),
        }
        tx.commit().await?;
        Ok(())
    }

    async fn set_current_knowledge_release(&self, name: &str) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE knowledge_releases SET is_current = 0")
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("UPDATE knowledge_releases SET is_current = 1 WHERE name = $1")
            .bind(name.to_owned())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Err(StoreError::Conflict(format!(
                "no knowledge release named {name} is registered"
            )));
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_knowledge_releases(&self) -> Result<Vec<KnowledgeReleaseRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {RELEASE_COLS} FROM knowledge_releases ORDER BY seq"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(release_from_row).collect()
    }
}
