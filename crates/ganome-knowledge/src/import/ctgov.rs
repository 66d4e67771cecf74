//! ClinicalTrials.gov records (API v2 summaries as in the shipped snapshot) into trials.
//!
//! The registry has no structured genomic eligibility, so genomic criteria are text-mined
//! from the title and the inclusion part of the eligibility text: a known gene symbol
//! followed within four words by a protein change, an exon event, `fusion`, `amplification`
//! or `mutation`. Every such trial says `criteria_source = "text-mined …"` so a reader knows
//! the criteria are a reading, not the registry's own structure. Conditions are placed in
//! OncoTree with the curated keyword table (`trial_conditions.tsv`).

use crate::alteration::{AlterationClass, AlterationSpec, ExonEvent};
use crate::error::KbError;
use crate::import::disease_map::scope_from_text;
use crate::import::{Tsv, read_bytes};
use crate::protein::ProteinChange;
use crate::query::Biomarker;
use crate::trial::{ClinicalCriterion, Criteria, GenomicCriterion, Trial, TrialSite};
use crate::tumor_type::{TumorScope, TumorTypeTree};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Condition keyword → tumour scope, first match wins.
#[derive(Debug, Clone, Default)]
pub struct ConditionTable {
    rows: Vec<(String, TumorScope)>,
}

impl ConditionTable {
    /// Reads `keyword`, `oncotree` rows.
    pub fn read(path: &Path, tree: &TumorTypeTree) -> Result<Self, KbError> {
        let t = Tsv::read(path)?;
        t.require(&["keyword", "oncotree"])?;
        let mut rows = Vec::new();
        for row in t.rows() {
            let scope = scope_from_text(tree, row.req("oncotree")?)
                .map_err(|e| row.error("oncotree", e))?;
            rows.push((row.req("keyword")?.to_ascii_lowercase(), scope));
        }
        Ok(Self { rows })
    }

    /// The scope of one condition string, if a keyword matches.
    pub fn scope_of(&self, condition: &str) -> Option<&TumorScope> {
        let c = condition.to_ascii_lowercase();
        self.rows
            .iter()
            .find(|(k, _)| c.contains(k.as_str()))
            .map(|(_, s)| s)
    }
}

const ALIASES: [(&str, &str); 3] = [("HER2", "ERBB2"), ("HER-2", "ERBB2"), ("C-MET", "MET")];

