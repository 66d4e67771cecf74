//! Japanese evidence levels (three-society guidance, editions 2.x and 1.0) derived by an
//! ordered rule table that lives in data (`data/knowledge/levels.toml`), with crosswalks to
//! AMP/ASCO/CAP tiers and CIViC-style levels.
//!
//! The rules are data because the guidance's definitions leave room for interpretation
//! (e.g. whether an FDA-only approval in the same tumour type is level A); the curator can
//! change an interpretation without a code change, and every assignment names the rule.

use crate::alteration::MatchType;
use crate::error::KbError;
use crate::tumor_type::DiseaseRelation;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// What a level is derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A regulatory approval.
    Approval,
    /// A curated assertion (CIViC assertion with an AMP category).
    Assertion,
    /// Predictive evidence supporting sensitivity.
    EvidenceSensitivity,
    /// Predictive evidence supporting resistance.
    EvidenceResistance,
    /// Oncogenicity only (no therapeutic evidence).
    Oncogenic,
}

/// One rule of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelRule {
    /// Stable id (`JP-APPROVAL-SAME`).
    pub id: String,
    /// What it applies to.
    pub basis: Basis,
    /// Jurisdictions (`JP`, `US`); empty = any.
    #[serde(default)]
    pub jurisdictions: Vec<String>,
    /// Disease relations (`same_type`, `subtype`, `tumor_agnostic`, `parent`, `other_type`);
    /// empty = any.
    #[serde(default)]
    pub relations: Vec<String>,
    /// Match types (`exact`, `codon`, `exon`, `class`, `gene`); empty = any.
    #[serde(default)]
    pub match_types: Vec<String>,
    /// Source levels (CIViC `A`…`E` or AMP category text); empty = any.
    #[serde(default)]
    pub source_levels: Vec<String>,
    /// Level, guidance edition 2.x.
    pub ed2: String,
    /// Level, guidance edition 1.0.
    pub ed1: String,
    /// Reason template: `{drug}`, `{indication}`, `{disease}`, `{source}`, `{source_level}`,
    /// `{jurisdiction}`, `{id}` are filled in.
    pub reason: String,
}

/// Crosswalk from an edition 2.x level to other schemes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crosswalk {
    /// AMP/ASCO/CAP tier and level.
    pub amp: String,
    /// CIViC-style evidence level.
    pub civic: String,
    /// Meaning, in the guidance's words (paraphrased).
    pub meaning: String,
}

/// The whole rule table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelRules {
    /// Version of the table.
    pub version: String,
    /// Edition 2.x levels from strongest to weakest (R excluded).
    pub order: Vec<String>,
    /// Ordered rules; the first that holds fires.
    pub rule: Vec<LevelRule>,
    /// Edition 2.x level → crosswalk.
    pub crosswalk: BTreeMap<String, Crosswalk>,
}

/// The facts a rule is checked against.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// Basis.
    pub basis: Basis,
    /// Jurisdiction code, for approvals.
    pub jurisdiction: Option<&'a str>,
    /// Disease relation.
    pub relation: DiseaseRelation,
    /// Match type.
    pub match_type: MatchType,
    /// Source level.
    pub source_level: &'a str,
    /// Drug(s).
    pub drug: &'a str,
    /// Indication or disease.
    pub indication: &'a str,
    /// Source name.
    pub source: &'a str,
    /// Item id.
    pub id: &'a str,
}

/// A derived level with the rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelAssignment {
    /// Edition 2.x level (`A`…`F`, `R`).
    pub ed2: String,
    /// Edition 1.0 level (`1A`…`4`, `R`).
    pub ed1: String,
    /// Rule id.
    pub rule: String,
    /// Reason, e.g. `A: approved in Japan for non-small cell lung cancer (osimertinib) — same
    /// tumour type`.
    pub reason: String,
    /// AMP/ASCO/CAP crosswalk.
    pub amp: String,
    /// CIViC-style crosswalk.
    pub civic: String,
}

fn match_key(m: MatchType) -> &'static str {
    match m {
        MatchType::Exact => "exact",
        MatchType::Codon => "codon",
        MatchType::Exon => "exon",
        MatchType::Class => "class",
        MatchType::Gene => "gene",
    }
}

impl LevelRules {
    /// Reads and checks the TOML table.
    pub fn read(path: &Path) -> Result<Self, KbError> {
        let text = std::fs::read_to_string(path).map_err(|e| KbError::io(path, e))?;
        Self::parse(&text).map_err(|m| KbError::format(path, m))
    }

