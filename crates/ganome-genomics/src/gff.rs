//! GFF3 reading into [`Transcript`]s: Ensembl, RefSeq/NCBI, GENCODE and LRG-derived flavours.
//!
//! Written by hand rather than with a generic GFF crate because the work is in the linking
//! rules, not the tokenising: genes, transcripts and their exon/CDS/UTR children are tied
//! together the way `bcftools csq` does (so the consequence oracle sees the same transcript
//! set), with a few additions for NCBI and GENCODE files (`transcript_id`, `transcript_type`,
//! `tag`, `protein_id`). Sequence ids written as regions (`chr7:55014032-55258620`) are
//! converted to chromosome coordinates.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use crate::fasta::parse_region_name;
use crate::transcript::{Biotype, CdsSegment, Interval, Strand, Transcript, UtrSegment};

/// Errors while reading GFF3.
#[derive(Debug, thiserror::Error)]
pub enum GffError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// File path.
        path: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A line could not be parsed.
    #[error("{path}:{line}: {field}: {message}")]
    Parse {
        /// File path.
        path: String,
        /// 1-based line number.
        line: usize,
        /// Column name.
        field: &'static str,
        /// What was wrong.
        message: String,
    },
}

/// What a GFF read produced besides transcripts.
#[derive(Debug, Clone, Default)]
pub struct GffStats {
    /// Lines read (excluding comments).
    pub lines: usize,
    /// Transcript lines skipped because their biotype is not supported.
    pub ignored_biotypes: HashMap<String, usize>,
}

struct TxBuild {
    raw_id: String,
    tx: Transcript,
    parent_gene: String,
    explicit_utr: bool,
}

struct Feature {
    kind: FeatureKind,
    chrom: String,
    start: u32,
    end: u32,
    phase: Option<u8>,
    parents: Vec<String>,
    protein_id: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum FeatureKind {
    Exon,
    Cds,
    Utr5,
    Utr3,
}

fn decode(v: &str) -> String {
    if !v.contains('%') {
        return v.to_string();
    }
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(x) = u8::from_str_radix(&v[i + 1..i + 3], 16)
        {
            out.push(x);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn strip_prefix_any<'a>(s: &'a str, prefixes: &[&str]) -> &'a str {
    for p in prefixes {
        if let Some(r) = s.strip_prefix(p) {
            return r;
        }
    }
    s
}

/// Reads a GFF3 file (plain or gzip) into transcripts.
pub fn read_gff(path: &Path) -> Result<(Vec<Transcript>, GffStats), GffError> {
    let p = path.display().to_string();
    let io = |source| GffError::Io {
        path: p.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
            file,
        )))
    } else {
        Box::new(std::io::BufReader::with_capacity(1 << 20, file))
    };
    parse_gff(reader, &p)
}

