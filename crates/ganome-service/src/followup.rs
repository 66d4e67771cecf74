//! After the panel: the results explained to the patient (→ `explained`), treatments with the
//! recommendation they follow (or why a recommended drug was not given), their response and
//! adverse events, and the outcome. The first treatment or outcome moves the case to
//! `followed_up`; every record is stamped with the time it was made.

use ganome_core::{
    AccessRoute, CaseState, RecistResponse, Timestamp, ValidationErrors, VitalStatus,
};
use ganome_store::{Case, CaseReview, Explanation, Outcome, Treatment};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::ids::new_id;
use crate::panel::ClinicalListQuery;
use crate::{Actor, Ganome, ServiceError, TransitionRequest, access};

/// The explanation of results to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordExplanation {
    /// Date explained.
    #[schema(value_type = String, format = Date)]
    pub explained_on: Date,
    /// Who explained (name).
    pub explained_by: String,
    /// Note.
    pub note: Option<String>,
}

/// A treatment to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordTreatment {
    /// Line of therapy, from 1.
    pub line: i64,
    /// Regimen given.
    pub regimen: String,
    /// Start date.
    #[schema(value_type = String, format = Date)]
    pub started_on: Date,
    /// End date.
    #[schema(value_type = Option<String>, format = Date)]
    pub ended_on: Option<Date>,
    /// The recommendation it follows (of this case), or none.
    pub recommendation_id: Option<String>,
    /// How the drug was obtained.
    pub access_route: AccessRoute,
    /// Why a recommended drug was not given (required when the panel recommended something
    /// and this treatment follows none of it).
    pub not_given_reason: Option<String>,
}

/// The response of a treatment.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordResponse {
    /// RECIST best overall response.
    pub best_response: Option<RecistResponse>,
    /// Date of progression.
    #[schema(value_type = Option<String>, format = Date)]
    pub progression_on: Option<Date>,
    /// End date, if the treatment ended.
    #[schema(value_type = Option<String>, format = Date)]
    pub ended_on: Option<Date>,
}

/// An adverse event to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordAdverseEvent {
    /// CTCAE term.
    pub ctcae_term: String,
    /// CTCAE grade 1–5.
    pub grade: i64,
    /// Onset date.
    #[schema(value_type = Option<String>, format = Date)]
    pub onset_on: Option<Date>,
}

/// An outcome to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordOutcome {
    /// Alive or dead.
    pub vital_status: VitalStatus,
    /// Date of last contact (or of death).
    #[schema(value_type = String, format = Date)]
    pub last_contact_on: Date,
    /// Cause of death (only when dead).
    pub cause_of_death: Option<String>,
}

/// Everything recorded about a case after its findings were issued.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClinicalRecord {
    /// The case.
    pub case: Case,
    /// Panel reviews, with recommendations.
    pub reviews: Vec<CaseReview>,
    /// Explanations to the patient.
    pub explanations: Vec<Explanation>,
    /// Treatments.
    pub treatments: Vec<Treatment>,
    /// Outcomes.
    pub outcomes: Vec<Outcome>,
}

fn check_not_future(errors: &mut ValidationErrors, field: &str, d: Option<Date>, today: Date) {
    if let Some(d) = d {
        errors.check(d <= today, field, "must not be in the future");
    }
}

