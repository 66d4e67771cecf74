//! Findings reports in the service (調査結果の発行): when a case's results are ingested, the
//! data center's engine reads the result files, builds the report against the transcript
//! database and the current knowledge release, and stores it as a new version while moving
//! the case to `findings_issued` in the same transaction. A new knowledge release issues a
//! new version for every case that has findings; no version is ever overwritten, so a panel
//! review keeps pointing at what the panel read.
//!
//! When the case already had a version, the new report is compared with the previous one
//! and a re-interpretation alert is stored with the version when a treatment option is new
//! or stronger ([`crate::alerts`]).
//!
//! The report is stored as its JSON (the model); every other format (HTML ja/en, FHIR, TSV,
//! XLSX) is rendered from it on request, so all formats of one version agree.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use ganome_core::{CaseState, Timestamp};
use ganome_genomics::results::{CaseResults, ResultKind};
use ganome_genomics::txdb::TranscriptDb;
use ganome_knowledge::KnowledgeRelease;
use ganome_report::{
    CaseInput, FindingsReport, GermlineDisclosure, GermlineGuidance, InputFile, Lang,
    ReportContext, ReportInputs, build_report,
};
use ganome_store::{Case, FindingsVersion, KnowledgeReleaseRecord, NewFindings};
use sha2::{Digest, Sha256};

use crate::ids::new_id;
use crate::{Actor, Ganome, ServiceError, access};

/// What the data center annotates with: a transcript database, a knowledge release and the
/// germline guidance. Swapped whole when a new knowledge release is published.
#[derive(Debug)]
pub struct AnnotationEngine {
    txdb: Arc<TranscriptDb>,
    txdb_id: String,
    release: KnowledgeRelease,
    guidance: Arc<GermlineGuidance>,
}

impl AnnotationEngine {
    /// An engine over the given parts; `txdb_id` names the transcript database in reports.
    pub fn new(
        txdb: TranscriptDb,
        txdb_id: String,
        release: KnowledgeRelease,
        guidance: GermlineGuidance,
    ) -> AnnotationEngine {
        AnnotationEngine {
            txdb: Arc::new(txdb),
            txdb_id,
            release,
            guidance: Arc::new(guidance),
        }
    }

    /// The folder of data shipped with Ganome: `GANOME_SHIPPED_DATA` when set (installed
    /// binaries), else the source tree's `data/`.
    pub fn shipped_data_dir() -> PathBuf {
        std::env::var_os("GANOME_SHIPPED_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data"))
    }

    /// The shipped transcript database: the LRG GRCh38 models of 28 cancer genes over their
    /// genomic slices (`data/transcripts`), with an id naming both files by hash.
    pub fn shipped_transcripts() -> Result<(TranscriptDb, String), ServiceError> {
        let dir = Self::shipped_data_dir().join("transcripts");
        let gff = dir.join("transcripts.chrom_coords.gff3");
        let fasta = dir.join("genomic_slices.fa");
        let engine_err = |what: String| ServiceError::Engine(what);
        let hash = |p: &Path| -> Result<String, ServiceError> {
            let bytes = std::fs::read(p).map_err(|e| {
                engine_err(format!(
                    "cannot read {}: {e} (set GANOME_SHIPPED_DATA to Ganome's data folder)",
                    p.display()
                ))
            })?;
            Ok(hex::encode(Sha256::digest(&bytes))[..16].to_owned())
        };
        let id = format!(
            "LRG GRCh38 cancer genes: transcripts.chrom_coords.gff3 sha256:{} + genomic_slices.fa sha256:{}",
            hash(&gff)?,
            hash(&fasta)?
        );
        let db = TranscriptDb::from_gff_fasta(&gff, &fasta)
            .map_err(|e| engine_err(format!("building the shipped transcript database: {e}")))?;
        Ok((db, id))
    }

    /// The knowledge release in use.
    pub fn release(&self) -> &KnowledgeRelease {
        &self.release
    }

    /// This engine with another knowledge release (the transcript database and guidance
    /// are shared, not copied).
    fn with_release(&self, release: KnowledgeRelease) -> AnnotationEngine {
        AnnotationEngine {
            txdb: self.txdb.clone(),
            txdb_id: self.txdb_id.clone(),
            release,
            guidance: self.guidance.clone(),
        }
    }

    fn build(&self, case: &CaseInput, inputs: &ReportInputs) -> FindingsReport {
        build_report(
            case,
            inputs,
            ReportContext {
                txdb: &self.txdb,
                txdb_id: &self.txdb_id,
                release: &self.release,
                guidance: &self.guidance,
            },
        )
    }
}

