//! Re-interpretation alerts (再解析アラート): a new findings version of a case that lists a
//! treatment option the previous version did not, or lists one at a stronger level — the
//! [`AlertStore`] part of the store. An alert is written with its findings version, in the
//! same transaction ([`crate::NewFindings::alert`]); which options count is the service's
//! rule (`ganome_service::alerts`).

use async_trait::async_trait;
use ganome_core::{JpEvidenceLevel, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

use crate::StoreError;

/// One treatment option that is new in a findings version, or at a stronger level than in
/// the previous version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AlertOption {
    /// The alteration or biomarker as the report labels it (`EGFR L858R`, `TMB-H`).
    pub alteration: String,
    /// Drug or combination as the report shows it.
    pub drug: String,
    /// Its evidence level in the new version (three-society guidance, edition 2.x).
    pub level: JpEvidenceLevel,
    /// Its level in the previous version, or none when the option was not listed.
    pub previous_level: Option<JpEvidenceLevel>,
}

/// An alert raised for one case by one new findings version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ReinterpretationAlert {
    /// Opaque id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The case's number (filled in when read; ignored when written).
    pub case_number: String,
    /// The new findings version's id.
    pub findings_id: String,
    /// Its number (assigned by the store with the version).
    pub findings_version: i64,
    /// The version compared against (the case's latest before this one).
    pub previous_findings_id: String,
    /// Its number.
    pub previous_version: i64,
    /// Knowledge release of the new version.
    pub knowledge_release: String,
    /// Knowledge release of the previous version.
    pub previous_knowledge_release: String,
    /// Why the new version was issued (`knowledge release …`, `results received`).
    pub reason: String,
    /// The new and improved options, in report order.
    pub options: Vec<AlertOption>,
    /// When raised (the new version's issue time).
    pub raised_at: Timestamp,
    /// The user id of who acknowledged it, if anyone has.
    pub acknowledged_by: Option<String>,
    /// When it was acknowledged.
    pub acknowledged_at: Option<Timestamp>,
}

/// Whose alerts a listing may return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertScope {
    /// Every case (data-center administration).
    All,
    /// Cases ordered by this facility (its clinicians).
    OrderedBy(String),
    /// Cases referred to this facility's expert panel (its members and chair).
    PanelOf(String),
}

/// Filters for listing alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertFilter {
    /// Whose alerts.
    pub scope: AlertScope,
    /// Only this case's.
    pub case_id: Option<String>,
    /// Only those nobody has acknowledged.
    pub unacknowledged_only: bool,
    /// At most this many, newest first.
    pub limit: i64,
}

impl AlertFilter {
    /// Every alert in a scope, up to 500.
    pub fn scoped(scope: AlertScope) -> AlertFilter {
        AlertFilter {
            scope,
            case_id: None,
            unacknowledged_only: false,
            limit: 500,
        }
    }
}

/// Re-interpretation alerts (written by [`crate::FindingsStore::insert_findings`]).
#[async_trait]
pub trait AlertStore: Send + Sync {
    /// Alerts matching a filter, newest first.
    async fn list_alerts(
        &self,
        filter: &AlertFilter,
    ) -> Result<Vec<ReinterpretationAlert>, StoreError>;
    /// One alert.
    async fn get_alert(&self, id: &str) -> Result<Option<ReinterpretationAlert>, StoreError>;
    /// Marks an alert acknowledged; `Conflict` if it already is. Returns it as stored.
    async fn acknowledge_alert(
        &self,
        id: &str,
        by_user: &str,
        at: Timestamp,
    ) -> Result<ReinterpretationAlert, StoreError>;
}
