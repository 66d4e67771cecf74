//! GA4GH VRS **2.0** computed identifiers (`ga4gh:VA.…`) for alleles.
//!
//! Implements, for `Allele` on a `SequenceLocation` with a `LiteralSequenceExpression` or
//! `ReferenceLengthExpression` state:
//!
//! - `sha512t24u`: base64url of the first 24 bytes of SHA-512;
//! - refget sequence accessions (`SQ.` + sha512t24u of the upper-case sequence);
//! - the VRS 2.0 fully-justified allele normalisation (trim, roll left and right over the region of
//!   ambiguity, reference-derived states as `ReferenceLengthExpression`), from the specification's
//!   "Normalization" conventions page;
//! - digest serialisation: only the class's `ga4gh.keys` are kept (Allele: `location`, `state`,
//!   `type`; SequenceLocation: `end`, `sequenceReference`, `start`, `type`; SequenceReference:
//!   `refgetAccession`, `type`; LiteralSequenceExpression: `sequence`, `type`;
//!   ReferenceLengthExpression: `length`, `repeatSubunitLength`, `type`), keys sorted, no
//!   whitespace, and the nested location replaced by its digest.
//!
//! VRS 1.x identifiers (`VSL.`, `sequence_id`, `interval`) are *not* produced: they differ for the
//! same allele. No Rust crate implements VRS, and the objects involved are small, so the
//! serialisation is written out here; the specification's test vectors pin it down.
//!
//! ```
//! use ganome_genomics::vrs::{AlleleState, VrsAllele};
//! // NC_000019.10:g.44908822C>T (APOE rs7412), the VRS 2.0 worked example.
//! let allele = VrsAllele {
//!     refget_accession: "SQ.IIB53T8CNeJJdUqzn9V_JnRtQadwWCbl".into(),
//!     start: 44908821,
//!     end: 44908822,
//!     state: AlleleState::LiteralSequenceExpression { sequence: "T".into() },
//! };
//! assert_eq!(allele.id(), "ga4gh:VA.0AePZIWZUNsUlQTamyLrjm2HWUw2opLt");
//! ```

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha512};
use thiserror::Error;

use crate::{
    normalize::{InMemoryReference, ReferenceSequence},
    variant::Variant,
};

/// The VRS version these identifiers follow.
pub const VRS_VERSION: &str = "2.0";

/// `sha512t24u`: SHA-512, truncated to 24 bytes, base64url without padding (32 characters).
pub fn sha512t24u(blob: &[u8]) -> String {
    let digest = Sha512::digest(blob);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..24])
}

/// The refget accession (`SQ.…`) of a sequence: sha512t24u of its upper-case residues.
pub fn refget_accession(sequence: &[u8]) -> String {
    let upper: Vec<u8> = sequence.iter().map(u8::to_ascii_uppercase).collect();
    format!("SQ.{}", sha512t24u(&upper))
}

/// The state of an allele.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum AlleleState {
    /// The literal replacement sequence.
    LiteralSequenceExpression {
        /// Replacement residues.
        sequence: String,
    },
    /// A sequence derived from the reference: `length` residues made by repeating the
    /// `repeatSubunitLength`-long unit at the start of the location.
    ReferenceLengthExpression {
        /// Length of the resulting sequence.
        length: u64,
        /// Length of the repeating unit.
        #[serde(rename = "repeatSubunitLength")]
        repeat_subunit_length: u64,
        /// The resulting sequence (decorative: not part of the digest).
        sequence: String,
    },
}

/// A VRS 2.0 Allele on a reference sequence, in inter-residue (0-based, half-open) coordinates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VrsAllele {
    /// Refget accession of the reference sequence (`SQ.…`).
    pub refget_accession: String,
    /// Inter-residue start.
    pub start: u64,
    /// Inter-residue end.
    pub end: u64,
    /// The state.
    pub state: AlleleState,
}

