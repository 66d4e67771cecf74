//! CTML documents (MatchMiner's clinical trial markup language, JSON form) into trials.
//!
//! Every `match` tree found in steps, arms and dose levels becomes one alternative of the
//! trial's eligibility (a patient matching any arm matches the trial).

use crate::alteration::{AlterationClass, AlterationSpec, ExonEvent};
use crate::error::KbError;
use crate::import::read_bytes;
use crate::protein::ProteinChange;
use crate::query::Biomarker;
use crate::trial::{ClinicalCriterion, Criteria, GenomicCriterion, Trial};
use crate::tumor_type::{TumorScope, TumorTypeTree};
use serde_json::Value;
use std::path::Path;

/// Reads one CTML JSON file (one trial object or an array of them).
pub fn read(path: &Path, tree: &TumorTypeTree) -> Result<Vec<Trial>, KbError> {
    let bytes = read_bytes(path)?;
    let root: Value = serde_json::from_slice(&bytes)
        .map_err(|e| KbError::format(path, format!("invalid JSON: {e}")))?;
    let docs: Vec<&Value> = match &root {
        Value::Array(a) => a.iter().collect(),
        v => vec![v],
    };
    let mut out = Vec::new();
    for (i, doc) in docs.into_iter().enumerate() {
        // Some CTML fixtures carry no protocol number; fall back to the file name.
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("ctml");
        let fallback = if i == 0 {
            stem.to_owned()
        } else {
            format!("{stem}-{i}")
        };
        let id = doc
            .get("protocol_no")
            .and_then(Value::as_str)
            .unwrap_or(&fallback);
        let mut arms = Vec::new();
        collect_matches(doc, tree, &mut arms)
            .map_err(|m| KbError::field(path, 0, &format!("{id}.match"), m))?;
        out.push(Trial {
            id: id.to_owned(),
            registry: "CTML".into(),
            title: doc
                .get("short_title")
                .or_else(|| doc.get("long_title"))
                .and_then(Value::as_str)
                .unwrap_or(id)
                .to_owned(),
            phase: doc.get("phase").and_then(Value::as_str).map(str::to_owned),
            status: doc
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            interventions: Vec::new(),
            sites: Vec::new(),
            criteria: Criteria::Or(arms),
            criteria_source: "structured CTML".into(),
            url: None,
            illustrative: false,
        });
    }
    Ok(out)
}

