//! Matching a case against a release: evidence, approvals, levels, oncogenicity, trials.

use crate::alteration::{Effect, MatchType, PreparedAlteration, PreparedCase};
use crate::approval::Jurisdiction;
use crate::evidence::EvidenceItem;
use crate::levels::{Basis, Facts, LevelAssignment};
use crate::protein::ProteinChange;
use crate::query::{CaseQuery, CopyNumberCall, QueryAlteration};
use crate::release::KnowledgeRelease;
use crate::tumor_type::DiseaseRelation;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Oncogenicity call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OncogenicityCall {
    /// Oncogenic.
    Oncogenic,
    /// Likely oncogenic.
    LikelyOncogenic,
    /// Variant of uncertain significance.
    Vus,
    /// Likely benign.
    LikelyBenign,
}

/// Oncogenicity with what it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Oncogenicity {
    /// The call.
    pub call: OncogenicityCall,
    /// The facts it rests on, strongest first.
    pub basis: Vec<String>,
}

/// One matched evidence item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceMatch {
    /// Evidence id (`CIViC:EID123`).
    pub evidence_id: String,
    /// Source (`CIViC evidence`, `CIViC assertion`).
    pub source: String,
    /// Molecular profile name.
    pub profile: String,
    /// How specific the match is (the weakest component for combinations).
    pub match_type: MatchType,
    /// Other case alterations the profile needed (combinations).
    pub with_alterations: Vec<usize>,
    /// Disease of the evidence.
    pub disease: String,
    /// Relation to the case's tumour type.
    pub relation: DiseaseRelation,
    /// Evidence type.
    pub evidence_type: String,
    /// Direction.
    pub direction: String,
    /// Significance.
    pub significance: String,
    /// Therapies as shown (`encorafenib + cetuximab`).
    pub therapies: String,
    /// Source level.
    pub source_level: String,
    /// Japanese level derived for this item, if it is therapeutic.
    pub level: Option<LevelAssignment>,
}

/// One matched approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalMatch {
    /// Approval id.
    pub approval_id: String,
    /// Regulator.
    pub jurisdiction: Jurisdiction,
    /// Drug.
    pub drug: String,
    /// Indication.
    pub indication: String,
    /// Approval date.
    pub date: String,
    /// Biomarker as approved.
    pub biomarker: String,
    /// Match type.
    pub match_type: MatchType,
    /// Relation to the case's tumour type.
    pub relation: DiseaseRelation,
    /// Derived level.
    pub level: Option<LevelAssignment>,
    /// Curator's note (uncertainties).
    pub note: String,
}

/// The best level per therapy for one alteration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TherapyLevel {
    /// Therapy as shown.
    pub therapy: String,
    /// Best level and its rule.
    pub level: LevelAssignment,
    /// Jurisdictions where it is approved for this biomarker in this tumour type.
    pub approved_in: Vec<Jurisdiction>,
}

/// Everything found for one of the case's alterations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlterationMatches {
    /// Index in the query.
    pub index: usize,
    /// Label (`EGFR L858R`).
    pub label: String,
    /// Oncogenicity (none for tumour-level biomarkers).
    pub oncogenicity: Option<Oncogenicity>,
    /// Best therapeutic level (A–F), with its rule.
    pub best_level: Option<LevelAssignment>,
    /// Per-therapy levels, sensitivity first by level, then resistance (R).
    pub therapies: Vec<TherapyLevel>,
    /// Drugs approved for this biomarker, by jurisdiction (`JP`, `US`), for the case's
    /// tumour type (same type, subtype or tumour-agnostic).
    pub approved_drugs: BTreeMap<String, Vec<String>>,
    /// Matched approvals (all tumour types).
    pub approvals: Vec<ApprovalMatch>,
    /// Matched evidence.
    pub evidence: Vec<EvidenceMatch>,
}

/// One matched trial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialMatch {
    /// Registry id.
    pub trial_id: String,
    /// Registry.
    pub registry: String,
    /// Title.
    pub title: String,
    /// Phase.
    pub phase: Option<String>,
    /// Status.
    pub status: String,
    /// The criteria that held.
    pub matched_criteria: Vec<String>,
    /// Case alterations that satisfied genomic criteria.
    pub alterations: Vec<usize>,
    /// Best genomic match type.
    pub match_type: MatchType,
    /// How the criteria were obtained.
    pub criteria_source: String,
    /// Countries with sites.
    pub countries: Vec<String>,
    /// Japanese prefectures with sites.
    pub prefectures: Vec<String>,
}

