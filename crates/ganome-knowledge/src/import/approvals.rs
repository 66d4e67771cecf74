//! The curated approvals file (`data/knowledge/approvals.tsv`): one row per regulator ×
//! drug × biomarker × indication, each with its source and a note that says when a detail
//! is uncertain.

use crate::alteration::AlterationSpec;
use crate::approval::{Approval, Jurisdiction};
use crate::error::KbError;
use crate::import::Tsv;
use crate::import::disease_map::scope_from_text;
use crate::tumor_type::TumorTypeTree;
use std::path::Path;

/// Reads the approvals file; unknown OncoTree codes, jurisdictions, dates or unreadable
/// biomarkers are errors naming the line and field.
pub fn read(path: &Path, tree: &TumorTypeTree) -> Result<Vec<Approval>, KbError> {
    let t = Tsv::read(path)?;
    let cols = [
        "id",
        "jurisdiction",
        "drug",
        "gene",
        "biomarker",
        "tumor_scope",
        "indication",
        "date",
        "companion_diagnostic",
        "source",
        "note",
    ];
    t.require(&cols)?;
    let mut out = Vec::new();
    for row in t.rows() {
        let jurisdiction = match row.req("jurisdiction")? {
            "JP" => Jurisdiction::Japan,
            "US" => Jurisdiction::UnitedStates,
            other => return Err(row.error("jurisdiction", format!("{other:?} is not JP or US"))),
        };
        let gene = row.get("gene").to_owned();
        let biomarker = row.req("biomarker")?.to_owned();
        let spec = AlterationSpec::parse(&gene, &biomarker);
        if !spec.is_supported() {
            return Err(row.error("biomarker", format!("cannot read {biomarker:?}")));
        }
        let scope = scope_from_text(tree, row.req("tumor_scope")?)
            .map_err(|e| row.error("tumor_scope", e))?;
        let date = row.req("date")?.to_owned();
        if !valid_date(&date) {
            return Err(row.error("date", format!("{date:?} is not YYYY-MM-DD or YYYY-MM")));
        }
        out.push(Approval {
            id: row.req("id")?.to_owned(),
            jurisdiction,
            drug: row.req("drug")?.to_owned(),
            gene,
            biomarker,
            spec,
            scope,
            indication: row.req("indication")?.to_owned(),
            date,
            companion_diagnostic: row.opt("companion_diagnostic"),
            source: row.req("source")?.to_owned(),
            note: row.get("note").to_owned(),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    for w in out.windows(2) {
        if w[0].id == w[1].id {
            return Err(KbError::field(
                path,
                0,
                "id",
                format!("duplicate id {:?}", w[0].id),
            ));
        }
    }
    Ok(out)
}

fn valid_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let num = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y, m] => num(y, 4) && num(m, 2),
        [y, m, day] => num(y, 4) && num(m, 2) && num(day, 2),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert!(super::valid_date("2022-01-20"));
        assert!(super::valid_date("2022-01"));
        assert!(!super::valid_date("2022/01/20"));
        assert!(!super::valid_date("Jan 2022"));
    }
}
