//! Recursive-descent parser for HGVS descriptions.
//!
//! Written by hand rather than generated: every failure must name the byte
//! offset of the offending character (the CLI prints a caret under it), the
//! grammar has a few context-sensitive corners (a leading `N` may start a
//! sequence or an accession such as `NM_003002.4:100_102`; `-`/`*` positions
//! only exist in `c.`), and a hand-written parser has no dependency to keep up.
//! It never panics: all indexing goes through [`Parser::peek`].

use thiserror::Error;

use super::model::{
    AminoAcidPosition, CoordinateSystem, ExtensionEnd, HgvsVariant, Inserted, InsertedPart,
    Location, NucleotideEdit, NucleotideVariant, Offset, Point, Position, ProteinDescription,
    ProteinEdit, ProteinLocation, ReferenceSpec, SequenceOrLength, StopPosition, VariantBody,
    one_letter,
};

/// Why a description could not be parsed, with the byte offset of the offending character.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid HGVS description at byte {position}: expected {expected}, found {}", found_text(.found))]
pub struct ParseError {
    /// Byte offset of the offending character (equal to the length at end of input).
    pub position: usize,
    /// What the grammar expected there.
    pub expected: String,
    /// The character found there, `None` at end of input.
    pub found: Option<char>,
}

fn found_text(found: &Option<char>) -> String {
    match found {
        Some(c) => format!("'{c}'"),
        None => "end of input".to_owned(),
    }
}

impl ParseError {
    /// The description with a caret line under the offending character.
    pub fn pointer(&self, description: &str) -> String {
        let col = description
            .char_indices()
            .take_while(|(i, _)| *i < self.position)
            .count();
        format!("{description}\n{}^", " ".repeat(col))
    }
}

/// Parses a full HGVS description.
pub fn parse(description: &str) -> Result<HgvsVariant, ParseError> {
    let mut p = Parser::new(description);
    let v = p.variant()?;
    p.expect_end()?;
    Ok(v)
}

/// Parses a nucleotide position-edit of the given coordinate system alone,
/// e.g. `76+3A>T` for `c.`; used by the grammar oracle.
pub fn parse_nucleotide_posedit(
    system: CoordinateSystem,
    text: &str,
) -> Result<Vec<NucleotideVariant>, ParseError> {
    let mut p = Parser::new(text);
    let v = p.nucleotide_variants(system)?;
    p.expect_end()?;
    Ok(v)
}

