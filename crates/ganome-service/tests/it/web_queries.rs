//! The two queries the web pages added: a panel's members (for recording attendance) and a
//! patient's cases (for the patient page), each within its caller's scope and audited.

use ganome_core::{Role, Sex, SpecimenType, TestProduct};
use ganome_service::{RegisterCase, RegisterPatient, ServiceError};
use ganome_store::testing;

use crate::support::{ganome, user};

#[tokio::test]
async fn panel_colleagues_and_patient_cases_stay_in_scope() {
    let t = testing::sqlite().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let g = ganome(&t, dir.path());
    g.load_shipped_network().await.unwrap();
    let chair = user(&g, "c01.chair", Role::PanelChair, "C01").await;
    user(&g, "c01.gc", Role::PanelMember, "C01").await;
    user(&g, "c02.member", Role::PanelMember, "C02").await;
    let clinician = user(&g, "k001.dr", Role::Clinician, "K001").await;
    let elsewhere = user(&g, "h01.dr", Role::Clinician, "H01").await;
    let lab = user(&g, "l01", Role::Lab, "L01").await;

    let names: Vec<String> = g
        .list_panel_colleagues(&chair)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert_eq!(
        names,
        ["c01.chair", "c01.gc"],
        "own panel only, no clinicians"
    );
    assert!(matches!(
        g.list_panel_colleagues(&clinician).await,
        Err(ServiceError::Forbidden(_))
    ));

    let p = g
        .register_patient(
            &clinician,
            RegisterPatient {
                record_number: "K-1".into(),
                sex: Sex::Female,
                birth_year: 1970,
                birth_month: 5,
            },
            None,
        )
        .await
        .unwrap();
    let (case, _) = g
        .register_case(
            &clinician,
            RegisterCase {
                patient_id: p.id.clone(),
                lab_facility_id: "L01".into(),
                test_product: TestProduct::NccOncoPanel,
                specimen_type: SpecimenType::Ffpe,
                specimen_site: None,
                specimen_collected_on: None,
                tumor_content_pct: None,
                oncotree_code: "BRCA".into(),
                stage: None,
                ecog_ps: None,
                registered_at: None,
            },
            None,
        )
        .await
        .unwrap();
    let ids = |v: Vec<ganome_store::Case>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let own = ids(g.list_patient_cases(&clinician, &p.id).await.unwrap());
    assert_eq!(own, [case.id.as_str()]);
    // The linked panel (C01) reads the patient's cases; another hospital and the lab do not.
    assert_eq!(
        ids(g.list_patient_cases(&chair, &p.id).await.unwrap()),
        [case.id]
    );
    for outsider in [&elsewhere, &lab] {
        assert!(matches!(
            g.list_patient_cases(outsider, &p.id).await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    let audit = g.store().list_audit(100, None).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|r| r.entry.action.as_str()).collect();
    assert!(actions.contains(&"user.list_panel"));
    assert!(
        audit
            .iter()
            .any(|r| r.entry.action == "case.list" && r.entry.outcome == "denied")
    );
}
