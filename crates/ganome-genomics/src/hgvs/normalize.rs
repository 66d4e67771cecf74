//! Normalisation of nucleotide descriptions against a reference.
//!
//! Every variant is first turned into a reference-level edit (0-based half-open
//! span on the reference's forward strand plus the inserted bases), after checking
//! any stated reference bases. Edits are then merged when they touch, trimmed of
//! bases common to the deleted and inserted sequence and written back:
//! deletions and insertions are shifted 3′ (towards the transcript's 3′ end for
//! `c.`/`n.`, towards higher coordinates for `g.`), an insertion that repeats the
//! preceding sequence becomes `dup` (one copy) or a repeat `UNIT[n]` (several
//! copies), a 1:1 delins becomes a substitution, a reverse-complement delins an
//! inversion. The same edits feed [`super::protein::predict`] for `p.`.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::Arc,
};

use thiserror::Error;

use super::{
    model::{
        CoordinateSystem, HgvsVariant, Inserted, InsertedPart, Location, NucleotideEdit,
        NucleotideVariant, Offset, Point, Position, ReferenceSpec, SequenceOrLength, VariantBody,
    },
    parser::{ParseError, is_transcript_accession},
    protein::{predict, reverse_complement},
    reference::{Reference, ReferenceError, ReferenceTranscript},
};

/// Why a description could not be normalised.
#[derive(Debug, Error)]
pub enum NormalizeError {
    /// The description is not valid HGVS.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The reference could not be loaded.
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    /// The selector names no transcript of the reference.
    #[error("no transcript {selector} on {accession}")]
    UnknownSelector {
        /// The reference.
        accession: String,
        /// The selector.
        selector: String,
    },
    /// A position lies outside the reference or cannot be placed.
    #[error("position {position} is outside {accession}")]
    OutOfRange {
        /// The reference.
        accession: String,
        /// The position as written.
        position: String,
    },
    /// A stated reference sequence or length differs from the reference.
    #[error("{position}: stated sequence {stated} does not match the reference {actual}")]
    SequenceMismatch {
        /// The location as written.
        position: String,
        /// What the description says.
        stated: String,
        /// What the reference has.
        actual: String,
    },
    /// The description uses something this engine does not normalise.
    #[error("not supported: {0}")]
    Unsupported(String),
    /// Two variants of one allele overlap.
    #[error("variants overlap: {0}")]
    Overlap(String),
}

/// Longest inserted sequence a description may expand to (repeats, copies).
const MAX_INSERTED: usize = 10_000_000;

fn too_long(len: u128) -> Result<(), NormalizeError> {
    if len > MAX_INSERTED as u128 {
        Err(NormalizeError::Unsupported(format!(
            "inserted sequence longer than {MAX_INSERTED} bases"
        )))
    } else {
        Ok(())
    }
}

/// A reference-level edit: replace `start..end` (0-based, forward strand) by `inserted`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefEdit {
    /// First replaced base.
    pub start: usize,
    /// One past the last replaced base (`start == end` for an insertion).
    pub end: usize,
    /// Inserted bases, forward strand.
    pub inserted: Vec<u8>,
}

/// The result of normalising one description.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Normalization {
    /// The description as given.
    pub input: String,
    /// The normalised description in the input's coordinate system.
    pub normalized: Option<String>,
    /// The same variant on the genomic reference (`g.`), when the reference is genomic.
    pub genomic: Option<String>,
    /// The predicted protein change, when the transcript is coding.
    pub protein: Option<String>,
    /// The reference sequence the edits apply to (versioned accession).
    #[serde(skip)]
    pub reference_accession: String,
    /// The change as reference-level edits: forward strand, 0-based, trimmed and
    /// shifted to the highest coordinate (VCF-like, but right-aligned). Two
    /// descriptions of the same change have equal edits.
    #[serde(skip)]
    pub reference_edits: Vec<RefEdit>,
}

/// Supplies references by accession.
pub trait ReferenceProvider {
    /// The reference named `accession`.
    fn reference(&mut self, accession: &str) -> Result<Arc<Reference>, ReferenceError>;
}

/// References from a directory of `<accession>.gff3` + `<accession>.fasta`, cached.
#[derive(Debug)]
pub struct DirectoryReferences {
    dir: PathBuf,
    cache: HashMap<String, Arc<Reference>>,
}

impl DirectoryReferences {
    /// References under `dir`.
    pub fn new(dir: impl AsRef<Path>) -> Self {
        Self {
            dir: dir.as_ref().to_path_buf(),
            cache: HashMap::new(),
        }
    }
}

