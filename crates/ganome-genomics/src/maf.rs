//! Mutation Annotation Format (MAF) reading: GDC/TCGA columns and cBioPortal's minimal set
//! (`Chromosome`, `Start_Position`, `Reference_Allele`, `Tumor_Seq_Allele2`,
//! `Tumor_Sample_Barcode`).
//!
//! MAF is unquoted tab-separated text with `#` comment lines, so a line splitter is all the format
//! needs; there is no MAF support in noodles. Column names are matched case-insensitively because
//! older TCGA files write `Start_position`/`End_position`.
//!
//! Alleles are converted to the [`Variant`] convention (position of the first REF base): a MAF
//! deletion keeps its start and gets an empty ALT; a MAF insertion (`-` REF, start = base before
//! the insertion) gets an empty REF at start + 1. `normalize::normalize_variant` with a reference
//! then adds the VCF anchor base and left-aligns.

use std::{
    io::BufRead,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::{
    variant::{AlleleFractionSource, FilterStatus, SampleCall, Variant},
    vcf::input::open_text,
};

/// An error reading a MAF.
#[derive(Debug, Error)]
pub enum MafError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// File path.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A required column is missing from the header line.
    #[error("{path}:{line}: missing required column {column}")]
    MissingColumn {
        /// File path.
        path: PathBuf,
        /// Line of the column header (0 if the file has none).
        line: u64,
        /// Column name.
        column: &'static str,
    },
    /// A value is invalid.
    #[error("{path}:{line}: field {field}: {message}")]
    Field {
        /// File path.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// Column name.
        field: String,
        /// What was wrong.
        message: String,
    },
}

impl MafError {
    /// The 1-based line number, if any.
    pub fn line(&self) -> Option<u64> {
        match self {
            Self::Io { .. } => None,
            Self::MissingColumn { line, .. } | Self::Field { line, .. } => Some(*line),
        }
    }

    /// The field (column) name, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Io { .. } => None,
            Self::MissingColumn { column, .. } => Some(column),
            Self::Field { field, .. } => Some(field),
        }
    }
}

/// One MAF row: the variant plus the per-row annotation MAF carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MafRecord {
    /// The variant (tumour call from `t_*` columns; normal from `n_*`).
    pub variant: Variant,
    /// `Tumor_Sample_Barcode`.
    pub tumor_sample: String,
    /// `Matched_Norm_Sample_Barcode`, if given.
    pub normal_sample: Option<String>,
    /// `Hugo_Symbol`, if given.
    pub gene: Option<String>,
    /// `Variant_Classification` (e.g. `Missense_Mutation`), if given.
    pub classification: Option<String>,
    /// `Variant_Type` (`SNP`, `DNP`, `INS`, `DEL`, ...), if given.
    pub variant_type: Option<String>,
    /// `NCBI_Build` (`GRCh38`, `37`), if given.
    pub ncbi_build: Option<String>,
    /// `Transcript_ID` (or `i_transcript_name`), if given.
    pub transcript_id: Option<String>,
    /// `HGVSc`, if given.
    pub hgvsc: Option<String>,
    /// `HGVSp_Short`, `HGVSp` or `Protein_Change`, if given.
    pub hgvsp: Option<String>,
}

/// A MAF read into memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MafFile {
    /// Path it was read from.
    pub path: PathBuf,
    /// Column names as written.
    pub columns: Vec<String>,
    /// Rows in file order.
    pub records: Vec<MafRecord>,
}

/// Reads a MAF (plain or gzip/bgzip).
pub fn read_maf(path: impl AsRef<Path>) -> Result<MafFile, MafError> {
    let path = path.as_ref().to_path_buf();
    let (reader, _) = open_text(&path).map_err(|source| MafError::Io {
        path: path.clone(),
        source,
    })?;
    parse_maf(reader, path)
}

/// Parses MAF text held in memory (path reported as `<memory>`).
pub fn parse_maf_str(text: &str) -> Result<MafFile, MafError> {
    parse_maf(text.as_bytes(), PathBuf::from("<memory>"))
}

