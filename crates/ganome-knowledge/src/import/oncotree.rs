//! OncoTree JSON (the `trees/oncotree_YYYY_MM_DD.json` nested format) into a
//! [`TumorTypeTree`].

use crate::error::KbError;
use crate::import::read_bytes;
use crate::tumor_type::{TumorType, TumorTypeTree};
use serde_json::Value;
use std::path::Path;

/// Reads an OncoTree JSON file; `version` is recorded with the tree.
pub fn read(path: &Path, version: &str) -> Result<TumorTypeTree, KbError> {
    let bytes = read_bytes(path)?;
    let root: Value = serde_json::from_slice(&bytes)
        .map_err(|e| KbError::format(path, format!("invalid JSON: {e}")))?;
    let top = root
        .get("TISSUE")
        .ok_or_else(|| KbError::format(path, "no TISSUE root node"))?;
    let mut tree = TumorTypeTree {
        version: version.to_owned(),
        ..Default::default()
    };
    let mut stack = vec![top];
    while let Some(node) = stack.pop() {
        let code = node
            .get("code")
            .and_then(Value::as_str)
            .ok_or_else(|| KbError::format(path, "node without a code"))?;
        let s = |k: &str| node.get(k).and_then(Value::as_str).map(str::to_owned);
        let umls = node
            .pointer("/externalReferences/UMLS")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        tree.nodes.insert(
            code.to_owned(),
            TumorType {
                code: code.to_owned(),
                name: s("name").unwrap_or_else(|| code.to_owned()),
                main_type: s("mainType"),
                tissue: s("tissue"),
                parent: s("parent"),
                umls,
            },
        );
        if let Some(children) = node.get("children").and_then(Value::as_object) {
            stack.extend(children.values());
        }
    }
    Ok(tree)
}
