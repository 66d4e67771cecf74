//! The common alteration types every reader produces: small variants, copy-number calls, gene
//! fusions and sample-level biomarkers (TMB, MSI).
//!
//! Readers (`vcf`, `maf`, `cnv`, `fusion`, `biomarker`) turn laboratory files into these types;
//! everything downstream (normalisation, annotation, knowledge matching, reports) only sees these.
//! Coordinates are 1-based and inclusive, as in VCF, MAF and SEG files.

use serde::{Deserialize, Serialize};

use crate::vendor::TranscriptAnnotation;

/// A small variant (SNV, MNV, insertion, deletion, delins) or a symbolic/breakend allele, with one
/// alternate allele. Multi-allelic VCF records are split into one `Variant` per ALT.
///
/// バリアント (variant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// Chromosome name exactly as in the file (`chr7` or `7`).
    pub chrom: String,
    /// 1-based position of the first base of `ref_allele`.
    pub pos: u64,
    /// Reference allele (upper case; may be empty for MAF insertions after conversion).
    pub ref_allele: String,
    /// Alternate allele (upper case), or a symbolic/breakend allele such as `<DEL>` or `N[2:321[`.
    pub alt_allele: String,
    /// Identifier from the ID column (e.g. `rs121913529`), if any.
    pub id: Option<String>,
    /// FILTER column outcome.
    pub filter: FilterStatus,
    /// Tumour sample measurements (VAF, depth, genotype), when present in the file.
    pub tumor: Option<SampleCall>,
    /// Matched normal sample measurements, when present in the file.
    pub normal: Option<SampleCall>,
    /// 1-based index of this ALT in the source record's ALT list (1 for bi-allelic records).
    pub allele_index: usize,
    /// 1-based line number in the source file (for error messages and provenance).
    pub line: u64,
    /// Vendor per-transcript annotations (VEP CSQ, snpEff ANN, bcftools BCSQ) for this allele, if
    /// the file carried any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<TranscriptAnnotation>,
}

impl Variant {
    /// Whether the ALT is symbolic (`<DEL>`), a breakend (`N[chr2:10[`) or a spanning deletion
    /// (`*`), i.e. not a literal sequence that can be normalised or annotated as a small variant.
    pub fn is_symbolic(&self) -> bool {
        !is_literal_allele(&self.alt_allele)
    }

    /// The variant class implied by REF and ALT lengths.
    pub fn kind(&self) -> VariantKind {
        if self.is_symbolic() {
            return VariantKind::Symbolic;
        }
        let (r, a) = (self.ref_allele.len(), self.alt_allele.len());
        match (r, a) {
            (1, 1) => VariantKind::Snv,
            (r, a) if r == a => VariantKind::Mnv,
            (r, a) if r < a && self.alt_allele.starts_with(&self.ref_allele) => {
                VariantKind::Insertion
            }
            (r, a) if r > a && self.ref_allele.starts_with(&self.alt_allele) => {
                VariantKind::Deletion
            }
            _ => VariantKind::Delins,
        }
    }
}

/// Whether an allele string is a literal nucleotide sequence (A, C, G, T, N), possibly empty.
pub fn is_literal_allele(allele: &str) -> bool {
    allele
        .bytes()
        .all(|b| matches!(b, b'A' | b'C' | b'G' | b'T' | b'N'))
}

/// Variant class derived from the alleles (after the VCF anchor-base convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariantKind {
    /// One base replaced by another.
    Snv,
    /// Several adjacent bases replaced by as many others.
    Mnv,
    /// Bases inserted (ALT extends REF).
    Insertion,
    /// Bases deleted (REF extends ALT).
    Deletion,
    /// Bases replaced by a different number of bases.
    Delins,
    /// Symbolic, breakend or spanning-deletion allele.
    Symbolic,
}

/// Outcome of the FILTER column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "filters")]
pub enum FilterStatus {
    /// `PASS`.
    Pass,
    /// One or more failed filters (e.g. `REJECT`, `LowEVS`).
    Fail(Vec<String>),
    /// `.`: filters not applied.
    Missing,
}

