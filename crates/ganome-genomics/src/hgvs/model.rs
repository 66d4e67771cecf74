//! The HGVS description model and its canonical formatting (`Display`).
//!
//! One type per grammar concept: a [`HgvsVariant`] names a reference and a
//! coordinate system and carries either nucleotide variants (one, or an allele
//! `[a;b]`) or a protein description. Formatting is faithful to what was parsed
//! (`delTG` stays `delTG`, so a formatted description parses back to the same
//! value); the normaliser builds canonical values (no stated sequences). Proteins
//! are written with three-letter codes and `*` for stops, as mutalyzer does.

use std::fmt;

/// A parsed HGVS variant description, e.g. `NG_012337.1(NM_003002.2):c.274G>T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HgvsVariant {
    /// Reference sequence (accession and optional selector in parentheses).
    pub reference: ReferenceSpec,
    /// Coordinate system (`g.`, `c.`, …); `None` when the description omits it
    /// (mutalyzer accepts `NM_003002.2:274del` and infers it from the accession).
    pub coordinate_system: Option<CoordinateSystem>,
    /// What changed.
    pub body: VariantBody,
}

impl HgvsVariant {
    /// The same description without redundant stated sequences (`delTG` → `del`,
    /// `dup2` → `dup`, `delAinsG` → `delinsG`, `A=` → `=`), the form HGVS recommends.
    pub fn canonical(&self) -> Self {
        let mut v = self.clone();
        if let VariantBody::Nucleotide(vs) = &mut v.body {
            for n in vs {
                if let Some(e) = &mut n.edit {
                    match e {
                        NucleotideEdit::Deletion { deleted } => *deleted = None,
                        NucleotideEdit::Duplication { duplicated } => *duplicated = None,
                        NucleotideEdit::DeletionInsertion { deleted, .. } => *deleted = None,
                        NucleotideEdit::Identity { reference } => *reference = None,
                        _ => {}
                    }
                }
            }
        }
        v
    }
}

/// A reference accession with an optional selector, e.g. `NC_000023.11(NM_004006.2)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceSpec {
    /// The accession (with version when given), e.g. `NG_012337.1` or `LRG_303`.
    pub accession: String,
    /// The selector in parentheses: a transcript (`NM_004006.2`), a legacy
    /// transcript name (`BRCA2_v001`), an LRG transcript (`t1`), a gene symbol or an HGNC id.
    pub selector: Option<String>,
}

/// HGVS coordinate systems (the letter before the dot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoordinateSystem {
    /// `g.` linear genomic.
    Genomic,
    /// `o.` circular genomic.
    Circular,
    /// `m.` mitochondrial.
    Mitochondrial,
    /// `c.` coding DNA.
    Coding,
    /// `n.` non-coding DNA.
    NonCoding,
    /// `r.` RNA.
    Rna,
    /// `p.` protein.
    Protein,
}

impl CoordinateSystem {
    /// The single letter used in descriptions.
    pub fn letter(self) -> char {
        match self {
            Self::Genomic => 'g',
            Self::Circular => 'o',
            Self::Mitochondrial => 'm',
            Self::Coding => 'c',
            Self::NonCoding => 'n',
            Self::Rna => 'r',
            Self::Protein => 'p',
        }
    }

    /// Parses the single letter.
    pub fn from_letter(c: u8) -> Option<Self> {
        Some(match c {
            b'g' => Self::Genomic,
            b'o' => Self::Circular,
            b'm' => Self::Mitochondrial,
            b'c' => Self::Coding,
            b'n' => Self::NonCoding,
            b'r' => Self::Rna,
            b'p' => Self::Protein,
            _ => return None,
        })
    }
}

/// The part after `x.`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariantBody {
    /// Nucleotide variants: one, or several in one allele (`[a;b]`).
    Nucleotide(Vec<NucleotideVariant>),
    /// The whole sequence is unchanged (`c.=`).
    NucleotideIdentity,
    /// A protein description.
    Protein(ProteinDescription),
}