impl ReferenceProvider for DirectoryReferences {
    fn reference(&mut self, accession: &str) -> Result<Arc<Reference>, ReferenceError> {
        if let Some(r) = self.cache.get(accession) {
            return Ok(Arc::clone(r));
        }
        let r = Arc::new(Reference::load(&self.dir, accession)?);
        self.cache.insert(accession.to_owned(), Arc::clone(&r));
        Ok(r)
    }
}

/// Parses and normalises one description.
pub fn normalize(
    description: &str,
    references: &mut dyn ReferenceProvider,
) -> Result<Normalization, NormalizeError> {
    let variant = super::parse(description)?;
    normalize_variant(description, &variant, references)
}

/// The frame a description's positions are read in.
struct Frame<'a> {
    reference: &'a Reference,
    transcript: Option<&'a ReferenceTranscript>,
    system: CoordinateSystem,
}

impl Frame<'_> {
    fn out_of_range(&self, what: impl ToString) -> NormalizeError {
        NormalizeError::OutOfRange {
            accession: self.reference.accession.clone(),
            position: what.to_string(),
        }
    }

    fn forward(&self) -> bool {
        self.transcript.is_none_or(|t| t.forward)
    }

    /// Reference index (0-based, forward) of a written position.
    fn index(&self, p: &Position) -> Result<usize, NormalizeError> {
        let base = p.base.ok_or_else(|| {
            NormalizeError::Unsupported("unknown position '?' cannot be normalised".to_owned())
        })?;
        let offset = match p.offset {
            Offset::None => 0,
            Offset::Known(o) => o,
            Offset::Unknown { .. } => {
                return Err(NormalizeError::Unsupported(
                    "unknown intronic offset cannot be normalised".to_owned(),
                ));
            }
        };
        let _ = (base, offset);
        let idx = match (self.system, self.transcript) {
            (
                CoordinateSystem::Coding | CoordinateSystem::NonCoding | CoordinateSystem::Rna,
                Some(t),
            ) => {
                if !matches!(p.offset, Offset::None) && self.reference.is_transcript {
                    return Err(NormalizeError::Unsupported(format!(
                        "intronic position {p} on the transcript reference {}",
                        self.reference.accession
                    )));
                }
                let coding = self.coding();
                if coding && t.cds.is_none() {
                    return Err(NormalizeError::Unsupported(format!(
                        "c. position on non-coding {}",
                        t.id
                    )));
                }
                t.index_of_position(p, coding)
                    .ok_or_else(|| self.out_of_range(p))?
            }
            _ => base - 1,
        };
        if idx < 0 || idx as usize >= self.reference.sequence.len() {
            return Err(self.out_of_range(p));
        }
        Ok(idx as usize)
    }

    /// Written position of a reference index.
    fn position(&self, x: usize) -> Position {
        match (self.system, self.transcript) {
            (
                CoordinateSystem::Coding | CoordinateSystem::NonCoding | CoordinateSystem::Rna,
                Some(t),
            ) => t.position_of_index(x, self.coding()),
            _ => Position::plain(x as i64 + 1),
        }
    }

    /// Forward-strand span of a written location.
    fn span(&self, loc: &Location) -> Result<(usize, usize), NormalizeError> {
        let exact = |p: &Point| match p {
            Point::Exact(p) => Ok(*p),
            Point::Uncertain(..) => Err(NormalizeError::Unsupported(
                "uncertain positions cannot be normalised".to_owned(),
            )),
        };
        let (a, b) = match loc {
            Location::Point(p) => {
                let i = self.index(&exact(p)?)?;
                (i, i)
            }
            Location::Range(p, q) => (self.index(&exact(p)?)?, self.index(&exact(q)?)?),
        };
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        if (self.strand_forward() && a > b) || (!self.strand_forward() && a < b) {
            return Err(NormalizeError::Unsupported(format!(
                "range {loc} is given in reverse order"
            )));
        }
        Ok((lo, hi + 1))
    }

    /// Bases of a forward span in the description's orientation.
    fn oriented(&self, s: &[u8]) -> Vec<u8> {
        if self.forward() || self.system == CoordinateSystem::Genomic {
            s.to_vec()
        } else {
            reverse_complement(s)
        }
    }

    /// Whether positions count from the CDS (`c.`, and `r.` on a coding transcript).
    fn coding(&self) -> bool {
        match self.system {
            CoordinateSystem::Coding => true,
            CoordinateSystem::Rna => self.transcript.is_some_and(|t| t.cds.is_some()),
            _ => false,
        }
    }

    /// Bases as written in this coordinate system: `r.` uses lower-case `acgu`.
    fn seq_text(&self, s: &[u8]) -> String {
        if self.system == CoordinateSystem::Rna {
            s.iter()
                .map(|&b| match b {
                    b'T' => 'u',
                    o => o.to_ascii_lowercase() as char,
                })
                .collect()
        } else {
            text(s)
        }
    }

    fn to_forward(&self, s: &[u8]) -> Vec<u8> {
        self.oriented(s)
    }

    fn strand_forward(&self) -> bool {
        self.forward() || self.system == CoordinateSystem::Genomic
    }
}

