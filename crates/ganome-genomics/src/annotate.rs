//! Annotating a VCF against a transcript database: `--format bcsq` (the input VCF written
//! back with INFO/BCSQ, bcftools csq's format), `vcf` (INFO/GCSQ with SO terms and HGVS),
//! `tsv` and `json` (one row per variant allele and overlapping transcript).
//!
//! The VCF is read line by line here rather than through a full VCF parser because
//! `--format bcsq` must write every input line back unchanged apart from INFO/BCSQ.

use std::collections::VecDeque;
use std::io::{BufRead, Write};

use crate::bcsq::{Annotated, BcsqEngine, BcsqError, Site};
use crate::consequence::{VariantAnnotation, annotate_allele};
use crate::txdb::TranscriptDb;

/// Output formats of `ganome annotate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Tab-separated, one row per allele × transcript.
    Tsv,
    /// JSON lines, one object per allele × transcript.
    Json,
    /// The input VCF with INFO/GCSQ (SO terms, HGVS c./p.).
    Vcf,
    /// The input VCF with INFO/BCSQ in bcftools csq's format.
    Bcsq,
}

impl std::str::FromStr for OutputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "tsv" => Ok(Self::Tsv),
            "json" => Ok(Self::Json),
            "vcf" => Ok(Self::Vcf),
            "bcsq" => Ok(Self::Bcsq),
            _ => Err(format!("unknown format {s:?} (tsv, json, vcf, bcsq)")),
        }
    }
}

/// Errors while annotating.
#[derive(Debug, thiserror::Error)]
pub enum AnnotateError {
    /// Reading or writing failed.
    #[error("line {line}: {source}")]
    Io {
        /// 1-based input line (0 when writing).
        line: usize,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A data line could not be parsed.
    #[error("line {line}: {field}: {message}")]
    Parse {
        /// 1-based input line.
        line: usize,
        /// VCF column.
        field: &'static str,
        /// What was wrong.
        message: String,
    },
    /// The consequence engine refused a record.
    #[error("line {line}: {source}")]
    Engine {
        /// 1-based input line.
        line: usize,
        /// Engine error.
        source: BcsqError,
    },
}

/// Counts from one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnotateStats {
    /// Data lines read.
    pub records: u64,
    /// Records that received at least one consequence.
    pub annotated: u64,
}

/// Splits a VCF data line into its CHROM/POS/REF/ALT site.
pub fn parse_site(line: &str, lineno: usize) -> Result<Site, AnnotateError> {
    let mut cols = line.splitn(6, '\t');
    let err = |field: &'static str, message: String| AnnotateError::Parse {
        line: lineno,
        field,
        message,
    };
    let chrom = cols.next().ok_or_else(|| err("CHROM", "missing".into()))?;
    let pos = cols.next().ok_or_else(|| err("POS", "missing".into()))?;
    let _id = cols.next().ok_or_else(|| err("ID", "missing".into()))?;
    let r = cols.next().ok_or_else(|| err("REF", "missing".into()))?;
    let a = cols.next().ok_or_else(|| err("ALT", "missing".into()))?;
    let pos: u32 = pos
        .parse()
        .map_err(|_| err("POS", format!("not a position: {pos:?}")))?;
    if pos == 0 {
        return Err(err("POS", "position 0".into()));
    }
    let alts = if a == "." {
        Vec::new()
    } else {
        a.split(',')
            .map(|x| {
                if x.starts_with('<') {
                    x.as_bytes().to_vec()
                } else {
                    x.as_bytes().to_ascii_uppercase()
                }
            })
            .collect()
    };
    Ok(Site {
        chrom: chrom.to_string(),
        pos,
        ref_allele: r.as_bytes().to_ascii_uppercase(),
        alts,
        genotypes: Vec::new(),
    })
}

/// Reads the GT of each sample column (FORMAT must start with GT); empty if there is none.
pub fn parse_genotypes(line: &str) -> Vec<Vec<Option<u32>>> {
    let mut cols = line.split('\t').skip(8);
    let Some(format) = cols.next() else {
        return Vec::new();
    };
    if !format.starts_with("GT") {
        return Vec::new();
    }
    cols.map(|c| {
        let gt = c.split(':').next().unwrap_or(".");
        gt.split(['|', '/'])
            .map(|a| a.parse::<u32>().ok())
            .collect()
    })
    .collect()
}