/// One nucleotide variant: a location and (usually) an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NucleotideVariant {
    /// Where.
    pub location: Location,
    /// What; `None` for a bare location (mutalyzer accepts `c.[274;600]`).
    pub edit: Option<NucleotideEdit>,
    /// Written in parentheses (predicted/uncertain), e.g. `r.(5G>U)`.
    pub predicted: bool,
}

/// A point or a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A single position.
    Point(Point),
    /// `start_end`.
    Range(Point, Point),
}

/// A position, possibly uncertain `(a_b)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Point {
    /// An exact position.
    Exact(Position),
    /// An uncertain position somewhere between two positions: `(a_b)`.
    Uncertain(Position, Position),
}

/// A position in any nucleotide coordinate system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The base position: `None` for `?`. Negative values are 5' of the CDS start (`c.-12`).
    pub base: Option<i64>,
    /// `c.*12`: counted from the stop codon.
    pub after_cds_end: bool,
    /// Intronic or flanking offset (`+5`, `-3`, `+?`).
    pub offset: Offset,
}

/// An offset from an exon boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offset {
    /// No offset.
    None,
    /// A known offset (positive downstream, negative upstream).
    Known(i64),
    /// `+?` (true) or `-?` (false).
    Unknown {
        /// Whether the offset is downstream (`+?`).
        downstream: bool,
    },
}

impl Position {
    /// A plain position without offset.
    pub fn plain(base: i64) -> Self {
        Self {
            base: Some(base),
            after_cds_end: false,
            offset: Offset::None,
        }
    }
}

/// A sequence given explicitly or only by its length (`delTG`, `del2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SequenceOrLength {
    /// Explicit bases.
    Sequence(String),
    /// Only a length.
    Length(u64),
}

/// A nucleotide edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NucleotideEdit {
    /// `G>T` (mutalyzer also accepts several inserted bases, `G>TA`).
    Substitution {
        /// Reference base(s).
        reference: String,
        /// Replacement base(s).
        alternative: String,
    },
    /// `del`, `delTG`, `del2`.
    Deletion {
        /// The deleted sequence when stated.
        deleted: Option<SequenceOrLength>,
    },
    /// `dup`, `dupTG`, `dup2`.
    Duplication {
        /// The duplicated sequence when stated.
        duplicated: Option<SequenceOrLength>,
    },
    /// `insATC`, `ins[ATC;10_20]`.
    Insertion {
        /// What is inserted.
        inserted: Inserted,
    },
    /// `delinsATC`, `delTGinsATC`.
    DeletionInsertion {
        /// The deleted sequence when stated.
        deleted: Option<SequenceOrLength>,
        /// What is inserted.
        inserted: Inserted,
    },
    /// `inv`.
    Inversion,
    /// `conNM_004006.1:c.15_355`: gene conversion.
    Conversion {
        /// The source of the converted sequence.
        source: Inserted,
    },
    /// `=` or `A=`.
    Identity {
        /// The reference base(s) when stated.
        reference: Option<String>,
    },
    /// `GT[5]`, `[5]` (repeat unit taken from the reference).
    Repeat {
        /// The repeat unit when stated.
        unit: Option<String>,
        /// Number of copies.
        count: u64,
    },
    /// `copy2` (Invitae extension accepted by biocommons hgvs).
    Copy {
        /// Number of copies.
        count: u64,
    },
}

/// The inserted material of an insertion or deletion-insertion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inserted {
    /// The parts, concatenated.
    pub parts: Vec<InsertedPart>,
    /// Written as a list in brackets (`ins[ATC]`).
    pub bracketed: bool,
}

impl Inserted {
    /// A single literal sequence.
    pub fn sequence(bases: impl Into<String>) -> Self {
        Self {
            parts: vec![InsertedPart::Sequence {
                bases: bases.into(),
                repeat: None,
            }],
            bracketed: false,
        }
    }
}

/// One part of inserted material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertedPart {
    /// Literal bases, optionally repeated (`ACT[2]`).
    Sequence {
        /// The bases.
        bases: String,
        /// Repeat count when written `SEQ[n]`.
        repeat: Option<u64>,
    },
    /// Only a length (`ins10`).
    Length(u64),
    /// A range of the same reference, optionally inverted (`4300_4320inv`).
    Range {
        /// The copied range.
        location: Location,
        /// Reverse complemented.
        inverted: bool,
    },
    /// A range of another reference (`NM_003002.4:100_102`, `LRG_1t1:c.100_101`).
    Remote {
        /// The other reference.
        reference: ReferenceSpec,
        /// Its coordinate system when given.
        coordinate_system: Option<CoordinateSystem>,
        /// The copied range.
        location: Location,
        /// Reverse complemented.
        inverted: bool,
    },
}

