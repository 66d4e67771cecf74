//! Coordinate mapping between a reference sequence and a transcript placed on it:
//! reference index (0-based, forward strand) ↔ `n.` position (1-based along the
//! transcript, with intronic offsets) ↔ `c.` position (relative to the CDS, `-`/`*`).
//!
//! Positions outside the transcript continue the numbering (`c.-120`, `c.*834`)
//! as mutalyzer does; an intronic base is numbered from the nearest exon, the middle
//! base of an odd-length intron from the upstream exon (`+`).

use super::{
    model::{Offset, Position},
    reference::ReferenceTranscript,
};

impl ReferenceTranscript {
    /// Transcript-order exons with the number of transcript bases before each.
    pub fn ordered_exons(&self) -> Vec<(usize, usize, i64)> {
        let mut ordered: Vec<(usize, usize)> = self.exons.clone();
        if !self.forward {
            ordered.reverse();
        }
        let mut cum = 0i64;
        ordered
            .into_iter()
            .map(|(a, b)| {
                let r = (a, b, cum);
                cum += (b - a) as i64;
                r
            })
            .collect()
    }

    /// `n.` positions of the first and last CDS bases.
    pub fn cds_span_n(&self) -> Option<(i64, i64)> {
        let (lo, hi) = self.cds?;
        let (first, last) = if self.forward {
            (lo, hi.checked_sub(1)?)
        } else {
            (hi.checked_sub(1)?, lo)
        };
        let (a, _) = self.n_of_index(first);
        let (b, _) = self.n_of_index(last);
        Some((a, b))
    }

    /// Transcript position (1-based, may be < 1 or > length) and offset of a reference index.
    pub fn n_of_index(&self, x: usize) -> (i64, i64) {
        let exons = self.ordered_exons();
        let total: i64 = exons.iter().map(|e| (e.1 - e.0) as i64).sum();
        let x = x as i64;
        let along = |a: usize, b: usize| -> i64 {
            if self.forward {
                x - a as i64
            } else {
                b as i64 - 1 - x
            }
        };
        for &(a, b, cum) in &exons {
            if x >= a as i64 && x < b as i64 {
                return (cum + along(a, b) + 1, 0);
            }
        }
        let (Some(first), Some(last)) = (exons.first(), exons.last()) else {
            return (x + 1, 0);
        };
        // Upstream of the transcript.
        let up = if self.forward {
            first.0 as i64 - x
        } else {
            x - (first.1 as i64 - 1)
        };
        if up > 0 {
            return (1 - up, 0);
        }
        let down = if self.forward {
            x - (last.1 as i64 - 1)
        } else {
            last.0 as i64 - x
        };
        if down > 0 {
            return (total + down, 0);
        }
        // Intronic: nearest exon boundary, ties to the upstream exon (`+`).
        for w in exons.windows(2) {
            let (a1, b1, c1) = w[0];
            let (a2, b2, c2) = w[1];
            let (d1, d2) = if self.forward {
                (x - (b1 as i64 - 1), a2 as i64 - x)
            } else {
                (a1 as i64 - x, x - (b2 as i64 - 1))
            };
            if d1 > 0 && d2 > 0 {
                return if d1 <= d2 {
                    (c1 + (b1 - a1) as i64, d1)
                } else {
                    (c2 + 1, -d2)
                };
            }
        }
        (x + 1, 0)
    }

    /// Reference index of a transcript position.
    pub fn index_of_n(&self, n: i64) -> Option<i64> {
        let exons = self.ordered_exons();
        let total: i64 = exons.iter().map(|e| (e.1 - e.0) as i64).sum();
        let (first, last) = (exons.first()?, exons.last()?);
        if n < 1 {
            let d = 1i64.checked_sub(n)?;
            return if self.forward {
                (first.0 as i64).checked_sub(d)
            } else {
                (first.1 as i64 - 1).checked_add(d)
            };
        }
        if n > total {
            let d = n - total;
            return if self.forward {
                (last.1 as i64 - 1).checked_add(d)
            } else {
                (last.0 as i64).checked_sub(d)
            };
        }
        for &(a, b, cum) in &exons {
            let len = (b - a) as i64;
            if n > cum && n <= cum + len {
                let k = n - cum - 1;
                return Some(if self.forward {
                    a as i64 + k
                } else {
                    b as i64 - 1 - k
                });
            }
        }
        None
    }

