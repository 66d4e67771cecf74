//! The expert panel (エキスパートパネル): meetings with their attendees, the composition check
//! that must pass before a meeting is finalised, case reviews pinned to a findings-report
//! version with recommendations and germline follow-up, and sign-off — by the chair for a
//! live or video meeting, by every attending member for an asynchronous one (持ち回り) —
//! which moves the case to `panel_reviewed`.

pub mod composition;

use ganome_core::{
    AccessRoute, CaseState, JpEvidenceLevel, MeetingMode, Role, Timestamp, ValidationErrors,
};
use ganome_store::{
    Attendee, CaseReview, ClinicalFilter, GermlineFollowUp, PanelMeeting, Recommendation,
};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::ids::new_id;
use crate::{Actor, Ganome, ServiceError, access};
use composition::Composition;

/// A meeting to record for the actor's panel.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CreateMeeting {
    /// Date held (for asynchronous reviews, the date opened).
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    /// Real time, video or asynchronous (持ち回り).
    pub mode: MeetingMode,
    /// Whether the hospital sequences and analyses in house (a bioinformatician is then
    /// required).
    #[serde(default)]
    pub sequencing_in_house: bool,
    /// The chair's user id (a panel chair of this facility; required for live and video
    /// meetings).
    pub chair_user_id: Option<String>,
    /// Who attends, in what capacity.
    pub attendees: Vec<Attendee>,
}

/// A meeting and the case reviews on its agenda.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingDetail {
    /// The meeting.
    #[serde(flatten)]
    pub meeting: PanelMeeting,
    /// Reviews on the agenda.
    pub agenda: Vec<CaseReview>,
}

/// One recommendation to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewRecommendation {
    /// Drug or regimen.
    pub drug: String,
    /// The biomarker it rests on.
    pub biomarker: Option<String>,
    /// Evidence level (three-society guidance, A–F or R).
    pub evidence_level: JpEvidenceLevel,
    /// How the patient can get it.
    pub access_route: AccessRoute,
    /// Trial id (jRCT… or NCT…), required when the route is a clinical trial.
    pub trial_id: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// A case review to record at a meeting.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordReview {
    /// The case (must be referred to this panel and in state `findings_issued`).
    pub case_id: String,
    /// The findings-report version reviewed: the id of one of the case's findings versions
    /// (`GET /api/v1/cases/{id}/findings`). Only a case whose findings were issued outside
    /// Ganome (no version recorded) takes a free-text reference to that report.
    pub findings_version: String,
    /// The discussion.
    pub discussion: String,
    /// Germline follow-up.
    #[serde(default)]
    pub germline: GermlineFollowUp,
    /// Recommendations, in order (may be empty: no actionable option).
    #[serde(default)]
    pub recommendations: Vec<NewRecommendation>,
}

/// Filters for the clinical listings (meetings, reviews, treatments).
#[derive(Debug, Clone, Default, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClinicalListQuery {
    /// Only this facility (panel facility for meetings and reviews, ordering facility for
    /// treatments).
    pub facility: Option<String>,
    /// Only this case.
    pub case: Option<String>,
    /// On or after this date (YYYY-MM-DD).
    pub from: Option<String>,
    /// Before this date (YYYY-MM-DD).
    pub to: Option<String>,
    /// At most this many (default 1000, at most 100000).
    pub limit: Option<i64>,
}

impl ClinicalListQuery {
    pub(crate) fn filter(
        &self,
        scope: ganome_store::CaseScope,
    ) -> Result<ClinicalFilter, ServiceError> {
        let mut errors = ValidationErrors::new();
        let mut f = ClinicalFilter::scoped(scope);
        f.facility_id = self.facility.clone();
        f.case_id = self.case.clone();
        f.from = self
            .from
            .as_deref()
            .and_then(|s| parse_day(&mut errors, "from", s));
        f.before = self
            .to
            .as_deref()
            .and_then(|s| parse_day(&mut errors, "to", s));
        f.limit = self.limit.unwrap_or(1000);
        errors.check(
            (1..=100_000).contains(&f.limit),
            "limit",
            "must be 1 to 100000",
        );
        errors.into_result()?;
        Ok(f)
    }
}