/// Reads the snapshot (`{"trials": [...]}`, optionally gzipped).
pub fn read(
    path: &Path,
    genes: &BTreeSet<String>,
    conditions: &ConditionTable,
) -> Result<Vec<Trial>, KbError> {
    let bytes = read_bytes(path)?;
    let root: Value = serde_json::from_slice(&bytes)
        .map_err(|e| KbError::format(path, format!("invalid JSON: {e}")))?;
    let trials = root
        .get("trials")
        .and_then(Value::as_array)
        .ok_or_else(|| KbError::format(path, "no \"trials\" array"))?;
    let mut out = Vec::new();
    for (i, t) in trials.iter().enumerate() {
        let s = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_owned);
        let strings = |k: &str| -> Vec<String> {
            t.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let id = s("nct_id")
            .ok_or_else(|| KbError::field(path, 0, &format!("trials[{i}].nct_id"), "missing"))?;
        let title = s("title").unwrap_or_default();
        let eligibility = t
            .pointer("/eligibility/raw_text")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let inclusion = eligibility
            .split("Exclusion Criteria")
            .next()
            .unwrap_or_default();
        let mut specs = mine(&title, genes);
        for sp in mine(inclusion, genes) {
            if !specs.contains(&sp) {
                specs.push(sp);
            }
        }
        let conds = strings("conditions");
        let mut scopes: Vec<String> = Vec::new();
        let mut solid = false;
        for c in &conds {
            match conditions.scope_of(c) {
                Some(TumorScope::Types(codes)) => scopes.extend(codes.iter().cloned()),
                Some(TumorScope::AnySolid | TumorScope::Any) => solid = true,
                _ => {}
            }
        }
        scopes.sort();
        scopes.dedup();
        let mut all = Vec::new();
        if !scopes.is_empty() {
            all.push(Criteria::Clinical(ClinicalCriterion::TumorType {
                scope: TumorScope::Types(scopes),
                exclude: false,
            }));
        } else if solid {
            all.push(Criteria::Clinical(ClinicalCriterion::TumorType {
                scope: TumorScope::AnySolid,
                exclude: false,
            }));
        }
        if !specs.is_empty() {
            all.push(Criteria::Or(
                specs
                    .into_iter()
                    .map(|spec| {
                        Criteria::Genomic(GenomicCriterion {
                            spec,
                            negate: false,
                        })
                    })
                    .collect(),
            ));
        }
        if let Some(age) = t
            .pointer("/eligibility/minimum_age")
            .and_then(Value::as_str)
        {
            all.push(Criteria::Clinical(ClinicalCriterion::Age {
                expression: format!(">= {age}"),
            }));
        }
        out.push(Trial {
            id,
            registry: "ClinicalTrials.gov".into(),
            title,
            phase: s("phase"),
            status: s("status").unwrap_or_default(),
            interventions: strings("interventions"),
            sites: strings("locations")
                .into_iter()
                .map(|country| TrialSite {
                    name: None,
                    prefecture: None,
                    country,
                })
                .collect(),
            criteria: Criteria::And(all),
            criteria_source: "text-mined from ClinicalTrials.gov title and inclusion criteria"
                .into(),
            url: s("source_url"),
            illustrative: false,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    Ok(out)
}

/// Finds gene–alteration mentions in free text.
pub fn mine(text: &str, genes: &BTreeSet<String>) -> Vec<AlterationSpec> {
    let mut out: Vec<AlterationSpec> = Vec::new();
    let mut push = |s: AlterationSpec| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    let lower = text.to_ascii_lowercase();
    if lower.contains("msi-h")
        || lower.contains("microsatellite instability-high")
        || lower.contains("microsatellite instability high")
    {
        push(AlterationSpec::Biomarker {
            biomarker: Biomarker::MsiHigh,
            threshold: None,
        });
    }
    if lower.contains("dmmr") || lower.contains("mismatch repair deficien") {
        push(AlterationSpec::Biomarker {
            biomarker: Biomarker::MmrDeficient,
            threshold: None,
        });
    }
    if lower.contains("tmb-h")
        || lower.contains("tmb-high")
        || lower.contains("tumor mutational burden-high")
    {
        push(AlterationSpec::Biomarker {
            biomarker: Biomarker::Tmb,
            threshold: Some(10.0),
        });
    }
    let tokens: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '*'))
        .filter(|t| !t.is_empty())
        .collect();
    let gene_of = |t: &str| -> Option<String> {
        let up = t.to_ascii_uppercase();
        if let Some((_, g)) = ALIASES.iter().find(|(a, _)| *a == up) {
            return Some((*g).to_owned());
        }
        // Gene symbols are written in upper case; `met` or `ret` in prose are words.
        (t == up && t.len() >= 2 && genes.contains(t)).then(|| t.to_owned())
    };
    for i in 0..tokens.len() {
        let Some(gene) = gene_of(tokens[i]) else {
            continue;
        };
        let is_her2 = tokens[i].eq_ignore_ascii_case("HER2");
        for j in i + 1..(i + 5).min(tokens.len()) {
            let w = tokens[j];
            let wl = w.to_ascii_lowercase();
            if gene_of(w).is_some() {
                break;
            }
            if w.chars().any(|c| c.is_ascii_digit())
                && w.len() <= 16
                && let Ok(change) = ProteinChange::parse(w)
            {
                push(AlterationSpec::Protein {
                    gene: gene.clone(),
                    change,
                });
                break;
            }
            if wl == "exon" {
                let exon = tokens.get(j + 1).and_then(|n| n.parse::<u32>().ok());
                let event = match tokens.get(j + 2).map(|e| e.to_ascii_lowercase()) {
                    Some(e) if e.starts_with("deletion") || e == "del" => ExonEvent::Deletion,
                    Some(e) if e.starts_with("insertion") || e == "ins" => ExonEvent::Insertion,
                    Some(e) if e.starts_with("skipping") => ExonEvent::Skipping,
                    _ => ExonEvent::AnyMutation,
                };
                if let Some(exon) = exon {
                    push(AlterationSpec::Exon {
                        gene: gene.clone(),
                        exon,
                        event,
                    });
                }
                break;
            }
            let class = match wl.as_str() {
                "fusion" | "fusions" | "rearrangement" | "rearrangements" | "rearranged"
                | "translocation" => Some(AlterationClass::Fusion { partner: None }),
                "amplification" | "amplified" => Some(AlterationClass::Amplification),
                "positive" if is_her2 => Some(AlterationClass::Amplification),
                "positive"
                    if matches!(
                        gene.as_str(),
                        "ALK" | "ROS1" | "RET" | "NTRK1" | "NTRK2" | "NTRK3"
                    ) =>
                {
                    Some(AlterationClass::Fusion { partner: None })
                }
                "mutation" | "mutations" | "mutant" | "mutated" => {
                    Some(AlterationClass::AnyMutation)
                }
                _ => None,
            };
            if let Some(class) = class {
                push(AlterationSpec::Class {
                    gene: gene.clone(),
                    class,
                });
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mines_common_phrasings() {
        let genes: BTreeSet<String> = ["EGFR", "KRAS", "ALK", "ERBB2", "MET"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let found = mine(
            "with either the L858R or exon 19 deletion activating EGFR mutation; KRAS G12C; ALK-positive; HER2-positive; met criteria",
            &genes,
        );
        let labels: Vec<String> = found.iter().map(AlterationSpec::label).collect();
        assert!(labels.contains(&"EGFR mutation".to_owned()), "{labels:?}");
        assert!(labels.contains(&"KRAS G12C".to_owned()), "{labels:?}");
        assert!(labels.contains(&"ALK fusion".to_owned()), "{labels:?}");
        assert!(
            labels.contains(&"ERBB2 amplification".to_owned()),
            "{labels:?}"
        );
        assert!(!labels.iter().any(|l| l.starts_with("MET")), "{labels:?}");
    }
}
