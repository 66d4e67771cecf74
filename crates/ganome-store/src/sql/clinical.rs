//! [`ClinicalStore`] over SQL: panel meetings, reviews, recommendations, explanations,
//! treatments and outcomes. Same portable SQL as the rest of [`SqlStore`].

use async_trait::async_trait;
use ganome_core::{RecistResponse, Timestamp};
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use super::{SqlStore, date_text, opt_time, parse_date_col, parse_time_col};
use crate::error::parse_col;
use crate::{
    AdverseEvent, Attendee, CaseReview, CaseScope, ClinicalFilter, ClinicalStore, Explanation,
    GermlineFollowUp, Outcome, PanelMeeting, Recommendation, SignOff, StoreError, Treatment,
};

/// Collects `WHERE` clauses with `$n` placeholders numbered in order.
#[derive(Default)]
struct Clauses {
    clauses: Vec<String>,
    binds: Vec<String>,
}

impl Clauses {
    fn push(&mut self, clause: &str, values: &[&str]) {
        let mut c = clause.to_owned();
        for v in values {
            self.binds.push((*v).to_owned());
            c = c.replacen('?', &format!("${}", self.binds.len()), 1);
        }
        self.clauses.push(c);
    }

    /// Restricts the cases table aliased `c` to a scope.
    fn scope(&mut self, scope: &CaseScope) {
        match scope {
            CaseScope::All => {}
            CaseScope::OrderedBy(f) => self.push("c.ordering_facility_id = ?", &[f]),
            CaseScope::OrderedByOrPanel(f) => self.push(
                "(c.ordering_facility_id = ? OR c.panel_facility_id = ?)",
                &[f, f],
            ),
            CaseScope::Lab(f) => self.push("c.lab_facility_id = ?", &[f]),
        }
    }

    /// The facility, case and date-range parts of a [`ClinicalFilter`], on the columns that
    /// hold them in the listing's query (`case_col` `None`: the listing has no case).
    fn filter(
        &mut self,
        f: &ClinicalFilter,
        facility_col: &str,
        case_col: Option<&str>,
        date_col: &str,
    ) {
        if let Some(fac) = &f.facility_id {
            self.push(&format!("{facility_col} = ?"), &[fac]);
        }
        if let (Some(col), Some(case)) = (case_col, &f.case_id) {
            self.push(&format!("{col} = ?"), &[case]);
        }
        if let Some(d) = f.from {
            self.push(&format!("{date_col} >= ?"), &[&date_text(d)]);
        }
        if let Some(d) = f.before {
            self.push(&format!("{date_col} < ?"), &[&date_text(d)]);
        }
    }

    fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

fn opt_date(table: &'static str, text: Option<String>) -> Result<Option<Date>, StoreError> {
    text.map(|d| parse_date_col(table, &d)).transpose()
}

fn meeting_from_row(row: &AnyRow) -> Result<PanelMeeting, StoreError> {
    const T: &str = "panel_meetings";
    Ok(PanelMeeting {
        id: row.try_get("id")?,
        panel_facility_id: row.try_get("panel_facility_id")?,
        held_on: parse_date_col(T, &row.try_get::<String, _>("held_on")?)?,
        mode: parse_col(T, &row.try_get::<String, _>("mode")?)?,
        sequencing_in_house: row.try_get::<i64, _>("sequencing_in_house")? != 0,
        chair_user_id: row.try_get("chair_user_id")?,
        attendees: Vec::new(),
        finalised_at: opt_time(T, row.try_get("finalised_at")?)?,
        created_by: row.try_get("created_by")?,
        created_at: parse_time_col(T, &row.try_get::<String, _>("created_at")?)?,
    })
}

const MEETING_COLS: &str = "m.id, m.panel_facility_id, m.held_on, m.mode, m.sequencing_in_house, \
    m.chair_user_id, m.finalised_at, m.created_by, m.created_at";

const REVIEW_COLS: &str = "r.id, r.case_id, r.meeting_id, r.findings_version, r.discussion, \
    r.germline_counselling_referral, r.germline_confirmatory_test, r.germline_note, \
    r.signed_off_at, r.created_by, r.created_at";

fn review_from_row(row: &AnyRow) -> Result<CaseReview, StoreError> {
    const T: &str = "case_reviews";
    Ok(CaseReview {
        id: row.try_get("id")?,
        case_id: row.try_get("case_id")?,
        meeting_id: row.try_get("meeting_id")?,
        findings_version: row.try_get("findings_version")?,
        discussion: row.try_get("discussion")?,
        germline: GermlineFollowUp {
            counselling_referral: row.try_get::<i64, _>("germline_counselling_referral")? != 0,
            confirmatory_test: row.try_get::<i64, _>("germline_confirmatory_test")? != 0,
            note: row.try_get("germline_note")?,
        },
        recommendations: Vec::new(),
        signoffs: Vec::new(),
        signed_off_at: opt_time(T, row.try_get("signed_off_at")?)?,
        created_by: row.try_get("created_by")?,
        created_at: parse_time_col(T, &row.try_get::<String, _>("created_at")?)?,
    })
}

const REC_COLS: &str = "id, review_id, case_id, ordinal, drug, biomarker, evidence_level, access_route, trial_id, note";

fn recommendation_from_row(row: &AnyRow) -> Result<Recommendation, StoreError> {
    const T: &str = "recommendations";
    Ok(Recommendation {
        id: row.try_get("id")?,
        review_id: row.try_get("review_id")?,
        case_id: row.try_get("case_id")?,
        ordinal: row.try_get("ordinal")?,
        drug: row.try_get("drug")?,
        biomarker: row.try_get("biomarker")?,
        evidence_level: parse_col(T, &row.try_get::<String, _>("evidence_level")?)?,
        access_route: parse_col(T, &row.try_get::<String, _>("access_route")?)?,
        trial_id: row.try_get("trial_id")?,
        note: row.try_get("note")?,
    })
}

const TREATMENT_COLS: &str = "t.id, t.case_id, t.line, t.regimen, t.started_on, t.ended_on, \
    t.recommendation_id, t.access_route, t.not_given_reason, t.best_response, t.progression_on, \
    t.recorded_by, t.recorded_at, t.updated_at";

fn treatment_from_row(row: &AnyRow) -> Result<Treatment, StoreError> {
    const T: &str = "treatments";
    Ok(Treatment {
        id: row.try_get("id")?,
        case_id: row.try_get("case_id")?,
        line: row.try_get("line")?,
        regimen: row.try_get("regimen")?,
        started_on: parse_date_col(T, &row.try_get::<String, _>("started_on")?)?,
        ended_on: opt_date(T, row.try_get("ended_on")?)?,
        recommendation_id: row.try_get("recommendation_id")?,
        access_route: parse_col(T, &row.try_get::<String, _>("access_route")?)?,
        not_given_reason: row.try_get("not_given_reason")?,
        best_response: row
            .try_get::<Option<String>, _>("best_response")?
            .map(|s| parse_col::<RecistResponse>(T, &s))
            .transpose()?,
        progression_on: opt_date(T, row.try_get("progression_on")?)?,
        adverse_events: Vec::new(),
        recorded_by: row.try_get("recorded_by")?,
        recorded_at: parse_time_col(T, &row.try_get::<String, _>("recorded_at")?)?,
        updated_at: parse_time_col(T, &row.try_get::<String, _>("updated_at")?)?,
    })
}

impl SqlStore {
    async fn attendees(&self, meeting_id: &str) -> Result<Vec<Attendee>, StoreError> {
        let rows = sqlx::query(
            "SELECT name, panel_role, user_id FROM panel_attendees WHERE meeting_id = $1 ORDER BY seq",
        )
        .bind(meeting_id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Attendee {
                    name: row.try_get("name")?,
                    panel_role: parse_col(
                        "panel_attendees",
                        &row.try_get::<String, _>("panel_role")?,
                    )?,
                    user_id: row.try_get("user_id")?,
                })
            })
            .collect()
    }

    async fn fill_review(&self, review: &mut CaseReview) -> Result<(), StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {REC_COLS} FROM recommendations WHERE review_id = $1 ORDER BY ordinal"
        ))
        .bind(review.id.clone())
        .fetch_all(&self.pool)
        .await?;
        review.recommendations = rows
            .iter()
            .map(recommendation_from_row)
            .collect::<Result<_, _>>()?;
        let rows = sqlx::query(
            "SELECT user_id, signed_at FROM review_signoffs WHERE review_id = $1 \
             ORDER BY signed_at, user_id",
        )
        .bind(review.id.clone())
        .fetch_all(&self.pool)
        .await?;
        review.signoffs = rows
            .iter()
            .map(|row| {
                Ok(SignOff {
                    user_id: row.try_get("user_id")?,
                    signed_at: parse_time_col(
                        "review_signoffs",
                        &row.try_get::<String, _>("signed_at")?,
                    )?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(())
    }

    async fn adverse_events(&self, treatment_id: &str) -> Result<Vec<AdverseEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, ctcae_term, grade, onset_on, recorded_at FROM adverse_events \
             WHERE treatment_id = $1 ORDER BY seq",
        )
        .bind(treatment_id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AdverseEvent {
                    seq: row.try_get("seq")?,
                    ctcae_term: row.try_get("ctcae_term")?,
                    grade: row.try_get("grade")?,
                    onset_on: opt_date("adverse_events", row.try_get("onset_on")?)?,
                    recorded_at: parse_time_col(
                        "adverse_events",
                        &row.try_get::<String, _>("recorded_at")?,
                    )?,
                })
            })
            .collect()
    }
}

