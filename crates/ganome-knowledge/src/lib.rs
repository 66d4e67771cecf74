//! Ganome's knowledge base: the model (genes, alterations from exact protein change to
//! tumour-level biomarker, evidence, approvals, trials), importers (CIViC, OncoTree, the
//! DOID→OncoTree bridge, ClinicalTrials.gov, CTML, curated approvals and jRCT records), the
//! matcher, Japanese evidence levels (three-society guidance editions 2.x and 1.0, derived by
//! a rule table kept in data) and releases with diffs. Pure: no database, no HTTP.
//!
//! ```
//! use ganome_knowledge::{CaseQuery, KnowledgeRelease, QueryAlteration};
//!
//! let release = KnowledgeRelease::default_from_shipped_data()?;
//! let result = release.match_case(&CaseQuery {
//!     tumor_type: "LUAD".into(),
//!     alterations: vec![QueryAlteration::variant("EGFR", "p.Leu858Arg")],
//! });
//! let best = result.alterations[0].best_level.as_ref().map(|l| l.ed2.as_str());
//! assert_eq!(best, Some("A"));
//! # Ok::<(), ganome_knowledge::KbError>(())
//! ```

pub mod alteration;
pub mod approval;
pub mod diff;
pub mod error;
pub mod evidence;
pub mod import;
pub mod levels;
pub mod matcher;
pub mod protein;
pub mod query;
pub mod release;
pub mod synthetic;
pub mod trial;
pub mod tumor_type;

pub use alteration::{AlterationSpec, MatchType};
pub use approval::{Approval, Jurisdiction};
pub use diff::{ReleaseDiff, diff};
pub use error::KbError;
pub use evidence::EvidenceItem;
pub use levels::{LevelAssignment, LevelRules};
pub use matcher::{AlterationMatches, CaseMatches, Oncogenicity, OncogenicityCall, TrialMatch};
pub use query::{Biomarker, CaseQuery, CopyNumberCall, QueryAlteration};
pub use release::KnowledgeRelease;
pub use trial::Trial;
pub use tumor_type::{DiseaseRelation, TumorScope, TumorTypeTree};
