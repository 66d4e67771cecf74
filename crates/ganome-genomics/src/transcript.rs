//! The transcript model shared by the transcript database, the consequence engines and HGVS.
//!
//! Coordinates are genomic, 1-based and inclusive (as in GFF3 and VCF). Exons and CDS segments
//! are kept in ascending genomic order whatever the strand; helpers map between genomic and
//! transcript (`c.`/`n.`) positions.

use serde::{Deserialize, Serialize};

/// Strand of a transcript on the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strand {
    /// Forward (`+`).
    Forward,
    /// Reverse (`-`).
    Reverse,
}

impl Strand {
    /// `+` or `-`.
    pub fn symbol(self) -> char {
        match self {
            Strand::Forward => '+',
            Strand::Reverse => '-',
        }
    }
}

/// A closed genomic interval, 1-based inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    /// First base.
    pub start: u32,
    /// Last base.
    pub end: u32,
}

impl Interval {
    /// Length in bases.
    pub fn len(&self) -> u32 {
        self.end + 1 - self.start
    }
    /// Always false: intervals hold at least one base.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// A CDS segment with its GFF3 phase (bases to skip to reach the next codon start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CdsSegment {
    /// First base (1-based).
    pub start: u32,
    /// Last base (1-based, inclusive).
    pub end: u32,
    /// GFF3 phase 0, 1 or 2; `None` when the file gave `.`.
    pub phase: Option<u8>,
}

/// A UTR segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UtrSegment {
    /// First base.
    pub start: u32,
    /// Last base.
    pub end: u32,
    /// 5' UTR (true) or 3' UTR (false).
    pub five_prime: bool,
}

/// Transcript biotype, named as bcftools csq and Ensembl name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Biotype {
    /// Printed name (`protein_coding`, `lincRNA`, `NMD`, ...).
    pub name: String,
    /// Coding biotype (translation is attempted).
    pub coding: bool,
}

impl Biotype {
    /// `protein_coding`.
    pub fn protein_coding() -> Self {
        Biotype {
            name: "protein_coding".into(),
            coding: true,
        }
    }

    /// Nonsense-mediated decay transcript.
    pub fn is_nmd(&self) -> bool {
        self.name == "NMD"
    }

    /// Classifies a GFF biotype or feature-type string; `None` when not a transcript biotype.
    ///
    /// Matching is by prefix, as bcftools does (`protein_coding_LoF` is coding).
    pub fn classify(s: &str) -> Option<Self> {
        // (prefix, printed name, coding, case-insensitive)
        const TABLE: &[(&str, &str, bool, bool)] = &[
            ("protein_coding", "protein_coding", true, false),
            ("pseudogene", "pseudogene", false, false),
            ("processed_transcript", "processed_transcript", false, false),
            ("processed_pseudogene", "processed_pseudogene", false, false),
            (
                "polymorphic_pseudogene",
                "polymorphic_pseudogene",
                true,
                false,
            ),
            ("artifact", "artifact", false, false),
            ("antisense", "antisense", false, false),
            ("ambiguous_orf", "ambiguous_orf", false, false),
            ("IG_pseudogene", "IG_pseudogene", false, false),
            ("IG_C_pseudogene", "IG_C_pseudogene", false, false),
            ("IG_J_pseudogene", "IG_J_pseudogene", false, false),
            ("IG_V_pseudogene", "IG_V_pseudogene", false, false),
            ("IG_C", "IG_C", true, false),
            ("IG_D", "IG_D", true, false),
            ("IG_J", "IG_J", true, false),
            ("IG_V", "IG_V", true, false),
            ("IG_LV", "IG_LV", true, false),
            ("TR_V_pseudogene", "TR_V_pseudogene", false, false),
            ("TR_J_pseudogene", "TR_J_pseudogene", false, false),
            ("TR_C", "TR_C", true, false),
            ("TR_D", "TR_D", true, false),
            ("TR_J", "TR_J", true, false),
            ("TR_V", "TR_V", true, false),
            ("Mt_tRNA_pseudogene", "MT_tRNA_pseudogene", false, false),
            ("Mt_tRNA", "MT_tRNA", false, true),
            ("Mt_rRNA", "MT_rRNA", false, true),
            ("MRNA", "protein_coding", true, true),
            ("lincRNA", "lincRNA", false, false),
            ("lncRNA", "lncRNA", false, false),
            ("macro_lncRNA", "macro_lncRNA", false, false),
            ("misc_RNA_pseudogene", "misc_RNA_pseudogene", false, false),
            ("miRNA_pseudogene", "miRNA_pseudogene", false, false),
            ("miRNA", "miRNA", false, false),
            ("misc_RNA", "misc_RNA", false, false),
            ("rRNA", "rRNA", false, false),
            ("ribozyme", "ribozyme", false, false),
            ("retained_intron", "retained_intron", false, false),
            ("retrotransposed", "retrotransposed", false, false),
            ("snRNA", "snRNA", false, false),
            ("sRNA", "sRNA", false, false),
            ("scRNA", "scRNA", false, false),
            ("scaRNA", "scaRNA", false, false),
            ("snoRNA", "snoRNA", false, false),
            ("sense_intronic", "sense_intronic", false, false),
            ("sense_overlapping", "sense_overlapping", false, false),
            ("tRNA_pseudogene", "Trna_pseudogene", false, false),
            (
                "transcribed_processed_pseudogene",
                "transcribed_processed_pseudogene",
                false,
                false,
            ),
            (
                "transcribed_unprocessed_pseudogene",
                "transcribed_unprocessed_pseudogene",
                false,
                false,
            ),
            (
                "transcribed_unitary_pseudogene",
                "transcribed_unitary_pseudogene",
                false,
                false,
            ),
            (
                "translated_unprocessed_pseudogene",
                "translated_unprocessed_pseudogene",
                false,
                false,
            ),
            (
                "translated_processed_pseudogene",
                "translated_processed_pseudogene",
                false,
                false,
            ),
            ("nonsense_mediated_decay", "NMD", true, false),
            ("non_stop_decay", "non_stop_decay", true, false),
            ("NMD", "NMD", true, false),
            ("known_ncrna", "known_ncRNA", false, false),
            ("unitary_pseudogene", "unitary_pseudogene", false, false),
            (
                "unprocessed_pseudogene",
                "unprocessed_pseudogene",
                false,
                false,
            ),
            ("LRG_gene", "LRG_gene", false, false),
            (
                "3prime_overlapping_ncRNA",
                "3_prime_overlapping_ncRNA",
                false,
                true,
            ),
            (
                "3_prime_overlapping_ncRNA",
                "3_prime_overlapping_ncRNA",
                false,
                true,
            ),
            ("disrupted_domain", "disrupted_domain", false, false),
            ("vaultRNA", "vaultRNA", false, false),
            (
                "bidirectional_promoter_lncRNA",
                "bidirectional_promoter_lncRNA",
                false,
                false,
            ),
        ];
        for &(prefix, name, coding, nocase) in TABLE {
            let hit = if nocase {
                s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
            } else {
                s.starts_with(prefix)
            };
            if hit {
                return Some(Biotype {
                    name: name.into(),
                    coding,
                });
            }
        }
        None
    }
}

