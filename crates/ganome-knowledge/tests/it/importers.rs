//! Importers on the shipped files and on malformed input.

use crate::shipped;
use ganome_knowledge::evidence::ProfileExpr;
use ganome_knowledge::import;
use ganome_knowledge::{KbError, KnowledgeRelease, TumorScope};
use std::path::Path;

#[test]
fn civic_import_keeps_all_accepted_items_and_multi_variant_profiles() {
    let r = shipped();
    let evidence = r
        .content
        .evidence
        .iter()
        .filter(|e| e.source == "CIViC evidence")
        .count();
    let assertions = r
        .content
        .evidence
        .iter()
        .filter(|e| e.source == "CIViC assertion")
        .count();
    assert_eq!(evidence, 4375);
    assert_eq!(assertions, 66);
    let combo = r
        .content
        .evidence
        .iter()
        .find(|e| matches!(e.profile.expr, ProfileExpr::And(_)))
        .expect("a multi-variant profile");
    assert!(combo.profile.name.contains(" AND "));
}

#[test]
fn diseases_are_placed_in_oncotree() {
    let r = shipped();
    let mapped = r
        .content
        .evidence
        .iter()
        .filter(|e| !matches!(e.disease.scope, TumorScope::Unmapped))
        .count();
    let share = mapped as f64 / r.content.evidence.len() as f64;
    assert!(
        share > 0.7,
        "only {share:.2} of evidence placed in OncoTree"
    );
    let nsclc = r
        .content
        .evidence
        .iter()
        .find(|e| e.disease.doid.as_deref() == Some("DOID:3908"))
        .expect("nsclc");
    assert_eq!(nsclc.disease.scope, TumorScope::Types(vec!["NSCLC".into()]));
}

#[test]
fn oncotree_hierarchy() {
    let t = &shipped().content.tumor_types;
    assert!(t.nodes.len() > 800);
    assert!(t.is_within("LUAD", "NSCLC"));
    assert!(t.is_within("LUAD", "LUNG"));
    assert!(!t.is_within("COADREAD", "LUNG"));
    assert!(!t.is_solid("AML"));
}

#[test]
fn ctml_documents_import_with_boolean_trees() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/knowledge/ctml");
    let tree = &shipped().content.tumor_types;
    let trials = import::ctml::read(&dir.join("structured_sv.json"), tree).expect("ctml");
    assert_eq!(trials.len(), 1);
    assert!(trials[0].criteria.has_genomic());
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("dir") {
        let p = e.expect("entry").path();
        n += import::ctml::read(&p, tree)
            .map(|t| t.len())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(n >= 20);
}

#[test]
fn ctgov_trials_have_text_mined_criteria() {
    let r = shipped();
    let ct: Vec<_> = r
        .content
        .trials
        .iter()
        .filter(|t| t.registry == "ClinicalTrials.gov")
        .collect();
    assert_eq!(ct.len(), 839);
    let with_genomic = ct.iter().filter(|t| t.criteria.has_genomic()).count();
    assert!(with_genomic > 200, "{with_genomic}");
}

#[test]
fn jrct_format_reads_and_drops_illustrative_records() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/knowledge/jrct_illustrative.json");
    let all = import::jrct::read(&p, true).expect("reads");
    assert!(!all.is_empty());
    assert!(all.iter().all(|t| t.illustrative));
    assert!(import::jrct::read(&p, false).expect("reads").is_empty());
}

#[test]
fn bad_approvals_row_names_line_and_field() {
    let dir = std::env::temp_dir().join(format!("ganome-kb-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let p = dir.join("approvals.tsv");
    std::fs::write(
        &p,
        "id\tjurisdiction\tdrug\tgene\tbiomarker\ttumor_scope\tindication\tdate\tcompanion_diagnostic\tsource\tnote\n\
         x\tJP\td\tEGFR\tL858R\tNOSUCHCODE\ti\t2020-01-01\t\ts\t\n",
    )
    .expect("write");
    let err = import::approvals::read(&p, &shipped().content.tumor_types).expect_err("bad code");
    match err {
        KbError::Field { line, field, .. } => {
            assert_eq!(line, 2);
            assert_eq!(field, "tumor_scope");
        }
        other => panic!("{other}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
    let missing = KnowledgeRelease::build(Path::new("/nonexistent/manifest.toml"));
    assert!(matches!(missing, Err(KbError::Io { .. })));
}
