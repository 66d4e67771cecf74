//! GA4GH Beacon v2 discovery over the network's findings: "are there cases with this
//! variant (in this tumour type)?" answered with a yes/no, or a count when the count is at
//! least [`MIN_COUNT`] and the caller's role may see counts — never a case, a patient or a
//! record. Only the latest findings version of each case counts, and only when the
//! patient's consent in force allows secondary use (academia or industry) and is not
//! withdrawn (`research::release::eligible_consent`, the rule releases use). Every query is
//! audited (`beacon.query`). The rules and their reasons are in `docs/beacon.md`.
//!
//! Queries read the Beacon index (`beacon_variants`, one row per reported alteration, written
//! with each findings version in its transaction), then the consents of the matching
//! patients only.

use std::collections::BTreeSet;

use ganome_core::{ResearchSector, Role, Timestamp, ValidationErrors};
use ganome_knowledge::protein::ProteinChange;
use ganome_store::{BeaconVariant, normalize_chromosome as chromosome};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::research::release;
use crate::{Actor, Ganome, ServiceError};

/// The Beacon's id (reverse domain name, as Beacon v2 asks).
pub const BEACON_ID: &str = "jp.ganome.beacon";
/// The Beacon v2 API version answered.
pub const API_VERSION: &str = "v2.0.0";
/// Counts below this are never shown: the answer falls back to boolean (small-cell
/// suppression, as research queries do).
pub const MIN_COUNT: u64 = 10;
/// The only assembly the reports' genomic positions are on.
pub const ASSEMBLY: &str = "GRCh38";

const VARIANT_SCHEMA: &str = "ga4gh-beacon-variant-v2.0.0";

/// A `g_variants` request, from the query string (GET) or the request body's
/// `query.requestParameters`, `query.filters` and `query.requestedGranularity` (POST).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VariantRequest {
    /// Assembly (`GRCh38`; `hg38` accepted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assembly_id: Option<String>,
    /// Chromosome (`7`, `chr7` or the RefSeq accession `NC_000007.14`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_name: Option<String>,
    /// Start, 0-based as Beacon v2 counts (VCF position − 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Reference bases (`N` or absent: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_bases: Option<String>,
    /// Alternate bases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternate_bases: Option<String>,
    /// HGNC gene symbol (`BRAF`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gene_id: Option<String>,
    /// Protein change (`V600E`, `p.V600E`, `p.Val600Glu`); absent: any alteration in the gene.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aminoacid_change: Option<String>,
    /// Filters: `oncotree:CODE` (the case's exact OncoTree code).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<String>,
    /// `boolean`, `count` or `record` (answered at most at `count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_granularity: Option<String>,
}

/// The query string of `GET /g_variants` (Beacon v2 names).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct VariantQueryParams {
    /// Assembly: `GRCh38`.
    pub assembly_id: Option<String>,
    /// Chromosome (`7`, `chr7`, `NC_000007.14`).
    pub reference_name: Option<String>,
    /// 0-based start (VCF position − 1).
    pub start: Option<String>,
    /// Reference bases.
    pub reference_bases: Option<String>,
    /// Alternate bases.
    pub alternate_bases: Option<String>,
    /// HGNC gene symbol.
    pub gene_id: Option<String>,
    /// Protein change (`V600E`, `p.V600E`).
    pub aminoacid_change: Option<String>,
    /// Comma-separated filters: `oncotree:LUAD`.
    pub filters: Option<String>,
    /// `boolean`, `count` or `record`.
    pub requested_granularity: Option<String>,
}

impl From<VariantQueryParams> for VariantRequest {
    fn from(q: VariantQueryParams) -> Self {
        VariantRequest {
            assembly_id: q.assembly_id,
            reference_name: q.reference_name,
            start: q.start,
            reference_bases: q.reference_bases,
            alternate_bases: q.alternate_bases,
            gene_id: q.gene_id,
            aminoacid_change: q.aminoacid_change,
            filters: q
                .filters
                .iter()
                .flat_map(|f| f.split(','))
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect(),
            requested_granularity: q.requested_granularity,
        }
    }
}

