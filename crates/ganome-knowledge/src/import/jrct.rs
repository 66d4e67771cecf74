//! Curated domestic trial records (jRCT, 臨床研究等提出・公開システム).
//!
//! No public jRCT dump is available to this project, so records are curated by hand into a
//! JSON array of [`Trial`] objects (the model's own serde form; see
//! `data/knowledge/trials/jrct/README.md`). Records flagged `illustrative` are examples of the
//! format and are never loaded into a release.

use crate::error::KbError;
use crate::import::read_bytes;
use crate::trial::Trial;
use std::path::Path;

/// Reads a curated jRCT file. With `keep_illustrative = false` (releases), illustrative
/// records are dropped.
pub fn read(path: &Path, keep_illustrative: bool) -> Result<Vec<Trial>, KbError> {
    let bytes = read_bytes(path)?;
    let mut trials: Vec<Trial> = serde_json::from_slice(&bytes).map_err(|e| KbError::Field {
        path: path.to_owned(),
        line: e.line() as u64,
        field: "trial".into(),
        message: e.to_string(),
    })?;
    for t in &trials {
        if t.registry != "jRCT" {
            return Err(KbError::field(
                path,
                0,
                "registry",
                format!("{}: registry must be \"jRCT\"", t.id),
            ));
        }
        if !t.id.starts_with("jRCT") {
            return Err(KbError::field(
                path,
                0,
                "id",
                format!("{:?} is not a jRCT id", t.id),
            ));
        }
    }
    if !keep_illustrative {
        trials.retain(|t| !t.illustrative);
    }
    trials.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(trials)
}