fn upper(s: &str) -> Vec<u8> {
    s.bytes()
        .map(|b| match b.to_ascii_uppercase() {
            b'U' => b'T',
            o => o,
        })
        .collect()
}

fn check_stated(
    loc: &Location,
    stated: &Option<SequenceOrLength>,
    actual: &[u8],
) -> Result<(), NormalizeError> {
    match stated {
        Some(SequenceOrLength::Sequence(s)) if upper(s) != actual => {
            Err(NormalizeError::SequenceMismatch {
                position: loc.to_string(),
                stated: s.clone(),
                actual: String::from_utf8_lossy(actual).into_owned(),
            })
        }
        Some(SequenceOrLength::Length(n)) if *n as usize != actual.len() => {
            Err(NormalizeError::SequenceMismatch {
                position: loc.to_string(),
                stated: n.to_string(),
                actual: actual.len().to_string(),
            })
        }
        _ => Ok(()),
    }
}

/// Resolves inserted material into bases in the description's orientation.
fn inserted_bases(
    frame: &Frame<'_>,
    inserted: &Inserted,
    references: &mut dyn ReferenceProvider,
) -> Result<Vec<u8>, NormalizeError> {
    let mut out = Vec::new();
    for part in &inserted.parts {
        match part {
            InsertedPart::Sequence { bases, repeat } => {
                let b = upper(bases);
                too_long(b.len() as u128 * u128::from(repeat.unwrap_or(1)) + out.len() as u128)?;
                for _ in 0..repeat.unwrap_or(1) {
                    out.extend_from_slice(&b);
                }
            }
            InsertedPart::Length(_) => {
                return Err(NormalizeError::Unsupported(
                    "inserted sequence given only by its length".to_owned(),
                ));
            }
            InsertedPart::Range { location, inverted } => {
                let (s, e) = frame.span(location)?;
                let seq = frame.oriented(&frame.reference.sequence[s..e]);
                out.extend(if *inverted {
                    reverse_complement(&seq)
                } else {
                    seq
                });
            }
            InsertedPart::Remote {
                reference,
                coordinate_system,
                location,
                inverted,
            } => {
                let r = references.reference(split_lrg(&reference.accession).0)?;
                let system = coordinate_system.unwrap_or(if is_transcript_accession(reference) {
                    CoordinateSystem::Coding
                } else {
                    CoordinateSystem::Genomic
                });
                let transcript = pick_transcript(&r, reference, system)?;
                let remote = Frame {
                    reference: &r,
                    transcript,
                    system,
                };
                let (s, e) = remote.span(location)?;
                let seq = remote.oriented(&r.sequence[s..e]);
                out.extend(if *inverted {
                    reverse_complement(&seq)
                } else {
                    seq
                });
            }
        }
    }
    Ok(out)
}

fn pick_transcript<'a>(
    r: &'a Reference,
    spec: &ReferenceSpec,
    system: CoordinateSystem,
) -> Result<Option<&'a ReferenceTranscript>, NormalizeError> {
    if let Some(sel) = &spec.selector {
        if r.is_transcript {
            return Ok(r.transcripts.first());
        }
        return r
            .transcript(sel)
            .map(Some)
            .ok_or_else(|| NormalizeError::UnknownSelector {
                accession: r.accession.clone(),
                selector: sel.clone(),
            });
    }
    // An LRG accession written `LRG_1t1` carries its transcript in the name.
    if let Some((_, t)) = split_lrg(&spec.accession).1.map(|t| ((), t))
        && let Some(tr) = r.transcript(t)
    {
        return Ok(Some(tr));
    }
    // A transcript accession (Ensembl ENST…) names its own transcript on a genomic slice.
    if let Some(tr) = r.transcript(&spec.accession) {
        return Ok(Some(tr));
    }
    match system {
        CoordinateSystem::Genomic
        | CoordinateSystem::Mitochondrial
        | CoordinateSystem::Circular
            if !r.is_transcript =>
        {
            Ok(None)
        }
        _ => Ok(r.default_transcript()),
    }
}

