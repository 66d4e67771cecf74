//! What the national indicators read from the store: the per-case facts and the consents
//! as a change feed ([`FactsFeed`]: the rows written since a clock value the reader last
//! saw), expert-panel meetings grouped by facility and month; plus a bulk loader that
//! writes generated records (scenarios, benchmarks) in the same shape as the workflows do,
//! one transaction per batch.
//!
//! The service keeps the facts in memory and computes the indicators from them; the store
//! keeps them right: each fact row is recomputed from the records inside the transaction of
//! every write that changes them (see `docs/indicators.md`).

use async_trait::async_trait;
use ganome_core::{FacilityKind, Timestamp};
use time::Date;

use crate::{
    Case, CaseEvent, CaseReview, Consent, Explanation, PanelMeeting, Patient, StoreError, Treatment,
};

/// The window and filters of an indicator query. Times are UTC instants (the service turns
/// Japanese calendar days into them); month bounds split the window into months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorWindow {
    /// Start of the window, inclusive.
    pub from: Timestamp,
    /// End of the window, exclusive.
    pub until: Timestamp,
    /// The first instant of each month after the first inside the window, ascending; month
    /// `k` runs from bound `k-1` (or `from`) to bound `k` (or `until`).
    pub month_bounds: Vec<Timestamp>,
    /// First calendar day of the window (for date columns: meetings, treatments).
    pub first_day: Date,
    /// Last calendar day of the window, inclusive.
    pub last_day: Date,
    /// The first day of each month after the first, ascending (for date columns).
    pub month_first_days: Vec<Date>,
    /// Only tests ordered by facilities of this kind (meetings: hosted by).
    pub tier: Option<FacilityKind>,
    /// Only tests ordered by facilities in this prefecture (JIS code; meetings: hosted by).
    pub prefecture_code: Option<String>,
    /// Only tests of cases with this OncoTree code (not applied to meetings).
    pub oncotree_code: Option<String>,
}

/// One case's indicator facts (the `case_facts` row): who, where, and when each step of the
/// flow first happened. Step times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    /// The case.
    pub case_id: String,
    /// Its patient.
    pub patient_id: String,
    /// The ordering facility.
    pub ordering_facility_id: String,
    /// The panel the case was referred to.
    pub panel_facility_id: String,
    /// OncoTree code.
    pub oncotree_code: String,
    /// When the case was registered.
    pub registered_at: Timestamp,
    /// When the specimen was first shipped (the test's time), if it was.
    pub shipped_at: Option<Timestamp>,
    /// First time the case reached each state: registered, results received, findings
    /// issued, panel reviewed, explained.
    pub registered_s: Option<i64>,
    /// Results received.
    pub results_s: Option<i64>,
    /// Findings issued.
    pub findings_s: Option<i64>,
    /// Panel reviewed.
    pub reviewed_s: Option<i64>,
    /// Explained.
    pub explained_s: Option<i64>,
    /// First signed-off review.
    pub signed_s: Option<i64>,
    /// First signed-off review presenting a treatment option.
    pub option_s: Option<i64>,
    /// First signed-off review referring to genetic counselling.
    pub referral_s: Option<i64>,
    /// First signed-off review recommending a confirmatory germline test.
    pub confirmatory_s: Option<i64>,
    /// First treatment started on a panel recommendation.
    pub treated_on: Option<Date>,
}

/// A consent as the indicators read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentFacts {
    /// The consent.
    pub id: String,
    /// Its patient.
    pub patient_id: String,
    /// When it was given.
    pub given_at: Timestamp,
    /// Registration with the data center allowed.
    pub registration: bool,
    /// Secondary use (academia or industry) allowed.
    pub secondary_use: bool,
    /// When it was withdrawn, if it was.
    pub withdrawn_at: Option<Timestamp>,
}

/// The facts and consents written after a clock value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactsFeed {
    /// The clock when the feed was read: every row stamped up to it is included, so the
    /// reader asks next time for what came after it.
    pub seq: i64,
    /// Case facts written after the asked value (a case appears again each time its facts
    /// are recomputed; the newest row replaces the older).
    pub cases: Vec<CaseFacts>,
    /// Consents written or withdrawn after the asked value.
    pub consents: Vec<ConsentFacts>,
}

/// Expert-panel meetings hosted by a facility in a month, and the case reviews held at them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingCount {
    /// The hosting facility.
    pub panel_facility_id: String,
    /// Month index within the window.
    pub month: usize,
    /// Meetings held.
    pub meetings: i64,
    /// Case reviews on their agendas.
    pub reviews: i64,
}

/// Records to load in one transaction, already in the shape the workflows write them.
#[derive(Debug, Clone, Default)]
pub struct RecordBatch {
    /// Patients with the user who registered them.
    pub patients: Vec<(Patient, String)>,
    /// Consents.
    pub consents: Vec<Consent>,
    /// Cases (with their final state and case number) and who registered them.
    pub cases: Vec<(Case, String)>,
    /// State changes, by case id.
    pub events: Vec<(String, CaseEvent)>,
    /// Panel meetings with attendees.
    pub meetings: Vec<PanelMeeting>,
    /// Reviews with recommendations and sign-offs.
    pub reviews: Vec<CaseReview>,
    /// Explanations.
    pub explanations: Vec<Explanation>,
    /// Treatments.
    pub treatments: Vec<Treatment>,
}

/// The indicator part of the store; every [`crate::Store`] is one.
#[async_trait]
pub trait IndicatorStore: Send + Sync {
    /// The case facts and consents stamped after `after` (all of them for a negative
    /// `after`: consents written before the clock existed carry 0).
    async fn indicator_facts(&self, after: i64) -> Result<FactsFeed, StoreError>;
    /// Recomputes the facts of the given cases from their records (repair after a manual
    /// database change; benchmarks use it as a stand-in for workflow writes).
    async fn refresh_case_facts(&self, case_ids: &[String]) -> Result<(), StoreError>;
    /// Panel meetings and reviews by hosting facility and month.
    async fn indicator_meetings(
        &self,
        w: &IndicatorWindow,
    ) -> Result<Vec<MeetingCount>, StoreError>;
    /// Loads generated records in one transaction; nothing is stored if any row fails.
    async fn load_records(&self, batch: &RecordBatch) -> Result<(), StoreError>;
    /// Refreshes the planner's statistics (`ANALYZE`) after a bulk load.
    async fn refresh_statistics(&self) -> Result<(), StoreError>;
}