/// A findings version with its report.
#[derive(Debug, Clone)]
pub struct FindingsDocument {
    /// The version.
    pub version: FindingsVersion,
    /// The report.
    pub report: FindingsReport,
}

/// Formats a findings version can be downloaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingsFormat {
    /// `report.json`: the model.
    Json,
    /// `report.ja.html` or `report.en.html`.
    Html(Lang),
    /// `report.fhir.json`: HL7 Genomics Reporting bundle.
    Fhir,
    /// `report.tsv`.
    Tsv,
    /// `report.xlsx`.
    Xlsx,
}

impl FindingsFormat {
    /// The format named by a file name as `ganome annotate --out` writes them.
    pub fn from_file_name(name: &str) -> Option<FindingsFormat> {
        Some(match name {
            "report.json" => FindingsFormat::Json,
            "report.ja.html" => FindingsFormat::Html(Lang::Ja),
            "report.en.html" => FindingsFormat::Html(Lang::En),
            "report.fhir.json" => FindingsFormat::Fhir,
            "report.tsv" => FindingsFormat::Tsv,
            "report.xlsx" => FindingsFormat::Xlsx,
            _ => return None,
        })
    }

    /// The HTTP media type.
    pub fn media_type(self) -> &'static str {
        match self {
            FindingsFormat::Json => "application/json",
            FindingsFormat::Html(_) => "text/html; charset=utf-8",
            FindingsFormat::Fhir => "application/fhir+json",
            FindingsFormat::Tsv => "text/tab-separated-values; charset=utf-8",
            FindingsFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }

    fn render(self, r: &FindingsReport) -> Result<Vec<u8>, ServiceError> {
        use ganome_report::render;
        let err = |e: String| ServiceError::Engine(format!("rendering the report: {e}"));
        Ok(match self {
            FindingsFormat::Json => render::json::render(r).map_err(|e| err(e.to_string()))?,
            FindingsFormat::Html(lang) => render::html::render(r, lang)
                .map_err(|e| err(e.to_string()))?
                .into_bytes(),
            FindingsFormat::Fhir => render::fhir::render(r).map_err(|e| err(e.to_string()))?,
            FindingsFormat::Tsv => render::tsv::render(r).into_bytes(),
            FindingsFormat::Xlsx => render::xlsx::render(r).map_err(|e| err(e.to_string()))?,
        })
    }
}

/// Checks that a result file of a kind Ganome reads parses; the message names the file,
/// line and field.
pub(crate) fn check_result_file(filename: &str, content: &[u8]) -> Result<(), String> {
    if ResultKind::from_filename(filename) == ResultKind::Other {
        return Ok(());
    }
    CaseResults::default()
        .add(filename, content)
        .map(|_| ())
        .map_err(|e| e.message)
}

fn summary_counts(r: &FindingsReport) -> (i64, Option<String>) {
    let options = r
        .summary
        .options_by_level
        .values()
        .map(Vec::len)
        .sum::<usize>();
    let top = r
        .summary
        .options_by_level
        .iter()
        .find(|(_, v)| !v.is_empty())
        .map(|(k, _)| k.clone());
    (options as i64, top)
}

