//! Secondary use on every backend. Two research organisations (academia, industry) apply
//! for the lung adenocarcinoma cases; the review board approves both, which builds their
//! first releases. Real EGFR L858R findings (testdata/report) make the released cases. The
//! releases leave out a patient who declined secondary use, one whose consent was withdrawn,
//! a case inside the embargo and a case without findings, and, for the industry applicant, a
//! patient who allowed academia only. A withdrawal after the first release removes the
//! patient from query answers, downloads and the next release; research ids differ between
//! releases of the same patient. Clinical roles get 403, another researcher 404, and every
//! step is in the audit trail.

use bytes::Bytes;
use ganome_core::{
    CaseState, ConsentItems, ConsentMethod, FacilityKind, GermlineDisclosure, Role, Sex,
    SpecimenType, TestProduct, Timestamp,
};
use ganome_report::GermlineGuidance;
use ganome_service::{
    Actor, AnnotationEngine, CountBy, DecideApplication, Decision, Ganome, RecordConsent,
    RegisterCase, RegisterPatient, ReleaseFormat, ReleaseQuery, ServiceError, SubmitApplication,
    TransitionRequest, UpsertFacility,
};
use ganome_store::{ResearchScope, testing};

use crate::findings::shipped_release;
use crate::support::{Places, ganome, places, user};

const EGFR_VCF: &[u8] = include_bytes!("../../../../testdata/report/egfr_l858r.grch38.vcf");

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
async fn research_story_on_every_backend() {
    for t in testing::all_backends().await {
        let dir = tempfile::tempdir().unwrap();
        let g = ganome(&t, dir.path());
        g.set_annotation_engine(engine());
        story(&g).await;
        eprintln!("research story passed on {}", t.name);
    }
}

fn items(academia: bool, industry: bool) -> ConsentItems {
    ConsentItems {
        registration: true,
        secondary_use_academia: academia,
        secondary_use_industry: industry,
        overseas_transfer: false,
        recontact: false,
        germline_disclosure: GermlineDisclosure::Undecided,
    }
}

/// A patient with one consent and one LUAD case registered at `registered`; with a lab,
/// the real EGFR L858R VCF is uploaded so the case gets findings. Returns (patient, consent,
/// case).
async fn lung_case(
    g: &Ganome,
    clinician: &Actor,
    lab: &str,
    lab_user: Option<&Actor>,
    record: &str,
    consent: ConsentItems,
    registered: Timestamp,
) -> (String, String, String) {
    let patient = g
        .register_patient(
            clinician,
            RegisterPatient {
                record_number: record.into(),
                sex: Sex::Male,
                birth_year: 1958,
                birth_month: 9,
            },
            None,
        )
        .await
        .unwrap();
    let given = Timestamp::from_datetime(registered.datetime() - time::Duration::days(1));
    let consent = g
        .record_consent(
            clinician,
            &patient.id,
            RecordConsent {
                form_version: "2019.1".into(),
                method: ConsentMethod::Paper,
                items: consent,
                given_at: given,
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
                oncotree_code: "LUAD".into(),
                stage: Some("IV".into()),
                ecog_ps: Some(1),
                registered_at: Some(registered),
            },
            None,
        )
        .await
        .unwrap();
    if let Some(lab_user) = lab_user {
        g.transition_case(
            clinician,
            &case.id,
            TransitionRequest {
                to: CaseState::SpecimenShipped,
                at: Some(registered),
                note: None,
            },
        )
        .await
        .unwrap();
        g.upload_result_file(
            lab_user,
            &case.id,
            "egfr.vcf",
            "text/vcf",
            Bytes::from_static(EGFR_VCF),
        )
        .await
        .unwrap();
    }
    (patient.id, consent.id, case.id)
}

fn application(title: &str) -> SubmitApplication {
    SubmitApplication {
        title: title.into(),
        purpose: "EGFR 変異陽性肺腺癌の治療到達性の記述研究".into(),
        scope: ResearchScope {
            oncotree_codes: vec!["LUAD".into()],
            genes: vec![],
            registered_from: Some("2024-01-01".into()),
            registered_until: None,
            data_items: vec![],
        },
        duo_codes: vec!["DUO:0000042".into(), "DUO:0000021".into()],
    }
}

