//! One reference sequence with its transcripts, loaded from `DIR/<accession>.gff3`
//! + `DIR/<accession>.fasta` (mutalyzer's test layout) or `DIR/<accession>` (an LRG XML record).
//!
//! Why here and not in `gff`/`fasta`/`transcript`: the crate-wide GFF3, FASTA and
//! transcript modules are written concurrently and aim at whole genomes; HGVS
//! normalisation needs only "one accession, its sequence and its transcripts in that
//! sequence's coordinates", including RefSeq mRNA references (no exon features),
//! Ensembl slices (GFF3 in chromosome coordinates, FASTA header naming the slice)
//! and LRG XML. The few lines of parsing below can later delegate to those modules.

use std::{
    fs,
    path::{Path, PathBuf},
};

use thiserror::Error;

/// Errors while loading a reference.
#[derive(Debug, Error)]
pub enum ReferenceError {
    /// No file for this accession in the reference directory.
    #[error("reference {accession} not found in {dir}")]
    NotFound {
        /// The accession looked up.
        accession: String,
        /// The directory searched.
        dir: PathBuf,
    },
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A GFF3 line was malformed.
    #[error("{path}:{line}: {message}")]
    Gff {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What was wrong.
        message: String,
    },
    /// The FASTA or LRG record had no usable sequence.
    #[error("{path}: {message}")]
    Sequence {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
}

/// A transcript placed on a reference sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceTranscript {
    /// Transcript accession (`NM_003002.2`, `ENST00000375549.8`, `t1`).
    pub id: String,
    /// Protein accession of the CDS (`NP_002993.1`), when coding.
    pub protein_id: Option<String>,
    /// Gene symbol.
    pub gene: Option<String>,
    /// HGNC identifier number (`10683`), when given.
    pub hgnc: Option<String>,
    /// Whether the transcript is on the forward strand of the reference.
    pub forward: bool,
    /// Exons, 0-based half-open, ascending on the reference.
    pub exons: Vec<(usize, usize)>,
    /// CDS span (0-based half-open on the reference), when coding.
    pub cds: Option<(usize, usize)>,
}

/// A reference sequence and the transcripts annotated on it.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Versioned accession as named by the sequence file.
    pub accession: String,
    /// Upper-case bases.
    pub sequence: Vec<u8>,
    /// Whether the reference is itself a transcript (RefSeq NM_/NR_ records).
    pub is_transcript: bool,
    /// Transcripts in file order.
    pub transcripts: Vec<ReferenceTranscript>,
}

impl Reference {
    /// Loads `accession` from `dir`.
    pub fn load(dir: &Path, accession: &str) -> Result<Self, ReferenceError> {
        let gff = dir.join(format!("{accession}.gff3"));
        let fasta = dir.join(format!("{accession}.fasta"));
        if gff.is_file() && fasta.is_file() {
            let fasta_text = read(&fasta)?;
            let gff_text = read(&gff)?;
            return Self::from_gff3_fasta(&gff, &gff_text, &fasta, &fasta_text);
        }
        let lrg = dir.join(accession);
        if accession.starts_with("LRG_") && lrg.is_file() {
            return Self::from_lrg(&lrg, &read(&lrg)?, accession);
        }
        Err(ReferenceError::NotFound {
            accession: accession.to_owned(),
            dir: dir.to_path_buf(),
        })
    }

