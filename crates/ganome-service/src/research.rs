//! Secondary use (利活用): DESIGN §2's "de-identified research releases ─▶ secondary use" and
//! §7's rule that consent and its withdrawal filter every release, releases respect an
//! embargo after registration, and aggregate answers suppress small counts.
//!
//! A researcher at a research organisation (academia or industry: the organisation's kind,
//! which decides the consent item that applies) submits an application with a scope and
//! GA4GH DUO data-use terms; a reviewer of the data-use review board (利活用審査会) at the data
//! center approves it with conditions or rejects it. Approval builds the first release; the
//! board or the data center's administrators build later ones (e.g. after new cases or a
//! withdrawal). A release is immutable: a row, its members and two files (NDJSON, CSV) in
//! the object store. The applicant alone queries it (counts with small-cell suppression)
//! and downloads it; a patient whose consent no longer allows the use is left out of every
//! later release, of query answers and of downloads. Every step is audited, allowed or not.
//! The rules and their reasons are in `docs/research.md`.

pub mod duo;
pub mod release;
pub mod suppression;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use bytes::Bytes;
use ganome_core::{ApplicationState, ResearchSector, Timestamp, ValidationErrors};

use ganome_store::{
    ApplicationDecision, ApplicationEvent, CaseFilter, CaseScope, ClinicalFilter, Facility,
    ReleaseMember, ResearchApplication, ResearchRelease, ResearchScope,
};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{Actor, FindingsDocument, Ganome, ServiceError, access, ids};
pub use release::{ReleaseAlteration, ReleaseRecord, ReleaseTreatment};
pub use suppression::CountCell;

/// The data items an application may ask for; an empty list asks for all of them.
pub const DATA_ITEMS: [&str; 4] = ["tumor_type", "alterations", "treatments", "demographics"];

/// The embargo when the board sets none: 180 days after registration, so a case is at
/// least half a year old before it leaves the data center — long enough for the report,
/// the panel and the first treatment decision to be recorded, and for the hospital to
/// correct the registration (`docs/research.md`).
pub const DEFAULT_EMBARGO_DAYS: i64 = 180;

/// A new application (researchers).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SubmitApplication {
    /// Title.
    pub title: String,
    /// Purpose (研究目的).
    pub purpose: String,
    /// Requested scope.
    #[serde(default)]
    pub scope: ResearchScope,
    /// Data-use terms as GA4GH DUO ids; at least one permission (GRU, HMB or DS).
    pub duo_codes: Vec<String>,
}

/// The board's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 承認 (with the conditions given).
    Approve,
    /// 不承認.
    Reject,
}

/// A reviewer's decision on a submitted application.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecideApplication {
    /// Approve or reject.
    pub decision: Decision,
    /// The board's comment (required).
    pub comment: String,
    /// Conditions of an approval (承認条件).
    pub conditions: Option<String>,
    /// Embargo in days after registration (approvals; default 180, 0–3650).
    pub embargo_days: Option<i64>,
    /// Why the embargo differs from the default (required when it does).
    pub embargo_reason: Option<String>,
}

/// An application with its history and releases.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationDetail {
    /// The application.
    pub application: ResearchApplication,
    /// Its state changes, in order.
    pub events: Vec<ApplicationEvent>,
    /// Its releases, oldest first.
    pub releases: Vec<ResearchRelease>,
}

/// What a query counts cases by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CountBy {
    /// Cases with at least one reported alteration in the gene.
    Gene,
    /// Cases with the alteration (the report's label, e.g. `EGFR L858R`).
    Alteration,
    /// Cases of the OncoTree code.
    OncotreeCode,
}

/// A query over a release.
#[derive(Debug, Clone, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReleaseQuery {
    /// What to count by.
    pub by: CountBy,
}

/// Case counts over a release, small cells suppressed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReleaseCounts {
    /// The release.
    pub release_id: String,
    /// What was counted by.
    pub by: CountBy,
    /// Cases in the release whose consent still allows the use.
    pub total: CountCell,
    /// One cell per key, in key order.
    pub cells: Vec<CountCell>,
}