fn approve() -> DecideApplication {
    DecideApplication {
        decision: Decision::Approve,
        comment: "承認します".into(),
        conditions: Some("成果の公表前に報告すること".into()),
        embargo_days: None,
        embargo_reason: None,
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, ServiceError>) {
    assert!(matches!(r, Err(ServiceError::Forbidden(_))), "{r:?}");
}

async fn story(g: &Ganome) {
    let Places { coop, lab, dc, .. } = places(g).await;
    let admin = user(g, "dc.admin", Role::Administrator, &dc).await;
    for (id, kind, name) in [
        ("R-UNIV", FacilityKind::ResearchAcademia, "ゲノム大学"),
        ("R-PHARMA", FacilityKind::ResearchIndustry, "創薬株式会社"),
    ] {
        g.upsert_facility(
            &admin,
            UpsertFacility {
                id: id.into(),
                kind,
                name_ja: name.into(),
                name_en: None,
                prefecture_code: "13".into(),
                may_host_panel: None,
            },
        )
        .await
        .unwrap();
    }
    let clinician = user(g, "dr.coop", Role::Clinician, &coop).await;
    let lab_user = user(g, "lab.bot", Role::Lab, &lab).await;
    let reviewer = user(g, "dc.reviewer", Role::Reviewer, &dc).await;
    let academic = user(g, "univ.researcher", Role::Researcher, "R-UNIV").await;
    let industry = user(g, "pharma.researcher", Role::Researcher, "R-PHARMA").await;

    let old = Timestamp::parse("2024-05-02").unwrap();
    let recent = Timestamp::from_datetime(Timestamp::now().datetime() - time::Duration::days(10));
    let (both, _, both_case) = lung_case(
        g,
        &clinician,
        &lab,
        Some(&lab_user),
        "MRN-R1",
        items(true, true),
        old,
    )
    .await;
    let (_, _, academia_case) = lung_case(
        g,
        &clinician,
        &lab,
        Some(&lab_user),
        "MRN-R2",
        items(true, false),
        old,
    )
    .await;
    let (late, late_consent, _) = lung_case(
        g,
        &clinician,
        &lab,
        Some(&lab_user),
        "MRN-R3",
        items(true, true),
        old,
    )
    .await;
    let (_, _, declined_case) = lung_case(
        g,
        &clinician,
        &lab,
        None,
        "MRN-R4",
        items(false, false),
        old,
    )
    .await;
    let (_, withdrawn_consent, withdrawn_case) =
        lung_case(g, &clinician, &lab, None, "MRN-R5", items(true, true), old).await;
    g.withdraw_consent(&clinician, &withdrawn_consent, None)
        .await
        .unwrap();
    let (_, _, recent_case) = lung_case(
        g,
        &clinician,
        &lab,
        None,
        "MRN-R6",
        items(true, true),
        recent,
    )
    .await;
    let (_, _, unfound_case) =
        lung_case(g, &clinician, &lab, None, "MRN-R7", items(true, true), old).await;

    // A treatment with its best response (written through the store: the workflow to
    // reach follow-up is the clinical story's subject, not this one's).
    g.store()
        .insert_treatment(&ganome_store::Treatment {
            id: "t-research-1".into(),
            case_id: both_case.clone(),
            line: 1,
            regimen: "osimertinib".into(),
            started_on: time::macros::date!(2024 - 06 - 10),
            ended_on: None,
            recommendation_id: None,
            access_route: ganome_core::AccessRoute::Approved,
            not_given_reason: None,
            best_response: Some(ganome_core::RecistResponse::Pr),
            progression_on: None,
            adverse_events: vec![],
            recorded_by: clinician.user_id.clone(),
            recorded_at: Timestamp::now(),
            updated_at: Timestamp::now(),
        })
        .await
        .unwrap();

    // Applications: researchers of research organisations only, validated by field.
    forbidden(
        g.submit_research_application(&clinician, application("x"))
            .await,
    );
    let mut bad = application("");
    bad.duo_codes = vec!["DUO:0000021".into(), "DUO:1234567".into()];
    bad.scope.data_items = vec!["names".into()];
    let Err(ServiceError::Invalid(errors)) = g.submit_research_application(&academic, bad).await
    else {
        panic!("an invalid application is refused");
    };
    let fields: Vec<&str> = errors.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["title", "scope.data_items[0]", "duo_codes[1]", "duo_codes"]
    );
    let academic_app = g
        .submit_research_application(&academic, application("肺腺癌 EGFR（学術）"))
        .await
        .unwrap();
    assert_eq!(academic_app.sector.as_str(), "academia");
    let industry_app = g
        .submit_research_application(&industry, application("肺腺癌 EGFR（企業）"))
        .await
        .unwrap();
    assert_eq!(industry_app.sector.as_str(), "industry");

    // Each researcher sees their own; the board sees all; clinicians and labs get 403.
    let mine = g.list_research_applications(&academic).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, academic_app.id);
    assert_eq!(
        g.list_research_applications(&reviewer).await.unwrap().len(),
        2
    );
    forbidden(g.list_research_applications(&clinician).await);
    forbidden(g.list_research_applications(&lab_user).await);
    assert!(matches!(
        g.get_research_application(&industry, &academic_app.id)
            .await,
        Err(ServiceError::NotFound(_))
    ));
    forbidden(
        g.decide_research_application(&clinician, &academic_app.id, approve())
            .await,
    );
    forbidden(
        g.decide_research_application(&academic, &academic_app.id, approve())
            .await,
    );
    // A shorter embargo needs a reason.
    let mut short = approve();
    short.embargo_days = Some(0);
    assert!(matches!(
        g.decide_research_application(&reviewer, &academic_app.id, short)
            .await,
        Err(ServiceError::Invalid(_))
    ));

    // Approval builds the first release.
    let detail = g
        .decide_research_application(&reviewer, &academic_app.id, approve())
        .await
        .unwrap();
    assert_eq!(detail.application.state.as_str(), "approved");
    assert_eq!(detail.application.embargo_days, Some(180));
    assert_eq!(
        detail
            .events
            .iter()
            .map(|e| e.state.as_str())
            .collect::<Vec<_>>(),
        ["submitted", "approved"]
    );
    assert!(matches!(
        g.decide_research_application(&reviewer, &academic_app.id, approve())
            .await,
        Err(ServiceError::Conflict(_))
    ));
    let first = detail.releases[0].clone();
    assert_eq!(first.seq, 1);
    assert_eq!(first.cases, 3, "{first:?}");
    let excluded: Vec<(&str, i64)> = first
        .excluded
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        excluded,
        [
            ("consent_withdrawn", 1),
            ("embargo", 1),
            ("no_findings", 1),
            ("secondary_use_declined", 1)
        ]
    );
    let members = g.store().research_release_members(&first.id).await.unwrap();
    let cases: Vec<&str> = members.iter().map(|m| m.case_id.as_str()).collect();
    for out in [&declined_case, &withdrawn_case, &recent_case, &unfound_case] {
        assert!(!cases.contains(&out.as_str()));
    }
    assert!(cases.contains(&academia_case.as_str()));

    // The industry applicant's release leaves out the academia-only patient.
    let industry_detail = g
        .decide_research_application(&reviewer, &industry_app.id, approve())
        .await
        .unwrap();
    let industry_release = &industry_detail.releases[0];
    assert_eq!(industry_release.cases, 2);
    assert_eq!(
        industry_release.excluded.get("sector_not_consented"),
        Some(&1)
    );
    let industry_members = g
        .store()
        .research_release_members(&industry_release.id)
        .await
        .unwrap();
    assert!(!industry_members.iter().any(|m| m.case_id == academia_case));

    // The exclusion counts are the board's: the applicant sees the release without them.
    let seen = g
        .get_research_application(&academic, &academic_app.id)
        .await
        .unwrap();
    assert_eq!(seen.releases[0].cases, 3);
    assert!(seen.releases[0].excluded.is_empty());

    // The file is de-identified: no record numbers, patient, case or facility ids.
    let file = g
        .download_research_release(&academic, &first.id, ReleaseFormat::Ndjson)
        .await
        .unwrap();
    let text = std::str::from_utf8(&file.content).unwrap().to_owned();
    assert_eq!(text.lines().count(), 3);
    for secret in [
        "MRN-",
        both.as_str(),
        both_case.as_str(),
        coop.as_str(),
        "2024-05-02",
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    let record: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(record["registered_ym"], "2024-05");
    assert_eq!(record["age_band"], "65-69");
    assert_eq!(record["facility_tier"], "cooperative_hospital");
    assert!(
        record["alterations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["gene"] == "EGFR" && a["hgvs_p"].as_str().unwrap_or("").contains("858")),
        "{record}"
    );
    let treated: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| !r["treatments"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(treated.len(), 1);
    assert_eq!(
        treated[0]["treatments"][0],
        serde_json::json!({"line": 1, "regimen": "osimertinib", "on_recommendation": false,
                           "access_route": "approved", "started_ym": "2024-06",
                           "best_response": "PR"})
    );
    let csv = g
        .download_research_release(&academic, &first.id, ReleaseFormat::Csv)
        .await
        .unwrap();
    assert!(
        std::str::from_utf8(&csv.content)
            .unwrap()
            .starts_with("research_id,oncotree_code,")
    );

    // Queries: small counts read <10; only the applicant queries or downloads.
    let by_gene = ReleaseQuery { by: CountBy::Gene };
    let counts = g
        .query_research_release(&academic, &first.id, &by_gene)
        .await
        .unwrap();
    assert_eq!(counts.total.shown, "<10");
    let egfr = counts.cells.iter().find(|c| c.key == "EGFR").unwrap();
    assert!(egfr.suppressed && egfr.count.is_none());
    forbidden(
        g.query_research_release(&clinician, &first.id, &by_gene)
            .await,
    );
    forbidden(
        g.query_research_release(&lab_user, &first.id, &by_gene)
            .await,
    );
    forbidden(
        g.query_research_release(&reviewer, &first.id, &by_gene)
            .await,
    );
    assert!(matches!(
        g.query_research_release(&industry, &first.id, &by_gene)
            .await,
        Err(ServiceError::NotFound(_))
    ));
    forbidden(
        g.download_research_release(&clinician, &first.id, ReleaseFormat::Ndjson)
            .await,
    );
    forbidden(g.build_research_release(&academic, &academic_app.id).await);

    // A withdrawal after the release: gone from downloads and the next release; the stored
    // release stays as it was built.
    let late_id = members
        .iter()
        .find(|m| m.patient_id == late)
        .unwrap()
        .research_id
        .clone();
    assert!(text.contains(&late_id));
    g.withdraw_consent(&clinician, &late_consent, None)
        .await
        .unwrap();
    let after = g
        .download_research_release(&academic, &first.id, ReleaseFormat::Ndjson)
        .await
        .unwrap();
    let after = std::str::from_utf8(&after.content).unwrap();
    assert_eq!(after.lines().count(), 2);
    assert!(!after.contains(&late_id));
    assert_eq!(
        g.store()
            .research_release_members(&first.id)
            .await
            .unwrap()
            .len(),
        3
    );
    let second = g
        .build_research_release(&reviewer, &academic_app.id)
        .await
        .unwrap();
    assert_eq!((second.seq, second.cases), (2, 2));
    assert_eq!(second.excluded.get("consent_withdrawn"), Some(&2));
    let second_members = g
        .store()
        .research_release_members(&second.id)
        .await
        .unwrap();
    assert!(!second_members.iter().any(|m| m.patient_id == late));
    // Research ids are per release: the same patient is not linkable across releases.
    let id_in = |ms: &[ganome_store::ReleaseMember]| {
        ms.iter()
            .find(|m| m.patient_id == both)
            .unwrap()
            .research_id
            .clone()
    };
    assert_ne!(id_in(&members), id_in(&second_members));

    // Every step is in the audit trail, refusals included.
    let audit = g.store().list_audit(2000, None).await.unwrap();
    let count = |action: &str, outcome: &str| {
        audit
            .iter()
            .filter(|r| r.entry.action == action && r.entry.outcome == outcome)
            .count()
    };
    assert_eq!(count("research.application.submit", "ok"), 2);
    assert_eq!(count("research.application.submit", "denied"), 1);
    assert_eq!(count("research.application.submit", "invalid"), 1);
    assert_eq!(count("research.application.list", "ok"), 2);
    assert_eq!(count("research.application.list", "denied"), 2);
    assert_eq!(count("research.application.read", "ok"), 1);
    assert_eq!(count("research.application.read", "not_found"), 1);
    assert_eq!(count("research.application.decide", "ok"), 2);
    assert_eq!(count("research.application.decide", "denied"), 2);
    assert_eq!(count("research.application.decide", "invalid"), 1);
    assert_eq!(count("research.application.decide", "conflict"), 1);
    assert_eq!(count("research.release.build", "ok"), 3);
    assert_eq!(count("research.release.build", "denied"), 1);
    assert_eq!(count("research.release.query", "ok"), 1);
    assert_eq!(count("research.release.query", "denied"), 3);
    assert_eq!(count("research.release.query", "not_found"), 1);
    assert_eq!(count("research.release.download", "ok"), 3);
    assert_eq!(count("research.release.download", "denied"), 1);
    assert!(g.verify_audit().await.unwrap().broken.is_none());
}
