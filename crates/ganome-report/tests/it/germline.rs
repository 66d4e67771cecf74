//! Presumed-germline screen: BRCA2 c.5946del (p.Ser1982Argfs*22) at VAF 48 % in a
//! tumour-only panel.

use ganome_report::{CaseInput, GermlineDisclosure};

use crate::{inputs_from_vcf, report};

fn case(tumor_only: bool, disclosure: GermlineDisclosure) -> ganome_report::FindingsReport {
    let mut c = CaseInput::new("BRCA2-FS", "BRCA");
    c.tumor_only = tumor_only;
    c.disclosure = disclosure;
    c.tumor_content = Some(0.6);
    report(
        &c,
        &inputs_from_vcf("testdata/report/brca2_truncating.grch38.vcf"),
    )
}

#[test]
fn truncating_brca2_at_vaf_48_is_flagged_for_counselling() {
    let r = case(true, GermlineDisclosure::Disclose);
    let a = r
        .alterations
        .iter()
        .find(|a| a.gene == "BRCA2")
        .expect("BRCA2 reported");
    assert!(
        a.consequence.iter().any(|c| c == "frameshift_variant"),
        "{a:?}"
    );
    assert_eq!(a.vaf, Some(0.48));
    assert_eq!(a.origin, ganome_report::Origin::Unknown);
    assert!(r.germline.applies);
    let g = &r.germline.findings;
    assert_eq!(g.len(), 1, "{g:?}");
    assert_eq!(g[0].rule, "BRCA-VAF10");
    assert!(r.germline.referral.flagged);
    assert_eq!(r.germline.referral.decision, "refer");
    assert!(r.summary.germline_flag);
}

#[test]
fn referral_follows_the_disclosure_wish() {
    let r = case(true, GermlineDisclosure::DoNotDisclose);
    assert!(r.germline.referral.flagged);
    assert_eq!(r.germline.referral.decision, "withheld_by_preference");
    let r = case(true, GermlineDisclosure::Undecided);
    assert_eq!(r.germline.referral.decision, "confirm_preference");
}

#[test]
fn tumour_normal_tests_are_not_screened() {
    let r = case(false, GermlineDisclosure::Disclose);
    assert!(!r.germline.applies);
    assert!(r.germline.findings.is_empty());
    assert!(!r.germline.referral.flagged);
}