/// Splits `LRG_1t1` into the record `LRG_1` and the transcript `t1`.
fn split_lrg(accession: &str) -> (&str, Option<&str>) {
    if let Some(rest) = accession.strip_prefix("LRG_")
        && let Some(i) = rest.find('t')
    {
        return (&accession[..4 + i], Some(&rest[i..]));
    }
    (accession, None)
}

/// The edit of one written variant, in the frame of the description.
fn to_ref_edit(
    frame: &Frame<'_>,
    v: &NucleotideVariant,
    references: &mut dyn ReferenceProvider,
) -> Result<Option<RefEdit>, NormalizeError> {
    let Some(edit) = &v.edit else {
        return Ok(None);
    };
    let seq = &frame.reference.sequence;
    let (s, e) = frame.span(&v.location)?;
    let here = frame.oriented(&seq[s..e]);
    let edit = match edit {
        NucleotideEdit::Substitution {
            reference,
            alternative,
        } => {
            check_stated(
                &v.location,
                &Some(SequenceOrLength::Sequence(reference.clone())),
                &here,
            )?;
            RefEdit {
                start: s,
                end: e,
                inserted: frame.to_forward(&upper(alternative)),
            }
        }
        NucleotideEdit::Deletion { deleted } => {
            check_stated(&v.location, deleted, &here)?;
            RefEdit {
                start: s,
                end: e,
                inserted: Vec::new(),
            }
        }
        NucleotideEdit::Duplication { duplicated } => {
            check_stated(&v.location, duplicated, &here)?;
            RefEdit {
                start: e,
                end: e,
                inserted: seq[s..e].to_vec(),
            }
        }
        NucleotideEdit::Insertion { inserted } => {
            if let Location::Range(..) = v.location {
                if e - s != 2 {
                    return Err(NormalizeError::Unsupported(format!(
                        "insertion between non-adjacent positions {}",
                        v.location
                    )));
                }
            } else {
                return Err(NormalizeError::Unsupported(
                    "insertion needs two flanking positions".to_owned(),
                ));
            }
            let bases = inserted_bases(frame, inserted, references)?;
            RefEdit {
                start: s + 1,
                end: s + 1,
                inserted: frame.to_forward(&bases),
            }
        }
        NucleotideEdit::DeletionInsertion { deleted, inserted } => {
            check_stated(&v.location, deleted, &here)?;
            let bases = inserted_bases(frame, inserted, references)?;
            RefEdit {
                start: s,
                end: e,
                inserted: frame.to_forward(&bases),
            }
        }
        NucleotideEdit::Inversion => RefEdit {
            start: s,
            end: e,
            inserted: reverse_complement(&seq[s..e]),
        },
        NucleotideEdit::Identity { reference } => {
            if let Some(r) = reference {
                check_stated(
                    &v.location,
                    &Some(SequenceOrLength::Sequence(r.clone())),
                    &here,
                )?;
            }
            RefEdit {
                start: s,
                end: e,
                inserted: seq[s..e].to_vec(),
            }
        }
        NucleotideEdit::Repeat { unit, count } => {
            let unit = unit.as_deref().map(upper).unwrap_or_else(|| here.clone());
            if unit.is_empty() {
                return Err(NormalizeError::Unsupported("empty repeat unit".to_owned()));
            }
            if !here.len().is_multiple_of(unit.len())
                || here.chunks(unit.len()).any(|c| c != unit.as_slice())
            {
                return Err(NormalizeError::SequenceMismatch {
                    position: v.location.to_string(),
                    stated: String::from_utf8_lossy(&unit).into_owned(),
                    actual: String::from_utf8_lossy(&here).into_owned(),
                });
            }
            too_long(unit.len() as u128 * u128::from(*count))?;
            let mut bases = Vec::new();
            for _ in 0..*count {
                bases.extend_from_slice(&unit);
            }
            RefEdit {
                start: s,
                end: e,
                inserted: frame.to_forward(&bases),
            }
        }
        NucleotideEdit::Conversion { .. } | NucleotideEdit::Copy { .. } => {
            return Err(NormalizeError::Unsupported(format!("edit {edit}")));
        }
    };
    Ok(Some(edit))
}