/// A protein description (`p.` part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProteinDescription {
    /// `p.?` or `p.(?)`.
    Unknown {
        /// Written in parentheses.
        predicted: bool,
    },
    /// `p.0` or `p.0?`: no protein.
    NoProtein {
        /// Written `p.0?`.
        uncertain: bool,
    },
    /// `p.=` or `p.(=)`.
    Identity {
        /// Written in parentheses.
        predicted: bool,
    },
    /// A located protein change.
    Change {
        /// Written in parentheses.
        predicted: bool,
        /// Where.
        location: ProteinLocation,
        /// What.
        edit: ProteinEdit,
    },
}

/// An amino-acid position (`Gly12`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AminoAcidPosition {
    /// One-letter code (`*` for a stop).
    pub amino_acid: u8,
    /// 1-based residue number.
    pub number: u64,
}

/// A protein point or range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProteinLocation {
    /// One residue.
    Point(AminoAcidPosition),
    /// `first_last`.
    Range(AminoAcidPosition, AminoAcidPosition),
}

/// Where a frameshift or extension ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopPosition {
    /// Not stated (`fs`, `fsTer`).
    Unstated,
    /// Known distance (`fs*43`).
    At(u64),
    /// Unknown (`fs*?`).
    Unknown,
}

/// A protein edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProteinEdit {
    /// `Gly12Asp`, `Trp15*`.
    Substitution {
        /// One-letter code of the new residue.
        alternative: u8,
    },
    /// `del`.
    Deletion,
    /// `dup`.
    Duplication,
    /// `insGlnGln`.
    Insertion {
        /// One-letter codes of the inserted residues.
        inserted: String,
    },
    /// `delinsIleSer`.
    DeletionInsertion {
        /// One-letter codes of the inserted residues.
        inserted: String,
    },
    /// `Arg97Profs*23`.
    Frameshift {
        /// First new residue when stated.
        alternative: Option<u8>,
        /// Position of the new stop codon.
        stop: StopPosition,
        /// Whether the stop codon was written (`fs*`, `fsTer`) without a number.
        stop_written: bool,
    },
    /// `*110Glnext*17` (C-terminal) or `Met1ext-5` (N-terminal).
    Extension {
        /// New residue at the changed position when stated.
        alternative: Option<u8>,
        /// C-terminal: new stop position; N-terminal: negative offset.
        extension: ExtensionEnd,
    },
    /// `Gly7=`.
    Identity,
    /// `Met1?`.
    Unknown,
    /// `Gln18[23]`.
    Repeat {
        /// Number of copies.
        count: u64,
    },
}

/// How an extension ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionEnd {
    /// `ext` alone.
    Unstated,
    /// `ext*17`, `ext*?` or `ext*`.
    CTerminal(StopPosition),
    /// `ext-5`.
    NTerminal(i64),
}

/// The three-letter code of a one-letter amino-acid code.
pub fn three_letter(one: u8) -> &'static str {
    match one {
        b'A' => "Ala",
        b'R' => "Arg",
        b'N' => "Asn",
        b'D' => "Asp",
        b'C' => "Cys",
        b'E' => "Glu",
        b'Q' => "Gln",
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
        b'U' => "Sec",
        b'O' => "Pyl",
        b'B' => "Asx",
        b'Z' => "Glx",
        b'*' => "Ter",
        _ => "Xaa",
    }
}