/// Which file of a release to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseFormat {
    /// Newline-delimited JSON, one case per line ([`ReleaseRecord`]).
    #[default]
    Ndjson,
    /// CSV, one row per case and alteration.
    Csv,
    /// Parquet, the CSV's table (one row per case and alteration).
    Parquet,
}

/// The download query.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadQuery {
    /// `ndjson` (default), `csv` or `parquet`.
    pub format: Option<ReleaseFormat>,
}

/// A downloaded release file.
#[derive(Debug, Clone)]
pub struct ReleaseFile {
    /// Suggested file name.
    pub filename: String,
    /// Media type.
    pub media_type: &'static str,
    /// Content.
    pub content: Bytes,
}

fn validate_application(req: &SubmitApplication) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let title = req.title.trim();
    errors.check(
        !title.is_empty() && title.chars().count() <= 200,
        "title",
        "must be 1 to 200 characters",
    );
    errors.check(
        !req.purpose.trim().is_empty(),
        "purpose",
        "must not be empty",
    );
    for (i, code) in req.scope.oncotree_codes.iter().enumerate() {
        errors.check(
            !code.is_empty()
                && code.len() <= 16
                && code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
            &format!("scope.oncotree_codes[{i}]"),
            "must be an OncoTree code (upper-case letters and digits, e.g. LUAD)",
        );
    }
    for (i, gene) in req.scope.genes.iter().enumerate() {
        errors.check(
            !gene.is_empty()
                && gene.len() <= 32
                && gene
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
            &format!("scope.genes[{i}]"),
            "must be an HGNC symbol (e.g. EGFR)",
        );
    }
    let from = req
        .scope
        .registered_from
        .as_deref()
        .and_then(|d| errors.parse_date("scope.registered_from", d));
    let until = req
        .scope
        .registered_until
        .as_deref()
        .and_then(|d| errors.parse_date("scope.registered_until", d));
    if let (Some(f), Some(u)) = (from, until) {
        errors.check(
            f < u,
            "scope.registered_until",
            "must be after scope.registered_from",
        );
    }
    for (i, item) in req.scope.data_items.iter().enumerate() {
        errors.check(
            DATA_ITEMS.contains(&item.as_str()),
            &format!("scope.data_items[{i}]"),
            format!("must be one of {}", DATA_ITEMS.join(", ")),
        );
    }
    let mut permissions = 0;
    for (i, code) in req.duo_codes.iter().enumerate() {
        match duo::term(code) {
            Some(t) => permissions += usize::from(t.permission),
            None => errors.add(
                format!("duo_codes[{i}]"),
                format!("'{code}' is not a DUO term Ganome accepts (see data/research/duo.tsv)"),
            ),
        }
    }
    errors.check(
        permissions > 0,
        "duo_codes",
        "must name a data-use permission: DUO:0000042 (GRU), DUO:0000006 (HMB) or DUO:0000007 (DS)",
    );
    errors.into_result()
}

trait ParseDate {
    fn parse_date(&mut self, field: &str, text: &str) -> Option<time::Date>;
}

impl ParseDate for ValidationErrors {
    fn parse_date(&mut self, field: &str, text: &str) -> Option<time::Date> {
        match ganome_core::parse_date(text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.add(field, e);
                None
            }
        }
    }
}

