//! The curated gene-role file (`data/knowledge/gene_roles.tsv`): which genes are tumour
//! suppressors, so that a truncating variant in them can be called likely oncogenic.

use crate::error::KbError;
use crate::import::Tsv;
use std::collections::BTreeMap;
use std::path::Path;

/// Reads `gene`, `role` (`tumor_suppressor` or `oncogene`) rows.
pub fn read(path: &Path) -> Result<BTreeMap<String, String>, KbError> {
    let t = Tsv::read(path)?;
    t.require(&["gene", "role"])?;
    let mut out = BTreeMap::new();
    for row in t.rows() {
        let role = row.req("role")?;
        if !matches!(role, "tumor_suppressor" | "oncogene") {
            return Err(row.error(
                "role",
                format!("{role:?} is not tumor_suppressor or oncogene"),
            ));
        }
        out.insert(row.req("gene")?.to_owned(), role.to_owned());
    }
    Ok(out)
}
