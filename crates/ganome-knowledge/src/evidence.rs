//! Evidence items: one statement that an alteration (or a combination of alterations) in a
//! disease predicts, diagnoses or prognosticates something, with its source and level.

use crate::alteration::{AlterationSpec, MatchType, PreparedCase};
use crate::tumor_type::TumorScope;
use serde::{Deserialize, Serialize};

/// One component of a molecular profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileVariant {
    /// Source id of the variant (`CIViC:VID12`).
    pub id: String,
    /// Name as the source spells it (`V600E`).
    pub name: String,
    /// Parsed alteration.
    pub spec: AlterationSpec,
}

/// A boolean combination of variants (CIViC molecular profiles such as
/// `EGFR L858R AND EGFR T790M`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "args")]
pub enum ProfileExpr {
    /// One variant.
    Variant(ProfileVariant),
    /// All must be present.
    And(Vec<ProfileExpr>),
    /// At least one must be present.
    Or(Vec<ProfileExpr>),
    /// Must be absent.
    Not(Box<ProfileExpr>),
    /// A profile name we could not read; never matches.
    Unparsed(String),
}

/// What a profile matched in a case: the weakest component match, and which of the case's
/// alterations were used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileMatch {
    /// The least specific match among the required components.
    pub match_type: MatchType,
    /// Indices into the case's alterations.
    pub used: Vec<usize>,
}

impl ProfileExpr {
    /// The variants named anywhere in the expression.
    pub fn variants(&self) -> Vec<&ProfileVariant> {
        match self {
            Self::Variant(v) => vec![v],
            Self::And(xs) | Self::Or(xs) => xs.iter().flat_map(Self::variants).collect(),
            Self::Not(x) => x.variants(),
            Self::Unparsed(_) => Vec::new(),
        }
    }

    /// Genes named positively (used to index the knowledge base).
    pub fn genes(&self) -> Vec<String> {
        let mut g: Vec<String> = match self {
            Self::Variant(v) => v.spec.gene().map(str::to_owned).into_iter().collect(),
            Self::And(xs) | Self::Or(xs) => xs.iter().flat_map(Self::genes).collect(),
            Self::Not(_) | Self::Unparsed(_) => Vec::new(),
        };
        g.sort();
        g.dedup();
        g
    }

    /// True when the expression is one variant whose spec is a biomarker.
    pub fn is_biomarker(&self) -> bool {
        matches!(self, Self::Variant(v) if matches!(v.spec, AlterationSpec::Biomarker { .. }))
    }

    /// Evaluates the expression against a case: the weakest component match and the case
    /// alterations the profile used (none for a pure `NOT`).
    pub fn evaluate(&self, case: &PreparedCase) -> Option<ProfileMatch> {
        match self {
            Self::Variant(v) => case
                .best_match(&v.spec)
                .map(|(match_type, used)| ProfileMatch { match_type, used }),
            Self::And(xs) => {
                let mut out = ProfileMatch {
                    match_type: MatchType::Exact,
                    used: Vec::new(),
                };
                for x in xs {
                    let m = x.evaluate(case)?;
                    out.match_type = out.match_type.max(m.match_type);
                    out.used.extend(m.used);
                }
                out.used.sort_unstable();
                out.used.dedup();
                Some(out)
            }
            Self::Or(xs) => xs
                .iter()
                .filter_map(|x| x.evaluate(case))
                .min_by_key(|m| m.match_type),
            Self::Not(x) => match x.evaluate(case) {
                Some(_) => None,
                None => Some(ProfileMatch {
                    match_type: MatchType::Exact,
                    used: Vec::new(),
                }),
            },
            Self::Unparsed(_) => None,
        }
    }
}

/// A molecular profile: named expression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MolecularProfile {
    /// Source id (`CIViC:MP12`).
    pub id: String,
    /// Name (`BRAF V600E`).
    pub name: String,
    /// The expression.
    pub expr: ProfileExpr,
}

/// A disease as the source names it, placed in OncoTree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disease {
    /// Name as the source spells it.
    pub name: String,
    /// Disease Ontology id (`DOID:3908`), if given.
    pub doid: Option<String>,
    /// Where it sits in OncoTree.
    pub scope: TumorScope,
    /// How the OncoTree placement was found (`curated override`, `UMLS bridge`, `name`).
    pub mapped_by: String,
}

/// A publication or other citation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Citation {
    /// Kind (`PubMed`, `ASCO`).
    pub source_type: String,
    /// Identifier within that kind.
    pub id: String,
    /// Short text (`Levine et al., 2005`).
    pub text: String,
}