/// Sets (or replaces) an INFO key in a VCF data line.
pub fn set_info(line: &str, key: &str, value: &str) -> String {
    let mut out = String::with_capacity(line.len() + key.len() + value.len() + 2);
    write_with_info(&mut out, line, key, value);
    out
}

/// Appends `line` with INFO key `key` set to `value` to `out` (no other allocation).
pub fn write_with_info(out: &mut String, line: &str, key: &str, value: &str) {
    // byte offsets of the INFO column
    let mut tabs = line.match_indices('\t').map(|(i, _)| i);
    let (Some(start), end) = (tabs.nth(6), tabs.next()) else {
        out.push_str(line);
        return;
    };
    let end = end.unwrap_or(line.len());
    let info = &line[start + 1..end];
    out.push_str(&line[..=start]);
    let mut first = true;
    if info != "." && !info.is_empty() {
        for p in info.split(';') {
            let is_key = p == key
                || (p.len() > key.len() && p.starts_with(key) && p.as_bytes()[key.len()] == b'=');
            if is_key {
                continue;
            }
            if !first {
                out.push(';');
            }
            out.push_str(p);
            first = false;
        }
    }
    if !first {
        out.push(';');
    }
    out.push_str(key);
    out.push('=');
    out.push_str(value);
    out.push_str(&line[end..]);
}

/// Value of an INFO key in a VCF data line.
pub fn get_info<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let info = line.split('\t').nth(7)?;
    info.split(';')
        .find_map(|p| p.split_once('=').and_then(|(k, v)| (k == key).then_some(v)))
}

const BCSQ_HEADER: &str = "##INFO=<ID=BCSQ,Number=.,Type=String,Description=\"Haplotype-aware consequence annotation from ganome (bcftools csq format). Format: Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change\">";
const GCSQ_HEADER: &str = "##INFO=<ID=GCSQ,Number=.,Type=String,Description=\"Consequence annotation from ganome. Format: Allele|Consequence|Gene|Transcript|Biotype|Exon|Intron|HGVSc|HGVSp|HGVSp_short|Reported\">";