impl Ganome {
    /// Submits an application (a researcher at a research organisation).
    pub async fn submit_research_application(
        &self,
        actor: &Actor,
        req: SubmitApplication,
    ) -> Result<ResearchApplication, ServiceError> {
        let id = ids::new_id();
        let result = async {
            let sector = ResearchSector::of_facility(actor.facility_kind)
                .filter(|_| access::may_apply_for_research(actor))
                .ok_or_else(|| {
                    ServiceError::Forbidden(
                        "applications are submitted by researchers of a research organisation"
                            .into(),
                    )
                })?;
            validate_application(&req)?;
            let mut scope = req.scope.clone();
            scope.genes = scope.genes.iter().map(|g| g.to_ascii_uppercase()).collect();
            let application = ResearchApplication {
                id: id.clone(),
                applicant_id: actor.user_id.clone(),
                facility_id: actor.facility_id.clone(),
                sector,
                title: req.title.trim().to_owned(),
                purpose: req.purpose.trim().to_owned(),
                scope,
                duo_codes: req.duo_codes.clone(),
                state: ApplicationState::Submitted,
                submitted_at: Timestamp::now(),
                decided_by: None,
                decided_at: None,
                decision_comment: None,
                conditions: None,
                embargo_days: None,
                embargo_reason: None,
            };
            self.store.insert_research_application(&application).await?;
            Ok(application)
        }
        .await;
        self.audit_result(
            actor,
            "research.application.submit",
            "research_application",
            Some(&id),
            result,
        )
        .await
    }

    /// Applications the actor may see: a researcher their own, a reviewer all; newest first.
    pub async fn list_research_applications(
        &self,
        actor: &Actor,
    ) -> Result<Vec<ResearchApplication>, ServiceError> {
        let result = async {
            if access::may_review_research(actor) {
                Ok(self.store.list_research_applications(None).await?)
            } else if actor.role == ganome_core::Role::Researcher {
                Ok(self
                    .store
                    .list_research_applications(Some(&actor.user_id))
                    .await?)
            } else {
                Err(ServiceError::Forbidden(
                    "secondary-use applications are for researchers and the review board".into(),
                ))
            }
        }
        .await;
        let mut entry = actor.audit("research.application.list", "research_application", None);
        if let Ok(list) = &result {
            entry.detail = Some(format!("{} applications", list.len()));
        }
        self.audited(entry, result).await
    }