/// The body of `POST /g_variants` (Beacon v2 request body; `meta` is accepted and ignored).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct BeaconRequestBody {
    /// Request meta (ignored).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub meta: Value,
    /// The query.
    #[serde(default)]
    pub query: BeaconQuery,
}

/// The `query` of a request body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BeaconQuery {
    /// `assemblyId`, `referenceName`, `start` (a number or `[start]`), `referenceBases`,
    /// `alternateBases`, `geneId`, `aminoacidChange`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub request_parameters: serde_json::Map<String, Value>,
    /// Filters: `[{"id": "oncotree:LUAD"}]` (plain strings accepted).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub filters: Vec<Value>,
    /// `boolean`, `count` or `record`.
    #[serde(default)]
    pub requested_granularity: Option<String>,
}

impl From<BeaconRequestBody> for VariantRequest {
    fn from(b: BeaconRequestBody) -> Self {
        let p = &b.query.request_parameters;
        let text = |k: &str| match p.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Array(a)) => a.first().map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        VariantRequest {
            assembly_id: text("assemblyId"),
            reference_name: text("referenceName"),
            start: text("start"),
            reference_bases: text("referenceBases"),
            alternate_bases: text("alternateBases"),
            gene_id: text("geneId"),
            aminoacid_change: text("aminoacidChange"),
            filters: b
                .query
                .filters
                .iter()
                .map(|f| match f {
                    Value::String(s) => s.clone(),
                    Value::Object(o) => o
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    other => other.to_string(),
                })
                .collect(),
            requested_granularity: b.query.requested_granularity,
        }
    }
}

/// A reference to a schema (`entityType`, `schema`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SchemaRef {
    /// Entry type.
    pub entity_type: String,
    /// Schema id.
    pub schema: String,
}

/// Pagination as received (this Beacon returns no records, so it only echoes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Pagination {
    /// Records skipped.
    pub skip: u64,
    /// Records asked for.
    pub limit: u64,
}

/// What the Beacon understood of the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReceivedRequestSummary {
    /// API version of the request.
    pub api_version: String,
    /// Schemas asked for.
    pub requested_schemas: Vec<SchemaRef>,
    /// Pagination.
    pub pagination: Pagination,
    /// Granularity asked for.
    pub requested_granularity: String,
    /// The request's parameters.
    #[schema(value_type = Object)]
    pub request_parameters: Value,
    /// The request's filters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<String>,
}

/// The response's `meta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResponseMeta {
    /// Beacon id.
    pub beacon_id: String,
    /// API version.
    pub api_version: String,
    /// `boolean` or `count`.
    pub returned_granularity: String,
    /// What was received.
    pub received_request_summary: ReceivedRequestSummary,
    /// Schemas of the (absent) records.
    pub returned_schemas: Vec<SchemaRef>,
}

/// The response's `responseSummary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResponseSummary {
    /// Whether any case matches.
    pub exists: bool,
    /// Patients matching (count granularity only: 10 or more and a role that may see counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_total_results: Option<u64>,
}

/// A Beacon v2 boolean or count response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BeaconResponse {
    /// Meta.
    pub meta: ResponseMeta,
    /// Summary.
    pub response_summary: ResponseSummary,
}

/// Whether the actor may query the Beacon: clinicians, expert-panel members and chairs,
/// researchers and reviewers. Labs, curators, administrators and auditors may not.
pub fn may_query_beacon(actor: &Actor) -> bool {
    matches!(
        actor.role,
        Role::Clinician | Role::PanelMember | Role::PanelChair | Role::Researcher | Role::Reviewer
    )
}

/// Whether the actor may see counts (researchers and reviewers); others get yes/no only.
pub fn may_see_counts(actor: &Actor) -> bool {
    matches!(actor.role, Role::Researcher | Role::Reviewer)
}

/// The summary and granularity for `n` matching patients: a count only when counts are
/// allowed, asked for (or not refused) and `n` is at least [`MIN_COUNT`]; else boolean.
pub fn summarise(n: u64, counts_allowed: bool, requested: &str) -> (ResponseSummary, &'static str) {
    if counts_allowed && requested != "boolean" && n >= MIN_COUNT {
        (
            ResponseSummary {
                exists: true,
                num_total_results: Some(n),
            },
            "count",
        )
    } else {
        (
            ResponseSummary {
                exists: n > 0,
                num_total_results: None,
            },
            "boolean",
        )
    }
}

