//! Differences between two releases: items added, removed and changed, and level changes
//! per alteration × tumour type — the input to re-interpretation of past cases.

use crate::alteration::{AlterationClass, AlterationSpec, ExonEvent};
use crate::evidence::ProfileExpr;
use crate::query::{CaseQuery, CopyNumberCall, QueryAlteration};
use crate::release::KnowledgeRelease;
use crate::tumor_type::TumorScope;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One item whose content changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedItem {
    /// Item id.
    pub id: String,
    /// Top-level fields that differ.
    pub fields: Vec<String>,
}

/// Added, removed and changed items of one kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemChanges {
    /// Ids only in the newer release.
    pub added: Vec<String>,
    /// Ids only in the older release.
    pub removed: Vec<String>,
    /// Ids in both with different content.
    pub changed: Vec<ChangedItem>,
}

impl ItemChanges {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// A level that differs between releases for one alteration in one tumour type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelChange {
    /// Alteration label (`EGFR L858R`).
    pub alteration: String,
    /// OncoTree code.
    pub tumor_type: String,
    /// Best edition 2.x level before (none = no therapeutic level).
    pub before: Option<String>,
    /// Best level after.
    pub after: Option<String>,
    /// Reason before.
    pub reason_before: Option<String>,
    /// Reason after.
    pub reason_after: Option<String>,
}

/// The difference between an older release `a` and a newer release `b`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseDiff {
    /// Older release label.
    pub from: String,
    /// Newer release label.
    pub to: String,
    /// Source files whose version or checksum changed (`name: old → new`).
    pub sources: Vec<String>,
    /// Evidence and assertions.
    pub evidence: ItemChanges,
    /// Approvals.
    pub approvals: ItemChanges,
    /// Trials.
    pub trials: ItemChanges,
    /// True when the level rules changed.
    pub level_rules_changed: bool,
    /// Level changes per alteration × tumour type.
    pub level_changes: Vec<LevelChange>,
}

impl ReleaseDiff {
    /// True when the releases have the same content.
    pub fn is_empty(&self) -> bool {
        self.evidence.is_empty()
            && self.approvals.is_empty()
            && self.trials.is_empty()
            && !self.level_rules_changed
            && self.level_changes.is_empty()
    }
}

fn compare<T: Serialize>(a: &[T], b: &[T], id: impl Fn(&T) -> &str) -> ItemChanges {
    let ma: BTreeMap<&str, &T> = a.iter().map(|x| (id(x), x)).collect();
    let mb: BTreeMap<&str, &T> = b.iter().map(|x| (id(x), x)).collect();
    let mut out = ItemChanges::default();
    for (k, va) in &ma {
        match mb.get(k) {
            None => out.removed.push((*k).to_owned()),
            Some(vb) => {
                let ja = serde_json::to_value(va).unwrap_or_default();
                let jb = serde_json::to_value(vb).unwrap_or_default();
                if ja != jb {
                    let mut fields: BTreeSet<String> = BTreeSet::new();
                    if let (Some(oa), Some(ob)) = (ja.as_object(), jb.as_object()) {
                        for key in oa.keys().chain(ob.keys()) {
                            if oa.get(key) != ob.get(key) {
                                fields.insert(key.clone());
                            }
                        }
                    }
                    out.changed.push(ChangedItem {
                        id: (*k).to_owned(),
                        fields: fields.into_iter().collect(),
                    });
                }
            }
        }
    }
    out.added = mb
        .keys()
        .filter(|k| !ma.contains_key(*k))
        .map(|k| (*k).to_owned())
        .collect();
    out
}

/// Partner gene name used when probing "fusion with any partner".
pub const PROBE_PARTNER: &str = "PROBE-PARTNER";

/// Tumour type used to probe tumour-agnostic knowledge (a common solid tumour).
pub const AGNOSTIC_PROBE_TUMOR: &str = "PAAD";

/// The tumour types at which knowledge about `scope` is probed.
pub fn probe_tumors(scope: &TumorScope) -> Vec<String> {
    match scope {
        TumorScope::Types(codes) => codes.clone(),
        TumorScope::Any | TumorScope::AnySolid => vec![AGNOSTIC_PROBE_TUMOR.to_owned()],
        TumorScope::Unmapped => Vec::new(),
    }
}

