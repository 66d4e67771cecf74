//! Copy-number inputs: per-gene tables, allele-specific segments (PCGR `*.cna.tsv`:
//! `Chromosome Start End nMajor nMinor`) and SEG files (`ID chrom loc.start loc.end num.mark
//! seg.mean`, as written by DNAcopy/GDC and read by IGV/GISTIC).
//!
//! The layout is recognised from the column header. These are small tab-separated tables with
//! loosely standardised names, so a hand-written reader that knows the aliases is simpler and gives
//! better errors than a generic CSV deserialiser.

use std::{
    io::BufRead,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::{
    variant::{CopyNumberCall, CopyNumberState},
    vcf::input::open_text,
};

/// An error reading a copy-number file.
#[derive(Debug, Error)]
pub enum CnvError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// File path.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The header matches no known layout.
    #[error("{path}:{line}: unrecognised copy-number header: {message}")]
    Layout {
        /// File path.
        path: PathBuf,
        /// Line of the header.
        line: u64,
        /// What is missing.
        message: String,
    },
    /// A value is invalid.
    #[error("{path}:{line}: field {field}: {message}")]
    Field {
        /// File path.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Column name.
        field: String,
        /// What was wrong.
        message: String,
    },
}

impl CnvError {
    /// The 1-based line number, if any.
    pub fn line(&self) -> Option<u64> {
        match self {
            Self::Io { .. } => None,
            Self::Layout { line, .. } | Self::Field { line, .. } => Some(*line),
        }
    }

    /// The column name for value errors.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Field { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// Which kind of copy-number table was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CnvLayout {
    /// One row per gene (`Gene`/`Hugo_Symbol` plus copy number, log2 ratio or a call).
    PerGene,
    /// Allele-specific segments with major/minor copy numbers.
    AlleleSpecificSegments,
    /// SEG: segments with a log2 ratio (`Segment_Mean` / `seg.mean`).
    Seg,
}

/// Thresholds for deriving a [`CopyNumberState`] when the file gives numbers, not calls.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CnThresholds {
    /// Baseline ploidy (2 for human autosomes).
    pub ploidy: f64,
    /// Total copy number at or above which a gain is called amplification (PCGR default: 5).
    pub amplification_min_cn: f64,
    /// log2 ratio at or above which a segment is amplified.
    pub log2_amplification: f64,
    /// log2 ratio at or above which a segment is gained.
    pub log2_gain: f64,
    /// log2 ratio at or below which a segment is lost.
    pub log2_loss: f64,
    /// log2 ratio at or below which a segment is deeply deleted.
    pub log2_deep_deletion: f64,
}

impl Default for CnThresholds {
    fn default() -> Self {
        Self {
            ploidy: 2.0,
            amplification_min_cn: 5.0,
            log2_amplification: 1.0,
            log2_gain: 0.2,
            log2_loss: -0.2,
            log2_deep_deletion: -1.0,
        }
    }
}

impl CnThresholds {
    /// State from an absolute total copy number (and minor copy number, for copy-neutral LOH).
    pub fn state_from_cn(&self, total: f64, minor: Option<u32>) -> CopyNumberState {
        if total < 0.5 {
            CopyNumberState::DeepDeletion
        } else if total >= self.amplification_min_cn {
            CopyNumberState::Amplification
        } else if total > self.ploidy + 0.5 {
            CopyNumberState::Gain
        } else if total < self.ploidy - 0.5 {
            CopyNumberState::Loss
        } else if minor == Some(0) {
            CopyNumberState::CopyNeutralLoh
        } else {
            CopyNumberState::Neutral
        }
    }

    /// State from a log2 ratio.
    pub fn state_from_log2(&self, log2: f64) -> CopyNumberState {
        if log2 >= self.log2_amplification {
            CopyNumberState::Amplification
        } else if log2 >= self.log2_gain {
            CopyNumberState::Gain
        } else if log2 <= self.log2_deep_deletion {
            CopyNumberState::DeepDeletion
        } else if log2 <= self.log2_loss {
            CopyNumberState::Loss
        } else {
            CopyNumberState::Neutral
        }
    }
}