/// One transcript: structure, identifiers and tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    /// Transcript id as given by the source (`ENST00000256452`, `NM_005228.3`, `LRG_304t1`).
    pub id: String,
    /// Gene symbol (`EGFR`); empty when unknown.
    pub gene_name: String,
    /// Gene id from the source (`ENSG00000146648`, `gene-EGFR`).
    pub gene_id: String,
    /// Chromosome (sequence) name.
    pub chrom: String,
    /// Strand.
    pub strand: Strand,
    /// First base of the transcript (1-based).
    pub start: u32,
    /// Last base of the transcript (1-based, inclusive).
    pub end: u32,
    /// Biotype.
    pub biotype: Biotype,
    /// Exons, ascending genomic order.
    pub exons: Vec<Interval>,
    /// CDS segments, ascending genomic order.
    pub cds: Vec<CdsSegment>,
    /// UTR segments, ascending genomic order (from the file, or derived from exons and CDS).
    pub utrs: Vec<UtrSegment>,
    /// Protein id (`ENSP…`, `NP_…`).
    pub protein_id: Option<String>,
    /// RefSeq transcript id when known (`NM_005228.3`).
    pub refseq_id: Option<String>,
    /// Ensembl transcript id when known.
    pub ensembl_id: Option<String>,
    /// Tags (`MANE_Select`, `Ensembl_canonical`, `basic`, ...).
    pub tags: Vec<String>,
}

impl Transcript {
    /// True if tagged MANE Select (either spelling).
    pub fn is_mane_select(&self) -> bool {
        self.tags
            .iter()
            .any(|t| t == "MANE_Select" || t == "MANE Select")
    }

    /// True if tagged canonical (`Ensembl_canonical` or `canonical`).
    pub fn is_canonical(&self) -> bool {
        self.tags
            .iter()
            .any(|t| t == "Ensembl_canonical" || t == "canonical")
    }

    /// The id used in HGVS descriptions: the RefSeq id when known, else the source id.
    pub fn hgvs_id(&self) -> &str {
        self.refseq_id.as_deref().unwrap_or(&self.id)
    }

    /// True if the transcript has a CDS.
    pub fn is_coding(&self) -> bool {
        !self.cds.is_empty()
    }

    /// Exons in transcript order (5'→3').
    pub fn exons_tx_order(&self) -> Vec<Interval> {
        let mut v = self.exons.clone();
        if self.strand == Strand::Reverse {
            v.reverse();
        }
        v
    }