impl Ganome {
    pub(crate) async fn load_case_for_clinical_read(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<Case, ServiceError> {
        self.load_case_if(actor, id, access::may_read_clinical)
            .await
    }

    async fn load_case_for_follow_up(&self, actor: &Actor, id: &str) -> Result<Case, ServiceError> {
        let case = self.load_case_for_clinical_read(actor, id).await?;
        if !access::may_record_follow_up(actor, &case) {
            return Err(ServiceError::Forbidden(
                "only clinicians of the ordering hospital record follow-up".into(),
            ));
        }
        Ok(case)
    }

    /// Moves the case to `followed_up` the first time follow-up is recorded.
    async fn enter_follow_up(
        &self,
        actor: &Actor,
        case: &Case,
        at: Timestamp,
        what: &str,
    ) -> Result<(), ServiceError> {
        if case.state == CaseState::Explained {
            self.transition_checked(
                actor,
                case,
                TransitionRequest {
                    to: CaseState::FollowedUp,
                    at: Some(at),
                    note: Some(format!("first {what} recorded")),
                },
            )
            .await?;
        }
        Ok(())
    }

    fn require_follow_up_state(case: &Case) -> Result<(), ServiceError> {
        if matches!(case.state, CaseState::Explained | CaseState::FollowedUp) {
            Ok(())
        } else {
            Err(ServiceError::Conflict(format!(
                "case {} is in state {}; follow-up is recorded once the results are explained",
                case.id, case.state
            )))
        }
    }

    /// Records that the results were explained to the patient; moves the case to
    /// `explained`.
    pub async fn record_explanation(
        &self,
        actor: &Actor,
        case_id: &str,
        req: RecordExplanation,
    ) -> Result<Explanation, ServiceError> {
        let result = async {
            let case = self.load_case_for_follow_up(actor, case_id).await?;
            if case.state != CaseState::PanelReviewed {
                return Err(ServiceError::Conflict(format!(
                    "case {case_id} is in state {}; results are explained after the panel review",
                    case.state
                )));
            }
            let now = Timestamp::now();
            let mut errors = ValidationErrors::new();
            errors.check(
                !req.explained_by.trim().is_empty(),
                "explained_by",
                "must name who explained",
            );
            check_not_future(
                &mut errors,
                "explained_on",
                Some(req.explained_on),
                now.date_jst(),
            );
            errors.check(
                req.explained_on >= case.updated_at.date_jst(),
                "explained_on",
                format!(
                    "must not precede the panel review ({})",
                    case.updated_at.date_jst()
                ),
            );
            errors.into_result()?;
            let e = Explanation {
                id: new_id(),
                case_id: case.id.clone(),
                explained_on: req.explained_on,
                explained_by: req.explained_by.trim().to_owned(),
                note: req.note,
                recorded_by: actor.user_id.clone(),
                recorded_at: now,
            };
            self.transition_checked(
                actor,
                &case,
                TransitionRequest {
                    to: CaseState::Explained,
                    at: Some(now),
                    note: Some(format!("explained on {}", req.explained_on)),
                },
            )
            .await?;
            self.store.insert_explanation(&e).await?;
            Ok(e)
        }
        .await;
        self.audit_result(
            actor,
            "case.explanation.record",
            "case",
            Some(case_id),
            result,
        )
        .await
    }

    /// Records a treatment; the first one moves the case to `followed_up`.
    pub async fn record_treatment(
        &self,
        actor: &Actor,
        case_id: &str,
        req: RecordTreatment,
    ) -> Result<Treatment, ServiceError> {
        let result = async {
            let case = self.load_case_for_follow_up(actor, case_id).await?;
            Self::require_follow_up_state(&case)?;
            let now = Timestamp::now();
            let mut errors = ValidationErrors::new();
            errors.check(req.line >= 1, "line", "must be 1 or more");
            errors.check(
                !req.regimen.trim().is_empty(),
                "regimen",
                "must not be empty",
            );
            check_not_future(
                &mut errors,
                "started_on",
                Some(req.started_on),
                now.date_jst(),
            );
            check_not_future(&mut errors, "ended_on", req.ended_on, now.date_jst());
            if let Some(end) = req.ended_on {
                errors.check(
                    end >= req.started_on,
                    "ended_on",
                    "must not precede started_on",
                );
            }
            match &req.recommendation_id {
                Some(rid) => match self.store.get_recommendation(rid).await? {
                    Some(r) if r.case_id == case.id => {}
                    _ => errors.add(
                        "recommendation_id",
                        format!("no recommendation '{rid}' for this case"),
                    ),
                },
                None => {
                    let mut f = ganome_store::ClinicalFilter::scoped(ganome_store::CaseScope::All);
                    f.case_id = Some(case.id.clone());
                    let recommended = self
                        .store
                        .list_reviews(&f)
                        .await?
                        .iter()
                        .any(|r| r.signed_off_at.is_some() && !r.recommendations.is_empty());
                    errors.check(
                        !recommended
                            || req
                                .not_given_reason
                                .as_deref()
                                .is_some_and(|s| !s.trim().is_empty()),
                        "not_given_reason",
                        "the panel recommended treatment; say why it was not given",
                    );
                }
            }
            errors.into_result()?;
            let t = Treatment {
                id: new_id(),
                case_id: case.id.clone(),
                line: req.line,
                regimen: req.regimen.trim().to_owned(),
                started_on: req.started_on,
                ended_on: req.ended_on,
                recommendation_id: req.recommendation_id,
                access_route: req.access_route,
                not_given_reason: req.not_given_reason,
                best_response: None,
                progression_on: None,
                adverse_events: Vec::new(),
                recorded_by: actor.user_id.clone(),
                recorded_at: now,
                updated_at: now,
            };
            self.enter_follow_up(actor, &case, now, "treatment").await?;
            self.store.insert_treatment(&t).await?;
            Ok(t)
        }
        .await;
        self.audit_result(
            actor,
            "case.treatment.record",
            "case",
            Some(case_id),
            result,
        )
        .await
    }

    async fn load_treatment_for_update(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<Treatment, ServiceError> {
        let t = self
            .store
            .get_treatment(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("treatment {id}")))?;
        self.load_case_for_follow_up(actor, &t.case_id).await?;
        Ok(t)
    }

    /// Records the response (RECIST best response, progression date) of a treatment.
    pub async fn record_response(
        &self,
        actor: &Actor,
        treatment_id: &str,
        req: RecordResponse,
    ) -> Result<Treatment, ServiceError> {
        let result = async {
            let t = self.load_treatment_for_update(actor, treatment_id).await?;
            let now = Timestamp::now();
            let mut errors = ValidationErrors::new();
            check_not_future(
                &mut errors,
                "progression_on",
                req.progression_on,
                now.date_jst(),
            );
            check_not_future(&mut errors, "ended_on", req.ended_on, now.date_jst());
            if let Some(p) = req.progression_on {
                errors.check(
                    p >= t.started_on,
                    "progression_on",
                    "must not precede the start",
                );
            }
            if let Some(e) = req.ended_on {
                errors.check(e >= t.started_on, "ended_on", "must not precede the start");
            }
            errors.into_result()?;
            self.store
                .set_treatment_response(
                    treatment_id,
                    req.best_response,
                    req.progression_on,
                    req.ended_on,
                    now,
                )
                .await?;
            self.reload_treatment(treatment_id).await
        }
        .await;
        self.audit_treatment_update(actor, "case.treatment.response", treatment_id, result)
            .await
    }

    /// Records an adverse event (CTCAE term and grade) of a treatment.
    pub async fn add_adverse_event(
        &self,
        actor: &Actor,
        treatment_id: &str,
        req: RecordAdverseEvent,
    ) -> Result<Treatment, ServiceError> {
        let result = async {
            let t = self.load_treatment_for_update(actor, treatment_id).await?;
            let now = Timestamp::now();
            let mut errors = ValidationErrors::new();
            errors.check(
                !req.ctcae_term.trim().is_empty() && req.ctcae_term.len() <= 200,
                "ctcae_term",
                "must be a CTCAE term",
            );
            errors.check(
                (1..=5).contains(&req.grade),
                "grade",
                "must be a CTCAE grade 1 to 5",
            );
            check_not_future(&mut errors, "onset_on", req.onset_on, now.date_jst());
            if let Some(d) = req.onset_on {
                errors.check(
                    d >= t.started_on,
                    "onset_on",
                    "must not precede the treatment",
                );
            }
            errors.into_result()?;
            self.store
                .add_adverse_event(
                    treatment_id,
                    req.ctcae_term.trim(),
                    req.grade,
                    req.onset_on,
                    now,
                )
                .await?;
            self.reload_treatment(treatment_id).await
        }
        .await;
        self.audit_treatment_update(actor, "case.treatment.adverse_event", treatment_id, result)
            .await
    }

    async fn reload_treatment(&self, treatment_id: &str) -> Result<Treatment, ServiceError> {
        self.store
            .get_treatment(treatment_id)
            .await?
            .ok_or_else(|| ServiceError::Conflict("the treatment vanished".into()))
    }

    /// Audits a change to a treatment against its case.
    async fn audit_treatment_update(
        &self,
        actor: &Actor,
        action: &str,
        treatment_id: &str,
        result: Result<Treatment, ServiceError>,
    ) -> Result<Treatment, ServiceError> {
        let case_id = result.as_ref().ok().map(|t| t.case_id.clone());
        let mut entry = actor.audit(action, "case", case_id.as_deref());
        entry.detail = Some(format!("treatment {treatment_id}"));
        self.audited(entry, result).await
    }

    /// Records an outcome; the first follow-up moves the case to `followed_up`.
    pub async fn record_outcome(
        &self,
        actor: &Actor,
        case_id: &str,
        req: RecordOutcome,
    ) -> Result<Outcome, ServiceError> {
        let result = async {
            let case = self.load_case_for_follow_up(actor, case_id).await?;
            Self::require_follow_up_state(&case)?;
            let now = Timestamp::now();
            let mut errors = ValidationErrors::new();
            check_not_future(
                &mut errors,
                "last_contact_on",
                Some(req.last_contact_on),
                now.date_jst(),
            );
            errors.check(
                req.last_contact_on >= case.registered_at.date_jst(),
                "last_contact_on",
                "must not precede registration",
            );
            errors.check(
                req.vital_status == VitalStatus::Dead || req.cause_of_death.is_none(),
                "cause_of_death",
                "only recorded when the patient has died",
            );
            errors.into_result()?;
            let o = Outcome {
                id: new_id(),
                case_id: case.id.clone(),
                vital_status: req.vital_status,
                last_contact_on: req.last_contact_on,
                cause_of_death: req.cause_of_death,
                recorded_by: actor.user_id.clone(),
                recorded_at: now,
            };
            self.enter_follow_up(actor, &case, now, "outcome").await?;
            self.store.insert_outcome(&o).await?;
            Ok(o)
        }
        .await;
        self.audit_result(actor, "case.outcome.record", "case", Some(case_id), result)
            .await
    }

    /// A case's reviews, explanations, treatments and outcomes.
    pub async fn clinical_record(
        &self,
        actor: &Actor,
        case_id: &str,
    ) -> Result<ClinicalRecord, ServiceError> {
        let result = self.clinical_record_inner(actor, case_id).await;
        self.audit_result(actor, "case.clinical.read", "case", Some(case_id), result)
            .await
    }

    pub(crate) async fn clinical_record_inner(
        &self,
        actor: &Actor,
        case_id: &str,
    ) -> Result<ClinicalRecord, ServiceError> {
        let case = self.load_case_for_clinical_read(actor, case_id).await?;
        let mut f = ganome_store::ClinicalFilter::scoped(ganome_store::CaseScope::All);
        f.case_id = Some(case.id.clone());
        Ok(ClinicalRecord {
            reviews: self.store.list_reviews(&f).await?,
            treatments: self.store.list_treatments(&f).await?,
            explanations: self.store.list_explanations(&case.id).await?,
            outcomes: self.store.list_outcomes(&case.id).await?,
            case,
        })
    }

    /// Treatments with their based-on links, within the actor's clinical scope.
    pub async fn list_treatments(
        &self,
        actor: &Actor,
        q: &ClinicalListQuery,
    ) -> Result<Vec<Treatment>, ServiceError> {
        let result = async {
            let scope = access::clinical_scope(actor).ok_or_else(|| {
                ServiceError::Forbidden("your role does not read treatments".into())
            })?;
            Ok(self.store.list_treatments(&q.filter(scope)?).await?)
        }
        .await;
        let mut entry = actor.audit("case.treatment.list", "case", None);
        if let Ok(t) = &result {
            entry.detail = Some(format!("{} treatments", t.len()));
        }
        self.audited(entry, result).await
    }
}