/// A query alteration that a specification certainly matches, for level probing.
pub fn probe_alteration(spec: &AlterationSpec) -> Option<QueryAlteration> {
    let variant = |gene: &str, p: Option<String>, c: Option<&str>, exon: Option<u32>| {
        QueryAlteration::Variant {
            gene: gene.to_owned(),
            hgvs_p: p,
            consequence: c.map(str::to_owned),
            exon,
        }
    };
    match spec {
        AlterationSpec::Protein { gene, change } => {
            Some(variant(gene, Some(change.to_string()), None, None))
        }
        AlterationSpec::Exon { gene, exon, event } => {
            let c = match event {
                ExonEvent::Deletion => "inframe_deletion",
                ExonEvent::Insertion => "inframe_insertion",
                ExonEvent::Skipping => "splice_donor_variant",
                ExonEvent::AnyMutation => "missense_variant",
            };
            Some(variant(gene, None, Some(c), Some(*exon)))
        }
        AlterationSpec::Class { gene, class } => match class {
            AlterationClass::Fusion { partner: Some(p) } => Some(QueryAlteration::Fusion {
                five_prime: p.clone(),
                three_prime: gene.clone(),
            }),
            // Any partner: a placeholder partner that no named-partner knowledge matches.
            AlterationClass::Fusion { partner: None } => Some(QueryAlteration::Fusion {
                five_prime: PROBE_PARTNER.to_owned(),
                three_prime: gene.clone(),
            }),
            AlterationClass::InternalTandemDuplication => {
                Some(variant(gene, None, Some("inframe_insertion"), None))
            }
            AlterationClass::Amplification => Some(QueryAlteration::CopyNumber {
                gene: gene.clone(),
                call: CopyNumberCall::Amplification,
            }),
            AlterationClass::Deletion => Some(QueryAlteration::CopyNumber {
                gene: gene.clone(),
                call: CopyNumberCall::Deletion,
            }),
            AlterationClass::Truncating | AlterationClass::LossOfFunction => {
                Some(variant(gene, None, Some("stop_gained"), None))
            }
            _ => None,
        },
        AlterationSpec::Biomarker {
            biomarker,
            threshold,
        } => Some(QueryAlteration::Biomarker {
            biomarker: *biomarker,
            value: *threshold,
        }),
        AlterationSpec::OneOf { any } => any.iter().find_map(probe_alteration),
        AlterationSpec::Codon {
            gene,
            residue,
            codon,
        } => {
            let alt = if *residue == 'A' { 'G' } else { 'A' };
            Some(variant(
                gene,
                Some(format!("{residue}{codon}{alt}")),
                None,
                None,
            ))
        }
        AlterationSpec::Unsupported { .. } => None,
    }
}

fn probes(r: &KnowledgeRelease, out: &mut BTreeMap<(String, String), QueryAlteration>) {
    let mut add = |spec: &AlterationSpec, scope: &TumorScope| {
        let Some(q) = probe_alteration(spec) else {
            return;
        };
        for code in probe_tumors(scope) {
            out.entry((spec.label(), code)).or_insert_with(|| q.clone());
        }
    };
    for e in &r.content.evidence {
        if let ProfileExpr::Variant(v) = &e.profile.expr
            && (e.is_sensitivity() || e.is_resistance())
        {
            add(&v.spec, &e.disease.scope);
        }
    }
    for a in &r.content.approvals {
        add(&a.spec, &a.scope);
    }
}

/// Computes the difference from `a` (older) to `b` (newer).
pub fn diff(a: &KnowledgeRelease, b: &KnowledgeRelease) -> ReleaseDiff {
    let (ca, cb) = (&a.content, &b.content);
    let mut sources = Vec::new();
    for sa in &ca.sources {
        match cb.sources.iter().find(|s| s.name == sa.name) {
            Some(sb) if sb.sha256 != sa.sha256 || sb.version != sa.version => {
                sources.push(format!(
                    "{}: {} ({}) -> {} ({})",
                    sa.name,
                    sa.version,
                    &sa.sha256[..12.min(sa.sha256.len())],
                    sb.version,
                    &sb.sha256[..12.min(sb.sha256.len())]
                ))
            }
            None => sources.push(format!("{}: removed", sa.name)),
            _ => {}
        }
    }
    let mut pr = BTreeMap::new();
    probes(a, &mut pr);
    probes(b, &mut pr);
    let mut level_changes = Vec::new();
    for ((label, tumor), q) in pr {
        let query = CaseQuery {
            tumor_type: tumor.clone(),
            alterations: vec![q],
        };
        let la = a.match_case(&query).alterations.remove(0).best_level;
        let lb = b.match_case(&query).alterations.remove(0).best_level;
        let (ea, eb) = (
            la.as_ref().map(|l| l.ed2.clone()),
            lb.as_ref().map(|l| l.ed2.clone()),
        );
        if ea != eb {
            level_changes.push(LevelChange {
                alteration: label,
                tumor_type: tumor,
                before: ea,
                after: eb,
                reason_before: la.map(|l| l.reason),
                reason_after: lb.map(|l| l.reason),
            });
        }
    }
    ReleaseDiff {
        from: a.label(),
        to: b.label(),
        sources,
        evidence: compare(&ca.evidence, &cb.evidence, |e| &e.id),
        approvals: compare(&ca.approvals, &cb.approvals, |x| &x.id),
        trials: compare(&ca.trials, &cb.trials, |t| &t.id),
        level_rules_changed: ca.levels != cb.levels,
        level_changes,
    }
}
