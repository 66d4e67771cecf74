//! [`IndicatorStore`] over SQL, written once for SQLite and PostgreSQL: the facts feed
//! (rows stamped after a clock value), the meetings aggregate, the bulk loader. Window
//! bounds are generated date text (digits and dashes) and are inlined as literals;
//! user-given filters are bound. Months are split by a `CASE` over the month bounds, so
//! grouping by Japanese calendar month needs no time-zone functions.

use async_trait::async_trait;
use sqlx::{FromRow, Row};

use super::{SqlStore, date_text, opt_time, parse_date_col, parse_time_col};
use crate::{
    CaseFacts, ConsentFacts, FactsFeed, IndicatorStore, IndicatorWindow, MeetingCount, RecordBatch,
    StoreError,
};

/// SQL text plus the values bound to its `$n` placeholders, numbered as they are written.
struct Sql {
    text: String,
    binds: Vec<String>,
}

impl Sql {
    fn new() -> Sql {
        Sql {
            text: String::new(),
            binds: Vec::new(),
        }
    }

    fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, value: &str) -> &mut Sql {
        self.binds.push(value.to_owned());
        self.text.push_str(&format!("${}", self.binds.len()));
        self
    }

    async fn fetch(&self, pool: &sqlx::AnyPool) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
        let mut q = sqlx::query(&self.text);
        for b in &self.binds {
            q = q.bind(b.clone());
        }
        Ok(q.fetch_all(pool).await?)
    }
}

/// `CASE WHEN col < b1 THEN 0 WHEN col < b2 THEN 1 … ELSE n END`: the month index of a
/// time or date column, given the bounds between months.
fn month_case(column: &str, bounds: &[String]) -> String {
    if bounds.is_empty() {
        return "CAST(0 AS BIGINT)".to_owned();
    }
    let mut s = String::from("CAST(CASE");
    for (i, b) in bounds.iter().enumerate() {
        s.push_str(&format!(" WHEN {column} < '{b}' THEN {i}"));
    }
    s.push_str(&format!(" ELSE {} END AS BIGINT)", bounds.len()));
    s
}

fn month_index(v: i64) -> usize {
    usize::try_from(v).unwrap_or(0)
}

#[derive(FromRow)]
struct FactsRow {
    case_id: String,
    patient_id: String,
    ordering_facility_id: String,
    panel_facility_id: String,
    oncotree_code: String,
    registered_at: String,
    shipped_at: Option<String>,
    registered_s: Option<i64>,
    results_s: Option<i64>,
    findings_s: Option<i64>,
    reviewed_s: Option<i64>,
    explained_s: Option<i64>,
    signed_s: Option<i64>,
    option_s: Option<i64>,
    referral_s: Option<i64>,
    confirmatory_s: Option<i64>,
    treated_on: Option<String>,
}

impl FactsRow {
    fn into_facts(self) -> Result<CaseFacts, StoreError> {
        Ok(CaseFacts {
            registered_at: parse_time_col("case_facts", &self.registered_at)?,
            shipped_at: opt_time("case_facts", self.shipped_at)?,
            treated_on: self
                .treated_on
                .map(|d| parse_date_col("case_facts", &d))
                .transpose()?,
            case_id: self.case_id,
            patient_id: self.patient_id,
            ordering_facility_id: self.ordering_facility_id,
            panel_facility_id: self.panel_facility_id,
            oncotree_code: self.oncotree_code,
            registered_s: self.registered_s,
            results_s: self.results_s,
            findings_s: self.findings_s,
            reviewed_s: self.reviewed_s,
            explained_s: self.explained_s,
            signed_s: self.signed_s,
            option_s: self.option_s,
            referral_s: self.referral_s,
            confirmatory_s: self.confirmatory_s,
        })
    }
}

#[derive(FromRow)]
struct ConsentFactsRow {
    id: String,
    patient_id: String,
    given_at: String,
    registration: i64,
    secondary_use: i64,
    withdrawn_at: Option<String>,
}