    /// The `c.` (when `coding` and the transcript has a CDS) or `n.` position of a reference index.
    pub fn position_of_index(&self, x: usize, coding: bool) -> Position {
        let (n, off) = self.n_of_index(x);
        let offset = if off == 0 {
            Offset::None
        } else {
            Offset::Known(off)
        };
        if coding && let Some((cs, ce)) = self.cds_span_n() {
            let (base, after) = if n < cs {
                (n - cs, false)
            } else if n > ce {
                (n - ce, true)
            } else {
                (n - cs + 1, false)
            };
            return Position {
                base: Some(base),
                after_cds_end: after,
                offset,
            };
        }
        // Outside a non-coding transcript mutalyzer counts from its first or last
        // base (`n.1-20`, `n.616+3443`) rather than continuing the numbering.
        let total: i64 = self.exons.iter().map(|&(a, b)| (b - a) as i64).sum();
        if off == 0 && n < 1 {
            return Position {
                base: Some(1),
                after_cds_end: false,
                offset: Offset::Known(n - 1),
            };
        }
        if off == 0 && n > total {
            return Position {
                base: Some(total),
                after_cds_end: false,
                offset: Offset::Known(n - total),
            };
        }
        Position {
            base: Some(n),
            after_cds_end: false,
            offset,
        }
    }

    /// The reference index of a `c.` (when `coding`) or `n.` position; `None` for `?`
    /// positions, unknown offsets or a `c.` position on a non-coding transcript.
    /// The index may fall outside the reference; callers check.
    pub fn index_of_position(&self, p: &Position, coding: bool) -> Option<i64> {
        let base = p.base?;
        let offset = match p.offset {
            Offset::None => 0,
            Offset::Known(o) => o,
            Offset::Unknown { .. } => return None,
        };
        let n = if coding {
            let (cs, ce) = self.cds_span_n()?;
            if p.after_cds_end {
                ce.checked_add(base)?
            } else if base < 0 {
                cs.checked_add(base)?
            } else {
                cs.checked_add(base)? - 1
            }
        } else {
            base
        };
        let i = self.index_of_n(n)?;
        if self.forward {
            i.checked_add(offset)
        } else {
            i.checked_sub(offset)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minus() -> ReferenceTranscript {
        // Exons 10..20 and 30..40 on the reverse strand, CDS 15..35.
        ReferenceTranscript {
            id: "T".to_owned(),
            protein_id: None,
            gene: None,
            hgnc: None,
            forward: false,
            exons: vec![(10, 20), (30, 40)],
            cds: Some((15, 35)),
        }
    }

    #[test]
    fn round_trips_on_the_reverse_strand() {
        let t = minus();
        // Transcript starts at index 39 (n.1); CDS starts at index 34 (n.6 = c.1).
        assert_eq!(t.n_of_index(39), (1, 0));
        assert_eq!(t.position_of_index(34, true).to_string(), "1");
        assert_eq!(t.position_of_index(36, true).to_string(), "-2");
        // Intron 20..30: index 29 is 1 base into the intron after exon 1 (n.10).
        assert_eq!(t.position_of_index(29, true).to_string(), "5+1");
        assert_eq!(t.position_of_index(20, true).to_string(), "6-1");
        assert_eq!(t.position_of_index(15, true).to_string(), "10");
        assert_eq!(t.position_of_index(14, true).to_string(), "*1");
        for x in 5..45 {
            let p = t.position_of_index(x, true);
            assert_eq!(t.index_of_position(&p, true), Some(x as i64), "{p}");
        }
    }
}