#[async_trait]
impl ClinicalStore for SqlStore {
    async fn insert_meeting(&self, m: &PanelMeeting) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        write_meeting(&mut tx, m).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_meeting(&self, id: &str) -> Result<Option<PanelMeeting>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {MEETING_COLS} FROM panel_meetings m WHERE m.id = $1"
        ))
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut m = meeting_from_row(&row)?;
        m.attendees = self.attendees(id).await?;
        Ok(Some(m))
    }

    async fn list_meetings(&self, f: &ClinicalFilter) -> Result<Vec<PanelMeeting>, StoreError> {
        let mut c = Clauses::default();
        c.filter(f, "m.panel_facility_id", None, "m.held_on");
        let sql = format!(
            "SELECT {MEETING_COLS} FROM panel_meetings m {} ORDER BY m.held_on, m.id LIMIT {}",
            c.where_sql(),
            f.limit.clamp(1, 100_000)
        );
        let mut q = sqlx::query(&sql);
        for b in c.binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut m = meeting_from_row(row)?;
            m.attendees = self.attendees(&m.id).await?;
            out.push(m);
        }
        Ok(out)
    }

    async fn finalise_meeting(&self, id: &str, at: Timestamp) -> Result<(), StoreError> {
        let _w = self.write().await;
        let done = sqlx::query(
            "UPDATE panel_meetings SET finalised_at = $1 WHERE id = $2 AND finalised_at IS NULL",
        )
        .bind(at.to_string())
        .bind(id.to_owned())
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!(
                "meeting {id} does not exist or is already finalised"
            )));
        }
        Ok(())
    }

    async fn insert_review(&self, r: &CaseReview, created_by: &str) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        let inserted = write_review(&mut tx, r, created_by).await;
        match inserted {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                tx.rollback().await?;
                return Err(StoreError::Conflict(format!(
                    "case {} is already on the agenda of meeting {}",
                    r.case_id, r.meeting_id
                )));
            }
            Err(e) => return Err(e.into()),
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_review(&self, id: &str) -> Result<Option<CaseReview>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {REVIEW_COLS} FROM case_reviews r WHERE r.id = $1"
        ))
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut r = review_from_row(&row)?;
        self.fill_review(&mut r).await?;
        Ok(Some(r))
    }

    async fn list_reviews(&self, f: &ClinicalFilter) -> Result<Vec<CaseReview>, StoreError> {
        let mut c = Clauses::default();
        c.scope(&f.scope);
        c.filter(f, "m.panel_facility_id", Some("r.case_id"), "m.held_on");
        let sql = format!(
            "SELECT {REVIEW_COLS} FROM case_reviews r \
             JOIN cases c ON c.id = r.case_id JOIN panel_meetings m ON m.id = r.meeting_id \
             {} ORDER BY m.held_on, r.created_at, r.id LIMIT {}",
            c.where_sql(),
            f.limit.clamp(1, 100_000)
        );
        let mut q = sqlx::query(&sql);
        for b in c.binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut r = review_from_row(row)?;
            self.fill_review(&mut r).await?;
            out.push(r);
        }
        Ok(out)
    }

    async fn sign_off_review(
        &self,
        review_id: &str,
        user_id: &str,
        at: Timestamp,
        must_sign: &[String],
    ) -> Result<bool, StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "INSERT INTO review_signoffs (review_id, user_id, signed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (review_id, user_id) DO NOTHING",
        )
        .bind(review_id.to_owned())
        .bind(user_id.to_owned())
        .bind(at.to_string())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Err(StoreError::Conflict(format!(
                "you have already signed off review {review_id}"
            )));
        }
        let signed: Vec<(String,)> =
            sqlx::query_as("SELECT user_id FROM review_signoffs WHERE review_id = $1")
                .bind(review_id.to_owned())
                .fetch_all(&mut *tx)
                .await?;
        let complete = must_sign.iter().all(|u| signed.iter().any(|(s,)| s == u));
        if complete {
            let stamped = sqlx::query(
                "UPDATE case_reviews SET signed_off_at = $1 WHERE id = $2 AND signed_off_at IS NULL",
            )
            .bind(at.to_string())
            .bind(review_id.to_owned())
            .execute(&mut *tx)
            .await?;
            if stamped.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(StoreError::Conflict(format!(
                    "review {review_id} is already signed off"
                )));
            }
            let (case_id,): (String,) =
                sqlx::query_as("SELECT case_id FROM case_reviews WHERE id = $1")
                    .bind(review_id.to_owned())
                    .fetch_one(&mut *tx)
                    .await?;
            let note = format!("review {review_id} signed off");
            super::move_case(
                &mut tx,
                self.backend,
                &case_id,
                ganome_core::CaseState::FindingsIssued,
                ganome_core::CaseState::PanelReviewed,
                at,
                user_id,
                Some(&note),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(complete)
    }

    async fn get_recommendation(&self, id: &str) -> Result<Option<Recommendation>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {REC_COLS} FROM recommendations WHERE id = $1"
        ))
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(recommendation_from_row).transpose()
    }

    async fn insert_explanation(&self, e: &Explanation) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut conn = self.pool.acquire().await?;
        write_explanation(&mut conn, e).await?;
        Ok(())
    }

    async fn list_explanations(&self, case_id: &str) -> Result<Vec<Explanation>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, case_id, explained_on, explained_by, note, recorded_by, recorded_at \
             FROM explanations WHERE case_id = $1 ORDER BY recorded_at, id",
        )
        .bind(case_id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                const T: &str = "explanations";
                Ok(Explanation {
                    id: row.try_get("id")?,
                    case_id: row.try_get("case_id")?,
                    explained_on: parse_date_col(T, &row.try_get::<String, _>("explained_on")?)?,
                    explained_by: row.try_get("explained_by")?,
                    note: row.try_get("note")?,
                    recorded_by: row.try_get("recorded_by")?,
                    recorded_at: parse_time_col(T, &row.try_get::<String, _>("recorded_at")?)?,
                })
            })
            .collect()
    }

    async fn insert_treatment(&self, t: &Treatment) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        write_treatment(&mut tx, t).await?;
        super::facts::refresh_case(&mut tx, self.backend, &t.case_id).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_treatment(&self, id: &str) -> Result<Option<Treatment>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {TREATMENT_COLS} FROM treatments t WHERE t.id = $1"
        ))
        .bind(id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut t = treatment_from_row(&row)?;
        t.adverse_events = self.adverse_events(id).await?;
        Ok(Some(t))
    }

    async fn list_treatments(&self, f: &ClinicalFilter) -> Result<Vec<Treatment>, StoreError> {
        let mut c = Clauses::default();
        c.scope(&f.scope);
        c.filter(
            f,
            "c.ordering_facility_id",
            Some("t.case_id"),
            "t.started_on",
        );
        let sql = format!(
            "SELECT {TREATMENT_COLS} FROM treatments t JOIN cases c ON c.id = t.case_id \
             {} ORDER BY t.started_on, t.line, t.id LIMIT {}",
            c.where_sql(),
            f.limit.clamp(1, 100_000)
        );
        let mut q = sqlx::query(&sql);
        for b in c.binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut t = treatment_from_row(row)?;
            t.adverse_events = self.adverse_events(&t.id).await?;
            out.push(t);
        }
        Ok(out)
    }

    async fn set_treatment_response(
        &self,
        id: &str,
        best_response: Option<RecistResponse>,
        progression_on: Option<Date>,
        ended_on: Option<Date>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let _w = self.write().await;
        let done = sqlx::query(
            "UPDATE treatments SET best_response = $1, progression_on = $2, \
             ended_on = COALESCE($3, ended_on), updated_at = $4 WHERE id = $5",
        )
        .bind(best_response.map(|r| r.as_str()))
        .bind(progression_on.map(date_text))
        .bind(ended_on.map(date_text))
        .bind(at.to_string())
        .bind(id.to_owned())
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!("treatment {id} vanished")));
        }
        Ok(())
    }

    async fn add_adverse_event(
        &self,
        treatment_id: &str,
        ctcae_term: &str,
        grade: i64,
        onset_on: Option<Date>,
        at: Timestamp,
    ) -> Result<i64, StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        let (next,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM adverse_events WHERE treatment_id = $1",
        )
        .bind(treatment_id.to_owned())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO adverse_events (treatment_id, seq, ctcae_term, grade, onset_on, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(treatment_id.to_owned())
        .bind(next)
        .bind(ctcae_term.to_owned())
        .bind(grade)
        .bind(onset_on.map(date_text))
        .bind(at.to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE treatments SET updated_at = $1 WHERE id = $2")
            .bind(at.to_string())
            .bind(treatment_id.to_owned())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(next)
    }

    async fn insert_outcome(&self, o: &Outcome) -> Result<(), StoreError> {
        let _w = self.write().await;
        sqlx::query(
            "INSERT INTO outcomes (id, case_id, vital_status, last_contact_on, cause_of_death, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(o.id.clone())
        .bind(o.case_id.clone())
        .bind(o.vital_status.as_str())
        .bind(date_text(o.last_contact_on))
        .bind(o.cause_of_death.clone())
        .bind(o.recorded_by.clone())
        .bind(o.recorded_at.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn list_outcomes(&self, case_id: &str) -> Result<Vec<Outcome>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, case_id, vital_status, last_contact_on, cause_of_death, recorded_by, \
             recorded_at FROM outcomes WHERE case_id = $1 ORDER BY recorded_at, id",
        )
        .bind(case_id.to_owned())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                const T: &str = "outcomes";
                Ok(Outcome {
                    id: row.try_get("id")?,
                    case_id: row.try_get("case_id")?,
                    vital_status: parse_col(T, &row.try_get::<String, _>("vital_status")?)?,
                    last_contact_on: parse_date_col(
                        T,
                        &row.try_get::<String, _>("last_contact_on")?,
                    )?,
                    cause_of_death: row.try_get("cause_of_death")?,
                    recorded_by: row.try_get("recorded_by")?,
                    recorded_at: parse_time_col(T, &row.try_get::<String, _>("recorded_at")?)?,
                })
            })
            .collect()
    }
}

