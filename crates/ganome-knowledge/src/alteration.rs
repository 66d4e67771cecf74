//! Alterations as the knowledge base names them, from an exact protein change up to a
//! tumour-level biomarker, and how a case's alteration is matched against them.
//!
//! The names CIViC, trial texts and our curated files use (`V600E`, `G12`, `Exon 19
//! Deletion`, `Fusion`, `EML4::ALK`, `Amplification`, `TMB-H>=10`) are read by hand here:
//! they are a small closed vocabulary, not HGVS.

use crate::protein::{ProteinChange, ProteinEdit};
use crate::query::{Biomarker, CopyNumberCall};
use serde::{Deserialize, Serialize};

/// How specific a match between a case's alteration and a knowledge-base alteration is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchType {
    /// The same protein change, named fusion or biomarker.
    Exact,
    /// Another change at the same codon (`G12` for `G12C`).
    Codon,
    /// An exon-level event (`EGFR exon 19 deletion`).
    Exon,
    /// A class of alterations (truncating, amplification, fusion with any partner, oncogenic).
    Class,
    /// Any mutation in the gene.
    Gene,
}

/// Exon-level event kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExonEvent {
    /// In-frame deletion (or deletion-insertion) within the exon.
    Deletion,
    /// In-frame insertion or duplication within the exon.
    Insertion,
    /// Skipping of the exon (splice-site variants around it).
    Skipping,
    /// Any protein-altering variant in the exon.
    AnyMutation,
}

/// Classes of alterations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "class")]
pub enum AlterationClass {
    /// Any protein-altering mutation in the gene (gene-level).
    AnyMutation,
    /// Nonsense, frameshift or canonical splice-site variant.
    Truncating,
    /// Truncating variant or deep deletion (loss of function).
    LossOfFunction,
    /// Activating mutation (an oncogenic variant in an oncogene).
    Activating,
    /// Any variant judged oncogenic or likely oncogenic.
    Oncogenic,
    /// Internal tandem duplication (e.g. FLT3-ITD).
    InternalTandemDuplication,
    /// Copy-number amplification.
    Amplification,
    /// Copy-number deletion or loss.
    Deletion,
    /// Fusion, with a named partner or any partner.
    Fusion {
        /// The partner gene, if the knowledge names one.
        partner: Option<String>,
    },
}

/// An alteration as the knowledge base names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "level")]
pub enum AlterationSpec {
    /// One exact protein change.
    Protein {
        /// Gene symbol.
        gene: String,
        /// The change.
        change: ProteinChange,
    },
    /// Any substitution at a codon.
    Codon {
        /// Gene symbol.
        gene: String,
        /// Reference residue.
        residue: char,
        /// Codon number.
        codon: u32,
    },
    /// An exon-level event.
    Exon {
        /// Gene symbol.
        gene: String,
        /// Exon number.
        exon: u32,
        /// The event.
        event: ExonEvent,
    },
    /// A class of alterations in a gene.
    Class {
        /// Gene symbol.
        gene: String,
        /// The class.
        class: AlterationClass,
    },
    /// A tumour-level biomarker.
    Biomarker {
        /// Which biomarker.
        biomarker: Biomarker,
        /// Threshold (TMB in mut/Mb) when the biomarker is numeric.
        threshold: Option<f64>,
    },
    /// Any of several alterations (`G12/G13`, `Q157P/R`, `Exon 19 Deletion|L858R`).
    OneOf {
        /// The alternatives.
        any: Vec<AlterationSpec>,
    },
    /// An alteration we keep but cannot match (expression, methylation, rsID, wild type…).
    Unsupported {
        /// Gene symbol, if any.
        gene: Option<String>,
        /// The original name.
        name: String,
    },
}