#[async_trait]
impl IndicatorStore for SqlStore {
    async fn indicator_facts(&self, after: i64) -> Result<FactsFeed, StoreError> {
        // The clock first: every row stamped up to it is committed (see `facts`), so rows
        // read afterwards include them all; rows stamped later may come too and come again.
        let (seq,): (i64,) = sqlx::query_as("SELECT seq FROM facts_clock WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        // Cases and consents on two connections at once.
        let (cases, consents) = tokio::try_join!(
            sqlx::query_as::<_, FactsRow>(
                "SELECT case_id, patient_id, ordering_facility_id, panel_facility_id, \
                 oncotree_code, registered_at, shipped_at, registered_s, results_s, findings_s, \
                 reviewed_s, explained_s, signed_s, option_s, referral_s, confirmatory_s, \
                 treated_on FROM case_facts WHERE seq > $1",
            )
            .bind(after)
            .fetch_all(&self.pool),
            sqlx::query_as::<_, ConsentFactsRow>(
                "SELECT id, patient_id, given_at, registration, \
                 CASE WHEN secondary_use_academia = 1 OR secondary_use_industry = 1 THEN 1 \
                 ELSE 0 END AS secondary_use, withdrawn_at FROM consents WHERE facts_seq > $1",
            )
            .bind(after)
            .fetch_all(&self.pool),
        )?;
        Ok(FactsFeed {
            seq,
            cases: cases
                .into_iter()
                .map(FactsRow::into_facts)
                .collect::<Result<_, _>>()?,
            consents: consents
                .into_iter()
                .map(|c| {
                    Ok(ConsentFacts {
                        given_at: parse_time_col("consents", &c.given_at)?,
                        withdrawn_at: opt_time("consents", c.withdrawn_at)?,
                        id: c.id,
                        patient_id: c.patient_id,
                        registration: c.registration == 1,
                        secondary_use: c.secondary_use == 1,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
        })
    }

    async fn refresh_case_facts(&self, case_ids: &[String]) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        for id in case_ids {
            super::facts::refresh_case(&mut tx, self.backend, id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn indicator_meetings(
        &self,
        w: &IndicatorWindow,
    ) -> Result<Vec<MeetingCount>, StoreError> {
        let bounds: Vec<String> = w.month_first_days.iter().map(|d| date_text(*d)).collect();
        let month = month_case("m.held_on", &bounds);
        let mut sql = Sql::new();
        // Reviews are counted per meeting from the meeting index alone, then summed.
        sql.push(&format!(
            "SELECT panel_facility_id, month, COUNT(*) AS meetings, \
             CAST(SUM(reviews) AS BIGINT) AS reviews FROM (\
             SELECT m.panel_facility_id, {month} AS month, \
             (SELECT COUNT(*) FROM case_reviews r WHERE r.meeting_id = m.id) AS reviews \
             FROM panel_meetings m JOIN facilities f ON f.id = m.panel_facility_id \
             WHERE m.held_on >= '{}' AND m.held_on <= '{}'",
            date_text(w.first_day),
            date_text(w.last_day)
        ));
        if let Some(tier) = w.tier {
            sql.push(" AND f.kind = ").bind(tier.as_str());
        }
        if let Some(p) = &w.prefecture_code {
            sql.push(" AND f.prefecture_code = ").bind(p);
        }
        sql.push(") x GROUP BY panel_facility_id, month");
        sql.fetch(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(MeetingCount {
                    panel_facility_id: r.try_get("panel_facility_id")?,
                    month: month_index(r.try_get::<i64, _>("month")?),
                    meetings: r.try_get("meetings")?,
                    reviews: r.try_get("reviews")?,
                })
            })
            .collect()
    }

    async fn load_records(&self, b: &RecordBatch) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        super::facts::advance_clock(&mut tx).await?;
        for (p, by) in &b.patients {
            super::write_patient(&mut tx, p, by).await?;
        }
        for c in &b.consents {
            super::write_consent(&mut tx, c).await?;
        }
        for (c, by) in &b.cases {
            super::write_case(&mut tx, c, by).await?;
        }
        for (case_id, e) in &b.events {
            sqlx::query(
                "INSERT INTO case_events (case_id, seq, state, at, by_user, note) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(case_id.clone())
            .bind(e.seq)
            .bind(e.state.as_str())
            .bind(e.at.to_string())
            .bind(e.by_user.clone())
            .bind(e.note.clone())
            .execute(&mut *tx)
            .await?;
        }
        for m in &b.meetings {
            super::clinical::write_meeting(&mut tx, m).await?;
        }
        for r in &b.reviews {
            super::clinical::write_review(&mut tx, r, &r.created_by).await?;
        }
        for e in &b.explanations {
            super::clinical::write_explanation(&mut tx, e).await?;
        }
        for t in &b.treatments {
            super::clinical::write_treatment(&mut tx, t).await?;
        }
        // Indicator facts: new cases get theirs; cases of earlier batches that this one adds
        // events, reviews or treatments to are recomputed.
        sqlx::query(&super::facts::missing_sql(self.backend))
            .execute(&mut *tx)
            .await?;
        let new_cases: std::collections::HashSet<&str> =
            b.cases.iter().map(|(c, _)| c.id.as_str()).collect();
        let touched: std::collections::BTreeSet<&str> = b
            .events
            .iter()
            .map(|(id, _)| id.as_str())
            .chain(b.reviews.iter().map(|r| r.case_id.as_str()))
            .chain(b.treatments.iter().map(|t| t.case_id.as_str()))
            .filter(|id| !new_cases.contains(id))
            .collect();
        for id in touched {
            super::facts::refresh_case(&mut tx, self.backend, id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn refresh_statistics(&self) -> Result<(), StoreError> {
        let _w = self.write().await;
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(())
    }
}
