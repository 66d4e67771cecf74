//! Re-interpretation alerts on every backend. The data center starts with the shipped
//! knowledge as it stood before osimertinib's first-line approvals for EGFR exon 19
//! deletion / L858R lung cancer (PMDA 2018-08, FDA 2018-04: the two approval rows removed),
//! issues findings for a real EGFR L858R lung case and for the real PCGR colorectal files,
//! then publishes the shipped release. Exactly one alert appears, for the lung case, naming
//! osimertinib at level A; the ordering clinicians, the case's panel and the data center
//! see it, an unrelated hospital does not (refusals audited), and it is acknowledged once
//! for everyone. A later release that adds no option raises nothing.

use bytes::Bytes;
use ganome_core::{JpEvidenceLevel, Role};
use ganome_knowledge::KnowledgeRelease;
use ganome_report::GermlineGuidance;
use ganome_service::{AlertListQuery, AnnotationEngine, Ganome, IncomingFile, ServiceError};
use ganome_store::{AlertOption, testing};

use crate::findings::{shipped_case, shipped_release};
use crate::support::{Places, ganome, places, user};

const EGFR_VCF: &[u8] = include_bytes!("../../../../testdata/report/egfr_l858r.grch38.vcf");
const COAD_VCF: &[u8] = include_bytes!("../../../../testdata/variants/T001-COAD.grch38.vcf.gz");
const COAD_CNA: &[u8] = include_bytes!("../../../../testdata/variants/T001-COAD.grch38.cna.tsv");
const COAD_FUSIONS: &[u8] =
    include_bytes!("../../../../testdata/variants/T001-COAD.grch38.fusions.tsv");

/// The approval rows of osimertinib's first-line indication in the shipped curation.
const FIRST_LINE_APPROVALS: [&str; 2] = ["JP-osimertinib-EGFR-NSCLC", "US-osimertinib-EGFR-NSCLC"];

/// The shipped release without osimertinib's first-line approvals.
pub(crate) fn before_first_line() -> KnowledgeRelease {
    let mut content = shipped_release().content.clone();
    let before = content.approvals.len();
    content
        .approvals
        .retain(|a| !FIRST_LINE_APPROVALS.contains(&a.id.as_str()));
    assert_eq!(content.approvals.len(), before - 2, "both rows are shipped");
    KnowledgeRelease::from_content(Some("2018-03".into()), content)
}

pub(crate) fn engine(release: KnowledgeRelease) -> AnnotationEngine {
    let (txdb, id) = AnnotationEngine::shipped_transcripts().expect("shipped transcripts");
    AnnotationEngine::new(
        txdb,
        id,
        release,
        GermlineGuidance::shipped().expect("guidance"),
    )
}

#[tokio::test]
async fn alerts_story_on_every_backend() {
    for t in testing::all_backends().await {
        let dir = tempfile::tempdir().unwrap();
        let g = ganome(&t, dir.path());
        let early = before_first_line();
        g.set_annotation_engine(engine(early.clone()));
        g.register_knowledge_release(&early, "operator")
            .await
            .unwrap();
        story(&g).await;
        eprintln!("alerts story passed on {}", t.name);
    }
}