/// The checked form of a request.
#[derive(Debug)]
enum Matcher {
    Sequence {
        chrom: String,
        start0: u64,
        reference: Option<String>,
        alternate: String,
    },
    Gene {
        gene: String,
        change: Option<String>,
    },
}

#[derive(Debug)]
struct Checked {
    matcher: Matcher,
    oncotree: Vec<String>,
}

fn check(req: &VariantRequest) -> Result<Checked, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if let Some(a) = &req.assembly_id {
        errors.check(
            a.eq_ignore_ascii_case(ASSEMBLY) || a.eq_ignore_ascii_case("hg38"),
            "assemblyId",
            "only GRCh38 is answered",
        );
    }
    if let Some(g) = &req.requested_granularity {
        errors.check(
            ["boolean", "count", "record"].contains(&g.as_str()),
            "requestedGranularity",
            "boolean, count or record",
        );
    }
    let mut oncotree = Vec::new();
    for f in &req.filters {
        match f.split_once(':') {
            Some((p, code)) if p.eq_ignore_ascii_case("oncotree") && !code.trim().is_empty() => {
                oncotree.push(code.trim().to_ascii_uppercase());
            }
            _ => errors.add(
                "filters",
                format!("unsupported filter {f:?} (oncotree:CODE)"),
            ),
        }
    }
    let sequence = req.reference_name.is_some()
        || req.start.is_some()
        || req.alternate_bases.is_some()
        || req.reference_bases.is_some();
    let matcher = if let Some(gene) = &req.gene_id {
        errors.check(
            !sequence,
            "geneId",
            "a gene query takes no referenceName, start or bases",
        );
        let change = match &req.aminoacid_change {
            Some(c) => match ProteinChange::parse(c) {
                Ok(p) => Some(p.to_string()),
                Err(e) => {
                    errors.add("aminoacidChange", e.to_string());
                    None
                }
            },
            None => None,
        };
        Some(Matcher::Gene {
            gene: gene.trim().to_ascii_uppercase(),
            change,
        })
    } else if sequence {
        errors.check(
            req.reference_name.is_some(),
            "referenceName",
            "required for a sequence query",
        );
        let start = req.start.as_deref().map(|s| s.trim().parse::<u64>());
        errors.check(start.is_some(), "start", "required for a sequence query");
        if let Some(Err(_)) = &start {
            errors.add("start", "a 0-based position (a whole number)");
        }
        let start = start.and_then(Result::ok);
        errors.check(
            req.alternate_bases.is_some(),
            "alternateBases",
            "required for a sequence query",
        );
        errors.check(
            req.assembly_id.is_some(),
            "assemblyId",
            "required for a sequence query (GRCh38)",
        );
        let bases_ok = |b: &Option<String>| {
            b.as_deref()
                .is_none_or(|b| !b.is_empty() && b.chars().all(|c| "ACGTNacgtn".contains(c)))
        };
        errors.check(
            bases_ok(&req.reference_bases),
            "referenceBases",
            "bases A, C, G, T or N",
        );
        errors.check(
            bases_ok(&req.alternate_bases),
            "alternateBases",
            "bases A, C, G, T or N",
        );
        match (&req.reference_name, start, &req.alternate_bases) {
            (Some(r), Some(s), Some(a)) => Some(Matcher::Sequence {
                chrom: chromosome(r),
                start0: s,
                reference: req
                    .reference_bases
                    .as_ref()
                    .map(|b| b.to_ascii_uppercase())
                    .filter(|b| b != "N"),
                alternate: a.to_ascii_uppercase(),
            }),
            _ => None,
        }
    } else {
        errors.add(
            "requestParameters",
            "a sequence query (assemblyId, referenceName, start, referenceBases, alternateBases) or a gene query (geneId, aminoacidChange)",
        );
        None
    };
    errors.into_result()?;
    Ok(Checked {
        matcher: matcher.expect("checked above"),
        oncotree,
    })
}

