use ganome_core::{
    CaseState, ConsentItems, ConsentMethod, FacilityKind, GermlineDisclosure, JpEvidenceLevel,
    Role, Sex, SpecimenType, TestProduct, Timestamp,
};
use ganome_store::{
    AlertFilter, AlertOption, AlertScope, AlertStore, AuditEntry, Case, CaseFilter, CaseScope,
    Consent, FindingsStore, FindingsVersion, NewCase, NewConsent, NewFacility, NewFindings,
    NewPatient, NewUser, Patient, ReinterpretationAlert, Store, testing,
};
use sqlx::Executor;

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn facility(id: &str, kind: FacilityKind, pref: &str) -> NewFacility {
    NewFacility {
        id: id.into(),
        kind,
        name_ja: format!("{id}病院"),
        name_en: None,
        prefecture_code: pref.into(),
        may_host_panel: kind.may_host_panel_by_default(),
    }
}

fn case(id: &str, patient: &str, at: &str) -> Case {
    Case {
        id: id.into(),
        case_number: String::new(),
        patient_id: patient.into(),
        ordering_facility_id: "K001".into(),
        panel_facility_id: "H01".into(),
        lab_facility_id: "L01".into(),
        test_product: TestProduct::FoundationOneCdx,
        specimen_type: SpecimenType::Ffpe,
        specimen_site: Some("primary".into()),
        specimen_collected_on: Some(ganome_core::parse_date("2019-07-01").unwrap()),
        tumor_content_pct: Some(40.0),
        oncotree_code: "LUAD".into(),
        stage: Some("IV".into()),
        ecog_ps: Some(1),
        state: CaseState::Registered,
        registered_at: ts(at),
        updated_at: ts(at),
    }
}

#[tokio::test]
async fn store_story_on_every_backend() {
    for t in testing::all_backends().await {
        story(&t).await;
        eprintln!("store story passed on {}", t.name);
    }
}

