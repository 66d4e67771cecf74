//! The clinical workflow's records: expert panel (エキスパートパネル) meetings and case reviews
//! with recommendations, result explanations, treatments and outcomes — and the
//! [`ClinicalStore`] part of the store that keeps them. Field names are the API's names too.

use async_trait::async_trait;
use ganome_core::{
    AccessRoute, JpEvidenceLevel, MeetingMode, PanelRole, RecistResponse, Timestamp, VitalStatus,
};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::{CaseScope, StoreError};

/// One person attending a panel meeting, in one capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attendee {
    /// Name as recorded in the minutes.
    pub name: String,
    /// The capacity counted against the required composition.
    pub panel_role: PanelRole,
    /// The attendee's Ganome account, when they have one (required to sign off).
    pub user_id: Option<String>,
}

/// A meeting of a facility's expert panel (エキスパートパネル開催).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PanelMeeting {
    /// Opaque id.
    pub id: String,
    /// The core, hub or certified cooperative hospital hosting the panel.
    pub panel_facility_id: String,
    /// Date held (for asynchronous reviews, the date opened).
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    /// Real time, video or asynchronous (持ち回り).
    pub mode: MeetingMode,
    /// Whether the hospital runs the sequencing and analysis itself (then a
    /// bioinformatician is required).
    pub sequencing_in_house: bool,
    /// The chair (a panel chair of the hosting facility), who signs off live meetings.
    pub chair_user_id: Option<String>,
    /// Attendees in the order recorded.
    pub attendees: Vec<Attendee>,
    /// When the composition was checked and the meeting closed for attendance.
    pub finalised_at: Option<Timestamp>,
    /// Who recorded it.
    pub created_by: String,
    /// When recorded.
    pub created_at: Timestamp,
}

/// The germline follow-up a review asks for (二次的所見への対応).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GermlineFollowUp {
    /// Refer the patient to genetic counselling.
    pub counselling_referral: bool,
    /// Recommend a confirmatory germline test.
    pub confirmatory_test: bool,
    /// Note, e.g. the gene and variant suspected.
    pub note: Option<String>,
}

/// One treatment recommended by a panel (推奨治療).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Recommendation {
    /// Opaque id.
    pub id: String,
    /// The review that made it.
    pub review_id: String,
    /// The case.
    pub case_id: String,
    /// Order within the review, from 1.
    pub ordinal: i64,
    /// Drug or regimen.
    pub drug: String,
    /// The biomarker it rests on (e.g. `EGFR L858R`).
    pub biomarker: Option<String>,
    /// Evidence level (three-society guidance).
    pub evidence_level: JpEvidenceLevel,
    /// How the patient can get it.
    pub access_route: AccessRoute,
    /// The trial id (jRCT or NCT) when the route is a clinical trial.
    pub trial_id: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// A sign-off of a review by one user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SignOff {
    /// Who signed.
    pub user_id: String,
    /// When.
    pub signed_at: Timestamp,
}

/// A panel's review of one case at one meeting (症例検討).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CaseReview {
    /// Opaque id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The meeting.
    pub meeting_id: String,
    /// The findings-report version reviewed (pinned).
    pub findings_version: String,
    /// The discussion as minuted.
    pub discussion: String,
    /// Germline follow-up.
    pub germline: GermlineFollowUp,
    /// Recommendations, in order.
    pub recommendations: Vec<Recommendation>,
    /// Sign-offs so far.
    pub signoffs: Vec<SignOff>,
    /// When the review was complete (the case moved to `panel_reviewed`).
    pub signed_off_at: Option<Timestamp>,
    /// Who recorded it.
    pub created_by: String,
    /// When recorded.
    pub created_at: Timestamp,
}

/// Results explained to the patient (結果説明).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Explanation {
    /// Opaque id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// Date explained.
    #[schema(value_type = String, format = Date)]
    pub explained_on: Date,
    /// Who explained (name of the physician or counsellor).
    pub explained_by: String,
    /// Note.
    pub note: Option<String>,
    /// Who recorded it (user id).
    pub recorded_by: String,
    /// When recorded.
    pub recorded_at: Timestamp,
}

/// An adverse event of a treatment, graded by CTCAE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdverseEvent {
    /// Order within the treatment, from 1.
    pub seq: i64,
    /// CTCAE term (e.g. `Diarrhea`).
    pub ctcae_term: String,
    /// CTCAE grade 1–5.
    pub grade: i64,
    /// Onset date.
    #[schema(value_type = Option<String>, format = Date)]
    pub onset_on: Option<Date>,
    /// When recorded.
    pub recorded_at: Timestamp,
}

/// A line of treatment given after the panel (治療).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Treatment {
    /// Opaque id.
    pub id: String,
    /// The case.
    pub case_id: String,
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
    /// The recommendation it follows, or none.
    pub recommendation_id: Option<String>,
    /// How the drug was obtained.
    pub access_route: AccessRoute,
    /// Why a recommended drug was not given (when not based on a recommendation).
    pub not_given_reason: Option<String>,
    /// RECIST best overall response.
    pub best_response: Option<RecistResponse>,
    /// Date of progression.
    #[schema(value_type = Option<String>, format = Date)]
    pub progression_on: Option<Date>,
    /// Adverse events, in order recorded.
    pub adverse_events: Vec<AdverseEvent>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When recorded.
    pub recorded_at: Timestamp,
    /// When last changed (response, adverse events).
    pub updated_at: Timestamp,
}