impl Matcher {
    /// The index lookup: by gene, or by (chromosome, 1-based position).
    fn lookup(&self) -> (Option<&str>, Option<(&str, i64)>) {
        match self {
            Matcher::Gene { gene, .. } => (Some(gene), None),
            Matcher::Sequence { chrom, start0, .. } => (
                None,
                Some((chrom, i64::try_from(*start0).unwrap_or(i64::MAX - 1) + 1)),
            ),
        }
    }

    fn matches(&self, a: &BeaconVariant) -> bool {
        match self {
            Matcher::Sequence {
                chrom,
                start0,
                reference,
                alternate,
            } => {
                a.genome_build.eq_ignore_ascii_case(ASSEMBLY)
                    && a.chrom.as_deref() == Some(chrom.as_str())
                    && a.pos.and_then(|p| u64::try_from(p).ok()) == Some(start0.saturating_add(1))
                    && reference
                        .as_ref()
                        .is_none_or(|x| a.ref_bases.as_deref() == Some(x.as_str()))
                    && a.alt_bases.as_deref() == Some(alternate.as_str())
            }
            Matcher::Gene { gene, change } => {
                if !a.gene.eq_ignore_ascii_case(gene) {
                    return false;
                }
                let Some(change) = change else { return true };
                // `NP_005219.2:p.(Leu858Arg)`; else the label's change (`EGFR L858R`).
                let from_hgvs = a
                    .hgvs_p
                    .as_deref()
                    .map(|p| p.rsplit_once(':').map_or(p, |(_, p)| p));
                let from_label = a.label.split_whitespace().nth(1);
                [from_hgvs, from_label]
                    .into_iter()
                    .flatten()
                    .filter_map(|p| ProteinChange::parse(p).ok())
                    .any(|p| p.to_string() == *change)
            }
        }
    }
}

fn request_summary(req: &VariantRequest, granularity: &str) -> ReceivedRequestSummary {
    let mut params = serde_json::to_value(req).unwrap_or_else(|_| json!({}));
    if let Some(o) = params.as_object_mut() {
        o.remove("filters");
        o.remove("requestedGranularity");
    }
    ReceivedRequestSummary {
        api_version: API_VERSION.into(),
        requested_schemas: vec![variant_schema()],
        pagination: Pagination { skip: 0, limit: 0 },
        requested_granularity: granularity.into(),
        request_parameters: params,
        filters: req.filters.clone(),
    }
}

fn variant_schema() -> SchemaRef {
    SchemaRef {
        entity_type: "genomicVariant".into(),
        schema: VARIANT_SCHEMA.into(),
    }
}

fn informational_meta(entity: &str, schema: &str) -> Value {
    json!({
        "beaconId": BEACON_ID,
        "apiVersion": API_VERSION,
        "returnedSchemas": [{"entityType": entity, "schema": schema}],
    })
}

