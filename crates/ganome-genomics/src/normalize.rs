//! VCF-convention normalisation: trim shared bases and left-align indels against the reference
//! (Tan, Abecasis & Kang 2015, the algorithm `vt normalize` and `bcftools norm` implement).
//!
//! Splitting multi-allelic records happens while reading (`vcf.rs` yields one [`Variant`] per
//! ALT); this module then makes each allele parsimonious and left-aligned so that the same event
//! written two ways gets the same coordinates (and the same VRS id). The 3'-shift that HGVS
//! requires is a different convention and lives with the HGVS code.
//!
//! Written by hand because it is a dozen lines over a reference accessor, and the accessor must be
//! our own trait so that the indexed FASTA reader, the transcript database and tests can all serve
//! sequence.

use std::collections::HashMap;

use thiserror::Error;

use crate::variant::Variant;

/// Access to reference genome sequence.
///
/// 参照配列 (reference sequence).
pub trait ReferenceSequence {
    /// Bases of `chrom` from `start` to `end`, 1-based inclusive, in upper or lower case.
    ///
    /// Returns `None` if the chromosome is unknown or the range is empty or out of bounds.
    fn fetch(&self, chrom: &str, start: u64, end: u64) -> Option<Vec<u8>>;
}

/// A reference held in memory: chromosome name → sequence. For tests and small slices.
#[derive(Debug, Clone, Default)]
pub struct InMemoryReference {
    sequences: HashMap<String, Vec<u8>>,
}

impl InMemoryReference {
    /// An empty reference.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a sequence.
    pub fn insert(&mut self, chrom: impl Into<String>, sequence: impl Into<Vec<u8>>) {
        self.sequences.insert(chrom.into(), sequence.into());
    }

    /// Reads every record of a FASTA text (name = first word after `>`).
    pub fn from_fasta_str(text: &str) -> Self {
        let mut reference = Self::new();
        let mut name: Option<String> = None;
        let mut seq = Vec::new();
        for line in text.lines() {
            if let Some(header) = line.strip_prefix('>') {
                if let Some(n) = name.take() {
                    reference.insert(n, std::mem::take(&mut seq));
                }
                name = Some(header.split_whitespace().next().unwrap_or("").to_owned());
            } else {
                seq.extend(line.trim().bytes());
            }
        }
        if let Some(n) = name {
            reference.insert(n, seq);
        }
        reference
    }

    /// The whole sequence of `chrom`.
    pub fn sequence(&self, chrom: &str) -> Option<&[u8]> {
        self.sequences.get(chrom).map(Vec::as_slice)
    }
}

impl ReferenceSequence for InMemoryReference {
    fn fetch(&self, chrom: &str, start: u64, end: u64) -> Option<Vec<u8>> {
        let seq = self.sequences.get(chrom)?;
        if start == 0 || end < start {
            return None;
        }
        let s = usize::try_from(start - 1).ok()?;
        let e = usize::try_from(end).ok()?;
        seq.get(s..e).map(<[u8]>::to_vec)
    }
}

/// Why a variant could not be normalised.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum NormalizeError {
    /// REF does not match the reference sequence at the given position.
    #[error("{chrom}:{pos}: REF {ref_allele} does not match reference {found}")]
    RefMismatch {
        /// Chromosome.
        chrom: String,
        /// 1-based position.
        pos: u64,
        /// REF as given.
        ref_allele: String,
        /// Reference bases found.
        found: String,
    },
    /// The reference has no sequence for the needed position.
    #[error("{chrom}:{pos}: position not in the reference")]
    OutOfReference {
        /// Chromosome.
        chrom: String,
        /// 1-based position.
        pos: u64,
    },
}

/// Alleles and position after normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalizedAlleles {
    /// 1-based position of the first REF base.
    pub pos: u64,
    /// REF.
    pub ref_allele: String,
    /// ALT.
    pub alt_allele: String,
}