fn unacknowledged() -> AlertListQuery {
    AlertListQuery {
        unacknowledged: Some(true),
        ..AlertListQuery::default()
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
    let chair = user(g, "hub.chair", Role::PanelChair, &hub).await;
    let member = user(g, "hub.member", Role::PanelMember, &hub).await;
    let other = user(g, "dr.elsewhere", Role::Clinician, &unrelated).await;
    let other_panel = user(g, "elsewhere.member", Role::PanelMember, &unrelated).await;
    let curator = user(g, "dc.curator", Role::Curator, &dc).await;
    let admin = user(g, "dc.admin", Role::Administrator, &dc).await;

    // Findings under the early release: the L858R lung case lists no first-line osimertinib
    // at level A, the colorectal case its own options.
    let luad = shipped_case(g, &clinician, &lab, "MRN-A1", "LUAD").await;
    g.upload_result_file(
        &lab_user,
        &luad,
        "egfr.vcf",
        "text/vcf",
        Bytes::from_static(EGFR_VCF),
    )
    .await
    .unwrap();
    let coad = shipped_case(g, &clinician, &lab, "MRN-A2", "COAD").await;
    let file = |name: &str, bytes: &'static [u8]| IncomingFile {
        filename: name.into(),
        media_type: String::new(),
        content: Bytes::from_static(bytes),
    };
    g.upload_results(
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
    let v1 = g.list_findings(&clinician, &luad).await.unwrap();
    assert_eq!(v1.len(), 1);
    // A first version is no re-interpretation: nothing to compare with, no alert.
    assert!(
        g.list_alerts(&admin, &AlertListQuery::default())
            .await
            .unwrap()
            .is_empty()
    );

    // The shipped release re-interprets both cases; only the lung case gains an option.
    let (_, issued) = g
        .publish_knowledge_release(&curator, shipped_release().clone())
        .await
        .unwrap();
    assert_eq!(issued, 2);
    let v2 = g.list_findings(&clinician, &luad).await.unwrap();
    assert_eq!(v2.len(), 2);
    let alerts = g.list_alerts(&clinician, &unacknowledged()).await.unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:#?}");
    let alert = &alerts[0];
    assert_eq!(alert.case_id, luad);
    assert!(
        alert.case_number.starts_with("GNM-"),
        "{}",
        alert.case_number
    );
    assert_eq!(
        (alert.previous_findings_id.as_str(), alert.previous_version),
        (v1[0].id.as_str(), 1)
    );
    assert_eq!(
        (alert.findings_id.as_str(), alert.findings_version),
        (v2[1].id.as_str(), 2)
    );
    assert_eq!(alert.previous_knowledge_release, v1[0].knowledge_release);
    assert!(alert.previous_knowledge_release.starts_with("2018-03 ("));
    assert_eq!(alert.knowledge_release, v2[1].knowledge_release);
    assert!(alert.reason.starts_with("knowledge release shipped"));
    assert_eq!(alert.raised_at, v2[1].issued_at);
    assert_eq!(
        alert.options,
        [AlertOption {
            alteration: "EGFR L858R".into(),
            drug: "osimertinib".into(),
            level: JpEvidenceLevel::A,
            previous_level: Some(JpEvidenceLevel::B),
        }]
    );

    // The case's panel and the data center see it too; per case as well.
    for who in [&chair, &member, &admin] {
        let seen = g.list_alerts(who, &unacknowledged()).await.unwrap();
        assert_eq!(seen, alerts, "{}", who.username);
    }
    let by_case = AlertListQuery {
        case: Some(luad.clone()),
        ..unacknowledged()
    };
    assert_eq!(g.list_alerts(&chair, &by_case).await.unwrap(), alerts);
    assert_eq!(g.get_alert(&member, &alert.id).await.unwrap(), *alert);

    // An unrelated hospital's clinician and panel see nothing and are refused the alert.
    for who in [&other, &other_panel] {
        assert!(
            g.list_alerts(who, &unacknowledged())
                .await
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            g.list_alerts(who, &by_case).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            g.get_alert(who, &alert.id).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            g.acknowledge_alert(who, &alert.id).await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    // The lab and the curator have no alerts at all; the data center reads but does not
    // acknowledge.
    for who in [&lab_user, &curator] {
        assert!(matches!(
            g.list_alerts(who, &unacknowledged()).await,
            Err(ServiceError::Forbidden(_))
        ));
    }
    assert!(matches!(
        g.acknowledge_alert(&admin, &alert.id).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        g.get_alert(&clinician, "no-such-alert").await,
        Err(ServiceError::NotFound(_))
    ));

    // The ordering clinician acknowledges it, once for everyone.
    let acked = g.acknowledge_alert(&clinician, &alert.id).await.unwrap();
    assert_eq!(
        acked.acknowledged_by.as_deref(),
        Some(clinician.user_id.as_str())
    );
    assert!(acked.acknowledged_at.is_some());
    assert!(matches!(
        g.acknowledge_alert(&chair, &alert.id).await,
        Err(ServiceError::Conflict(_))
    ));
    assert!(
        g.list_alerts(&chair, &unacknowledged())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        g.list_alerts(&chair, &AlertListQuery::default())
            .await
            .unwrap(),
        [acked]
    );

    // A release that changes only the trials re-issues both cases and raises nothing.
    let mut content = shipped_release().content.clone();
    content.trials.clear();
    let (_, issued) = g
        .publish_knowledge_release(
            &curator,
            KnowledgeRelease::from_content(Some("no-trials".into()), content),
        )
        .await
        .unwrap();
    assert_eq!(issued, 2);
    assert_eq!(
        g.list_alerts(&admin, &AlertListQuery::default())
            .await
            .unwrap()
            .len(),
        1
    );

    // Every list, read and acknowledgement, allowed or refused, is in the audit trail.
    let audit = g.store().list_audit(1000, None).await.unwrap();
    let count = |action: &str, outcome: &str| {
        audit
            .iter()
            .filter(|r| r.entry.action == action && r.entry.outcome == outcome)
            .count()
    };
    assert_eq!(count("alert.list", "ok"), 11);
    assert_eq!(count("alert.list", "denied"), 4);
    assert_eq!(count("alert.read", "ok"), 1);
    assert_eq!(count("alert.read", "denied"), 2);
    assert_eq!(count("alert.read", "not_found"), 1);
    assert_eq!(count("alert.acknowledge", "ok"), 1);
    assert_eq!(count("alert.acknowledge", "denied"), 3);
    assert_eq!(count("alert.acknowledge", "conflict"), 1);
    let denied = audit
        .iter()
        .find(|r| r.entry.action == "alert.read" && r.entry.outcome == "denied")
        .unwrap();
    assert_eq!(denied.entry.entity_id.as_deref(), Some(alert.id.as_str()));
    assert!(g.verify_audit().await.unwrap().broken.is_none());
}