    /// Total exonic length.
    pub fn tx_len(&self) -> u32 {
        self.exons.iter().map(Interval::len).sum()
    }

    /// 1-based transcript (cDNA) position of a genomic exonic position, or `None` if intronic
    /// or outside.
    pub fn genomic_to_tx(&self, pos: u32) -> Option<u32> {
        let mut acc = 0;
        for e in self.exons_tx_order() {
            if pos >= e.start && pos <= e.end {
                return Some(
                    acc + match self.strand {
                        Strand::Forward => pos - e.start + 1,
                        Strand::Reverse => e.end - pos + 1,
                    },
                );
            }
            acc += e.len();
        }
        None
    }

    /// Genomic position of a 1-based transcript position.
    pub fn tx_to_genomic(&self, tx_pos: u32) -> Option<u32> {
        let mut acc = 0;
        for e in self.exons_tx_order() {
            if tx_pos > acc && tx_pos <= acc + e.len() {
                let off = tx_pos - acc - 1;
                return Some(match self.strand {
                    Strand::Forward => e.start + off,
                    Strand::Reverse => e.end - off,
                });
            }
            acc += e.len();
        }
        None
    }

    /// Transcript positions (1-based) of the first and last CDS base (`c.1` and the last
    /// base of the stop codon), or `None` for non-coding transcripts.
    pub fn cds_tx_range(&self) -> Option<(u32, u32)> {
        let lo = self.cds.first()?.start;
        let hi = self.cds.last()?.end;
        let (a, b) = match self.strand {
            Strand::Forward => (self.genomic_to_tx(lo)?, self.genomic_to_tx(hi)?),
            Strand::Reverse => (self.genomic_to_tx(hi)?, self.genomic_to_tx(lo)?),
        };
        Some((a, b))
    }

    /// Fills `utrs` from exons and CDS when the source gave none.
    pub fn derive_utrs(&mut self) {
        if !self.utrs.is_empty() || self.cds.is_empty() {
            return;
        }
        let (Some(first), Some(last)) = (self.cds.first(), self.cds.last()) else {
            return;
        };
        let (cs, ce) = (first.start, last.end);
        let fwd = self.strand == Strand::Forward;
        for e in &self.exons {
            if e.start < cs {
                self.utrs.push(UtrSegment {
                    start: e.start,
                    end: e.end.min(cs - 1),
                    five_prime: fwd,
                });
            }
            if e.end > ce {
                self.utrs.push(UtrSegment {
                    start: e.start.max(ce + 1),
                    end: e.end,
                    five_prime: !fwd,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx(strand: Strand) -> Transcript {
        Transcript {
            id: "t".into(),
            gene_name: "G".into(),
            gene_id: "g".into(),
            chrom: "1".into(),
            strand,
            start: 10,
            end: 50,
            biotype: Biotype::protein_coding(),
            exons: vec![
                Interval { start: 10, end: 19 },
                Interval { start: 30, end: 50 },
            ],
            cds: vec![
                CdsSegment {
                    start: 15,
                    end: 19,
                    phase: Some(0),
                },
                CdsSegment {
                    start: 30,
                    end: 39,
                    phase: Some(1),
                },
            ],
            utrs: vec![],
            protein_id: None,
            refseq_id: None,
            ensembl_id: None,
            tags: vec!["MANE_Select".into()],
        }
    }

    #[test]
    fn maps_positions_both_strands() {
        let f = tx(Strand::Forward);
        assert_eq!(f.genomic_to_tx(10), Some(1));
        assert_eq!(f.genomic_to_tx(30), Some(11));
        assert_eq!(f.genomic_to_tx(25), None);
        assert_eq!(f.tx_to_genomic(11), Some(30));
        assert_eq!(f.cds_tx_range(), Some((6, 20)));
        let r = tx(Strand::Reverse);
        assert_eq!(r.genomic_to_tx(50), Some(1));
        assert_eq!(r.genomic_to_tx(10), Some(31));
        assert_eq!(r.tx_to_genomic(21), Some(30));
        assert!(r.is_mane_select());
    }

    #[test]
    fn derives_utrs() {
        let mut f = tx(Strand::Forward);
        f.derive_utrs();
        assert_eq!(f.utrs.len(), 2);
        assert!(f.utrs[0].five_prime && f.utrs[0].end == 14);
        assert!(!f.utrs[1].five_prime && f.utrs[1].start == 40);
    }

    #[test]
    fn classifies_biotypes() {
        assert!(Biotype::classify("protein_coding").unwrap().coding);
        assert!(Biotype::classify("mRNA").unwrap().coding);
        assert_eq!(
            Biotype::classify("nonsense_mediated_decay").unwrap().name,
            "NMD"
        );
        assert!(!Biotype::classify("lincRNA").unwrap().coding);
        assert!(Biotype::classify("transcript").is_none());
    }
}
