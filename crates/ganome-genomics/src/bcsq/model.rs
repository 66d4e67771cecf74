//! Transcripts as bcftools csq sees them: 0-based coordinates, CDS trimmed to whole codons,
//! and per-chromosome interval indexes over CDS, UTR, exon (±8 bp) and transcript spans.

use crate::transcript::{Strand, Transcript};

/// Bases of context kept on each side of a transcript's reference sequence.
pub(crate) const N_REF_PAD: u32 = 10;
/// Splice donor/acceptor length in the intron.
pub(crate) const N_SPLICE_DONOR: u32 = 2;
/// Splice region length in the intron.
pub(crate) const N_SPLICE_REGION_INTRON: u32 = 8;

/// A CDS segment after codon trimming (0-based start, length, offset in the spliced CDS).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BCds {
    pub beg: u32,
    pub len: u32,
    pub pos: u32,
    pub icds: u32,
}

/// One transcript prepared for haplotype-aware calling.
#[derive(Debug, Clone)]
pub(crate) struct BTx {
    /// Index in the transcript database.
    pub db_index: usize,
    pub beg: u32,
    pub end: u32,
    pub fwd: bool,
    pub coding: bool,
    pub nmd: bool,
    /// Number of CDS features as read (before any were dropped).
    pub ncds_raw: usize,
    /// CDS after trimming; empty if the phases were inconsistent.
    pub cds: Vec<BCds>,
    pub trim5: bool,
    pub trim3: bool,
}

impl BTx {
    /// Builds the bcftools view of a transcript; `Err` carries a warning when the CDS phases
    /// are inconsistent (the CDS are then left out, as bcftools --force does).
    pub fn new(db_index: usize, t: &Transcript) -> (Self, Option<String>) {
        let mut b = BTx {
            db_index,
            beg: t.start - 1,
            end: t.end - 1,
            fwd: t.strand == Strand::Forward,
            coding: t.biotype.coding,
            nmd: t.biotype.is_nmd(),
            ncds_raw: t.cds.len(),
            cds: Vec::new(),
            trim5: false,
            trim3: false,
        };
        if t.cds.is_empty() {
            return (b, None);
        }
        // (beg, len, phase: 3 = unknown)
        let mut cds: Vec<(u32, u32, u8)> = t
            .cds
            .iter()
            .map(|c| (c.start - 1, c.end + 1 - c.start, c.phase.unwrap_or(3)))
            .collect();
        let n = cds.len();
        let mut ok = true;
        if b.fwd {
            if cds[0].2 != 3 {
                let ph = u32::from(cds[0].2);
                if ph != 0 {
                    b.trim5 = true;
                }
                cds[0].0 += ph;
                cds[0].1 = cds[0].1.saturating_sub(ph);
                cds[0].2 = 0;
            }
            let mut len = 0u32;
            for c in &cds {
                if c.2 == 3 {
                    len += c.1;
                    continue;
                }
                let ph = if c.2 != 0 { 3 - u32::from(c.2) } else { 0 };
                if ph != len % 3 {
                    ok = false;
                    break;
                }
                len += c.1;
            }
        } else {
            if cds[n - 1].2 != 3 {
                let mut i = n as isize - 1;
                let mut ph = u32::from(cds[n - 1].2);
                if ph != 0 {
                    b.trim5 = true;
                }
                while i >= 0 && ph > cds[i as usize].1 {
                    ph -= cds[i as usize].1;
                    cds[i as usize].2 = 0;
                    cds[i as usize].1 = 0;
                    i -= 1;
                }
                if i >= 0 {
                    let c = &mut cds[i as usize];
                    c.1 = c.1.saturating_sub(u32::from(c.2));
                    c.2 = 0;
                }
            }
            let mut len = 0u32;
            for c in cds.iter().rev() {
                if c.2 == 3 {
                    len += c.1;
                    continue;
                }
                let ph = if c.2 != 0 { 3 - u32::from(c.2) } else { 0 };
                if ph != len % 3 {
                    ok = false;
                    break;
                }
                len += c.1;
            }
        }
        if !ok {
            return (
                b,
                Some(format!(
                    "transcript {}: CDS phases disagree with CDS lengths; its CDS is not used",
                    t.id
                )),
            );
        }
        let mut len: u32 = cds.iter().map(|c| c.1).sum();
        if !len.is_multiple_of(3) {
            b.trim3 = true;
            if b.fwd {
                let mut i = n as isize - 1;
                while i >= 0 && !len.is_multiple_of(3) {
                    let c = &mut cds[i as usize];
                    let d = c.1.min(len % 3);
                    c.1 -= d;
                    len -= d;
                    i -= 1;
                }
            } else {
                let mut i = 0;
                while i < n && !len.is_multiple_of(3) {
                    let c = &mut cds[i];
                    let d = c.1.min(len % 3);
                    c.1 -= d;
                    c.0 += d;
                    len -= d;
                    i += 1;
                }
            }
        }
        let mut pos = 0;
        for (i, c) in cds.iter().enumerate() {
            b.cds.push(BCds {
                beg: c.0,
                len: c.1,
                pos,
                icds: i as u32,
            });
            pos += c.1;
        }
        (b, None)
    }
}

