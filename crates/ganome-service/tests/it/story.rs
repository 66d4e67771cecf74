use bytes::Bytes;
use ganome_core::{
    CaseState, ConsentItems, ConsentMethod, GermlineDisclosure, Role, Sex, SpecimenType,
    TestProduct, Timestamp,
};
use ganome_service::{
    CaseListQuery, Ganome, RecordConsent, RegisterCase, RegisterPatient, ServiceError,
    TransitionRequest,
};
use ganome_store::testing;

use crate::support::{ganome, user};
use sqlx::Executor;

#[tokio::test]
async fn registration_to_results_story_on_every_backend() {
    for t in testing::all_backends().await {
        let dir = tempfile::tempdir().unwrap();
        let g = ganome(&t, dir.path());
        story(&g, &t).await;
        eprintln!("service story passed on {}", t.name);
    }
}

async fn story(g: &Ganome, t: &testing::TestStore) {
    let counts = g.load_shipped_network().await.unwrap();
    assert_eq!((counts.core, counts.hub, counts.cooperative), (11, 34, 122));
    // Loading again changes nothing.
    assert_eq!(g.load_shipped_network().await.unwrap(), counts);

    // A cooperative hospital and the hospital it is linked to.
    let facilities = g.store().list_facilities().await.unwrap();
    let coop = facilities
        .iter()
        .find(|f| f.kind == ganome_core::FacilityKind::CooperativeHospital)
        .unwrap();
    let panel_site = coop.links[0].parent_id.clone();
    let unrelated = facilities
        .iter()
        .find(|f| f.kind == ganome_core::FacilityKind::HubHospital && f.id != panel_site)
        .unwrap();
    let lab = facilities
        .iter()
        .find(|f| f.kind == ganome_core::FacilityKind::Lab)
        .unwrap();

    let clinician = user(g, "dr.coop", Role::Clinician, &coop.id).await;
    let member = user(g, "panel.member", Role::PanelMember, &panel_site).await;
    let stranger = user(g, "dr.elsewhere", Role::Clinician, &unrelated.id).await;
    let other_panel = user(g, "other.panel", Role::PanelMember, &unrelated.id).await;
    let lab_user = user(g, "lab.bot", Role::Lab, &lab.id).await;

    // Register a patient; the record number is pseudonymised.
    let patient = g
        .register_patient(
            &clinician,
            RegisterPatient {
                record_number: "MRN-000123".into(),
                sex: Sex::Male,
                birth_year: 1955,
                birth_month: 4,
            },
            Some("reg-1"),
        )
        .await
        .unwrap();
    assert_eq!(patient.pseudonym.len(), 64);
    assert!(!patient.pseudonym.contains("000123"));
    let found = g
        .find_patient_by_record_number(&clinician, "MRN-000123")
        .await
        .unwrap();
    assert_eq!(found.id, patient.id);
    // Nothing in the database holds the record number in clear.
    let rows: Vec<(String,)> = sqlx::query_as("SELECT pseudonym FROM patients")
        .fetch_all(t.store.pool())
        .await
        .unwrap();
    assert!(rows.iter().all(|(p,)| !p.contains("MRN")));

    // Validation names the field.
    let err = g
        .register_patient(
            &clinician,
            RegisterPatient {
                record_number: " ".into(),
                sex: Sex::Male,
                birth_year: 1800,
                birth_month: 13,
            },
            None,
        )
        .await
        .unwrap_err();
    let ServiceError::Invalid(errors) = err else {
        panic!("expected 422")
    };
    let fields: Vec<_> = errors.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["record_number", "birth_year", "birth_month"]);

    g.record_consent(
        &clinician,
        &patient.id,
        RecordConsent {
            form_version: "2019.1".into(),
            method: ConsentMethod::Electronic,
            items: ConsentItems {
                registration: true,
                secondary_use_academia: true,
                secondary_use_industry: true,
                overseas_transfer: false,
                recontact: true,
                germline_disclosure: GermlineDisclosure::Disclose,
            },
            given_at: Timestamp::parse("2019-07-01").unwrap(),
        },
    )
    .await
    .unwrap();

    let register = RegisterCase {
        patient_id: patient.id.clone(),
        lab_facility_id: lab.id.clone(),
        test_product: TestProduct::FoundationOneCdx,
        specimen_type: SpecimenType::Ffpe,
        specimen_site: Some("lung".into()),
        specimen_collected_on: Some(ganome_core::parse_date("2019-06-20").unwrap()),
        tumor_content_pct: Some(40.0),
        oncotree_code: "LUAD".into(),
        stage: Some("IV".into()),
        ecog_ps: Some(1),
        registered_at: Some(Timestamp::parse("2019-07-02T00:00:00Z").unwrap()),
    };
    let (case, created) = g
        .register_case(&clinician, register.clone(), Some("case-1"))
        .await
        .unwrap();
    assert!(created);
    assert_eq!(
        case.panel_facility_id, panel_site,
        "routed to the linked panel"
    );
    assert!(case.case_number.starts_with("GNM-2019-"));
    let (again, created) = g
        .register_case(&clinician, register.clone(), Some("case-1"))
        .await
        .unwrap();
    assert_eq!(
        (again.id.as_str(), created),
        (case.id.as_str(), false),
        "idempotent"
    );
    let all = g
        .list_cases(&clinician, &CaseListQuery::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 1, "the repeat created nothing");

    // The clinician ships the specimen; the lab uploads results, which moves the case on.
    g.transition_case(
        &clinician,
        &case.id,
        TransitionRequest {
            to: CaseState::SpecimenShipped,
            at: Some(Timestamp::parse("2019-07-03").unwrap()),
            note: None,
        },
    )
    .await
    .unwrap();
    // A real VCF (CIViC EGFR L858R on GRCh38; testdata/report/PROVENANCE.md).
    let content = Bytes::from_static(include_bytes!(
        "../../../../testdata/report/egfr_l858r.grch38.vcf"
    ));
    let file = g
        .upload_result_file(&lab_user, &case.id, "T001.vcf", "text/vcf", content.clone())
        .await
        .unwrap();
    use sha2::Digest;
    assert_eq!(file.sha256, hex::encode(sha2::Sha256::digest(&content)));
    assert_eq!(file.size_bytes, content.len() as i64);
    let detail = g.get_case(&member, &case.id).await.unwrap();
    assert_eq!(detail.case.state, CaseState::ResultsReceived);
    assert_eq!(detail.files.len(), 1);
    let down = g.download_result_file(&member, &file.id).await.unwrap();
    assert_eq!(down.content, content);

    // Out of scope: an unrelated hospital's clinician and panel, another role.
    assert!(matches!(
        g.get_case(&stranger, &case.id).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        g.get_case(&other_panel, &case.id).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        g.download_result_file(&stranger, &file.id).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        g.get_patient(&stranger, &patient.id).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(
        g.get_patient(&member, &patient.id).await.is_ok(),
        "the linked panel reads the patient"
    );
    assert!(
        g.list_cases(&other_panel, &CaseListQuery::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        g.upload_result_file(&clinician, &case.id, "x.vcf", "text/vcf", content.clone())
            .await,
        Err(ServiceError::Forbidden(_))
    ));
    // A state may not be skipped, nor moved by the wrong role.
    let skip = TransitionRequest {
        to: CaseState::PanelReviewed,
        at: None,
        note: None,
    };
    assert!(matches!(
        g.transition_case(&member, &case.id, skip).await,
        Err(ServiceError::Forbidden(_))
    ));

    // Every read and write above left an audit row; denials included; the chain verifies.
    let audit = g.store().list_audit(1000, None).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|r| r.entry.action == "case.read" && r.entry.outcome == "denied")
    );
    assert!(
        audit
            .iter()
            .any(|r| r.entry.action == "file.upload" && r.entry.outcome == "ok")
    );
    assert!(
        audit
            .iter()
            .any(|r| r.entry.action == "patient.register" && r.entry.outcome == "invalid")
    );
    let report = g.verify_audit().await.unwrap();
    assert!(report.broken.is_none() && report.rows == audit.len() as i64);
    t.store
        .pool()
        .execute("UPDATE audit_log SET detail = 'tampered' WHERE seq = 5")
        .await
        .unwrap();
    assert_eq!(g.verify_audit().await.unwrap().broken.unwrap().seq, 5);
}
