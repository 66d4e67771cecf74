//! The findings report (検査結果レポート): a versioned model built from a case's variant files,
//! a transcript database and a knowledge release, and its renderers (JSON, HTML in Japanese
//! and English, FHIR Genomics Reporting, TSV, XLSX). Pure: no database, no HTTP, no clock.
//!
//! ```no_run
//! use ganome_report::{CaseInput, GermlineGuidance, ReportContext, ReportInputs, build_report};
//! # fn demo(txdb: &ganome_genomics::txdb::TranscriptDb,
//! #         release: &ganome_knowledge::KnowledgeRelease) -> Result<(), Box<dyn std::error::Error>> {
//! let guidance = GermlineGuidance::shipped()?;
//! let ctx = ReportContext { txdb, txdb_id: "cancer.txdb", release, guidance: &guidance };
//! let inputs = ReportInputs {
//!     variants: ganome_genomics::vcf::read_vcf("case.vcf")?.variants,
//!     ..ReportInputs::default()
//! };
//! let report = build_report(&CaseInput::new("C-0001", "LUAD"), &inputs, ctx);
//! let files = ganome_report::render::render_all(&report)?;
//! assert_eq!(files.len(), 6);
//! # Ok(()) }
//! ```

pub mod build;
pub mod germline;
pub mod id;
pub mod model;
pub mod render;

pub use build::{CaseInput, ReportContext, ReportInputs, build_report, engine_version};
pub use germline::GermlineGuidance;
pub use model::*;
pub use render::{RenderError, RenderedFile, render_all};
