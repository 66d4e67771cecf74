//! The level checks from the issue, on the shipped data.

use crate::one;
use ganome_knowledge::{Jurisdiction, QueryAlteration};

fn best(m: &ganome_knowledge::CaseMatches) -> (String, String) {
    let l = m.alterations[0].best_level.as_ref().expect("a level");
    (l.ed2.clone(), l.reason.clone())
}

#[test]
fn egfr_l858r_in_luad_is_a_with_osimertinib_approved_in_japan() {
    let m = one("LUAD", QueryAlteration::variant("EGFR", "p.Leu858Arg"));
    let (level, reason) = best(&m);
    assert_eq!(level, "A", "{reason}");
    assert!(reason.contains("Japan"), "{reason}");
    let jp = &m.alterations[0].approved_drugs["JP"];
    assert!(jp.contains(&"osimertinib".to_owned()), "{jp:?}");
    let ed1 = m.alterations[0].best_level.as_ref().map(|l| l.ed1.as_str());
    assert_eq!(ed1, Some("1A"));
}

#[test]
fn egfr_l858r_in_colorectal_is_c_or_lower_with_reason() {
    let m = one("COADREAD", QueryAlteration::variant("EGFR", "L858R"));
    let (level, reason) = best(&m);
    assert!(
        ["C", "D", "E", "F"].contains(&level.as_str()),
        "{level}: {reason}"
    );
    assert!(
        reason.contains("other tumour type") || reason.contains("another tumour type"),
        "{reason}"
    );
    assert!(!m.alterations[0].approved_drugs.contains_key("JP"));
}

#[test]
fn braf_v600e_melanoma_and_colorectal_are_a() {
    let m = one("SKCM", QueryAlteration::variant("BRAF", "V600E"));
    assert_eq!(best(&m).0, "A", "{}", best(&m).1);
    let m = one("COADREAD", QueryAlteration::variant("BRAF", "p.Val600Glu"));
    let (level, reason) = best(&m);
    assert_eq!(level, "A", "{reason}");
    assert!(
        m.alterations[0].approved_drugs["JP"]
            .iter()
            .any(|d| d.contains("encorafenib"))
    );
}

#[test]
fn ntrk1_fusion_in_any_solid_tumour_is_a_tumour_agnostic() {
    for tumor in ["PAAD", "THPA", "IFS", "COADREAD"] {
        let m = one(
            tumor,
            QueryAlteration::Fusion {
                five_prime: "TPM3".into(),
                three_prime: "NTRK1".into(),
            },
        );
        let (level, reason) = best(&m);
        assert_eq!(level, "A", "{tumor}: {reason}");
        assert!(reason.contains("tumour-agnostic"), "{reason}");
    }
    // Not a solid tumour: the tumour-agnostic approvals do not apply.
    let m = one(
        "AML",
        QueryAlteration::Fusion {
            five_prime: "ETV6".into(),
            three_prime: "NTRK1".into(),
        },
    );
    assert!(!m.alterations[0].approved_drugs.contains_key("JP"));
}

#[test]
fn kras_g12c_in_nsclc_is_a_with_sotorasib_2022() {
    let m = one("NSCLC", QueryAlteration::variant("KRAS", "G12C"));
    assert_eq!(best(&m).0, "A");
    let a = m.alterations[0]
        .approvals
        .iter()
        .find(|a| a.jurisdiction == Jurisdiction::Japan && a.drug == "sotorasib")
        .expect("sotorasib approval in Japan");
    assert!(a.date.starts_with("2022"), "{}", a.date);
    // A different codon-12 change is not covered by the G12C approval.
    let m = one("NSCLC", QueryAlteration::variant("KRAS", "G12D"));
    assert!(
        !m.alterations[0]
            .approvals
            .iter()
            .any(|a| a.drug == "sotorasib")
    );
}

#[test]
fn egfr_t790m_is_r_for_first_generation_inhibitors() {
    let m = one("LUAD", QueryAlteration::variant("EGFR", "T790M"));
    let t = &m.alterations[0].therapies;
    for drug in ["gefitinib", "erlotinib"] {
        let r = t.iter().find(|x| x.therapy == drug && x.level.ed2 == "R");
        assert!(
            r.is_some(),
            "{drug} not R: {:?}",
            t.iter()
                .map(|x| (&x.therapy, &x.level.ed2))
                .collect::<Vec<_>>()
        );
    }
    assert_eq!(best(&m).0, "A", "osimertinib for T790M");
}