/// Parses a reported call: words (`AMP`, `Gain`, `HOMDEL`, `Loss`...) or GISTIC discrete values
/// (`2`, `1`, `0`, `-1`, `-2`).
pub fn parse_call(text: &str) -> Option<CopyNumberState> {
    match text.trim() {
        "-1" => return Some(CopyNumberState::Loss),
        "-2" => return Some(CopyNumberState::DeepDeletion),
        _ => {}
    }
    let t = text
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-', '_'], "");
    Some(match t.as_str() {
        "amp" | "amplification" | "amplified" | "2" | "highlevelgain" => {
            CopyNumberState::Amplification
        }
        "gain" | "gained" | "1" | "lowlevelgain" => CopyNumberState::Gain,
        "neutral" | "0" | "none" | "normal" | "diploid" => CopyNumberState::Neutral,
        "loss" | "del" | "deletion" | "hetloss" | "shallowdeletion" => CopyNumberState::Loss,
        "homdel" | "deepdeletion" | "homozygousdeletion" => CopyNumberState::DeepDeletion,
        "cnloh" | "copyneutralloh" => CopyNumberState::CopyNeutralLoh,
        _ => return None,
    })
}

/// A copy-number file read into memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CopyNumberFile {
    /// Path it was read from.
    pub path: PathBuf,
    /// Layout recognised.
    pub layout: CnvLayout,
    /// Calls in file order.
    pub calls: Vec<CopyNumberCall>,
}

/// Reads a copy-number file (per-gene, allele-specific segments or SEG; plain or gzip).
pub fn read_copy_number(
    path: impl AsRef<Path>,
    thresholds: &CnThresholds,
) -> Result<CopyNumberFile, CnvError> {
    let path = path.as_ref().to_path_buf();
    let (reader, _) = open_text(&path).map_err(|source| CnvError::Io {
        path: path.clone(),
        source,
    })?;
    parse_copy_number(reader, path, thresholds)
}

/// Parses copy-number text held in memory.
pub fn parse_copy_number_str(
    text: &str,
    thresholds: &CnThresholds,
) -> Result<CopyNumberFile, CnvError> {
    parse_copy_number(text.as_bytes(), PathBuf::from("<memory>"), thresholds)
}

struct Layout {
    kind: CnvLayout,
    names: Vec<String>,
    sample: Option<usize>,
    gene: Option<usize>,
    chrom: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    cn: Option<usize>,
    major: Option<usize>,
    minor: Option<usize>,
    log2: Option<usize>,
    call: Option<usize>,
}

fn find(names: &[String], aliases: &[&str]) -> Option<usize> {
    aliases
        .iter()
        .find_map(|a| names.iter().position(|n| n.eq_ignore_ascii_case(a)))
}

fn layout(names: Vec<String>, path: &Path, line: u64) -> Result<Layout, CnvError> {
    let gene = find(
        &names,
        &["Gene", "Hugo_Symbol", "gene_symbol", "symbol", "gene_name"],
    );
    let chrom = find(&names, &["Chromosome", "chrom", "chr", "seqnames"]);
    let start = find(
        &names,
        &["Start", "loc.start", "Start_Position", "segment_start"],
    );
    let end = find(&names, &["End", "loc.end", "End_Position", "segment_end"]);
    let cn = find(
        &names,
        &[
            "copy_number",
            "CN",
            "total_cn",
            "copyNumber",
            "TCN",
            "Copy_Number",
        ],
    );
    let major = find(&names, &["nMajor", "major_cn", "nMaj1_A"]);
    let minor = find(&names, &["nMinor", "minor_cn", "nMin1_A"]);
    let log2 = find(
        &names,
        &[
            "Segment_Mean",
            "seg.mean",
            "log2",
            "log2_ratio",
            "log2ratio",
            "mean",
        ],
    );
    let call = find(
        &names,
        &["call", "state", "alteration", "cn_state", "CNA", "status"],
    );
    let sample = find(
        &names,
        &["Sample", "ID", "sample_id", "Tumor_Sample_Barcode"],
    );
    let has_values = cn.is_some() || log2.is_some() || call.is_some();
    let kind = if let Some(_g) = gene.filter(|_| has_values || major.is_some()) {
        CnvLayout::PerGene
    } else if chrom.is_some() && start.is_some() && end.is_some() {
        if major.is_some() && minor.is_some() {
            CnvLayout::AlleleSpecificSegments
        } else if log2.is_some() || cn.is_some() || call.is_some() {
            CnvLayout::Seg
        } else {
            return Err(CnvError::Layout {
                path: path.to_path_buf(),
                line,
                message: "segments need nMajor/nMinor, Segment_Mean, copy_number or a call".into(),
            });
        }
    } else {
        return Err(CnvError::Layout {
            path: path.to_path_buf(),
            line,
            message: format!(
                "need a gene column with values, or Chromosome/Start/End (have {names:?})"
            ),
        });
    };
    Ok(Layout {
        kind,
        names,
        sample,
        gene,
        chrom,
        start,
        end,
        cn,
        major,
        minor,
        log2,
        call,
    })
}

