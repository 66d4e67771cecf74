//! The clinical workflow on every backend: a cooperative hospital's case goes through
//! results and findings to its linked hub's asynchronous panel, a recommendation, the
//! explanation, a treatment based on it and its response; a meeting without a genetic
//! counsellor cannot be finalised; an unrelated panel cannot see or review the case.

use bytes::Bytes;
use ganome_core::{
    AccessRoute, CaseState, JpEvidenceLevel, MeetingMode, PanelRole, RecistResponse, Role, Sex,
    SpecimenType, TestProduct, Timestamp, VitalStatus, parse_date,
};
use ganome_service::{
    Actor, CaseListQuery, ClinicalListQuery, CreateMeeting, Ganome, NewRecommendation,
    RecordAdverseEvent, RecordExplanation, RecordOutcome, RecordResponse, RecordReview,
    RecordTreatment, RegisterCase, RegisterPatient, ServiceError, TransitionRequest,
};
use ganome_store::{Attendee, GermlineFollowUp, testing};

use crate::support::{Places, ganome, places, user};
use serde_json::Value;

fn attendee(name: &str, role: PanelRole, who: Option<&Actor>) -> Attendee {
    Attendee {
        name: name.into(),
        panel_role: role,
        user_id: who.map(|a| a.user_id.clone()),
    }
}

fn field_errors(err: ServiceError) -> Vec<(String, String)> {
    let ServiceError::Invalid(e) = err else {
        panic!("expected 422, got {err:?}")
    };
    e.errors.into_iter().map(|e| (e.field, e.message)).collect()
}

#[tokio::test]
async fn clinical_story_on_every_backend() {
    for t in testing::all_backends().await {
        let dir = tempfile::tempdir().unwrap();
        let g = ganome(&t, dir.path());
        story(&g).await;
        eprintln!("clinical story passed on {}", t.name);
    }
}

