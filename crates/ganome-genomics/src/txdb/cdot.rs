//! Transcripts from cdot JSON plus a transcript (cDNA) FASTA.
//!
//! cdot (github.com/SACGF/cdot) gives genomic exon alignments per transcript and build. With
//! no genome at hand, each exon's genomic bases are taken from the transcript sequence, so
//! exonic consequences and HGVS work; intronic positions read as `N`. Also accepted: a JSON
//! array of per-transcript records (`id`, `gene`, `contig_chrom`, `strand`, `exons` as
//! `[g_start, g_end, tx_start, tx_end]` 1-based, `cds_start`/`cds_end` in transcript
//! coordinates), as in the KRAS fixtures derived from Ensembl Tark.

use std::path::Path;

use serde_json::Value;

use super::TxdbError;
use crate::codon::revcomp;
use crate::fasta::Genome;
use crate::transcript::{Biotype, CdsSegment, Interval, Strand, Transcript};

/// `NC_000007.14` → `chr7` (GRCh37/38 primary assembly accessions); other names unchanged.
pub fn refseq_contig_to_chrom(contig: &str) -> String {
    if let Some(rest) = contig.strip_prefix("NC_0000")
        && let Some(num) = rest.split('.').next().and_then(|n| n.parse::<u32>().ok())
    {
        return match num {
            23 => "chrX".into(),
            24 => "chrY".into(),
            n if (1..=22).contains(&n) => format!("chr{n}"),
            _ => contig.into(),
        };
    }
    if contig.starts_with("NC_012920") {
        return "chrM".into();
    }
    contig.into()
}

struct Raw {
    id: String,
    gene: String,
    chrom: String,
    strand: Strand,
    biotype: String,
    /// (genomic start 1-based, genomic end, tx start 1-based, tx end)
    exons: Vec<(u32, u32, u32, u32)>,
    /// CDS in transcript coordinates (1-based inclusive), if coding.
    cds_tx: Option<(u32, u32)>,
    protein: Option<String>,
    tags: Vec<String>,
}

fn num(v: &Value) -> Option<u32> {
    v.as_u64().and_then(|x| u32::try_from(x).ok())
}

