//! Same inputs, same bytes; another knowledge release, another report id.

use ganome_knowledge::KnowledgeRelease;
use ganome_report::{CaseInput, render_all};

use crate::{inputs_from_vcf, release, report, report_with};

#[test]
fn two_runs_give_identical_bytes() {
    let mut case = CaseInput::new("T001-COAD", "COADREAD");
    case.report_date = Some("2026-11-20".into());
    let inputs = inputs_from_vcf("testdata/variants/T001-COAD.grch38.vcf.gz");
    let a = render_all(&report(&case, &inputs)).unwrap();
    let b = render_all(&report(&case, &inputs)).unwrap();
    assert_eq!(a.len(), 6);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.name, y.name);
        assert!(x.bytes == y.bytes, "{} differs between runs", x.name);
        assert!(!x.bytes.is_empty());
    }
}

#[test]
fn another_release_changes_the_id() {
    let case = CaseInput::new("EGFR-L858R", "LUAD");
    let inputs = inputs_from_vcf("testdata/report/egfr_l858r.grch38.vcf");
    let base = report(&case, &inputs);
    let mut content = release().content.clone();
    content.trials.pop();
    let other = KnowledgeRelease::from_content(Some("test-other".into()), content);
    assert_ne!(other.content_hash, release().content_hash);
    let changed = report_with(&case, &inputs, &other);
    assert_ne!(base.report_id, changed.report_id);
    // And the id is stable for the same release.
    assert_eq!(base.report_id, report(&case, &inputs).report_id);
    // A different input file changes it too.
    let mut inputs2 = inputs.clone();
    inputs2.files[0].sha256 = "0".repeat(64);
    assert_ne!(base.report_id, report(&case, &inputs2).report_id);
}
