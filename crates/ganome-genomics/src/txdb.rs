//! The transcript database: transcripts, an interval index and the reference sequence they
//! need, in one versioned file that loads in milliseconds.
//!
//! File layout: the 8-byte magic `GNMTXDB\0`, a little-endian `u32` format version, then the
//! [`TranscriptDb`] encoded with postcard. Sequence is kept for each transcript's span plus
//! [`SEQ_FLANK`] bases each side (overlapping spans merged), so consequences, splice checks and
//! HGVS 3' shifting never need the genome FASTA again.

mod cdot;

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::fasta::{FastaError, Genome};
use crate::gff::{GffError, read_gff};
use crate::transcript::Transcript;

pub use cdot::read_cdot;

/// File magic.
pub const MAGIC: &[u8; 8] = b"GNMTXDB\0";
/// Current format version; files of another version are rejected.
pub const FORMAT_VERSION: u32 = 1;
/// Bases of genomic sequence kept beyond each transcript end.
pub const SEQ_FLANK: u32 = 200;

/// Errors building, reading or writing a transcript database.
#[derive(Debug, thiserror::Error)]
pub enum TxdbError {
    /// GFF3 problem.
    #[error(transparent)]
    Gff(#[from] GffError),
    /// FASTA problem.
    #[error(transparent)]
    Fasta(#[from] FastaError),
    /// File I/O.
    #[error("{path}: {source}")]
    Io {
        /// File path.
        path: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// Not a transcript database file.
    #[error("{path}: not a ganome transcript database (bad magic)")]
    BadMagic {
        /// File path.
        path: String,
    },
    /// Written by another format version.
    #[error(
        "{path}: transcript database format version {found}, this build reads version {expected}; rebuild it with `ganome txdb build`"
    )]
    Version {
        /// File path.
        path: String,
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// Encoding or decoding failed.
    #[error("{path}: corrupt transcript database: {message}")]
    Corrupt {
        /// File path.
        path: String,
        /// Decoder message.
        message: String,
    },
    /// cdot JSON problem.
    #[error("{path}: {message}")]
    Cdot {
        /// File path.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// No transcripts came out of the inputs.
    #[error("no usable transcripts in {0}")]
    Empty(String),
}

/// Where a database came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxdbInfo {
    /// Input files (names only) and their kind.
    pub sources: Vec<String>,
    /// Engine that built it (`ganome-genomics x.y.z`).
    pub built_by: String,
    /// Warnings raised while building (skipped transcripts, missing sequence).
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct SeqBlock {
    /// 0-based chromosome offset of `seq[0]`.
    start: u64,
    seq: Vec<u8>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ChromEntry {
    name: String,
    /// Transcript indexes sorted by start.
    by_start: Vec<u32>,
    max_span: u32,
    blocks: Vec<SeqBlock>,
}

/// A transcript database.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TranscriptDb {
    info: TxdbInfo,
    transcripts: Vec<Transcript>,
    chroms: Vec<ChromEntry>,
    #[serde(skip)]
    chrom_index: HashMap<String, usize>,
}

impl TranscriptDb {
    /// Builds from a GFF3 and a genome FASTA (whole chromosomes or `chrN:start-end` slices).
    pub fn from_gff_fasta(gff: &Path, fasta: &Path) -> Result<Self, TxdbError> {
        let (txs, stats) = read_gff(gff)?;
        let genome = Genome::read(fasta)?;
        let mut db = Self::from_transcripts(txs, &genome)?;
        db.info.sources = vec![
            format!("gff3:{}", file_name(gff)),
            format!("fasta:{}", file_name(fasta)),
        ];
        let mut ignored: Vec<_> = stats.ignored_biotypes.into_iter().collect();
        ignored.sort();
        for (b, n) in ignored {
            db.info.warnings.push(format!(
                "ignored {n} transcript(s) of unsupported biotype {b}"
            ));
        }
        Ok(db)
    }

    /// Builds from cdot JSON and the transcripts' cDNA FASTA (exonic sequence only).
    pub fn from_cdot(
        json: &Path,
        transcript_fasta: &Path,
        build: Option<&str>,
    ) -> Result<Self, TxdbError> {
        let (txs, genome) = read_cdot(json, transcript_fasta, build)?;
        let mut db = Self::from_transcripts(txs, &genome)?;
        db.info.sources = vec![
            format!("cdot:{}", file_name(json)),
            format!("transcript-fasta:{}", file_name(transcript_fasta)),
        ];
        Ok(db)
    }

    /// Builds from transcripts and the genome they sit on.
    pub fn from_transcripts(txs: Vec<Transcript>, genome: &Genome) -> Result<Self, TxdbError> {
        let mut db = TranscriptDb {
            info: TxdbInfo {
                built_by: format!("ganome-genomics {}", env!("CARGO_PKG_VERSION")),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut by_chrom: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, t) in txs.iter().enumerate() {
            by_chrom.entry(t.chrom.clone()).or_default().push(i as u32);
        }
        let mut names: Vec<String> = by_chrom.keys().cloned().collect();
        names.sort();
        for name in names {
            let mut idx = by_chrom.remove(&name).unwrap_or_default();
            idx.sort_by_key(|&i| (txs[i as usize].start, txs[i as usize].end));
            let max_span = idx
                .iter()
                .map(|&i| txs[i as usize].end - txs[i as usize].start + 1)
                .max()
                .unwrap_or(0);
            // merged spans ± flank
            let mut spans: Vec<(u64, u64)> = Vec::new();
            for &i in &idx {
                let t = &txs[i as usize];
                let s = u64::from(t.start.saturating_sub(1 + SEQ_FLANK));
                let e = u64::from(t.end + SEQ_FLANK);
                match spans.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => spans.push((s, e)),
                }
            }
            let fasta_name = resolve_in(genome.chrom_names(), &name);
            if fasta_name.is_none() {
                db.info
                    .warnings
                    .push(format!("no sequence for {name} in the FASTA"));
            }
            let blocks = match fasta_name {
                Some(f) => spans
                    .into_iter()
                    .map(|(s, e)| SeqBlock {
                        start: s,
                        seq: genome.fetch(&f, s, e),
                    })
                    .collect(),
                None => Vec::new(),
            };
            db.chroms.push(ChromEntry {
                name,
                by_start: idx,
                max_span,
                blocks,
            });
        }
        db.transcripts = txs;
        if db.transcripts.is_empty() {
            return Err(TxdbError::Empty("the inputs".into()));
        }
        db.reindex();
        Ok(db)
    }

    fn reindex(&mut self) {
        self.chrom_index = self
            .chroms
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), i))
            .collect();
    }

