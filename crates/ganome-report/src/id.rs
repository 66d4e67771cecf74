//! The report id: a hash of everything a report is derived from, so equal ids mean equal
//! reports and any change of input, knowledge release, transcript database or engine gives a
//! new id.

use sha2::{Digest, Sha256};

use crate::build::CaseInput;
use crate::model::{InputFile, Provenance};

/// Role, file name (no directory) and SHA-256 of a file, for [`Provenance::inputs`].
pub fn file_identity(role: &str, path: &std::path::Path) -> std::io::Result<InputFile> {
    let bytes = std::fs::read(path)?;
    Ok(InputFile {
        role: role.to_owned(),
        name: path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        sha256: hex::encode(Sha256::digest(&bytes)),
    })
}

/// `GR-` followed by the first 16 hex digits of SHA-256 over the case input (as JSON) and the
/// provenance (input file hashes, knowledge release hash, transcript database, engine,
/// germline guidance).
pub fn report_id(case: &CaseInput, provenance: &Provenance) -> String {
    let mut h = Sha256::new();
    h.update(b"ganome-report-id\x001\x00");
    h.update(serde_json::to_vec(case).unwrap_or_default());
    h.update(b"\x00");
    h.update(serde_json::to_vec(provenance).unwrap_or_default());
    let d = hex::encode(h.finalize());
    format!("GR-{}", &d[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prov(kb: &str) -> Provenance {
        Provenance {
            inputs: vec![],
            knowledge_release: "r".into(),
            knowledge_hash: kb.into(),
            transcript_db: "t".into(),
            engine: "e".into(),
            germline_guidance: "g".into(),
        }
    }

    #[test]
    fn id_follows_inputs() {
        let c = CaseInput::new("C1", "LUAD");
        let a = report_id(&c, &prov("k1"));
        assert_eq!(a, report_id(&c, &prov("k1")));
        assert_ne!(a, report_id(&c, &prov("k2")));
        assert_ne!(a, report_id(&CaseInput::new("C1", "COAD"), &prov("k1")));
        assert!(a.starts_with("GR-") && a.len() == 19);
    }
}
