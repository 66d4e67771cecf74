//! [`IndicatorStore`] over SQL, written once for SQLite and PostgreSQL: the facts feed
//! (rows stamped after a clock value), the meetings aggregate, the bulk loader. Window
//! bounds are generated date text (digits and dashes) and are inlined as literals;
//! user-given filters are bound. Months are split by a `CASE` over the month bounds, so
//! grouping by Japanese calendar month needs no time-zone functions.

use async_trait::async_trait;
use sqlx::Row;

use super::{SqlStore, date_text, parse_date_col, parse_time_col};
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

/// The columns of a facts row, in the order [`case_facts_of`] reads them.
const FACTS_COLUMNS: [&str; 17] = [
    "case_id",
    "patient_id",
    "ordering_facility_id",
    "panel_facility_id",
    "oncotree_code",
    "registered_at",
    "shipped_at",
    "registered_s",
    "results_s",
    "findings_s",
    "reviewed_s",
    "explained_s",
    "signed_s",
    "option_s",
    "referral_s",
    "confirmatory_s",
    "treated_on",
];

/// The consent columns the indicators read, in the order [`consent_facts_of`] reads them.
const CONSENT_COLUMNS: [&str; 6] = [
    "id",
    "patient_id",
    "given_at",
    "registration",
    "CASE WHEN secondary_use_academia = 1 OR secondary_use_industry = 1 THEN 1 ELSE 0 END",
    "withdrawn_at",
];

/// One text value per row: the columns as text joined by `|`, NULL as empty. The feed is
/// read this way because the database driver's cost is per value (through `sqlx::Any`, 17
/// columns × 100,000 cases took 1.2 s on SQLite; one packed column takes 0.3 s). Every
/// packed value is an id, a code, a time, a date or a number, none of which holds a `|`;
/// a row with another number of fields is reported as corrupt.
fn packed(columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| format!("COALESCE(CAST({c} AS TEXT), '')"))
        .collect::<Vec<_>>()
        .join(" || '|' || ")
}

/// Splits a packed row into exactly `N` fields.
fn fields<'a, const N: usize>(
    table: &'static str,
    line: &'a str,
) -> Result<[&'a str; N], StoreError> {
    let mut out = [""; N];
    let mut parts = line.split('|');
    for slot in &mut out {
        *slot = parts.next().ok_or_else(|| corrupt(table, line))?;
    }
    if parts.next().is_some() {
        return Err(corrupt(table, line));
    }
    Ok(out)
}

fn corrupt(table: &'static str, line: &str) -> StoreError {
    StoreError::Corrupt {
        table,
        message: format!("unexpected indicator facts row '{line}'"),
    }
}

fn opt_text(v: &str) -> Option<&str> {
    (!v.is_empty()).then_some(v)
}

fn opt_int(table: &'static str, v: &str) -> Result<Option<i64>, StoreError> {
    opt_text(v)
        .map(|v| {
            v.parse().map_err(|_| StoreError::Corrupt {
                table,
                message: format!("'{v}' is not a number"),
            })
        })
        .transpose()
}

fn case_facts_of(line: &str) -> Result<CaseFacts, StoreError> {
    const T: &str = "case_facts";
    let f: [&str; 17] = fields(T, line)?;
    Ok(CaseFacts {
        case_id: f[0].to_owned(),
        patient_id: f[1].to_owned(),
        ordering_facility_id: f[2].to_owned(),
        panel_facility_id: f[3].to_owned(),
        oncotree_code: f[4].to_owned(),
        registered_at: parse_time_col(T, f[5])?,
        shipped_at: opt_text(f[6]).map(|t| parse_time_col(T, t)).transpose()?,
        registered_s: opt_int(T, f[7])?,
        results_s: opt_int(T, f[8])?,
        findings_s: opt_int(T, f[9])?,
        reviewed_s: opt_int(T, f[10])?,
        explained_s: opt_int(T, f[11])?,
        signed_s: opt_int(T, f[12])?,
        option_s: opt_int(T, f[13])?,
        referral_s: opt_int(T, f[14])?,
        confirmatory_s: opt_int(T, f[15])?,
        treated_on: opt_text(f[16]).map(|d| parse_date_col(T, d)).transpose()?,
    })
}

fn consent_facts_of(line: &str) -> Result<ConsentFacts, StoreError> {
    const T: &str = "consents";
    let f: [&str; 6] = fields(T, line)?;
    Ok(ConsentFacts {
        id: f[0].to_owned(),
        patient_id: f[1].to_owned(),
        given_at: parse_time_col(T, f[2])?,
        registration: f[3] == "1",
        secondary_use: f[4] == "1",
        withdrawn_at: opt_text(f[5]).map(|t| parse_time_col(T, t)).transpose()?,
    })
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
        let cases_sql = format!(
            "SELECT {} FROM case_facts WHERE seq > $1",
            packed(&FACTS_COLUMNS)
        );
        let consents_sql = format!(
            "SELECT {} FROM consents WHERE facts_seq > $1",
            packed(&CONSENT_COLUMNS)
        );
        let (cases, consents) = tokio::try_join!(
            sqlx::query_as::<_, (String,)>(&cases_sql)
                .bind(after)
                .fetch_all(&self.pool),
            sqlx::query_as::<_, (String,)>(&consents_sql)
                .bind(after)
                .fetch_all(&self.pool),
        )?;
        Ok(FactsFeed {
            seq,
            cases: cases
                .iter()
                .map(|(l,)| case_facts_of(l))
                .collect::<Result<_, _>>()?,
            consents: consents
                .iter()
                .map(|(l,)| consent_facts_of(l))
                .collect::<Result<_, _>>()?,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_rows_read_back_with_nulls_and_refuse_other_shapes() {
        let line = "c1|p1|K001|C01|LUAD|2019-06-03T01:00:00Z||1559523600|||||||||";
        let f = case_facts_of(line).unwrap();
        assert_eq!(f.ordering_facility_id, "K001");
        assert_eq!(f.shipped_at, None);
        assert_eq!(f.registered_s, Some(1_559_523_600));
        assert_eq!(f.treated_on, None);
        assert!(matches!(
            case_facts_of("c1|p1|K001"),
            Err(StoreError::Corrupt {
                table: "case_facts",
                ..
            })
        ));
        assert!(case_facts_of(&format!("{line}|extra")).is_err());
        assert!(case_facts_of(&line.replace("|1559523600|", "|soon|")).is_err());
        let c = consent_facts_of("k1|p1|2019-06-01T00:00:00Z|1|0|").unwrap();
        assert!(c.registration && !c.secondary_use && c.withdrawn_at.is_none());
        assert!(packed(&["a", "b"]).contains("COALESCE(CAST(b AS TEXT), '')"));
    }
}
