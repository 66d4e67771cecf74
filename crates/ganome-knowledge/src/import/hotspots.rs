//! Cancer hotspots (cancerhotspots.org v2 as shipped by maftools: chromosome, position,
//! ref, alt, gene, classification, protein change, SIFT) — recurrent somatic mutations used
//! as oncogenicity support and as the source of synthetic benchmark cases.

use crate::error::KbError;
use crate::import::read_bytes;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One hotspot mutation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Hotspot {
    /// Gene symbol.
    pub gene: String,
    /// Protein change as written (`G12C`).
    pub protein_change: String,
    /// MAF variant classification (`Missense_Mutation`).
    pub classification: String,
}

/// Reads the headerless 8-column file.
pub fn read(path: &Path) -> Result<Vec<Hotspot>, KbError> {
    let text = String::from_utf8(read_bytes(path)?)
        .map_err(|e| KbError::format(path, format!("not UTF-8: {e}")))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 7 {
            return Err(KbError::field(
                path,
                i as u64 + 1,
                "protein_change",
                "fewer than 7 columns",
            ));
        }
        out.push(Hotspot {
            gene: f[4].trim().to_owned(),
            protein_change: f[6].trim().to_owned(),
            classification: f[5].trim().to_owned(),
        });
    }
    out.sort();
    out.dedup();
    Ok(out)
}
