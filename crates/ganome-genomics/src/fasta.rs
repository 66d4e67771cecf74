//! FASTA reading for transcript-database builds.
//!
//! Written by hand because the needs are small and specific: whole files are read once at
//! `txdb build` time, and a record named like a region (`chr7:55014032-55258620`, as the
//! LRG-derived genomic slices are) is placed at its chromosome offset, so annotation in
//! chromosome coordinates works on slices. No index (`.fai`) is needed.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

/// Errors while reading FASTA.
#[derive(Debug, thiserror::Error)]
pub enum FastaError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// File path.
        path: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// Sequence data before the first `>` header.
    #[error("{path}:{line}: sequence data before the first '>' header")]
    NoHeader {
        /// File path.
        path: String,
        /// 1-based line number.
        line: usize,
    },
    /// Two records map to the same chromosome with overlapping ranges.
    #[error("{path}: record {name} overlaps an earlier record of {chrom}")]
    Overlap {
        /// File path.
        path: String,
        /// Record name.
        name: String,
        /// Chromosome.
        chrom: String,
    },
}

/// One stretch of a chromosome's sequence.
#[derive(Debug, Clone)]
pub struct SeqSegment {
    /// 0-based chromosome position of the first base.
    pub offset: u64,
    /// Upper-case bases.
    pub seq: Vec<u8>,
}

/// The sequences of a FASTA file, grouped by chromosome.
#[derive(Debug, Clone, Default)]
pub struct Genome {
    chroms: HashMap<String, Vec<SeqSegment>>,
}

/// Splits a record name `chr7:55014032-55258620` into (`chr7`, 0-based offset 55014031).
///
/// Returns `None` for plain names.
pub fn parse_region_name(name: &str) -> Option<(&str, u64)> {
    let (chrom, range) = name.rsplit_once(':')?;
    let (start, end) = range.split_once('-')?;
    let start: u64 = start.replace(',', "").parse().ok()?;
    let end: u64 = end.replace(',', "").parse().ok()?;
    if chrom.is_empty() || start == 0 || end < start {
        return None;
    }
    Some((chrom, start - 1))
}

impl Genome {
    /// Reads a FASTA file (plain or gzip-compressed).
    pub fn read(path: &Path) -> Result<Self, FastaError> {
        let p = path.display().to_string();
        let io = |source| FastaError::Io {
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
        let mut genome = Genome::default();
        let mut current: Option<(String, Vec<u8>)> = None;
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(io)?;
            if let Some(header) = line.strip_prefix('>') {
                if let Some((name, seq)) = current.take() {
                    genome.insert(&p, &name, seq)?;
                }
                let name = header.split_whitespace().next().unwrap_or("").to_string();
                current = Some((name, Vec::new()));
            } else if let Some((_, seq)) = current.as_mut() {
                seq.extend(line.trim_end().bytes().map(|b| b.to_ascii_uppercase()));
            } else if !line.trim().is_empty() {
                return Err(FastaError::NoHeader {
                    path: p,
                    line: i + 1,
                });
            }
        }
        if let Some((name, seq)) = current.take() {
            genome.insert(&p, &name, seq)?;
        }
        Ok(genome)
    }

    /// Adds a record; region-named records are placed at their chromosome offset.
    pub fn insert(&mut self, path: &str, name: &str, seq: Vec<u8>) -> Result<(), FastaError> {
        let (chrom, offset) = parse_region_name(name).unwrap_or((name, 0));
        let segs = self.chroms.entry(chrom.to_string()).or_default();
        let end = offset + seq.len() as u64;
        if segs
            .iter()
            .any(|s| offset < s.offset + s.seq.len() as u64 && s.offset < end)
        {
            return Err(FastaError::Overlap {
                path: path.to_string(),
                name: name.to_string(),
                chrom: chrom.to_string(),
            });
        }
        segs.push(SeqSegment { offset, seq });
        segs.sort_by_key(|s| s.offset);
        Ok(())
    }

    /// Chromosome names.
    pub fn chrom_names(&self) -> impl Iterator<Item = &str> {
        self.chroms.keys().map(String::as_str)
    }

    /// The segments of one chromosome, sorted by offset.
    pub fn segments(&self, chrom: &str) -> Option<&[SeqSegment]> {
        self.chroms.get(chrom).map(Vec::as_slice)
    }

    /// Bases `[start, end)` (0-based) of `chrom`, with `N` where the FASTA has no sequence.
    pub fn fetch(&self, chrom: &str, start: u64, end: u64) -> Vec<u8> {
        let mut out = vec![b'N'; end.saturating_sub(start) as usize];
        if let Some(segs) = self.chroms.get(chrom) {
            for s in segs {
                let s_end = s.offset + s.seq.len() as u64;
                let lo = start.max(s.offset);
                let hi = end.min(s_end);
                if lo < hi {
                    out[(lo - start) as usize..(hi - start) as usize].copy_from_slice(
                        &s.seq[(lo - s.offset) as usize..(hi - s.offset) as usize],
                    );
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_parsed() {
        assert_eq!(
            parse_region_name("chr7:55014032-55258620"),
            Some(("chr7", 55014031))
        );
        assert_eq!(parse_region_name("chr7"), None);
        assert_eq!(parse_region_name("x:5-1"), None);
    }

    #[test]
    fn fetch_pads_with_n() {
        let mut g = Genome::default();
        g.insert("t", "c:11-14", b"ACGT".to_vec()).unwrap();
        assert_eq!(g.fetch("c", 8, 16), b"NNACGTNN");
        assert!(g.insert("t", "c:12-12", b"A".to_vec()).is_err());
    }
}