/// Annotates a VCF stream; `progress` is called with the number of records done.
pub fn annotate_vcf(
    db: &TranscriptDb,
    input: impl BufRead,
    mut output: impl Write,
    format: OutputFormat,
    mut progress: impl FnMut(u64),
) -> Result<AnnotateStats, AnnotateError> {
    let mut stats = AnnotateStats::default();
    let werr = |source| AnnotateError::Io { line: 0, source };
    match format {
        OutputFormat::Tsv => {
            writeln!(output, "{}", VariantAnnotation::tsv_header()).map_err(werr)?;
        }
        OutputFormat::Json => {}
        _ => {}
    }
    let mut engine = BcsqEngine::new(db);
    let mut nsamples = 0usize;
    let mut lines: VecDeque<String> = VecDeque::new();
    let mut done: Vec<Annotated> = Vec::new();
    let emit = |done: &mut Vec<Annotated>,
                lines: &mut VecDeque<String>,
                out: &mut dyn Write,
                stats: &mut AnnotateStats|
     -> Result<(), AnnotateError> {
        let mut buf = String::new();
        for (_, bcsq) in done.drain(..) {
            let Some(line) = lines.pop_front() else {
                break;
            };
            buf.clear();
            match bcsq {
                Some(v) => {
                    stats.annotated += 1;
                    write_with_info(&mut buf, &line, "BCSQ", &v);
                }
                None => buf.push_str(&line),
            }
            buf.push('\n');
            out.write_all(buf.as_bytes())
                .map_err(|source| AnnotateError::Io { line: 0, source })?;
        }
        Ok(())
    };
    for (i, line) in input.lines().enumerate() {
        let lineno = i + 1;
        let line = line.map_err(|source| AnnotateError::Io {
            line: lineno,
            source,
        })?;
        if line.starts_with("##") {
            if matches!(format, OutputFormat::Bcsq | OutputFormat::Vcf)
                && !line.starts_with("##INFO=<ID=BCSQ,")
                && !line.starts_with("##INFO=<ID=GCSQ,")
            {
                writeln!(output, "{line}").map_err(werr)?;
            }
            continue;
        }
        if line.starts_with('#') {
            nsamples = line.split('\t').count().saturating_sub(9);
            engine = BcsqEngine::with_samples(db, nsamples);
            match format {
                OutputFormat::Bcsq => writeln!(output, "{BCSQ_HEADER}\n{line}").map_err(werr)?,
                OutputFormat::Vcf => writeln!(output, "{GCSQ_HEADER}\n{line}").map_err(werr)?,
                _ => {}
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let mut site = parse_site(&line, lineno)?;
        if nsamples > 0 {
            site.genotypes = parse_genotypes(&line);
        }
        stats.records += 1;
        if stats.records % 10_000 == 0 {
            progress(stats.records);
        }
        match format {
            OutputFormat::Bcsq => {
                lines.push_back(line);
                engine
                    .push(&site, &mut done)
                    .map_err(|source| AnnotateError::Engine {
                        line: lineno,
                        source,
                    })?;
                emit(&mut done, &mut lines, &mut output, &mut stats)?;
            }
            OutputFormat::Vcf => {
                let mut entries = Vec::new();
                for (ai, alt) in site.alts.iter().enumerate() {
                    for a in annotate_allele(db, &site, ai) {
                        entries.push(a.gcsq_entry(&String::from_utf8_lossy(alt)));
                    }
                }
                if entries.is_empty() {
                    writeln!(output, "{line}").map_err(werr)?;
                } else {
                    stats.annotated += 1;
                    writeln!(output, "{}", set_info(&line, "GCSQ", &entries.join(",")))
                        .map_err(werr)?;
                }
            }
            OutputFormat::Tsv | OutputFormat::Json => {
                let mut any = false;
                for ai in 0..site.alts.len() {
                    for a in annotate_allele(db, &site, ai) {
                        any = true;
                        if format == OutputFormat::Tsv {
                            writeln!(output, "{}", a.tsv_row()).map_err(werr)?;
                        } else {
                            let j = serde_json::to_string(&a).unwrap_or_default();
                            writeln!(output, "{j}").map_err(werr)?;
                        }
                    }
                }
                if any {
                    stats.annotated += 1;
                }
            }
        }
    }
    if format == OutputFormat::Bcsq {
        engine.finish(&mut done);
        emit(&mut done, &mut lines, &mut output, &mut stats)?;
    }
    progress(stats.records);
    output.flush().map_err(werr)?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_editing() {
        let l = "1\t5\t.\tA\tC\t.\t.\tEXP=x;type=y\tGT\t0|1";
        let s = set_info(l, "BCSQ", "a|b");
        assert_eq!(s, "1\t5\t.\tA\tC\t.\t.\tEXP=x;type=y;BCSQ=a|b\tGT\t0|1");
        assert_eq!(get_info(&s, "EXP"), Some("x"));
        assert_eq!(
            set_info("1\t5\t.\tA\tC\t.\t.\t.", "K", "v"),
            "1\t5\t.\tA\tC\t.\t.\tK=v"
        );
    }

    #[test]
    fn parses_sites() {
        let g = parse_genotypes("1\t5\t.\tA\tC\t.\t.\t.\tGT:DP\t0|1:3\t1\t./.");
        assert_eq!(
            g,
            vec![vec![Some(0), Some(1)], vec![Some(1)], vec![None, None]]
        );
        let s = parse_site("chr1\t10\t.\tac\tA,<DEL>\t.\t.\t.", 3).unwrap();
        assert_eq!(s.ref_allele, b"AC");
        assert_eq!(s.alts[1], b"<DEL>");
        let e = parse_site("chr1\tx\t.\tA\tC", 7).unwrap_err().to_string();
        assert!(e.starts_with("line 7: POS"), "{e}");
    }
}
