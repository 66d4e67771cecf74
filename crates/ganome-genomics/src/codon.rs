//! The standard genetic code, translation and amino-acid names.
//!
//! A lookup table is all this needs; no library is worth the dependency.

/// Amino acids of codons `AAA, AAC, AAG, AAT, ACA, …, TTT` (bases ordered A, C, G, T).
const CODE: &[u8; 64] = b"KNKNTTTTRSRSIIMIQHQHPPPPRRRRLLLLEDEDAAAAGGGGVVVV*Y*YSSSS*CWCLFLF";

fn base_index(b: u8) -> Option<usize> {
    match b.to_ascii_uppercase() {
        b'A' => Some(0),
        b'C' => Some(1),
        b'G' => Some(2),
        b'T' | b'U' => Some(3),
        _ => None,
    }
}

/// Translates one codon (coding strand); `X` if it holds a non-ACGT base.
pub fn translate_codon(codon: &[u8]) -> u8 {
    if codon.len() < 3 {
        return b'X';
    }
    match (
        base_index(codon[0]),
        base_index(codon[1]),
        base_index(codon[2]),
    ) {
        (Some(a), Some(b), Some(c)) => CODE[a << 4 | b << 2 | c],
        _ => b'X',
    }
}

/// Translates a coding sequence codon by codon (a trailing partial codon is ignored).
pub fn translate(seq: &[u8]) -> Vec<u8> {
    seq.chunks_exact(3).map(translate_codon).collect()
}

/// Reverse complement.
pub fn revcomp(seq: &[u8]) -> Vec<u8> {
    seq.iter().rev().map(|&b| complement(b)).collect()
}

/// Complement of one base (IUPAC-unaware; `N` for anything not ACGT).
pub fn complement(b: u8) -> u8 {
    match b {
        b'A' => b'T',
        b'C' => b'G',
        b'G' => b'C',
        b'T' => b'A',
        b'a' => b't',
        b'c' => b'g',
        b'g' => b'c',
        b't' => b'a',
        _ => b'N',
    }
}

/// Three-letter amino-acid code (`Ter` for `*`, `Xaa` for unknown).
pub fn three_letter(aa: u8) -> &'static str {
    match aa {
        b'A' => "Ala",
        b'R' => "Arg",
        b'N' => "Asn",
        b'D' => "Asp",
        b'C' => "Cys",
        b'Q' => "Gln",
        b'E' => "Glu",
        b'G' => "Gly",
        b'H' => "His",
        b'I' => "Ile",
        b'L' => "Leu",
        b'K' => "Lys",
        b'M' => "Met",
        b'F' => "Phe",
        b'P' => "Pro",
        b'S' => "Ser",
        b'T' => "Thr",
        b'W' => "Trp",
        b'Y' => "Tyr",
        b'V' => "Val",
        b'*' => "Ter",
        b'U' => "Sec",
        _ => "Xaa",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates() {
        assert_eq!(translate(b"ATGAAATAG"), b"MK*");
        assert_eq!(translate_codon(b"TGG"), b'W');
        assert_eq!(translate_codon(b"ANG"), b'X');
        assert_eq!(revcomp(b"ACGTN"), b"NACGT");
        assert_eq!(three_letter(b'*'), "Ter");
    }
}
