//! Regulatory approvals of biomarker–drug pairs (PMDA in Japan, FDA in the US).

use crate::alteration::AlterationSpec;
use crate::tumor_type::TumorScope;
use serde::{Deserialize, Serialize};

/// Regulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Jurisdiction {
    /// Japan: PMDA review, MHLW approval (薬事承認).
    #[serde(rename = "JP")]
    Japan,
    /// United States: FDA.
    #[serde(rename = "US")]
    UnitedStates,
}

impl Jurisdiction {
    /// `JP` or `US`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Japan => "JP",
            Self::UnitedStates => "US",
        }
    }

    /// `PMDA` or `FDA`.
    pub fn agency(self) -> &'static str {
        match self {
            Self::Japan => "PMDA",
            Self::UnitedStates => "FDA",
        }
    }
}

/// One approval of a drug (or combination) for a biomarker-defined indication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    /// Stable id from the curated file (`JP-osimertinib-EGFR-NSCLC-1L`).
    pub id: String,
    /// Regulator.
    pub jurisdiction: Jurisdiction,
    /// Drug or combination (`encorafenib + cetuximab`).
    pub drug: String,
    /// Gene (empty for tumour-level biomarkers).
    pub gene: String,
    /// The biomarker as written in the curated file.
    pub biomarker: String,
    /// Parsed biomarker.
    pub spec: AlterationSpec,
    /// Tumours the indication covers.
    pub scope: TumorScope,
    /// Indication in words.
    pub indication: String,
    /// Approval date (YYYY-MM-DD, or YYYY-MM where the day is not known).
    pub date: String,
    /// Companion diagnostic, if named.
    pub companion_diagnostic: Option<String>,
    /// Where the fact comes from (label, announcement).
    pub source: String,
    /// Curator's note; starts with `uncertain` when a detail is not confirmed.
    pub note: String,
}

impl Approval {
    /// True when the curator marked a detail as not confirmed.
    pub fn is_uncertain(&self) -> bool {
        self.note
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("uncertain")
    }
}