/// Parses a protein description body alone, e.g. `(Ala3Phe)` or `Met1?`.
pub fn parse_protein_posedit(text: &str) -> Result<ProteinDescription, ParseError> {
    let mut p = Parser::new(text);
    let v = p.protein()?;
    p.expect_end()?;
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

fn is_dna(c: u8) -> bool {
    b"ACGTNRYSWKMBDHVacgtnryswkmbdhv".contains(&c)
}

fn is_rna(c: u8) -> bool {
    b"ACGUNRYSWKMBDHVacgunryswkmbdhv".contains(&c)
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            s: text.as_bytes(),
            text,
            i: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }

    fn rest(&self) -> &[u8] {
        self.s.get(self.i..).unwrap_or(&[])
    }

    fn error(&self, expected: impl Into<String>) -> ParseError {
        ParseError {
            position: self.i,
            expected: expected.into(),
            found: self.char_at(self.i),
        }
    }

    /// The character that contains byte `i` (the parser may stop inside a multi-byte one).
    fn char_at(&self, i: usize) -> Option<char> {
        if i >= self.s.len() {
            return None;
        }
        let start = (0..=i).rev().find(|&j| self.text.is_char_boundary(j))?;
        self.text.get(start..)?.chars().next()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s.as_bytes()) {
            self.i += s.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), ParseError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(format!("'{}'", c as char)))
        }
    }

    fn expect_end(&self) -> Result<(), ParseError> {
        if self.i == self.s.len() {
            Ok(())
        } else {
            Err(self.error("end of description"))
        }
    }

    fn number(&mut self) -> Result<u64, ParseError> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if start == self.i {
            return Err(self.error("a number"));
        }
        let digits = self.text.get(start..self.i).unwrap_or("");
        digits.parse().map_err(|_| ParseError {
            position: start,
            expected: "a number that fits in 64 bits".to_owned(),
            found: digits.chars().next(),
        })
    }

    fn signed_number(&mut self) -> Result<i64, ParseError> {
        let negative = self.eat(b'-');
        let start = self.i;
        let n = self.number()?;
        let n = i64::try_from(n).map_err(|_| ParseError {
            position: start,
            expected: "a smaller number".to_owned(),
            found: None,
        })?;
        Ok(if negative { -n } else { n })
    }

    // ---- references ----

    /// Accession: a letter, then letters/digits with single `_` separators, then `.version`.
    fn accession(&mut self) -> Result<String, ParseError> {
        let start = self.i;
        if !self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            return Err(self.error("an accession starting with a letter"));
        }
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() {
                self.i += 1;
            } else if c == b'_' {
                self.i += 1;
                if !self.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
                    return Err(self.error("a letter or digit after '_' in the accession"));
                }
            } else {
                break;
            }
        }
        if self.eat(b'.') && self.number().is_err() {
            return Err(self.error("a version number after '.'"));
        }
        Ok(self.text.get(start..self.i).unwrap_or("").to_owned())
    }

    fn reference(&mut self) -> Result<ReferenceSpec, ParseError> {
        let accession = self.accession()?;
        let selector = if self.eat(b'(') {
            let start = self.i;
            while self
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-')
            {
                self.i += 1;
            }
            if start == self.i {
                return Err(self.error("a selector (transcript, gene or protein)"));
            }
            let sel = self.text.get(start..self.i).unwrap_or("").to_owned();
            self.expect(b')')?;
            Some(sel)
        } else {
            None
        };
        Ok(ReferenceSpec {
            accession,
            selector,
        })
    }

    fn coordinate_system(&mut self) -> Option<CoordinateSystem> {
        let c = self.peek()?;
        if self.peek_at(1) != Some(b'.') {
            return None;
        }
        let cs = CoordinateSystem::from_letter(c)?;
        self.i += 2;
        Some(cs)
    }

    fn variant(&mut self) -> Result<HgvsVariant, ParseError> {
        let reference = self.reference()?;
        self.expect(b':')?;
        let coordinate_system = self.coordinate_system();
        let body = match coordinate_system {
            Some(CoordinateSystem::Protein) => VariantBody::Protein(self.protein()?),
            cs => {
                if self.peek() == Some(b'=') {
                    self.i += 1;
                    VariantBody::NucleotideIdentity
                } else {
                    let system = cs.unwrap_or(CoordinateSystem::Genomic);
                    let system = if cs.is_none() && is_transcript_accession(&reference) {
                        CoordinateSystem::Coding
                    } else {
                        system
                    };
                    VariantBody::Nucleotide(self.nucleotide_variants(system)?)
                }
            }
        };
        Ok(HgvsVariant {
            reference,
            coordinate_system,
            body,
        })
    }

    // ---- nucleotide ----

    fn nucleotide_variants(
        &mut self,
        system: CoordinateSystem,
    ) -> Result<Vec<NucleotideVariant>, ParseError> {
        if self.eat(b'[') {
            let mut out = vec![self.nucleotide_variant(system)?];
            while self.eat(b';') {
                out.push(self.nucleotide_variant(system)?);
            }
            self.expect(b']')?;
            Ok(out)
        } else {
            Ok(vec![self.nucleotide_variant(system)?])
        }
    }

    fn nucleotide_variant(
        &mut self,
        system: CoordinateSystem,
    ) -> Result<NucleotideVariant, ParseError> {
        // `(1_10)A>C` is an uncertain range; `(5G>U)` is a predicted variant.
        if self.peek() == Some(b'(') {
            let save = self.i;
            if let Ok(v) = self.nucleotide_variant_inner(system)
                && !matches!(self.peek(), Some(b')'))
            {
                return Ok(v);
            }
            self.i = save + 1;
            let mut v = self.nucleotide_variant_inner(system)?;
            self.expect(b')')?;
            v.predicted = true;
            return Ok(v);
        }
        self.nucleotide_variant_inner(system)
    }

    fn nucleotide_variant_inner(
        &mut self,
        system: CoordinateSystem,
    ) -> Result<NucleotideVariant, ParseError> {
        let location = self.location(system)?;
        let edit = match self.peek() {
            None | Some(b';') | Some(b']') | Some(b')') => None,
            Some(_) => Some(self.edit(system)?),
        };
        Ok(NucleotideVariant {
            location,
            edit,
            predicted: false,
        })
    }

    fn location(&mut self, system: CoordinateSystem) -> Result<Location, ParseError> {
        let first = self.point(system)?;
        if self.peek() == Some(b'_') {
            self.i += 1;
            let second = self.point(system)?;
            Ok(Location::Range(first, second))
        } else {
            Ok(Location::Point(first))
        }
    }

    fn point(&mut self, system: CoordinateSystem) -> Result<Point, ParseError> {
        if self.eat(b'(') {
            let a = self.position(system)?;
            self.expect(b'_')?;
            let b = self.position(system)?;
            self.expect(b')')?;
            Ok(Point::Uncertain(a, b))
        } else {
            Ok(Point::Exact(self.position(system)?))
        }
    }

    fn position(&mut self, system: CoordinateSystem) -> Result<Position, ParseError> {
        let transcript = matches!(
            system,
            CoordinateSystem::Coding | CoordinateSystem::NonCoding | CoordinateSystem::Rna
        );
        // `-`/`*` positions exist in c. and in r. (numbered like c. on coding RNA).
        let coding = matches!(system, CoordinateSystem::Coding | CoordinateSystem::Rna);
        if self.eat(b'?') {
            return Ok(Position {
                base: None,
                after_cds_end: false,
                offset: Offset::None,
            });
        }
        let mut after_cds_end = false;
        let mut negative = false;
        match self.peek() {
            Some(b'*') if coding => {
                self.i += 1;
                after_cds_end = true;
            }
            Some(b'-') if coding || system == CoordinateSystem::NonCoding => {
                self.i += 1;
                negative = true;
            }
            Some(c) if c.is_ascii_digit() => {}
            _ => return Err(self.error("a position")),
        }
        let start = self.i;
        let n = self.number()?;
        let n = i64::try_from(n).map_err(|_| ParseError {
            position: start,
            expected: "a smaller position".to_owned(),
            found: None,
        })?;
        let base = Some(if negative { -n } else { n });
        let mut offset = Offset::None;
        if transcript && let Some(sign @ (b'+' | b'-')) = self.peek() {
            // `-` followed by a digit or `?` is an offset; otherwise leave it alone.
            match self.peek_at(1) {
                Some(b'?') => {
                    self.i += 2;
                    offset = Offset::Unknown {
                        downstream: sign == b'+',
                    };
                }
                Some(c) if c.is_ascii_digit() => {
                    self.i += 1;
                    let start = self.i;
                    let o = self.number()?;
                    let o = i64::try_from(o).map_err(|_| ParseError {
                        position: start,
                        expected: "a smaller offset".to_owned(),
                        found: None,
                    })?;
                    offset = Offset::Known(if sign == b'+' { o } else { -o });
                }
                _ => return Err(self.error("an offset after the sign")),
            }
        }
        Ok(Position {
            base,
            after_cds_end,
            offset,
        })
    }

    fn sequence(&mut self, system: CoordinateSystem) -> String {
        let rna = system == CoordinateSystem::Rna;
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| if rna { is_rna(c) } else { is_dna(c) })
        {
            self.i += 1;
        }
        self.text.get(start..self.i).unwrap_or("").to_owned()
    }

    fn sequence_or_length(&mut self, system: CoordinateSystem) -> Option<SequenceOrLength> {
        if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            // Only a bare number (not the start of `5A`, `5_10`) is a length.
            let save = self.i;
            if let Ok(n) = self.number() {
                return Some(SequenceOrLength::Length(n));
            }
            self.i = save;
            return None;
        }
        let s = self.sequence(system);
        if s.is_empty() {
            None
        } else {
            Some(SequenceOrLength::Sequence(s))
        }
    }

    fn edit(&mut self, system: CoordinateSystem) -> Result<NucleotideEdit, ParseError> {
        // Parenthesised edit: `(A>C)` means predicted; keep the edit.
        if self.peek() == Some(b'(') && self.peek_at(1).is_some_and(|c| !c.is_ascii_digit()) {
            self.i += 1;
            let e = self.edit(system)?;
            self.expect(b')')?;
            return Ok(e);
        }
        if self.eat_str("delins") {
            let inserted = self.inserted(system)?;
            return Ok(NucleotideEdit::DeletionInsertion {
                deleted: None,
                inserted,
            });
        }
        if self.eat_str("del") {
            let deleted = self.sequence_or_length(system);
            if self.eat_str("ins") {
                let inserted = self.inserted(system)?;
                return Ok(NucleotideEdit::DeletionInsertion { deleted, inserted });
            }
            return Ok(NucleotideEdit::Deletion { deleted });
        }
        if self.eat_str("dup") {
            let duplicated = self.sequence_or_length(system);
            return Ok(NucleotideEdit::Duplication { duplicated });
        }
        if self.eat_str("ins") {
            let inserted = self.inserted(system)?;
            return Ok(NucleotideEdit::Insertion { inserted });
        }
        if self.eat_str("inv") {
            return Ok(NucleotideEdit::Inversion);
        }
        if self.eat_str("con") {
            let source = self.inserted_part(system)?;
            if !matches!(
                source,
                InsertedPart::Remote { .. } | InsertedPart::Range { .. }
            ) {
                return Err(self.error("a reference range after 'con'"));
            }
            return Ok(NucleotideEdit::Conversion {
                source: Inserted {
                    parts: vec![source],
                    bracketed: false,
                },
            });
        }
        if self.eat_str("copy") {
            let count = self.number()?;
            return Ok(NucleotideEdit::Copy { count });
        }
        if self.eat(b'=') {
            return Ok(NucleotideEdit::Identity { reference: None });
        }
        if self.peek() == Some(b'[') {
            let count = self.repeat_count()?;
            return Ok(NucleotideEdit::Repeat { unit: None, count });
        }
        let start = self.i;
        let reference = self.sequence(system);
        if reference.is_empty() {
            self.i = start;
            return Err(self.error("an edit (>, del, dup, ins, delins, inv, con, =, [n])"));
        }
        if self.eat(b'>') {
            let alternative = self.sequence(system);
            if alternative.is_empty() {
                return Err(self.error("the replacing base(s) after '>'"));
            }
            return Ok(NucleotideEdit::Substitution {
                reference,
                alternative,
            });
        }
        if self.eat(b'=') {
            return Ok(NucleotideEdit::Identity {
                reference: Some(reference),
            });
        }
        if self.peek() == Some(b'[') {
            let count = self.repeat_count()?;
            return Ok(NucleotideEdit::Repeat {
                unit: Some(reference),
                count,
            });
        }
        Err(self.error("'>', '=' or '[' after the sequence"))
    }

    fn repeat_count(&mut self) -> Result<u64, ParseError> {
        self.expect(b'[')?;
        let n = self.number()?;
        self.expect(b']')?;
        Ok(n)
    }

    fn inserted(&mut self, system: CoordinateSystem) -> Result<Inserted, ParseError> {
        if self.eat(b'[') {
            let mut parts = vec![self.inserted_part(system)?];
            while self.eat(b';') {
                parts.push(self.inserted_part(system)?);
            }
            self.expect(b']')?;
            Ok(Inserted {
                parts,
                bracketed: true,
            })
        } else {
            Ok(Inserted {
                parts: vec![self.inserted_part(system)?],
                bracketed: false,
            })
        }
    }

    /// Whether an accession followed by `:` or `(` starts here.
    fn at_remote_reference(&self) -> bool {
        let rest = self.rest();
        if !rest.first().is_some_and(|c| c.is_ascii_alphabetic()) {
            return false;
        }
        let run = rest
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'.')
            .count();
        matches!(rest.get(run), Some(b':') | Some(b'('))
    }

    fn inserted_part(&mut self, system: CoordinateSystem) -> Result<InsertedPart, ParseError> {
        if self.at_remote_reference() {
            let reference = self.reference()?;
            self.expect(b':')?;
            let cs = self.coordinate_system();
            let location = self.location(cs.unwrap_or(if is_transcript_accession(&reference) {
                CoordinateSystem::Coding
            } else {
                CoordinateSystem::Genomic
            }))?;
            let inverted = self.eat_str("inv");
            return Ok(InsertedPart::Remote {
                reference,
                coordinate_system: cs,
                location,
                inverted,
            });
        }
        match self.peek() {
            Some(c) if c.is_ascii_digit() || c == b'-' || c == b'*' || c == b'(' || c == b'?' => {
                let save = self.i;
                let location = self.location(system)?;
                let inverted = self.eat_str("inv");
                if let (Location::Point(Point::Exact(p)), false) = (&location, inverted)
                    && p.offset == Offset::None
                    && !p.after_cds_end
                    && let Some(n) = p.base.filter(|n| *n > 0)
                {
                    let _ = save;
                    return Ok(InsertedPart::Length(n.unsigned_abs()));
                }
                Ok(InsertedPart::Range { location, inverted })
            }
            _ => {
                let bases = self.sequence(system);
                if bases.is_empty() {
                    return Err(self.error("an inserted sequence, range or reference"));
                }
                let repeat = if self.peek() == Some(b'[') {
                    Some(self.repeat_count()?)
                } else {
                    None
                };
                Ok(InsertedPart::Sequence { bases, repeat })
            }
        }
    }

    // ---- protein ----

    fn protein(&mut self) -> Result<ProteinDescription, ParseError> {
        if self.eat(b'?') {
            return Ok(ProteinDescription::Unknown { predicted: false });
        }
        if self.eat(b'=') {
            return Ok(ProteinDescription::Identity { predicted: false });
        }
        if self.eat(b'0') {
            let uncertain = self.eat(b'?');
            return Ok(ProteinDescription::NoProtein { uncertain });
        }
        if self.eat(b'(') {
            let d = if self.eat(b'?') {
                ProteinDescription::Unknown { predicted: true }
            } else if self.eat(b'=') {
                ProteinDescription::Identity { predicted: true }
            } else {
                let (location, edit) = self.protein_change()?;
                ProteinDescription::Change {
                    predicted: true,
                    location,
                    edit,
                }
            };
            self.expect(b')')?;
            return Ok(d);
        }
        let (location, edit) = self.protein_change()?;
        Ok(ProteinDescription::Change {
            predicted: false,
            location,
            edit,
        })
    }

    /// One amino acid: three-letter code first, then one-letter.
    fn amino_acid(&mut self) -> Option<u8> {
        if let Some(three) = self.text.get(self.i..self.i + 3)
            && let Some(a) = one_letter(three)
        {
            self.i += 3;
            return Some(a);
        }
        let c = self.peek()?;
        if c == b'*' || (c.is_ascii_uppercase() && b"JO".iter().all(|x| *x != c)) {
            self.i += 1;
            return Some(c);
        }
        None
    }

    fn amino_acid_position(&mut self) -> Result<AminoAcidPosition, ParseError> {
        let amino_acid = self
            .amino_acid()
            .ok_or_else(|| self.error("an amino acid"))?;
        let number = self.number()?;
        Ok(AminoAcidPosition { amino_acid, number })
    }

    /// A run of amino acids in one style (all three-letter or all one-letter);
    /// stops before `fs`/`ext` keywords.
    fn peptide(&mut self) -> String {
        let mut out = String::new();
        let mut three: Option<bool> = None;
        loop {
            if self.rest().starts_with(b"fs") || self.rest().starts_with(b"ext") {
                break;
            }
            let save = self.i;
            match self.amino_acid() {
                Some(a) => {
                    // `*` fits either style.
                    if a != b'*' || self.i - save == 3 {
                        let is_three = self.i - save == 3;
                        if three.is_some_and(|t| t != is_three) {
                            self.i = save;
                            break;
                        }
                        three = Some(is_three);
                    }
                    out.push(a as char);
                }
                None => {
                    self.i = save;
                    break;
                }
            }
        }
        out
    }

    fn stop_position(&mut self) -> Result<(StopPosition, bool), ParseError> {
        if self.eat(b'*') || self.eat_str("Ter") || self.eat(b'X') {
            if self.eat(b'?') {
                return Ok((StopPosition::Unknown, true));
            }
            if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return Ok((StopPosition::At(self.number()?), true));
            }
            return Ok((StopPosition::Unstated, true));
        }
        Ok((StopPosition::Unstated, false))
    }

    fn protein_change(&mut self) -> Result<(ProteinLocation, ProteinEdit), ParseError> {
        let first = self.amino_acid_position()?;
        let location = if self.eat(b'_') {
            ProteinLocation::Range(first, self.amino_acid_position()?)
        } else {
            ProteinLocation::Point(first)
        };
        // An edit alone may be parenthesised as uncertain: `Gly2(del)`.
        if self.eat(b'(') {
            let edit = self.protein_edit()?;
            self.expect(b')')?;
            return Ok((location, edit));
        }
        Ok((location, self.protein_edit()?))
    }

    fn protein_edit(&mut self) -> Result<ProteinEdit, ParseError> {
        let edit = if self.eat_str("delins") {
            let inserted = self.peptide();
            if inserted.is_empty() {
                return Err(self.error("inserted amino acids after 'delins'"));
            }
            ProteinEdit::DeletionInsertion { inserted }
        } else if self.eat_str("del") {
            ProteinEdit::Deletion
        } else if self.eat_str("dup") {
            ProteinEdit::Duplication
        } else if self.eat_str("ins") {
            let inserted = self.peptide();
            if inserted.is_empty() {
                return Err(self.error("inserted amino acids after 'ins'"));
            }
            ProteinEdit::Insertion { inserted }
        } else if self.eat(b'=') {
            ProteinEdit::Identity
        } else if self.eat(b'?') {
            ProteinEdit::Unknown
        } else if self.peek() == Some(b'[') {
            ProteinEdit::Repeat {
                count: self.repeat_count()?,
            }
        } else if self.eat_str("fs") {
            let (stop, stop_written) = self.stop_position()?;
            ProteinEdit::Frameshift {
                alternative: None,
                stop,
                stop_written,
            }
        } else if self.eat_str("ext") {
            ProteinEdit::Extension {
                alternative: None,
                extension: self.extension_end()?,
            }
        } else {
            let alternative = self
                .amino_acid()
                .ok_or_else(|| self.error("a protein edit"))?;
            if self.eat_str("fs") {
                let (stop, stop_written) = self.stop_position()?;
                ProteinEdit::Frameshift {
                    alternative: Some(alternative),
                    stop,
                    stop_written,
                }
            } else if self.eat_str("ext") {
                ProteinEdit::Extension {
                    alternative: Some(alternative),
                    extension: self.extension_end()?,
                }
            } else {
                ProteinEdit::Substitution { alternative }
            }
        };
        Ok(edit)
    }

    fn extension_end(&mut self) -> Result<ExtensionEnd, ParseError> {
        if self.peek() == Some(b'-') {
            return Ok(ExtensionEnd::NTerminal(self.signed_number()?));
        }
        let (stop, written) = self.stop_position()?;
        Ok(if written {
            ExtensionEnd::CTerminal(stop)
        } else {
            ExtensionEnd::Unstated
        })
    }
}