impl FilterStatus {
    /// Parses a VCF FILTER column (`PASS`, `.`, or `;`-separated filter names).
    pub fn from_vcf(field: &str) -> Self {
        match field {
            "PASS" => Self::Pass,
            "." | "" => Self::Missing,
            other => Self::Fail(other.split(';').map(str::to_owned).collect()),
        }
    }

    /// True for `PASS` and for missing filters (the caller did not reject the call).
    pub fn is_pass_or_missing(&self) -> bool {
        !matches!(self, Self::Fail(_))
    }
}

/// Measurements for one sample (tumour or normal) at one variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleCall {
    /// Sample name from the VCF header or the MAF barcode column.
    pub name: String,
    /// Genotype string as written (`0/1`, `0|1`), if any.
    pub genotype: Option<String>,
    /// Variant allele fraction in [0, 1], if the file gives it or it can be derived.
    pub vaf: Option<f64>,
    /// Total read depth at the site.
    pub depth: Option<u32>,
    /// Reads supporting the alternate allele.
    pub alt_depth: Option<u32>,
    /// Where `vaf`/`depth` came from (which caller convention was recognised).
    pub source: Option<AlleleFractionSource>,
}

/// The caller convention from which allele fraction and depth were taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlleleFractionSource {
    /// FORMAT/AF (GATK Mutect2, many callers), depth from FORMAT/DP or the AD sum.
    FormatAf,
    /// FORMAT/FA (GATK MuTect 1).
    FormatFa,
    /// FORMAT/AD (ref,alt read counts): VAF = alt / (ref + alts).
    FormatAd,
    /// VarScan 2: FORMAT/FREQ (percent), AD (alt reads), RD (ref reads).
    VarScanFreq,
    /// SomaticSniper: FORMAT/BCOUNT (A,C,G,T read counts) over DP.
    SomaticSniperBcount,
    /// Strelka SNVs: FORMAT/{A,C,G,T}U tier-1 counts.
    StrelkaSnv,
    /// Strelka indels: FORMAT/TIR and TAR tier-1 counts.
    StrelkaIndel,
    /// INFO/TVAF and INFO/TDP (PCGR input convention, tumour only).
    InfoTvaf,
    /// Tumour/normal in one sample column: FORMAT/ADT, DPT (tumour) and ADC, DPC (control).
    FormatTumorControl,
    /// MAF columns `t_alt_count`/`t_depth` (or `n_*` for the normal).
    MafCounts,
    /// MAF percentage column such as `i_TumorVAF_WU`.
    MafVafColumn,
}

/// Copy-number state of a gene or segment as reported by the laboratory or derived from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyNumberState {
    /// High-level gain (amplification).
    Amplification,
    /// Low-level gain.
    Gain,
    /// No change.
    Neutral,
    /// Loss of one copy (shallow deletion / heterozygous loss).
    Loss,
    /// Loss of all copies (homozygous / deep deletion).
    DeepDeletion,
    /// Copy-neutral loss of heterozygosity.
    CopyNeutralLoh,
    /// Not determinable from the values given.
    Unknown,
}

/// A copy-number call for a gene or a genomic segment.
///
/// コピー数異常 (copy-number alteration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CopyNumberCall {
    /// Sample identifier, when the file names one (SEG `ID`/`Sample` column).
    pub sample: Option<String>,
    /// Gene symbol, for per-gene calls.
    pub gene: Option<String>,
    /// Chromosome, for segment calls (and per-gene calls that give it).
    pub chrom: Option<String>,
    /// 1-based inclusive start, for segment calls.
    pub start: Option<u64>,
    /// 1-based inclusive end, for segment calls.
    pub end: Option<u64>,
    /// Absolute total copy number, if given.
    pub copy_number: Option<f64>,
    /// Major allele copy number (allele-specific callers).
    pub major_cn: Option<u32>,
    /// Minor allele copy number (allele-specific callers).
    pub minor_cn: Option<u32>,
    /// log2 ratio (SEG `Segment_Mean`), if given.
    pub log2_ratio: Option<f64>,
    /// State reported or derived (see `cnv` for the thresholds).
    pub state: CopyNumberState,
    /// 1-based line number in the source file.
    pub line: u64,
}

