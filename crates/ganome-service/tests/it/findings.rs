//! Findings in the service, on every backend: a lab's upload issues the findings report at
//! once (state → findings_issued), a bad VCF is refused with its line and nothing is stored,
//! the lab and unrelated hospitals cannot read findings, a tumour-only BRCA2 truncating
//! variant is flagged for counselling, and a new knowledge release adds a version for every
//! case without touching the old one.

use std::sync::OnceLock;

use bytes::Bytes;
use ganome_core::{
    CaseState, ConsentItems, ConsentMethod, GermlineDisclosure, Role, Sex, SpecimenType,
    TestProduct, Timestamp,
};
use ganome_knowledge::KnowledgeRelease;
use ganome_report::{GermlineGuidance, Lang};
use ganome_service::{
    Actor, AnnotationEngine, FindingsFormat, Ganome, IncomingFile, RecordConsent, RegisterCase,
    RegisterPatient, ServiceError, TransitionRequest,
};
use ganome_store::testing;

use crate::support::{Places, ganome, places, user};

const EGFR_VCF: &[u8] = include_bytes!("../../../../testdata/report/egfr_l858r.grch38.vcf");
const BRCA2_VCF: &[u8] = include_bytes!("../../../../testdata/report/brca2_truncating.grch38.vcf");
const COAD_VCF: &[u8] = include_bytes!("../../../../testdata/variants/T001-COAD.grch38.vcf.gz");
const COAD_CNA: &[u8] = include_bytes!("../../../../testdata/variants/T001-COAD.grch38.cna.tsv");
const COAD_FUSIONS: &[u8] =
    include_bytes!("../../../../testdata/variants/T001-COAD.grch38.fusions.tsv");

/// The shipped release, built once for all backends.
pub(crate) fn shipped_release() -> &'static KnowledgeRelease {
    static R: OnceLock<KnowledgeRelease> = OnceLock::new();
    R.get_or_init(|| {
        KnowledgeRelease::default_from_shipped_data()
            .expect("shipped knowledge")
            .named("shipped")
    })
}

fn engine() -> AnnotationEngine {
    let (txdb, id) = AnnotationEngine::shipped_transcripts().expect("shipped transcripts");
    AnnotationEngine::new(
        txdb,
        id,
        shipped_release().clone(),
        GermlineGuidance::shipped().expect("guidance"),
    )
}

#[tokio::test]
async fn findings_story_on_every_backend() {
    for t in testing::all_backends().await {
        let dir = tempfile::tempdir().unwrap();
        let g = ganome(&t, dir.path());
        g.set_annotation_engine(engine());
        story(&g).await;
        eprintln!("findings story passed on {}", t.name);
    }
}

pub(crate) async fn shipped_case(
    g: &Ganome,
    clinician: &Actor,
    lab: &str,
    record: &str,
    oncotree: &str,
) -> String {
    let patient = g
        .register_patient(
            clinician,
            RegisterPatient {
                record_number: record.into(),
                sex: Sex::Female,
                birth_year: 1962,
                birth_month: 5,
            },
            None,
        )
        .await
        .unwrap();
    g.record_consent(
        clinician,
        &patient.id,
        RecordConsent {
            form_version: "2019.1".into(),
            method: ConsentMethod::Paper,
            items: ConsentItems {
                registration: true,
                secondary_use_academia: true,
                secondary_use_industry: false,
                overseas_transfer: false,
                recontact: true,
                germline_disclosure: GermlineDisclosure::Disclose,
            },
            given_at: Timestamp::parse("2024-05-01").unwrap(),
        },
    )
    .await
    .unwrap();
    let (case, _) = g
        .register_case(
            clinician,
            RegisterCase {
                patient_id: patient.id.clone(),
                lab_facility_id: lab.into(),
                test_product: TestProduct::FoundationOneCdx,
                specimen_type: SpecimenType::Ffpe,
                specimen_site: Some("lung".into()),
                specimen_collected_on: None,
                tumor_content_pct: Some(60.0),
                oncotree_code: oncotree.into(),
                stage: Some("IV".into()),
                ecog_ps: Some(1),
                registered_at: Some(Timestamp::parse("2024-05-02").unwrap()),
            },
            None,
        )
        .await
        .unwrap();
    g.transition_case(
        clinician,
        &case.id,
        TransitionRequest {
            to: CaseState::SpecimenShipped,
            at: Some(Timestamp::parse("2024-05-03").unwrap()),
            note: None,
        },
    )
    .await
    .unwrap();
    case.id
}

