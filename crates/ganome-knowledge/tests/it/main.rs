//! Integration tests over the real data shipped in `data/knowledge`.

mod civic_assertions;
mod diff;
mod importers;
mod levels;
mod release_file;

use ganome_knowledge::{CaseMatches, CaseQuery, KnowledgeRelease, QueryAlteration};
use std::sync::OnceLock;

/// The release built once from the shipped data.
pub fn shipped() -> &'static KnowledgeRelease {
    static R: OnceLock<KnowledgeRelease> = OnceLock::new();
    R.get_or_init(|| KnowledgeRelease::default_from_shipped_data().expect("shipped data builds"))
}

/// Matches one alteration in one tumour type.
pub fn one(tumor: &str, alteration: QueryAlteration) -> CaseMatches {
    shipped().match_case(&CaseQuery {
        tumor_type: tumor.into(),
        alterations: vec![alteration],
    })
}