/// A sorted interval list answering overlap queries by binary search.
#[derive(Debug, Clone, Default)]
pub(crate) struct IntervalIndex<T> {
    items: Vec<(u32, u32, T)>,
    max_len: u32,
}

impl<T: Copy> IntervalIndex<T> {
    /// Builds from (begin, end inclusive, payload).
    pub fn new(mut items: Vec<(u32, u32, T)>) -> Self {
        items.sort_by_key(|&(b, e, _)| (b, e));
        let max_len = items.iter().map(|&(b, e, _)| e - b + 1).max().unwrap_or(0);
        IntervalIndex { items, max_len }
    }

    /// Payloads of intervals overlapping `[beg, end]` (inclusive), in start order.
    pub fn overlap(&self, beg: u32, end: u32) -> impl Iterator<Item = &(u32, u32, T)> {
        let lo_start = beg.saturating_sub(self.max_len);
        let lo = self.items.partition_point(|&(b, _, _)| b < lo_start);
        let hi = self.items.partition_point(|&(b, _, _)| b <= end);
        self.items[lo..hi]
            .iter()
            .filter(move |&&(b, e, _)| b <= end && e >= beg)
    }

    /// True if any interval overlaps.
    #[cfg(test)]
    pub fn any(&self, beg: u32, end: u32) -> bool {
        self.overlap(beg, end).next().is_some()
    }
}

/// UTR payload: transcript slot and which end.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct UtrHit {
    pub tx: usize,
    pub five_prime: bool,
}

/// Per-chromosome indexes; `tx` payloads are slots in `ChromModel::txs`.
#[derive(Debug, Default)]
pub(crate) struct ChromModel {
    pub txs: Vec<BTx>,
    /// payload: (tx slot, cds index)
    pub cds: IntervalIndex<(usize, usize)>,
    pub utr: IntervalIndex<UtrHit>,
    /// exon ±8; payload: (tx slot, exon beg, exon end)
    pub exon: IntervalIndex<(usize, u32, u32)>,
    pub tscript: IntervalIndex<usize>,
    pub warnings: Vec<String>,
}

impl ChromModel {
    /// Builds the indexes for the given database transcripts.
    pub fn build(txs: &[(usize, &Transcript)]) -> Self {
        let mut m = ChromModel::default();
        let (mut cds, mut utr, mut exon, mut ts) = (vec![], vec![], vec![], vec![]);
        for &(db_index, t) in txs {
            let (b, warn) = BTx::new(db_index, t);
            if let Some(w) = warn {
                m.warnings.push(w);
            }
            let slot = m.txs.len();
            ts.push((b.beg, b.end, slot));
            if b.coding {
                for (ci, c) in b.cds.iter().enumerate() {
                    if c.len > 0 {
                        cds.push((c.beg, c.beg + c.len - 1, (slot, ci)));
                    }
                }
            }
            for u in &t.utrs {
                utr.push((
                    u.start - 1,
                    u.end - 1,
                    UtrHit {
                        tx: slot,
                        five_prime: u.five_prime,
                    },
                ));
            }
            for e in &t.exons {
                let (eb, ee) = (e.start - 1, e.end - 1);
                exon.push((
                    eb.saturating_sub(N_SPLICE_REGION_INTRON),
                    ee + N_SPLICE_REGION_INTRON,
                    (slot, eb, ee),
                ));
            }
            m.txs.push(b);
        }
        m.cds = IntervalIndex::new(cds);
        m.utr = IntervalIndex::new(utr);
        m.exon = IntervalIndex::new(exon);
        m.tscript = IntervalIndex::new(ts);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_index_finds_overlaps() {
        let idx = IntervalIndex::new(vec![(10, 20, 1), (15, 100, 2), (200, 210, 3)]);
        let hits: Vec<i32> = idx.overlap(21, 30).map(|x| x.2).collect();
        assert_eq!(hits, vec![2]);
        assert!(idx.any(210, 300));
        assert!(!idx.any(101, 199));
    }
}