#[test]
fn msi_and_tmb_biomarkers() {
    use ganome_knowledge::Biomarker;
    let m = one(
        "COADREAD",
        QueryAlteration::Biomarker {
            biomarker: Biomarker::MsiHigh,
            value: None,
        },
    );
    assert_eq!(best(&m).0, "A");
    let low = one(
        "LUAD",
        QueryAlteration::Biomarker {
            biomarker: Biomarker::Tmb,
            value: Some(4.0),
        },
    );
    assert!(low.alterations[0].approvals.is_empty());
    let high = one(
        "LUAD",
        QueryAlteration::Biomarker {
            biomarker: Biomarker::Tmb,
            value: Some(14.0),
        },
    );
    assert_eq!(best(&high).0, "A");
}

#[test]
fn exon_and_class_matches() {
    let del = QueryAlteration::Variant {
        gene: "EGFR".into(),
        hgvs_p: Some("p.Glu746_Ala750del".into()),
        consequence: Some("inframe_deletion".into()),
        exon: Some(19),
    };
    let m = one("LUAD", del);
    assert_eq!(best(&m).0, "A");
    assert!(
        m.alterations[0]
            .approvals
            .iter()
            .any(|a| a.match_type == ganome_knowledge::MatchType::Exon)
    );
    let trunc = QueryAlteration::Variant {
        gene: "BRCA2".into(),
        hgvs_p: Some("p.Ser1982fs".into()),
        consequence: Some("frameshift_variant".into()),
        exon: None,
    };
    let m = one("PRAD", trunc);
    let a = &m.alterations[0];
    assert_eq!(
        a.oncogenicity.as_ref().map(|o| o.call),
        Some(ganome_knowledge::OncogenicityCall::LikelyOncogenic)
    );
    assert!(
        a.approved_drugs["JP"].contains(&"olaparib".to_owned()),
        "{:?}",
        a.approved_drugs
    );
}

#[test]
fn vus_gets_no_therapeutic_level_and_says_why() {
    let m = one("LUAD", QueryAlteration::variant("TP53", "p.Pro72Arg"));
    let a = &m.alterations[0];
    let o = a.oncogenicity.as_ref().expect("oncogenicity");
    assert!(!o.basis.is_empty());
    assert!(a.best_level.as_ref().is_none_or(|l| l.ed2 != "A"));
}

#[test]
fn output_is_deterministic() {
    let q = || QueryAlteration::variant("EGFR", "L858R");
    let a = serde_json::to_string(&one("LUAD", q())).expect("json");
    let b = serde_json::to_string(&one("LUAD", q())).expect("json");
    assert_eq!(a, b);
}

#[test]
fn multi_variant_profiles_need_every_component() {
    use ganome_knowledge::CaseQuery;
    let fusion = QueryAlteration::Fusion {
        five_prime: "BCR".into(),
        three_prime: "ABL1".into(),
    };
    let t315i = QueryAlteration::variant("ABL1", "T315I");
    let both = crate::shipped().match_case(&CaseQuery {
        tumor_type: "CMLBCRABL1".into(),
        alterations: vec![fusion.clone(), t315i.clone()],
    });
    let combo = both.alterations[1]
        .evidence
        .iter()
        .find(|e| e.profile == "ABL1 BCR::ABL1 AND ABL1 T315I")
        .expect("combination evidence matched");
    assert_eq!(combo.with_alterations, vec![0]);
    let imatinib_r = both.alterations[1]
        .therapies
        .iter()
        .any(|t| t.therapy == "imatinib" && t.level.ed2 == "R");
    assert!(imatinib_r, "T315I with BCR::ABL1 should be R for imatinib");

    let alone = one("CMLBCRABL1", t315i);
    assert!(
        !alone.alterations[0]
            .evidence
            .iter()
            .any(|e| e.profile == "ABL1 BCR::ABL1 AND ABL1 T315I")
    );
}

#[test]
fn exon_is_inferred_from_the_codon_when_not_given() {
    let m = one(
        "LUAD",
        QueryAlteration::variant("EGFR", "p.Glu746_Ala750del"),
    );
    let a = &m.alterations[0];
    assert!(
        a.approvals
            .iter()
            .any(|x| x.match_type == ganome_knowledge::MatchType::Exon && x.drug == "osimertinib"),
        "{:?}",
        a.approvals
            .iter()
            .map(|x| (&x.approval_id, x.match_type))
            .collect::<Vec<_>>()
    );
    assert_eq!(a.best_level.as_ref().map(|l| l.ed2.as_str()), Some("A"));
    // An exon 20 insertion is not an exon 19 deletion.
    let m = one(
        "LUAD",
        QueryAlteration::variant("EGFR", "p.Asp770_Asn771insSVD"),
    );
    assert!(
        !m.alterations[0]
            .approvals
            .iter()
            .any(|x| x.drug == "osimertinib")
    );
}