struct Columns {
    names: Vec<String>,
}

impl Columns {
    fn index(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.names.iter().position(|c| c.eq_ignore_ascii_case(n)))
    }
}

fn is_missing(v: &str) -> bool {
    matches!(v, "" | "." | "NA" | "NULL" | "N/A" | "__UNKNOWN__")
}

/// Parses MAF text from any buffered reader.
pub fn parse_maf(reader: impl BufRead, path: PathBuf) -> Result<MafFile, MafError> {
    let mut columns: Option<(Columns, [Option<usize>; 21])> = None;
    let mut records = Vec::new();
    let mut line_no = 0u64;
    for line in reader.split(b'\n') {
        line_no += 1;
        let line = line.map_err(|source| MafError::Io {
            path: path.clone(),
            source,
        })?;
        let line = String::from_utf8(line).map_err(|e| MafError::Field {
            path: path.clone(),
            line: line_no,
            field: "line".into(),
            message: format!("not UTF-8: {e}"),
        })?;
        let line = line.trim_end_matches(['\r', '\n']);
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let Some((cols, idx)) = &columns else {
            let cols = Columns {
                names: fields.iter().map(|s| s.trim().to_owned()).collect(),
            };
            let required = |names: &[&str], column: &'static str| {
                cols.index(names).ok_or_else(|| MafError::MissingColumn {
                    path: path.clone(),
                    line: line_no,
                    column,
                })
            };
            let idx = [
                Some(required(&["Chromosome"], "Chromosome")?),
                Some(required(&["Start_Position"], "Start_Position")?),
                Some(required(&["Reference_Allele"], "Reference_Allele")?),
                Some(required(&["Tumor_Seq_Allele2"], "Tumor_Seq_Allele2")?),
                Some(required(&["Tumor_Sample_Barcode"], "Tumor_Sample_Barcode")?),
                cols.index(&["End_Position"]),
                cols.index(&["Tumor_Seq_Allele1"]),
                cols.index(&["Matched_Norm_Sample_Barcode"]),
                cols.index(&["Hugo_Symbol"]),
                cols.index(&["Variant_Classification"]),
                cols.index(&["Variant_Type"]),
                cols.index(&["NCBI_Build"]),
                cols.index(&["Transcript_ID", "i_transcript_name"]),
                cols.index(&["HGVSc"]),
                cols.index(&["HGVSp_Short", "HGVSp", "Protein_Change"]),
                cols.index(&["t_depth"]),
                cols.index(&["t_ref_count"]),
                cols.index(&["t_alt_count"]),
                cols.index(&["n_depth"]),
                cols.index(&["n_alt_count"]),
                cols.index(&["i_TumorVAF_WU", "i_TumorVAF", "tumor_vaf", "t_vaf"]),
            ];
            columns = Some((cols, idx));
            continue;
        };
        records.push(parse_row(&fields, cols, idx, &path, line_no)?);
    }
    let Some((cols, _)) = columns else {
        return Err(MafError::MissingColumn {
            path,
            line: 0,
            column: "Chromosome",
        });
    };
    Ok(MafFile {
        path,
        columns: cols.names,
        records,
    })
}