/// Why an allele could not be given a VRS identifier.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum VrsError {
    /// The accession is not a refget `SQ.` accession.
    #[error("{0:?} is not a refget accession (SQ.<32 base64url characters>)")]
    Accession(String),
    /// An allele is not a literal nucleotide sequence.
    #[error("allele {0:?} is not a nucleotide sequence")]
    Allele(String),
    /// REF does not match the reference.
    #[error("{chrom}:{pos}: REF {expected} does not match reference {found}")]
    RefMismatch {
        /// Chromosome.
        chrom: String,
        /// 1-based position.
        pos: u64,
        /// REF given.
        expected: String,
        /// Reference found.
        found: String,
    },
    /// The reference has no sequence at the needed position.
    #[error("{chrom}:{pos}: position not in the reference")]
    OutOfReference {
        /// Chromosome.
        chrom: String,
        /// 1-based position.
        pos: u64,
    },
}

fn check_accession(acc: &str) -> Result<(), VrsError> {
    let ok = acc.strip_prefix("SQ.").is_some_and(|d| {
        d.len() == 32
            && d.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    if ok {
        Ok(())
    } else {
        Err(VrsError::Accession(acc.to_owned()))
    }
}

fn quoted(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

impl VrsAllele {
    /// Digest serialisation of the SequenceLocation.
    pub fn location_serialization(&self) -> String {
        format!(
            r#"{{"end":{},"sequenceReference":{{"refgetAccession":{},"type":"SequenceReference"}},"start":{},"type":"SequenceLocation"}}"#,
            self.end,
            quoted(&self.refget_accession),
            self.start
        )
    }

    /// The SequenceLocation digest.
    pub fn location_digest(&self) -> String {
        sha512t24u(self.location_serialization().as_bytes())
    }

    /// The SequenceLocation identifier, `ga4gh:SL.…`.
    pub fn location_id(&self) -> String {
        format!("ga4gh:SL.{}", self.location_digest())
    }

    /// Digest serialisation of the Allele.
    pub fn serialization(&self) -> String {
        let state = match &self.state {
            AlleleState::LiteralSequenceExpression { sequence } => format!(
                r#"{{"sequence":{},"type":"LiteralSequenceExpression"}}"#,
                quoted(sequence)
            ),
            AlleleState::ReferenceLengthExpression {
                length,
                repeat_subunit_length,
                ..
            } => format!(
                r#"{{"length":{length},"repeatSubunitLength":{repeat_subunit_length},"type":"ReferenceLengthExpression"}}"#
            ),
        };
        format!(
            r#"{{"location":{},"state":{},"type":"Allele"}}"#,
            quoted(&self.location_digest()),
            state
        )
    }

    /// The Allele digest.
    pub fn digest(&self) -> String {
        sha512t24u(self.serialization().as_bytes())
    }

    /// The computed identifier, `ga4gh:VA.…`.
    pub fn id(&self) -> String {
        format!("ga4gh:VA.{}", self.digest())
    }

    /// The full VRS 2.0 JSON object with `id`s and `digest`s, for export.
    pub fn to_json(&self) -> serde_json::Value {
        let state = match &self.state {
            AlleleState::LiteralSequenceExpression { sequence } => {
                json!({"type": "LiteralSequenceExpression", "sequence": sequence})
            }
            AlleleState::ReferenceLengthExpression {
                length,
                repeat_subunit_length,
                sequence,
            } => json!({
                "type": "ReferenceLengthExpression",
                "length": length,
                "repeatSubunitLength": repeat_subunit_length,
                "sequence": sequence,
            }),
        };
        json!({
            "id": self.id(),
            "type": "Allele",
            "digest": self.digest(),
            "location": {
                "id": self.location_id(),
                "type": "SequenceLocation",
                "digest": self.location_digest(),
                "sequenceReference": {
                    "type": "SequenceReference",
                    "refgetAccession": self.refget_accession,
                },
                "start": self.start,
                "end": self.end,
            },
            "state": state,
        })
    }
}

/// Builds the normalised VRS Allele for a VCF-style allele (1-based `pos`, REF, ALT; REF may be
/// empty for MAF-style insertions before `pos`).
///
/// `chrom` names the sequence for `reference`; `refget` is its `SQ.` accession (compute it with
/// [`refget_accession`] from the FASTA when the caller has none).
pub fn allele_from_vcf(
    reference: &dyn ReferenceSequence,
    chrom: &str,
    refget: &str,
    pos: u64,
    ref_allele: &str,
    alt_allele: &str,
) -> Result<VrsAllele, VrsError> {
    check_accession(refget)?;
    let upper = |s: &str| -> Result<Vec<u8>, VrsError> {
        if s.bytes()
            .all(|b| matches!(b.to_ascii_uppercase(), b'A' | b'C' | b'G' | b'T' | b'N'))
        {
            Ok(s.to_ascii_uppercase().into_bytes())
        } else {
            Err(VrsError::Allele(s.to_owned()))
        }
    };
    let (r, a) = (upper(ref_allele)?, upper(alt_allele)?);
    let out_of_ref = |p: u64| VrsError::OutOfReference {
        chrom: chrom.to_owned(),
        pos: p,
    };
    let base = |i: u64| -> Option<u8> {
        // 0-based index i.
        reference
            .fetch(chrom, i + 1, i + 1)
            .and_then(|b| b.first().map(u8::to_ascii_uppercase))
    };
    let start0 = pos.checked_sub(1).ok_or_else(|| out_of_ref(pos))?;
    let end0 = start0 + r.len() as u64;
    if !r.is_empty() {
        let found = reference
            .fetch(chrom, pos, end0)
            .map(|s| s.to_ascii_uppercase())
            .ok_or_else(|| out_of_ref(pos))?;
        if found != r {
            return Err(VrsError::RefMismatch {
                chrom: chrom.to_owned(),
                pos,
                expected: ref_allele.to_owned(),
                found: String::from_utf8_lossy(&found).into_owned(),
            });
        }
    }
    // 1. Trim common suffix, then prefix.
    let (mut s, mut e) = (start0, end0);
    let (mut rs, mut as_) = (&r[..], &a[..]);
    while !rs.is_empty() && !as_.is_empty() && rs.last() == as_.last() {
        rs = &rs[..rs.len() - 1];
        as_ = &as_[..as_.len() - 1];
        e -= 1;
    }
    while !rs.is_empty() && !as_.is_empty() && rs.first() == as_.first() {
        rs = &rs[1..];
        as_ = &as_[1..];
        s += 1;
    }
    let text = |v: &[u8]| String::from_utf8_lossy(v).into_owned();
    let allele = |start, end, state| VrsAllele {
        refget_accession: refget.to_owned(),
        start,
        end,
        state,
    };
    // 2. Reference allele, or substitution.
    if rs.is_empty() && as_.is_empty() {
        let len = end0 - start0;
        return Ok(allele(
            start0,
            end0,
            AlleleState::ReferenceLengthExpression {
                length: len,
                repeat_subunit_length: len,
                sequence: text(&r),
            },
        ));
    }
    if !rs.is_empty() && !as_.is_empty() {
        return Ok(allele(
            s,
            e,
            AlleleState::LiteralSequenceExpression {
                sequence: text(as_),
            },
        ));
    }
    // 3. Insertion or deletion: roll over the region of ambiguity.
    let is_deletion = as_.is_empty();
    let seed: Vec<u8> = if is_deletion {
        rs.to_vec()
    } else {
        as_.to_vec()
    };
    let seed_len = seed.len() as u64;
    let mut left = s;
    let mut seq = seed.clone();
    while left > 0 {
        match (seq.last().copied(), base(left - 1)) {
            (Some(last), Some(b)) if last == b => {
                left -= 1;
                seq.rotate_right(1);
            }
            _ => break,
        }
    }
    let mut right = e;
    let mut seq = seed.clone();
    loop {
        match (seq.first().copied(), base(right)) {
            (Some(first), Some(b)) if first == b => {
                right += 1;
                seq.rotate_left(1);
            }
            _ => break,
        }
    }
    // 4. Expand both sequences over [left, right).
    let fetch = |from: u64, to: u64| -> Result<Vec<u8>, VrsError> {
        if from == to {
            return Ok(Vec::new());
        }
        reference
            .fetch(chrom, from + 1, to)
            .map(|v| v.to_ascii_uppercase())
            .ok_or_else(|| out_of_ref(from + 1))
    };
    let prefix = fetch(left, s)?;
    let suffix = fetch(e, right)?;
    let ref_seq = fetch(left, right)?;
    let mut alt_seq = prefix;
    if !is_deletion {
        alt_seq.extend_from_slice(&seed);
    }
    alt_seq.extend_from_slice(&suffix);
    // 5. Construct.
    if left == right {
        return Ok(allele(
            left,
            right,
            AlleleState::LiteralSequenceExpression {
                sequence: text(&alt_seq),
            },
        ));
    }
    if is_deletion {
        return Ok(allele(
            left,
            right,
            AlleleState::ReferenceLengthExpression {
                length: alt_seq.len() as u64,
                repeat_subunit_length: seed_len,
                sequence: text(&alt_seq),
            },
        ));
    }
    let derived = (1..=seed_len)
        .rev()
        .filter(|d| seed_len.checked_rem(*d) == Some(0) && *d <= ref_seq.len() as u64)
        .find(|&d| {
            let d = d as usize;
            let unit = &ref_seq[..d];
            alt_seq.iter().enumerate().all(|(i, b)| *b == unit[i % d])
        });
    Ok(match derived {
        Some(d) => allele(
            left,
            right,
            AlleleState::ReferenceLengthExpression {
                length: alt_seq.len() as u64,
                repeat_subunit_length: d,
                sequence: text(&alt_seq),
            },
        ),
        None => allele(
            left,
            right,
            AlleleState::LiteralSequenceExpression {
                sequence: text(&alt_seq),
            },
        ),
    })
}

/// The normalised VRS Allele for a [`Variant`] (see [`allele_from_vcf`]).
pub fn allele_from_variant(
    reference: &dyn ReferenceSequence,
    refget: &str,
    variant: &Variant,
) -> Result<VrsAllele, VrsError> {
    allele_from_vcf(
        reference,
        &variant.chrom,
        refget,
        variant.pos,
        &variant.ref_allele,
        &variant.alt_allele,
    )
}

/// The refget accession of one sequence of an in-memory reference, if present.
pub fn refget_for(reference: &InMemoryReference, chrom: &str) -> Option<String> {
    reference.sequence(chrom).map(refget_accession)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha512t24u_spec_vector() {
        // VRS "Computed Identifiers": sha512t24u(b"ACGT") == 'aKF498dAxcJAqme6QYQ7EZ07-fiw8Kw2'.
        assert_eq!(sha512t24u(b"ACGT"), "aKF498dAxcJAqme6QYQ7EZ07-fiw8Kw2");
        assert_eq!(
            refget_accession(b"acgt"),
            "SQ.aKF498dAxcJAqme6QYQ7EZ07-fiw8Kw2"
        );
    }

    #[test]
    fn rs7412_vrs2_identifiers() {
        // NC_000019.10:g.44908822C>T (APOE rs7412), the VRS 2.0 worked example; ids as published
        // by vrs-python's translator tests: SL.wIlaGykfwHIpPY2Fcxtbx4TINbbODFVz and
        // VA.0AePZIWZUNsUlQTamyLrjm2HWUw2opLt.
        let a = VrsAllele {
            refget_accession: "SQ.IIB53T8CNeJJdUqzn9V_JnRtQadwWCbl".into(),
            start: 44908821,
            end: 44908822,
            state: AlleleState::LiteralSequenceExpression {
                sequence: "T".into(),
            },
        };
        assert_eq!(
            a.location_serialization(),
            r#"{"end":44908822,"sequenceReference":{"refgetAccession":"SQ.IIB53T8CNeJJdUqzn9V_JnRtQadwWCbl","type":"SequenceReference"},"start":44908821,"type":"SequenceLocation"}"#
        );
        assert_eq!(a.location_id(), "ga4gh:SL.wIlaGykfwHIpPY2Fcxtbx4TINbbODFVz");
        assert_eq!(a.id(), "ga4gh:VA.0AePZIWZUNsUlQTamyLrjm2HWUw2opLt");
        assert_eq!(a.to_json()["location"]["start"], 44908821);
    }

    fn reference() -> (InMemoryReference, String) {
        // Tan et al. 2015's example context: a CA repeat.
        let seq = b"GGGCACACACAGGG";
        let mut r = InMemoryReference::new();
        r.insert("1", seq.to_vec());
        (r, refget_accession(seq))
    }

    #[test]
    fn snv_from_vcf_is_literal_and_checks_ref() {
        let (r, sq) = reference();
        assert_eq!(refget_for(&r, "1").as_deref(), Some(sq.as_str()));
        assert_eq!(refget_for(&r, "2"), None);
        let a = allele_from_vcf(&r, "1", &sq, 4, "C", "T").expect("ok");
        assert_eq!((a.start, a.end), (3, 4));
        assert_eq!(
            a.state,
            AlleleState::LiteralSequenceExpression {
                sequence: "T".into()
            }
        );
        assert!(matches!(
            allele_from_vcf(&r, "1", &sq, 4, "G", "T"),
            Err(VrsError::RefMismatch { .. })
        ));
        assert!(matches!(
            allele_from_vcf(&r, "1", "NC_000001.11", 4, "C", "T"),
            Err(VrsError::Accession(_))
        ));
    }

    #[test]
    fn deletion_in_repeat_is_fully_justified_whatever_its_position() {
        let (r, sq) = reference();
        // Delete one CA unit, written left-aligned and right-shifted.
        let left = allele_from_vcf(&r, "1", &sq, 3, "GCA", "G").expect("ok");
        let right = allele_from_vcf(&r, "1", &sq, 8, "CAC", "C").expect("ok");
        assert_eq!(left, right);
        assert_eq!(left.id(), right.id());
        // The repeat CACACACA spans 0-based [3, 11).
        assert_eq!((left.start, left.end), (3, 11));
        assert_eq!(
            left.state,
            AlleleState::ReferenceLengthExpression {
                length: 6,
                repeat_subunit_length: 2,
                sequence: "CACACA".into()
            }
        );
    }

    #[test]
    fn insertions_repeat_derived_or_literal() {
        let (r, sq) = reference();
        let a = allele_from_vcf(&r, "1", &sq, 11, "A", "ACA").expect("ok");
        let b = allele_from_vcf(&r, "1", &sq, 3, "G", "GCA").expect("ok");
        assert_eq!(a.id(), b.id());
        assert_eq!(
            a.state,
            AlleleState::ReferenceLengthExpression {
                length: 10,
                repeat_subunit_length: 2,
                sequence: "CACACACACA".into()
            }
        );
        // An insertion of unrelated bases between two Gs at the end does not roll.
        let c = allele_from_vcf(&r, "1", &sq, 12, "G", "GTT").expect("ok");
        assert_eq!((c.start, c.end), (12, 12));
        assert_eq!(
            c.state,
            AlleleState::LiteralSequenceExpression {
                sequence: "TT".into()
            }
        );
    }
}