/// A one-line description of a release for the registry.
fn release_summary(r: &KnowledgeRelease) -> String {
    let c = &r.content;
    let sources = c
        .sources
        .iter()
        .map(|s| format!("{} {}", s.name, s.version))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{} evidence items, {} approvals, {} trials; sources: {sources}",
        c.evidence.len(),
        c.approvals.len(),
        c.trials.len()
    )
}

impl Ganome {
    /// Uses `engine` for findings from now on.
    pub fn set_annotation_engine(&self, engine: AnnotationEngine) {
        let mut slot = self
            .annotation
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *slot = Some(Arc::new(engine));
    }

    /// The engine in use, if findings are issued by this instance.
    pub fn annotation_engine(&self) -> Option<Arc<AnnotationEngine>> {
        self.annotation
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Registered knowledge releases (any signed-in user: releases hold no patient data).
    pub async fn list_knowledge_releases(
        &self,
        actor: &Actor,
    ) -> Result<Vec<KnowledgeReleaseRecord>, ServiceError> {
        let _ = actor;
        Ok(self.store.list_knowledge_releases().await?)
    }

    /// The current registered release, loaded from the file storage, if there is one.
    pub async fn load_current_knowledge_release(
        &self,
    ) -> Result<Option<KnowledgeRelease>, ServiceError> {
        let Some(rec) = self
            .store
            .list_knowledge_releases()
            .await?
            .into_iter()
            .find(|r| r.is_current)
        else {
            return Ok(None);
        };
        Ok(Some(self.load_knowledge_release(&rec).await?))
    }

    /// A registered release, read from the file storage.
    async fn load_knowledge_release(
        &self,
        rec: &KnowledgeReleaseRecord,
    ) -> Result<KnowledgeRelease, ServiceError> {
        let bytes = self.blobs.get(&rec.storage_key).await?;
        let release = KnowledgeRelease::from_bytes(&bytes)
            .map_err(|e| ServiceError::Engine(format!("knowledge release {}: {e}", rec.name)))?;
        Ok(release.named(&rec.name))
    }

    /// Registers a named knowledge release as the current one (operator tools such as
    /// `ganome demo` and `ganome kb publish`; `by` names the operator in the registry).
    /// The release file goes to the file storage; the registry row is written after it.
    pub async fn register_knowledge_release(
        &self,
        release: &KnowledgeRelease,
        by: &str,
    ) -> Result<KnowledgeReleaseRecord, ServiceError> {
        let name = release.name.clone().ok_or_else(|| {
            ServiceError::invalid("name", "a release must be named before it is registered")
        })?;
        let key = format!("kb/releases/{}.json", release.content_hash);
        let bytes = release
            .to_bytes()
            .map_err(|e| ServiceError::Engine(format!("knowledge release {name}: {e}")))?;
        self.blobs.put(&key, Bytes::from(bytes)).await?;
        let record = KnowledgeReleaseRecord {
            name,
            content_hash: release.content_hash.clone(),
            storage_key: key,
            summary: release_summary(release),
            registered_by: by.to_owned(),
            registered_at: Timestamp::now(),
            is_current: true,
        };
        self.store.insert_knowledge_release(&record).await?;
        Ok(record)
    }

    /// Publishes a named knowledge release and re-interprets every case in this process:
    /// [`Ganome::queue_knowledge_release`], then [`Ganome::drain_jobs`] until the queue is
    /// empty (other workers may share the work). Returns the record and the number of new
    /// findings versions this process issued.
    pub async fn publish_knowledge_release(
        &self,
        actor: &Actor,
        release: KnowledgeRelease,
    ) -> Result<(KnowledgeReleaseRecord, usize), ServiceError> {
        let (record, _) = self.queue_knowledge_release(actor, release).await?;
        let report = self
            .drain_jobs(&crate::jobs::worker_name("publish"), &|_| {})
            .await?;
        Ok((record, report.issued))
    }

    /// Publishes a named knowledge release (a data-center curator, reviewer or
    /// administrator): registers it as current (or makes it current again when it was
    /// registered before with the same content), switches this process's engine to it, and
    /// queues the re-interpretation of every case that has findings ([`crate::jobs`]); each
    /// job issues a new version where the report changed, raising re-interpretation alerts
    /// where a treatment option appeared ([`crate::alerts`]). Returns the record and the
    /// number of cases queued.
    pub async fn queue_knowledge_release(
        &self,
        actor: &Actor,
        release: KnowledgeRelease,
    ) -> Result<(KnowledgeReleaseRecord, usize), ServiceError> {
        let name = release.name.clone();
        let result = async {
            if !access::may_publish_knowledge(actor) {
                return Err(ServiceError::Forbidden(
                    "knowledge releases are published by the data center's curators, reviewers and administrators"
                        .into(),
                ));
            }
            let engine = self.annotation_engine().ok_or_else(|| {
                ServiceError::Engine("this instance issues no findings (no transcript database loaded)".into())
            })?;
            // A release registered before under the same name and content becomes current
            // again (back to it after another); anything else is registered, and a name or
            // content registered differently is refused.
            let registered = self
                .store
                .list_knowledge_releases()
                .await?
                .into_iter()
                .find(|r| {
                    Some(&r.name) == release.name.as_ref() && r.content_hash == release.content_hash
                });
            let record = match registered {
                Some(r) => {
                    self.store.set_current_knowledge_release(&r.name).await?;
                    KnowledgeReleaseRecord {
                        is_current: true,
                        ..r
                    }
                }
                None => {
                    self.register_knowledge_release(&release, &actor.user_id)
                        .await?
                }
            };
            let reason = format!("knowledge release {}", release.label());
            self.set_annotation_engine(engine.with_release(release));
            let queued = self
                .queue_reinterpretation(&reason, &actor.user_id)
                .await?;
            Ok((record, queued))
        }
        .await;
        let mut entry = actor.audit("knowledge.publish", "knowledge_release", name.as_deref());
        if let Ok((_, n)) = &result {
            entry.detail = Some(format!("{n} cases queued for re-interpretation"));
        }
        self.audited(entry, result).await
    }

    /// Switches this process's engine to the store's current knowledge release when another
    /// process published a different one (a server keeps annotating with what is current,
    /// not with what was current when it started). Nothing happens without an engine or a
    /// registered release. Returns whether the engine changed.
    pub async fn follow_current_knowledge_release(&self) -> Result<bool, ServiceError> {
        let Some(engine) = self.annotation_engine() else {
            return Ok(false);
        };
        let Some(current) = self
            .store
            .list_knowledge_releases()
            .await?
            .into_iter()
            .find(|r| r.is_current)
        else {
            return Ok(false);
        };
        let held = engine.release();
        if held.content_hash == current.content_hash
            && held.name.as_deref() == Some(current.name.as_str())
        {
            return Ok(false);
        }
        let release = self.load_knowledge_release(&current).await?;
        tracing::info!(release = %release.label(), "following the current knowledge release");
        self.set_annotation_engine(engine.with_release(release));
        Ok(true)
    }

    /// Builds the findings for a case from its result files and stores them as a new version
    /// when they differ from the latest (by report id). A case in `results_received` moves to
    /// `findings_issued`. Returns `None` when nothing new was issued (no engine, no genomic
    /// file yet, or the same report as the latest version).
    pub(crate) async fn issue_findings_for(
        &self,
        case: &Case,
        reason: &str,
        by_user: &str,
    ) -> Result<Option<FindingsVersion>, ServiceError> {
        self.follow_current_knowledge_release().await?;
        let Some(engine) = self.annotation_engine() else {
            return Ok(None);
        };
        if !matches!(
            case.state,
            CaseState::ResultsReceived
                | CaseState::FindingsIssued
                | CaseState::PanelReviewed
                | CaseState::Explained
                | CaseState::FollowedUp
        ) {
            return Ok(None);
        }
        let files = self.store.list_result_files(&case.id).await?;
        let mut results = CaseResults::default();
        let mut input_files = Vec::new();
        for f in &files {
            let kind = ResultKind::from_filename(&f.filename);
            if kind == ResultKind::Other {
                continue;
            }
            let Some((_, key)) = self.store.get_result_file(&f.id).await? else {
                continue;
            };
            let content = self.blobs.get(&key).await?;
            results
                .add(&f.filename, &content)
                .map_err(|e| ServiceError::Engine(format!("stored result file: {}", e.message)))?;
            input_files.push(InputFile {
                role: kind.as_str().to_owned(),
                name: f.filename.clone(),
                sha256: f.sha256.clone(),
            });
        }
        if !results.has_genomic_content() {
            return Ok(None);
        }
        let events = self.store.case_events(&case.id).await?;
        let received = events
            .iter()
            .find(|e| e.state == CaseState::ResultsReceived)
            .map_or(case.updated_at, |e| e.at);
        let disclosure = self
            .store
            .list_consents(&case.patient_id)
            .await?
            .into_iter()
            .rev()
            .find(|c| c.withdrawn_at.is_none())
            .map_or(GermlineDisclosure::Undecided, |c| {
                match c.items.germline_disclosure {
                    ganome_core::GermlineDisclosure::Disclose => GermlineDisclosure::Disclose,
                    ganome_core::GermlineDisclosure::DoNotDisclose => {
                        GermlineDisclosure::DoNotDisclose
                    }
                    ganome_core::GermlineDisclosure::Undecided => GermlineDisclosure::Undecided,
                }
            });
        let case_input = CaseInput {
            report_date: Some(received.date_jst().to_string()),
            specimen: Some(match &case.specimen_site {
                Some(site) => format!("{} ({site})", case.specimen_type.label_ja()),
                None => case.specimen_type.label_ja().to_owned(),
            }),
            disclosure,
            panel: case.test_product.label_ja().to_owned(),
            tumor_only: case.test_product.is_tumor_only(),
            tumor_content: case.tumor_content_pct.map(|p| p / 100.0),
            ..CaseInput::new(&case.case_number, &case.oncotree_code)
        };
        let inputs = ReportInputs {
            variants: results.variants,
            copy_numbers: results.copy_numbers,
            fusions: results.fusions,
            biomarkers: results.biomarkers,
            files: input_files,
        };
        let built = {
            let engine = engine.clone();
            tokio::task::spawn_blocking(move || engine.build(&case_input, &inputs))
                .await
                .map_err(|e| ServiceError::Engine(format!("report build failed: {e}")))?
        };
        let existing = self.store.list_findings(&case.id).await?;
        if existing
            .last()
            .is_some_and(|v| v.report_id == built.report_id)
        {
            return Ok(None);
        }
        let json = FindingsFormat::Json.render(&built)?;
        let (options, top_level) = summary_counts(&built);
        let id = new_id();
        let issued_at = Timestamp::now().max(case.updated_at);
        let alert = match existing.last() {
            Some(previous) => {
                self.alert_for(previous, &id, &built, reason, issued_at)
                    .await?
            }
            None => None,
        };
        let new = NewFindings {
            findings: FindingsVersion {
                id,
                case_id: case.id.clone(),
                version: 0,
                report_id: built.report_id.clone(),
                schema_version: built.schema_version.clone(),
                knowledge_release: built.provenance.knowledge_release.clone(),
                knowledge_hash: built.provenance.knowledge_hash.clone(),
                transcript_db: built.provenance.transcript_db.clone(),
                engine: built.provenance.engine.clone(),
                reason: reason.to_owned(),
                alterations: built.summary.alterations as i64,
                vus: built.summary.vus as i64,
                options,
                top_level,
                trials: (built.summary.trials_domestic + built.summary.trials_overseas) as i64,
                germline_flag: built.summary.germline_flag,
                issued_by: by_user.to_owned(),
                issued_at,
            },
            report_json: String::from_utf8(json)
                .map_err(|e| ServiceError::Engine(format!("report JSON: {e}")))?,
            move_from: (case.state == CaseState::ResultsReceived)
                .then_some(CaseState::ResultsReceived),
            alert,
        };
        Ok(Some(self.store.insert_findings(&new).await?))
    }

    /// Issues findings for a case now (a data-center administrator, e.g. after the engine
    /// was unavailable when results arrived). `Conflict` when the findings would be the same
    /// as the latest version.
    pub async fn issue_findings(
        &self,
        actor: &Actor,
        case_id: &str,
    ) -> Result<FindingsVersion, ServiceError> {
        let result = async {
            let case = self.load_case_for_read(actor, case_id).await?;
            if !access::may_issue_findings(actor) {
                return Err(ServiceError::Forbidden(
                    "findings are issued by the data center".into(),
                ));
            }
            if self.annotation_engine().is_none() {
                return Err(ServiceError::Engine(
                    "this instance issues no findings (no transcript database loaded)".into(),
                ));
            }
            self.issue_findings_for(&case, "issued by the data center", &actor.user_id)
                .await?
                .ok_or_else(|| {
                    ServiceError::Conflict(format!(
                        "case {case_id}: no genomic result files yet, results not received, or the findings are unchanged"
                    ))
                })
        }
        .await;
        let id = result.as_ref().ok().map(|f| f.id.clone());
        let mut entry = actor.audit("findings.issue", "findings", id.as_deref());
        entry.detail = Some(format!("case {case_id}"));
        self.audited(entry, result).await
    }

    /// A case's findings versions, oldest first.
    pub async fn list_findings(
        &self,
        actor: &Actor,
        case_id: &str,
    ) -> Result<Vec<FindingsVersion>, ServiceError> {
        let result = async {
            self.load_case_if(actor, case_id, access::may_read_findings)
                .await?;
            Ok(self.store.list_findings(case_id).await?)
        }
        .await;
        self.audit_result(actor, "findings.list", "case", Some(case_id), result)
            .await
    }

    /// One findings version with its report.
    pub async fn get_findings(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<FindingsDocument, ServiceError> {
        let result = self.load_findings(actor, id).await;
        self.audit_result(actor, "findings.read", "findings", Some(id), result)
            .await
    }

    /// One findings version rendered in a format.
    pub async fn render_findings(
        &self,
        actor: &Actor,
        id: &str,
        format: FindingsFormat,
    ) -> Result<(FindingsVersion, Vec<u8>), ServiceError> {
        let result = async {
            let doc = self.load_findings(actor, id).await?;
            let bytes = format.render(&doc.report)?;
            Ok((doc.version, bytes))
        }
        .await;
        self.audit_result(actor, "findings.download", "findings", Some(id), result)
            .await
    }

    async fn load_findings(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<FindingsDocument, ServiceError> {
        let doc = self
            .stored_findings(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("findings {id}")))?;
        self.load_case_if(actor, &doc.version.case_id, access::may_read_findings)
            .await?;
        Ok(doc)
    }

    /// A stored findings version with its report read back (no access check: for callers
    /// that have made theirs).
    pub(crate) async fn stored_findings(
        &self,
        id: &str,
    ) -> Result<Option<FindingsDocument>, ServiceError> {
        let Some((version, json)) = self.store.get_findings(id).await? else {
            return Ok(None);
        };
        let report: FindingsReport = serde_json::from_str(&json)
            .map_err(|e| ServiceError::Engine(format!("stored findings {id}: {e}")))?;
        Ok(Some(FindingsDocument { version, report }))
    }

    /// A case's latest findings version with its report, if it has one (no access check).
    pub(crate) async fn latest_findings(
        &self,
        case_id: &str,
    ) -> Result<Option<FindingsDocument>, ServiceError> {
        match self.store.list_findings(case_id).await?.pop() {
            Some(latest) => self.stored_findings(&latest.id).await,
            None => Ok(None),
        }
    }
}
