//! c.→p. prediction: apply the nucleotide edits to the reference, splice the
//! changed sequence with the transcript's exons, translate both and describe the
//! difference per the HGVS protein rules (substitution, deletion, duplication,
//! insertion, delins, frameshift `fs*N`, extension `ext*N`, `=`, `?`).
//!
//! Codons are translated by the crate's `codon` module. The reverse complement here
//! is IUPAC-aware (descriptions may carry ambiguity codes), unlike `codon::revcomp`.

use super::model::{
    AminoAcidPosition, ExtensionEnd, ProteinDescription, ProteinEdit, ProteinLocation, StopPosition,
};
use super::normalize::RefEdit;
use super::reference::ReferenceTranscript;

/// Translates until (and including) the first stop codon or the end of complete codons.
pub fn translate_to_stop(seq: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(seq.len() / 3 + 1);
    for c in seq.chunks_exact(3) {
        let aa = crate::codon::translate_codon(c);
        out.push(aa);
        if aa == b'*' {
            break;
        }
    }
    out
}

/// Reverse complement (IUPAC-aware for the common codes).
pub fn reverse_complement(seq: &[u8]) -> Vec<u8> {
    seq.iter()
        .rev()
        .map(|b| match b {
            b'A' => b'T',
            b'T' => b'A',
            b'C' => b'G',
            b'G' => b'C',
            b'U' => b'A',
            b'R' => b'Y',
            b'Y' => b'R',
            b'K' => b'M',
            b'M' => b'K',
            b'B' => b'V',
            b'V' => b'B',
            b'D' => b'H',
            b'H' => b'D',
            other => *other,
        })
        .collect()
}

/// The spliced transcript sequence (transcript orientation) for the given exons.
fn splice(genome: &[u8], exons: &[(usize, usize)], forward: bool) -> Vec<u8> {
    let mut s = Vec::new();
    for &(a, b) in exons {
        if let Some(part) = genome.get(a..b) {
            s.extend_from_slice(part);
        }
    }
    if forward { s } else { reverse_complement(&s) }
}

/// Where the reference index `x` lands after the (sorted, non-overlapping) edits;
/// positions inside a deleted stretch collapse onto its start.
fn map_index(edits: &[RefEdit], x: usize) -> usize {
    let mut shift: isize = 0;
    for e in edits {
        if x >= e.end {
            shift += e.inserted.len() as isize - (e.end - e.start) as isize;
        } else if x >= e.start {
            return (e.start as isize + shift).max(0) as usize;
        }
    }
    (x as isize + shift).max(0) as usize
}

fn in_exon(t: &ReferenceTranscript, x: usize) -> bool {
    t.exons.iter().any(|&(a, b)| x >= a && x < b)
}