impl Ganome {
    fn beacon_allowed(&self, actor: &Actor) -> Result<(), ServiceError> {
        if may_query_beacon(actor) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(
                "the Beacon is for clinicians, expert panels, researchers and reviewers".into(),
            ))
        }
    }

    /// `GET /`: the Beacon's information.
    pub async fn beacon_info(&self, actor: &Actor) -> Result<Value, ServiceError> {
        self.beacon_allowed(actor)?;
        Ok(json!({
            "meta": informational_meta("info", "ga4gh-beacon-info-v2.0.0"),
            "response": {
                "id": BEACON_ID,
                "name": "Ganome national cancer genomic medicine Beacon",
                "apiVersion": API_VERSION,
                "environment": "prod",
                "organization": {"id": "ganome", "name": "Ganome data center"},
                "description": "Variants reported in the latest findings of gene-panel tests across the network, for cases whose patients consented to secondary use. Yes/no for everyone allowed; counts of 10 or more for researchers and reviewers.",
                "version": env!("CARGO_PKG_VERSION"),
            }
        }))
    }

    /// `GET /service-info`: GA4GH service-info.
    pub async fn beacon_service_info(&self, actor: &Actor) -> Result<Value, ServiceError> {
        self.beacon_allowed(actor)?;
        Ok(json!({
            "id": BEACON_ID,
            "name": "Ganome national cancer genomic medicine Beacon",
            "type": {"group": "org.ga4gh", "artifact": "beacon", "version": API_VERSION},
            "organization": {"name": "Ganome data center", "url": "https://ganome.invalid/"},
            "version": env!("CARGO_PKG_VERSION"),
            "environment": "prod",
        }))
    }

    /// `GET /configuration`.
    pub async fn beacon_configuration(&self, actor: &Actor) -> Result<Value, ServiceError> {
        self.beacon_allowed(actor)?;
        Ok(json!({
            "meta": informational_meta("configuration", "ga4gh-beacon-configuration-v2.0.0"),
            "response": {
                "$schema": "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/framework/json/configuration/beaconConfigurationSchema.json",
                "maturityAttributes": {"productionStatus": "PROD"},
                "securityAttributes": {
                    "defaultGranularity": "count",
                    "securityLevels": ["REGISTERED"],
                },
                "entryTypes": entry_types(),
            }
        }))
    }

    /// `GET /map`.
    pub async fn beacon_map(&self, actor: &Actor) -> Result<Value, ServiceError> {
        self.beacon_allowed(actor)?;
        Ok(json!({
            "meta": informational_meta("map", "ga4gh-beacon-map-v2.0.0"),
            "response": {
                "$schema": "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/framework/json/configuration/beaconMapSchema.json",
                "endpointSets": {
                    "genomicVariant": {
                        "entryType": "genomicVariant",
                        "rootUrl": "/api/beacon/v2/g_variants",
                        "openAPIEndpointsDefinition": "/api/v1/openapi.json",
                    }
                }
            }
        }))
    }

    /// `GET /entry_types`.
    pub async fn beacon_entry_types(&self, actor: &Actor) -> Result<Value, ServiceError> {
        self.beacon_allowed(actor)?;
        Ok(json!({
            "meta": informational_meta("entryType", "ga4gh-beacon-entry-types-v2.0.0"),
            "response": {"entryTypes": entry_types()}
        }))
    }

    /// `g_variants`: whether (or, for researchers and reviewers, how many — 10 or more)
    /// patients with secondary-use consent have a case whose latest findings report the
    /// variant. Audited as `beacon.query` with the request, allowed or not.
    pub async fn beacon_g_variants(
        &self,
        actor: &Actor,
        req: &VariantRequest,
    ) -> Result<BeaconResponse, ServiceError> {
        let requested = req
            .requested_granularity
            .clone()
            .unwrap_or_else(|| "count".into());
        let result: Result<BeaconResponse, ServiceError> = async {
            self.beacon_allowed(actor)?;
            let checked = check(req).map_err(ServiceError::Invalid)?;
            let n = self.beacon_count(&checked).await?;
            let (summary, granularity) = summarise(n, may_see_counts(actor), &requested);
            Ok(BeaconResponse {
                meta: ResponseMeta {
                    beacon_id: BEACON_ID.into(),
                    api_version: API_VERSION.into(),
                    returned_granularity: granularity.into(),
                    received_request_summary: request_summary(req, &requested),
                    returned_schemas: vec![variant_schema()],
                },
                response_summary: summary,
            })
        }
        .await;
        let mut entry = actor.audit("beacon.query", "beacon", None);
        let mut detail = format!(
            "g_variants {}",
            serde_json::to_string(req).unwrap_or_default()
        );
        match &result {
            Ok(r) => detail.push_str(&format!(
                " -> {} exists={}",
                r.meta.returned_granularity, r.response_summary.exists
            )),
            Err(e) => {
                entry.outcome = e.audit_outcome().to_owned();
                detail.push_str(&format!(" -> {e}"));
            }
        }
        entry.detail = Some(detail);
        self.store.append_audit(&entry).await?;
        result
    }

    /// Distinct patients with a matching alteration in their case's latest findings (the
    /// Beacon index, `beacon_variants`), over the cases whose patient's consent in force
    /// allows secondary use.
    async fn beacon_count(&self, checked: &Checked) -> Result<u64, ServiceError> {
        let now = Timestamp::now();
        let (gene, position) = checked.matcher.lookup();
        let hits = self.store.beacon_candidates(gene, position).await?;
        let mut candidates: BTreeSet<&str> = BTreeSet::new();
        for h in &hits {
            if (checked.oncotree.is_empty() || checked.oncotree.contains(&h.oncotree_code))
                && checked.matcher.matches(&h.variant)
            {
                candidates.insert(&h.patient_id);
            }
        }
        let mut n = 0;
        for patient in candidates {
            let consents = self.store.list_consents(patient).await?;
            if [ResearchSector::Academia, ResearchSector::Industry]
                .into_iter()
                .any(|s| release::eligible_consent(&consents, s, now).is_ok())
            {
                n += 1;
            }
        }
        Ok(n)
    }
}