/// Consequence class of a small variant, from its SO term or protein change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// missense_variant.
    Missense,
    /// stop_gained.
    Nonsense,
    /// frameshift_variant.
    Frameshift,
    /// inframe_deletion.
    InframeDeletion,
    /// inframe_insertion (and duplications).
    InframeInsertion,
    /// protein_altering_variant / delins.
    InframeDelins,
    /// splice_acceptor_variant / splice_donor_variant.
    Splice,
    /// start_lost.
    StartLost,
    /// stop_lost.
    StopLost,
    /// synonymous_variant.
    Synonymous,
    /// Not protein-altering (intron, UTR, splice_region…).
    NonCoding,
    /// Unknown.
    Unknown,
}

impl Effect {
    /// Reads an SO consequence term (the most severe of a `&`-joined list is used).
    pub fn from_so_term(term: &str) -> Self {
        let mut best = Self::Unknown;
        for t in term.split(['&', ',']) {
            let e = match t.trim() {
                "stop_gained" => Self::Nonsense,
                "frameshift_variant" => Self::Frameshift,
                "splice_acceptor_variant" | "splice_donor_variant" => Self::Splice,
                "start_lost" => Self::StartLost,
                "stop_lost" => Self::StopLost,
                "missense_variant" => Self::Missense,
                "inframe_deletion" | "disruptive_inframe_deletion" => Self::InframeDeletion,
                "inframe_insertion" | "disruptive_inframe_insertion" => Self::InframeInsertion,
                "protein_altering_variant" => Self::InframeDelins,
                "synonymous_variant" | "stop_retained_variant" | "start_retained_variant" => {
                    Self::Synonymous
                }
                "" => Self::Unknown,
                _ => Self::NonCoding,
            };
            if e.severity() > best.severity() {
                best = e;
            }
        }
        best
    }

    /// Infers the effect from a protein change.
    pub fn from_protein(p: &ProteinChange) -> Self {
        match &p.edit {
            ProteinEdit::Substitution('*') => Self::Nonsense,
            ProteinEdit::Substitution(_) if p.start == 1 && p.start_residue == 'M' => {
                Self::StartLost
            }
            ProteinEdit::Substitution(_) => Self::Missense,
            ProteinEdit::Synonymous => Self::Synonymous,
            ProteinEdit::Deletion => Self::InframeDeletion,
            ProteinEdit::Insertion(_) | ProteinEdit::Duplication => Self::InframeInsertion,
            ProteinEdit::DeletionInsertion(_) => Self::InframeDelins,
            ProteinEdit::Frameshift => Self::Frameshift,
            ProteinEdit::Extension => Self::StopLost,
        }
    }

    fn severity(self) -> u8 {
        match self {
            Self::Unknown => 0,
            Self::NonCoding => 1,
            Self::Synonymous => 2,
            Self::Missense | Self::InframeDeletion | Self::InframeInsertion => 4,
            Self::InframeDelins | Self::StopLost => 4,
            Self::Splice | Self::StartLost => 5,
            Self::Nonsense | Self::Frameshift => 6,
        }
    }

    /// True when the protein sequence changes.
    pub fn is_protein_altering(self) -> bool {
        self.severity() >= 4
    }

    /// True for nonsense, frameshift, canonical splice and start-lost variants.
    pub fn is_truncating(self) -> bool {
        matches!(
            self,
            Self::Nonsense | Self::Frameshift | Self::Splice | Self::StartLost
        )
    }
}

/// A case's alteration prepared once for matching.
#[derive(Debug, Clone, PartialEq)]
pub enum PreparedAlteration {
    /// Small variant.
    Variant {
        /// Gene symbol (upper case).
        gene: String,
        /// Parsed protein change, if given and readable.
        protein: Option<ProteinChange>,
        /// Consequence class.
        effect: Effect,
        /// Exon, given or inferred.
        exon: Option<u32>,
        /// Judged oncogenic or likely oncogenic.
        oncogenic: bool,
    },
    /// Copy number.
    CopyNumber {
        /// Gene symbol.
        gene: String,
        /// Call.
        call: CopyNumberCall,
    },
    /// Fusion.
    Fusion {
        /// 5' partner.
        five_prime: String,
        /// 3' partner.
        three_prime: String,
    },
    /// Biomarker.
    Biomarker {
        /// Which.
        biomarker: Biomarker,
        /// Value.
        value: Option<f64>,
    },
}

