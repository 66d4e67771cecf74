//! [`IndicatorStore`] over SQL: aggregate queries written once for SQLite and PostgreSQL.
//! Window bounds are generated [`Timestamp`]/date text (digits, dashes, colons) and are
//! inlined as literals; user-given filters are bound. Months are split by a `CASE` over the
//! month bounds, so grouping by Japanese calendar month needs no time-zone functions; only
//! turning a time into epoch seconds differs by backend ([`epoch`]).

use async_trait::async_trait;
use ganome_core::{CaseState, Timestamp};
use sqlx::Row;

use super::{SqlStore, date_text, parse_time_col};
use crate::{
    DurationCount, FirstTest, IndicatorStore, IndicatorWindow, Interval, MeetingCount,
    PatientCounts, RecordBatch, StoreError, TestCount,
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

    /// The tested cases of the window, from `case_facts`: `tested(case_id, patient_id,
    /// facility_id, panel_facility_id, shipped_at, registered_s, results_s, findings_s,
    /// reviewed_s, explained_s, signed_s, option_s, referral_s, confirmatory_s, treated_on)`,
    /// as the first common table expression. Facilities are joined only to filter by tier or
    /// prefecture.
    fn tested_cte(&mut self, w: &IndicatorWindow) -> &mut Sql {
        let by_facility = w.tier.is_some() || w.prefecture_code.is_some();
        self.push(&format!(
            "tested AS (SELECT cf.case_id, cf.patient_id, cf.ordering_facility_id AS facility_id, \
             cf.panel_facility_id, cf.shipped_at, cf.registered_s, cf.results_s, cf.findings_s, \
             cf.reviewed_s, cf.explained_s, cf.signed_s, cf.option_s, cf.referral_s, \
             cf.confirmatory_s, cf.treated_on \
             FROM case_facts cf{} \
             WHERE cf.shipped_at >= '{}' AND cf.shipped_at < '{}'",
            if by_facility {
                " JOIN facilities f ON f.id = cf.ordering_facility_id"
            } else {
                ""
            },
            w.from,
            w.until
        ));
        if let Some(tier) = w.tier {
            self.push(" AND f.kind = ").bind(tier.as_str());
        }
        if let Some(p) = &w.prefecture_code {
            self.push(" AND f.prefecture_code = ").bind(p);
        }
        if let Some(o) = &w.oncotree_code {
            self.push(" AND cf.oncotree_code = ").bind(o);
        }
        self.push(")")
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

#[async_trait]
impl IndicatorStore for SqlStore {
    async fn indicator_tests(&self, w: &IndicatorWindow) -> Result<Vec<TestCount>, StoreError> {
        let bounds: Vec<String> = w.month_bounds.iter().map(|t| t.to_string()).collect();
        let mut sql = Sql::new();
        sql.push("WITH ").tested_cte(w).push(&format!(
            " SELECT facility_id, panel_facility_id, {} AS month, COUNT(*) AS tests \
             FROM tested GROUP BY facility_id, panel_facility_id, {}",
            month_case("shipped_at", &bounds),
            month_case("shipped_at", &bounds),
        ));
        sql.fetch(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(TestCount {
                    facility_id: r.try_get("facility_id")?,
                    panel_facility_id: r.try_get("panel_facility_id")?,
                    month: month_index(r.try_get::<i64, _>("month")?),
                    tests: r.try_get("tests")?,
                })
            })
            .collect()
    }

    async fn indicator_patients(
        &self,
        w: &IndicatorWindow,
    ) -> Result<Vec<PatientCounts>, StoreError> {
        let until = w.until.to_string();
        let until_s = w.until.unix();
        let last_day = date_text(w.last_day);
        let mut sql = Sql::new();
        // One pass over the tested cases' facts with one index seek each (the consent in
        // force), the signed-off reviews folded into one code, then per patient, then per
        // facility. Review code: 1 reviewed + 2 referral + 4 confirmatory
        // + 8 option presented; NULL when not reviewed.
        sql.push("WITH ").tested_cte(w).push(&format!(
            ", pc AS (SELECT t.facility_id, t.patient_id, \
                (SELECT CASE WHEN co.withdrawn_at IS NOT NULL AND co.withdrawn_at < '{until}' THEN 0 \
                    ELSE co.registration * 2 + CASE WHEN co.secondary_use_academia = 1 OR co.secondary_use_industry = 1 THEN 1 ELSE 0 END END \
                 FROM consents co WHERE co.patient_id = t.patient_id AND co.given_at < '{until}' \
                 ORDER BY co.given_at DESC LIMIT 1) AS consent, \
                CASE WHEN t.signed_s < {until_s} THEN 1 \
                    + CASE WHEN t.referral_s < {until_s} THEN 2 ELSE 0 END \
                    + CASE WHEN t.confirmatory_s < {until_s} THEN 4 ELSE 0 END \
                    + CASE WHEN t.option_s < {until_s} THEN 8 ELSE 0 END END AS review, \
                CASE WHEN t.treated_on <= '{last_day}' THEN 1 ELSE 0 END AS treated \
                FROM tested t), \
             pp AS (SELECT patient_id, MIN(facility_id) AS facility_id, MAX(consent) AS consent, \
                MAX(CASE WHEN review IS NULL THEN 0 ELSE 1 END) AS reviewed, \
                MAX(CASE WHEN review IS NULL THEN 0 ELSE (review / 8) % 2 END) AS opt, \
                SUM(CASE WHEN review IS NULL THEN 0 ELSE (review / 2) % 2 END) AS referrals, \
                SUM(CASE WHEN review IS NULL THEN 0 ELSE (review / 4) % 2 END) AS confirmatory, \
                MAX(treated) AS treated FROM pc GROUP BY patient_id) \
             SELECT facility_id, COUNT(*) AS patients, \
                CAST(SUM(CASE WHEN consent >= 2 THEN 1 ELSE 0 END) AS BIGINT) AS consent_registration, \
                CAST(SUM(CASE WHEN consent = 1 OR consent = 3 THEN 1 ELSE 0 END) AS BIGINT) AS consent_secondary_use, \
                CAST(SUM(CASE WHEN consent = 3 THEN 1 ELSE 0 END) AS BIGINT) AS consent_both, \
                CAST(SUM(reviewed) AS BIGINT) AS reviewed, \
                CAST(SUM(opt) AS BIGINT) AS option_presented, \
                CAST(SUM(treated) AS BIGINT) AS treated, \
                CAST(SUM(referrals) AS BIGINT) AS referrals, \
                CAST(SUM(confirmatory) AS BIGINT) AS confirmatory \
             FROM pp GROUP BY facility_id"
        ));
        sql.fetch(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(PatientCounts {
                    facility_id: r.try_get("facility_id")?,
                    patients: r.try_get("patients")?,
                    consent_registration: r.try_get("consent_registration")?,
                    consent_secondary_use: r.try_get("consent_secondary_use")?,
                    consent_both: r.try_get("consent_both")?,
                    reviewed: r.try_get("reviewed")?,
                    option_presented: r.try_get("option_presented")?,
                    treated_on_recommendation: r.try_get("treated")?,
                    germline_referrals: r.try_get("referrals")?,
                    confirmatory_tests: r.try_get("confirmatory")?,
                })
            })
            .collect()
    }

    async fn indicator_durations(
        &self,
        w: &IndicatorWindow,
    ) -> Result<Vec<DurationCount>, StoreError> {
        let until_s = w.until.unix();
        let col = |s: CaseState| s.as_str().to_owned();
        let mut sql = Sql::new();
        // Per tested case, the first time of each state (epoch seconds, from its facts) when
        // it falls before the window's end.
        let pivot: Vec<String> = [
            (CaseState::Registered, "registered_s"),
            (CaseState::ResultsReceived, "results_s"),
            (CaseState::FindingsIssued, "findings_s"),
            (CaseState::PanelReviewed, "reviewed_s"),
            (CaseState::Explained, "explained_s"),
        ]
        .iter()
        .map(|(st, c)| format!("CASE WHEN t.{c} < {until_s} THEN t.{c} END AS {}", col(*st)))
        .collect();
        sql.push("WITH ").tested_cte(w).push(&format!(
            ", ev AS (SELECT {} FROM tested t) ",
            pivot.join(", ")
        ));
        let parts: Vec<String> = Interval::ALL
            .iter()
            .map(|i| {
                let (a, b) = i.states();
                let (a, b) = (col(a), col(b));
                format!(
                    "SELECT '{}' AS step, ({b} - {a}) / 86400 AS days, COUNT(*) AS cases FROM ev \
                     WHERE {a} IS NOT NULL AND {b} IS NOT NULL GROUP BY ({b} - {a}) / 86400",
                    i.as_str()
                )
            })
            .collect();
        sql.push(&parts.join(" UNION ALL "));
        sql.fetch(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let name: String = r.try_get("step")?;
                let interval = Interval::ALL
                    .into_iter()
                    .find(|i| i.as_str() == name)
                    .ok_or_else(|| StoreError::Corrupt {
                        table: "case_events",
                        message: format!("unknown interval {name}"),
                    })?;
                Ok(DurationCount {
                    interval,
                    days: r.try_get("days")?,
                    cases: r.try_get("cases")?,
                })
            })
            .collect()
    }

    async fn indicator_meetings(
        &self,
        w: &IndicatorWindow,
    ) -> Result<Vec<MeetingCount>, StoreError> {
        let bounds: Vec<String> = w.month_first_days.iter().map(|d| date_text(*d)).collect();
        let month = month_case("m.held_on", &bounds);
        let mut sql = Sql::new();
        sql.push(&format!(
            "SELECT m.panel_facility_id, {month} AS month, COUNT(DISTINCT m.id) AS meetings, \
             COUNT(r.id) AS reviews FROM panel_meetings m \
             JOIN facilities f ON f.id = m.panel_facility_id \
             LEFT JOIN case_reviews r ON r.meeting_id = m.id \
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
        sql.push(&format!(" GROUP BY m.panel_facility_id, {month}"));
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

    async fn indicator_first_tests(&self, until: Timestamp) -> Result<Vec<FirstTest>, StoreError> {
        // Two index seeks per facility (cases_ordering, cases_panel) instead of a scan of
        // every test: a facility has started when it has ordered a case or had one referred.
        let sql = format!(
            "SELECT f.id AS facility_id, \
             (SELECT MIN(c.registered_at) FROM cases c WHERE c.ordering_facility_id = f.id AND c.registered_at < '{until}') AS ordered, \
             (SELECT MIN(c.registered_at) FROM cases c WHERE c.panel_facility_id = f.id AND c.registered_at < '{until}') AS referred \
             FROM facilities f"
        );
        let mut out = Vec::new();
        for r in sqlx::query(&sql).fetch_all(&self.pool).await? {
            let first = [
                r.try_get::<Option<String>, _>("ordered")?,
                r.try_get::<Option<String>, _>("referred")?,
            ]
            .into_iter()
            .flatten()
            .min();
            if let Some(at) = first {
                out.push(FirstTest {
                    facility_id: r.try_get("facility_id")?,
                    at: parse_time_col("cases", &at)?,
                });
            }
        }
        Ok(out)
    }

    async fn load_records(&self, b: &RecordBatch) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
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