    /// Provenance and build warnings.
    pub fn info(&self) -> &TxdbInfo {
        &self.info
    }

    /// All transcripts.
    pub fn transcripts(&self) -> &[Transcript] {
        &self.transcripts
    }

    /// Chromosome names.
    pub fn chrom_names(&self) -> impl Iterator<Item = &str> {
        self.chroms.iter().map(|c| c.name.as_str())
    }

    /// The database's name for a chromosome, accepting `chr`-prefixed or bare names.
    pub fn resolve_chrom(&self, name: &str) -> Option<&str> {
        if let Some(&i) = self.chrom_index.get(name) {
            return Some(&self.chroms[i].name);
        }
        let alt = match name.strip_prefix("chr") {
            Some(s) => s.to_string(),
            None => format!("chr{name}"),
        };
        self.chrom_index
            .get(&alt)
            .map(|&i| self.chroms[i].name.as_str())
    }

    /// Transcripts on a chromosome (database name), sorted by start, with their indexes.
    pub fn transcripts_on(&self, chrom: &str) -> Vec<(usize, &Transcript)> {
        match self.chrom_index.get(chrom) {
            Some(&c) => self.chroms[c]
                .by_start
                .iter()
                .map(|&i| (i as usize, &self.transcripts[i as usize]))
                .collect(),
            None => Vec::new(),
        }
    }

    /// Transcripts overlapping `[start, end]` (1-based inclusive) on a chromosome.
    pub fn overlapping(&self, chrom: &str, start: u32, end: u32) -> Vec<(usize, &Transcript)> {
        let Some(chrom) = self.resolve_chrom(chrom) else {
            return Vec::new();
        };
        let Some(&c) = self.chrom_index.get(chrom) else {
            return Vec::new();
        };
        let entry = &self.chroms[c];
        let lo_start = start.saturating_sub(entry.max_span);
        let lo = entry
            .by_start
            .partition_point(|&i| self.transcripts[i as usize].start < lo_start);
        let hi = entry
            .by_start
            .partition_point(|&i| self.transcripts[i as usize].start <= end);
        entry.by_start[lo..hi]
            .iter()
            .map(|&i| (i as usize, &self.transcripts[i as usize]))
            .filter(|(_, t)| t.end >= start && t.start <= end)
            .collect()
    }

    /// Reference bases `[start, end)` (0-based) of a chromosome, `N` where not stored.
    pub fn fetch(&self, chrom: &str, start: u64, end: u64) -> Vec<u8> {
        let mut out = vec![b'N'; end.saturating_sub(start) as usize];
        let Some(chrom) = self.resolve_chrom(chrom) else {
            return out;
        };
        let Some(&c) = self.chrom_index.get(chrom) else {
            return out;
        };
        let blocks = &self.chroms[c].blocks;
        let first = blocks
            .partition_point(|b| b.start + b.seq.len() as u64 <= start)
            .min(blocks.len());
        for b in &blocks[first..] {
            if b.start >= end {
                break;
            }
            let lo = start.max(b.start);
            let hi = end.min(b.start + b.seq.len() as u64);
            if lo < hi {
                out[(lo - start) as usize..(hi - start) as usize]
                    .copy_from_slice(&b.seq[(lo - b.start) as usize..(hi - b.start) as usize]);
            }
        }
        out
    }