/// The one-letter code of a three-letter amino-acid code (`Ter` → `*`).
pub fn one_letter(three: &str) -> Option<u8> {
    Some(match three {
        "Ala" => b'A',
        "Arg" => b'R',
        "Asn" => b'N',
        "Asp" => b'D',
        "Cys" => b'C',
        "Glu" => b'E',
        "Gln" => b'Q',
        "Gly" => b'G',
        "His" => b'H',
        "Ile" => b'I',
        "Leu" => b'L',
        "Lys" => b'K',
        "Met" => b'M',
        "Phe" => b'F',
        "Pro" => b'P',
        "Ser" => b'S',
        "Thr" => b'T',
        "Trp" => b'W',
        "Tyr" => b'Y',
        "Val" => b'V',
        "Sec" => b'U',
        "Pyl" => b'O',
        "Asx" => b'B',
        "Glx" => b'Z',
        "Xaa" => b'X',
        "Ter" => b'*',
        _ => return None,
    })
}

/// Writes one-letter amino acids as three-letter codes; a stop is written `*`
/// inside fs/ext and as `Ter` elsewhere, matching mutalyzer's output (`Trp15*`).
fn write_peptide(f: &mut fmt::Formatter<'_>, residues: &str) -> fmt::Result {
    for r in residues.bytes() {
        if r == b'*' {
            f.write_str("*")?;
        } else {
            f.write_str(three_letter(r))?;
        }
    }
    Ok(())
}

/// Writes a stated deleted/duplicated sequence or length as given (`delTG`, `del2`).
fn write_stated(f: &mut fmt::Formatter<'_>, stated: &Option<SequenceOrLength>) -> fmt::Result {
    match stated {
        Some(SequenceOrLength::Sequence(s)) => f.write_str(s),
        Some(SequenceOrLength::Length(n)) => write!(f, "{n}"),
        None => Ok(()),
    }
}

impl fmt::Display for HgvsVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.reference)?;
        if let Some(cs) = self.coordinate_system {
            write!(f, "{}.", cs.letter())?;
        }
        write!(f, "{}", self.body)
    }
}

impl fmt::Display for ReferenceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.accession)?;
        if let Some(s) = &self.selector {
            write!(f, "({s})")?;
        }
        Ok(())
    }
}

impl fmt::Display for VariantBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NucleotideIdentity => f.write_str("="),
            Self::Nucleotide(vs) if vs.len() == 1 => write!(f, "{}", vs[0]),
            Self::Nucleotide(vs) => {
                f.write_str("[")?;
                for (i, v) in vs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(";")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Self::Protein(p) => write!(f, "{p}"),
        }
    }
}

impl fmt::Display for NucleotideVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.predicted {
            f.write_str("(")?;
        }
        write!(f, "{}", self.location)?;
        if let Some(e) = &self.edit {
            write!(f, "{e}")?;
        }
        if self.predicted {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Point(p) => write!(f, "{p}"),
            Self::Range(a, b) => write!(f, "{a}_{b}"),
        }
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exact(p) => write!(f, "{p}"),
            Self::Uncertain(a, b) => write!(f, "({a}_{b})"),
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.after_cds_end {
            f.write_str("*")?;
        }
        match self.base {
            Some(b) => write!(f, "{b}")?,
            None => f.write_str("?")?,
        }
        match self.offset {
            Offset::None => Ok(()),
            Offset::Known(o) if o >= 0 => write!(f, "+{o}"),
            Offset::Known(o) => write!(f, "{o}"),
            Offset::Unknown { downstream: true } => f.write_str("+?"),
            Offset::Unknown { downstream: false } => f.write_str("-?"),
        }
    }
}

impl fmt::Display for NucleotideEdit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Substitution {
                reference,
                alternative,
            } => write!(f, "{reference}>{alternative}"),
            Self::Deletion { deleted } => {
                f.write_str("del")?;
                write_stated(f, deleted)
            }
            Self::Duplication { duplicated } => {
                f.write_str("dup")?;
                write_stated(f, duplicated)
            }
            Self::Insertion { inserted } => write!(f, "ins{inserted}"),
            Self::DeletionInsertion {
                deleted: Some(d),
                inserted,
            } => {
                f.write_str("del")?;
                write_stated(f, &Some(d.clone()))?;
                write!(f, "ins{inserted}")
            }
            Self::DeletionInsertion {
                deleted: None,
                inserted,
            } => write!(f, "delins{inserted}"),
            Self::Inversion => f.write_str("inv"),
            Self::Conversion { source } => write!(f, "con{source}"),
            Self::Identity { reference } => {
                if let Some(r) = reference {
                    f.write_str(r)?;
                }
                f.write_str("=")
            }
            Self::Repeat { unit, count } => {
                if let Some(u) = unit {
                    f.write_str(u)?;
                }
                write!(f, "[{count}]")
            }
            Self::Copy { count } => write!(f, "copy{count}"),
        }
    }
}