/// Parses copy-number text from any buffered reader.
pub fn parse_copy_number(
    reader: impl BufRead,
    path: PathBuf,
    thresholds: &CnThresholds,
) -> Result<CopyNumberFile, CnvError> {
    let mut lay: Option<Layout> = None;
    let mut calls = Vec::new();
    let mut line_no = 0u64;
    for line in reader.split(b'\n') {
        line_no += 1;
        let line = line.map_err(|source| CnvError::Io {
            path: path.clone(),
            source,
        })?;
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let Some(l) = &lay else {
            lay = Some(layout(
                fields.iter().map(|s| (*s).to_owned()).collect(),
                &path,
                line_no,
            )?);
            continue;
        };
        calls.push(parse_row(&fields, l, &path, line_no, thresholds)?);
    }
    let Some(l) = lay else {
        return Err(CnvError::Layout {
            path,
            line: 0,
            message: "empty file".into(),
        });
    };
    Ok(CopyNumberFile {
        path,
        layout: l.kind,
        calls,
    })
}

fn parse_row(
    fields: &[&str],
    l: &Layout,
    path: &Path,
    line: u64,
    t: &CnThresholds,
) -> Result<CopyNumberCall, CnvError> {
    let err = |i: usize, message: String| CnvError::Field {
        path: path.to_path_buf(),
        line,
        field: l.names.get(i).cloned().unwrap_or_default(),
        message,
    };
    let get = |i: Option<usize>| -> Option<(usize, &str)> {
        let i = i?;
        fields
            .get(i)
            .copied()
            .filter(|v| !matches!(*v, "" | "." | "NA" | "NaN"))
            .map(|v| (i, v))
    };
    let num = |i: Option<usize>| -> Result<Option<f64>, CnvError> {
        match get(i) {
            None => Ok(None),
            Some((i, v)) => match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(err(i, format!("{v:?} is not a number"))),
            },
        }
    };
    let int = |i: Option<usize>| -> Result<Option<u64>, CnvError> {
        match get(i) {
            None => Ok(None),
            Some((i, v)) => v
                .parse::<u64>()
                .map(Some)
                .map_err(|e| err(i, format!("{v:?}: {e}"))),
        }
    };
    let count = |i: Option<usize>| -> Result<Option<u32>, CnvError> {
        int(i)?
            .map(|v| u32::try_from(v).map_err(|e| err(i.unwrap_or(0), e.to_string())))
            .transpose()
    };
    if l.kind != CnvLayout::PerGene {
        for (i, name) in [(l.chrom, "chromosome"), (l.start, "start"), (l.end, "end")] {
            if get(i).is_none() {
                return Err(err(i.unwrap_or(0), format!("missing {name}")));
            }
        }
    }
    let start = int(l.start)?;
    let end = int(l.end)?;
    match (start, end) {
        (Some(s), Some(e)) if e < s => {
            return Err(err(l.end.unwrap_or(0), format!("end {e} before start {s}")));
        }
        _ => {}
    }
    let major = count(l.major)?;
    let minor = count(l.minor)?;
    let mut copy_number = num(l.cn)?;
    if let (None, Some(a), Some(b)) = (copy_number, major, minor) {
        copy_number = Some(f64::from(a) + f64::from(b));
    }
    if let Some(c) = copy_number.filter(|c| *c < 0.0) {
        return Err(err(l.cn.unwrap_or(0), format!("negative copy number {c}")));
    }
    let log2_ratio = num(l.log2)?;
    let reported = match get(l.call) {
        None => None,
        Some((i, v)) => {
            Some(parse_call(v).ok_or_else(|| err(i, format!("unknown copy-number call {v:?}")))?)
        }
    };
    let state = reported
        .or_else(|| copy_number.map(|c| t.state_from_cn(c, minor)))
        .or_else(|| log2_ratio.map(|x| t.state_from_log2(x)))
        .unwrap_or(CopyNumberState::Unknown);
    Ok(CopyNumberCall {
        sample: get(l.sample).map(|(_, v)| v.to_owned()),
        gene: get(l.gene).map(|(_, v)| v.to_owned()),
        chrom: get(l.chrom).map(|(_, v)| v.to_owned()),
        start,
        end,
        copy_number,
        major_cn: major,
        minor_cn: minor,
        log2_ratio,
        state,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // First rows of pcgr-examples T001-COAD.grch38.cna.tsv and maftools TCGA.AB.3009.hg19.seg.txt.
    const PCGR: &str = "Chromosome\tStart\tEnd\tnMajor\tnMinor\n1\t809641\t37651942\t1\t0\n1\t37652105\t39719316\t1\t1\n";
    const SEG: &str = "Sample\tChromosome\tStart\tEnd\tNum_Probes\tSegment_Mean\nTCGA-AB-3009\t1\t61735\t86341\t15\t-0.683\nTCGA-AB-3009\t1\t98588\t3166089\t717\t0.3069\n";

    #[test]
    fn allele_specific_segments() {
        let f = parse_copy_number_str(PCGR, &CnThresholds::default()).expect("parse");
        assert_eq!(f.layout, CnvLayout::AlleleSpecificSegments);
        assert_eq!(f.calls[0].copy_number, Some(1.0));
        assert_eq!(f.calls[0].state, CopyNumberState::Loss);
        assert_eq!(f.calls[1].state, CopyNumberState::Neutral);
    }

    #[test]
    fn seg_log2() {
        let f = parse_copy_number_str(SEG, &CnThresholds::default()).expect("parse");
        assert_eq!(f.layout, CnvLayout::Seg);
        assert_eq!(f.calls[0].sample.as_deref(), Some("TCGA-AB-3009"));
        assert_eq!(f.calls[0].state, CopyNumberState::Loss);
        assert_eq!(f.calls[1].state, CopyNumberState::Gain);
    }

    #[test]
    fn per_gene_calls_and_numbers() {
        let t = "Gene\tcopy_number\tcall\nERBB2\t12\tAMP\nCDKN2A\t0\t-2\nMET\t4\t\n";
        let f = parse_copy_number_str(t, &CnThresholds::default()).expect("parse");
        assert_eq!(f.layout, CnvLayout::PerGene);
        let s: Vec<_> = f.calls.iter().map(|c| c.state).collect();
        assert_eq!(
            s,
            vec![
                CopyNumberState::Amplification,
                CopyNumberState::DeepDeletion,
                CopyNumberState::Gain
            ]
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let bad = PCGR.replace("37651942", "3765x");
        let e = parse_copy_number_str(&bad, &CnThresholds::default()).expect_err("bad end");
        assert_eq!((e.line(), e.field()), (Some(2), Some("End")));
        let bad = SEG.replace("86341", "6000");
        let e = parse_copy_number_str(&bad, &CnThresholds::default()).expect_err("end<start");
        assert_eq!(e.field(), Some("End"));
        let e =
            parse_copy_number_str("a\tb\n1\t2\n", &CnThresholds::default()).expect_err("layout");
        assert!(matches!(e, CnvError::Layout { line: 1, .. }));
    }
}
