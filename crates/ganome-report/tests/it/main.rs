//! Integration tests of the findings report: EGFR L858R in LUAD, the PCGR T001 examples,
//! reproducibility, the presumed-germline screen and the FHIR profile checks.

mod egfr;
mod fhir_profiles;
mod germline;
mod pcgr;
mod reproducible;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ganome_genomics::txdb::TranscriptDb;
use ganome_knowledge::KnowledgeRelease;
use ganome_report::{
    CaseInput, FindingsReport, GermlineGuidance, ReportContext, ReportInputs, build_report,
};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The GRCh38 cancer-gene transcript database from data/transcripts.
pub fn txdb() -> &'static TranscriptDb {
    static DB: OnceLock<TranscriptDb> = OnceLock::new();
    DB.get_or_init(|| {
        let d = root().join("data/transcripts");
        TranscriptDb::from_gff_fasta(
            &d.join("transcripts.chrom_coords.gff3"),
            &d.join("genomic_slices.fa"),
        )
        .expect("transcript database")
    })
}

/// The default knowledge release built from data/knowledge.
pub fn release() -> &'static KnowledgeRelease {
    static KB: OnceLock<KnowledgeRelease> = OnceLock::new();
    KB.get_or_init(|| KnowledgeRelease::default_from_shipped_data().expect("knowledge release"))
}

/// The shipped germline guidance.
pub fn guidance() -> &'static GermlineGuidance {
    static G: OnceLock<GermlineGuidance> = OnceLock::new();
    G.get_or_init(|| GermlineGuidance::shipped().expect("guidance"))
}

/// Reads a VCF under the repository root into report inputs (with its file identity).
pub fn inputs_from_vcf(rel: &str) -> ReportInputs {
    let p = root().join(rel);
    ReportInputs {
        variants: ganome_genomics::vcf::read_vcf(&p).expect("vcf").variants,
        files: vec![ganome_report::id::file_identity("vcf", &p).expect("hash")],
        ..ReportInputs::default()
    }
}

/// Builds a report against the shared references and `release`.
pub fn report_with(
    case: &CaseInput,
    inputs: &ReportInputs,
    release: &KnowledgeRelease,
) -> FindingsReport {
    build_report(
        case,
        inputs,
        ReportContext {
            txdb: txdb(),
            txdb_id: "cancer-transcripts LRG GRCh38",
            release,
            guidance: guidance(),
        },
    )
}

/// Builds a report against the default release.
pub fn report(case: &CaseInput, inputs: &ReportInputs) -> FindingsReport {
    report_with(case, inputs, release())
}