/// A case's alterations indexed by gene, so knowledge is only compared with the
/// alterations in its own gene.
#[derive(Debug, Clone, Default)]
pub struct PreparedCase {
    /// The alterations, in the caller's order.
    pub alterations: Vec<PreparedAlteration>,
    by_gene: std::collections::HashMap<String, Vec<usize>>,
    biomarkers: Vec<usize>,
}

impl PreparedCase {
    /// Indexes prepared alterations.
    pub fn new(alterations: Vec<PreparedAlteration>) -> Self {
        let mut by_gene: std::collections::HashMap<String, Vec<usize>> = Default::default();
        let mut biomarkers = Vec::new();
        for (i, a) in alterations.iter().enumerate() {
            match a {
                PreparedAlteration::Variant { gene, .. }
                | PreparedAlteration::CopyNumber { gene, .. } => {
                    by_gene.entry(gene.clone()).or_default().push(i);
                }
                PreparedAlteration::Fusion {
                    five_prime,
                    three_prime,
                } => {
                    by_gene.entry(five_prime.clone()).or_default().push(i);
                    if three_prime != five_prime {
                        by_gene.entry(three_prime.clone()).or_default().push(i);
                    }
                }
                PreparedAlteration::Biomarker { .. } => biomarkers.push(i),
            }
        }
        Self {
            alterations,
            by_gene,
            biomarkers,
        }
    }

    /// Indices of the alterations a specification could match.
    pub fn candidates(&self, spec: &AlterationSpec) -> &[usize] {
        match spec.gene() {
            Some(g) => self.by_gene.get(g).map_or(&[], Vec::as_slice),
            None => &self.biomarkers,
        }
    }

    /// The genes present in the case, sorted.
    pub fn genes(&self) -> Vec<&str> {
        let mut g: Vec<&str> = self.by_gene.keys().map(String::as_str).collect();
        g.sort_unstable();
        g
    }

    /// True when the case has at least one biomarker.
    pub fn has_biomarkers(&self) -> bool {
        !self.biomarkers.is_empty()
    }

    /// Best match of a specification among the case's alterations, with the indices that
    /// reach it.
    pub fn best_match(&self, spec: &AlterationSpec) -> Option<(MatchType, Vec<usize>)> {
        let mut best: Option<(MatchType, Vec<usize>)> = None;
        for &i in self.candidates(spec) {
            if let Some(m) = spec.matches(&self.alterations[i]) {
                match &mut best {
                    Some((b, _)) if *b < m => {}
                    Some((b, used)) if *b == m => used.push(i),
                    _ => best = Some((m, vec![i])),
                }
            }
        }
        best
    }
}

fn better(a: Option<MatchType>, b: Option<MatchType>) -> Option<MatchType> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

impl AlterationSpec {
    /// The gene this alteration is in (none for biomarkers).
    pub fn gene(&self) -> Option<&str> {
        match self {
            Self::Protein { gene, .. }
            | Self::Codon { gene, .. }
            | Self::Exon { gene, .. }
            | Self::Class { gene, .. } => Some(gene),
            Self::Biomarker { .. } => None,
            Self::OneOf { any } => any.iter().find_map(|s| s.gene()),
            Self::Unsupported { gene, .. } => gene.as_deref(),
        }
    }

    /// Whether the specification can ever match a case alteration.
    pub fn is_supported(&self) -> bool {
        match self {
            Self::Unsupported { .. } => false,
            Self::OneOf { any } => any.iter().any(Self::is_supported),
            _ => true,
        }
    }