fn parse_day(errors: &mut ValidationErrors, field: &str, s: &str) -> Option<Date> {
    match ganome_core::parse_date(s) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.add(field, e);
            None
        }
    }
}

/// Whether `id` looks like a jRCT or ClinicalTrials.gov identifier.
fn is_trial_id(id: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    id.strip_prefix("NCT")
        .is_some_and(|d| d.len() == 8 && digits(d))
        || id
            .strip_prefix("jRCT")
            .is_some_and(|d| d.len() >= 8 && d.chars().all(|c| c.is_ascii_alphanumeric()))
        || id.strip_prefix("JapicCTI-").is_some_and(digits)
        || id.strip_prefix("UMIN").is_some_and(digits)
}

impl Ganome {
    /// Records a meeting of the actor's expert panel.
    pub async fn create_meeting(
        &self,
        actor: &Actor,
        req: CreateMeeting,
    ) -> Result<PanelMeeting, ServiceError> {
        let result = self.create_meeting_inner(actor, req).await;
        let id = result.as_ref().ok().map(|m| m.id.clone());
        self.audit_result(
            actor,
            "panel.meeting.create",
            "panel_meeting",
            id.as_deref(),
            result,
        )
        .await
    }

    async fn create_meeting_inner(
        &self,
        actor: &Actor,
        req: CreateMeeting,
    ) -> Result<PanelMeeting, ServiceError> {
        let facility = self
            .store
            .get_facility(&actor.facility_id)
            .await?
            .ok_or_else(|| ServiceError::Conflict("your facility no longer exists".into()))?;
        if !access::may_hold_meeting(actor, &facility) {
            return Err(ServiceError::Forbidden(format!(
                "{} does not host an expert panel, or your role does not hold its meetings",
                facility.name_ja
            )));
        }
        let now = Timestamp::now();
        let mut errors = ValidationErrors::new();
        errors.check(
            req.held_on <= now.date_jst(),
            "held_on",
            "must not be in the future",
        );
        errors.check(
            !req.attendees.is_empty(),
            "attendees",
            "must list who attends",
        );
        for (i, a) in req.attendees.iter().enumerate() {
            errors.check(
                !a.name.trim().is_empty(),
                &format!("attendees[{i}].name"),
                "must not be empty",
            );
            if let Some(uid) = &a.user_id
                && self.store.get_user(uid).await?.is_none()
            {
                errors.add(
                    format!("attendees[{i}].user_id"),
                    format!("no user '{uid}'"),
                );
            }
        }
        match &req.chair_user_id {
            Some(uid) => match self.store.get_user(uid).await? {
                Some(u) if u.role == Role::PanelChair && u.facility_id == facility.id => {
                    errors.check(
                        req.attendees
                            .iter()
                            .any(|a| a.user_id.as_deref() == Some(uid.as_str())),
                        "chair_user_id",
                        "the chair must be among the attendees",
                    );
                }
                Some(_) => errors.add(
                    "chair_user_id",
                    format!("'{uid}' is not a panel chair of {}", facility.id),
                ),
                None => errors.add("chair_user_id", format!("no user '{uid}'")),
            },
            None => errors.check(
                req.mode.every_member_signs(),
                "chair_user_id",
                "a live or video meeting needs a chair to sign off",
            ),
        }
        errors.into_result()?;
        let meeting = PanelMeeting {
            id: new_id(),
            panel_facility_id: facility.id,
            held_on: req.held_on,
            mode: req.mode,
            sequencing_in_house: req.sequencing_in_house,
            chair_user_id: req.chair_user_id,
            attendees: req.attendees,
            finalised_at: None,
            created_by: actor.user_id.clone(),
            created_at: now,
        };
        self.store.insert_meeting(&meeting).await?;
        Ok(meeting)
    }

