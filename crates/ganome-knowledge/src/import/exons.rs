//! The exon → codon table (`data/knowledge/exons.tsv`), used to infer the exon of a protein
//! change when the caller gives none.

use crate::error::KbError;
use crate::import::Tsv;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Codon range of one exon of one gene's reference transcript.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ExonCodons {
    /// Gene symbol.
    pub gene: String,
    /// Transcript the numbering refers to.
    pub transcript: String,
    /// Exon number.
    pub exon: u32,
    /// First codon (1-based) with bases in the exon.
    pub first_codon: u32,
    /// Last codon with bases in the exon.
    pub last_codon: u32,
}

/// Reads the table.
pub fn read(path: &Path) -> Result<Vec<ExonCodons>, KbError> {
    let t = Tsv::read(path)?;
    t.require(&["gene", "transcript", "exon", "first_codon", "last_codon"])?;
    let mut out = Vec::new();
    for row in t.rows() {
        let num = |f: &str| -> Result<u32, KbError> {
            row.req(f)?
                .parse()
                .map_err(|_| row.error(f, "not a positive number"))
        };
        let (first_codon, last_codon) = (num("first_codon")?, num("last_codon")?);
        if first_codon > last_codon {
            return Err(row.error("last_codon", "smaller than first_codon"));
        }
        out.push(ExonCodons {
            gene: row.req("gene")?.to_owned(),
            transcript: row.req("transcript")?.to_owned(),
            exon: num("exon")?,
            first_codon,
            last_codon,
        });
    }
    out.sort();
    Ok(out)
}