/// Predicts the protein consequence of reference-level edits on a coding transcript.
/// Returns `None` when the transcript is not coding.
pub fn predict(
    genome: &[u8],
    t: &ReferenceTranscript,
    edits: &[RefEdit],
) -> Option<ProteinDescription> {
    let (cds_lo, cds_hi) = t.cds?;
    let unknown = Some(ProteinDescription::Unknown { predicted: false });
    // An edit with one end in an exon and the other in an intron touches a splice site.
    for e in edits {
        let last = if e.end > e.start { e.end - 1 } else { e.start };
        let first = if e.end > e.start {
            e.start
        } else {
            e.start.saturating_sub(1)
        };
        if in_exon(t, first) != in_exon(t, last) {
            return unknown;
        }
    }
    // An allele mixing changes inside the CDS span with changes wholly outside it
    // (UTR, flanks) is not predicted, as mutalyzer does (`c.[41A>C;*189del]` → `p.?`).
    if edits.len() > 1 {
        let inside = |e: &RefEdit| e.start < cds_hi && e.end.max(e.start + 1) > cds_lo;
        if edits.iter().any(inside) && !edits.iter().all(inside) {
            return unknown;
        }
    }
    // Start codon touched → p.?
    let start_codon = if t.forward {
        (cds_lo, cds_lo + 3)
    } else {
        (cds_hi.saturating_sub(3), cds_hi)
    };
    for e in edits {
        let (s, en) = if e.start == e.end {
            (e.start, e.start)
        } else {
            (e.start, e.end)
        };
        let overlaps = if s == en {
            s > start_codon.0 && s < start_codon.1
        } else {
            s < start_codon.1 && en > start_codon.0
        };
        if overlaps {
            return unknown;
        }
    }
    // Mutated genome.
    let mut mutated = Vec::with_capacity(genome.len());
    let mut pos = 0;
    for e in edits {
        mutated.extend_from_slice(genome.get(pos..e.start)?);
        mutated.extend_from_slice(&e.inserted);
        pos = e.end;
    }
    mutated.extend_from_slice(genome.get(pos..)?);
    let mexons: Vec<(usize, usize)> = t
        .exons
        .iter()
        .map(|&(a, b)| (map_index(edits, a), map_end(edits, b)))
        .filter(|(a, b)| b > a)
        .collect();
    let ref_tx = splice(genome, &t.exons, t.forward);
    let mut_tx = splice(&mutated, &mexons, t.forward);
    // CDS start offset in transcript coordinates.
    let tx_offset = |exons: &[(usize, usize)], x: usize| -> Option<usize> {
        let mut before = 0;
        if t.forward {
            for &(a, b) in exons {
                if x >= a && x < b {
                    return Some(before + x - a);
                }
                before += b - a;
            }
        } else {
            for &(a, b) in exons.iter().rev() {
                if x >= a && x < b {
                    return Some(before + (b - 1 - x));
                }
                before += b - a;
            }
        }
        None
    };
    let cds_first = if t.forward { cds_lo } else { cds_hi - 1 };
    let cds_last = if t.forward { cds_hi - 1 } else { cds_lo };
    let rs = tx_offset(&t.exons, cds_first)?;
    let re = tx_offset(&t.exons, cds_last)?;
    let ms = tx_offset(&mexons, map_index(edits, cds_first))?;
    let reference_protein = translate_to_stop(ref_tx.get(rs..=re)?);

    let observed = translate_to_stop(mut_tx.get(ms..)?);
    // Net change of exonic bases by the edits that touch the CDS.
    let exonic = |a: usize, b: usize| -> usize {
        t.exons
            .iter()
            .map(|&(s, e)| b.min(e).saturating_sub(a.max(s)))
            .sum()
    };
    let delta: isize = edits
        .iter()
        .filter(|e| e.start <= cds_hi && e.end >= cds_lo)
        .map(|e| e.inserted.len() as isize - exonic(e.start, e.end) as isize)
        .sum();
    let frameshift = delta % 3 != 0;
    Some(describe(&reference_protein, &observed, frameshift))
}

fn map_end(edits: &[RefEdit], b: usize) -> usize {
    // Exclusive end: the last base b-1 maps, then one past it.
    if b == 0 {
        return 0;
    }
    let mut shift: isize = 0;
    let x = b - 1;
    for e in edits {
        if x >= e.end {
            shift += e.inserted.len() as isize - (e.end - e.start) as isize;
        } else if x >= e.start && x < e.end {
            // Last base deleted: the exon now ends where the deletion started
            // (plus whatever was inserted in its place).
            return (e.start as isize + shift + e.inserted.len() as isize).max(0) as usize;
        } else if e.start == e.end && e.start == b {
            // insertion right after the exon: stays outside
        }
    }
    (x as isize + shift + 1).max(0) as usize
}

fn pos(p: &[u8], i: usize) -> AminoAcidPosition {
    AminoAcidPosition {
        amino_acid: p.get(i).copied().unwrap_or(b'X'),
        number: i as u64 + 1,
    }
}

fn change(location: ProteinLocation, edit: ProteinEdit) -> ProteinDescription {
    ProteinDescription::Change {
        predicted: true,
        location,
        edit,
    }
}