fn path_err(path: &Path, message: impl Into<String>) -> TxdbError {
    TxdbError::Cdot {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Reads cdot JSON and a transcript FASTA into transcripts and their exonic genome.
pub fn read_cdot(
    json: &Path,
    tx_fasta: &Path,
    build: Option<&str>,
) -> Result<(Vec<Transcript>, Genome), TxdbError> {
    let text = std::fs::read_to_string(json).map_err(|source| TxdbError::Io {
        path: json.display().to_string(),
        source,
    })?;
    let v: Value = serde_json::from_str(&text).map_err(|e| path_err(json, e.to_string()))?;
    let mut raws = Vec::new();
    if let Some(map) = v.get("transcripts").and_then(Value::as_object) {
        for (id, t) in map {
            let builds = t.get("genome_builds").and_then(Value::as_object);
            let Some(builds) = builds else { continue };
            let b = match build {
                Some(b) => builds.get(b),
                None => builds.get("GRCh38").or_else(|| builds.values().next()),
            };
            let Some(b) = b else { continue };
            let strand = match b.get("strand").and_then(Value::as_str) {
                Some("-") => Strand::Reverse,
                _ => Strand::Forward,
            };
            let mut exons = Vec::new();
            for e in b
                .get("exons")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let a = e.as_array().cloned().unwrap_or_default();
                if a.len() < 5 {
                    return Err(path_err(
                        json,
                        format!("{id}: exon with fewer than 5 fields"),
                    ));
                }
                let (Some(gs), Some(ge), Some(ts), Some(te)) =
                    (num(&a[0]), num(&a[1]), num(&a[3]), num(&a[4]))
                else {
                    return Err(path_err(json, format!("{id}: non-numeric exon field")));
                };
                exons.push((gs + 1, ge, ts, te));
            }
            let cds_g = match (
                b.get("cds_start").and_then(num),
                b.get("cds_end").and_then(num),
            ) {
                (Some(s), Some(e)) => Some((s + 1, e)),
                _ => None,
            };
            let mut r = Raw {
                id: id.clone(),
                gene: t
                    .get("gene_name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                chrom: refseq_contig_to_chrom(
                    b.get("contig").and_then(Value::as_str).unwrap_or(""),
                ),
                strand,
                biotype: "protein_coding".into(),
                exons,
                cds_tx: None,
                protein: t.get("protein").and_then(Value::as_str).map(str::to_string),
                tags: b
                    .get("tag")
                    .and_then(Value::as_str)
                    .map(|s| s.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
            };
            if cds_g.is_none() {
                r.biotype = "lncRNA".into();
            }
            r.cds_tx = cds_g.and_then(|(s, e)| genomic_cds_to_tx(&r, s, e));
            raws.push(r);
        }
    } else if let Some(arr) = v.as_array() {
        for t in arr {
            let id = t
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if let Some(b) = build
                && t.get("assembly").and_then(Value::as_str) != Some(b)
            {
                continue;
            }
            let mut exons = Vec::new();
            for e in t
                .get("exons")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let a = e.as_array().cloned().unwrap_or_default();
                let f: Vec<u32> = a.iter().filter_map(num).collect();
                if f.len() < 4 {
                    return Err(path_err(json, format!("{id}: exon needs 4 numbers")));
                }
                exons.push((f[0].min(f[1]), f[0].max(f[1]), f[2], f[3]));
            }
            raws.push(Raw {
                gene: t
                    .get("gene")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                chrom: t
                    .get("contig_chrom")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                strand: if t.get("strand").and_then(Value::as_str) == Some("-") {
                    Strand::Reverse
                } else {
                    Strand::Forward
                },
                biotype: t
                    .get("biotype")
                    .and_then(Value::as_str)
                    .unwrap_or("protein_coding")
                    .to_string(),
                exons,
                cds_tx: match (
                    t.get("cds_start").and_then(num),
                    t.get("cds_end").and_then(num),
                ) {
                    (Some(s), Some(e)) => Some((s, e)),
                    _ => None,
                },
                protein: None,
                tags: Vec::new(),
                id,
            });
        }
    } else {
        return Err(path_err(
            json,
            "neither a cdot object nor a transcript array",
        ));
    }

    let cdna = Genome::read(tx_fasta)?;
    let mut genome = Genome::default();
    let mut placed: std::collections::HashSet<(String, u32)> = Default::default();
    let mut out = Vec::new();
    for r in raws {
        let Some(seg) = cdna
            .segments(&r.id)
            .and_then(|s| s.first())
            .map(|s| s.seq.clone())
        else {
            continue;
        };
        let mut t = Transcript {
            id: r.id.clone(),
            gene_name: r.gene.clone(),
            gene_id: r.gene.clone(),
            chrom: r.chrom.clone(),
            strand: r.strand,
            start: r.exons.iter().map(|e| e.0).min().unwrap_or(1),
            end: r.exons.iter().map(|e| e.1).max().unwrap_or(1),
            biotype: Biotype::classify(&r.biotype).unwrap_or_else(Biotype::protein_coding),
            exons: r
                .exons
                .iter()
                .map(|e| Interval {
                    start: e.0,
                    end: e.1,
                })
                .collect(),
            cds: vec![],
            utrs: vec![],
            protein_id: r.protein.clone(),
            refseq_id: ["NM_", "NR_", "XM_", "XR_"]
                .iter()
                .any(|p| r.id.starts_with(p))
                .then(|| r.id.clone()),
            ensembl_id: r.id.starts_with("ENS").then(|| r.id.clone()),
            tags: r.tags.clone(),
        };
        t.exons.sort_by_key(|e| e.start);
        if let Some((cs, ce)) = r.cds_tx {
            let (Some(a), Some(b)) = (t.tx_to_genomic(cs), t.tx_to_genomic(ce)) else {
                continue;
            };
            let (lo, hi) = (a.min(b), a.max(b));
            let mut segs: Vec<CdsSegment> = t
                .exons
                .iter()
                .filter(|e| e.end >= lo && e.start <= hi)
                .map(|e| CdsSegment {
                    start: e.start.max(lo),
                    end: e.end.min(hi),
                    phase: None,
                })
                .collect();
            // phases in transcript order
            let mut acc = 0u32;
            let order: Vec<usize> = if t.strand == Strand::Forward {
                (0..segs.len()).collect()
            } else {
                (0..segs.len()).rev().collect()
            };
            for i in order {
                segs[i].phase = Some(((3 - acc % 3) % 3) as u8);
                acc += segs[i].end + 1 - segs[i].start;
            }
            t.cds = segs;
        }
        t.derive_utrs();
        // place exon sequence
        let mut ok = true;
        for e in &r.exons {
            let (ts, te) = (e.2 as usize, e.3 as usize);
            if ts == 0 || te > seg.len() || te < ts || te + 1 - ts != (e.1 + 1 - e.0) as usize {
                ok = false;
                break;
            }
            let piece = &seg[ts - 1..te];
            let bases = match r.strand {
                Strand::Forward => piece.to_vec(),
                Strand::Reverse => revcomp(piece),
            };
            if placed.insert((r.chrom.clone(), e.0)) {
                let name = format!("{}:{}-{}", r.chrom, e.0, e.1);
                // overlapping exons of other transcripts are the same genome: skip those
                let _ = genome.insert("cdot", &name, bases);
            }
        }
        if ok {
            out.push(t);
        }
    }
    if out.is_empty() {
        return Err(TxdbError::Empty(json.display().to_string()));
    }
    Ok((out, genome))
}

fn genomic_cds_to_tx(r: &Raw, gs: u32, ge: u32) -> Option<(u32, u32)> {
    let to_tx = |g: u32| {
        r.exons
            .iter()
            .find(|e| g >= e.0 && g <= e.1)
            .map(|e| match r.strand {
                Strand::Forward => e.2 + (g - e.0),
                Strand::Reverse => e.2 + (e.1 - g),
            })
    };
    let (a, b) = (to_tx(gs)?, to_tx(ge)?);
    Some((a.min(b), a.max(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_refseq_contigs() {
        assert_eq!(refseq_contig_to_chrom("NC_000017.11"), "chr17");
        assert_eq!(refseq_contig_to_chrom("NC_000023.11"), "chrX");
        assert_eq!(refseq_contig_to_chrom("chr5"), "chr5");
    }
}
