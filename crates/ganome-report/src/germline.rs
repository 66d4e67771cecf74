//! The presumed-germline screen for tumour-only panels and the genetic-counselling referral.
//!
//! The gene list and VAF thresholds live in `data/report/germline.toml` (each value names its
//! source and whether it is uncertain); this module only applies them.

use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::model::{GermlineDisclosure, Message, Referral};

/// The shipped guidance file, compiled in so the CLI and the service need no data directory.
pub const SHIPPED_GUIDANCE: &str = include_str!("../../../data/report/germline.toml");

/// Errors reading the guidance file.
#[derive(Debug, thiserror::Error)]
pub enum GuidanceError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The TOML is malformed or a field is wrong.
    #[error("{path}: {message}")]
    Format {
        /// File.
        path: String,
        /// What was wrong (with TOML line/column).
        message: String,
    },
}

/// One source named in the file.
#[derive(Debug, Clone, Deserialize)]
pub struct GuidanceSource {
    /// Title.
    pub title: String,
    /// Note.
    #[serde(default)]
    pub note: String,
}

/// A VAF threshold.
#[derive(Debug, Clone, Deserialize)]
pub struct Threshold {
    /// Rule id.
    pub id: String,
    /// Genes it applies to (`*` = any listed gene).
    pub genes: Vec<String>,
    /// `any`, `snv` or `indel`.
    pub variant_class: String,
    /// Minimum VAF (fraction).
    pub vaf_min: f64,
    /// Source key.
    pub source: String,
    /// Whether the value is uncertain.
    #[serde(default)]
    pub uncertain: bool,
}

/// A group of listed genes.
#[derive(Debug, Clone, Deserialize)]
pub struct GeneGroup {
    /// HGNC symbols.
    pub symbols: Vec<String>,
    /// Only screened when the tumour is MSI-high.
    #[serde(default)]
    pub requires_msi_high: bool,
    /// Source key.
    pub source: String,
    /// Whether membership is uncertain.
    #[serde(default)]
    pub uncertain: bool,
}

/// The guidance file.
#[derive(Debug, Clone, Deserialize)]
pub struct GermlineGuidance {
    /// File version.
    pub version: String,
    /// Sources by key.
    pub sources: std::collections::BTreeMap<String, GuidanceSource>,
    /// Thresholds, most specific first.
    #[serde(default)]
    pub threshold: Vec<Threshold>,
    /// Listed genes.
    #[serde(default)]
    pub gene: Vec<GeneGroup>,
    /// SHA-256 of the file text (filled on parse).
    #[serde(skip)]
    pub sha256: String,
}

/// A variant offered to the screen.
#[derive(Debug, Clone)]
pub struct ScreenVariant<'a> {
    /// Gene.
    pub gene: &'a str,
    /// VAF.
    pub vaf: Option<f64>,
    /// SNV (else indel/MNV).
    pub is_snv: bool,
    /// Judged (likely) oncogenic / pathogenic-like (truncating in a listed gene counts).
    pub pathogenic_like: bool,
}

/// A hit of the screen.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenHit {
    /// Threshold rule id.
    pub rule: String,
    /// Threshold.
    pub threshold: f64,
    /// Source titles (gene list; threshold).
    pub source: String,
    /// Gene or threshold marked uncertain.
    pub uncertain: bool,
}

impl GermlineGuidance {
    /// The file shipped in `data/report/germline.toml`.
    pub fn shipped() -> Result<Self, GuidanceError> {
        Self::parse(SHIPPED_GUIDANCE, "data/report/germline.toml")
    }