    /// Builds a reference from GFF3 and FASTA text.
    pub fn from_gff3_fasta(
        gff_path: &Path,
        gff: &str,
        fasta_path: &Path,
        fasta: &str,
    ) -> Result<Self, ReferenceError> {
        let mut lines = fasta.lines();
        let header = lines
            .next()
            .and_then(|h| h.strip_prefix('>'))
            .ok_or_else(|| ReferenceError::Sequence {
                path: fasta_path.to_path_buf(),
                message: "no FASTA header".to_owned(),
            })?;
        let accession = header.split_whitespace().next().unwrap_or("").to_owned();
        let sequence: Vec<u8> = lines
            .flat_map(|l| l.trim().bytes())
            .map(|b| b.to_ascii_uppercase())
            .collect();
        if sequence.is_empty() {
            return Err(ReferenceError::Sequence {
                path: fasta_path.to_path_buf(),
                message: "empty sequence".to_owned(),
            });
        }
        // Ensembl slices: `chromosome:GRCh38:11:112086873:112095794:1`.
        let slice = header.split_whitespace().nth(1).and_then(|s| {
            let f: Vec<&str> = s.split(':').collect();
            if f.len() == 6 {
                Some((
                    f[3].parse::<usize>().ok()?,
                    f[4].parse::<usize>().ok()?,
                    f[5] == "1",
                ))
            } else {
                None
            }
        });
        let mut gff_model = parse_gff3(gff_path, gff)?;
        let len = sequence.len();
        // Translate slice coordinates (1-based inclusive, chromosome) to 0-based half-open.
        let to_local = |start: usize, end: usize| -> Option<(usize, usize)> {
            match slice {
                None => Some((start.checked_sub(1)?, end)),
                Some((s, e, true)) => {
                    Some((start.checked_sub(s)?, end.checked_sub(s)? + 1)).filter(|_| end <= e)
                }
                Some((s, e, false)) => {
                    Some((e.checked_sub(end)?, e.checked_sub(start)? + 1)).filter(|_| start >= s)
                }
            }
        };
        let flip = matches!(slice, Some((_, _, false)));
        let mut transcripts = Vec::new();
        for t in gff_model.transcripts.drain(..) {
            let mut exons: Vec<(usize, usize)> = t
                .exons
                .iter()
                .filter_map(|&(s, e)| to_local(s, e))
                .collect();
            let cds: Vec<(usize, usize)> =
                t.cds.iter().filter_map(|&(s, e)| to_local(s, e)).collect();
            if exons.is_empty() || exons.iter().any(|&(_, e)| e > len) {
                continue;
            }
            exons.sort_unstable();
            let cds = if cds.is_empty() {
                None
            } else {
                let lo = cds.iter().map(|c| c.0).min().unwrap_or(0);
                let hi = cds.iter().map(|c| c.1).max().unwrap_or(0);
                Some((lo, hi))
            };
            transcripts.push(ReferenceTranscript {
                id: t.id,
                protein_id: t.protein_id,
                gene: t.gene,
                hgnc: t.hgnc,
                forward: t.forward != flip,
                exons,
                cds,
            });
        }
        let is_transcript =
            gff_model.rna_molecule || accession.starts_with("NM_") || accession.starts_with("NR_");
        if is_transcript {
            // The record is itself the transcript: one exon covering it all.
            let cds = gff_model
                .loose_cds
                .iter()
                .filter_map(|&(s, e)| to_local(s, e))
                .fold(None, |acc: Option<(usize, usize)>, (s, e)| {
                    Some(acc.map_or((s, e), |(a, b)| (a.min(s), b.max(e))))
                })
                .or_else(|| transcripts.iter().find_map(|t| t.cds));
            let protein_id = gff_model
                .loose_protein
                .clone()
                .or_else(|| transcripts.iter().find_map(|t| t.protein_id.clone()));
            transcripts = vec![ReferenceTranscript {
                id: accession.clone(),
                protein_id,
                gene: gff_model.first_gene.clone(),
                hgnc: None,
                forward: true,
                exons: vec![(0, len)],
                cds,
            }];
        }
        Ok(Self {
            accession,
            sequence,
            is_transcript,
            transcripts,
        })
    }

    /// Builds a reference from an LRG XML record (fixed annotation only).
    pub fn from_lrg(path: &Path, xml: &str, accession: &str) -> Result<Self, ReferenceError> {
        let fixed = section(xml, "<fixed_annotation>", "</fixed_annotation>").unwrap_or(xml);
        let sequence: Vec<u8> = section(fixed, "<sequence>", "</sequence>")
            .map(|s| s.trim().bytes().map(|b| b.to_ascii_uppercase()).collect())
            .unwrap_or_default();
        if sequence.is_empty() {
            return Err(ReferenceError::Sequence {
                path: path.to_path_buf(),
                message: "no <sequence> in the fixed annotation".to_owned(),
            });
        }
        let coord_tag = format!("coord_system=\"{accession}\"");
        let mut transcripts = Vec::new();
        let mut rest = fixed;
        while let Some(at) = rest.find("<transcript name=\"") {
            let after = &rest[at + 18..];
            let name = after.split('"').next().unwrap_or("").to_owned();
            let end = after.find("</transcript>").unwrap_or(after.len());
            let body = &after[..end];
            let mut exons = Vec::new();
            for piece in body.split("<exon ").skip(1) {
                if let Some(c) = coordinates(piece, &coord_tag) {
                    exons.push(c);
                }
            }
            let coding = section(body, "<coding_region>", "</coding_region>");
            let cds = coding.and_then(|s| coordinates(s, &coord_tag));
            // LRG proteins are named `p1` inside the record (`LRG_303p1`).
            let protein_id = coding
                .and_then(|s| s.split("<translation name=\"").nth(1))
                .and_then(|s| s.split('"').next())
                .map(str::to_owned);
            exons.sort_unstable();
            if !exons.is_empty() {
                transcripts.push(ReferenceTranscript {
                    id: name,
                    protein_id,
                    gene: None,
                    hgnc: None,
                    forward: true,
                    exons,
                    cds,
                });
            }
            rest = &after[end..];
        }
        Ok(Self {
            accession: accession.to_owned(),
            sequence,
            is_transcript: false,
            transcripts,
        })
    }

