//! The findings report (検査結果レポート) as data: a versioned, serde-serialisable model that
//! every renderer reads. Nothing here depends on the wall clock; dates come from the case.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Version of the report schema (documented in `docs/report.md`). Bumped on any change to
/// the JSON shape.
pub const SCHEMA_VERSION: &str = "1.0.0";

/// A sentence in both report languages, with a stable code for machines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Stable code (`low_tumor_content`, `tmb_high`, …).
    pub code: String,
    /// English text.
    pub en: String,
    /// Japanese text.
    pub ja: String,
}

impl Message {
    /// A message from its code and both texts.
    pub fn new(code: &str, en: impl Into<String>, ja: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            en: en.into(),
            ja: ja.into(),
        }
    }

    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }
}

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Japanese (日本語).
    Ja,
    /// English.
    En,
}

impl Lang {
    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::En => "en",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ja" => Ok(Self::Ja),
            "en" => Ok(Self::En),
            _ => Err(format!("unknown language {s:?} (ja, en)")),
        }
    }
}

/// The patient's wish about being told of germline (secondary) findings, from the consent.
///
/// 二次的所見の開示希望.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GermlineDisclosure {
    /// Wishes to be told.
    Disclose,
    /// Does not wish to be told.
    DoNotDisclose,
    /// Has not decided (or the consent does not say).
    #[default]
    Undecided,
}

impl std::str::FromStr for GermlineDisclosure {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "disclose" => Ok(Self::Disclose),
            "do_not_disclose" => Ok(Self::DoNotDisclose),
            "undecided" => Ok(Self::Undecided),
            _ => Err(format!(
                "unknown disclosure preference {s:?} (disclose, do_not_disclose, undecided)"
            )),
        }
    }
}

/// A complete findings report.
///
/// 検査結果レポート (findings report). Immutable once built; `report_id` is a hash of its inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingsReport {
    /// [`SCHEMA_VERSION`] at build time.
    pub schema_version: String,
    /// `GR-` and 16 hex digits of SHA-256 over inputs, knowledge release, transcript database
    /// and engine version (see [`crate::id`]).
    pub report_id: String,
    /// The case.
    pub case: CaseInfo,
    /// The test.
    pub test: TestInfo,
    /// What the report was derived from.
    pub provenance: Provenance,
    /// Quality control and its caveats.
    pub qc: Qc,
    /// Tumour-level biomarkers.
    pub biomarkers: BiomarkerFindings,
    /// Oncogenic or actionable alterations, strongest level first.
    pub alterations: Vec<AlterationFinding>,
    /// Variants of uncertain significance (VUS), in genomic order.
    pub vus: Vec<AlterationFinding>,
    /// Presumed-germline findings and the counselling referral.
    pub germline: GermlineSection,
    /// Matched clinical trials: domestic first, then overseas.
    pub trials: TrialSection,
    /// Summary: treatment options by level and trial counts.
    pub summary: Summary,
    /// Input problems and knowledge-base warnings.
    pub warnings: Vec<String>,
}

/// Case metadata (症例情報).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseInfo {
    /// Case id (C-CAT style or local).
    pub case_id: String,
    /// OncoTree code.
    pub tumor_type: String,
    /// OncoTree name.
    pub tumor_type_name: String,
    /// Report date (from the case, never the clock), ISO 8601 date.
    pub report_date: Option<String>,
    /// Specimen description.
    pub specimen: Option<String>,
    /// Disclosure preference for germline findings.
    pub germline_disclosure: GermlineDisclosure,
}

/// Test metadata (検査情報).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestInfo {
    /// Panel name.
    pub panel: String,
    /// Tumour-only panel (no matched normal).
    pub tumor_only: bool,
    /// Genome build.
    pub genome_build: String,
    /// Size of the panel's coding territory in megabases, when known (for TMB reading).
    pub panel_size_mb: Option<f64>,
}

/// One input file and its hash.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InputFile {
    /// Role (`vcf`, `cnv`, `fusions`).
    pub role: String,
    /// File name (no directory, so reports do not depend on where files were kept).
    pub name: String,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

/// What the report was derived from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// Input files, sorted by role then name.
    pub inputs: Vec<InputFile>,
    /// Knowledge release label.
    pub knowledge_release: String,
    /// Knowledge release content hash.
    pub knowledge_hash: String,
    /// Transcript database identity (name and hash).
    pub transcript_db: String,
    /// Engine (`ganome-report x.y.z`).
    pub engine: String,
    /// Germline guidance data file (source and version).
    pub germline_guidance: String,
}

/// Quality control (品質管理).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Qc {
    /// Tumour content (腫瘍細胞含有率), fraction 0–1.
    pub tumor_content: Option<f64>,
    /// Mean depth over the panel.
    pub mean_depth: Option<f64>,
    /// Median depth of the reported variants.
    pub median_variant_depth: Option<u32>,
    /// Caveats a reader must see.
    pub caveats: Vec<Message>,
}

/// Tumour-level biomarkers (バイオマーカー).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BiomarkerFindings {
    /// Tumour mutational burden.
    pub tmb: Option<TmbFinding>,
    /// Microsatellite instability.
    pub msi: Option<MsiFinding>,
}

/// TMB with a panel-aware reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TmbFinding {
    /// Value in mutations per megabase.
    pub value: f64,
    /// `high` (≥ threshold) or `not_high`.
    pub category: String,
    /// Threshold used (mut/Mb).
    pub threshold: f64,
    /// The reading, with the panel's caveats.
    pub reading: Message,
    /// Options matched for TMB-high.
    pub therapies: Vec<TherapyOption>,
}