/// Whether an accession (or its selector) names a transcript (coding by default).
pub fn is_transcript_accession(reference: &ReferenceSpec) -> bool {
    let acc = reference
        .selector
        .as_deref()
        .unwrap_or(&reference.accession);
    acc.starts_with("NM_") || acc.starts_with("XM_") || acc.starts_with("ENST")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) -> String {
        match parse(s) {
            Ok(v) => v.to_string(),
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn substitution_with_selector() {
        let v = parse("NG_012337.1(NM_003002.2):c.274G>T").unwrap();
        assert_eq!(v.reference.accession, "NG_012337.1");
        assert_eq!(v.reference.selector.as_deref(), Some("NM_003002.2"));
        assert_eq!(v.coordinate_system, Some(CoordinateSystem::Coding));
        assert_eq!(v.to_string(), "NG_012337.1(NM_003002.2):c.274G>T");
    }

    #[test]
    fn formats_what_was_parsed() {
        assert_eq!(
            roundtrip("NM_000143.3:c.44_47delTGCG"),
            "NM_000143.3:c.44_47delTGCG"
        );
        assert_eq!(
            roundtrip("NM_004006.2:c.632-5_670del"),
            "NM_004006.2:c.632-5_670del"
        );
        assert_eq!(
            roundtrip("NM_004006.2:c.*824+10del"),
            "NM_004006.2:c.*824+10del"
        );
        assert_eq!(
            roundtrip("NG_012772.1(BRCA2_v001):c.632-?_681+?del"),
            "NG_012772.1(BRCA2_v001):c.632-?_681+?del"
        );
        assert_eq!(
            roundtrip("NG_008939.1:g.5207_5208ins[4300_4309inv;CATTATCTGGC]"),
            "NG_008939.1:g.5207_5208ins[4300_4309inv;CATTATCTGGC]"
        );
        assert_eq!(roundtrip("LRG_303:g.4_5insGT[5]"), "LRG_303:g.4_5insGT[5]");
        assert_eq!(roundtrip("NP_0001.1:p.Trp15*"), "NP_0001.1:p.Trp15*");
        assert_eq!(
            roundtrip("NP_0001.1:p.(Gln730Profs*?)"),
            "NP_0001.1:p.(Gln730Profs*?)"
        );
        assert_eq!(roundtrip("NP_0001.1:p.W15Ter"), "NP_0001.1:p.Trp15*");
        assert_eq!(roundtrip("NP_0001.1:p.Met1ext-5"), "NP_0001.1:p.Met1ext-5");
        assert_eq!(
            roundtrip("NG_012337.1:g.(17550_19725)del"),
            "NG_012337.1:g.(17550_19725)del"
        );
    }

    #[test]
    fn canonical_drops_stated_sequences() {
        let v = parse("NM_1.1:c.[1_2delAGinsT;5delG;7dup2;9A=]").unwrap();
        assert_eq!(
            v.canonical().to_string(),
            "NM_1.1:c.[1_2delinsT;5del;7dup;9=]"
        );
    }

    #[test]
    fn remote_insertion() {
        let v = parse("LRG_303(t1):c.10_11insLRG_1t1:c.100_101").unwrap();
        let VariantBody::Nucleotide(vs) = &v.body else {
            panic!("not nucleotide")
        };
        assert!(matches!(
            &vs[0].edit,
            Some(NucleotideEdit::Insertion { inserted }) if matches!(inserted.parts[0], InsertedPart::Remote { .. })
        ));
    }

    #[test]
    fn errors_point_at_the_offending_byte() {
        let e = parse("NM_000143.3:c.45deluinsATC").unwrap_err();
        assert_eq!(e.position, 19);
        assert_eq!(e.found, Some('u'));
        let e = parse("NM_000143.3:c.44_47delTCUG").unwrap_err();
        assert_eq!(e.position, 24);
        assert!(
            e.pointer("NM_000143.3:c.44_47delTCUG")
                .ends_with(&format!("{}^", " ".repeat(24)))
        );
        let e = parse("NM_000143.3:x.1A>T").unwrap_err();
        assert_eq!(e.position, 12);
        assert!(parse("").is_err());
        assert!(parse("NM_:c.1A>T").is_err());
    }

    #[test]
    fn never_panics_on_truncations_and_substitutions() {
        let samples = [
            "NG_012337.1(NM_003002.2):c.[274+20C>T;400_401insNM_003002.4:100_102]",
            "NG_012772.1(BRCA2_v001):c.(632-?_681+?)del",
            "NP_000040.1:p.(Ter314TrpextTer45)",
            "LRG_303:g.6932_6933insAGCAACGTGATCGCCTCCCTCACCT[2]",
            "NM_1.1:c.*16_*18T[8]",
        ];
        let replacements = b"()[];:_.+-*?=>0123456789ACGTacgtu";
        // Whatever parses must format to text that parses back to the same value.
        let round_trips = |t: &str| {
            if let Ok(v) = parse(t) {
                assert_eq!(parse(&v.to_string()).ok(), Some(v.clone()), "{t} via {v}");
            }
        };
        for s in [
            "N2.11:g.969del1",
            "NM_1.1:c.10+0del",
            "NM_1.1:c.1_2delinsAla",
            "NP_1.1:p.Gly2_Ala3delinsAla*",
            "NM_1.1:c.1_2ins[ATC]",
            "NM_1.1:c.1A=",
            "NM_1.1:c.1_2delAinsG",
        ] {
            round_trips(s);
        }
        for s in samples {
            for cut in 0..=s.len() {
                round_trips(&s[..cut]);
            }
            for i in 0..s.len() {
                for &r in replacements {
                    let mut b = s.as_bytes().to_vec();
                    b[i] = r;
                    if let Ok(t) = std::str::from_utf8(&b) {
                        match parse(t) {
                            Err(e) => assert!(e.position <= t.len()),
                            Ok(_) => round_trips(t),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn never_panics_on_junk() {
        let e = parse("NM_1.1:c.1Ä>T").unwrap_err();
        assert_eq!(e.found, Some('Ä'));
        for s in [
            "(",
            "A:(",
            "A:c.(1_",
            "A:p.(",
            "A:c.1_2ins[",
            "A:c.99999999999999999999A>T",
            "é:c.1",
            "A:c.1+",
        ] {
            let _ = parse(s);
        }
    }
}
