//! What the national indicators read from the store: aggregates over the records, grouped
//! by facility (and month) so the service can sum them by tier without the store knowing
//! what a tier is; plus a bulk loader that writes generated records (scenarios, benchmarks)
//! in the same shape as the workflows do, one transaction per batch.
//!
//! Every query starts from the same set of *tests*: cases whose `specimen_shipped` event
//! falls in the window (see `docs/indicators.md` for why that event).

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

/// Tests (cases shipped) by ordering facility, panel facility and month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCount {
    /// The ordering facility.
    pub facility_id: String,
    /// The panel the case was referred to.
    pub panel_facility_id: String,
    /// Month index within the window, from 0.
    pub month: usize,
    /// Number of tests.
    pub tests: i64,
}

/// Per ordering facility: the tested patients and what happened to them by the window's end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatientCounts {
    /// The facility where the patients are registered.
    pub facility_id: String,
    /// Patients with at least one test in the window.
    pub patients: i64,
    /// … whose consent in force at the end of the window allows registration.
    pub consent_registration: i64,
    /// … allows secondary use (academia or industry).
    pub consent_secondary_use: i64,
    /// … allows both.
    pub consent_both: i64,
    /// … whose tested case had a signed-off panel review.
    pub reviewed: i64,
    /// … whose review recommended at least one treatment option.
    pub option_presented: i64,
    /// … who started a treatment based on a panel recommendation.
    pub treated_on_recommendation: i64,
    /// Tested cases whose review referred the patient to genetic counselling.
    pub germline_referrals: i64,
    /// Tested cases whose review recommended a confirmatory germline test.
    pub confirmatory_tests: i64,
}

/// A step of the flow whose duration is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Interval {
    /// Registration (order) to results received.
    OrderToResults,
    /// Results received to findings issued.
    ResultsToFindings,
    /// Findings issued to panel review signed off.
    FindingsToPanel,
    /// Panel review to results explained.
    PanelToExplanation,
    /// Registration (order) to results explained.
    OrderToExplanation,
}

impl Interval {
    /// All intervals, in the order of the flow.
    pub const ALL: [Interval; 5] = [
        Interval::OrderToResults,
        Interval::ResultsToFindings,
        Interval::FindingsToPanel,
        Interval::PanelToExplanation,
        Interval::OrderToExplanation,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::OrderToResults => "order_to_results",
            Interval::ResultsToFindings => "results_to_findings",
            Interval::FindingsToPanel => "findings_to_panel",
            Interval::PanelToExplanation => "panel_to_explanation",
            Interval::OrderToExplanation => "order_to_explanation",
        }
    }

    /// The case states that open and close the interval.
    pub fn states(self) -> (ganome_core::CaseState, ganome_core::CaseState) {
        use ganome_core::CaseState::*;
        match self {
            Interval::OrderToResults => (Registered, ResultsReceived),
            Interval::ResultsToFindings => (ResultsReceived, FindingsIssued),
            Interval::FindingsToPanel => (FindingsIssued, PanelReviewed),
            Interval::PanelToExplanation => (PanelReviewed, Explained),
            Interval::OrderToExplanation => (Registered, Explained),
        }
    }
}

/// How many tested cases took `days` whole days (elapsed time, rounded down) for a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationCount {
    /// The step.
    pub interval: Interval,
    /// Whole days.
    pub days: i64,
    /// Cases.
    pub cases: i64,
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

/// A facility's first case (registration), as ordering hospital or as the panel it was
/// referred to: when its panel-testing service had started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstTest {
    /// The facility.
    pub facility_id: String,
    /// When its first case was registered.
    pub at: Timestamp,
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
    /// Tests in the window by ordering facility, panel facility and month.
    async fn indicator_tests(&self, w: &IndicatorWindow) -> Result<Vec<TestCount>, StoreError>;
    /// Tested patients and their consent, review and treatment, by facility.
    async fn indicator_patients(
        &self,
        w: &IndicatorWindow,
    ) -> Result<Vec<PatientCounts>, StoreError>;
    /// Durations of the steps of tested cases, as histograms in whole days.
    async fn indicator_durations(
        &self,
        w: &IndicatorWindow,
    ) -> Result<Vec<DurationCount>, StoreError>;
    /// Panel meetings and reviews by hosting facility and month.
    async fn indicator_meetings(
        &self,
        w: &IndicatorWindow,
    ) -> Result<Vec<MeetingCount>, StoreError>;
    /// Each facility's first case registered before the window's end (no filters).
    async fn indicator_first_tests(&self, until: Timestamp) -> Result<Vec<FirstTest>, StoreError>;
    /// Loads generated records in one transaction; nothing is stored if any row fails.
    async fn load_records(&self, batch: &RecordBatch) -> Result<(), StoreError>;
    /// Refreshes the planner's statistics (`ANALYZE`) after a bulk load, so the aggregate
    /// queries use the covering indexes.
    async fn refresh_statistics(&self) -> Result<(), StoreError>;
}