/// One evidence item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// Stable id (`CIViC:EID1`, `CIViC:AID7`).
    pub id: String,
    /// Source (`CIViC evidence`, `CIViC assertion`).
    pub source: String,
    /// The molecular profile it is about.
    pub profile: MolecularProfile,
    /// `Predictive`, `Prognostic`, `Diagnostic`, `Predisposing`, `Oncogenic`, `Functional`.
    pub evidence_type: String,
    /// `Supports` or `Does Not Support`.
    pub direction: String,
    /// `Sensitivity/Response`, `Resistance`, `Poor Outcome`, `Oncogenicity`, …
    pub significance: String,
    /// Therapies (sorted as given by the source).
    pub therapies: Vec<String>,
    /// `Combination`, `Substitutes`, `Sequential`, or empty.
    pub therapy_interaction: Option<String>,
    /// The disease.
    pub disease: Disease,
    /// The source's own level (`A`…`E` for CIViC evidence; AMP category for assertions).
    pub source_level: String,
    /// For assertions: AMP/ASCO/CAP category (`Tier I - Level A`).
    pub amp_category: Option<String>,
    /// For assertions: the source says there is a regulatory (FDA) approval.
    pub regulatory_approval: Option<bool>,
    /// Source rating (CIViC stars), if any.
    pub rating: Option<u8>,
    /// Citations.
    pub citations: Vec<Citation>,
    /// ClinicalTrials.gov ids mentioned.
    pub nct_ids: Vec<String>,
    /// `accepted`, `submitted`, …
    pub status: String,
    /// `Somatic`, `Rare Germline`, …
    pub variant_origin: String,
    /// One-line statement.
    pub statement: String,
}

impl EvidenceItem {
    /// Predictive evidence that supports sensitivity or response.
    pub fn is_sensitivity(&self) -> bool {
        self.evidence_type == "Predictive"
            && self.direction == "Supports"
            && self.significance == "Sensitivity/Response"
    }

    /// Predictive evidence that supports resistance or reduced sensitivity.
    pub fn is_resistance(&self) -> bool {
        self.evidence_type == "Predictive"
            && self.direction == "Supports"
            && matches!(
                self.significance.as_str(),
                "Resistance" | "Reduced Sensitivity"
            )
    }

    /// Therapies joined the way a report shows them (`encorafenib + cetuximab`).
    pub fn therapy_label(&self) -> String {
        let sep = match self.therapy_interaction.as_deref() {
            Some("Combination") => " + ",
            _ => ", ",
        };
        self.therapies.join(sep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alteration::{Effect, PreparedAlteration};
    use crate::protein::ProteinChange;

    fn leaf(gene: &str, name: &str) -> ProfileExpr {
        ProfileExpr::Variant(ProfileVariant {
            id: name.into(),
            name: name.into(),
            spec: AlterationSpec::parse(gene, name),
        })
    }

    fn case(changes: &[(&str, &str)]) -> PreparedCase {
        PreparedCase::new(
            changes
                .iter()
                .map(|(g, p)| {
                    let protein = ProteinChange::parse(p).ok();
                    PreparedAlteration::Variant {
                        gene: (*g).into(),
                        effect: protein
                            .as_ref()
                            .map_or(Effect::Unknown, Effect::from_protein),
                        protein,
                        exon: None,
                        oncogenic: false,
                    }
                })
                .collect(),
        )
    }

    #[test]
    fn and_or_not() {
        let both = ProfileExpr::And(vec![leaf("EGFR", "L858R"), leaf("EGFR", "T790M")]);
        let c = case(&[("EGFR", "L858R"), ("EGFR", "T790M")]);
        let m = both.evaluate(&c).expect("both present");
        assert_eq!(m.used, vec![0, 1]);
        assert!(both.evaluate(&case(&[("EGFR", "L858R")])).is_none());

        let either = ProfileExpr::Or(vec![leaf("KRAS", "G12"), leaf("KRAS", "G12C")]);
        let m = either
            .evaluate(&case(&[("KRAS", "G12C")]))
            .expect("one present");
        assert_eq!(
            m.match_type,
            MatchType::Exact,
            "the more specific branch wins"
        );

        let without = ProfileExpr::And(vec![
            leaf("EGFR", "L858R"),
            ProfileExpr::Not(Box::new(leaf("EGFR", "T790M"))),
        ]);
        assert!(without.evaluate(&c).is_none());
        assert!(without.evaluate(&case(&[("EGFR", "L858R")])).is_some());
        assert!(ProfileExpr::Unparsed("x".into()).evaluate(&c).is_none());
    }
}