/// Splits a same-length replacement into its runs of differing bases (`CGA`→`GCG`
/// is two substitutions, not one delins), unless it is an inversion.
fn split_mismatch_runs(seq: &[u8], edits: Vec<RefEdit>) -> Vec<RefEdit> {
    let mut out = Vec::with_capacity(edits.len());
    for e in edits {
        let del = &seq[e.start..e.end];
        if del.len() != e.inserted.len() || del.len() < 2 || reverse_complement(del) == e.inserted {
            out.push(e);
            continue;
        }
        let mut i = 0;
        while i < del.len() {
            if del[i] == e.inserted[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < del.len() && del[i] != e.inserted[i] {
                i += 1;
            }
            out.push(RefEdit {
                start: e.start + start,
                end: e.start + i,
                inserted: e.inserted[start..i].to_vec(),
            });
        }
    }
    out
}

/// Trims bases shared by the deleted and inserted sequence (suffix first, then prefix).
fn trim(seq: &[u8], e: &RefEdit) -> RefEdit {
    let (mut s, mut en) = (e.start, e.end);
    let mut ins: &[u8] = &e.inserted;
    while en > s && !ins.is_empty() && seq[en - 1] == ins[ins.len() - 1] {
        en -= 1;
        ins = &ins[..ins.len() - 1];
    }
    while en > s && !ins.is_empty() && seq[s] == ins[0] {
        s += 1;
        ins = &ins[1..];
    }
    RefEdit {
        start: s,
        end: en,
        inserted: ins.to_vec(),
    }
}

/// Shifts a pure deletion or insertion as far as possible in one direction.
fn shift(seq: &[u8], e: &RefEdit, towards_end: bool) -> RefEdit {
    let mut e = e.clone();
    if e.inserted.is_empty() && e.end > e.start {
        if towards_end {
            while e.end < seq.len() && seq[e.start] == seq[e.end] {
                e.start += 1;
                e.end += 1;
            }
        } else {
            while e.start > 0 && seq[e.start - 1] == seq[e.end - 1] {
                e.start -= 1;
                e.end -= 1;
            }
        }
    } else if e.start == e.end && !e.inserted.is_empty() {
        if towards_end {
            while e.start < seq.len() && e.inserted[0] == seq[e.start] {
                e.inserted.rotate_left(1);
                e.start += 1;
            }
        } else {
            while e.start > 0 && e.inserted[e.inserted.len() - 1] == seq[e.start - 1] {
                e.inserted.rotate_right(1);
                e.start -= 1;
            }
        }
        e.end = e.start;
    }
    e
}

/// Smallest unit `u` with `s == u^k`.
fn period(s: &[u8]) -> usize {
    (1..=s.len())
        .find(|&p| s.len().is_multiple_of(p) && s.chunks(p).all(|c| c == &s[..p]))
        .unwrap_or(s.len())
}

/// How an edit is written after normalisation, on forward coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Described {
    Identity,
    Substitution(usize, u8, u8),
    Deletion(usize, usize),
    Duplication(usize, usize),
    Insertion(usize, Vec<u8>),
    Repeat(usize, usize, Vec<u8>, u64),
    Inversion(usize, usize),
    DelIns(usize, usize, Vec<u8>),
    /// Inserted bases copied from a nearby reference range (`start`, `end`, inverted).
    InsertionCopy(usize, usize, usize, bool),
    /// Deleted span replaced by a nearby reference range.
    DelInsCopy(usize, usize, usize, usize, bool),
}

/// Inserted material at least this long is looked up in the nearby reference.
const COPY_MIN_LEN: usize = 20;

/// A copy of `ins` (or of its reverse complement) in the reference within
/// `ins.len()` bases of the edited span `s..e`, nearest first. Long insertions
/// that duplicate nearby sequence are written as that range (`ins7_31`), as
/// mutalyzer does; distant matches are not looked for.
fn nearby_copy(seq: &[u8], s: usize, e: usize, ins: &[u8]) -> Option<(usize, usize, bool)> {
    let n = ins.len();
    if !(COPY_MIN_LEN..=100_000).contains(&n) {
        return None;
    }
    let lo = s.saturating_sub(2 * n);
    let hi = (e + 2 * n).min(seq.len());
    let region = seq.get(lo..hi)?;
    let rc = reverse_complement(ins);
    let mut best: Option<(usize, usize, bool)> = None;
    let distance = |a: usize| -> usize {
        if a + n <= s {
            s - (a + n)
        } else {
            a.saturating_sub(e)
        }
    };
    for (k, w) in region.windows(n).enumerate() {
        let a = lo + k;
        if a < e && a + n > s {
            continue;
        }
        let hit = if w == ins {
            Some(false)
        } else if w == rc.as_slice() {
            Some(true)
        } else {
            None
        };
        if let Some(inv) = hit
            && distance(a) <= n
            && best.is_none_or(|(b, _, _)| distance(a) < distance(b))
        {
            best = Some((a, a + n, inv));
        }
    }
    best
}

