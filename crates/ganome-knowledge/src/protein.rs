//! Protein changes as the knowledge base compares them (`V600E`, `p.Leu858Arg`,
//! `E746_A750del`, `W288fs`).
//!
//! Written by hand rather than with a full HGVS grammar because the knowledge base only needs
//! the short protein forms that CIViC names, trial texts and callers use, in one- or
//! three-letter spelling, upper or lower case; the full HGVS engine lives in
//! `ganome-genomics`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What happens at the affected residue(s).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "sequence")]
pub enum ProteinEdit {
    /// One residue replaced by another (`V600E`); `*` is a stop.
    Substitution(char),
    /// Residue unchanged (`=`).
    Synonymous,
    /// Residues deleted (`del`).
    Deletion,
    /// Residues inserted between the two positions (`ins`).
    Insertion(String),
    /// Residues deleted and replaced (`delins`).
    DeletionInsertion(String),
    /// Residues duplicated (`dup`).
    Duplication,
    /// Frameshift starting at the residue (`fs`; the new reading frame is not compared).
    Frameshift,
    /// Stop codon lost and the protein extended (`ext`).
    Extension,
}

/// A parsed short protein change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ProteinChange {
    /// Reference residue at `start` (one letter, `*` for a stop).
    pub start_residue: char,
    /// First affected codon (1-based).
    pub start: u32,
    /// Reference residue and codon at the end of a range, if any.
    pub end: Option<(char, u32)>,
    /// The edit.
    pub edit: ProteinEdit,
}

/// Why a protein change could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProteinParseError {
    /// Nothing after removing `p.` and parentheses.
    #[error("empty protein change")]
    Empty,
    /// A residue code was not an amino-acid letter or three-letter code.
    #[error("unknown amino acid in {0:?}")]
    UnknownResidue(String),
    /// A codon number was missing or not a positive number.
    #[error("missing or bad codon number in {0:?}")]
    BadPosition(String),
    /// The text after the position(s) is not an edit we know.
    #[error("unknown edit {edit:?} in {text:?}")]
    UnknownEdit {
        /// The whole input.
        text: String,
        /// The unreadable tail.
        edit: String,
    },
}

const THREE_LETTER: [(&str, char); 25] = [
    ("ALA", 'A'),
    ("ARG", 'R'),
    ("ASN", 'N'),
    ("ASP", 'D'),
    ("CYS", 'C'),
    ("GLN", 'Q'),
    ("GLU", 'E'),
    ("GLY", 'G'),
    ("HIS", 'H'),
    ("ILE", 'I'),
    ("LEU", 'L'),
    ("LYS", 'K'),
    ("MET", 'M'),
    ("PHE", 'F'),
    ("PRO", 'P'),
    ("SER", 'S'),
    ("THR", 'T'),
    ("TRP", 'W'),
    ("TYR", 'Y'),
    ("VAL", 'V'),
    ("TER", '*'),
    ("SEC", 'U'),
    ("PYL", 'O'),
    ("XAA", 'X'),
    ("ASX", 'B'),
];

fn is_one_letter(c: char) -> bool {
    matches!(c.to_ascii_uppercase(), 'A'..='Z' | '*') && !matches!(c.to_ascii_uppercase(), 'J')
}

/// Reads one residue at the start of `s`: a three-letter code (any case) or one letter.
fn residue(s: &str) -> Option<(char, &str)> {
    if s.len() >= 3 && s.is_char_boundary(3) {
        let head = s[..3].to_ascii_uppercase();
        if let Some((_, c)) = THREE_LETTER.iter().find(|(t, _)| *t == head) {
            return Some((*c, &s[3..]));
        }
    }
    let c = s.chars().next()?;
    if c == 'X' || c == 'x' {
        return Some(('*', &s[1..]));
    }
    if is_one_letter(c) && c != '*' {
        return Some((c.to_ascii_uppercase(), &s[1..]));
    }
    if c == '*' {
        return Some(('*', &s[1..]));
    }
    None
}

fn residues(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        let (c, r) = residue(rest)?;
        out.push(c);
        rest = r;
    }
    Some(out)
}

fn number(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    let n: u32 = s[..end].parse().ok()?;
    (n > 0).then_some((n, &s[end..]))
}

