//! Places source diseases (CIViC names + Disease Ontology ids) in OncoTree.
//!
//! Order: the curated override file (decisions a curator made, with a note), then the
//! DOID → UMLS CUI bridge shipped by PCGR joined to OncoTree's UMLS references, then an exact
//! name match against OncoTree names. Anything else is `Unmapped` and relates to every case
//! as "other tumour type".

use crate::error::KbError;
use crate::evidence::Disease;
use crate::import::Tsv;
use crate::tumor_type::{TumorScope, TumorTypeTree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The disease mapper.
#[derive(Debug, Clone, Default)]
pub struct DiseaseMapper {
    by_doid: BTreeMap<String, TumorScope>,
    by_name: BTreeMap<String, TumorScope>,
    bridge: BTreeMap<String, BTreeSet<String>>,
}

fn parse_scope(tree: &TumorTypeTree, text: &str) -> Result<TumorScope, String> {
    match text {
        "ANY" => Ok(TumorScope::Any),
        "ANY_SOLID" => Ok(TumorScope::AnySolid),
        "NONE" => Ok(TumorScope::Unmapped),
        codes => {
            let codes: Vec<String> = codes.split('|').map(|c| c.trim().to_owned()).collect();
            for c in &codes {
                if !tree.contains(c) {
                    return Err(format!("unknown OncoTree code {c:?}"));
                }
            }
            Ok(TumorScope::Types(codes))
        }
    }
}

/// Reads a tumour scope as the curated files write it: `ANY`, `ANY_SOLID`, `NONE` or
/// OncoTree codes joined by `|`.
pub fn scope_from_text(tree: &TumorTypeTree, text: &str) -> Result<TumorScope, String> {
    parse_scope(tree, text.trim())
}

impl DiseaseMapper {
    /// Loads the curated overrides (`doid`, `name`, `oncotree`) and the DOID↔UMLS bridge
    /// (`oncotree_phenotypes.tsv.gz`: `cui`, `do_id`).
    pub fn load(tree: &TumorTypeTree, overrides: &Path, bridge: &Path) -> Result<Self, KbError> {
        let mut m = Self::default();
        let ov = Tsv::read(overrides)?;
        ov.require(&["doid", "name", "oncotree"])?;
        for row in ov.rows() {
            let scope =
                parse_scope(tree, row.req("oncotree")?).map_err(|e| row.error("oncotree", e))?;
            match row.opt("doid") {
                Some(d) => m.by_doid.insert(normalise_doid(&d), scope),
                None => m
                    .by_name
                    .insert(row.req("name")?.to_ascii_lowercase(), scope),
            };
        }
        let br = Tsv::read(bridge)?;
        br.require(&["cui", "do_id"])?;
        let mut cui_codes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for n in tree.nodes.values() {
            for u in &n.umls {
                cui_codes
                    .entry(u.as_str())
                    .or_default()
                    .push(n.code.as_str());
            }
        }
        for row in br.rows() {
            if let (Some(doid), Some(codes)) = (row.opt("do_id"), cui_codes.get(row.get("cui"))) {
                m.bridge
                    .entry(normalise_doid(&doid))
                    .or_default()
                    .extend(codes.iter().map(|c| (*c).to_owned()));
            }
        }
        Ok(m)
    }

    /// Places one disease.
    pub fn resolve(&self, tree: &TumorTypeTree, name: &str, doid: Option<&str>) -> Disease {
        let doid = doid.filter(|d| !d.trim().is_empty()).map(normalise_doid);
        let (scope, mapped_by) = if let Some(s) = doid.as_ref().and_then(|d| self.by_doid.get(d)) {
            (s.clone(), "curated override")
        } else if let Some(s) = self.by_name.get(&name.to_ascii_lowercase()) {
            (s.clone(), "curated override")
        } else if let Some(codes) = doid.as_ref().and_then(|d| self.bridge.get(d)) {
            (
                TumorScope::Types(codes.iter().cloned().collect()),
                "DOID-UMLS-OncoTree bridge",
            )
        } else if let Some(code) = tree
            .nodes
            .values()
            .find(|n| n.name.eq_ignore_ascii_case(name))
        {
            (TumorScope::Types(vec![code.code.clone()]), "OncoTree name")
        } else {
            (TumorScope::Unmapped, "unmapped")
        };
        Disease {
            name: name.to_owned(),
            doid,
            scope,
            mapped_by: mapped_by.to_owned(),
        }
    }
}

/// `3908` and `DOID:3908` both become `DOID:3908`.
pub fn normalise_doid(d: &str) -> String {
    let d = d.trim();
    if d.starts_with("DOID:") {
        d.to_owned()
    } else {
        format!("DOID:{d}")
    }
}