    /// A short human label (`V600E`, `exon 19 deletion`, `fusion (EML4)`, `TMB >= 10`).
    pub fn label(&self) -> String {
        match self {
            Self::Protein { gene, change } => format!("{gene} {change}"),
            Self::Codon {
                gene,
                residue,
                codon,
            } => format!("{gene} {residue}{codon}"),
            Self::Exon { gene, exon, event } => {
                let e = match event {
                    ExonEvent::Deletion => "deletion",
                    ExonEvent::Insertion => "insertion",
                    ExonEvent::Skipping => "skipping",
                    ExonEvent::AnyMutation => "mutation",
                };
                format!("{gene} exon {exon} {e}")
            }
            Self::Class { gene, class } => match class {
                AlterationClass::AnyMutation => format!("{gene} mutation"),
                AlterationClass::Truncating => format!("{gene} truncating mutation"),
                AlterationClass::LossOfFunction => format!("{gene} loss of function"),
                AlterationClass::Activating => format!("{gene} activating mutation"),
                AlterationClass::Oncogenic => format!("{gene} oncogenic mutation"),
                AlterationClass::InternalTandemDuplication => format!("{gene} ITD"),
                AlterationClass::Amplification => format!("{gene} amplification"),
                AlterationClass::Deletion => format!("{gene} deletion"),
                AlterationClass::Fusion { partner: Some(p) } => format!("{p}::{gene} fusion"),
                AlterationClass::Fusion { partner: None } => format!("{gene} fusion"),
            },
            Self::Biomarker {
                biomarker,
                threshold,
            } => match threshold {
                Some(t) => format!("{} >= {t}", biomarker.label()),
                None => biomarker.label().to_owned(),
            },
            Self::OneOf { any } => any.iter().map(Self::label).collect::<Vec<_>>().join(" or "),
            Self::Unsupported { gene, name } => match gene {
                Some(g) => format!("{g} {name}"),
                None => name.clone(),
            },
        }
    }

