//! What a caller asks the knowledge base about: one case's alterations and tumour type.
//!
//! The variant engine's output is mapped to these structs by the caller, so this crate does
//! not depend on `ganome-genomics`.

use serde::{Deserialize, Serialize};

/// Copy-number call for one gene.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyNumberCall {
    /// High-level gain (amplification).
    Amplification,
    /// Low-level gain.
    Gain,
    /// Shallow (heterozygous) loss.
    Loss,
    /// Deep (homozygous) deletion.
    Deletion,
}

/// A tumour-level biomarker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Biomarker {
    /// Tumour mutational burden (value in mutations per megabase).
    Tmb,
    /// Microsatellite instability high (MSI-H).
    MsiHigh,
    /// Mismatch-repair deficient (dMMR).
    MmrDeficient,
    /// Homologous-recombination deficiency (HRD) positive.
    HrdPositive,
}

impl Biomarker {
    /// The short label used in reports (`TMB`, `MSI-H`, `dMMR`, `HRD`).
    pub fn label(self) -> &'static str {
        match self {
            Self::Tmb => "TMB",
            Self::MsiHigh => "MSI-H",
            Self::MmrDeficient => "dMMR",
            Self::HrdPositive => "HRD",
        }
    }
}

/// One alteration found in a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum QueryAlteration {
    /// A small variant (SNV/indel) in a gene.
    Variant {
        /// HGNC gene symbol.
        gene: String,
        /// Protein change, one- or three-letter, with or without `p.` (`V600E`, `p.Leu858Arg`).
        #[serde(default)]
        hgvs_p: Option<String>,
        /// Sequence Ontology consequence term (`missense_variant`, `frameshift_variant`, …).
        #[serde(default)]
        consequence: Option<String>,
        /// Exon number on the reported transcript, when known.
        #[serde(default)]
        exon: Option<u32>,
    },
    /// A gene-level copy-number call.
    CopyNumber {
        /// HGNC gene symbol.
        gene: String,
        /// The call.
        call: CopyNumberCall,
    },
    /// A gene fusion (5' partner :: 3' partner).
    Fusion {
        /// 5' partner gene.
        five_prime: String,
        /// 3' partner gene.
        three_prime: String,
    },
    /// A tumour-level biomarker; `value` is the TMB in mut/Mb for [`Biomarker::Tmb`].
    Biomarker {
        /// Which biomarker.
        biomarker: Biomarker,
        /// Measured value, if any.
        #[serde(default)]
        value: Option<f64>,
    },
}

impl QueryAlteration {
    /// A small variant from gene and protein change.
    pub fn variant(gene: &str, hgvs_p: &str) -> Self {
        Self::Variant {
            gene: gene.to_owned(),
            hgvs_p: Some(hgvs_p.to_owned()),
            consequence: None,
            exon: None,
        }
    }

    /// The genes this alteration touches.
    pub fn genes(&self) -> Vec<&str> {
        match self {
            Self::Variant { gene, .. } | Self::CopyNumber { gene, .. } => vec![gene.as_str()],
            Self::Fusion {
                five_prime,
                three_prime,
            } => vec![five_prime.as_str(), three_prime.as_str()],
            Self::Biomarker { .. } => Vec::new(),
        }
    }

    /// A short human label (`EGFR L858R`, `EML4::ALK`, `ERBB2 amplification`, `TMB 12`).
    pub fn label(&self) -> String {
        match self {
            Self::Variant {
                gene,
                hgvs_p,
                consequence,
                ..
            } => match (hgvs_p, consequence) {
                (Some(p), _) => format!("{gene} {}", p.trim_start_matches("p.")),
                (None, Some(c)) => format!("{gene} {c}"),
                (None, None) => format!("{gene} variant"),
            },
            Self::CopyNumber { gene, call } => {
                format!("{gene} {call:?}")
                    .to_lowercase()
                    .replacen(&gene.to_lowercase(), gene, 1)
            }
            Self::Fusion {
                five_prime,
                three_prime,
            } => format!("{five_prime}::{three_prime}"),
            Self::Biomarker { biomarker, value } => match value {
                Some(v) => format!("{} {v}", biomarker.label()),
                None => biomarker.label().to_owned(),
            },
        }
    }
}

/// One case: tumour type and alterations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseQuery {
    /// OncoTree code of the tumour (`LUAD`, `COADREAD`, …).
    pub tumor_type: String,
    /// The alterations found.
    pub alterations: Vec<QueryAlteration>,
}