/// One side of a fusion junction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakpoint {
    /// Chromosome name as written.
    pub chrom: String,
    /// 1-based position of the last (5') or first (3') retained base.
    pub pos: u64,
}

/// A gene fusion (or structural rearrangement joining two genes).
///
/// 融合遺伝子 (fusion gene).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fusion {
    /// 5' partner gene symbol (e.g. `EML4`).
    pub gene5: Option<String>,
    /// 3' partner gene symbol (e.g. `ALK`).
    pub gene3: Option<String>,
    /// 5' breakpoint, if given.
    pub breakpoint5: Option<Breakpoint>,
    /// 3' breakpoint, if given.
    pub breakpoint3: Option<Breakpoint>,
    /// Split (junction) read support, if given.
    pub split_reads: Option<u32>,
    /// Spanning (discordant pair) read support, if given.
    pub spanning_reads: Option<u32>,
    /// Record identifier (VCF BND ID), if any.
    pub id: Option<String>,
    /// 1-based line number in the source file.
    pub line: u64,
}

/// Unit of a tumour mutational burden value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TmbUnit {
    /// Mutations per megabase (mut/Mb), the usual reporting unit.
    MutationsPerMegabase,
    /// An absolute mutation count (needs the panel size to compare).
    MutationCount,
}

/// Tumour mutational burden.
///
/// 腫瘍遺伝子変異量 (TMB).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tmb {
    /// The value, in `unit`.
    pub value: f64,
    /// The unit of `value`.
    pub unit: TmbUnit,
}

/// Microsatellite instability status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MsiStatus {
    /// Microsatellite stable.
    Mss,
    /// MSI-low.
    MsiLow,
    /// MSI-high.
    MsiHigh,
    /// Not determinable.
    Indeterminate,
}

/// Microsatellite instability result.
///
/// マイクロサテライト不安定性 (MSI).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Msi {
    /// The reported status.
    pub status: MsiStatus,
    /// A numeric score (e.g. MSIsensor % unstable sites), if given.
    pub score: Option<f64>,
    /// Method or tool name, if given (`MSIsensor`, `PCR`, `IHC`).
    pub method: Option<String>,
}

/// Sample-level biomarkers reported by the laboratory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Biomarkers {
    /// Tumour mutational burden, if reported.
    pub tmb: Option<Tmb>,
    /// Microsatellite instability, if reported.
    pub msi: Option<Msi>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(r: &str, a: &str) -> Variant {
        Variant {
            chrom: "1".into(),
            pos: 10,
            ref_allele: r.into(),
            alt_allele: a.into(),
            id: None,
            filter: FilterStatus::Pass,
            tumor: None,
            normal: None,
            allele_index: 1,
            line: 1,
            annotations: Vec::new(),
        }
    }

    #[test]
    fn kinds_follow_allele_lengths() {
        assert_eq!(v("A", "G").kind(), VariantKind::Snv);
        assert_eq!(v("AC", "GT").kind(), VariantKind::Mnv);
        assert_eq!(v("A", "AT").kind(), VariantKind::Insertion);
        assert_eq!(v("AT", "A").kind(), VariantKind::Deletion);
        assert_eq!(v("AT", "G").kind(), VariantKind::Delins);
        assert_eq!(v("A", "<DEL>").kind(), VariantKind::Symbolic);
        assert_eq!(v("G", "G]17:198982]").kind(), VariantKind::Symbolic);
    }

    #[test]
    fn filter_column_is_parsed() {
        assert_eq!(FilterStatus::from_vcf("PASS"), FilterStatus::Pass);
        assert_eq!(FilterStatus::from_vcf("."), FilterStatus::Missing);
        assert_eq!(
            FilterStatus::from_vcf("q10;LowEVS"),
            FilterStatus::Fail(vec!["q10".into(), "LowEVS".into()])
        );
        assert!(!FilterStatus::from_vcf("REJECT").is_pass_or_missing());
    }
}