/// The patient's status at last contact (転帰).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Outcome {
    /// Opaque id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// Alive or dead.
    pub vital_status: VitalStatus,
    /// Date of last contact (or of death).
    #[schema(value_type = String, format = Date)]
    pub last_contact_on: Date,
    /// Cause of death, when dead.
    pub cause_of_death: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When recorded.
    pub recorded_at: Timestamp,
}

/// Filters shared by the clinical listings (for indicators and worklists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicalFilter {
    /// Whose cases are visible.
    pub scope: CaseScope,
    /// Only this panel facility (meetings, reviews) or ordering facility (treatments).
    pub facility_id: Option<String>,
    /// Only this case.
    pub case_id: Option<String>,
    /// On or after this date (meeting date, treatment start).
    pub from: Option<Date>,
    /// Before this date.
    pub before: Option<Date>,
    /// At most this many.
    pub limit: i64,
}

impl ClinicalFilter {
    /// Everything in a scope, up to 1000 rows.
    pub fn scoped(scope: CaseScope) -> ClinicalFilter {
        ClinicalFilter {
            scope,
            facility_id: None,
            case_id: None,
            from: None,
            before: None,
            limit: 1000,
        }
    }
}

/// The clinical part of the store; every [`crate::Store`] is one.
#[async_trait]
pub trait ClinicalStore: Send + Sync {
    /// Records a meeting and its attendees.
    async fn insert_meeting(&self, meeting: &PanelMeeting) -> Result<(), StoreError>;
    /// A meeting with its attendees.
    async fn get_meeting(&self, id: &str) -> Result<Option<PanelMeeting>, StoreError>;
    /// Meetings by date, oldest first (`facility_id` filters the panel facility; the scope
    /// is ignored: meetings carry no patient data).
    async fn list_meetings(&self, filter: &ClinicalFilter)
    -> Result<Vec<PanelMeeting>, StoreError>;
    /// Stamps a meeting finalised; `Conflict` if it already was.
    async fn finalise_meeting(&self, id: &str, at: Timestamp) -> Result<(), StoreError>;

    /// Records a review and its recommendations; `Conflict` if the case is already on that
    /// meeting's agenda.
    async fn insert_review(&self, review: &CaseReview, created_by: &str) -> Result<(), StoreError>;
    /// A review with recommendations and sign-offs.
    async fn get_review(&self, id: &str) -> Result<Option<CaseReview>, StoreError>;
    /// Reviews of cases in scope (`facility_id` filters the meeting's panel facility),
    /// oldest first.
    async fn list_reviews(&self, filter: &ClinicalFilter) -> Result<Vec<CaseReview>, StoreError>;
    /// Adds `user_id`'s sign-off to a review, in one transaction with what it completes:
    /// when every user in `must_sign` has now signed (at once when it is empty), the review
    /// is stamped signed off and its case moves from `findings_issued` to `panel_reviewed`.
    /// `Conflict` if this user already signed, the review was already complete, or the case
    /// moved meanwhile. Returns whether the review is complete.
    async fn sign_off_review(
        &self,
        review_id: &str,
        user_id: &str,
        at: Timestamp,
        must_sign: &[String],
    ) -> Result<bool, StoreError>;
    /// One recommendation.
    async fn get_recommendation(&self, id: &str) -> Result<Option<Recommendation>, StoreError>;

    /// Records an explanation.
    async fn insert_explanation(&self, e: &Explanation) -> Result<(), StoreError>;
    /// A case's explanations, oldest first.
    async fn list_explanations(&self, case_id: &str) -> Result<Vec<Explanation>, StoreError>;

    /// Records a treatment (without adverse events).
    async fn insert_treatment(&self, t: &Treatment) -> Result<(), StoreError>;
    /// A treatment with its adverse events.
    async fn get_treatment(&self, id: &str) -> Result<Option<Treatment>, StoreError>;
    /// Treatments of cases in scope (`facility_id` filters the ordering facility), by start.
    async fn list_treatments(&self, filter: &ClinicalFilter) -> Result<Vec<Treatment>, StoreError>;
    /// Sets the response of a treatment.
    async fn set_treatment_response(
        &self,
        id: &str,
        best_response: Option<RecistResponse>,
        progression_on: Option<Date>,
        ended_on: Option<Date>,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Appends an adverse event and returns its sequence number.
    async fn add_adverse_event(
        &self,
        treatment_id: &str,
        ctcae_term: &str,
        grade: i64,
        onset_on: Option<Date>,
        at: Timestamp,
    ) -> Result<i64, StoreError>;

    /// Records an outcome.
    async fn insert_outcome(&self, o: &Outcome) -> Result<(), StoreError>;
    /// A case's outcomes, oldest first.
    async fn list_outcomes(&self, case_id: &str) -> Result<Vec<Outcome>, StoreError>;
}
