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

/// One reported alteration as the Beacon index holds it (`docs/beacon.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeaconVariant {
    /// HGNC symbol, upper case.
    pub gene: String,
    /// HGVS p. as reported (`NP_005219.2:p.(Leu858Arg)`).
    pub hgvs_p: Option<String>,
    /// The report's label (`EGFR L858R`).
    pub label: String,
    /// Chromosome without `chr` (`7`, `X`, `MT`), for small variants.
    pub chrom: Option<String>,
    /// 1-based position.
    pub pos: Option<i64>,
    /// Reference bases.
    pub ref_bases: Option<String>,
    /// Alternate bases.
    pub alt_bases: Option<String>,
    /// The report's genome build.
    pub genome_build: String,
}

/// A Beacon index row of a case's latest findings version, with the case's patient and
/// tumour type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BeaconHit {
    /// Case.
    pub case_id: String,
    /// Its patient.
    pub patient_id: String,
    /// Its OncoTree code.
    pub oncotree_code: String,
    /// The alteration.
    pub variant: BeaconVariant,
}

/// `7` for `7`, `chr7`, `NC_000007.14`; `X`, `Y`, `MT` likewise.
pub fn normalize_chromosome(name: &str) -> String {
    let n = name.trim();
    if let Some(acc) = n.strip_prefix("NC_") {
        let num = acc.split('.').next().unwrap_or("");
        return match num.trim_start_matches('0') {
            "23" => "X".into(),
            "24" => "Y".into(),
            "12920" => "MT".into(),
            other => other.to_owned(),
        };
    }
    let n = n
        .strip_prefix("chr")
        .or_else(|| n.strip_prefix("CHR"))
        .unwrap_or(n);
    match n.to_ascii_uppercase().as_str() {
        "M" => "MT".into(),
        other => other.to_owned(),
    }
}

/// The index rows of a findings report (its `alterations`; the VUS list is not indexed).
/// The report is read as JSON so that the store needs no report model.
pub fn beacon_variants_of(report_json: &str) -> Vec<BeaconVariant> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(report_json) else {
        return Vec::new();
    };
    let text =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
    let build = v
        .get("test")
        .and_then(|t| text(t, "genome_build"))
        .unwrap_or_default();
    let Some(alterations) = v.get("alterations").and_then(|a| a.as_array()) else {
        return Vec::new();
    };
    alterations
        .iter()
        .filter_map(|a| {
            let gene = text(a, "gene")?.to_ascii_uppercase();
            // `chr7:55191822 T>G`
            let genomic = text(a, "genomic").and_then(|g| {
                let (loc, change) = g.trim().split_once(' ')?;
                let (chrom, pos) = loc.rsplit_once(':')?;
                let (r, alt) = change.split_once('>')?;
                Some((
                    normalize_chromosome(chrom),
                    pos.parse::<i64>().ok()?,
                    r.to_ascii_uppercase(),
                    alt.to_ascii_uppercase(),
                ))
            });
            Some(BeaconVariant {
                gene,
                hgvs_p: text(a, "hgvs_p"),
                label: text(a, "label").unwrap_or_default(),
                chrom: genomic.as_ref().map(|g| g.0.clone()),
                pos: genomic.as_ref().map(|g| g.1),
                ref_bases: genomic.as_ref().map(|g| g.2.clone()),
                alt_bases: genomic.as_ref().map(|g| g.3.clone()),
                genome_build: build.clone(),
            })
        })
        .collect()
}

/// Findings versions and knowledge releases.
#[async_trait]
pub trait FindingsStore: Send + Sync {
    /// The Beacon index rows of each case's latest findings version with this gene (upper
    /// case) or at this (chromosome, 1-based position).
    async fn beacon_candidates(
        &self,
        gene: Option<&str>,
        position: Option<(&str, i64)>,
    ) -> Result<Vec<BeaconHit>, StoreError>;
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