/// MSI status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MsiFinding {
    /// `msi_high`, `mss`, `msi_low`, `indeterminate`.
    pub status: String,
    /// Score, if reported.
    pub score: Option<f64>,
    /// Options matched for MSI-high.
    pub therapies: Vec<TherapyOption>,
}

/// Where an alteration comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Somatic (seen against a matched normal).
    Somatic,
    /// Germline (seen in the matched normal).
    Germline,
    /// Unknown (tumour-only test).
    Unknown,
}

/// A Japanese evidence level with its rule and reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    /// Guidance edition 2.x level (A–F, R).
    pub ed2: String,
    /// Guidance edition 1.0 level.
    pub ed1: String,
    /// Rule id from `levels.toml`.
    pub rule: String,
    /// The filled-in reason.
    pub reason: String,
}

/// One drug (or combination) for an alteration, with its level and approvals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TherapyOption {
    /// Drug(s) as shown.
    pub drug: String,
    /// Best level for this drug.
    pub level: Level,
    /// Approved in Japan (PMDA) for this biomarker in this tumour type.
    pub approved_jp: bool,
    /// Approved in the US (FDA) for this biomarker in this tumour type.
    pub approved_us: bool,
    /// Evidence and approval ids behind it.
    pub sources: Vec<String>,
}

/// One alteration in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlterationFinding {
    /// Id within the report (`A1`, `A2`, …), in input order.
    pub id: String,
    /// Gene (5′::3′ for fusions).
    pub gene: String,
    /// Label (`EGFR L858R`).
    pub label: String,
    /// `snv`, `mnv`, `insertion`, `deletion`, `indel`, `copy_number`, `fusion`.
    pub kind: String,
    /// Genomic position (`chr7:55191822 T>G`), for small variants.
    pub genomic: Option<String>,
    /// Transcript.
    pub transcript: Option<String>,
    /// HGVS c.
    pub hgvs_c: Option<String>,
    /// HGVS p. (three-letter).
    pub hgvs_p: Option<String>,
    /// Sequence Ontology consequence terms.
    pub consequence: Vec<String>,
    /// Tumour variant allele fraction.
    pub vaf: Option<f64>,
    /// Tumour depth.
    pub depth: Option<u32>,
    /// Copy number (total), for copy-number calls.
    pub copy_number: Option<f64>,
    /// Origin.
    pub origin: Origin,
    /// Oncogenicity call (`oncogenic`, `likely_oncogenic`, `vus`, `likely_benign`).
    pub oncogenicity: String,
    /// What the oncogenicity rests on.
    pub oncogenicity_basis: Vec<String>,
    /// Best level over the therapies (none when nothing therapeutic or oncogenic matched).
    pub best_level: Option<Level>,
    /// Therapy options grouped by drug, strongest first; resistance last.
    pub therapies: Vec<TherapyOption>,
    /// Ids of matched trials.
    pub trials: Vec<String>,
}

/// Presumed-germline findings from a tumour-only panel.
///
/// 生殖細胞系列由来が疑われる所見 (presumed germline findings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GermlineSection {
    /// Whether the screen applied (tumour-only tests).
    pub applies: bool,
    /// Findings.
    pub findings: Vec<GermlineFinding>,
    /// The referral decision.
    pub referral: Referral,
}

/// One presumed-germline finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GermlineFinding {
    /// Alteration id.
    pub alteration_id: String,
    /// Gene.
    pub gene: String,
    /// Label.
    pub label: String,
    /// VAF.
    pub vaf: f64,
    /// Threshold applied.
    pub threshold: f64,
    /// Rule id in `data/report/germline.toml`.
    pub rule: String,
    /// Source of the gene and the threshold.
    pub source: String,
    /// Whether the data file marks the value uncertain.
    pub uncertain: bool,
}

/// Genetic-counselling referral (遺伝カウンセリング).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    /// `refer`, `confirm_preference`, `withheld_by_preference`, `none`.
    pub decision: String,
    /// Flag for the expert panel: a presumed-germline finding exists.
    pub flagged: bool,
    /// What to do.
    pub action: Message,
}

/// One matched trial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialFinding {
    /// Registry id.
    pub id: String,
    /// Registry.
    pub registry: String,
    /// Title.
    pub title: String,
    /// Phase.
    pub phase: Option<String>,
    /// Status.
    pub status: String,
    /// Recruiting now.
    pub recruiting: bool,
    /// Has sites in Japan.
    pub domestic: bool,
    /// Japanese prefectures with sites.
    pub prefectures: Vec<String>,
    /// Countries with sites.
    pub countries: Vec<String>,
    /// Criteria that held.
    pub matched_criteria: Vec<String>,
    /// Alteration ids that satisfied them.
    pub alterations: Vec<String>,
}

/// Trials, domestic first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TrialSection {
    /// Trials with sites in Japan, recruiting first.
    pub domestic: Vec<TrialFinding>,
    /// Other trials, recruiting first.
    pub overseas: Vec<TrialFinding>,
}

/// Summary (まとめ).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Per level (A–E), the options as `label: drug`.
    pub options_by_level: BTreeMap<String, Vec<String>>,
    /// Alterations reported.
    pub alterations: usize,
    /// VUS.
    pub vus: usize,
    /// Variants read but not reported (benign, outside the transcript database).
    pub not_reported: usize,
    /// Domestic trials.
    pub trials_domestic: usize,
    /// Overseas trials.
    pub trials_overseas: usize,
    /// Genetic-counselling flag.
    pub germline_flag: bool,
}