    /// Finds the transcript a selector names: a transcript accession (with or
    /// without version), a legacy `GENE_v001` name, a gene symbol or an HGNC number.
    pub fn transcript(&self, selector: &str) -> Option<&ReferenceTranscript> {
        let unversioned = |s: &str| s.split('.').next().unwrap_or("").to_owned();
        if let Some(t) = self.transcripts.iter().find(|t| t.id == selector) {
            return Some(t);
        }
        if !selector.contains('.')
            && let Some(t) = self
                .transcripts
                .iter()
                .find(|t| unversioned(&t.id) == selector)
        {
            return Some(t);
        }
        let gene = selector
            .rsplit_once("_v")
            .filter(|(_, n)| n.chars().all(|c| c.is_ascii_digit()))
            .map_or(selector, |(g, _)| g);
        let coding_first = |f: &dyn Fn(&ReferenceTranscript) -> bool| {
            self.transcripts
                .iter()
                .filter(|t| f(t))
                .find(|t| t.cds.is_some())
                .or_else(|| self.transcripts.iter().find(|t| f(t)))
        };
        coding_first(&|t| t.gene.as_deref() == Some(gene))
            .or_else(|| coding_first(&|t| t.hgnc.as_deref() == Some(selector)))
    }

    /// The transcript used when no selector is given: the only transcript of a
    /// transcript reference, otherwise the first coding transcript.
    pub fn default_transcript(&self) -> Option<&ReferenceTranscript> {
        self.transcripts
            .iter()
            .find(|t| t.cds.is_some())
            .or_else(|| self.transcripts.first())
    }
}