/// Describes the difference between a reference and an observed protein
/// (both as one-letter strings that end at the first stop, if any).
/// `frameshift` says whether the coding sequence length changed by a non-multiple of three.
pub fn describe(reference: &[u8], observed: &[u8], frameshift: bool) -> ProteinDescription {
    if reference == observed {
        return ProteinDescription::Identity { predicted: true };
    }
    let prefix = reference
        .iter()
        .zip(observed)
        .take_while(|(a, b)| a == b)
        .count();
    if prefix == 0 {
        return ProteinDescription::Unknown { predicted: false };
    }
    let ref_has_stop = reference.last() == Some(&b'*');
    let obs_stop = observed.iter().position(|&a| a == b'*');
    // Change at the stop codon: extension (or nothing if a stop remains).
    if reference.get(prefix) == Some(&b'*') {
        let alt = observed.get(prefix).copied().unwrap_or(b'X');
        let stop = match obs_stop {
            Some(j) => StopPosition::At((j - prefix) as u64),
            None => StopPosition::Unknown,
        };
        return change(
            ProteinLocation::Point(pos(reference, prefix)),
            ProteinEdit::Extension {
                alternative: Some(alt),
                extension: ExtensionEnd::CTerminal(stop),
            },
        );
    }
    // Nonsense at the first changed residue.
    if observed.get(prefix) == Some(&b'*') {
        return change(
            ProteinLocation::Point(pos(reference, prefix)),
            ProteinEdit::Substitution { alternative: b'*' },
        );
    }
    // Common suffix (only meaningful when both end in the same stop context).
    let max_suffix = reference.len().min(observed.len()) - prefix;
    let suffix = reference
        .iter()
        .rev()
        .zip(observed.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let same_frame_end = ref_has_stop && obs_stop.is_some() && suffix > 0;
    if !frameshift && !same_frame_end && obs_stop.is_none() {
        // In frame, but the stop codon was lost and no new one is reached:
        // everything from the first change to the end is replaced.
        let location = if reference.len() - prefix == 1 {
            ProteinLocation::Point(pos(reference, prefix))
        } else {
            ProteinLocation::Range(pos(reference, prefix), pos(reference, reference.len() - 1))
        };
        let inserted: String = observed[prefix..].iter().map(|&b| b as char).collect();
        return change(
            location,
            if inserted.is_empty() {
                ProteinEdit::Deletion
            } else {
                ProteinEdit::DeletionInsertion { inserted }
            },
        );
    }
    if frameshift || !same_frame_end {
        // Frameshift: the C-terminus differs. A missing first residue (the
        // sequence ran out mid-codon) is written Xaa.
        let alt = Some(observed.get(prefix).copied().unwrap_or(b'X'));
        let stop = match obs_stop {
            Some(j) => StopPosition::At((j - prefix + 1) as u64),
            None => StopPosition::Unknown,
        };
        return change(
            ProteinLocation::Point(pos(reference, prefix)),
            ProteinEdit::Frameshift {
                alternative: alt,
                stop,
                stop_written: true,
            },
        );
    }
    let deleted = &reference[prefix..reference.len() - suffix];
    let inserted = &observed[prefix..observed.len() - suffix];
    let text = |s: &[u8]| s.iter().map(|&b| b as char).collect::<String>();
    match (deleted.len(), inserted.len()) {
        (1, 1) => change(
            ProteinLocation::Point(pos(reference, prefix)),
            ProteinEdit::Substitution {
                alternative: inserted[0],
            },
        ),
        (d, 0) => {
            let location = if d == 1 {
                ProteinLocation::Point(pos(reference, prefix))
            } else {
                ProteinLocation::Range(pos(reference, prefix), pos(reference, prefix + d - 1))
            };
            change(location, ProteinEdit::Deletion)
        }
        (0, n) => {
            if prefix >= n && reference[prefix - n..prefix] == *inserted {
                let location = if n == 1 {
                    ProteinLocation::Point(pos(reference, prefix - 1))
                } else {
                    ProteinLocation::Range(pos(reference, prefix - n), pos(reference, prefix - 1))
                };
                change(location, ProteinEdit::Duplication)
            } else {
                change(
                    ProteinLocation::Range(pos(reference, prefix - 1), pos(reference, prefix)),
                    ProteinEdit::Insertion {
                        inserted: text(inserted),
                    },
                )
            }
        }
        (d, _) => {
            let location = if d == 1 {
                ProteinLocation::Point(pos(reference, prefix))
            } else {
                ProteinLocation::Range(pos(reference, prefix), pos(reference, prefix + d - 1))
            };
            change(
                location,
                ProteinEdit::DeletionInsertion {
                    inserted: text(inserted),
                },
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(r: &str, o: &str) -> String {
        format!("p.{}", describe(r.as_bytes(), o.as_bytes(), false))
    }

    #[test]
    fn describes_protein_changes() {
        assert_eq!(translate_to_stop(b"ATGTGGTAAGG"), b"MW*");
        assert_eq!(d("MKLW*", "MKLW*"), "p.(=)");
        assert_eq!(d("MKLW*", "MKRW*"), "p.(Leu3Arg)");
        assert_eq!(d("MKLW*", "MK*"), "p.(Leu3*)");
        assert_eq!(d("MKKLW*", "MKLW*"), "p.(Lys3del)");
        assert_eq!(d("MKLW*", "MKLLW*"), "p.(Leu3dup)");
        assert_eq!(d("MKLW*", "MKLAW*"), "p.(Leu3_Trp4insAla)");
        assert_eq!(
            format!("p.{}", describe(b"MKLW*", b"MKAAAQ*", true)),
            "p.(Leu3Alafs*5)"
        );
        assert_eq!(d("MKLW*", "MKLWGGA*"), "p.(*5Glyext*3)");
        assert_eq!(d("MKLW*", "VKLW*"), "p.?");
    }
}