/// The result for one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseMatches {
    /// Release label (name and content hash).
    pub release: String,
    /// Release content hash.
    pub release_hash: String,
    /// Tumour type code.
    pub tumor_type: String,
    /// Tumour type name.
    pub tumor_type_name: String,
    /// Per-alteration results, in query order.
    pub alterations: Vec<AlterationMatches>,
    /// Matched trials.
    pub trials: Vec<TrialMatch>,
    /// Problems with the query (unknown tumour type, unreadable protein change).
    pub warnings: Vec<String>,
}

/// How many supporting facts an oncogenicity call lists before summarising the rest.
const MAX_BASIS: usize = 5;

fn prepare(q: &QueryAlteration, warnings: &mut Vec<String>) -> PreparedAlteration {
    match q {
        QueryAlteration::Variant {
            gene,
            hgvs_p,
            consequence,
            exon,
        } => {
            let protein = hgvs_p
                .as_deref()
                .and_then(|p| match ProteinChange::parse(p) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        warnings.push(format!("{gene} {p}: {e}"));
                        None
                    }
                });
            let mut effect = consequence
                .as_deref()
                .map_or(Effect::Unknown, Effect::from_so_term);
            if effect == Effect::Unknown
                && let Some(p) = &protein
            {
                effect = Effect::from_protein(p);
            }
            PreparedAlteration::Variant {
                gene: gene.trim().to_ascii_uppercase(),
                protein,
                effect,
                exon: *exon,
                oncogenic: false,
            }
        }
        QueryAlteration::CopyNumber { gene, call } => PreparedAlteration::CopyNumber {
            gene: gene.trim().to_ascii_uppercase(),
            call: *call,
        },
        QueryAlteration::Fusion {
            five_prime,
            three_prime,
        } => PreparedAlteration::Fusion {
            five_prime: five_prime.trim().to_ascii_uppercase(),
            three_prime: three_prime.trim().to_ascii_uppercase(),
        },
        QueryAlteration::Biomarker { biomarker, value } => PreparedAlteration::Biomarker {
            biomarker: *biomarker,
            value: *value,
        },
    }
}

fn basis_of(e: &EvidenceItem) -> Option<Basis> {
    if e.is_resistance() {
        Some(Basis::EvidenceResistance)
    } else if e.is_sensitivity() {
        Some(if e.source == "CIViC assertion" {
            Basis::Assertion
        } else {
            Basis::EvidenceSensitivity
        })
    } else {
        None
    }
}