fn describe(seq: &[u8], edit: &RefEdit, towards_end: bool) -> Described {
    let e = shift(seq, &trim(seq, edit), towards_end);
    let (s, en) = (e.start, e.end);
    if s == en && e.inserted.is_empty() {
        return Described::Identity;
    }
    if e.inserted.is_empty() {
        return Described::Deletion(s, en);
    }
    if s == en {
        let ins = &e.inserted;
        let p = period(ins);
        let unit = &ins[..p];
        let k = (ins.len() / p) as u64;
        // Copies of the unit already in the reference next to the insertion,
        // on the side the insertion was shifted away from.
        let mut m = 0usize;
        if towards_end {
            while s >= (m + 1) * p && &seq[s - (m + 1) * p..s - m * p] == unit {
                m += 1;
            }
        } else {
            while s + (m + 1) * p <= seq.len() && &seq[s + m * p..s + (m + 1) * p] == unit {
                m += 1;
            }
        }
        if m > 0 {
            let (rs, re) = if towards_end {
                (s - m * p, s)
            } else {
                (s, s + m * p)
            };
            if k == 1 {
                return if towards_end {
                    Described::Duplication(s - p, s)
                } else {
                    Described::Duplication(s, s + p)
                };
            }
            return Described::Repeat(rs, re, unit.to_vec(), m as u64 + k);
        }
        if let Some((a, b, inv)) = nearby_copy(seq, s, en, &e.inserted) {
            return Described::InsertionCopy(s, a, b, inv);
        }
        return Described::Insertion(s, e.inserted);
    }
    let del = &seq[s..en];
    if del.len() == 1 && e.inserted.len() == 1 {
        return Described::Substitution(s, del[0], e.inserted[0]);
    }
    if del.len() > 1 && reverse_complement(del) == e.inserted {
        return Described::Inversion(s, en);
    }
    if let Some((a, b, inv)) = nearby_copy(seq, s, en, &e.inserted) {
        return Described::DelInsCopy(s, en, a, b, inv);
    }
    Described::DelIns(s, en, e.inserted)
}