    /// Parses an alteration name for `gene` (CIViC variant names and our curated files).
    /// Never fails: names we cannot model become [`AlterationSpec::Unsupported`].
    pub fn parse(gene: &str, name: &str) -> Self {
        let gene = gene.trim().to_ascii_uppercase();
        let name = name.trim();
        if name.contains('|') {
            let any: Vec<_> = name.split('|').map(|n| Self::parse(&gene, n)).collect();
            return Self::OneOf { any };
        }
        let lower = name.to_ascii_lowercase();
        if let Some(b) = parse_biomarker(&lower) {
            return b;
        }
        let class = |class| Self::Class {
            gene: gene.clone(),
            class,
        };
        if let Some((five, three)) = name.split_once("::") {
            let five = five.trim().to_ascii_uppercase();
            let three = three
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            let partner = if three == gene {
                five
            } else if five == gene {
                three
            } else {
                return Self::Unsupported {
                    gene: Some(gene),
                    name: name.to_owned(),
                };
            };
            return class(AlterationClass::Fusion {
                partner: Some(partner),
            });
        }
        match lower.as_str() {
            "mutation" | "mutations" | "any mutation" => {
                return class(AlterationClass::AnyMutation);
            }
            "fusion" | "fusions" | "rearrangement" | "fusion with any partner" => {
                return class(AlterationClass::Fusion { partner: None });
            }
            "amplification" => return class(AlterationClass::Amplification),
            "deletion" | "loss" | "copy number loss" | "homozygous deletion" => {
                return class(AlterationClass::Deletion);
            }
            "loss-of-function"
            | "loss of function"
            | "inactivating mutation"
            | "deleterious mutation" => return class(AlterationClass::LossOfFunction),
            "truncating mutation"
            | "frameshift truncation"
            | "frameshift"
            | "n-terminal frame shift" => return class(AlterationClass::Truncating),
            "activating mutation" => return class(AlterationClass::Activating),
            "oncogenic mutation" | "pathogenic mutation" | "oncogenic" => {
                return class(AlterationClass::Oncogenic);
            }
            "itd" | "internal duplication" | "internal tandem duplication" => {
                return class(AlterationClass::InternalTandemDuplication);
            }
            _ => {}
        }
        if let Some(rest) = lower.strip_prefix("exon ") {
            let mut words = rest.split_whitespace();
            let exon = words.next().and_then(|w| w.parse::<u32>().ok());
            let event = match words.next() {
                Some("deletion") => Some(ExonEvent::Deletion),
                Some("insertion") | Some("insertions") => Some(ExonEvent::Insertion),
                Some("skipping") => Some(ExonEvent::Skipping),
                Some("mutation") | Some("mutations") => Some(ExonEvent::AnyMutation),
                _ => None,
            };
            if let (Some(exon), Some(event)) = (exon, event) {
                return Self::Exon { gene, exon, event };
            }
        }
        if name.contains('/') {
            let parts: Vec<&str> = name.split('/').collect();
            if let Some(first) = parts.first().and_then(|p| ProteinChange::parse(p).ok()) {
                // `Q157P/R`: alternative residues at one codon.
                let mut any = vec![Self::Protein {
                    gene: gene.clone(),
                    change: first.clone(),
                }];
                for alt in &parts[1..] {
                    let text = format!("{}{}{}", first.start_residue, first.start, alt);
                    match ProteinChange::parse(&text) {
                        Ok(change) => any.push(Self::Protein {
                            gene: gene.clone(),
                            change,
                        }),
                        Err(_) => {
                            return Self::Unsupported {
                                gene: Some(gene),
                                name: name.to_owned(),
                            };
                        }
                    }
                }
                return Self::OneOf { any };
            }
            // `G12/G13`: alternative codons.
            let codons: Option<Vec<Self>> = parts.iter().map(|p| parse_codon(&gene, p)).collect();
            if let Some(any) = codons {
                return Self::OneOf { any };
            }
        }
        if let Some(c) = parse_codon(&gene, name) {
            return c;
        }
        match ProteinChange::parse(name) {
            Ok(change) => Self::Protein { gene, change },
            Err(_) => Self::Unsupported {
                gene: Some(gene),
                name: name.to_owned(),
            },
        }
    }

    /// How `q` matches this alteration, if it does.
    pub fn matches(&self, q: &PreparedAlteration) -> Option<MatchType> {
        match (self, q) {
            (Self::OneOf { any }, _) => any.iter().fold(None, |m, s| better(m, s.matches(q))),
            (Self::Unsupported { .. }, _) => None,
            (
                Self::Biomarker {
                    biomarker,
                    threshold,
                },
                PreparedAlteration::Biomarker {
                    biomarker: b,
                    value,
                },
            ) => {
                if biomarker != b {
                    return None;
                }
                match (threshold, value) {
                    (Some(t), Some(v)) => (v >= t).then_some(MatchType::Exact),
                    (Some(_), None) => None,
                    (None, _) => Some(MatchType::Exact),
                }
            }
            (
                Self::Protein { gene, change },
                PreparedAlteration::Variant {
                    gene: g, protein, ..
                },
            ) => {
                let p = protein.as_ref()?;
                (gene == g && protein_equal(change, p)).then_some(MatchType::Exact)
            }
            (
                Self::Codon { gene, codon, .. },
                PreparedAlteration::Variant {
                    gene: g, protein, ..
                },
            ) => {
                let p = protein.as_ref()?;
                let substitution = matches!(p.edit, ProteinEdit::Substitution(c) if c != '*');
                (gene == g && p.start == *codon && p.end.is_none() && substitution)
                    .then_some(MatchType::Codon)
            }
            (
                Self::Exon { gene, exon, event },
                PreparedAlteration::Variant {
                    gene: g,
                    effect,
                    exon: e,
                    ..
                },
            ) => {
                if gene != g || *e != Some(*exon) {
                    return None;
                }
                let ok = match event {
                    ExonEvent::Deletion => {
                        matches!(effect, Effect::InframeDeletion | Effect::InframeDelins)
                    }
                    ExonEvent::Insertion => {
                        matches!(effect, Effect::InframeInsertion | Effect::InframeDelins)
                    }
                    ExonEvent::Skipping => matches!(effect, Effect::Splice),
                    ExonEvent::AnyMutation => effect.is_protein_altering(),
                };
                ok.then_some(MatchType::Exon)
            }
            (Self::Class { gene, class }, q) => class_matches(gene, class, q),
            _ => None,
        }
    }
}