    /// The transcript to report for a gene among `candidates` (database indexes):
    /// MANE Select first, then canonical, then the longest CDS, then the lowest id.
    pub fn pick_reported(&self, candidates: &[usize]) -> Option<usize> {
        candidates.iter().copied().min_by_key(|&i| {
            let t = &self.transcripts[i];
            let cds_len: u32 = t.cds.iter().map(|c| c.end + 1 - c.start).sum();
            (
                !t.is_mane_select(),
                !t.is_canonical(),
                std::cmp::Reverse(cds_len),
                t.id.clone(),
            )
        })
    }

    /// Looks a transcript up by id (exact, or ignoring the version).
    pub fn find(&self, id: &str) -> Option<&Transcript> {
        let base = |s: &str| s.split('.').next().unwrap_or(s).to_string();
        self.transcripts
            .iter()
            .find(|t| t.id == id || t.refseq_id.as_deref() == Some(id))
            .or_else(|| {
                let b = base(id);
                self.transcripts.iter().find(|t| {
                    base(&t.id) == b || t.refseq_id.as_deref().map(base) == Some(b.clone())
                })
            })
    }

    /// Encodes to bytes (magic, version, body).
    pub fn to_bytes(&self) -> Result<Vec<u8>, TxdbError> {
        let mut out = Vec::with_capacity(1 << 16);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        let body = postcard::to_allocvec(self).map_err(|e| TxdbError::Corrupt {
            path: "<memory>".into(),
            message: e.to_string(),
        })?;
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Decodes bytes written by [`TranscriptDb::to_bytes`]; `path` is for messages.
    pub fn from_bytes(bytes: &[u8], path: &str) -> Result<Self, TxdbError> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(TxdbError::BadMagic { path: path.into() });
        }
        let mut v = [0u8; 4];
        v.copy_from_slice(&bytes[8..12]);
        let found = u32::from_le_bytes(v);
        if found != FORMAT_VERSION {
            return Err(TxdbError::Version {
                path: path.into(),
                found,
                expected: FORMAT_VERSION,
            });
        }
        let mut db: TranscriptDb =
            postcard::from_bytes(&bytes[12..]).map_err(|e| TxdbError::Corrupt {
                path: path.into(),
                message: e.to_string(),
            })?;
        db.reindex();
        Ok(db)
    }

    /// Writes the database file.
    pub fn write(&self, path: &Path) -> Result<(), TxdbError> {
        let bytes = self.to_bytes()?;
        std::fs::write(path, bytes).map_err(|source| TxdbError::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Reads a database file.
    pub fn read(path: &Path) -> Result<Self, TxdbError> {
        let p = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| TxdbError::Io {
            path: p.clone(),
            source,
        })?;
        Self::from_bytes(&bytes, &p)
    }

    /// Bases of sequence stored.
    pub fn stored_bases(&self) -> u64 {
        self.chroms
            .iter()
            .flat_map(|c| c.blocks.iter())
            .map(|b| b.seq.len() as u64)
            .sum()
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn resolve_in<'a>(mut names: impl Iterator<Item = &'a str>, want: &str) -> Option<String> {
    let alt = match want.strip_prefix("chr") {
        Some(s) => s.to_string(),
        None => format!("chr{want}"),
    };
    let all: Vec<&str> = names.by_ref().collect();
    all.iter()
        .find(|&&n| n == want)
        .or_else(|| all.iter().find(|&&n| n == alt))
        .map(|s| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gff::parse_gff;

    fn small() -> TranscriptDb {
        let gff = "c\tx\tgene\t3\t12\t.\t+\t.\tID=gene:G;Name=GENE\nc\tx\tmRNA\t3\t12\t.\t+\t.\tID=transcript:T;Parent=gene:G;biotype=protein_coding;tag=MANE_Select\nc\tx\texon\t3\t12\t.\t+\t.\tParent=transcript:T\nc\tx\tCDS\t3\t11\t.\t+\t0\tParent=transcript:T\n";
        let (txs, _) = parse_gff(gff.as_bytes(), "t").unwrap();
        let mut g = Genome::default();
        g.insert("t", "c", b"NNATGAAATAGNN".to_vec()).unwrap();
        TranscriptDb::from_transcripts(txs, &g).unwrap()
    }

    #[test]
    fn round_trips_and_rejects_other_versions() {
        let db = small();
        let bytes = db.to_bytes().unwrap();
        let back = TranscriptDb::from_bytes(&bytes, "x").unwrap();
        assert_eq!(back.transcripts().len(), 1);
        assert_eq!(back.fetch("chrc", 2, 5), b"ATG");
        let mut bad = bytes.clone();
        bad[8] = 9;
        let e = TranscriptDb::from_bytes(&bad, "x").unwrap_err().to_string();
        assert!(e.contains("version 9"), "{e}");
        assert!(matches!(
            TranscriptDb::from_bytes(b"nope", "x"),
            Err(TxdbError::BadMagic { .. })
        ));
    }

    #[test]
    fn overlap_and_pick() {
        let db = small();
        assert_eq!(db.overlapping("c", 12, 20).len(), 1);
        assert!(db.overlapping("c", 13, 20).is_empty());
        assert_eq!(db.pick_reported(&[0]), Some(0));
        assert!(db.find("T").is_some());
    }
}