impl KnowledgeRelease {
    /// Matches one case. The output is deterministic: same release and query, same bytes.
    pub fn match_case(&self, query: &CaseQuery) -> CaseMatches {
        let c = &self.content;
        let tree = &c.tumor_types;
        let tumor = query.tumor_type.trim().to_ascii_uppercase();
        let mut warnings = Vec::new();
        if !tree.contains(&tumor) {
            warnings.push(format!(
                "unknown OncoTree code {tumor:?}: every item relates as other tumour type"
            ));
        }
        let mut prepared: Vec<PreparedAlteration> = query
            .alterations
            .iter()
            .map(|q| prepare(q, &mut warnings))
            .collect();
        for a in &mut prepared {
            self.infer_exon(a);
        }
        let mut case = PreparedCase::new(prepared);

        // Candidate knowledge by gene, in a fixed order.
        let mut ev_idx: Vec<usize> = Vec::new();
        let mut ap_idx: Vec<usize> = Vec::new();
        let mut tr_idx: Vec<usize> = Vec::new();
        for g in case.genes() {
            ev_idx.extend(self.index.evidence_by_gene.get(g).into_iter().flatten());
            ap_idx.extend(self.index.approvals_by_gene.get(g).into_iter().flatten());
            tr_idx.extend(self.index.trials_by_gene.get(g).into_iter().flatten());
        }
        if case.has_biomarkers() {
            ev_idx.extend(&self.index.evidence_biomarker);
            ap_idx.extend(&self.index.approvals_biomarker);
            tr_idx.extend(&self.index.trials_biomarker);
        }
        for v in [&mut ev_idx, &mut ap_idx, &mut tr_idx] {
            v.sort_unstable();
            v.dedup();
        }

        // Pass 1: oncogenicity, from knowledge that does not itself depend on oncogenicity.
        let empty: Vec<usize> = Vec::new();
        let oncogenicity: Vec<Option<Oncogenicity>> = case
            .alterations
            .iter()
            .map(|alt| {
                let genes: Vec<&str> = match alt {
                    PreparedAlteration::Variant { gene, .. }
                    | PreparedAlteration::CopyNumber { gene, .. } => {
                        vec![gene.as_str()]
                    }
                    PreparedAlteration::Fusion {
                        five_prime,
                        three_prime,
                    } => vec![five_prime.as_str(), three_prime.as_str()],
                    PreparedAlteration::Biomarker { .. } => Vec::new(),
                };
                let ev: Vec<usize> = genes
                    .iter()
                    .flat_map(|g| self.index.evidence_by_gene.get(*g).unwrap_or(&empty))
                    .copied()
                    .collect();
                let ap: Vec<usize> = genes
                    .iter()
                    .flat_map(|g| self.index.approvals_by_gene.get(*g).unwrap_or(&empty))
                    .copied()
                    .collect();
                self.oncogenicity(alt, &ev, &ap)
            })
            .collect();
        for (a, o) in case.alterations.iter_mut().zip(&oncogenicity) {
            if let PreparedAlteration::Variant { oncogenic, .. } = a {
                *oncogenic = o.as_ref().is_some_and(|o| {
                    matches!(
                        o.call,
                        OncogenicityCall::Oncogenic | OncogenicityCall::LikelyOncogenic
                    )
                });
            }
        }
        let case = PreparedCase::new(case.alterations);

        let mut results: Vec<AlterationMatches> = query
            .alterations
            .iter()
            .enumerate()
            .map(|(i, q)| AlterationMatches {
                index: i,
                label: q.label(),
                oncogenicity: oncogenicity[i].clone(),
                best_level: None,
                therapies: Vec::new(),
                approved_drugs: BTreeMap::new(),
                approvals: Vec::new(),
                evidence: Vec::new(),
            })
            .collect();

        for &ei in &ev_idx {
            let e = &c.evidence[ei];
            let Some(pm) = e.profile.expr.evaluate(&case) else {
                continue;
            };
            let relation = tree.relation(&tumor, &e.disease.scope);
            let therapies = e.therapy_label();
            let level = self.evidence_level(ei, relation, pm.match_type);
            for &i in &pm.used {
                results[i].evidence.push(EvidenceMatch {
                    evidence_id: e.id.clone(),
                    source: e.source.clone(),
                    profile: e.profile.name.clone(),
                    match_type: pm.match_type,
                    with_alterations: pm.used.iter().copied().filter(|&j| j != i).collect(),
                    disease: e.disease.name.clone(),
                    relation,
                    evidence_type: e.evidence_type.clone(),
                    direction: e.direction.clone(),
                    significance: e.significance.clone(),
                    therapies: therapies.clone(),
                    source_level: e.source_level.clone(),
                    level: level.clone(),
                });
            }
        }

        for &ai in &ap_idx {
            let a = &c.approvals[ai];
            let Some((m, used)) = case.best_match(&a.spec) else {
                continue;
            };
            let relation = tree.relation(&tumor, &a.scope);
            let level = c.levels.assign(&Facts {
                basis: Basis::Approval,
                jurisdiction: Some(a.jurisdiction.code()),
                relation,
                match_type: m,
                source_level: "",
                drug: &a.drug,
                indication: &a.indication,
                source: &a.source,
                id: &a.id,
            });
            for i in used {
                results[i].approvals.push(ApprovalMatch {
                    approval_id: a.id.clone(),
                    jurisdiction: a.jurisdiction,
                    drug: a.drug.clone(),
                    indication: a.indication.clone(),
                    date: a.date.clone(),
                    biomarker: a.biomarker.clone(),
                    match_type: m,
                    relation,
                    level: level.clone(),
                    note: a.note.clone(),
                });
            }
        }

        for r in &mut results {
            self.summarise(r);
        }

        let mut trials = Vec::new();
        for &ti in &tr_idx {
            let t = &c.trials[ti];
            let o = t.criteria.evaluate(tree, &tumor, &case);
            if !o.holds || o.genomic.is_empty() {
                continue;
            }
            let mut alterations: Vec<usize> = o
                .genomic
                .iter()
                .flat_map(|(_, u)| u.iter().copied())
                .collect();
            alterations.sort_unstable();
            alterations.dedup();
            let match_type = o
                .genomic
                .iter()
                .map(|(m, _)| *m)
                .min()
                .unwrap_or(MatchType::Gene);
            let mut countries: Vec<String> = t.sites.iter().map(|s| s.country.clone()).collect();
            countries.sort();
            countries.dedup();
            let mut prefectures: Vec<String> = t
                .sites
                .iter()
                .filter_map(|s| s.prefecture.clone())
                .collect();
            prefectures.sort();
            prefectures.dedup();
            trials.push(TrialMatch {
                trial_id: t.id.clone(),
                registry: t.registry.clone(),
                title: t.title.clone(),
                phase: t.phase.clone(),
                status: t.status.clone(),
                matched_criteria: o.matched,
                alterations,
                match_type,
                criteria_source: t.criteria_source.clone(),
                countries,
                prefectures,
            });
        }
        trials.sort_by(|a, b| {
            (
                a.match_type,
                !a.countries.iter().any(|c| c == "Japan"),
                &a.trial_id,
            )
                .cmp(&(
                    b.match_type,
                    !b.countries.iter().any(|c| c == "Japan"),
                    &b.trial_id,
                ))
        });

        CaseMatches {
            release: self.label(),
            release_hash: self.content_hash.clone(),
            tumor_type_name: tree.name_of(&tumor).to_owned(),
            tumor_type: tumor,
            alterations: results,
            trials,
            warnings,
        }
    }

