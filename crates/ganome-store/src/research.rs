//! Secondary use (利活用): researchers' applications, the review board's decisions and the
//! de-identified releases built for approved applications — the [`ResearchStore`] part of
//! the store. Which cases a release holds and how they are de-identified is the service's
//! rule (`ganome_service::research`); the store keeps what was decided and built, immutably.

use std::collections::BTreeMap;

use async_trait::async_trait;
use ganome_core::{ApplicationState, ResearchSector, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::StoreError;

/// What an application asks for. Empty code and gene lists mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ResearchScope {
    /// OncoTree codes of the cases wanted (e.g. `LUAD`); empty for every tumour type.
    #[serde(default)]
    pub oncotree_codes: Vec<String>,
    /// HGNC symbols: only cases with a reported alteration in one of them; empty for all.
    #[serde(default)]
    pub genes: Vec<String>,
    /// Registered on or after this day (`YYYY-MM-DD`).
    #[serde(default)]
    pub registered_from: Option<String>,
    /// Registered before this day (`YYYY-MM-DD`).
    #[serde(default)]
    pub registered_until: Option<String>,
    /// Data items wanted: `tumor_type`, `alterations`, `treatments`, `demographics`.
    #[serde(default)]
    pub data_items: Vec<String>,
}

/// A secondary-use application (利活用申請).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ResearchApplication {
    /// Opaque id.
    pub id: String,
    /// The researcher who applied (user id).
    pub applicant_id: String,
    /// The applicant's research organisation.
    pub facility_id: String,
    /// Its sector, taken from the organisation's kind at submission.
    pub sector: ResearchSector,
    /// Title.
    pub title: String,
    /// Purpose (研究目的).
    pub purpose: String,
    /// Requested scope.
    pub scope: ResearchScope,
    /// Data-use terms as GA4GH DUO ids (`DUO:0000042`).
    pub duo_codes: Vec<String>,
    /// Where it stands.
    pub state: ApplicationState,
    /// When submitted.
    pub submitted_at: Timestamp,
    /// The reviewer who decided (user id).
    pub decided_by: Option<String>,
    /// When decided.
    pub decided_at: Option<Timestamp>,
    /// The board's comment.
    pub decision_comment: Option<String>,
    /// Conditions of an approval (承認条件).
    pub conditions: Option<String>,
    /// Embargo in days after registration that the releases apply (set on approval).
    pub embargo_days: Option<i64>,
    /// Why the embargo differs from the default, when it does.
    pub embargo_reason: Option<String>,
}

/// One state change of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ApplicationEvent {
    /// 1, 2, … in order.
    pub seq: i64,
    /// The state entered.
    pub state: ApplicationState,
    /// When.
    pub at: Timestamp,
    /// By whom (user id).
    pub by_user: String,
    /// The comment given with it.
    pub note: Option<String>,
}

/// The review board's decision on a submitted application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationDecision {
    /// `Approved` or `Rejected`.
    pub state: ApplicationState,
    /// The reviewer (user id).
    pub by_user: String,
    /// When.
    pub at: Timestamp,
    /// Comment.
    pub comment: String,
    /// Conditions of an approval.
    pub conditions: Option<String>,
    /// Embargo in days (approvals).
    pub embargo_days: Option<i64>,
    /// Why it differs from the default.
    pub embargo_reason: Option<String>,
}

/// A de-identified release built for an approved application. Immutable once stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ResearchRelease {
    /// Opaque id.
    pub id: String,
    /// The application.
    pub application_id: String,
    /// 1, 2, … per application (assigned by the store).
    pub seq: i64,
    /// When built.
    pub built_at: Timestamp,
    /// Who built it (user id; the reviewer who approved, or a data-center action).
    pub built_by: String,
    /// The embargo applied, in days.
    pub embargo_days: i64,
    /// Only cases registered before this time were eligible (build time minus the embargo).
    pub registered_before: Timestamp,
    /// Cases in the release.
    pub cases: i64,
    /// Cases in scope left out, by reason (`no_consent`, `consent_withdrawn`,
    /// `sector_not_consented`, `embargo`, `no_findings`, `gene_not_reported`).
    pub excluded: BTreeMap<String, i64>,
    /// File format of the main file (`ndjson`).
    pub format: String,
    /// Object-store key of the main file.
    #[serde(skip)]
    pub storage_key: String,
    /// SHA-256 of the main file.
    pub sha256: String,
    /// Size of the main file.
    pub size_bytes: i64,
    /// Object-store key of the CSV (one row per alteration).
    #[serde(skip)]
    pub csv_storage_key: String,
}

/// One case of a release, as only the data center sees it: the link from the research id
/// to the patient, the case and the consent version that allowed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseMember {
    /// The per-release research id.
    pub research_id: String,
    /// The patient.
    pub patient_id: String,
    /// The case.
    pub case_id: String,
    /// The consent in force at build time.
    pub consent_id: String,
}

/// Secondary-use applications and releases.
#[async_trait]
pub trait ResearchStore: Send + Sync {
    /// Stores a new (submitted) application and its first event.
    async fn insert_research_application(
        &self,
        application: &ResearchApplication,
    ) -> Result<(), StoreError>;
    /// One application.
    async fn get_research_application(
        &self,
        id: &str,
    ) -> Result<Option<ResearchApplication>, StoreError>;
    /// Applications of one applicant, or all with `None`; newest first.
    async fn list_research_applications(
        &self,
        applicant_id: Option<&str>,
    ) -> Result<Vec<ResearchApplication>, StoreError>;
    /// Records the decision on a submitted application with its event; `Conflict` if it is
    /// no longer submitted.
    async fn decide_research_application(
        &self,
        id: &str,
        decision: &ApplicationDecision,
    ) -> Result<ResearchApplication, StoreError>;
    /// An application's state changes, in order.
    async fn research_application_events(
        &self,
        id: &str,
    ) -> Result<Vec<ApplicationEvent>, StoreError>;
    /// Stores a release and its members in one transaction, numbering it after the
    /// application's last; returns it as stored.
    async fn insert_research_release(
        &self,
        release: &ResearchRelease,
        members: &[ReleaseMember],
    ) -> Result<ResearchRelease, StoreError>;
    /// An application's releases, oldest first.
    async fn list_research_releases(
        &self,
        application_id: &str,
    ) -> Result<Vec<ResearchRelease>, StoreError>;
    /// One release.
    async fn get_research_release(&self, id: &str) -> Result<Option<ResearchRelease>, StoreError>;
    /// A release's members, in research-id order.
    async fn research_release_members(
        &self,
        release_id: &str,
    ) -> Result<Vec<ReleaseMember>, StoreError>;
}