fn read(path: &Path) -> Result<String, ReferenceError> {
    fs::read_to_string(path).map_err(|source| ReferenceError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn section<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    tag[start..].split('"').next()
}

/// The first `<coordinates coord_system="ACC" start= end=>` in `text`, 0-based half-open.
fn coordinates(text: &str, coord_tag: &str) -> Option<(usize, usize)> {
    for piece in text.split("<coordinates ").skip(1) {
        let tag = piece.split('>').next()?;
        if tag.contains(coord_tag) {
            let s: usize = attr(tag, "start")?.parse().ok()?;
            let e: usize = attr(tag, "end")?.parse().ok()?;
            return Some((s.checked_sub(1)?, e));
        }
    }
    None
}

struct GffTranscript {
    key: String,
    id: String,
    parent: Option<String>,
    protein_id: Option<String>,
    gene: Option<String>,
    hgnc: Option<String>,
    forward: bool,
    exons: Vec<(usize, usize)>,
    cds: Vec<(usize, usize)>,
}

/// An exon or CDS line: parent id, is-CDS, span, protein id.
type GffChild = (String, bool, (usize, usize), Option<String>);

struct GffModel {
    transcripts: Vec<GffTranscript>,
    rna_molecule: bool,
    first_gene: Option<String>,
    loose_cds: Vec<(usize, usize)>,
    loose_protein: Option<String>,
}

fn unescape(s: &str) -> String {
    s.replace("%2C", ",")
        .replace("%3B", ";")
        .replace("%3D", "=")
}

fn parse_gff3(path: &Path, text: &str) -> Result<GffModel, ReferenceError> {
    let mut transcripts: Vec<GffTranscript> = Vec::new();
    let mut genes: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    let mut rna_molecule = false;
    let mut loose_cds = Vec::new();
    let mut loose_protein = None;
    let mut children: Vec<GffChild> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let err = |message: &str| ReferenceError::Gff {
            path: path.to_path_buf(),
            line: n + 1,
            message: message.to_owned(),
        };
        if f.len() < 9 {
            return Err(err("expected 9 tab-separated columns"));
        }
        let start: usize = f[3]
            .parse()
            .map_err(|_| err("column 4 (start) is not a number"))?;
        let end: usize = f[4]
            .parse()
            .map_err(|_| err("column 5 (end) is not a number"))?;
        if start == 0 || end < start {
            return Err(err("start must be >= 1 and <= end"));
        }
        let attrs: Vec<(&str, String)> = f[8]
            .split(';')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k, unescape(v)))
            .collect();
        let get = |k: &str| {
            attrs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.clone())
        };
        let forward = f[6] != "-";
        match f[2] {
            "region" if get("mol_type").is_some_and(|m| m.contains("RNA")) => {
                rna_molecule = true;
            }
            "gene" | "ncRNA_gene" | "pseudogene" => {
                let hgnc = get("Dbxref").and_then(|d| {
                    d.split(',').find_map(|x| {
                        x.strip_prefix("HGNC:")
                            .map(|h| h.trim_start_matches("HGNC:").to_owned())
                    })
                });
                let name = get("Name").or_else(|| get("gene"));
                if let Some(id) = get("ID") {
                    genes.push((id, name, hgnc));
                }
            }
            "mRNA"
            | "transcript"
            | "lnc_RNA"
            | "ncRNA"
            | "lncRNA"
            | "primary_transcript"
            | "nonsense_mediated_decay"
            | "processed_transcript"
            | "snRNA"
            | "miRNA" => {
                let Some(key) = get("ID") else { continue };
                let mut id = get("transcript_id")
                    .or_else(|| get("Name"))
                    .unwrap_or_else(|| key.clone());
                if !id.contains('.')
                    && let Some(v) = get("version")
                {
                    id = format!("{id}.{v}");
                }
                transcripts.push(GffTranscript {
                    key,
                    id,
                    parent: get("Parent"),
                    protein_id: None,
                    gene: get("gene"),
                    hgnc: None,
                    forward,
                    exons: Vec::new(),
                    cds: Vec::new(),
                });
            }
            "exon" | "CDS" => {
                let is_cds = f[2] == "CDS";
                if is_cds && loose_protein.is_none() {
                    loose_protein = get("protein_id");
                }
                if is_cds {
                    loose_cds.push((start, end));
                }
                if let Some(parent) = get("Parent") {
                    for p in parent.split(',') {
                        children.push((
                            p.to_owned(),
                            is_cds,
                            (start, end),
                            if is_cds { get("protein_id") } else { None },
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    for (parent, is_cds, span, protein) in children {
        if let Some(t) = transcripts.iter_mut().find(|t| t.key == parent) {
            if is_cds {
                t.cds.push(span);
                if t.protein_id.is_none() {
                    t.protein_id = protein;
                }
            } else {
                t.exons.push(span);
            }
        }
    }
    for t in &mut transcripts {
        if let Some((_, name, hgnc)) = genes
            .iter()
            .find(|(id, _, _)| Some(id) == t.parent.as_ref())
        {
            if t.gene.is_none() {
                t.gene = name.clone();
            }
            t.hgnc = hgnc.clone();
        }
    }
    Ok(GffModel {
        first_gene: genes.first().and_then(|g| g.1.clone()),
        transcripts,
        rna_molecule,
        loose_cds,
        loose_protein,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GFF: &str = "##gff-version 3\n\
X\tRefSeq\tgene\t2\t19\t.\t-\t.\tID=gene-G;Name=G;Dbxref=HGNC:HGNC:42\n\
X\tRefSeq\tmRNA\t2\t19\t.\t-\t.\tID=rna-NM_1.1;Parent=gene-G;transcript_id=NM_1.1\n\
X\tRefSeq\texon\t2\t6\t.\t-\t.\tParent=rna-NM_1.1\n\
X\tRefSeq\texon\t12\t19\t.\t-\t.\tParent=rna-NM_1.1\n\
X\tRefSeq\tCDS\t4\t6\t.\t-\t0\tParent=rna-NM_1.1;protein_id=NP_1.1\n\
X\tRefSeq\tCDS\t12\t17\t.\t-\t0\tParent=rna-NM_1.1;protein_id=NP_1.1\n";

    #[test]
    fn loads_transcripts_in_zero_based_coordinates() {
        let r = Reference::from_gff3_fasta(
            Path::new("t.gff3"),
            GFF,
            Path::new("t.fasta"),
            ">NG_1.1 test\nACGTACGTACGT\nACGTACGTAC\n",
        )
        .unwrap();
        assert_eq!(r.accession, "NG_1.1");
        assert_eq!(r.sequence.len(), 22);
        let t = r.transcript("G_v001").unwrap();
        assert_eq!(t.id, "NM_1.1");
        assert!(!t.forward);
        assert_eq!(t.exons, vec![(1, 6), (11, 19)]);
        assert_eq!(t.cds, Some((3, 17)));
        assert_eq!(t.protein_id.as_deref(), Some("NP_1.1"));
        assert_eq!(r.transcript("42").map(|t| t.id.as_str()), Some("NM_1.1"));
        assert_eq!(r.transcript("NM_1").map(|t| t.id.as_str()), Some("NM_1.1"));
    }

    #[test]
    fn reports_the_bad_line() {
        let bad = "X\tRefSeq\texon\tone\t6\t.\t-\t.\tParent=x\n";
        let e = Reference::from_gff3_fasta(Path::new("b.gff3"), bad, Path::new("f"), ">A\nAC\n")
            .unwrap_err();
        assert!(e.to_string().contains("b.gff3:1"), "{e}");
    }
}
