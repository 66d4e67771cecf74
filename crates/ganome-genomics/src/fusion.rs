//! Gene fusions: tab-separated fusion lists (PCGR `FusionGene LeftBreakpoint RightBreakpoint
//! SplitReads`, STAR-Fusion, Arriba and similar column sets) and VCF breakend (BND) records.
//!
//! Fusion callers each have their own small TSV; the reader recognises columns by alias. BND
//! alleles are decoded following VCF 4.3 §5.4 (`t[p[`, `t]p]`, `]p]t`, `[p[t`).

use std::{
    io::BufRead,
    path::{Path, PathBuf},
};

use thiserror::Error;

use crate::{
    variant::{Breakpoint, Fusion, Variant},
    vcf::input::open_text,
};

/// An error reading a fusion list.
#[derive(Debug, Error)]
pub enum FusionError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// File path.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The header has neither partner-gene columns nor a fusion-name column.
    #[error("{path}:{line}: unrecognised fusion header: {message}")]
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

impl FusionError {
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

/// Reads a fusion TSV (plain or gzip).
pub fn read_fusions(path: impl AsRef<Path>) -> Result<Vec<Fusion>, FusionError> {
    let path = path.as_ref().to_path_buf();
    let (reader, _) = open_text(&path).map_err(|source| FusionError::Io {
        path: path.clone(),
        source,
    })?;
    parse_fusions(reader, &path)
}

/// Parses fusion TSV text held in memory.
pub fn parse_fusions_str(text: &str) -> Result<Vec<Fusion>, FusionError> {
    parse_fusions(text.as_bytes(), Path::new("<memory>"))
}

struct Columns {
    names: Vec<String>,
    name: Option<usize>,
    gene5: Option<usize>,
    gene3: Option<usize>,
    bp5: Option<usize>,
    bp3: Option<usize>,
    split: Vec<usize>,
    spanning: Option<usize>,
}

fn find(names: &[String], aliases: &[&str]) -> Option<usize> {
    aliases.iter().find_map(|a| {
        names
            .iter()
            .position(|n| n.trim_start_matches('#').eq_ignore_ascii_case(a))
    })
}

/// Parses fusion TSV text from any buffered reader.
pub fn parse_fusions(reader: impl BufRead, path: &Path) -> Result<Vec<Fusion>, FusionError> {
    let mut cols: Option<Columns> = None;
    let mut out = Vec::new();
    let mut line_no = 0u64;
    for line in reader.split(b'\n') {
        line_no += 1;
        let line = line.map_err(|source| FusionError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        let Some(c) = &cols else {
            // STAR-Fusion and Arriba start their header with '#'; other '#' lines before it are
            // comments.
            let names: Vec<String> = fields.iter().map(|s| (*s).to_owned()).collect();
            let c = Columns {
                name: find(
                    &names,
                    &["FusionGene", "FusionName", "fusion", "Fusion_Name"],
                ),
                gene5: find(
                    &names,
                    &["gene1", "LeftGene", "Gene5", "5'gene", "GeneA", "Gene_A"],
                ),
                gene3: find(
                    &names,
                    &["gene2", "RightGene", "Gene3", "3'gene", "GeneB", "Gene_B"],
                ),
                bp5: find(
                    &names,
                    &[
                        "LeftBreakpoint",
                        "breakpoint1",
                        "Breakpoint5",
                        "5'breakpoint",
                    ],
                ),
                bp3: find(
                    &names,
                    &[
                        "RightBreakpoint",
                        "breakpoint2",
                        "Breakpoint3",
                        "3'breakpoint",
                    ],
                ),
                split: [
                    "SplitReads",
                    "JunctionReadCount",
                    "split_reads1",
                    "split_reads2",
                ]
                .iter()
                .filter_map(|a| find(&names, &[a]))
                .collect(),
                spanning: find(
                    &names,
                    &["SpanningFragCount", "discordant_mates", "SpanningReads"],
                ),
                names,
            };
            if c.name.is_none() && (c.gene5.is_none() || c.gene3.is_none()) {
                if line.starts_with('#') {
                    continue;
                }
                return Err(FusionError::Layout {
                    path: path.to_path_buf(),
                    line: line_no,
                    message: "need a fusion name column (FusionGene) or both partner gene columns"
                        .into(),
                });
            }
            cols = Some(c);
            continue;
        };
        out.push(parse_row(&fields, c, path, line_no)?);
    }
    Ok(out)
}

/// Strips STAR-Fusion's `^ENSG...` suffix and Arriba's `(1234)` distance annotations.
fn gene_symbol(raw: &str) -> Option<String> {
    let g = raw.split('^').next().unwrap_or(raw);
    let g = g.split('(').next().unwrap_or(g).trim();
    (!g.is_empty() && g != "." && g != "NA").then(|| g.to_owned())
}

fn parse_row(fields: &[&str], c: &Columns, path: &Path, line: u64) -> Result<Fusion, FusionError> {
    let err = |i: usize, message: String| FusionError::Field {
        path: path.to_path_buf(),
        line,
        field: c.names.get(i).cloned().unwrap_or_default(),
        message,
    };
    let get = |i: Option<usize>| -> Option<(usize, &str)> {
        let i = i?;
        fields
            .get(i)
            .copied()
            .filter(|v| !v.is_empty() && *v != ".")
            .map(|v| (i, v))
    };
    let (mut gene5, mut gene3) = (
        get(c.gene5).and_then(|(_, g)| gene_symbol(g)),
        get(c.gene3).and_then(|(_, g)| gene_symbol(g)),
    );
    let incomplete = gene5.is_none() || gene3.is_none();
    if let (true, Some((i, name))) = (incomplete, get(c.name)) {
        let (a, b) = ["--", "::", "/"]
            .iter()
            .find_map(|sep| name.split_once(sep))
            .ok_or_else(|| {
                err(
                    i,
                    format!("cannot split fusion name {name:?} into two genes"),
                )
            })?;
        gene5 = gene5.or_else(|| gene_symbol(a));
        gene3 = gene3.or_else(|| gene_symbol(b));
    }
    if gene5.is_none() && gene3.is_none() {
        return Err(err(
            c.gene5.or(c.name).unwrap_or(0),
            "no partner gene".into(),
        ));
    }
    let bp = |i: Option<usize>| -> Result<Option<Breakpoint>, FusionError> {
        match get(i) {
            None => Ok(None),
            Some((i, v)) => parse_breakpoint(v).map(Some).ok_or_else(|| {
                err(
                    i,
                    format!("breakpoint {v:?} is not chrom:position[:strand]"),
                )
            }),
        }
    };
    let count = |i: usize| -> Result<Option<u32>, FusionError> {
        match get(Some(i)) {
            None => Ok(None),
            Some((i, v)) => {
                // STAR-Fusion writes fractional counts for multi-mapping reads.
                let x: f64 = v
                    .parse()
                    .map_err(|_| err(i, format!("{v:?} is not a read count")))?;
                if !(0.0..=f64::from(u32::MAX)).contains(&x) {
                    return Err(err(i, format!("{v:?} is not a read count")));
                }
                Ok(Some(x.round() as u32))
            }
        }
    };
    let mut split_reads: Option<u32> = None;
    for &i in &c.split {
        if let Some(n) = count(i)? {
            split_reads = Some(split_reads.unwrap_or(0).saturating_add(n));
        }
    }
    let spanning_reads = match c.spanning {
        Some(i) => count(i)?,
        None => None,
    };
    Ok(Fusion {
        gene5,
        gene3,
        breakpoint5: bp(c.bp5)?,
        breakpoint3: bp(c.bp3)?,
        split_reads,
        spanning_reads,
        id: None,
        line,
    })
}

/// Parses `chr:pos` or `chr:pos:strand` (the chromosome may itself contain `:`).
pub fn parse_breakpoint(text: &str) -> Option<Breakpoint> {
    let t = text.trim();
    let t = match t.rsplit_once(':') {
        Some((head, "+" | "-")) => head,
        _ => t,
    };
    let (chrom, pos) = t.rsplit_once(':')?;
    let pos: u64 = pos.parse().ok().filter(|p| *p > 0)?;
    (!chrom.is_empty()).then(|| Breakpoint {
        chrom: chrom.to_owned(),
        pos,
    })
}

/// The mate position named in a breakend ALT (`G]17:198982]` → `17:198982`).
pub fn breakend_mate(alt: &str) -> Option<Breakpoint> {
    let open = alt.find(['[', ']'])?;
    let bracket = alt.as_bytes().get(open).copied()?;
    let rest = alt.get(open + 1..)?;
    let close = rest.find(char::from(bracket))?;
    parse_breakpoint(rest.get(..close)?)
}

/// Turns breakend (BND) variants into fusions. Mate pairs written as two records are reported
/// once. Partner genes come from vendor annotations (snpEff writes `GENE1&GENE2`), if any.
pub fn fusions_from_breakends(variants: &[Variant]) -> Vec<Fusion> {
    let mut out: Vec<Fusion> = Vec::new();
    for v in variants {
        let Some(mate) = breakend_mate(&v.alt_allele) else {
            continue;
        };
        let here = Breakpoint {
            chrom: v.chrom.clone(),
            pos: v.pos,
        };
        let seen = out.iter().any(|f| {
            f.breakpoint5.as_ref() == Some(&mate) && f.breakpoint3.as_ref() == Some(&here)
        });
        if seen {
            continue;
        }
        let genes: Vec<String> = v
            .annotations
            .iter()
            .filter_map(|a| a.gene_symbol.as_deref())
            .find(|g| g.contains('&'))
            .map(|g| g.split('&').map(str::to_owned).collect())
            .unwrap_or_default();
        out.push(Fusion {
            gene5: genes.first().cloned(),
            gene3: genes.get(1).cloned(),
            breakpoint5: Some(here),
            breakpoint3: Some(mate),
            split_reads: None,
            spanning_reads: None,
            id: v.id.clone(),
            line: v.line,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rows from pcgr-examples T001-COAD.grch38.fusions.tsv.
    const PCGR: &str = "FusionGene\tLeftBreakpoint\tRightBreakpoint\tSplitReads\nEML4--ALK\t2:42295554\t2:29223528\t100\nBCR--ABL1\t22:23240712\t9:13358995\t50\n";

    #[test]
    fn pcgr_fusion_list() {
        let f = parse_fusions_str(PCGR).expect("parse");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].gene5.as_deref(), Some("EML4"));
        assert_eq!(f[0].gene3.as_deref(), Some("ALK"));
        assert_eq!(
            f[1].breakpoint3,
            Some(Breakpoint {
                chrom: "9".into(),
                pos: 13358995
            })
        );
        assert_eq!(f[1].split_reads, Some(50));
        assert_eq!(f[1].line, 3);
    }

    #[test]
    fn malformed_rows_name_the_column() {
        let e = parse_fusions_str(&PCGR.replace("2:42295554", "2-42295554")).expect_err("bp");
        assert_eq!((e.line(), e.field()), (Some(2), Some("LeftBreakpoint")));
        let e = parse_fusions_str(&PCGR.replace("EML4--ALK", "EML4ALK")).expect_err("name");
        assert_eq!(e.field(), Some("FusionGene"));
        let e = parse_fusions_str(&PCGR.replace("\t100", "\tmany")).expect_err("reads");
        assert_eq!(e.field(), Some("SplitReads"));
    }

    #[test]
    fn breakend_alleles() {
        // The four BND forms from VCF 4.3 §5.4 (example records bnd_W..bnd_Z).
        for (alt, chrom, pos) in [
            ("G]17:198982]", "17", 198982),
            ("]13:123456]T", "13", 123456),
            ("C[2:321682[", "2", 321682),
            ("[17:198983[A", "17", 198983),
        ] {
            assert_eq!(
                breakend_mate(alt),
                Some(Breakpoint {
                    chrom: chrom.into(),
                    pos
                }),
                "{alt}"
            );
        }
        assert_eq!(breakend_mate("<DEL>"), None);
        assert_eq!(breakend_mate("G]17:x]"), None);
        assert_eq!(
            parse_breakpoint("chr2:42295554:+").map(|b| b.pos),
            Some(42295554)
        );
    }
}