impl ProteinChange {
    /// Parses `V600E`, `p.Val600Glu`, `p.(L858R)`, `E746_A750del`, `D842_I843delinsVM`,
    /// `Y772_A775dup`, `W288fs`, `p.Trp288Ter`, `R248*`, `G12=`.
    pub fn parse(text: &str) -> Result<Self, ProteinParseError> {
        let t = text.trim();
        let t = t
            .strip_prefix("p.")
            .or_else(|| t.strip_prefix("P."))
            .unwrap_or(t);
        let t: String = t.chars().filter(|c| !matches!(c, '(' | ')')).collect();
        if t.is_empty() {
            return Err(ProteinParseError::Empty);
        }
        let (start_residue, rest) =
            residue(&t).ok_or_else(|| ProteinParseError::UnknownResidue(text.to_owned()))?;
        let (start, rest) =
            number(rest).ok_or_else(|| ProteinParseError::BadPosition(text.to_owned()))?;
        let (end, rest) = if let Some(r) = rest.strip_prefix('_') {
            let (c, r) =
                residue(r).ok_or_else(|| ProteinParseError::UnknownResidue(text.to_owned()))?;
            let (n, r) =
                number(r).ok_or_else(|| ProteinParseError::BadPosition(text.to_owned()))?;
            (Some((c, n)), r)
        } else {
            (None, rest)
        };
        let lower = rest.to_ascii_lowercase();
        let bad = || ProteinParseError::UnknownEdit {
            text: text.to_owned(),
            edit: rest.to_owned(),
        };
        let edit = if let Some(seq) = lower.strip_prefix("delins") {
            ProteinEdit::DeletionInsertion(residues(&rest[6..6 + seq.len()]).ok_or_else(bad)?)
        } else if lower.starts_with("del") {
            ProteinEdit::Deletion
        } else if lower.starts_with("ins") {
            ProteinEdit::Insertion(residues(&rest[3..]).unwrap_or_default())
        } else if lower.starts_with("dup") {
            ProteinEdit::Duplication
        } else if lower.starts_with("fs") || lower.contains("fs") {
            ProteinEdit::Frameshift
        } else if lower.starts_with("ext") {
            ProteinEdit::Extension
        } else if lower == "=" {
            ProteinEdit::Synonymous
        } else if end.is_none() {
            let (c, r) = residue(rest).ok_or_else(bad)?;
            if !r.is_empty() {
                return Err(bad());
            }
            if c == start_residue {
                ProteinEdit::Synonymous
            } else {
                ProteinEdit::Substitution(c)
            }
        } else {
            return Err(bad());
        };
        Ok(Self {
            start_residue,
            start,
            end,
            edit,
        })
    }

    /// True for a nonsense or frameshift change (a truncating protein change).
    pub fn is_truncating(&self) -> bool {
        matches!(
            self.edit,
            ProteinEdit::Frameshift | ProteinEdit::Substitution('*')
        )
    }

    /// The last affected codon.
    pub fn end_codon(&self) -> u32 {
        self.end.map_or(self.start, |(_, n)| n)
    }
}

impl fmt::Display for ProteinChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.start_residue, self.start)?;
        if let Some((c, n)) = self.end {
            write!(f, "_{c}{n}")?;
        }
        match &self.edit {
            ProteinEdit::Substitution(c) => write!(f, "{c}"),
            ProteinEdit::Synonymous => write!(f, "="),
            ProteinEdit::Deletion => write!(f, "del"),
            ProteinEdit::Insertion(s) => write!(f, "ins{s}"),
            ProteinEdit::DeletionInsertion(s) => write!(f, "delins{s}"),
            ProteinEdit::Duplication => write!(f, "dup"),
            ProteinEdit::Frameshift => write!(f, "fs"),
            ProteinEdit::Extension => write!(f, "ext"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        ProteinChange::parse(s)
            .map(|c| c.to_string())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn one_and_three_letter_agree() {
        assert_eq!(p("V600E"), "V600E");
        assert_eq!(p("p.Val600Glu"), "V600E");
        assert_eq!(p("p.(Leu858Arg)"), "L858R");
        assert_eq!(p("p.Trp288Ter"), "W288*");
        assert_eq!(p("R248X"), "R248*");
    }

    #[test]
    fn ranges_and_edits() {
        assert_eq!(p("E746_A750del"), "E746_A750del");
        assert_eq!(p("p.Glu746_Ala750del"), "E746_A750del");
        assert_eq!(p("D842_I843delinsVM"), "D842_I843delinsVM");
        assert_eq!(p("Y772_A775DUP"), "Y772_A775dup");
        assert_eq!(p("I843DEL"), "I843del");
        assert_eq!(p("W288FS"), "W288fs");
        assert_eq!(p("p.Lys159fsTer12"), "K159fs");
        assert_eq!(p("G12="), "G12=");
        assert!(ProteinChange::parse("W288FS").is_ok_and(|c| c.is_truncating()));
    }

    #[test]
    fn rejects_garbage() {
        assert!(ProteinChange::parse("").is_err());
        assert!(ProteinChange::parse("Amplification").is_err());
        assert!(ProteinChange::parse("V600").is_err());
        assert!(ProteinChange::parse("600E").is_err());
        assert!(ProteinChange::parse("EXON 19 DELETION").is_err());
    }
}