/// Trims shared trailing then leading bases, keeping at least one base in each allele (the VCF
/// anchor). Needs no reference, but does not move indels within repeats: see [`left_align`].
pub fn trim(pos: u64, ref_allele: &str, alt_allele: &str) -> NormalizedAlleles {
    let (mut r, mut a) = (ref_allele.as_bytes(), alt_allele.as_bytes());
    while r.len() > 1 && a.len() > 1 && r.last() == a.last() {
        r = &r[..r.len() - 1];
        a = &a[..a.len() - 1];
    }
    let mut pos = pos;
    while r.len() > 1 && a.len() > 1 && r.first() == a.first() {
        r = &r[1..];
        a = &a[1..];
        pos += 1;
    }
    NormalizedAlleles {
        pos,
        ref_allele: String::from_utf8_lossy(r).into_owned(),
        alt_allele: String::from_utf8_lossy(a).into_owned(),
    }
}

/// Trims and left-aligns one allele against the reference (VCF convention: leftmost position,
/// one anchor base before an indel).
///
/// REF is checked against the reference first. Alleles that are not literal sequences are
/// returned unchanged.
pub fn left_align(
    reference: &dyn ReferenceSequence,
    chrom: &str,
    pos: u64,
    ref_allele: &str,
    alt_allele: &str,
) -> Result<NormalizedAlleles, NormalizeError> {
    let upper = |s: &str| s.to_ascii_uppercase().into_bytes();
    let (mut r, mut a) = (upper(ref_allele), upper(alt_allele));
    if !crate::variant::is_literal_allele(alt_allele.to_ascii_uppercase().as_str()) || r == a {
        return Ok(NormalizedAlleles {
            pos,
            ref_allele: ref_allele.to_owned(),
            alt_allele: alt_allele.to_owned(),
        });
    }
    if !r.is_empty() {
        let end = pos + r.len() as u64 - 1;
        let found = reference
            .fetch(chrom, pos, end)
            .map(|s| s.to_ascii_uppercase())
            .ok_or_else(|| NormalizeError::OutOfReference {
                chrom: chrom.to_owned(),
                pos,
            })?;
        if found != r {
            return Err(NormalizeError::RefMismatch {
                chrom: chrom.to_owned(),
                pos,
                ref_allele: ref_allele.to_owned(),
                found: String::from_utf8_lossy(&found).into_owned(),
            });
        }
    }
    let mut pos = pos;
    loop {
        let mut changed = false;
        // At position 1 there is no base to anchor on the left, so keep one base on the right.
        let may_pop = pos > 1 || (r.len() > 1 && a.len() > 1);
        if may_pop && !r.is_empty() && !a.is_empty() && r.last() == a.last() {
            r.pop();
            a.pop();
            changed = true;
        }
        if (r.is_empty() || a.is_empty()) && pos > 1 {
            let base = reference
                .fetch(chrom, pos - 1, pos - 1)
                .and_then(|b| b.first().map(u8::to_ascii_uppercase))
                .ok_or_else(|| NormalizeError::OutOfReference {
                    chrom: chrom.to_owned(),
                    pos: pos - 1,
                })?;
            r.insert(0, base);
            a.insert(0, base);
            pos -= 1;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    while r.len() > 1 && a.len() > 1 && r.first() == a.first() {
        r.remove(0);
        a.remove(0);
        pos += 1;
    }
    Ok(NormalizedAlleles {
        pos,
        ref_allele: String::from_utf8_lossy(&r).into_owned(),
        alt_allele: String::from_utf8_lossy(&a).into_owned(),
    })
}

/// Normalises a [`Variant`] in place: trimmed and left-aligned when a reference is given,
/// trimmed only otherwise. Symbolic alleles are left as they are.
pub fn normalize_variant(
    variant: &mut Variant,
    reference: Option<&dyn ReferenceSequence>,
) -> Result<(), NormalizeError> {
    if variant.is_symbolic() {
        return Ok(());
    }
    let n = match reference {
        Some(r) => left_align(
            r,
            &variant.chrom,
            variant.pos,
            &variant.ref_allele,
            &variant.alt_allele,
        )?,
        None => trim(variant.pos, &variant.ref_allele, &variant.alt_allele),
    };
    variant.pos = n.pos;
    variant.ref_allele = n.ref_allele;
    variant.alt_allele = n.alt_allele;
    Ok(())
}

/// Normalises every variant in place (see [`normalize_variant`]). Variants that cannot be
/// normalised are left as they are and reported with their index, so one bad REF does not stop
/// an ingest; callers decide whether that is fatal.
pub fn normalize_all(
    variants: &mut [Variant],
    reference: Option<&dyn ReferenceSequence>,
) -> Vec<(usize, NormalizeError)> {
    variants
        .iter_mut()
        .enumerate()
        .filter_map(|(i, v)| normalize_variant(v, reference).err().map(|e| (i, e)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // A slice of GRCh38 chr7 around BRAF exon 15 would do as well; this is the worked example
    // from Tan et al. 2015 (Fig. 1): reference GGGCACACACAGGG, a CA deletion inside the repeat.
    fn tan_reference() -> InMemoryReference {
        let mut r = InMemoryReference::new();
        r.insert("1", b"GGGCACACACAGGG".to_vec());
        r
    }

    #[test]
    fn deletion_in_repeat_moves_left() {
        let r = tan_reference();
        // Deleting "CA" at 8..9 (right end of the repeat) written with anchor at 7.
        let n = left_align(&r, "1", 7, "ACA", "A").expect("ok");
        assert_eq!(
            n,
            NormalizedAlleles {
                pos: 3,
                ref_allele: "GCA".into(),
                alt_allele: "G".into()
            }
        );
        // The same event written right-shifted without shared prefix.
        let n2 = left_align(&r, "1", 8, "CAC", "C").expect("ok");
        assert_eq!(n2, n);
    }

    #[test]
    fn insertion_in_repeat_moves_left() {
        let r = tan_reference();
        let n = left_align(&r, "1", 11, "A", "ACA").expect("ok");
        assert_eq!(
            (n.pos, n.ref_allele.as_str(), n.alt_allele.as_str()),
            (3, "G", "GCA")
        );
    }

    #[test]
    fn snv_and_mnv_are_trimmed() {
        let r = tan_reference();
        let n = left_align(&r, "1", 4, "CAC", "CTC").expect("ok");
        assert_eq!(
            (n.pos, n.ref_allele.as_str(), n.alt_allele.as_str()),
            (5, "A", "T")
        );
        assert_eq!(trim(4, "CAC", "CTC").pos, 5);
        // Split multi-allelic leftovers: REF AC, ALT ACT.
        let t = trim(100, "AC", "ACT");
        assert_eq!(
            (t.pos, t.ref_allele.as_str(), t.alt_allele.as_str()),
            (101, "C", "CT")
        );
    }

    #[test]
    fn ref_mismatch_and_out_of_range_are_errors() {
        let r = tan_reference();
        assert!(matches!(
            left_align(&r, "1", 1, "T", "A"),
            Err(NormalizeError::RefMismatch { .. })
        ));
        assert!(matches!(
            left_align(&r, "2", 1, "G", "A"),
            Err(NormalizeError::OutOfReference { .. })
        ));
        assert!(matches!(
            left_align(&r, "1", 14, "GA", "G"),
            Err(NormalizeError::OutOfReference { .. })
        ));
    }

    #[test]
    fn normalize_all_reports_failures_by_index() {
        let r = tan_reference();
        let v = |pos: u64, r: &str, a: &str| Variant {
            chrom: "1".into(),
            pos,
            ref_allele: r.into(),
            alt_allele: a.into(),
            id: None,
            filter: crate::variant::FilterStatus::Pass,
            tumor: None,
            normal: None,
            allele_index: 1,
            line: 1,
            annotations: Vec::new(),
        };
        let mut vs = vec![v(8, "CAC", "C"), v(1, "T", "A"), v(5, "A", "<DEL>")];
        let errors = normalize_all(&mut vs, Some(&r));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 1);
        assert_eq!((vs[0].pos, vs[0].ref_allele.as_str()), (3, "GCA"));
        assert_eq!(vs[2].alt_allele, "<DEL>");
    }

    #[test]
    fn deletion_at_sequence_start_keeps_going_right_anchor() {
        let mut r = InMemoryReference::new();
        r.insert("c", b"AAAT".to_vec());
        // Deleting one A of the leading homopolymer: cannot anchor before position 1.
        let n = left_align(&r, "c", 2, "AA", "A").expect("ok");
        assert_eq!(
            (n.pos, n.ref_allele.as_str(), n.alt_allele.as_str()),
            (1, "AA", "A")
        );
    }
}