    /// One application with its history and releases.
    pub async fn get_research_application(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<ApplicationDetail, ServiceError> {
        let result = async {
            let application = self.load_application(actor, id).await?;
            self.application_detail(actor, application).await
        }
        .await;
        self.audit_result(
            actor,
            "research.application.read",
            "research_application",
            Some(id),
            result,
        )
        .await
    }

    /// The board decides a submitted application; an approval builds its first release.
    pub async fn decide_research_application(
        &self,
        actor: &Actor,
        id: &str,
        req: DecideApplication,
    ) -> Result<ApplicationDetail, ServiceError> {
        let result = async {
            if !access::may_review_research(actor) {
                return Err(ServiceError::Forbidden(
                    "applications are decided by the data-use review board".into(),
                ));
            }
            let application = self.load_application(actor, id).await?;
            if application.state.is_decided() {
                return Err(ServiceError::Conflict(format!(
                    "application {id} was already decided ({})",
                    application.state
                )));
            }
            let default = self.config.research_embargo_days;
            let mut errors = ValidationErrors::new();
            errors.check(
                !req.comment.trim().is_empty(),
                "comment",
                "must not be empty",
            );
            let approve = req.decision == Decision::Approve;
            let embargo = req.embargo_days.unwrap_or(default);
            if approve {
                errors.check(
                    (0..=3650).contains(&embargo),
                    "embargo_days",
                    "must be 0 to 3650",
                );
                errors.check(
                    embargo == default
                        || req
                            .embargo_reason
                            .as_deref()
                            .is_some_and(|r| !r.trim().is_empty()),
                    "embargo_reason",
                    format!("must say why the embargo differs from the default of {default} days"),
                );
            }
            errors.into_result()?;
            let trimmed = |s: &Option<String>| {
                s.as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            let decision = ApplicationDecision {
                state: if approve {
                    ApplicationState::Approved
                } else {
                    ApplicationState::Rejected
                },
                by_user: actor.user_id.clone(),
                at: Timestamp::now(),
                comment: req.comment.trim().to_owned(),
                conditions: approve.then(|| trimmed(&req.conditions)).flatten(),
                embargo_days: approve.then_some(embargo),
                embargo_reason: approve
                    .then(|| trimmed(&req.embargo_reason))
                    .flatten()
                    .filter(|_| embargo != default),
            };
            Ok(self
                .store
                .decide_research_application(id, &decision)
                .await?)
        }
        .await;
        let decided = self
            .audit_result(
                actor,
                "research.application.decide",
                "research_application",
                Some(id),
                result,
            )
            .await?;
        if decided.state == ApplicationState::Approved {
            self.build_research_release(actor, id).await?;
        }
        self.application_detail(actor, decided).await
    }

    /// Builds a new release for an approved application (the board or the data center's
    /// administrators). Consent and the embargo are judged at build time.
    pub async fn build_research_release(
        &self,
        actor: &Actor,
        application_id: &str,
    ) -> Result<ResearchRelease, ServiceError> {
        let release_id = ids::new_id();
        let result = async {
            if !access::may_build_release(actor) {
                return Err(ServiceError::Forbidden(
                    "releases are built by the review board or the data center".into(),
                ));
            }
            let application = self
                .store
                .get_research_application(application_id)
                .await?
                .ok_or_else(|| ServiceError::NotFound(format!("application {application_id}")))?;
            if application.state != ApplicationState::Approved {
                return Err(ServiceError::Conflict(format!(
                    "application {application_id} is {}, not approved",
                    application.state
                )));
            }
            self.write_release(actor, &application, &release_id).await
        }
        .await;
        let mut entry = actor.audit(
            "research.release.build",
            "research_application",
            Some(application_id),
        );
        if let Ok(r) = &result {
            entry.detail = Some(format!(
                "release {} (#{}): {} cases, excluded {:?}",
                r.id, r.seq, r.cases, r.excluded
            ));
        }
        self.audited(entry, result).await
    }

    /// Case counts over a release, small cells suppressed; patients whose consent no
    /// longer allows the use are left out (the applicant only).
    pub async fn query_research_release(
        &self,
        actor: &Actor,
        release_id: &str,
        q: &ReleaseQuery,
    ) -> Result<ReleaseCounts, ServiceError> {
        let result = async {
            let (_, release, sector) = self.load_release_for_use(actor, release_id).await?;
            let records = self.current_records(&release, sector).await?;
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for r in &records {
                let keys: BTreeSet<&str> = match q.by {
                    CountBy::OncotreeCode => [r.oncotree_code.as_str()].into(),
                    CountBy::Gene => r.alterations.iter().map(|a| a.gene.as_str()).collect(),
                    CountBy::Alteration => r.alterations.iter().map(|a| a.label.as_str()).collect(),
                };
                for k in keys {
                    *counts.entry(k.to_owned()).or_default() += 1;
                }
            }
            let cells: Vec<(String, u64)> = counts.into_iter().collect();
            Ok(ReleaseCounts {
                release_id: release.id.clone(),
                by: q.by,
                total: suppression::total(records.len() as u64),
                cells: suppression::breakdown(&cells),
            })
        }
        .await;
        let mut entry = actor.audit(
            "research.release.query",
            "research_release",
            Some(release_id),
        );
        entry.detail = Some(format!("by {:?}", q.by));
        self.audited(entry, result).await
    }

    /// A release's file (the applicant only), without the patients whose consent no longer
    /// allows the use: the stored file is immutable, the download honours withdrawals.
    pub async fn download_research_release(
        &self,
        actor: &Actor,
        release_id: &str,
        format: ReleaseFormat,
    ) -> Result<ReleaseFile, ServiceError> {
        let result = async {
            let (_, release, sector) = self.load_release_for_use(actor, release_id).await?;
            let records = self.current_records(&release, sector).await?;
            let stem = format!("ganome-release-{}-{}", release.application_id, release.seq);
            Ok(match format {
                ReleaseFormat::Ndjson => ReleaseFile {
                    filename: format!("{stem}.ndjson"),
                    media_type: "application/x-ndjson",
                    content: Bytes::from(to_ndjson(&records)?),
                },
                ReleaseFormat::Csv => ReleaseFile {
                    filename: format!("{stem}.csv"),
                    media_type: "text/csv; charset=utf-8",
                    content: Bytes::from(release::to_csv(&records)),
                },
                ReleaseFormat::Parquet => ReleaseFile {
                    filename: format!("{stem}.parquet"),
                    media_type: "application/vnd.apache.parquet",
                    content: Bytes::from(parquet_bytes(&records)?),
                },
            })
        }
        .await;
        let mut entry = actor.audit(
            "research.release.download",
            "research_release",
            Some(release_id),
        );
        if let Ok(f) = &result {
            entry.detail = Some(format!("{} ({} bytes)", f.filename, f.content.len()));
        }
        self.audited(entry, result).await
    }

    async fn load_application(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<ResearchApplication, ServiceError> {
        let application = self
            .store
            .get_research_application(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("application {id}")))?;
        if !access::may_read_application(actor, &application) {
            return Err(if access::may_apply_for_research(actor) {
                // Another researcher's application: as if it did not exist.
                ServiceError::NotFound(format!("application {id}"))
            } else {
                ServiceError::Forbidden(
                    "secondary-use applications are for their applicant and the review board"
                        .into(),
                )
            });
        }
        Ok(application)
    }

    /// An application's history and releases. The exclusion counts of a release are small
    /// counts about patients who are not in it (e.g. one withdrawal), so only the board
    /// sees them; the applicant gets the releases without them.
    async fn application_detail(
        &self,
        actor: &Actor,
        application: ResearchApplication,
    ) -> Result<ApplicationDetail, ServiceError> {
        let events = self
            .store
            .research_application_events(&application.id)
            .await?;
        let mut releases = self.store.list_research_releases(&application.id).await?;
        if !access::may_review_research(actor) {
            for r in &mut releases {
                r.excluded.clear();
            }
        }
        Ok(ApplicationDetail {
            application,
            events,
            releases,
        })
    }

    async fn load_release_for_use(
        &self,
        actor: &Actor,
        release_id: &str,
    ) -> Result<(ResearchApplication, ResearchRelease, ResearchSector), ServiceError> {
        let release = self.store.get_research_release(release_id).await?;
        let application = match &release {
            Some(r) => {
                self.store
                    .get_research_application(&r.application_id)
                    .await?
            }
            None => None,
        };
        let (Some(release), Some(application)) = (release, application) else {
            return Err(if actor.role == ganome_core::Role::Researcher {
                ServiceError::NotFound(format!("release {release_id}"))
            } else {
                ServiceError::Forbidden("releases are used by their applicant only".into())
            });
        };
        if !access::may_use_release(actor, &application) {
            return Err(if actor.role == ganome_core::Role::Researcher {
                ServiceError::NotFound(format!("release {release_id}"))
            } else {
                ServiceError::Forbidden("releases are used by their applicant only".into())
            });
        }
        let sector = application.sector;
        Ok((application, release, sector))
    }

    /// The release's records whose patient's consent still allows the sector's use now.
    async fn current_records(
        &self,
        release: &ResearchRelease,
        sector: ResearchSector,
    ) -> Result<Vec<ReleaseRecord>, ServiceError> {
        let now = Timestamp::now();
        let members = self.store.research_release_members(&release.id).await?;
        let mut allowed: HashMap<String, bool> = HashMap::new();
        for m in &members {
            if allowed.contains_key(&m.research_id) {
                continue;
            }
            let consents = self.store.list_consents(&m.patient_id).await?;
            let ok = release::eligible_consent(&consents, sector, now).is_ok();
            allowed.insert(m.research_id.clone(), ok);
        }
        let bytes = self.blobs.get(&release.storage_key).await?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            ServiceError::Store(ganome_store::StoreError::Corrupt {
                table: "research_releases",
                message: format!("release {} file is not UTF-8: {e}", release.id),
            })
        })?;
        let mut records = Vec::new();
        for line in text.lines().filter(|l| !l.is_empty()) {
            let r: ReleaseRecord = serde_json::from_str(line).map_err(|e| {
                ServiceError::Store(ganome_store::StoreError::Corrupt {
                    table: "research_releases",
                    message: format!("release {} file: {e}", release.id),
                })
            })?;
            if allowed.get(&r.research_id).copied().unwrap_or(false) {
                records.push(r);
            }
        }
        Ok(records)
    }