    /// Parses and checks the TOML text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let rules: Self = toml::from_str(text).map_err(|e| e.to_string())?;
        for r in &rules.rule {
            if r.ed2 != "R" && !rules.order.contains(&r.ed2) {
                return Err(format!("rule {}: level {:?} not in order", r.id, r.ed2));
            }
            for rel in &r.relations {
                if ![
                    "same_type",
                    "subtype",
                    "tumor_agnostic",
                    "parent",
                    "other_type",
                ]
                .contains(&rel.as_str())
                {
                    return Err(format!("rule {}: unknown relation {rel:?}", r.id));
                }
            }
            for m in &r.match_types {
                if !["exact", "codon", "exon", "class", "gene"].contains(&m.as_str()) {
                    return Err(format!("rule {}: unknown match type {m:?}", r.id));
                }
            }
        }
        Ok(rules)
    }

    /// Rank of an edition 2.x level (0 = strongest); R and unknown levels rank last.
    pub fn rank(&self, ed2: &str) -> usize {
        self.order
            .iter()
            .position(|l| l == ed2)
            .unwrap_or(self.order.len())
    }

    /// Applies the table; `None` when no rule holds.
    pub fn assign(&self, f: &Facts<'_>) -> Option<LevelAssignment> {
        let rule = self.rule.iter().find(|r| {
            r.basis == f.basis
                && (r.jurisdictions.is_empty()
                    || f.jurisdiction
                        .is_some_and(|j| r.jurisdictions.iter().any(|x| x == j)))
                && (r.relations.is_empty() || r.relations.iter().any(|x| x == f.relation.key()))
                && (r.match_types.is_empty()
                    || r.match_types.iter().any(|x| x == match_key(f.match_type)))
                && (r.source_levels.is_empty()
                    || r.source_levels.iter().any(|x| x == f.source_level))
        })?;
        let body = rule
            .reason
            .replace("{drug}", f.drug)
            .replace("{indication}", f.indication)
            .replace("{disease}", f.indication)
            .replace("{source}", f.source)
            .replace("{source_level}", f.source_level)
            .replace("{jurisdiction}", f.jurisdiction.unwrap_or(""))
            .replace("{id}", f.id);
        let cw = self.crosswalk.get(&rule.ed2);
        Some(LevelAssignment {
            ed2: rule.ed2.clone(),
            ed1: rule.ed1.clone(),
            rule: rule.id.clone(),
            reason: if f.basis == Basis::Oncogenic {
                format!("{}: {}", rule.ed2, body)
            } else {
                format!("{}: {} — {}", rule.ed2, body, f.relation.phrase())
            },
            amp: cw.map(|c| c.amp.clone()).unwrap_or_default(),
            civic: cw.map(|c| c.civic.clone()).unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"
version = "t"
order = ["A", "B", "C"]
[[rule]]
id = "JP-SAME"
basis = "approval"
jurisdictions = ["JP"]
relations = ["same_type", "subtype"]
ed2 = "A"
ed1 = "1A"
reason = "approved in Japan for {indication} ({drug})"
[[rule]]
id = "ANY-OTHER"
basis = "approval"
ed2 = "C"
ed1 = "2A"
reason = "approved for {indication} ({drug})"
[crosswalk.A]
amp = "Tier I-A"
civic = "A"
meaning = "m"
"#;

    fn facts(j: &'static str, rel: DiseaseRelation) -> Facts<'static> {
        Facts {
            basis: Basis::Approval,
            jurisdiction: Some(j),
            relation: rel,
            match_type: MatchType::Exact,
            source_level: "",
            drug: "osimertinib",
            indication: "NSCLC",
            source: "label",
            id: "x",
        }
    }

    #[test]
    fn first_matching_rule_fires() {
        let t = LevelRules::parse(TABLE).expect("table parses");
        let a = t
            .assign(&facts("JP", DiseaseRelation::Subtype))
            .expect("a rule fires");
        assert_eq!(a.ed2, "A");
        assert_eq!(a.rule, "JP-SAME");
        assert!(
            a.reason
                .starts_with("A: approved in Japan for NSCLC (osimertinib)")
        );
        assert_eq!(a.amp, "Tier I-A");
        let c = t
            .assign(&facts("JP", DiseaseRelation::OtherType))
            .expect("fallback fires");
        assert_eq!((c.ed2.as_str(), c.ed1.as_str()), ("C", "2A"));
        let mut f = facts("JP", DiseaseRelation::SameType);
        f.basis = Basis::Oncogenic;
        assert!(t.assign(&f).is_none());
    }

    #[test]
    fn rejects_unknown_relation() {
        let bad = TABLE.replace("\"subtype\"]", "\"cousin\"]");
        assert!(LevelRules::parse(&bad).is_err());
    }
}
