//! GA4GH Data Use Ontology (DUO) terms an application may name (`data/research/duo.tsv`,
//! a subset with Japanese labels; provenance beside it).

use std::sync::OnceLock;

use serde::Serialize;
use utoipa::ToSchema;

const DUO_TSV: &str = include_str!("../../../../data/research/duo.tsv");

/// One DUO term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DuoTerm {
    /// CURIE, e.g. `DUO:0000042`.
    pub id: String,
    /// Shorthand, e.g. `GRU`.
    pub shorthand: String,
    /// Whether it is a data-use permission (the primary term; an application names one or
    /// more) rather than a modifier.
    pub permission: bool,
    /// English label.
    pub label_en: String,
    /// Japanese label.
    pub label_ja: String,
}

/// The shipped terms, in file order.
pub fn terms() -> &'static [DuoTerm] {
    static TERMS: OnceLock<Vec<DuoTerm>> = OnceLock::new();
    TERMS.get_or_init(|| {
        DUO_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("id\t") && !l.trim().is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                DuoTerm {
                    id: f[0].to_owned(),
                    shorthand: f[1].to_owned(),
                    permission: f[2] == "permission",
                    label_en: f[3].to_owned(),
                    label_ja: f[4].to_owned(),
                }
            })
            .collect()
    })
}

/// A term by CURIE.
pub fn term(id: &str) -> Option<&'static DuoTerm> {
    terms().iter().find(|t| t.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_subset_reads_with_japanese_labels() {
        assert_eq!(terms().len(), 15);
        let gru = term("DUO:0000042").unwrap();
        assert_eq!((gru.shorthand.as_str(), gru.permission), ("GRU", true));
        assert_eq!(gru.label_ja, "一般研究利用");
        assert!(!term("DUO:0000021").unwrap().permission);
        assert!(term("DUO:9999999").is_none());
        assert!(terms().iter().all(|t| !t.label_ja.is_empty()));
    }
}