fn protein_equal(kb: &ProteinChange, q: &ProteinChange) -> bool {
    if kb.start != q.start || kb.end_codon() != q.end_codon() {
        return false;
    }
    match (&kb.edit, &q.edit) {
        // CIViC's `P780INS` names the site but not the inserted residues.
        (ProteinEdit::Insertion(a), ProteinEdit::Insertion(_)) if a.is_empty() => true,
        (ProteinEdit::Insertion(_), ProteinEdit::Insertion(_)) => kb.edit == q.edit,
        (a, b) => a == b,
    }
}

fn class_matches(gene: &str, class: &AlterationClass, q: &PreparedAlteration) -> Option<MatchType> {
    use AlterationClass as C;
    match (class, q) {
        (
            C::Fusion { partner },
            PreparedAlteration::Fusion {
                five_prime,
                three_prime,
            },
        ) => {
            let other = if three_prime == gene {
                five_prime
            } else if five_prime == gene {
                three_prime
            } else {
                return None;
            };
            match partner {
                None => Some(MatchType::Class),
                Some(p) if p == other => Some(MatchType::Exact),
                Some(_) => None,
            }
        }
        (C::Amplification, PreparedAlteration::CopyNumber { gene: g, call }) => {
            (g == gene && *call == CopyNumberCall::Amplification).then_some(MatchType::Class)
        }
        (C::Deletion | C::LossOfFunction, PreparedAlteration::CopyNumber { gene: g, call }) => {
            (g == gene && *call == CopyNumberCall::Deletion).then_some(MatchType::Class)
        }
        (
            class,
            PreparedAlteration::Variant {
                gene: g,
                effect,
                oncogenic,
                ..
            },
        ) if g == gene => {
            let ok = match class {
                C::AnyMutation => effect.is_protein_altering(),
                C::Truncating => effect.is_truncating(),
                C::LossOfFunction => effect.is_truncating(),
                C::Activating | C::Oncogenic => *oncogenic,
                C::InternalTandemDuplication => {
                    matches!(effect, Effect::InframeInsertion | Effect::InframeDelins)
                }
                _ => false,
            };
            if !ok {
                None
            } else if *class == C::AnyMutation {
                Some(MatchType::Gene)
            } else {
                Some(MatchType::Class)
            }
        }
        _ => None,
    }
}

fn parse_codon(gene: &str, name: &str) -> Option<AlterationSpec> {
    let name = name.trim();
    let mut chars = name.chars();
    let residue = chars.next()?.to_ascii_uppercase();
    let digits = chars.as_str();
    if !residue.is_ascii_alphabetic()
        || digits.is_empty()
        || !digits.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some(AlterationSpec::Codon {
        gene: gene.to_owned(),
        residue,
        codon: digits.parse().ok()?,
    })
}