    /// Reads a guidance file.
    pub fn read(path: &Path) -> Result<Self, GuidanceError> {
        let text = std::fs::read_to_string(path).map_err(|source| GuidanceError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses guidance text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Self, GuidanceError> {
        let fmt = |message: String| GuidanceError::Format {
            path: path.to_owned(),
            message,
        };
        let mut g: Self = toml::from_str(text).map_err(|e| fmt(e.to_string()))?;
        for t in &g.threshold {
            if !g.sources.contains_key(&t.source) {
                return Err(fmt(format!(
                    "threshold {}: unknown source {:?}",
                    t.id, t.source
                )));
            }
            if !(0.0..=1.0).contains(&t.vaf_min) {
                return Err(fmt(format!("threshold {}: vaf_min not in 0–1", t.id)));
            }
            if !matches!(t.variant_class.as_str(), "any" | "snv" | "indel") {
                return Err(fmt(format!(
                    "threshold {}: variant_class {:?} (any, snv, indel)",
                    t.id, t.variant_class
                )));
            }
        }
        for grp in &g.gene {
            if !g.sources.contains_key(&grp.source) {
                return Err(fmt(format!("gene group: unknown source {:?}", grp.source)));
            }
        }
        g.sha256 = hex::encode(Sha256::digest(text.as_bytes()));
        Ok(g)
    }

    /// `version (sha256 prefix)` for the report's provenance.
    pub fn label(&self) -> String {
        format!("germline.toml {} ({})", self.version, &self.sha256[..12])
    }

    /// Screens one variant; `msi_high` gates the mismatch-repair genes.
    pub fn screen(&self, v: &ScreenVariant<'_>, msi_high: bool) -> Option<ScreenHit> {
        if !v.pathogenic_like {
            return None;
        }
        let vaf = v.vaf?;
        let group = self
            .gene
            .iter()
            .find(|g| g.symbols.iter().any(|s| s.eq_ignore_ascii_case(v.gene)))?;
        if group.requires_msi_high && !msi_high {
            return None;
        }
        let class = if v.is_snv { "snv" } else { "indel" };
        let t = self.threshold.iter().find(|t| {
            let gene_ok = t
                .genes
                .iter()
                .any(|s| s == "*" || s.eq_ignore_ascii_case(v.gene));
            gene_ok && (t.variant_class == "any" || t.variant_class == class)
        })?;
        if vaf + 1e-9 < t.vaf_min {
            return None;
        }
        let title = |k: &str| {
            self.sources
                .get(k)
                .map_or_else(|| k.to_owned(), |s| s.title.clone())
        };
        Some(ScreenHit {
            rule: t.id.clone(),
            threshold: t.vaf_min,
            source: format!(
                "gene: {}; threshold: {}",
                title(&group.source),
                title(&t.source)
            ),
            uncertain: t.uncertain || group.uncertain,
        })
    }
}

/// The referral decision from the findings and the patient's disclosure preference.
pub fn referral(has_findings: bool, disclosure: GermlineDisclosure) -> Referral {
    if !has_findings {
        return Referral {
            decision: "none".into(),
            flagged: false,
            action: Message::new(
                "no_presumed_germline",
                "No presumed-germline finding.",
                "生殖細胞系列由来が疑われる所見はありません。",
            ),
        };
    }
    let (decision, action) = match disclosure {
        GermlineDisclosure::Disclose => (
            "refer",
            Message::new(
                "refer_genetic_counselling",
                "Refer to genetic counselling and offer confirmatory germline testing (the patient wishes to be told).",
                "遺伝カウンセリングへの紹介と確認検査の提案を推奨します（患者は開示を希望）。",
            ),
        ),
        GermlineDisclosure::DoNotDisclose => (
            "withheld_by_preference",
            Message::new(
                "withheld_by_preference",
                "The patient does not wish to be told: record for the expert panel, do not disclose; revisit if the wish changes.",
                "患者は開示を希望していません：エキスパートパネルで記録し開示しない。希望が変わった場合は再検討。",
            ),
        ),
        GermlineDisclosure::Undecided => (
            "confirm_preference",
            Message::new(
                "confirm_preference",
                "Confirm the patient's disclosure wish before disclosing; offer genetic counselling.",
                "開示前に患者の開示希望を確認し、遺伝カウンセリングを提案してください。",
            ),
        ),
    };
    Referral {
        decision: decision.into(),
        flagged: true,
        action,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(gene: &str, vaf: f64, is_snv: bool) -> ScreenVariant<'_> {
        ScreenVariant {
            gene,
            vaf: Some(vaf),
            is_snv,
            pathogenic_like: true,
        }
    }

    #[test]
    fn thresholds_from_the_shipped_file() {
        let g = GermlineGuidance::shipped().unwrap();
        assert_eq!(
            g.screen(&v("BRCA2", 0.12, false), false).unwrap().rule,
            "BRCA-VAF10"
        );
        assert!(g.screen(&v("BRCA2", 0.08, true), false).is_none());
        assert!(g.screen(&v("TP53", 0.25, true), false).is_none());
        assert_eq!(
            g.screen(&v("TP53", 0.31, true), false).unwrap().rule,
            "SNV-VAF30"
        );
        assert_eq!(
            g.screen(&v("TP53", 0.21, false), false).unwrap().rule,
            "INDEL-VAF20"
        );
        assert!(g.screen(&v("MLH1", 0.5, true), false).is_none());
        assert!(g.screen(&v("MLH1", 0.5, true), true).is_some());
        assert!(g.screen(&v("KRAS", 0.5, true), true).is_none());
        assert!(g.screen(&v("ATM", 0.5, true), false).unwrap().uncertain);
        let mut benign = v("BRCA1", 0.5, true);
        benign.pathogenic_like = false;
        assert!(g.screen(&benign, false).is_none());
    }

    #[test]
    fn bad_files_name_the_problem() {
        let e = GermlineGuidance::parse(
            "version='x'\n[sources.a]\ntitle='t'\n[[threshold]]\nid='T'\ngenes=['*']\nvariant_class='snv'\nvaf_min=0.3\nsource='b'\n",
            "g.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("g.toml") && e.contains("unknown source"), "{e}");
    }

    #[test]
    fn referral_honours_the_wish() {
        assert_eq!(
            referral(true, GermlineDisclosure::Disclose).decision,
            "refer"
        );
        assert_eq!(
            referral(true, GermlineDisclosure::DoNotDisclose).decision,
            "withheld_by_preference"
        );
        assert!(referral(true, GermlineDisclosure::Undecided).flagged);
        assert!(!referral(false, GermlineDisclosure::Disclose).flagged);
    }
}