fn location(frame: &Frame<'_>, s: usize, e: usize) -> Location {
    // `s..e` forward, non-empty.
    let (a, b) = if frame.strand_forward() {
        (s, e - 1)
    } else {
        (e - 1, s)
    };
    if a == b {
        Location::Point(Point::Exact(frame.position(a)))
    } else {
        Location::Range(
            Point::Exact(frame.position(a)),
            Point::Exact(frame.position(b)),
        )
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn to_variant(frame: &Frame<'_>, d: &Described) -> Option<NucleotideVariant> {
    let (location, edit) = match d {
        Described::Identity => return None,
        Described::Substitution(s, r, a) => (
            location(frame, *s, s + 1),
            NucleotideEdit::Substitution {
                reference: frame.seq_text(&frame.oriented(&[*r])),
                alternative: frame.seq_text(&frame.oriented(&[*a])),
            },
        ),
        Described::Deletion(s, e) => (
            location(frame, *s, *e),
            NucleotideEdit::Deletion { deleted: None },
        ),
        Described::Duplication(s, e) => (
            location(frame, *s, *e),
            NucleotideEdit::Duplication { duplicated: None },
        ),
        Described::Insertion(p, ins) => (
            location(frame, p - 1, p + 1),
            NucleotideEdit::Insertion {
                inserted: Inserted::sequence(frame.seq_text(&frame.oriented(ins))),
            },
        ),
        Described::Repeat(s, e, unit, n) => (
            location(frame, *s, *e),
            NucleotideEdit::Repeat {
                unit: Some(frame.seq_text(&frame.oriented(unit))),
                count: *n,
            },
        ),
        Described::Inversion(s, e) => (location(frame, *s, *e), NucleotideEdit::Inversion),
        Described::InsertionCopy(p, a, b, inverted) => (
            location(frame, p - 1, p + 1),
            NucleotideEdit::Insertion {
                inserted: Inserted {
                    parts: vec![InsertedPart::Range {
                        location: location(frame, *a, *b),
                        inverted: *inverted,
                    }],
                    bracketed: false,
                },
            },
        ),
        Described::DelInsCopy(s, e, a, b, inverted) => (
            location(frame, *s, *e),
            NucleotideEdit::DeletionInsertion {
                deleted: None,
                inserted: Inserted {
                    parts: vec![InsertedPart::Range {
                        location: location(frame, *a, *b),
                        inverted: *inverted,
                    }],
                    bracketed: false,
                },
            },
        ),
        Described::DelIns(s, e, ins) => (
            location(frame, *s, *e),
            NucleotideEdit::DeletionInsertion {
                deleted: None,
                inserted: Inserted::sequence(frame.seq_text(&frame.oriented(ins))),
            },
        ),
    };
    Some(NucleotideVariant {
        location,
        edit: Some(edit),
        predicted: false,
    })
}

/// Writes the edits in a frame; `None` entries are bare positions kept as written.
fn write(
    frame: &Frame<'_>,
    spec: ReferenceSpec,
    edits: &[RefEdit],
    bare: &[(usize, usize)],
) -> HgvsVariant {
    let towards_end = frame.strand_forward();
    let mut items: Vec<(usize, NucleotideVariant)> = edits
        .iter()
        .filter_map(|e| {
            let d = describe(&frame.reference.sequence, e, towards_end);
            to_variant(frame, &d).map(|v| (e.start, v))
        })
        .collect();
    for &(s, e) in bare {
        items.push((
            s,
            NucleotideVariant {
                location: location(frame, s, e),
                edit: None,
                predicted: false,
            },
        ));
    }
    items.sort_by_key(|(s, _)| *s);
    if !towards_end {
        items.reverse();
    }
    let body = if items.is_empty() {
        VariantBody::NucleotideIdentity
    } else {
        VariantBody::Nucleotide(items.into_iter().map(|(_, v)| v).collect())
    };
    HgvsVariant {
        reference: spec,
        coordinate_system: Some(frame.system),
        body,
    }
}

/// Normalises an already parsed description.
pub fn normalize_variant(
    input: &str,
    variant: &HgvsVariant,
    references: &mut dyn ReferenceProvider,
) -> Result<Normalization, NormalizeError> {
    // `LRG_1t1` names the record `LRG_1` and its transcript `t1`.
    let (record, lrg_transcript) = split_lrg(&variant.reference.accession);
    let reference = references.reference(record)?;
    let lrg_spec;
    let variant_spec = match lrg_transcript {
        Some(t) if variant.reference.selector.is_none() => {
            lrg_spec = ReferenceSpec {
                accession: record.to_owned(),
                selector: Some(t.to_owned()),
            };
            &lrg_spec
        }
        _ => &variant.reference,
    };
    let system = variant.coordinate_system.unwrap_or_else(|| {
        if reference.is_transcript || variant_spec.selector.is_some() {
            CoordinateSystem::Coding
        } else {
            CoordinateSystem::Genomic
        }
    });
    if system == CoordinateSystem::Protein {
        return Err(NormalizeError::Unsupported(
            "protein descriptions are parsed but not normalised".to_owned(),
        ));
    }
    let transcript = pick_transcript(&reference, variant_spec, system)?;
    if matches!(system, CoordinateSystem::Coding) && transcript.is_none_or(|t| t.cds.is_none()) {
        return Err(NormalizeError::Unsupported(format!(
            "c. description on {} which has no coding transcript",
            reference.accession
        )));
    }
    let frame = Frame {
        reference: &reference,
        transcript: if system == CoordinateSystem::Genomic {
            None
        } else {
            transcript
        },
        system,
    };
    let spec = ReferenceSpec {
        accession: if variant_spec.accession.starts_with("LRG_") {
            variant_spec.accession.clone()
        } else {
            reference.accession.clone()
        },
        selector: match (frame.transcript, reference.is_transcript) {
            (Some(t), false) if t.id != reference.accession => {
                if variant_spec.accession.starts_with("LRG_") {
                    variant_spec.selector.clone()
                } else {
                    Some(t.id.clone())
                }
            }
            _ => None,
        },
    };
    let mut edits = Vec::new();
    let mut bare = Vec::new();
    match &variant.body {
        VariantBody::NucleotideIdentity => {}
        VariantBody::Protein(_) => {
            return Err(NormalizeError::Unsupported(
                "protein descriptions are parsed but not normalised".to_owned(),
            ));
        }
        VariantBody::Nucleotide(vs) => {
            for v in vs {
                match to_ref_edit(&frame, v, references)? {
                    Some(e) => edits.push(e),
                    None => bare.push(frame.span(&v.location)?),
                }
            }
        }
    }
    // Merge edits that touch; reject overlaps.
    edits.sort_by_key(|e| (e.start, e.end));
    let mut merged: Vec<RefEdit> = Vec::new();
    for e in edits {
        if let Some(last) = merged.last_mut() {
            if e.start < last.end {
                return Err(NormalizeError::Overlap(input.to_owned()));
            }
            if e.start == last.end && !(last.start == last.end && e.start == e.end) {
                last.inserted.extend_from_slice(&e.inserted);
                last.end = e.end;
                continue;
            }
        }
        merged.push(e);
    }
    let merged = split_mismatch_runs(&reference.sequence, merged);
    let normalized = write(&frame, spec.clone(), &merged, &bare);
    let genomic = if !reference.is_transcript {
        let g = Frame {
            reference: &reference,
            transcript: None,
            system: CoordinateSystem::Genomic,
        };
        let gspec = ReferenceSpec {
            accession: spec.accession.clone(),
            selector: None,
        };
        Some(write(&g, gspec, &merged, &bare).to_string())
    } else {
        None
    };
    let protein = match (frame.transcript, system) {
        (Some(t), CoordinateSystem::Coding) if bare.is_empty() => {
            let protein_id = t.protein_id.clone();
            predict(&reference.sequence, t, &merged)
                .and_then(|p| protein_id.map(|pid| format!("{}({pid}):p.{p}", spec.accession)))
        }
        _ => None,
    };
    let reference_edits = merged
        .iter()
        .map(|e| shift(&reference.sequence, &trim(&reference.sequence, e), true))
        .filter(|e| e.start != e.end || !e.inserted.is_empty())
        .collect();
    Ok(Normalization {
        input: input.to_owned(),
        normalized: Some(normalized.to_string()),
        genomic,
        protein,
        reference_accession: reference.accession.clone(),
        reference_edits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct One(Arc<Reference>);

    impl ReferenceProvider for One {
        fn reference(&mut self, _: &str) -> Result<Arc<Reference>, ReferenceError> {
            Ok(Arc::clone(&self.0))
        }
    }

    #[test]
    fn hostile_numbers_are_errors_not_panics() {
        let seq = b"ACGTTTTGCAACGTTTTGCA".to_vec();
        let mut refs = One(Arc::new(Reference {
            accession: "NM_9.1".to_owned(),
            transcripts: vec![ReferenceTranscript {
                id: "NM_9.1".to_owned(),
                protein_id: None,
                gene: None,
                hgnc: None,
                forward: true,
                exons: vec![(0, seq.len())],
                cds: Some((3, 15)),
            }],
            sequence: seq,
            is_transcript: true,
        }));
        for d in [
            "NM_9.1:c.9223372036854775807del",
            "NM_9.1:c.*9223372036854775807del",
            "NM_9.1:c.-9223372036854775807del",
            "NM_9.1:c.1_2insA[18446744073709551615]",
            "NM_9.1:c.4_5T[18446744073709551615]",
            "NM_9.1:n.9223372036854775807del",
        ] {
            assert!(normalize(d, &mut refs).is_err(), "{d}");
        }
        let ok = normalize("NM_9.1:c.3_4insTT", &mut refs).unwrap();
        assert_eq!(ok.normalized.as_deref(), Some("NM_9.1:c.1_4T[6]"));
    }

    #[test]
    fn shifting_and_dup_detection() {
        let seq = b"ACGTTTTGCA";
        // Delete the first T → shifted to the last T of the run (index 6).
        let d = describe(
            seq,
            &RefEdit {
                start: 3,
                end: 4,
                inserted: vec![],
            },
            true,
        );
        assert_eq!(d, Described::Deletion(6, 7));
        let d = describe(
            seq,
            &RefEdit {
                start: 3,
                end: 4,
                inserted: vec![],
            },
            false,
        );
        assert_eq!(d, Described::Deletion(3, 4));
        // Insert a T anywhere in the run → dup of the last T.
        let d = describe(
            seq,
            &RefEdit {
                start: 4,
                end: 4,
                inserted: b"T".to_vec(),
            },
            true,
        );
        assert_eq!(d, Described::Duplication(6, 7));
        // Insert TT → repeat T[6].
        let d = describe(
            seq,
            &RefEdit {
                start: 4,
                end: 4,
                inserted: b"TT".to_vec(),
            },
            true,
        );
        assert_eq!(d, Described::Repeat(3, 7, b"T".to_vec(), 6));
        // delins with shared flanks → substitution.
        let d = describe(
            seq,
            &RefEdit {
                start: 0,
                end: 3,
                inserted: b"AAG".to_vec(),
            },
            true,
        );
        assert_eq!(d, Described::Substitution(1, b'C', b'A'));
        // Reverse complement → inversion.
        let d = describe(
            b"AACGGA",
            &RefEdit {
                start: 1,
                end: 5,
                inserted: b"CCGT".to_vec(),
            },
            true,
        );
        assert_eq!(d, Described::Inversion(1, 5));
    }
}