    /// Selects, de-identifies and stores a release.
    async fn write_release(
        &self,
        actor: &Actor,
        application: &ResearchApplication,
        release_id: &str,
    ) -> Result<ResearchRelease, ServiceError> {
        let now = Timestamp::now();
        let embargo_days = application
            .embargo_days
            .unwrap_or(self.config.research_embargo_days);
        let registered_before =
            Timestamp::from_datetime(now.datetime() - time::Duration::days(embargo_days));
        let scope = &application.scope;
        let wants =
            |item: &str| scope.data_items.is_empty() || scope.data_items.iter().any(|i| i == item);
        let date_bound = |d: &Option<String>| {
            d.as_deref()
                .and_then(|d| ganome_core::parse_date(d).ok())
                .map(Timestamp::from_date)
        };
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);

        let mut facilities: HashMap<String, Option<Facility>> = HashMap::new();
        let mut excluded: BTreeMap<String, i64> = BTreeMap::new();
        let mut records: Vec<ReleaseRecord> = Vec::new();
        let mut members: Vec<ReleaseMember> = Vec::new();
        let mut offset = 0;
        loop {
            let mut filter = CaseFilter::scoped(CaseScope::All);
            filter.registered_from = date_bound(&scope.registered_from);
            filter.registered_before = date_bound(&scope.registered_until);
            filter.limit = 10_000;
            filter.offset = offset;
            let page = self.store.list_cases(&filter).await?;
            let n = page.len() as i64;
            for case in page {
                if !scope.oncotree_codes.is_empty()
                    && !scope.oncotree_codes.contains(&case.oncotree_code)
                {
                    continue;
                }
                let consents = self.store.list_consents(&case.patient_id).await?;
                let consent = match release::eligible_consent(&consents, application.sector, now) {
                    Ok(c) => c.clone(),
                    Err(why) => {
                        *excluded.entry(why.to_owned()).or_default() += 1;
                        continue;
                    }
                };
                if case.registered_at >= registered_before {
                    *excluded.entry("embargo".to_owned()).or_default() += 1;
                    continue;
                }
                let Some(FindingsDocument { report, .. }) = self.latest_findings(&case.id).await?
                else {
                    *excluded.entry("no_findings".to_owned()).or_default() += 1;
                    continue;
                };
                let alterations: Vec<ReleaseAlteration> = report
                    .alterations
                    .iter()
                    .map(|a| ReleaseAlteration {
                        gene: a.gene.clone(),
                        label: a.label.clone(),
                        kind: a.kind.clone(),
                        hgvs_p: a.hgvs_p.clone(),
                        hgvs_c: a.hgvs_c.clone(),
                        evidence_level: a.best_level.as_ref().map(|l| l.ed2.clone()),
                    })
                    .collect();
                if !scope.genes.is_empty()
                    && !alterations.iter().any(|a| scope.genes.contains(&a.gene))
                {
                    *excluded.entry("gene_not_reported".to_owned()).or_default() += 1;
                    continue;
                }
                let patient = self
                    .store
                    .get_patient(&case.patient_id)
                    .await?
                    .ok_or_else(|| {
                        ServiceError::NotFound(format!("patient of case {}", case.id))
                    })?;
                if !facilities.contains_key(&case.ordering_facility_id) {
                    let f = self.store.get_facility(&case.ordering_facility_id).await?;
                    facilities.insert(case.ordering_facility_id.clone(), f);
                }
                let facility = facilities[&case.ordering_facility_id].as_ref();
                let registered = case.registered_at.date_jst();
                let research_id = release::research_id(&key, &patient.id);
                let treatments = if wants("treatments") {
                    let mut f = ClinicalFilter::scoped(CaseScope::All);
                    f.case_id = Some(case.id.clone());
                    self.store
                        .list_treatments(&f)
                        .await?
                        .into_iter()
                        .map(|t| ReleaseTreatment {
                            line: t.line,
                            regimen: t.regimen,
                            on_recommendation: t.recommendation_id.is_some(),
                            access_route: t.access_route.as_str().to_owned(),
                            started_ym: release::year_month(t.started_on),
                            best_response: t.best_response.map(|r| r.as_str().to_owned()),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let demographics = wants("demographics");
                records.push(ReleaseRecord {
                    research_id: research_id.clone(),
                    oncotree_code: case.oncotree_code.clone(),
                    registered_ym: release::year_month(registered),
                    sex: demographics.then(|| patient.sex.as_str().to_owned()),
                    age_band: demographics.then(|| {
                        release::age_band(
                            (patient.birth_year, patient.birth_month),
                            (
                                i64::from(registered.year()),
                                i64::from(u8::from(registered.month())),
                            ),
                        )
                    }),
                    facility_tier: facility
                        .filter(|_| demographics)
                        .map(|f| f.kind.as_str().to_owned()),
                    prefecture_code: facility
                        .filter(|f| demographics && !f.prefecture_code.is_empty())
                        .map(|f| f.prefecture_code.clone()),
                    alterations: if wants("alterations") {
                        alterations
                    } else {
                        Vec::new()
                    },
                    treatments,
                });
                members.push(ReleaseMember {
                    research_id,
                    patient_id: patient.id.clone(),
                    case_id: case.id.clone(),
                    consent_id: consent.id.clone(),
                });
            }
            if n < 10_000 {
                break;
            }
            offset += n;
        }
        // Order by research id, so that the order says nothing about registration.
        records.sort_by(|a, b| a.research_id.cmp(&b.research_id));
        let prefix = format!("research/{}/{release_id}", application.id);
        let main = self
            .blobs
            .put(
                &format!("{prefix}/cases.ndjson"),
                Bytes::from(to_ndjson(&records)?),
            )
            .await?;
        let csv_key = format!("{prefix}/alterations.csv");
        self.blobs
            .put(&csv_key, Bytes::from(release::to_csv(&records)))
            .await?;
        // The same table as Parquet, beside the CSV (its key follows from the prefix).
        self.blobs
            .put(
                &format!("{prefix}/alterations.parquet"),
                Bytes::from(parquet_bytes(&records)?),
            )
            .await?;
        let release = ResearchRelease {
            id: release_id.to_owned(),
            application_id: application.id.clone(),
            seq: 0,
            built_at: now,
            built_by: actor.user_id.clone(),
            embargo_days,
            registered_before,
            cases: records.len() as i64,
            excluded,
            format: "ndjson".into(),
            storage_key: main.key,
            sha256: main.sha256,
            size_bytes: main.size as i64,
            csv_storage_key: csv_key,
        };
        Ok(self
            .store
            .insert_research_release(&release, &members)
            .await?)
    }
}

fn parquet_bytes(records: &[ReleaseRecord]) -> Result<Vec<u8>, ServiceError> {
    release::to_parquet(records)
        .map_err(|e| ServiceError::Engine(format!("writing the release as Parquet: {e}")))
}

fn to_ndjson(records: &[ReleaseRecord]) -> Result<String, ServiceError> {
    let mut out = String::new();
    for r in records {
        let line = serde_json::to_string(r).map_err(|e| {
            ServiceError::Store(ganome_store::StoreError::Config(format!(
                "cannot write a release record: {e}"
            )))
        })?;
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}
