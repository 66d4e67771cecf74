//! HGVS variant descriptions: parsing, formatting and normalisation.
//!
//! ```
//! let v = ganome_genomics::hgvs::parse("NG_012337.1(NM_003002.2):c.274G>T").unwrap();
//! assert_eq!(v.reference.accession, "NG_012337.1");
//! assert_eq!(v.to_string(), "NG_012337.1(NM_003002.2):c.274G>T");
//! ```
//!
//! Why hand-written: no maintained Rust crate fits. `hgvs` (hgvs-rs, the varfish
//! port of biocommons hgvs) ties its data provider to seqrepo and a SQLite build
//! that conflicts with the workspace's `sqlx` SQLite; it also parses with `nom`
//! combinators that report no byte offsets. (`cargo search hgvs` could not be run
//! against the registry mirror here: its search API answers 404.) The grammar is
//! small enough that a recursive-descent parser ([`parser`]) with exact byte
//! offsets in its errors is less code than adapting a dependency.
//!
//! Layout: [`model`] (types + canonical formatting), [`parser`] (grammar),
//! [`reference`] (one accession's GFF3 + FASTA), [`normalize`] (3′ shifting,
//! dup/repeat detection, delins simplification, c.↔g. mapping) and [`protein`]
//! (c.→p. prediction).

pub mod mapping;
pub mod model;
pub mod normalize;
pub mod parser;
pub mod protein;
pub mod reference;

pub use model::HgvsVariant;
pub use normalize::{DirectoryReferences, Normalization, NormalizeError, normalize};
pub use parser::ParseError;

/// Parses one HGVS description; the error carries the byte offset of the offending character.
pub fn parse(description: &str) -> Result<HgvsVariant, ParseError> {
    parser::parse(description)
}