    /// Fills in the exon of a small variant from its codon when the caller gave none and the
    /// release has an exon table for the gene (a change spanning two exons gets none).
    fn infer_exon(&self, a: &mut PreparedAlteration) {
        if let PreparedAlteration::Variant {
            gene,
            protein: Some(p),
            exon: exon @ None,
            ..
        } = a
            && let Some(table) = self.index.exons.get(gene.as_str())
        {
            *exon = table
                .iter()
                .find(|(_, first, last)| *first <= p.start && p.end_codon() <= *last)
                .map(|(e, _, _)| *e);
        }
    }

    /// The level of evidence item `ei` for a relation and match type, memoised per release
    /// (the rule table and the item never change within a release).
    fn evidence_level(
        &self,
        ei: usize,
        relation: DiseaseRelation,
        m: MatchType,
    ) -> Option<LevelAssignment> {
        const RELATIONS: [DiseaseRelation; 5] = [
            DiseaseRelation::SameType,
            DiseaseRelation::Subtype,
            DiseaseRelation::TumorAgnostic,
            DiseaseRelation::Parent,
            DiseaseRelation::OtherType,
        ];
        const MATCHES: [MatchType; 5] = [
            MatchType::Exact,
            MatchType::Codon,
            MatchType::Exon,
            MatchType::Class,
            MatchType::Gene,
        ];
        let e = &self.content.evidence[ei];
        let table = self.index.evidence_levels[ei].get_or_init(|| {
            let therapies = e.therapy_label();
            let mut t = Vec::with_capacity(RELATIONS.len() * MATCHES.len());
            for relation in RELATIONS {
                for match_type in MATCHES {
                    t.push(basis_of(e).and_then(|basis| {
                        self.content.levels.assign(&Facts {
                            basis,
                            jurisdiction: None,
                            relation,
                            match_type,
                            source_level: &e.source_level,
                            drug: &therapies,
                            indication: &e.disease.name,
                            source: &e.source,
                            id: &e.id,
                        })
                    }));
                }
            }
            t
        });
        let r = RELATIONS.iter().position(|x| *x == relation).unwrap_or(0);
        let k = MATCHES.iter().position(|x| *x == m).unwrap_or(0);
        table.get(r * MATCHES.len() + k).cloned().flatten()
    }