    async fn load_meeting(&self, actor: &Actor, id: &str) -> Result<PanelMeeting, ServiceError> {
        let meeting = self
            .store
            .get_meeting(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("meeting {id}")))?;
        if !access::may_read_meeting(actor, &meeting) {
            return Err(ServiceError::Forbidden(format!(
                "meeting {id} belongs to another facility's panel"
            )));
        }
        Ok(meeting)
    }

    /// A meeting with its agenda.
    pub async fn get_meeting(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<MeetingDetail, ServiceError> {
        let result = async {
            let meeting = self.load_meeting(actor, id).await?;
            let agenda = self.agenda(&meeting).await?;
            Ok(MeetingDetail { meeting, agenda })
        }
        .await;
        self.audit_result(
            actor,
            "panel.meeting.read",
            "panel_meeting",
            Some(id),
            result,
        )
        .await
    }

    async fn agenda(&self, meeting: &PanelMeeting) -> Result<Vec<CaseReview>, ServiceError> {
        let mut f = ClinicalFilter::scoped(ganome_store::CaseScope::All);
        f.facility_id = Some(meeting.panel_facility_id.clone());
        let mut reviews = self.store.list_reviews(&f).await?;
        reviews.retain(|r| r.meeting_id == meeting.id);
        Ok(reviews)
    }

    /// Checks the meeting's composition against the required one and closes it for
    /// attendance; 422 naming every missing role otherwise.
    pub async fn finalise_meeting(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<PanelMeeting, ServiceError> {
        let result = async {
            let meeting = self.load_meeting(actor, id).await?;
            let facility = self
                .store
                .get_facility(&meeting.panel_facility_id)
                .await?
                .ok_or_else(|| ServiceError::Conflict("the panel's facility vanished".into()))?;
            if !access::may_hold_meeting(actor, &facility) {
                return Err(ServiceError::Forbidden(
                    "only the panel's members finalise its meetings".into(),
                ));
            }
            if meeting.finalised_at.is_some() {
                return Err(ServiceError::Conflict(format!(
                    "meeting {id} is already finalised"
                )));
            }
            let mut errors =
                Composition::shipped().check(&meeting.attendees, meeting.sequencing_in_house);
            if meeting.mode.every_member_signs() {
                for (i, a) in meeting.attendees.iter().enumerate() {
                    errors.check(
                        a.user_id.is_some(),
                        &format!("attendees[{i}].user_id"),
                        "every member signs an asynchronous review, so each needs an account",
                    );
                }
            }
            errors.into_result()?;
            let now = Timestamp::now();
            self.store.finalise_meeting(id, now).await?;
            Ok(PanelMeeting {
                finalised_at: Some(now),
                ..meeting
            })
        }
        .await;
        self.audit_result(
            actor,
            "panel.meeting.finalise",
            "panel_meeting",
            Some(id),
            result,
        )
        .await
    }

    /// Meetings, oldest first: a panel sees its own, the data center all.
    pub async fn list_meetings(
        &self,
        actor: &Actor,
        q: &ClinicalListQuery,
    ) -> Result<Vec<PanelMeeting>, ServiceError> {
        let result = async {
            let mut f = q.filter(ganome_store::CaseScope::All)?;
            if !actor.is_data_center_admin() {
                if !actor.role.is_panel() {
                    return Err(ServiceError::Forbidden(
                        "your role does not read panel meetings".into(),
                    ));
                }
                if f.facility_id
                    .as_ref()
                    .is_some_and(|x| *x != actor.facility_id)
                {
                    return Err(ServiceError::Forbidden(
                        "you see only your own panel's meetings".into(),
                    ));
                }
                f.facility_id = Some(actor.facility_id.clone());
            }
            Ok(self.store.list_meetings(&f).await?)
        }
        .await;
        let mut entry = actor.audit("panel.meeting.list", "panel_meeting", None);
        if let Ok(m) = &result {
            entry.detail = Some(format!("{} meetings", m.len()));
        }
        self.audited(entry, result).await
    }

    /// Puts a case on a meeting's agenda with the panel's review and recommendations.
    pub async fn add_review(
        &self,
        actor: &Actor,
        meeting_id: &str,
        req: RecordReview,
    ) -> Result<CaseReview, ServiceError> {
        let case_id = req.case_id.clone();
        let result = self.add_review_inner(actor, meeting_id, req).await;
        let mut entry = actor.audit("panel.review.create", "case", Some(&case_id));
        if let Ok(r) = &result {
            entry.detail = Some(format!("review {}", r.id));
        }
        self.audited(entry, result).await
    }

    async fn add_review_inner(
        &self,
        actor: &Actor,
        meeting_id: &str,
        req: RecordReview,
    ) -> Result<CaseReview, ServiceError> {
        let meeting = self.load_meeting(actor, meeting_id).await?;
        let case = self
            .store
            .get_case(&req.case_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("case {}", req.case_id)))?;
        if !access::may_review_case(actor, &meeting, &case) {
            return Err(ServiceError::Forbidden(format!(
                "case {} is not referred to this panel",
                case.id
            )));
        }
        if case.state != CaseState::FindingsIssued {
            return Err(ServiceError::Conflict(format!(
                "case {} is in state {}; a panel reviews cases whose findings are issued",
                case.id, case.state
            )));
        }
        let mut errors = ValidationErrors::new();
        errors.check(
            !req.findings_version.trim().is_empty() && req.findings_version.len() <= 200,
            "findings_version",
            "must name the findings-report version reviewed",
        );
        let versions = self.store.list_findings(&case.id).await?;
        if !versions.is_empty() {
            errors.check(
                versions.iter().any(|v| v.id == req.findings_version.trim()),
                "findings_version",
                format!(
                    "must be the id of one of this case's findings versions ({})",
                    versions
                        .iter()
                        .map(|v| format!("v{} {}", v.version, v.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        errors.check(
            !req.discussion.trim().is_empty(),
            "discussion",
            "must record the discussion",
        );
        for (i, r) in req.recommendations.iter().enumerate() {
            let at = |f: &str| format!("recommendations[{i}].{f}");
            errors.check(!r.drug.trim().is_empty(), &at("drug"), "must not be empty");
            match (r.access_route, &r.trial_id) {
                (AccessRoute::ClinicalTrial, None) => {
                    errors.add(at("trial_id"), "a clinical-trial route needs the trial id")
                }
                (AccessRoute::ClinicalTrial, Some(t)) => errors.check(
                    is_trial_id(t),
                    &at("trial_id"),
                    "must be a jRCT, NCT, JapicCTI or UMIN identifier",
                ),
                (_, Some(_)) => errors.add(
                    at("trial_id"),
                    "only a clinical-trial route carries a trial id",
                ),
                (_, None) => {}
            }
        }
        errors.into_result()?;
        let review_id = new_id();
        let review = CaseReview {
            recommendations: req
                .recommendations
                .into_iter()
                .enumerate()
                .map(|(i, r)| Recommendation {
                    id: new_id(),
                    review_id: review_id.clone(),
                    case_id: case.id.clone(),
                    ordinal: i as i64 + 1,
                    drug: r.drug.trim().to_owned(),
                    biomarker: r.biomarker,
                    evidence_level: r.evidence_level,
                    access_route: r.access_route,
                    trial_id: r.trial_id,
                    note: r.note,
                })
                .collect(),
            id: review_id,
            case_id: case.id.clone(),
            meeting_id: meeting.id.clone(),
            findings_version: req.findings_version.trim().to_owned(),
            discussion: req.discussion,
            germline: req.germline,
            signoffs: Vec::new(),
            signed_off_at: None,
            created_by: actor.user_id.clone(),
            created_at: Timestamp::now(),
        };
        self.store.insert_review(&review, &actor.user_id).await?;
        Ok(review)
    }

    /// A review with its recommendations and sign-offs, if the actor may read its case.
    pub async fn get_review(&self, actor: &Actor, id: &str) -> Result<CaseReview, ServiceError> {
        let result = async {
            let review = self
                .store
                .get_review(id)
                .await?
                .ok_or_else(|| ServiceError::NotFound(format!("review {id}")))?;
            self.load_case_for_clinical_read(actor, &review.case_id)
                .await?;
            Ok(review)
        }
        .await;
        let case_id = result.as_ref().ok().map(|r| r.case_id.clone());
        let mut entry = actor.audit("panel.review.read", "case", case_id.as_deref());
        entry.detail = Some(format!("review {id}"));
        self.audited(entry, result).await
    }

    /// Signs off a review: the chair's sign-off completes a live or video meeting's review;
    /// an asynchronous review completes when every attending member has signed. Completion
    /// moves the case to `panel_reviewed`, stamped with the sign-off time.
    pub async fn sign_off_review(
        &self,
        actor: &Actor,
        review_id: &str,
    ) -> Result<CaseReview, ServiceError> {
        let result = self.sign_off_inner(actor, review_id).await;
        let case_id = result.as_ref().ok().map(|r| r.case_id.clone());
        let mut entry = actor.audit("panel.review.sign_off", "case", case_id.as_deref());
        entry.detail = Some(format!("review {review_id}"));
        self.audited(entry, result).await
    }

    async fn sign_off_inner(
        &self,
        actor: &Actor,
        review_id: &str,
    ) -> Result<CaseReview, ServiceError> {
        let review = self
            .store
            .get_review(review_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("review {review_id}")))?;
        let meeting = self
            .store
            .get_meeting(&review.meeting_id)
            .await?
            .ok_or_else(|| ServiceError::Conflict("the review's meeting vanished".into()))?;
        let case = self
            .store
            .get_case(&review.case_id)
            .await?
            .ok_or_else(|| ServiceError::Conflict("the review's case vanished".into()))?;
        if !access::may_sign_off(actor, &meeting, &case) {
            return Err(ServiceError::Forbidden(
                if meeting.mode.every_member_signs() {
                    "only the members attending this asynchronous review sign it off".into()
                } else {
                    "only the meeting's chair signs off a live or video review".into()
                },
            ));
        }
        if meeting.finalised_at.is_none() {
            return Err(ServiceError::Conflict(
                "the meeting must be finalised (its composition checked) before sign-off".into(),
            ));
        }
        if review.signed_off_at.is_some() {
            return Err(ServiceError::Conflict(format!(
                "review {review_id} is already signed off"
            )));
        }
        if case.state != CaseState::FindingsIssued {
            return Err(ServiceError::Conflict(format!(
                "case {} is in state {}, not findings_issued",
                case.id, case.state
            )));
        }
        // The sign-off, the review's completion and the case's move are one transaction.
        let now = Timestamp::now().max(case.updated_at);
        let must_sign: Vec<String> = if meeting.mode.every_member_signs() {
            meeting
                .attendees
                .iter()
                .filter_map(|a| a.user_id.clone())
                .collect()
        } else {
            Vec::new()
        };
        self.store
            .sign_off_review(review_id, &actor.user_id, now, &must_sign)
            .await?;
        self.store
            .get_review(review_id)
            .await?
            .ok_or_else(|| ServiceError::Conflict("the review vanished".into()))
    }

    /// Reviews with their recommendations, within the actor's clinical scope.
    pub async fn list_reviews(
        &self,
        actor: &Actor,
        q: &ClinicalListQuery,
    ) -> Result<Vec<CaseReview>, ServiceError> {
        let result = async {
            let scope = access::clinical_scope(actor).ok_or_else(|| {
                ServiceError::Forbidden("your role does not read panel reviews".into())
            })?;
            Ok(self.store.list_reviews(&q.filter(scope)?).await?)
        }
        .await;
        let mut entry = actor.audit("panel.review.list", "case", None);
        if let Ok(r) = &result {
            entry.detail = Some(format!("{} reviews", r.len()));
        }
        self.audited(entry, result).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trial_ids() {
        assert!(is_trial_id("NCT04487080"));
        assert!(is_trial_id("jRCT2031200123"));
        assert!(is_trial_id("JapicCTI-184000"));
        assert!(!is_trial_id("NCT123"));
        assert!(!is_trial_id("trial 5"));
    }
}