fn collect_matches(v: &Value, tree: &TumorTypeTree, out: &mut Vec<Criteria>) -> Result<(), String> {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "match" {
                    if let Value::Array(items) = child {
                        let nodes: Result<Vec<_>, _> =
                            items.iter().map(|n| node(n, tree)).collect();
                        out.push(Criteria::And(nodes?));
                    }
                } else {
                    collect_matches(child, tree, out)?;
                }
            }
        }
        Value::Array(a) => {
            for x in a {
                collect_matches(x, tree, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn node(v: &Value, tree: &TumorTypeTree) -> Result<Criteria, String> {
    let map = v.as_object().ok_or("criteria node is not an object")?;
    let mut parts = Vec::new();
    for (k, child) in map {
        match k.as_str() {
            "and" | "or" => {
                let xs = child.as_array().ok_or("and/or is not a list")?;
                let xs: Result<Vec<_>, _> = xs.iter().map(|x| node(x, tree)).collect();
                parts.push(if k == "and" {
                    Criteria::And(xs?)
                } else {
                    Criteria::Or(xs?)
                });
            }
            "genomic" => parts.push(genomic(child)?),
            "clinical" => parts.extend(clinical(child, tree)),
            other => return Err(format!("unknown criteria key {other:?}")),
        }
    }
    Ok(if parts.len() == 1 {
        parts.remove(0)
    } else {
        Criteria::And(parts)
    })
}

fn genomic(v: &Value) -> Result<Criteria, String> {
    // CTML negates a field with a leading `!`; any negated field negates the criterion.
    let mut negate = false;
    for key in [
        "variant_category",
        "protein_change",
        "wildcard_protein_change",
        "hugo_symbol",
    ] {
        if v.get(key)
            .and_then(Value::as_str)
            .is_some_and(|x| x.trim().starts_with('!'))
        {
            negate = true;
        }
    }
    let s = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .map(|x| x.trim().trim_start_matches('!'))
    };
    let category = s("variant_category").unwrap_or("Mutation");
    let partner = s("fusion_partner_hugo_symbol").map(str::to_owned);
    let gene = s("hugo_symbol")
        .map(str::to_owned)
        .or_else(|| partner.clone())
        .unwrap_or_default();
    let class = |class| AlterationSpec::Class {
        gene: gene.clone(),
        class,
    };
    let spec = if let Some(m) = s("mmr_status") {
        if !m.eq_ignore_ascii_case("deficient") && !m.eq_ignore_ascii_case("mmr-d") {
            return Ok(Criteria::Clinical(ClinicalCriterion::Other {
                text: format!("MMR status {m}"),
            }));
        }
        AlterationSpec::Biomarker {
            biomarker: Biomarker::MmrDeficient,
            threshold: None,
        }
    } else if let Some(m) = s("ms_status") {
        if !m.eq_ignore_ascii_case("MSI-H") {
            return Ok(Criteria::Clinical(ClinicalCriterion::Other {
                text: format!("MS status {m}"),
            }));
        }
        AlterationSpec::Biomarker {
            biomarker: Biomarker::MsiHigh,
            threshold: None,
        }
    } else if let Some(p) = s("protein_change") {
        let change = ProteinChange::parse(p).map_err(|e| format!("protein_change {p:?}: {e}"))?;
        AlterationSpec::Protein {
            gene: gene.clone(),
            change,
        }
    } else if let Some(p) = s("wildcard_protein_change") {
        AlterationSpec::parse(&gene, p.trim_start_matches("p."))
    } else if let Some(exon) = v
        .get("exon")
        .and_then(|e| e.as_u64().or_else(|| e.as_str()?.parse().ok()))
    {
        let event = match s("variant_classification") {
            Some("In_Frame_Del") => ExonEvent::Deletion,
            Some("In_Frame_Ins") => ExonEvent::Insertion,
            _ => ExonEvent::AnyMutation,
        };
        AlterationSpec::Exon {
            gene: gene.clone(),
            exon: u32::try_from(exon).map_err(|_| "exon too large")?,
            event,
        }
    } else {
        match category {
            "Structural Variation" => {
                let partner = partner.filter(|p| *p != gene);
                class(AlterationClass::Fusion { partner })
            }
            "Copy Number Variation" => {
                let call = s("cnv_call").unwrap_or("").to_ascii_lowercase();
                if call.contains("deletion") || call.contains("loss") {
                    class(AlterationClass::Deletion)
                } else {
                    class(AlterationClass::Amplification)
                }
            }
            _ => class(AlterationClass::AnyMutation),
        }
    };
    Ok(Criteria::Genomic(GenomicCriterion { spec, negate }))
}

fn clinical(v: &Value, tree: &TumorTypeTree) -> Vec<Criteria> {
    let mut out = Vec::new();
    let Some(map) = v.as_object() else { return out };
    for (k, val) in map {
        let text = val
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| val.to_string());
        let c = match k.as_str() {
            "oncotree_primary_diagnosis" => {
                let (exclude, name) = match text.strip_prefix('!') {
                    Some(n) => (true, n.to_owned()),
                    None => (false, text.clone()),
                };
                let scope = match name.as_str() {
                    "_SOLID_" => TumorScope::AnySolid,
                    "_LIQUID_" => TumorScope::Types(vec!["MYELOID".into(), "LYMPH".into()]),
                    n => match tree.find_by_name(n) {
                        Some(code) => TumorScope::Types(vec![code.to_owned()]),
                        None => TumorScope::Unmapped,
                    },
                };
                Criteria::Clinical(ClinicalCriterion::TumorType { scope, exclude })
            }
            "age_numerical" => Criteria::Clinical(ClinicalCriterion::Age { expression: text }),
            "tmb_numerical" => match text
                .strip_prefix(">=")
                .or_else(|| text.strip_prefix('>'))
                .and_then(|t| t.trim().parse().ok())
            {
                Some(t) => Criteria::Genomic(GenomicCriterion {
                    spec: AlterationSpec::Biomarker {
                        biomarker: Biomarker::Tmb,
                        threshold: Some(t),
                    },
                    negate: false,
                }),
                None => Criteria::Clinical(ClinicalCriterion::Other {
                    text: format!("TMB {text}"),
                }),
            },
            other => Criteria::Clinical(ClinicalCriterion::Other {
                text: format!("{other} {text}"),
            }),
        };
        out.push(c);
    }
    out
}