impl fmt::Display for Inserted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bracket = self.bracketed;
        if bracket {
            f.write_str("[")?;
        }
        for (i, p) in self.parts.iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            write!(f, "{p}")?;
        }
        if bracket {
            f.write_str("]")?;
        }
        Ok(())
    }
}

impl fmt::Display for InsertedPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sequence { bases, repeat } => {
                f.write_str(bases)?;
                if let Some(n) = repeat {
                    write!(f, "[{n}]")?;
                }
                Ok(())
            }
            Self::Length(n) => write!(f, "{n}"),
            Self::Range { location, inverted } => {
                write!(f, "{location}")?;
                if *inverted {
                    f.write_str("inv")?;
                }
                Ok(())
            }
            Self::Remote {
                reference,
                coordinate_system,
                location,
                inverted,
            } => {
                write!(f, "{reference}:")?;
                if let Some(cs) = coordinate_system {
                    write!(f, "{}.", cs.letter())?;
                }
                write!(f, "{location}")?;
                if *inverted {
                    f.write_str("inv")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for ProteinDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown { predicted: true } => f.write_str("(?)"),
            Self::Unknown { predicted: false } => f.write_str("?"),
            Self::NoProtein { uncertain: true } => f.write_str("0?"),
            Self::NoProtein { uncertain: false } => f.write_str("0"),
            Self::Identity { predicted: true } => f.write_str("(=)"),
            Self::Identity { predicted: false } => f.write_str("="),
            Self::Change {
                predicted,
                location,
                edit,
            } => {
                if *predicted {
                    f.write_str("(")?;
                }
                write!(f, "{location}{edit}")?;
                if *predicted {
                    f.write_str(")")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for AminoAcidPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.amino_acid == b'*' {
            write!(f, "*{}", self.number)
        } else {
            write!(f, "{}{}", three_letter(self.amino_acid), self.number)
        }
    }
}

impl fmt::Display for ProteinLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Point(p) => write!(f, "{p}"),
            Self::Range(a, b) => write!(f, "{a}_{b}"),
        }
    }
}

impl fmt::Display for StopPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unstated => Ok(()),
            Self::At(n) => write!(f, "*{n}"),
            Self::Unknown => f.write_str("*?"),
        }
    }
}

impl fmt::Display for ProteinEdit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Substitution { alternative } => {
                write_peptide(f, &(*alternative as char).to_string())
            }
            Self::Deletion => f.write_str("del"),
            Self::Duplication => f.write_str("dup"),
            Self::Insertion { inserted } => {
                f.write_str("ins")?;
                write_peptide(f, inserted)
            }
            Self::DeletionInsertion { inserted } => {
                f.write_str("delins")?;
                write_peptide(f, inserted)
            }
            Self::Frameshift {
                alternative,
                stop,
                stop_written,
            } => {
                if let Some(a) = alternative {
                    f.write_str(three_letter(*a))?;
                }
                f.write_str("fs")?;
                match stop {
                    StopPosition::Unstated if *stop_written => f.write_str("*"),
                    s => write!(f, "{s}"),
                }
            }
            Self::Extension {
                alternative,
                extension,
            } => {
                if let Some(a) = alternative {
                    f.write_str(three_letter(*a))?;
                }
                f.write_str("ext")?;
                match extension {
                    ExtensionEnd::Unstated => Ok(()),
                    ExtensionEnd::CTerminal(StopPosition::Unstated) => f.write_str("*"),
                    ExtensionEnd::CTerminal(s) => write!(f, "{s}"),
                    ExtensionEnd::NTerminal(n) => write!(f, "{n}"),
                }
            }
            Self::Identity => f.write_str("="),
            Self::Unknown => f.write_str("?"),
            Self::Repeat { count } => write!(f, "[{count}]"),
        }
    }
}