    fn oncogenicity(
        &self,
        alt: &PreparedAlteration,
        ev_idx: &[usize],
        ap_idx: &[usize],
    ) -> Option<Oncogenicity> {
        let c = &self.content;
        let mut oncogenic = Vec::new();
        let mut likely = Vec::new();
        for &ei in ev_idx {
            let e = &c.evidence[ei];
            let crate::evidence::ProfileExpr::Variant(v) = &e.profile.expr else {
                continue;
            };
            let Some(m) = v.spec.matches(alt) else {
                continue;
            };
            let specific = matches!(m, MatchType::Exact | MatchType::Codon | MatchType::Exon)
                || (m == MatchType::Class
                    && matches!(
                        alt,
                        PreparedAlteration::Fusion { .. } | PreparedAlteration::CopyNumber { .. }
                    ));
            if e.evidence_type == "Oncogenic" && e.direction == "Supports" && specific {
                oncogenic.push(format!(
                    "{}: oncogenic evidence (level {})",
                    e.id, e.source_level
                ));
            } else if e.is_sensitivity() && specific && matches!(e.source_level.as_str(), "A" | "B")
            {
                oncogenic.push(format!(
                    "{}: predictive evidence level {} for {} ({:?} match)",
                    e.id,
                    e.source_level,
                    e.therapy_label(),
                    m
                ));
            }
        }
        for &ai in ap_idx {
            let a = &c.approvals[ai];
            if let Some(m) = a.spec.matches(alt)
                && m != MatchType::Gene
            {
                oncogenic.push(format!(
                    "{}: biomarker of an approved therapy ({})",
                    a.id, a.drug
                ));
            }
        }
        match alt {
            PreparedAlteration::Biomarker { .. } => return None,
            PreparedAlteration::Variant {
                gene,
                protein,
                effect,
                ..
            } => {
                if let Some(p) = protein {
                    if self
                        .index
                        .hotspot_exact
                        .get(gene)
                        .is_some_and(|s| s.contains(&p.to_string()))
                    {
                        likely.push(format!(
                            "cancerhotspots v2: {gene} {p} is a recurrent hotspot"
                        ));
                    } else if matches!(p.edit, crate::protein::ProteinEdit::Substitution(_))
                        && self
                            .index
                            .hotspot_codons
                            .get(gene)
                            .is_some_and(|s| s.contains(&p.start))
                    {
                        likely.push(format!(
                            "cancerhotspots v2: codon {}{} is a hotspot codon",
                            p.start_residue, p.start
                        ));
                    }
                }
                let tsg = c
                    .gene_roles
                    .get(gene)
                    .is_some_and(|r| r == "tumor_suppressor");
                if tsg && effect.is_truncating() {
                    likely.push(format!("truncating variant in tumour suppressor {gene}"));
                }
                if oncogenic.is_empty()
                    && likely.is_empty()
                    && !effect.is_protein_altering()
                    && *effect != Effect::Unknown
                {
                    return Some(Oncogenicity {
                        call: OncogenicityCall::LikelyBenign,
                        basis: vec![format!("{effect:?} variant: protein unchanged")],
                    });
                }
            }
            PreparedAlteration::CopyNumber { gene, call } => {
                let tsg = c
                    .gene_roles
                    .get(gene)
                    .is_some_and(|r| r == "tumor_suppressor");
                if tsg && *call == CopyNumberCall::Deletion {
                    likely.push(format!("deep deletion of tumour suppressor {gene}"));
                }
            }
            PreparedAlteration::Fusion { .. } => {}
        }
        let (call, mut basis) = if !oncogenic.is_empty() {
            (OncogenicityCall::Oncogenic, oncogenic)
        } else if !likely.is_empty() {
            (OncogenicityCall::LikelyOncogenic, likely)
        } else {
            (
                OncogenicityCall::Vus,
                vec!["no oncogenicity evidence in this release".to_owned()],
            )
        };
        basis.sort();
        basis.dedup();
        if basis.len() > MAX_BASIS {
            let more = basis.len() - MAX_BASIS;
            basis.truncate(MAX_BASIS);
            basis.push(format!("and {more} more"));
        }
        Some(Oncogenicity { call, basis })
    }

