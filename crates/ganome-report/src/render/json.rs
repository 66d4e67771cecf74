//! The model as pretty JSON (the schema in `docs/report.md`).

use crate::FindingsReport;

/// Pretty JSON with a trailing newline.
pub fn render(r: &FindingsReport) -> Result<Vec<u8>, serde_json::Error> {
    let mut v = serde_json::to_vec_pretty(r)?;
    v.push(b'\n');
    Ok(v)
}

/// Reads a report back.
pub fn parse(bytes: &[u8]) -> Result<FindingsReport, serde_json::Error> {
    serde_json::from_slice(bytes)
}