fn entry_types() -> Value {
    json!({
        "genomicVariant": {
            "id": "genomicVariant",
            "name": "Genomic variants",
            "ontologyTermForThisType": {"id": "ENSGLOSSARY:0000092", "label": "Variant"},
            "partOfSpecification": "Beacon v2.0.0",
            "defaultSchema": {
                "id": VARIANT_SCHEMA,
                "name": "Default schema for a genomic variation",
                "referenceToSchemaDefinition": "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/models/json/beacon-v2-default-model/genomicVariations/defaultSchema.json",
                "schemaVersion": "v2.0.0",
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_from_ten_and_for_roles_that_may_see_them() {
        assert_eq!(summarise(0, true, "count").1, "boolean");
        assert!(!summarise(0, true, "count").0.exists);
        for n in 1..10 {
            let (s, g) = summarise(n, true, "count");
            assert_eq!(g, "boolean");
            assert!(s.exists);
            assert_eq!(s.num_total_results, None);
        }
        let (s, g) = summarise(10, true, "count");
        assert_eq!((g, s.num_total_results), ("count", Some(10)));
        assert_eq!(summarise(10, true, "record").1, "count");
        assert_eq!(summarise(25, true, "boolean").1, "boolean");
        let (s, g) = summarise(25, false, "count");
        assert_eq!((g, s.exists, s.num_total_results), ("boolean", true, None));
    }

    #[test]
    fn chromosome_names_and_positions() {
        for n in ["7", "chr7", "NC_000007.14"] {
            assert_eq!(chromosome(n), "7");
        }
        assert_eq!(chromosome("NC_000023.11"), "X");
        assert_eq!(chromosome("chrM"), "MT");
        let v = &ganome_store::beacon_variants_of(
            r#"{"test": {"genome_build": "GRCh38"}, "alterations": [{"gene": "EGFR",
                "label": "EGFR L858R", "genomic": "chr7:55191822 T>G",
                "hgvs_p": "NP_005219.2:p.(Leu858Arg)"}]}"#,
        )[0];
        assert_eq!((v.chrom.as_deref(), v.pos), (Some("7"), Some(55191822)));
        let seq = Matcher::Sequence {
            chrom: "7".into(),
            start0: 55191821,
            reference: None,
            alternate: "G".into(),
        };
        assert!(seq.matches(v));
        let gene = Matcher::Gene {
            gene: "EGFR".into(),
            change: Some("L858R".into()),
        };
        assert!(gene.matches(v));
    }

    #[test]
    fn requests_are_checked() {
        let gene = VariantRequest {
            gene_id: Some("braf".into()),
            aminoacid_change: Some("p.Val600Glu".into()),
            filters: vec!["oncotree:luad".into()],
            ..Default::default()
        };
        let c = check(&gene).unwrap();
        assert_eq!(c.oncotree, ["LUAD"]);
        match c.matcher {
            Matcher::Gene { gene, change } => {
                assert_eq!((gene.as_str(), change.as_deref()), ("BRAF", Some("V600E")));
            }
            m => panic!("{m:?}"),
        }
        assert!(check(&VariantRequest::default()).is_err());
        let bad = VariantRequest {
            reference_name: Some("7".into()),
            filters: vec!["NCIT:C3058".into()],
            ..Default::default()
        };
        let e = check(&bad).unwrap_err().to_string();
        for field in ["start", "alternateBases", "assemblyId", "filters"] {
            assert!(e.contains(field), "{e}");
        }
    }
}