    fn summarise(&self, r: &mut AlterationMatches) {
        let levels = &self.content.levels;
        let rank = |l: Option<&LevelAssignment>| {
            l.map_or(usize::MAX, |l| {
                if l.ed2 == "R" {
                    usize::MAX - 1
                } else {
                    levels.rank(&l.ed2)
                }
            })
        };
        r.evidence.sort_by(|a, b| {
            (
                rank(a.level.as_ref()),
                a.match_type,
                a.relation,
                &a.evidence_id,
            )
                .cmp(&(
                    rank(b.level.as_ref()),
                    b.match_type,
                    b.relation,
                    &b.evidence_id,
                ))
        });
        r.approvals.sort_by(|a, b| {
            (
                rank(a.level.as_ref()),
                a.jurisdiction,
                a.relation,
                &a.approval_id,
            )
                .cmp(&(
                    rank(b.level.as_ref()),
                    b.jurisdiction,
                    b.relation,
                    &b.approval_id,
                ))
        });
        for a in &r.approvals {
            if matches!(
                a.relation,
                DiseaseRelation::SameType
                    | DiseaseRelation::Subtype
                    | DiseaseRelation::TumorAgnostic
            ) {
                let v = r
                    .approved_drugs
                    .entry(a.jurisdiction.code().to_owned())
                    .or_default();
                if !v.contains(&a.drug) {
                    v.push(a.drug.clone());
                }
            }
        }
        for v in r.approved_drugs.values_mut() {
            v.sort();
        }
        let mut per_therapy: BTreeMap<String, TherapyLevel> = BTreeMap::new();
        let candidates = r
            .approvals
            .iter()
            .filter_map(|a| a.level.as_ref().map(|l| (a.drug.to_lowercase(), l)))
            .chain(
                r.evidence
                    .iter()
                    .filter_map(|e| e.level.as_ref().map(|l| (e.therapies.to_lowercase(), l))),
            );
        for (therapy, level) in candidates {
            if therapy.is_empty() {
                continue;
            }
            let key = format!("{}|{}", therapy, level.ed2 == "R");
            let replace = per_therapy
                .get(&key)
                .is_none_or(|t| rank(Some(level)) < rank(Some(&t.level)));
            if replace {
                per_therapy.insert(
                    key,
                    TherapyLevel {
                        therapy: therapy.clone(),
                        level: level.clone(),
                        approved_in: Vec::new(),
                    },
                );
            }
        }
        let mut therapies: Vec<TherapyLevel> = per_therapy.into_values().collect();
        for t in &mut therapies {
            let mut j: Vec<Jurisdiction> = r
                .approvals
                .iter()
                .filter(|a| {
                    a.drug.to_lowercase() == t.therapy
                        && matches!(
                            a.relation,
                            DiseaseRelation::SameType
                                | DiseaseRelation::Subtype
                                | DiseaseRelation::TumorAgnostic
                        )
                })
                .map(|a| a.jurisdiction)
                .collect();
            j.sort();
            j.dedup();
            t.approved_in = j;
        }
        therapies.sort_by(|a, b| {
            (rank(Some(&a.level)), &a.therapy).cmp(&(rank(Some(&b.level)), &b.therapy))
        });
        r.therapies = therapies;
        r.best_level = r
            .therapies
            .iter()
            .find(|t| t.level.ed2 != "R")
            .map(|t| t.level.clone());
        if r.best_level.is_none()
            && let Some(o) = &r.oncogenicity
            && matches!(
                o.call,
                OncogenicityCall::Oncogenic | OncogenicityCall::LikelyOncogenic
            )
        {
            let first = o.basis.first().cloned().unwrap_or_default();
            r.best_level = levels.assign(&Facts {
                basis: Basis::Oncogenic,
                jurisdiction: None,
                relation: DiseaseRelation::OtherType,
                match_type: MatchType::Exact,
                source_level: "",
                drug: "",
                indication: &first,
                source: "oncogenicity",
                id: "",
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_reads_consequence_or_protein_and_warns() {
        let mut w = Vec::new();
        let v = prepare(
            &QueryAlteration::Variant {
                gene: "tp53".into(),
                hgvs_p: Some("p.Arg213Ter".into()),
                consequence: None,
                exon: None,
            },
            &mut w,
        );
        assert!(
            matches!(v, PreparedAlteration::Variant { ref gene, effect: Effect::Nonsense, .. } if gene == "TP53")
        );
        let v = prepare(
            &QueryAlteration::Variant {
                gene: "MET".into(),
                hgvs_p: Some("not a change".into()),
                consequence: Some("splice_donor_variant".into()),
                exon: Some(14),
            },
            &mut w,
        );
        assert!(matches!(
            v,
            PreparedAlteration::Variant {
                effect: Effect::Splice,
                protein: None,
                ..
            }
        ));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("MET not a change"));
    }
}