async fn story(g: &Ganome) {
    let Places {
        coop,
        hub,
        unrelated: elsewhere,
        lab,
        dc,
    } = places(g).await;

    let clinician = user(g, "dr.coop", Role::Clinician, &coop).await;
    let lab_user = user(g, "lab.bot", Role::Lab, &lab).await;
    let chair = user(g, "hub.chair", Role::PanelChair, &hub).await;
    let other = user(g, "dr.elsewhere", Role::Clinician, &elsewhere).await;
    let curator = user(g, "dc.curator", Role::Curator, &dc).await;
    let admin = user(g, "dc.admin", Role::Administrator, &dc).await;

    let luad = shipped_case(g, &clinician, &lab, "MRN-1", "LUAD").await;

    // A broken VCF is refused with its file, line and field; nothing is stored.
    let broken = String::from_utf8(EGFR_VCF.to_vec())
        .unwrap()
        .replace("55191822", "55191822x");
    let err = g
        .upload_result_file(&lab_user, &luad, "bad.vcf", "text/vcf", Bytes::from(broken))
        .await
        .expect_err("bad VCF");
    let ServiceError::Invalid(v) = err else {
        panic!("expected 422, got {err:?}")
    };
    assert_eq!(v.errors[0].field, "content");
    assert!(
        v.errors[0].message.starts_with("bad.vcf:10: field POS"),
        "{}",
        v.errors[0].message
    );
    assert!(
        g.list_result_files(&clinician, &luad)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        g.get_case(&clinician, &luad).await.unwrap().case.state,
        CaseState::SpecimenShipped
    );

    // The real VCF issues findings at once: EGFR L858R in LUAD → level A, osimertinib.
    g.upload_result_file(
        &lab_user,
        &luad,
        "egfr.vcf",
        "text/vcf",
        Bytes::from_static(EGFR_VCF),
    )
    .await
    .unwrap();
    let detail = g.get_case(&clinician, &luad).await.unwrap();
    assert_eq!(detail.case.state, CaseState::FindingsIssued);
    let states: Vec<_> = detail.events.iter().map(|e| e.state).collect();
    assert_eq!(
        &states[states.len() - 2..],
        &[CaseState::ResultsReceived, CaseState::FindingsIssued]
    );
    let v1 = g.list_findings(&clinician, &luad).await.unwrap();
    assert_eq!(v1.len(), 1);
    assert_eq!(v1[0].version, 1);
    assert_eq!(v1[0].top_level.as_deref(), Some("A"));
    assert!(v1[0].alterations >= 1);
    assert!(!v1[0].germline_flag);
    let doc = g.get_findings(&chair, &v1[0].id).await.unwrap();
    let egfr = doc
        .report
        .alterations
        .iter()
        .find(|a| a.gene == "EGFR")
        .expect("EGFR reported");
    let json = serde_json::to_string(egfr).unwrap();
    assert!(json.contains("osimertinib"), "{json}");
    assert_eq!(doc.report.case.tumor_type, "LUAD");
    assert_eq!(
        doc.report.case.report_date.as_deref(),
        Some(detail.events[2].at.date_jst().to_string().as_str())
    );
    let (_, html) = g
        .render_findings(&chair, &v1[0].id, FindingsFormat::Html(Lang::Ja))
        .await
        .unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("EGFR") && html.contains(&v1[0].report_id));
    // Rendering is reproducible.
    let (_, again) = g
        .render_findings(&chair, &v1[0].id, FindingsFormat::Html(Lang::Ja))
        .await
        .unwrap();
    assert_eq!(html.as_bytes(), again.as_slice());

    // A file Ganome does not interpret issues nothing new.
    g.upload_result_file(
        &lab_user,
        &luad,
        "lab-report.pdf",
        "application/pdf",
        Bytes::from_static(b"%PDF-1.4 lab report"),
    )
    .await
    .unwrap();
    assert_eq!(g.list_findings(&clinician, &luad).await.unwrap().len(), 1);

    // The lab and an unrelated hospital cannot read findings; the refusals are audited.
    for who in [&lab_user, &other] {
        assert!(matches!(
            g.list_findings(who, &luad).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            g.get_findings(who, &v1[0].id).await,
            Err(ServiceError::Forbidden(_))
        ));
    }

    // Tumour-only BRCA2 truncating variant at VAF 48 % → counselling flag.
    let brca = shipped_case(g, &clinician, &lab, "MRN-2", "BRCA").await;
    g.upload_result_file(
        &lab_user,
        &brca,
        "brca2.vcf",
        "text/vcf",
        Bytes::from_static(BRCA2_VCF),
    )
    .await
    .unwrap();
    let b1 = g.list_findings(&clinician, &brca).await.unwrap();
    assert_eq!(b1.len(), 1);
    assert!(b1[0].germline_flag, "{:?}", b1[0]);

    // A batch is all or none: a broken copy-number file refuses the VCF beside it.
    let coad = shipped_case(g, &clinician, &lab, "MRN-3", "COAD").await;
    let file = |name: &str, bytes: &'static [u8]| IncomingFile {
        filename: name.into(),
        media_type: String::new(),
        content: Bytes::from_static(bytes),
    };
    let err = g
        .upload_results(
            &lab_user,
            &coad,
            vec![
                file("T001-COAD.grch38.vcf.gz", COAD_VCF),
                file("T001-COAD.grch38.cna.tsv", b"not\ta\tcopy number file\n"),
            ],
        )
        .await
        .expect_err("bad CNV");
    let ServiceError::Invalid(v) = err else {
        panic!("expected 422, got {err:?}")
    };
    assert_eq!(v.errors[0].field, "files[1].content", "{v:?}");
    assert!(
        v.errors[0].message.contains("T001-COAD.grch38.cna.tsv:1"),
        "{v:?}"
    );
    assert!(
        g.list_result_files(&clinician, &coad)
            .await
            .unwrap()
            .is_empty()
    );
    // The real PCGR files in one upload give one findings version from all three.
    let up = g
        .upload_results(
            &lab_user,
            &coad,
            vec![
                file("T001-COAD.grch38.vcf.gz", COAD_VCF),
                file("T001-COAD.grch38.cna.tsv", COAD_CNA),
                file("T001-COAD.grch38.fusions.tsv", COAD_FUSIONS),
            ],
        )
        .await
        .unwrap();
    assert_eq!(up.files.len(), 3);
    let issued = up.findings.expect("findings issued");
    assert_eq!(issued.version, 1);
    let doc = g.get_findings(&clinician, &issued.id).await.unwrap();
    let roles: Vec<_> = doc
        .report
        .provenance
        .inputs
        .iter()
        .map(|f| f.role.as_str())
        .collect();
    // Files of one upload are read in name order, so the report id does not depend on ids.
    assert_eq!(roles, ["copy number", "fusions", "vcf"]);
    assert_eq!(g.list_findings(&clinician, &coad).await.unwrap().len(), 1);

    // Publishing needs the data center's knowledge team.
    let mut content = shipped_release().content.clone();
    content.trials.clear();
    let second = KnowledgeRelease::from_content(Some("second".into()), content);
    assert!(matches!(
        g.publish_knowledge_release(&clinician, second.clone())
            .await,
        Err(ServiceError::Forbidden(_))
    ));
    // A new release adds version 2 for both cases; version 1 is untouched.
    g.register_knowledge_release(shipped_release(), "operator")
        .await
        .unwrap();
    let (record, issued) = g.publish_knowledge_release(&curator, second).await.unwrap();
    assert_eq!(issued, 3);
    assert!(record.is_current);
    let releases = g.list_knowledge_releases(&clinician).await.unwrap();
    assert_eq!(
        releases
            .iter()
            .map(|r| (r.name.as_str(), r.is_current))
            .collect::<Vec<_>>(),
        [("shipped", false), ("second", true)]
    );
    let v = g.list_findings(&clinician, &luad).await.unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0], v1[0], "version 1 is kept as it was");
    assert_ne!(v[1].report_id, v1[0].report_id);
    assert_eq!(v[1].trials, 0);
    assert!(v[1].reason.starts_with("knowledge release second"));
    let old = g.get_findings(&chair, &v1[0].id).await.unwrap();
    assert_eq!(old.report.report_id, v1[0].report_id);
    // The case stays where it was: a new version is not a new state.
    assert_eq!(
        g.get_case(&clinician, &luad).await.unwrap().case.state,
        CaseState::FindingsIssued
    );
    // Issuing by hand with nothing changed is a conflict, not a duplicate.
    assert!(matches!(
        g.issue_findings(&admin, &luad).await,
        Err(ServiceError::Conflict(_))
    ));
    assert!(matches!(
        g.issue_findings(&clinician, &luad).await,
        Err(ServiceError::Forbidden(_))
    ));

    // Every read and refusal above is in the audit trail.
    let audit = g.store().list_audit(500, None).await.unwrap();
    let count = |action: &str, outcome: &str| {
        audit
            .iter()
            .filter(|r| r.entry.action == action && r.entry.outcome == outcome)
            .count()
    };
    assert!(count("findings.read", "ok") >= 2);
    assert!(count("findings.list", "denied") >= 2);
    assert!(count("findings.read", "denied") >= 2);
    assert_eq!(count("knowledge.publish", "ok"), 1);
    assert_eq!(count("knowledge.publish", "denied"), 1);
    assert!(g.verify_audit().await.unwrap().broken.is_none());
}