async fn story(g: &Ganome) {
    let Places {
        coop,
        hub,
        unrelated,
        lab,
        dc,
    } = places(g).await;

    let clinician = user(g, "dr.coop", Role::Clinician, &coop).await;
    let lab_user = user(g, "lab.bot", Role::Lab, &lab).await;
    let admin = user(g, "dc.admin", Role::Administrator, &dc).await;
    let chair = user(g, "hub.chair", Role::PanelChair, &hub).await;
    let onc2 = user(g, "hub.onc2", Role::PanelMember, &hub).await;
    let genetics = user(g, "hub.genetics", Role::PanelMember, &hub).await;
    let counsellor = user(g, "hub.gc", Role::PanelMember, &hub).await;
    let pathologist = user(g, "hub.path", Role::PanelMember, &hub).await;
    let molgen = user(g, "hub.molgen", Role::PanelMember, &hub).await;
    let other_chair = user(g, "other.chair", Role::PanelChair, &unrelated).await;
    let coop_panel = user(g, "coop.member", Role::PanelMember, &coop).await;

    // Registration at the cooperative hospital → results → findings.
    let patient = g
        .register_patient(
            &clinician,
            RegisterPatient {
                record_number: "MRN-42".into(),
                sex: Sex::Female,
                birth_year: 1960,
                birth_month: 2,
            },
            None,
        )
        .await
        .unwrap();
    let (case, _) = g
        .register_case(
            &clinician,
            RegisterCase {
                patient_id: patient.id.clone(),
                lab_facility_id: lab.clone(),
                test_product: TestProduct::FoundationOneCdx,
                specimen_type: SpecimenType::Ffpe,
                specimen_site: None,
                specimen_collected_on: None,
                tumor_content_pct: Some(50.0),
                oncotree_code: "LUAD".into(),
                stage: Some("IV".into()),
                ecog_ps: Some(1),
                registered_at: Some(Timestamp::parse("2024-04-01").unwrap()),
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(case.panel_facility_id, hub);
    g.transition_case(
        &clinician,
        &case.id,
        TransitionRequest {
            to: CaseState::SpecimenShipped,
            at: Some(Timestamp::parse("2024-04-02").unwrap()),
            note: None,
        },
    )
    .await
    .unwrap();
    g.upload_result_file(
        &lab_user,
        &case.id,
        "T.vcf",
        "text/vcf",
        Bytes::from_static(include_bytes!(
            "../../../../testdata/report/egfr_l858r.grch38.vcf"
        )),
    )
    .await
    .unwrap();

    // The hub's asynchronous panel: every member with an account.
    let members = [
        attendee(
            "Chair (oncology)",
            PanelRole::DrugTherapyPhysician,
            Some(&chair),
        ),
        attendee("Oncologist 2", PanelRole::DrugTherapyPhysician, Some(&onc2)),
        attendee(
            "Clinical geneticist",
            PanelRole::ClinicalGeneticsPhysician,
            Some(&genetics),
        ),
        attendee(
            "Genetic counsellor",
            PanelRole::GeneticCounsellor,
            Some(&counsellor),
        ),
        attendee("Pathologist", PanelRole::Pathologist, Some(&pathologist)),
        attendee(
            "Molecular geneticist",
            PanelRole::MolecularGeneticsExpert,
            Some(&molgen),
        ),
    ];
    let today = Timestamp::now().date();
    let meeting = g
        .create_meeting(
            &chair,
            CreateMeeting {
                held_on: today,
                mode: MeetingMode::Asynchronous,
                sequencing_in_house: false,
                chair_user_id: Some(chair.user_id.clone()),
                attendees: members.to_vec(),
            },
        )
        .await
        .unwrap();

    // A cooperative hospital without certification hosts no panel; a clinician holds none.
    assert!(matches!(
        g.create_meeting(
            &coop_panel,
            CreateMeeting {
                held_on: today,
                mode: MeetingMode::Asynchronous,
                sequencing_in_house: false,
                chair_user_id: None,
                attendees: members.to_vec(),
            }
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));

    // Not reviewable before findings are issued.
    let review_req = RecordReview {
        case_id: case.id.clone(),
        findings_version: "findings/1".into(),
        discussion: "EGFR L858R; osimertinib recommended. Germline BRCA2 suspicion.".into(),
        germline: GermlineFollowUp {
            counselling_referral: true,
            confirmatory_test: true,
            note: Some("BRCA2 c.5946del, VAF 0.51".into()),
        },
        recommendations: vec![
            NewRecommendation {
                drug: "osimertinib".into(),
                biomarker: Some("EGFR L858R".into()),
                evidence_level: JpEvidenceLevel::A,
                access_route: AccessRoute::Approved,
                trial_id: None,
                note: None,
            },
            NewRecommendation {
                drug: "olaparib".into(),
                biomarker: Some("BRCA2 c.5946del".into()),
                evidence_level: JpEvidenceLevel::C,
                access_route: AccessRoute::ClinicalTrial,
                trial_id: Some("jRCT2031200123".into()),
                note: None,
            },
        ],
    };
    assert!(matches!(
        g.add_review(&chair, &meeting.id, review_req.clone()).await,
        Err(ServiceError::Conflict(_))
    ));
    // The data-center administrator issues the findings.
    g.transition_case(
        &admin,
        &case.id,
        TransitionRequest {
            to: CaseState::FindingsIssued,
            at: None,
            note: Some("findings/1".into()),
        },
    )
    .await
    .unwrap();

    // An unrelated hub's panel: not in its case list, not on its agenda, no review access.
    let other_meeting = g
        .create_meeting(
            &other_chair,
            CreateMeeting {
                held_on: today,
                mode: MeetingMode::Video,
                sequencing_in_house: false,
                chair_user_id: Some(other_chair.user_id.clone()),
                attendees: vec![attendee(
                    "Chair",
                    PanelRole::DrugTherapyPhysician,
                    Some(&other_chair),
                )],
            },
        )
        .await
        .unwrap();
    assert!(
        g.list_cases(&other_chair, &CaseListQuery::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        g.add_review(&other_chair, &other_meeting.id, review_req.clone())
            .await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        g.add_review(&other_chair, &meeting.id, review_req.clone())
            .await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        g.get_meeting(&other_chair, &meeting.id).await,
        Err(ServiceError::Forbidden(_))
    ));

    // Bad recommendation: a trial route without its id, named by path.
    let mut bad = review_req.clone();
    bad.recommendations[1].trial_id = None;
    let errs = field_errors(g.add_review(&chair, &meeting.id, bad).await.unwrap_err());
    assert_eq!(errs[0].0, "recommendations[1].trial_id");

    let review = g
        .add_review(&onc2, &meeting.id, review_req.clone())
        .await
        .unwrap();
    assert_eq!(review.recommendations.len(), 2);
    assert!(matches!(
        g.get_review(&other_chair, &review.id).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        g.sign_off_review(&other_chair, &review.id).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(
        g.list_reviews(&other_chair, &ClinicalListQuery::default())
            .await
            .unwrap()
            .is_empty()
    );
    // Sign-off waits for the meeting to be finalised.
    assert!(matches!(
        g.sign_off_review(&chair, &review.id).await,
        Err(ServiceError::Conflict(_))
    ));
    g.finalise_meeting(&chair, &meeting.id).await.unwrap();
    let agenda = g.get_meeting(&genetics, &meeting.id).await.unwrap().agenda;
    assert_eq!(agenda.len(), 1);

    // Every member signs; the case moves only with the last signature.
    let signers = [&chair, &onc2, &genetics, &counsellor, &pathologist, &molgen];
    for (i, who) in signers.iter().enumerate() {
        let r = g.sign_off_review(who, &review.id).await.unwrap();
        let state = g.get_case(&chair, &case.id).await.unwrap().case.state;
        if i + 1 < signers.len() {
            assert!(r.signed_off_at.is_none());
            assert_eq!(state, CaseState::FindingsIssued);
        } else {
            assert!(r.signed_off_at.is_some());
            assert_eq!(state, CaseState::PanelReviewed);
        }
    }
    let events = g.get_case(&clinician, &case.id).await.unwrap().events;
    let reviewed = events
        .iter()
        .find(|e| e.state == CaseState::PanelReviewed)
        .unwrap();
    let signed = g.get_review(&clinician, &review.id).await.unwrap();
    assert_eq!(
        Some(reviewed.at),
        signed.signed_off_at,
        "stamped with the sign-off time"
    );

    // Follow-up is the ordering clinician's; the panel cannot record it.
    let explain = RecordExplanation {
        explained_on: today,
        explained_by: "Dr Coop".into(),
        note: None,
    };
    assert!(matches!(
        g.record_explanation(&chair, &case.id, explain.clone())
            .await,
        Err(ServiceError::Forbidden(_))
    ));
    let rec = &signed.recommendations[0];
    let treatment = RecordTreatment {
        line: 1,
        regimen: "osimertinib 80 mg".into(),
        started_on: today,
        ended_on: None,
        recommendation_id: Some(rec.id.clone()),
        access_route: AccessRoute::Approved,
        not_given_reason: None,
    };
    assert!(matches!(
        g.record_treatment(&clinician, &case.id, treatment.clone())
            .await,
        Err(ServiceError::Conflict(_))
    ));
    g.record_explanation(&clinician, &case.id, explain)
        .await
        .unwrap();
    assert_eq!(
        g.get_case(&clinician, &case.id).await.unwrap().case.state,
        CaseState::Explained
    );

    // A treatment not based on the recommendation must say why.
    let mut unexplained = treatment.clone();
    unexplained.recommendation_id = None;
    let errs = field_errors(
        g.record_treatment(&clinician, &case.id, unexplained)
            .await
            .unwrap_err(),
    );
    assert_eq!(errs[0].0, "not_given_reason");
    let tx = g
        .record_treatment(&clinician, &case.id, treatment)
        .await
        .unwrap();
    assert_eq!(tx.recommendation_id.as_deref(), Some(rec.id.as_str()));
    assert_eq!(
        g.get_case(&clinician, &case.id).await.unwrap().case.state,
        CaseState::FollowedUp
    );
    let tx = g
        .record_response(
            &clinician,
            &tx.id,
            RecordResponse {
                best_response: Some(RecistResponse::Pr),
                progression_on: None,
                ended_on: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(tx.best_response, Some(RecistResponse::Pr));
    let errs = field_errors(
        g.add_adverse_event(
            &clinician,
            &tx.id,
            RecordAdverseEvent {
                ctcae_term: "Diarrhea".into(),
                grade: 6,
                onset_on: None,
            },
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(errs[0].0, "grade");
    let tx = g
        .add_adverse_event(
            &clinician,
            &tx.id,
            RecordAdverseEvent {
                ctcae_term: "Diarrhea".into(),
                grade: 2,
                onset_on: Some(today),
            },
        )
        .await
        .unwrap();
    assert_eq!(tx.adverse_events.len(), 1);
    g.record_outcome(
        &clinician,
        &case.id,
        RecordOutcome {
            vital_status: VitalStatus::Alive,
            last_contact_on: today,
            cause_of_death: None,
        },
    )
    .await
    .unwrap();
    // A second follow-up adds no state change.
    let events = g.get_case(&clinician, &case.id).await.unwrap().events;
    assert_eq!(
        events
            .iter()
            .filter(|e| e.state == CaseState::FollowedUp)
            .count(),
        1
    );

    // Listings for indicators: meetings per facility, reviews with recommendations,
    // treatments with based-on links.
    let q = ClinicalListQuery {
        facility: Some(hub.clone()),
        ..Default::default()
    };
    let meetings = g.list_meetings(&admin, &q).await.unwrap();
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0].held_on, today);
    assert!(matches!(
        g.list_meetings(&other_chair, &q).await,
        Err(ServiceError::Forbidden(_))
    ));
    let reviews = g.list_reviews(&admin, &q).await.unwrap();
    assert_eq!(reviews[0].recommendations.len(), 2);
    let treatments = g
        .list_treatments(&clinician, &ClinicalListQuery::default())
        .await
        .unwrap();
    assert_eq!(
        treatments[0].recommendation_id.as_deref(),
        Some(rec.id.as_str())
    );
    assert!(matches!(
        g.list_treatments(&lab_user, &ClinicalListQuery::default())
            .await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(
        g.list_treatments(&other_chair, &ClinicalListQuery::default())
            .await
            .unwrap()
            .is_empty()
    );

    // FHIR: the recommendations as Genomics Reporting Tasks, checked against the profiles.
    let bundle = g.fhir_recommendations(&clinician, &case.id).await.unwrap();
    check_bundle(&bundle, &rec.id);
    assert!(matches!(
        g.fhir_recommendations(&other_chair, &case.id).await,
        Err(ServiceError::Forbidden(_))
    ));

    // Every clinical read and write was audited, denials included.
    let audit = g.store().list_audit(5000, None).await.unwrap();
    for action in [
        "panel.meeting.create",
        "panel.review.create",
        "panel.review.sign_off",
        "case.explanation.record",
        "case.treatment.record",
        "case.treatment.response",
        "case.outcome.record",
        "case.fhir.recommendations",
    ] {
        assert!(
            audit
                .iter()
                .any(|r| r.entry.action == action && r.entry.outcome == "ok"),
            "{action}"
        );
    }
    assert!(
        audit
            .iter()
            .any(|r| r.entry.action == "panel.review.create" && r.entry.outcome == "denied")
    );
    assert!(g.verify_audit().await.unwrap().broken.is_none());

    composition_story(g, &chair, &members).await;
}

/// A live meeting without a genetic counsellor cannot be finalised; the 422 names the role.
async fn composition_story(g: &Ganome, chair: &Actor, members: &[Attendee]) {
    let mut people = members.to_vec();
    people.retain(|a| a.panel_role != PanelRole::GeneticCounsellor);
    let meeting = g
        .create_meeting(
            chair,
            CreateMeeting {
                held_on: parse_date("2024-05-01").unwrap(),
                mode: MeetingMode::RealTime,
                sequencing_in_house: true,
                chair_user_id: Some(chair.user_id.clone()),
                attendees: people,
            },
        )
        .await
        .unwrap();
    let errs = field_errors(g.finalise_meeting(chair, &meeting.id).await.unwrap_err());
    let text: Vec<&str> = errs.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(errs.len(), 2, "{text:?}");
    assert!(errs.iter().all(|(f, _)| f == "attendees"));
    assert!(text[0].contains("genetic_counsellor"), "{text:?}");
    assert!(text[1].contains("bioinformatician"), "{text:?}");
    let stored = g.get_meeting(chair, &meeting.id).await.unwrap();
    assert!(stored.meeting.finalised_at.is_none());
}

fn profile(name: &str) -> Value {
    let path = format!(
        "{}/../../testdata/fhir-clinical/StructureDefinition-{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Checks each Task against its profile: the required top-level elements are present, the
/// fixed patterns hold, references resolve within the Bundle to the profiled target types.
fn check_bundle(bundle: &Value, recommendation_id: &str) {
    assert_eq!(bundle["resourceType"], "Bundle");
    let entries = bundle["entry"].as_array().unwrap();
    let resources: Vec<&Value> = entries.iter().map(|e| &e["resource"]).collect();
    let find = |reference: &str| {
        let (kind, id) = reference.split_once('/').unwrap();
        resources
            .iter()
            .find(|r| r["resourceType"] == kind && r["id"] == id)
            .copied()
    };
    let mut seen = std::collections::BTreeMap::new();
    for name in ["medication-recommendation", "followup-recommendation"] {
        let sd = profile(name);
        let url = sd["url"].as_str().unwrap();
        let tasks: Vec<&&Value> = resources
            .iter()
            .filter(|r| r["meta"]["profile"][0] == url)
            .collect();
        seen.insert(name, tasks.len());
        for task in tasks {
            assert_eq!(task["resourceType"], sd["type"]);
            for el in sd["snapshot"]["element"].as_array().unwrap() {
                let path = el["path"].as_str().unwrap();
                let parts: Vec<&str> = path.split('.').collect();
                // Top-level elements only: nested ones are required only inside an
                // optional parent the export does not use.
                if parts.len() != 2 {
                    continue;
                }
                let key = parts[1].trim_end_matches("[x]");
                if el["min"].as_u64().unwrap_or(0) >= 1 {
                    assert!(!task[key].is_null(), "{name}: {path} is required");
                }
                if let Some(fixed) = el.get("patternCode").or(el.get("fixedCode")) {
                    assert_eq!(&task[key], fixed, "{name}: {path}");
                }
                if !task[key].is_null()
                    && let Some(targets) = el["type"][0]["targetProfile"].as_array()
                    && let Some(reference) = task[key]["reference"].as_str()
                {
                    let target = find(reference).unwrap_or_else(|| panic!("{reference} resolves"));
                    let kind = target["resourceType"].as_str().unwrap();
                    assert!(
                        targets.iter().any(|t| {
                            let t = t.as_str().unwrap();
                            t.ends_with(&format!("/{kind}")) || t.ends_with("/Resource")
                        }),
                        "{name}: {path} → {kind} not in {targets:?}"
                    );
                }
            }
            assert!(
                task["for"]["reference"]
                    .as_str()
                    .unwrap()
                    .starts_with("Patient/")
            );
        }
    }
    assert_eq!(seen["medication-recommendation"], 2);
    assert_eq!(
        seen["followup-recommendation"], 2,
        "counselling + confirmatory test"
    );
    // The treatment points back at the recommendation it followed.
    let treatment = resources
        .iter()
        .find(|r| r["resourceType"] == "MedicationStatement" && r["derivedFrom"].is_array())
        .unwrap();
    assert_eq!(
        treatment["derivedFrom"][0]["reference"],
        format!("Task/{recommendation_id}")
    );
    assert!(find(&format!("Task/{recommendation_id}")).is_some());
    // Same top-level shape as the IG's own example.
    let example: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/../../testdata/fhir-clinical/Task-MedicationRecommendationExample1.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let ours = find(&format!("Task/{recommendation_id}")).unwrap();
    for key in ["resourceType", "status", "intent"] {
        assert_eq!(ours[key], example[key], "{key}");
    }
    assert_eq!(ours["meta"]["profile"], example["meta"]["profile"]);
}