fn parse_row(
    fields: &[&str],
    cols: &Columns,
    idx: &[Option<usize>; 21],
    path: &Path,
    line: u64,
) -> Result<MafRecord, MafError> {
    let err = |i: usize, message: String| MafError::Field {
        path: path.to_path_buf(),
        line,
        field: cols.names.get(i).cloned().unwrap_or_default(),
        message,
    };
    let get = |slot: usize| -> Option<&str> {
        let i = idx[slot]?;
        fields.get(i).map(|s| s.trim()).filter(|s| !is_missing(s))
    };
    let required = |slot: usize| -> Result<&str, MafError> {
        let i = idx[slot].unwrap_or(0);
        get(slot).ok_or_else(|| err(i, "missing value".into()))
    };
    let count = |slot: usize| -> Result<Option<u32>, MafError> {
        match get(slot) {
            None => Ok(None),
            Some(v) => v
                .parse::<u32>()
                .map(Some)
                .map_err(|e| err(idx[slot].unwrap_or(0), format!("{v:?}: {e}"))),
        }
    };
    let chrom = required(0)?;
    if chrom.contains(char::is_whitespace) {
        return Err(err(
            idx[0].unwrap_or(0),
            format!("invalid chromosome {chrom:?}"),
        ));
    }
    let start_raw = required(1)?;
    let start: u64 = start_raw
        .parse()
        .map_err(|e| err(idx[1].unwrap_or(0), format!("{start_raw:?}: {e}")))?;
    if start == 0 {
        return Err(err(idx[1].unwrap_or(0), "positions are 1-based".into()));
    }
    let allele = |slot: usize| -> Result<Option<String>, MafError> {
        let Some(v) = get(slot) else {
            return Ok(None);
        };
        if v == "-" {
            return Ok(Some(String::new()));
        }
        if !v.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(err(idx[slot].unwrap_or(0), format!("invalid allele {v:?}")));
        }
        Ok(Some(v.to_ascii_uppercase()))
    };
    let ref_allele = allele(2)?.ok_or_else(|| err(idx[2].unwrap_or(0), "missing value".into()))?;
    let allele2 = allele(3)?.ok_or_else(|| err(idx[3].unwrap_or(0), "missing value".into()))?;
    let alt_allele = if allele2 == ref_allele {
        match allele(6)? {
            Some(a1) if a1 != ref_allele => a1,
            _ => {
                return Err(err(
                    idx[3].unwrap_or(0),
                    "tumour alleles equal the reference allele".into(),
                ));
            }
        }
    } else {
        allele2
    };
    if ref_allele.is_empty() && alt_allele.is_empty() {
        return Err(err(idx[2].unwrap_or(0), "both alleles empty".into()));
    }
    // Insertions: MAF Start_Position is the base before the inserted sequence.
    let pos = if ref_allele.is_empty() {
        start + 1
    } else {
        start
    };
    if let Some(end_raw) = get(5) {
        let end: u64 = end_raw
            .parse()
            .map_err(|e| err(idx[5].unwrap_or(0), format!("{end_raw:?}: {e}")))?;
        if end < start {
            return Err(err(
                idx[5].unwrap_or(0),
                format!("End_Position {end} before Start_Position {start}"),
            ));
        }
    }
    let tumor_sample = required(4)?.to_owned();

    let t_depth = count(15)?;
    let t_ref = count(16)?;
    let t_alt = count(17)?;
    let depth = t_depth.or(match (t_ref, t_alt) {
        (Some(r), Some(a)) => r.checked_add(a),
        _ => None,
    });
    let mut tumor = SampleCall {
        name: tumor_sample.clone(),
        genotype: None,
        vaf: None,
        depth,
        alt_depth: t_alt,
        source: None,
    };
    if let (Some(a), Some(d)) = (t_alt, depth) {
        if a > d {
            return Err(err(
                idx[17].unwrap_or(0),
                format!("t_alt_count {a} exceeds depth {d}"),
            ));
        }
        if d > 0 {
            tumor.vaf = Some(f64::from(a) / f64::from(d));
            tumor.source = Some(AlleleFractionSource::MafCounts);
        }
    }
    if let (None, Some(v)) = (tumor.vaf, get(20)) {
        let pct: f64 = v
            .parse()
            .map_err(|e| err(idx[20].unwrap_or(0), format!("{v:?}: {e}")))?;
        if !(0.0..=100.0).contains(&pct) {
            return Err(err(idx[20].unwrap_or(0), format!("{pct} not a percentage")));
        }
        tumor.vaf = Some(pct / 100.0);
        tumor.source = Some(AlleleFractionSource::MafVafColumn);
    }
    let normal_sample = get(7).map(str::to_owned);
    let n_depth = count(18)?;
    let n_alt = count(19)?;
    let normal = normal_sample.as_ref().map(|name| SampleCall {
        name: name.clone(),
        genotype: None,
        vaf: match (n_alt, n_depth) {
            (Some(a), Some(d)) if d > 0 && a <= d => Some(f64::from(a) / f64::from(d)),
            _ => None,
        },
        depth: n_depth,
        alt_depth: n_alt,
        source: n_depth.map(|_| AlleleFractionSource::MafCounts),
    });
    let opt = |slot: usize| get(slot).map(str::to_owned);
    Ok(MafRecord {
        variant: Variant {
            chrom: chrom.to_owned(),
            pos,
            ref_allele,
            alt_allele,
            id: None,
            filter: FilterStatus::Missing,
            tumor: Some(tumor),
            normal,
            allele_index: 1,
            line,
            annotations: Vec::new(),
        },
        tumor_sample,
        normal_sample,
        gene: opt(8),
        classification: opt(9),
        variant_type: opt(10),
        ncbi_build: opt(11),
        transcript_id: opt(12),
        hgvsc: opt(13),
        hgvsp: opt(14),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Header and rows from tumor-maf-maftools tcga_laml.maf.gz (testdata/variants/).
    const LAML: &str = "Hugo_Symbol\tEntrez_Gene_Id\tCenter\tNCBI_Build\tChromosome\tStart_Position\tEnd_position\tStrand\tVariant_Classification\tVariant_Type\tReference_Allele\tTumor_Seq_Allele1\tTumor_Seq_Allele2\tTumor_Sample_Barcode\tProtein_Change\ti_TumorVAF_WU\ti_transcript_name
ABCA10\t10349\tgenome.wustl.edu\t37\t17\t67170917\t67170917\t+\tSplice_Site\tSNP\tT\tT\tC\tTCGA-AB-2988\tp.K960R\t45.66\tNM_080282.3
ASXL1\t171023\tgenome.wustl.edu\t37\t20\t31023271\t31023272\t+\tFrame_Shift_Ins\tINS\t-\t-\tACCA\tTCGA-AB-2864\tp.-920fs\tNA\tNM_015338.4
";

    #[test]
    fn tcga_laml_rows() {
        let f = parse_maf_str(LAML).expect("parse");
        assert_eq!(f.records.len(), 2);
        let r = &f.records[0];
        assert_eq!(r.gene.as_deref(), Some("ABCA10"));
        assert_eq!(r.variant.alt_allele, "C");
        assert_eq!(r.hgvsp.as_deref(), Some("p.K960R"));
        let t = r.variant.tumor.as_ref().expect("tumour");
        assert!((t.vaf.expect("vaf") - 0.4566).abs() < 1e-12);
        let ins = &f.records[1].variant;
        assert_eq!(
            (ins.pos, ins.ref_allele.as_str(), ins.alt_allele.as_str()),
            (31023272, "", "ACCA")
        );
        assert_eq!(
            f.records[1].variant.tumor.as_ref().and_then(|t| t.vaf),
            None
        );
        assert_eq!(ins.line, 3);
    }

    #[test]
    fn missing_column_and_bad_values_are_reported() {
        let no_sample = LAML.replace("Tumor_Sample_Barcode", "Barcode");
        let e = parse_maf_str(&no_sample).expect_err("missing column");
        assert_eq!(e.field(), Some("Tumor_Sample_Barcode"));
        let bad = LAML.replace("67170917\t67170917", "67170917x\t67170917");
        let e = parse_maf_str(&bad).expect_err("bad start");
        assert_eq!((e.line(), e.field()), (Some(2), Some("Start_Position")));
        let bad = LAML.replace("\t45.66\t", "\t145.66\t");
        let e = parse_maf_str(&bad).expect_err("bad vaf");
        assert_eq!(e.field(), Some("i_TumorVAF_WU"));
        let e = parse_maf_str("").expect_err("empty");
        assert_eq!(e.field(), Some("Chromosome"));
    }
}