/// Parses GFF3 text from a reader; `name` is used in error messages.
pub fn parse_gff(
    reader: impl BufRead,
    name: &str,
) -> Result<(Vec<Transcript>, GffStats), GffError> {
    let mut stats = GffStats::default();
    // gene raw id -> (name, gene id)
    let mut genes: HashMap<String, (String, String)> = HashMap::new();
    let mut txs: Vec<TxBuild> = Vec::new();
    let mut tx_index: HashMap<String, usize> = HashMap::new();
    let mut features: Vec<Feature> = Vec::new();

    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|source| GffError::Io {
            path: name.to_string(),
            source,
        })?;
        if line.starts_with("##FASTA") {
            break;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        stats.lines += 1;
        let err = |field: &'static str, message: String| GffError::Parse {
            path: name.to_string(),
            line: i + 1,
            field,
            message,
        };
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 9 {
            return Err(err(
                "line",
                format!("expected 9 tab-separated columns, found {}", cols.len()),
            ));
        }
        let ftype = cols[2];
        if ftype == "biological_region" {
            continue;
        }
        let parse_coord = |v: &str, field: &'static str| -> Result<i64, GffError> {
            v.parse::<i64>()
                .map_err(|_| err(field, format!("not a number: {v:?}")))
        };
        let start_raw = parse_coord(cols[3], "start")?;
        let end_raw = parse_coord(cols[4], "end")?;
        let gene_like = ftype == "gene" || !cols[8].contains("Parent=");
        if start_raw < 1 || end_raw < start_raw || end_raw > i64::from(u32::MAX) {
            if gene_like {
                // bcftools reads gene lines only for names; odd coordinates there are harmless
                let attrs: HashMap<&str, &str> = cols[8]
                    .split(';')
                    .filter_map(|kv| kv.trim().split_once('='))
                    .collect();
                if let Some(id) = attrs.get("ID") {
                    let key = strip_prefix_any(id, &["gene:"]).to_string();
                    let gname = attrs
                        .get("Name")
                        .map(|s| decode(s))
                        .unwrap_or_else(|| key.clone());
                    genes.entry(key.clone()).or_insert((gname, key));
                }
                continue;
            }
            return Err(err("end", format!("bad interval {start_raw}-{end_raw}")));
        }
        let mut start = start_raw as u32;
        let mut end = end_raw as u32;
        let mut chrom = cols[0].to_string();
        if let Some((c, off)) = parse_region_name(cols[0]) {
            chrom = c.to_string();
            let off = u32::try_from(off).map_err(|_| err("seqid", "offset too large".into()))?;
            start += off;
            end += off;
        }
        let strand = match cols[6] {
            "+" => Some(Strand::Forward),
            "-" => Some(Strand::Reverse),
            _ => None,
        };
        let phase = match cols[7] {
            "0" => Some(0),
            "1" => Some(1),
            "2" => Some(2),
            _ => None,
        };
        let mut attrs: HashMap<&str, &str> = HashMap::new();
        for kv in cols[8].trim_end().split(';') {
            if let Some((k, v)) = kv.trim().split_once('=') {
                attrs.entry(k).or_insert(v);
            }
        }
        let id = attrs.get("ID").copied();
        let parent = attrs.get("Parent").copied();
        let kind = match ftype {
            "exon" => Some(FeatureKind::Exon),
            "CDS" => Some(FeatureKind::Cds),
            "five_prime_UTR" => Some(FeatureKind::Utr5),
            "three_prime_UTR" => Some(FeatureKind::Utr3),
            _ => None,
        };
        let is_gene =
            ftype == "gene" || id.is_some_and(|i| i.starts_with("gene:")) || parent.is_none();
        if is_gene {
            let Some(id) = id else { continue };
            let key = strip_prefix_any(id, &["gene:"]).to_string();
            if genes.contains_key(&key) {
                continue;
            }
            let gname = attrs
                .get("Name")
                .or_else(|| attrs.get("gene_name"))
                .map(|s| decode(s))
                .unwrap_or_else(|| key.clone());
            let gid = attrs
                .get("gene_id")
                .map(|s| s.to_string())
                .unwrap_or_else(|| key.clone());
            genes.insert(key, (gname, gid));
            continue;
        }
        let Some(parent) = parent else { continue };
        if let Some(kind) = kind {
            let protein_id = attrs
                .get("protein_id")
                .map(|s| s.to_string())
                .or_else(|| id.and_then(|i| i.strip_prefix("CDS:")).map(str::to_string));
            features.push(Feature {
                kind,
                chrom,
                start,
                end,
                phase,
                parents: parent
                    .split(',')
                    .map(|p| strip_prefix_any(p, &["transcript:"]).to_string())
                    .collect(),
                protein_id,
            });
            continue;
        }
        // A transcript line.
        let biotype_attr = [
            "biotype",
            "transcript_biotype",
            "transcript_type",
            "gene_biotype",
        ]
        .iter()
        .find_map(|k| attrs.get(k).copied());
        let biotype = match biotype_attr {
            Some(b) => Biotype::classify(b).or_else(|| Biotype::classify(ftype)),
            None => Biotype::classify(ftype),
        };
        let Some(biotype) = biotype else {
            *stats
                .ignored_biotypes
                .entry(biotype_attr.unwrap_or(ftype).to_string())
                .or_default() += 1;
            continue;
        };
        let (Some(id), Some(strand)) = (id, strand) else {
            continue;
        };
        let raw_id = strip_prefix_any(id, &["transcript:"]).to_string();
        let display_id = attrs
            .get("transcript_id")
            .map(|s| s.to_string())
            .unwrap_or_else(|| raw_id.clone());
        let refseq = attrs
            .get("refseq")
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string())
            .or_else(|| {
                ["NM_", "NR_", "XM_", "XR_"]
                    .iter()
                    .any(|p| display_id.starts_with(p))
                    .then(|| display_id.clone())
            });
        let ensembl = attrs
            .get("ensembl")
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string())
            .or_else(|| display_id.starts_with("ENS").then(|| display_id.clone()));
        let tags: Vec<String> = attrs
            .get("tag")
            .map(|t| t.split(',').map(decode).collect())
            .unwrap_or_default();
        let gene_hint = attrs
            .get("gene_name")
            .or_else(|| attrs.get("gene"))
            .map(|s| decode(s))
            .unwrap_or_default();
        let parent_gene = strip_prefix_any(parent, &["gene:"]).to_string();
        let tx = Transcript {
            id: display_id,
            gene_name: gene_hint,
            gene_id: parent_gene.clone(),
            chrom,
            strand,
            start,
            end,
            biotype,
            exons: vec![],
            cds: vec![],
            utrs: vec![],
            protein_id: None,
            refseq_id: refseq,
            ensembl_id: ensembl,
            tags,
        };
        if tx_index.contains_key(&raw_id) {
            continue;
        }
        tx_index.insert(raw_id.clone(), txs.len());
        txs.push(TxBuild {
            raw_id,
            tx,
            parent_gene,
            explicit_utr: false,
        });
    }

    for f in features {
        for p in &f.parents {
            let Some(&ti) = tx_index.get(p) else { continue };
            let b = &mut txs[ti];
            if b.tx.chrom != f.chrom {
                continue;
            }
            b.tx.start = b.tx.start.min(f.start);
            b.tx.end = b.tx.end.max(f.end);
            match f.kind {
                FeatureKind::Exon => b.tx.exons.push(Interval {
                    start: f.start,
                    end: f.end,
                }),
                FeatureKind::Cds => {
                    b.tx.cds.push(CdsSegment {
                        start: f.start,
                        end: f.end,
                        phase: f.phase,
                    });
                    if b.tx.protein_id.is_none() {
                        b.tx.protein_id = f.protein_id.clone();
                    }
                }
                FeatureKind::Utr5 | FeatureKind::Utr3 => {
                    b.explicit_utr = true;
                    b.tx.utrs.push(UtrSegment {
                        start: f.start,
                        end: f.end,
                        five_prime: f.kind == FeatureKind::Utr5,
                    })
                }
            }
        }
    }

    let mut out = Vec::with_capacity(txs.len());
    for mut b in txs {
        if let Some((gname, gid)) = genes.get(&b.parent_gene) {
            b.tx.gene_name = gname.clone();
            b.tx.gene_id = gid.clone();
        }
        let _ = &b.raw_id;
        b.tx.exons.sort_by_key(|e| e.start);
        b.tx.cds.sort_by_key(|c| c.start);
        b.tx.utrs.sort_by_key(|u| u.start);
        if b.tx.exons.is_empty() && b.tx.cds.is_empty() && b.tx.utrs.is_empty() {
            // A transcript with no children still counts for intron/non-coding calls
            // (bcftools keeps it), but give it one exon spanning it for the models that need one.
            if !b.tx.biotype.coding {
                b.tx.exons.push(Interval {
                    start: b.tx.start,
                    end: b.tx.end,
                });
            }
        }
        // UTRs come only from UTR features, as bcftools reads them; the VEP-style engine
        // derives UTR positions from exons and CDS itself.
        let _ = b.explicit_utr;
        out.push(b.tx);
    }
    Ok((out, stats))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENSEMBL: &str = "\
3\tensembl\tgene\t21\t57085\t.\t-\t.\tID=gene:ENSG1;Name=IL5RA;biotype=protein_coding
3\tensembl\tmRNA\t209\t40452\t.\t-\t.\tID=transcript:ENST1;Parent=gene:ENSG1;biotype=protein_coding;tag=basic,Ensembl_canonical
3\tensembl\texon\t209\t783\t.\t-\t.\tParent=transcript:ENST1
3\tensembl\tCDS\t697\t783\t.\t-\t0\tID=CDS:ENSP1;Parent=transcript:ENST1;protein_id=ENSP1
3\tensembl\tthree_prime_UTR\t209\t696\t.\t-\t.\tParent=transcript:ENST1
3\tensembl\ttranscript\t1\t10\t.\t+\t.\tID=transcript:X;Parent=gene:ENSG1;biotype=TEC
";

    #[test]
    fn links_ensembl_features() {
        let (txs, stats) = parse_gff(ENSEMBL.as_bytes(), "t").unwrap();
        assert_eq!(txs.len(), 1);
        let t = &txs[0];
        assert_eq!(t.id, "ENST1");
        assert_eq!(t.gene_name, "IL5RA");
        assert_eq!(t.protein_id.as_deref(), Some("ENSP1"));
        assert_eq!(t.utrs.len(), 1);
        assert!(t.is_canonical());
        assert_eq!(stats.ignored_biotypes.get("TEC"), Some(&1));
    }

    #[test]
    fn converts_region_seqids_and_reports_bad_lines() {
        let text = "chr7:101-200\tLRG\tmRNA\t5\t50\t.\t+\t.\tID=T;Parent=G;refseq=NM_1.1\nchr7:101-200\tLRG\texon\t5\t50\t.\t+\t.\tParent=T\n";
        let (txs, _) = parse_gff(text.as_bytes(), "t").unwrap();
        assert_eq!((txs[0].chrom.as_str(), txs[0].start), ("chr7", 105));
        assert_eq!(txs[0].hgvs_id(), "NM_1.1");
        let bad = "1\tx\texon\tone\t5\t.\t+\t.\tParent=T\n";
        let e = parse_gff(bad.as_bytes(), "f.gff").unwrap_err().to_string();
        assert!(e.contains("f.gff:1: start"), "{e}");
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(decode("a%2Cb"), "a,b");
        assert_eq!(decode("MANE Select"), "MANE Select");
    }
}