/// Writes a meeting and its attendees (the workflow and the bulk loader share it).
pub(super) async fn write_meeting(
    conn: &mut sqlx::AnyConnection,
    m: &PanelMeeting,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO panel_meetings (id, panel_facility_id, held_on, mode, sequencing_in_house, \
         chair_user_id, finalised_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(m.id.clone())
    .bind(m.panel_facility_id.clone())
    .bind(date_text(m.held_on))
    .bind(m.mode.as_str())
    .bind(i64::from(m.sequencing_in_house))
    .bind(m.chair_user_id.clone())
    .bind(m.finalised_at.map(|t| t.to_string()))
    .bind(m.created_by.clone())
    .bind(m.created_at.to_string())
    .execute(&mut *conn)
    .await?;
    for (i, a) in m.attendees.iter().enumerate() {
        sqlx::query(
            "INSERT INTO panel_attendees (meeting_id, seq, name, panel_role, user_id) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(m.id.clone())
        .bind(i as i64 + 1)
        .bind(a.name.clone())
        .bind(a.panel_role.as_str())
        .bind(a.user_id.clone())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Writes a review with its recommendations and sign-offs (a new review has neither
/// sign-offs nor a sign-off time).
pub(super) async fn write_review(
    conn: &mut sqlx::AnyConnection,
    r: &CaseReview,
    created_by: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_reviews (id, case_id, meeting_id, findings_version, discussion, \
         germline_counselling_referral, germline_confirmatory_test, germline_note, \
         signed_off_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(r.id.clone())
    .bind(r.case_id.clone())
    .bind(r.meeting_id.clone())
    .bind(r.findings_version.clone())
    .bind(r.discussion.clone())
    .bind(i64::from(r.germline.counselling_referral))
    .bind(i64::from(r.germline.confirmatory_test))
    .bind(r.germline.note.clone())
    .bind(r.signed_off_at.map(|t| t.to_string()))
    .bind(created_by.to_owned())
    .bind(r.created_at.to_string())
    .execute(&mut *conn)
    .await?;
    for rec in &r.recommendations {
        sqlx::query(&format!(
            "INSERT INTO recommendations ({REC_COLS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))
        .bind(rec.id.clone())
        .bind(r.id.clone())
        .bind(r.case_id.clone())
        .bind(rec.ordinal)
        .bind(rec.drug.clone())
        .bind(rec.biomarker.clone())
        .bind(rec.evidence_level.as_str())
        .bind(rec.access_route.as_str())
        .bind(rec.trial_id.clone())
        .bind(rec.note.clone())
        .execute(&mut *conn)
        .await?;
    }
    for so in &r.signoffs {
        sqlx::query(
            "INSERT INTO review_signoffs (review_id, user_id, signed_at) VALUES ($1, $2, $3)",
        )
        .bind(r.id.clone())
        .bind(so.user_id.clone())
        .bind(so.signed_at.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Writes an explanation.
pub(super) async fn write_explanation(
    conn: &mut sqlx::AnyConnection,
    e: &Explanation,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO explanations (id, case_id, explained_on, explained_by, note, recorded_by, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.id.clone())
    .bind(e.case_id.clone())
    .bind(date_text(e.explained_on))
    .bind(e.explained_by.clone())
    .bind(e.note.clone())
    .bind(e.recorded_by.clone())
    .bind(e.recorded_at.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes a treatment row (adverse events are written on their own).
pub(super) async fn write_treatment(
    conn: &mut sqlx::AnyConnection,
    t: &Treatment,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO treatments (id, case_id, line, regimen, started_on, ended_on, \
         recommendation_id, access_route, not_given_reason, best_response, progression_on, \
         recorded_by, recorded_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(t.id.clone())
    .bind(t.case_id.clone())
    .bind(t.line)
    .bind(t.regimen.clone())
    .bind(date_text(t.started_on))
    .bind(t.ended_on.map(date_text))
    .bind(t.recommendation_id.clone())
    .bind(t.access_route.as_str())
    .bind(t.not_given_reason.clone())
    .bind(t.best_response.map(|r| r.as_str()))
    .bind(t.progression_on.map(date_text))
    .bind(t.recorded_by.clone())
    .bind(t.recorded_at.to_string())
    .bind(t.updated_at.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