async fn story(t: &testing::TestStore) {
    let s = &t.store;
    let day = |d: &str| ganome_core::parse_date(d).unwrap();

    // Facilities, designations and a dated cooperative link.
    s.upsert_facility(&facility("H01", FacilityKind::HubHospital, "13"))
        .await
        .unwrap();
    s.upsert_facility(&facility("H02", FacilityKind::HubHospital, "27"))
        .await
        .unwrap();
    s.upsert_facility(&facility("K001", FacilityKind::CooperativeHospital, "13"))
        .await
        .unwrap();
    s.upsert_facility(&facility("L01", FacilityKind::Lab, "28"))
        .await
        .unwrap();
    s.add_designation("H01", day("2019-09-19"), Some(day("2021-09-18")))
        .await
        .unwrap();
    s.add_facility_link("K001", "H02", day("2018-04-01"), "test")
        .await
        .unwrap();
    s.add_facility_link("K001", "H01", day("2019-04-01"), "test")
        .await
        .unwrap();
    let k = s.get_facility("K001").await.unwrap().unwrap();
    assert_eq!(k.links.len(), 2);
    assert_eq!(
        k.links[0].valid_until,
        Some(day("2019-03-31")),
        "old link closed"
    );
    assert_eq!(k.panel_facility_on(day("2018-12-01")), Some("H02"));
    assert_eq!(k.panel_facility_on(day("2019-12-01")), Some("H01"));
    assert_eq!(k.prefecture_ja, "東京都");
    let all = s.list_facilities().await.unwrap();
    assert_eq!(
        all.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
        ["H01", "H02", "K001", "L01"]
    );
    assert_eq!(all[0].designations.len(), 1);
    assert!(all[0].may_host_panel && !all[2].may_host_panel);

    // Secrets are created once and then stable.
    let secret = s.facility_secret("K001").await.unwrap();
    assert_eq!(secret.len(), 32);
    assert_eq!(s.facility_secret("K001").await.unwrap(), secret);

    // Users; names are unique.
    let user = NewUser {
        id: "u1".into(),
        username: "dr.sato".into(),
        display_name: "佐藤".into(),
        password_hash: Some("$argon2id$fake".into()),
        role: Role::Clinician,
        facility_id: "K001".into(),
        created_at: ts("2019-06-01"),
    };
    s.insert_user(&user).await.unwrap();
    let dup = s
        .insert_user(&NewUser {
            id: "u2".into(),
            ..user.clone()
        })
        .await
        .unwrap_err();
    assert!(dup.is_unique_violation(), "{dup}");
    let (found, hash) = s.get_user_by_username("dr.sato").await.unwrap().unwrap();
    assert_eq!(
        (found.role, hash.as_deref()),
        (Role::Clinician, Some("$argon2id$fake"))
    );

    // Sessions expire; tokens resolve.
    s.insert_session("sh", "u1", ts("2019-06-01"), ts("2019-06-02"))
        .await
        .unwrap();
    assert!(
        s.session_user("sh", ts("2019-06-01T12:00:00Z"))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        s.session_user("sh", ts("2019-06-03"))
            .await
            .unwrap()
            .is_none()
    );
    s.insert_api_token("th", "u1", "script", ts("2019-06-01"))
        .await
        .unwrap();
    assert_eq!(s.api_token_user("th").await.unwrap().unwrap().id, "u1");
    assert!(s.api_token_user("nope").await.unwrap().is_none());

    // Patients: idempotent registration, unique pseudonym per facility.
    let patient = Patient {
        id: "p1".into(),
        facility_id: "K001".into(),
        pseudonym: "abc".into(),
        sex: Sex::Female,
        birth_year: 1960,
        birth_month: 3,
        created_at: ts("2019-06-01"),
    };
    let np = NewPatient {
        patient: patient.clone(),
        created_by: "u1".into(),
    };
    assert_eq!(s.insert_patient(&np, Some("key-1")).await.unwrap(), patient);
    let again = NewPatient {
        patient: Patient {
            id: "p-other".into(),
            ..patient.clone()
        },
        created_by: "u1".into(),
    };
    assert_eq!(
        s.insert_patient(&again, Some("key-1")).await.unwrap().id,
        "p1",
        "same key, first result"
    );
    assert!(
        s.insert_patient(&again, Some("key-2"))
            .await
            .unwrap_err()
            .is_unique_violation()
    );
    assert_eq!(
        s.find_patient("K001", "abc").await.unwrap().unwrap().id,
        "p1"
    );

    // Consent history survives withdrawal.
    let consent = Consent {
        id: "c1".into(),
        patient_id: "p1".into(),
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
        given_at: ts("2019-06-01"),
        withdrawn_at: None,
        recorded_by: "u1".into(),
    };
    s.insert_consent(&NewConsent {
        consent: consent.clone(),
    })
    .await
    .unwrap();
    let withdrawn = s
        .withdraw_consent("c1", ts("2019-08-01"), "u1")
        .await
        .unwrap();
    assert_eq!(withdrawn.withdrawn_at, Some(ts("2019-08-01")));
    assert!(
        s.withdraw_consent("c1", ts("2019-08-02"), "u1")
            .await
            .is_err()
    );
    assert_eq!(s.list_consents("p1").await.unwrap(), vec![withdrawn]);

    // Cases: numbered per year, idempotent, transitions stamped, stale ones refused.
    let (c1, created) = s
        .insert_case(&NewCase {
            case: case("case1", "p1", "2019-07-02T01:00:00Z"),
            created_by: "u1".into(),
            idempotency_key: Some("k".into()),
        })
        .await
        .unwrap();
    assert!(created);
    assert_eq!(c1.case_number, "GNM-2019-000001");
    let (again, created) = s
        .insert_case(&NewCase {
            case: case("case-x", "p1", "2019-07-02T01:00:00Z"),
            created_by: "u1".into(),
            idempotency_key: Some("k".into()),
        })
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(again.id, "case1");
    let (c2, _) = s
        .insert_case(&NewCase {
            case: case("case2", "p1", "2019-08-02T01:00:00Z"),
            created_by: "u1".into(),
            idempotency_key: None,
        })
        .await
        .unwrap();
    assert_eq!(c2.case_number, "GNM-2019-000002");
    let moved = s
        .transition_case(
            "case1",
            CaseState::Registered,
            CaseState::SpecimenShipped,
            ts("2019-07-03"),
            "u1",
            Some("FedEx"),
        )
        .await
        .unwrap();
    assert_eq!(
        (moved.state, moved.updated_at),
        (CaseState::SpecimenShipped, ts("2019-07-03"))
    );
    let stale = s
        .transition_case(
            "case1",
            CaseState::Registered,
            CaseState::SpecimenShipped,
            ts("2019-07-04"),
            "u1",
            None,
        )
        .await;
    assert!(
        stale.is_err(),
        "a transition from a state the case has left is refused"
    );
    let events = s.case_events("case1").await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.state).collect::<Vec<_>>(),
        [CaseState::Registered, CaseState::SpecimenShipped]
    );
    assert_eq!(events[1].note.as_deref(), Some("FedEx"));

    // Scoped, filtered listing.
    let list = |scope| async move { s.list_cases(&CaseFilter::scoped(scope)).await };
    assert_eq!(
        list(CaseScope::OrderedBy("K001".into()))
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        list(CaseScope::OrderedByOrPanel("H01".into()))
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        list(CaseScope::OrderedByOrPanel("H02".into()))
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(list(CaseScope::Lab("L01".into())).await.unwrap().len(), 2);
    let mut f = CaseFilter::scoped(CaseScope::All);
    f.state = Some(CaseState::SpecimenShipped);
    assert_eq!(
        s.list_cases(&f)
            .await
            .unwrap()
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["case1"]
    );
    let mut f = CaseFilter::scoped(CaseScope::All);
    f.registered_from = Some(ts("2019-08-01"));
    assert_eq!(s.list_cases(&f).await.unwrap()[0].id, "case2");

    // Re-interpretation alerts are written with their findings version, in its transaction.
    let version = |id: &str| NewFindings {
        findings: FindingsVersion {
            id: id.into(),
            case_id: "case2".into(),
            version: 0,
            report_id: format!("GR-{id}"),
            schema_version: "1.0.0".into(),
            knowledge_release: format!("release of {id}"),
            knowledge_hash: "h".into(),
            transcript_db: "t".into(),
            engine: "e".into(),
            reason: "knowledge release".into(),
            alterations: 1,
            vus: 0,
            options: 1,
            top_level: Some("A".into()),
            trials: 0,
            germline_flag: false,
            issued_by: "u1".into(),
            issued_at: ts("2019-09-01"),
        },
        report_json: "{}".into(),
        move_from: None,
        alert: None,
    };
    s.insert_findings(&version("f1")).await.unwrap();
    let alert = |previous: &str| ReinterpretationAlert {
        id: format!("alert-after-{previous}"),
        case_id: "case2".into(),
        case_number: String::new(),
        findings_id: "f2".into(),
        findings_version: 0,
        previous_findings_id: previous.into(),
        previous_version: 0,
        knowledge_release: "release of f2".into(),
        previous_knowledge_release: "release of f1".into(),
        reason: "knowledge release".into(),
        options: vec![AlertOption {
            alteration: "EGFR L858R".into(),
            drug: "osimertinib".into(),
            level: JpEvidenceLevel::A,
            previous_level: Some(JpEvidenceLevel::B),
        }],
        raised_at: ts("2019-09-02"),
        acknowledged_by: None,
        acknowledged_at: None,
    };
    // Compared against a version that is not the latest: refused, and nothing is stored
    // (nor its Beacon index rows).
    let egfr = r#"{"test": {"genome_build": "GRCh38"}, "alterations": [{"gene": "EGFR",
        "label": "EGFR L858R", "genomic": "chr7:55191822 T>G",
        "hgvs_p": "NP_005219.2:p.(Leu858Arg)"}]}"#;
    let stale = NewFindings {
        alert: Some(alert("f0")),
        report_json: egfr.into(),
        ..version("f2")
    };
    assert!(matches!(
        s.insert_findings(&stale).await,
        Err(ganome_store::StoreError::Conflict(_))
    ));
    assert_eq!(s.list_findings("case2").await.unwrap().len(), 1);
    let all = AlertFilter::scoped(AlertScope::All);
    assert!(s.list_alerts(&all).await.unwrap().is_empty());
    assert!(
        s.beacon_candidates(Some("EGFR"), None)
            .await
            .unwrap()
            .is_empty()
    );
    let fresh = NewFindings {
        alert: Some(alert("f1")),
        report_json: egfr.into(),
        ..version("f2")
    };
    assert_eq!(s.insert_findings(&fresh).await.unwrap().version, 2);
    // The Beacon index: the latest version's alteration, by gene and by position.
    let hits = s.beacon_candidates(Some("EGFR"), None).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].case_id, "case2");
    assert_eq!(
        hits[0].variant.hgvs_p.as_deref(),
        Some("NP_005219.2:p.(Leu858Arg)")
    );
    assert_eq!(
        s.beacon_candidates(None, Some(("7", 55191822)))
            .await
            .unwrap(),
        hits
    );
    assert!(
        s.beacon_candidates(None, Some(("7", 55191821)))
            .await
            .unwrap()
            .is_empty()
    );
    // A later version without it: the case no longer matches (latest version only).
    assert_eq!(s.insert_findings(&version("f3")).await.unwrap().version, 3);
    assert!(
        s.beacon_candidates(Some("EGFR"), None)
            .await
            .unwrap()
            .is_empty()
    );
    let stored = s.get_alert("alert-after-f1").await.unwrap().unwrap();
    assert_eq!((stored.findings_version, stored.previous_version), (2, 1));
    assert_eq!(stored.case_number, "GNM-2019-000002");
    assert_eq!(stored.options, alert("f1").options);
    // Scopes: the ordering hospital and the case's panel, not another panel.
    let count = |scope: AlertScope, open: bool| {
        let mut f = AlertFilter::scoped(scope);
        f.unacknowledged_only = open;
        async move { s.list_alerts(&f).await.unwrap().len() }
    };
    assert_eq!(count(AlertScope::OrderedBy("K001".into()), true).await, 1);
    assert_eq!(count(AlertScope::PanelOf("H01".into()), true).await, 1);
    assert_eq!(count(AlertScope::PanelOf("H02".into()), true).await, 0);
    // Acknowledged once, by whom and when.
    let acked = s
        .acknowledge_alert("alert-after-f1", "u1", ts("2019-09-03"))
        .await
        .unwrap();
    assert_eq!(
        (acked.acknowledged_by.as_deref(), acked.acknowledged_at),
        (Some("u1"), Some(ts("2019-09-03")))
    );
    assert!(
        s.acknowledge_alert("alert-after-f1", "u1", ts("2019-09-04"))
            .await
            .is_err()
    );
    assert_eq!(count(AlertScope::All, true).await, 0);
    assert_eq!(count(AlertScope::All, false).await, 1);

    // Audit chain: appends verify; an altered row is named.
    for i in 0..5 {
        let e = AuditEntry {
            at: ts("2019-07-02"),
            user_id: Some("u1".into()),
            username: Some("dr.sato".into()),
            role: Some("clinician".into()),
            facility_id: Some("K001".into()),
            action: "case.read".into(),
            entity_type: "case".into(),
            entity_id: Some(format!("case{i}")),
            outcome: "ok".into(),
            detail: None,
        };
        assert_eq!(s.append_audit(&e).await.unwrap(), i + 1);
    }
    let report = s.verify_audit_chain().await.unwrap();
    assert_eq!((report.rows, report.broken), (5, None));
    s.pool()
        .execute("UPDATE audit_log SET outcome = 'denied' WHERE seq = 3")
        .await
        .unwrap();
    let report = s.verify_audit_chain().await.unwrap();
    assert_eq!(report.broken.unwrap().seq, 3);
    assert_eq!(
        s.list_audit(2, None)
            .await
            .unwrap()
            .iter()
            .map(|r| r.seq)
            .collect::<Vec<_>>(),
        [5, 4]
    );
}