fn parse_biomarker(lower: &str) -> Option<AlterationSpec> {
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    let b = |biomarker, threshold| {
        Some(AlterationSpec::Biomarker {
            biomarker,
            threshold,
        })
    };
    match compact.as_str() {
        "msi-h" | "msi-high" | "microsatelliteinstability-high" => b(Biomarker::MsiHigh, None),
        "dmmr" | "mmr-deficient" | "mismatchrepairdeficient" => b(Biomarker::MmrDeficient, None),
        "hrd" | "hrd-positive" => b(Biomarker::HrdPositive, None),
        _ => {
            let t = compact
                .strip_prefix("tmb-h>=")
                .or_else(|| compact.strip_prefix("tmb>="))?;
            b(Biomarker::Tmb, Some(t.parse().ok()?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(gene: &str, p: &str, exon: Option<u32>) -> PreparedAlteration {
        let protein = ProteinChange::parse(p).ok();
        let effect = protein
            .as_ref()
            .map_or(Effect::Unknown, Effect::from_protein);
        PreparedAlteration::Variant {
            gene: gene.into(),
            protein,
            effect,
            exon,
            oncogenic: false,
        }
    }

    #[test]
    fn parses_civic_names() {
        assert!(matches!(
            AlterationSpec::parse("BRAF", "V600E"),
            AlterationSpec::Protein { .. }
        ));
        assert!(matches!(
            AlterationSpec::parse("KRAS", "G12"),
            AlterationSpec::Codon { codon: 12, .. }
        ));
        assert_eq!(
            AlterationSpec::parse("EGFR", "Exon 19 Deletion"),
            AlterationSpec::Exon {
                gene: "EGFR".into(),
                exon: 19,
                event: ExonEvent::Deletion
            }
        );
        assert_eq!(
            AlterationSpec::parse("ALK", "EML4::ALK").label(),
            "EML4::ALK fusion"
        );
        assert!(
            matches!(AlterationSpec::parse("KRAS", "G12/G13"), AlterationSpec::OneOf { ref any } if any.len() == 2)
        );
        assert!(!AlterationSpec::parse("EGFR", "Overexpression").is_supported());
        assert_eq!(
            AlterationSpec::parse("", "TMB-H >= 10"),
            AlterationSpec::Biomarker {
                biomarker: Biomarker::Tmb,
                threshold: Some(10.0)
            }
        );
    }

    #[test]
    fn match_types() {
        let l858r = var("EGFR", "p.Leu858Arg", Some(21));
        assert_eq!(
            AlterationSpec::parse("EGFR", "L858R").matches(&l858r),
            Some(MatchType::Exact)
        );
        assert_eq!(
            AlterationSpec::parse("EGFR", "L858").matches(&l858r),
            Some(MatchType::Codon)
        );
        assert_eq!(
            AlterationSpec::parse("EGFR", "Mutation").matches(&l858r),
            Some(MatchType::Gene)
        );
        assert_eq!(AlterationSpec::parse("EGFR", "L861Q").matches(&l858r), None);
        assert_eq!(AlterationSpec::parse("KRAS", "L858R").matches(&l858r), None);
        let del = var("EGFR", "E746_A750del", Some(19));
        assert_eq!(
            AlterationSpec::parse("EGFR", "Exon 19 Deletion").matches(&del),
            Some(MatchType::Exon)
        );
        assert_eq!(
            AlterationSpec::parse("EGFR", "Exon 20 Insertion").matches(&del),
            None
        );
        let fs = var("TP53", "R213fs", None);
        assert_eq!(
            AlterationSpec::parse("TP53", "Truncating Mutation").matches(&fs),
            Some(MatchType::Class)
        );
        let fusion = PreparedAlteration::Fusion {
            five_prime: "EML4".into(),
            three_prime: "ALK".into(),
        };
        assert_eq!(
            AlterationSpec::parse("ALK", "Fusion").matches(&fusion),
            Some(MatchType::Class)
        );
        assert_eq!(
            AlterationSpec::parse("ALK", "EML4::ALK").matches(&fusion),
            Some(MatchType::Exact)
        );
        assert_eq!(
            AlterationSpec::parse("ALK", "NPM1::ALK").matches(&fusion),
            None
        );
        let tmb = PreparedAlteration::Biomarker {
            biomarker: Biomarker::Tmb,
            value: Some(9.5),
        };
        assert_eq!(AlterationSpec::parse("", "TMB-H>=10").matches(&tmb), None);
    }
}
