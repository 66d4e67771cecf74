//! Findings reports issued for cases (調査結果), one row per version, and the knowledge-base
//! releases they were built with — the [`FindingsStore`] part of the store. A report's JSON
//! is kept in the row so a version and its content are written in one transaction.

use async_trait::async_trait;
use ganome_core::{CaseState, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{ReinterpretationAlert, StoreError};

/// One version of a case's findings report, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FindingsVersion {
    /// Opaque id (what a panel review pins).
    pub id: String,
    /// The case.
    pub case_id: String,
    /// 1, 2, … per case, in order of issue.
    pub version: i64,
    /// The report's content id (`GR-…`): equal ids mean equal inputs, knowledge and engine.
    pub report_id: String,
    /// Report schema version.
    pub schema_version: String,
    /// Knowledge release label it was built with.
    pub knowledge_release: String,
    /// SHA-256 of that release's content.
    pub knowledge_hash: String,
    /// Transcript database it was built with.
    pub transcript_db: String,
    /// Engine version.
    pub engine: String,
    /// Why this version was issued (`results received`, `knowledge release …`).
    pub reason: String,
    /// Alterations reported (VUS excluded).
    pub alterations: i64,
    /// Variants of uncertain significance.
    pub vus: i64,
    /// Treatment options (drug × level) listed.
    pub options: i64,
    /// The highest Japanese evidence level among them (`A` … `E`), if any.
    pub top_level: Option<String>,
    /// Clinical trials listed (domestic and overseas).
    pub trials: i64,
    /// Whether a presumed-germline finding calls for genetic counselling.
    pub germline_flag: bool,
    /// User (or `system`) that issued it.
    pub issued_by: String,
    /// When.
    pub issued_at: Timestamp,
}

/// A version to store with its report JSON.
#[derive(Debug, Clone)]
pub struct NewFindings {
    /// The version's fields; `version` is assigned by the store.
    pub findings: FindingsVersion,
    /// The report as JSON.
    pub report_json: String,
    /// When set, the case moves from this state to `findings_issued` in the same transaction
    /// (the first version after results are received).
    pub move_from: Option<CaseState>,
    /// A re-interpretation alert raised by this version, written in the same transaction;
    /// its `findings_version` is assigned with the version, and the store refuses
    /// (`Conflict`) when its `previous_findings_id` is no longer the case's latest version.
    pub alert: Option<ReinterpretationAlert>,
}

/// A knowledge-base release registered with the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct KnowledgeReleaseRecord {
    /// Release name (unique).
    pub name: String,
    /// SHA-256 of its content (unique: one name per content).
    pub content_hash: String,
    /// Where the release file is kept in the file storage.
    pub storage_key: String,
    /// One-line summary (counts of evidence, approvals, trials; source versions).
    pub summary: String,
    /// Who registered it.
    pub registered_by: String,
    /// When.
    pub registered_at: Timestamp,
    /// Whether findings are issued with it now.
    pub is_current: bool,
}

/// Findings versions and knowledge releases.
#[async_trait]
pub trait FindingsStore: Send + Sync {
    /// Stores a new findings version (numbered after the case's last), moving the case to
    /// `findings_issued` when [`NewFindings::move_from`] says so; `Conflict` if the case is no
    /// longer in that state. Returns the version as stored.
    async fn insert_findings(&self, new: &NewFindings) -> Result<FindingsVersion, StoreError>;
    /// A case's findings versions, oldest first.
    async fn list_findings(&self, case_id: &str) -> Result<Vec<FindingsVersion>, StoreError>;
    /// One version and its report JSON.
    async fn get_findings(&self, id: &str)
    -> Result<Option<(FindingsVersion, String)>, StoreError>;
    /// Ids of the cases with at least one findings version, in id order.
    async fn cases_with_findings(&self) -> Result<Vec<String>, StoreError>;

    /// Registers a release; `Conflict` if the name or content is already registered. With
    /// `make_current`, it becomes the one current release.
    async fn insert_knowledge_release(
        &self,
        release: &KnowledgeReleaseRecord,
    ) -> Result<(), StoreError>;
    /// Makes a registered release the current one; `NotFound`-style `Conflict` if unknown.
    async fn set_current_knowledge_release(&self, name: &str) -> Result<(), StoreError>;
    /// All registered releases, oldest first.
    async fn list_knowledge_releases(&self) -> Result<Vec<KnowledgeReleaseRecord>, StoreError>;
}
