//! Clinical trials with eligibility as a boolean tree of genomic and clinical criteria, in the
//! spirit of CTML (MatchMiner's clinical trial markup language).

use crate::alteration::{AlterationSpec, MatchType, PreparedCase};
use crate::tumor_type::{TumorScope, TumorTypeTree};
use serde::{Deserialize, Serialize};

/// A trial site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TrialSite {
    /// Facility name, if known.
    pub name: Option<String>,
    /// Prefecture (都道府県) for Japanese sites.
    pub prefecture: Option<String>,
    /// Country.
    pub country: String,
}

/// A genomic criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GenomicCriterion {
    /// The alteration required.
    pub spec: AlterationSpec,
    /// True when the alteration must be absent (CTML `!Mutation`).
    #[serde(default)]
    pub negate: bool,
}

/// A clinical criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ClinicalCriterion {
    /// The tumour is within one of these scopes.
    TumorType {
        /// Accepted tumours.
        scope: TumorScope,
        /// True when these tumours are excluded.
        #[serde(default)]
        exclude: bool,
    },
    /// Age bounds (years); not evaluated by the matcher, shown to the panel.
    Age {
        /// The bound as written (`>=18`).
        expression: String,
    },
    /// Anything else, shown as written.
    Other {
        /// The text.
        text: String,
    },
}

/// The eligibility tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "node", content = "children")]
pub enum Criteria {
    /// All children must hold.
    And(Vec<Criteria>),
    /// At least one child must hold.
    Or(Vec<Criteria>),
    /// A genomic leaf.
    Genomic(GenomicCriterion),
    /// A clinical leaf.
    Clinical(ClinicalCriterion),
}

/// One trial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trial {
    /// Registry id (`NCT03586453`, `jRCT2031200001`).
    pub id: String,
    /// Registry (`ClinicalTrials.gov`, `jRCT`, `CTML`).
    pub registry: String,
    /// Title.
    pub title: String,
    /// Phase as the registry writes it.
    pub phase: Option<String>,
    /// Recruitment status.
    pub status: String,
    /// Interventions (drugs).
    pub interventions: Vec<String>,
    /// Sites.
    pub sites: Vec<TrialSite>,
    /// Eligibility.
    pub criteria: Criteria,
    /// How the criteria were obtained (`structured CTML`, `text-mined from eligibility`).
    pub criteria_source: String,
    /// Link to the registry record.
    pub url: Option<String>,
    /// True for illustrative example records (never shown as real trials).
    #[serde(default)]
    pub illustrative: bool,
}

/// The outcome of evaluating a tree: whether it holds and which leaves did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CriteriaOutcome {
    /// The tree holds.
    pub holds: bool,
    /// Labels of the leaves that held and contributed.
    pub matched: Vec<String>,
    /// Genomic leaves that contributed, with their match types and case alteration indices.
    pub genomic: Vec<(MatchType, Vec<usize>)>,
}

impl Criteria {
    /// Evaluates the tree for a case.
    pub fn evaluate(
        &self,
        tree: &TumorTypeTree,
        tumor_type: &str,
        case: &PreparedCase,
    ) -> CriteriaOutcome {
        match self {
            Self::And(xs) => {
                let mut out = CriteriaOutcome {
                    holds: true,
                    ..Default::default()
                };
                for x in xs {
                    let o = x.evaluate(tree, tumor_type, case);
                    if !o.holds {
                        return CriteriaOutcome::default();
                    }
                    out.matched.extend(o.matched);
                    out.genomic.extend(o.genomic);
                }
                out
            }
            Self::Or(xs) => {
                let mut out = CriteriaOutcome::default();
                for x in xs {
                    let o = x.evaluate(tree, tumor_type, case);
                    if o.holds {
                        out.holds = true;
                        out.matched.extend(o.matched);
                        out.genomic.extend(o.genomic);
                    }
                }
                out
            }
            Self::Genomic(g) => {
                let (best, used) = match case.best_match(&g.spec) {
                    Some((m, used)) => (Some(m), used),
                    None => (None, Vec::new()),
                };
                match (best, g.negate) {
                    (Some(m), false) => CriteriaOutcome {
                        holds: true,
                        matched: vec![format!("genomic: {}", g.spec.label())],
                        genomic: vec![(m, used)],
                    },
                    (None, true) => CriteriaOutcome {
                        holds: true,
                        matched: vec![format!("genomic: no {}", g.spec.label())],
                        genomic: Vec::new(),
                    },
                    _ => CriteriaOutcome::default(),
                }
            }
            Self::Clinical(ClinicalCriterion::TumorType { scope, exclude }) => {
                let within = match scope {
                    TumorScope::Types(codes) => codes.iter().any(|c| tree.is_within(tumor_type, c)),
                    TumorScope::AnySolid => tree.is_solid(tumor_type),
                    TumorScope::Any => true,
                    TumorScope::Unmapped => false,
                };
                if within != *exclude {
                    let label = match scope {
                        TumorScope::Types(c) => c.join("/"),
                        TumorScope::AnySolid => "any solid tumour".into(),
                        TumorScope::Any => "any tumour".into(),
                        TumorScope::Unmapped => "unmapped".into(),
                    };
                    let not = if *exclude { "not " } else { "" };
                    CriteriaOutcome {
                        holds: true,
                        matched: vec![format!("tumour type: {not}{label}")],
                        genomic: Vec::new(),
                    }
                } else {
                    CriteriaOutcome::default()
                }
            }
            // Age and free-text criteria are shown to the panel, not decided here.
            Self::Clinical(_) => CriteriaOutcome {
                holds: true,
                ..Default::default()
            },
        }
    }

    /// True when the tree has at least one positive genomic leaf.
    pub fn has_genomic(&self) -> bool {
        match self {
            Self::And(xs) | Self::Or(xs) => xs.iter().any(Self::has_genomic),
            Self::Genomic(g) => !g.negate,
            Self::Clinical(_) => false,
        }
    }

    /// True when a positive genomic leaf is a tumour-level biomarker.
    pub fn has_biomarker(&self) -> bool {
        match self {
            Self::And(xs) | Self::Or(xs) => xs.iter().any(Self::has_biomarker),
            Self::Genomic(g) => !g.negate && g.spec.gene().is_none(),
            Self::Clinical(_) => false,
        }
    }

    /// Genes of positive genomic leaves (for indexing).
    pub fn genes(&self) -> Vec<String> {
        match self {
            Self::And(xs) | Self::Or(xs) => xs.iter().flat_map(Self::genes).collect(),
            Self::Genomic(g) if !g.negate => g.spec.gene().map(str::to_owned).into_iter().collect(),
            _ => Vec::new(),
        }
    }
}
