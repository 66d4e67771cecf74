//! Re-interpretation alerts over HTTP and on the web pages, on every backend: findings for
//! a real EGFR L858R lung case under the shipped knowledge without osimertinib's first-line
//! approvals, then the shipped release is published. The ordering clinician gets one alert
//! (`GET /api/v1/alerts?unacknowledged=true`), the case page says so, an unrelated
//! hospital gets an empty list and 403 on the alert; the clinician acknowledges it with the
//! page's button (the form needs the session's token), after which it is closed for all.

use ganome_core::Role;
use ganome_knowledge::KnowledgeRelease;
use ganome_store::testing;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::api_story::{
    Server, add_user, csrf_of, egfr_case_over_http, page, start_with_findings, token, web_login,
};

#[tokio::test]
async fn api_alerts_story_on_every_backend() {
    for t in testing::all_backends().await {
        let name = t.name;
        story(start_with_findings(t).await).await;
        eprintln!("API alerts story passed on {name}");
    }
}

/// The shipped knowledge without osimertinib's first-line approvals (PMDA and FDA, 2018).
fn releases() -> (KnowledgeRelease, KnowledgeRelease) {
    let shipped = KnowledgeRelease::default_from_shipped_data()
        .unwrap()
        .named("shipped");
    let mut content = shipped.content.clone();
    content.approvals.retain(|a| {
        !["JP-osimertinib-EGFR-NSCLC", "US-osimertinib-EGFR-NSCLC"].contains(&a.id.as_str())
    });
    assert_eq!(content.approvals.len(), shipped.content.approvals.len() - 2);
    (
        KnowledgeRelease::from_content(Some("2018-03".into()), content),
        shipped,
    )
}

async fn get(http: &reqwest::Client, who: &str, url: String) -> (StatusCode, Value) {
    let r = http.get(url).bearer_auth(who).send().await.unwrap();
    let st = r.status();
    (st, r.json().await.unwrap_or(Value::Null))
}

/// From now on the server issues findings under the shipped knowledge without osimertinib's
/// first-line approvals; returns the shipped release, whose publication raises the alert.
pub(crate) async fn issue_under_early_release(s: &Server) -> KnowledgeRelease {
    let (early, shipped) = releases();
    let (txdb, id) = ganome_service::AnnotationEngine::shipped_transcripts().unwrap();
    s.ganome
        .set_annotation_engine(ganome_service::AnnotationEngine::new(
            txdb,
            id,
            early.clone(),
            ganome_report::GermlineGuidance::shipped().unwrap(),
        ));
    s.ganome
        .register_knowledge_release(&early, "operator")
        .await
        .unwrap();
    shipped
}

async fn story(s: Server) {
    let shipped = issue_under_early_release(&s).await;
    let url = |p: &str| format!("{}{p}", s.base);
    let http = reqwest::Client::new();

    let facilities = s.ganome.store().list_facilities().await.unwrap();
    let coop = facilities
        .iter()
        .find(|f| {
            f.kind == ganome_core::FacilityKind::CooperativeHospital
                && !f.may_host_panel
                && !f.links.is_empty()
        })
        .unwrap();
    let hub = coop.links[0].parent_id.clone();
    let unrelated = facilities
        .iter()
        .find(|f| f.kind == ganome_core::FacilityKind::HubHospital && f.id != hub)
        .unwrap()
        .id
        .clone();
    for (name, role, facility) in [
        ("dr.coop", Role::Clinician, coop.id.as_str()),
        ("lab", Role::Lab, "L01"),
        ("chair", Role::PanelChair, hub.as_str()),
        ("dr.elsewhere", Role::Clinician, unrelated.as_str()),
        ("curator", Role::Curator, "D01"),
    ] {
        add_user(&s, name, role, facility).await;
    }
    let clinician = token(&s, "dr.coop").await;
    let lab = token(&s, "lab").await;
    let chair = token(&s, "chair").await;
    let other = token(&s, "dr.elsewhere").await;

    // Registration → shipped → the lab's upload issues findings v1 under the early release.
    let post = |who: &str, path: &str, body: Value| {
        http.post(url(path)).bearer_auth(who).json(&body).send()
    };
    let patient: Value = post(
        &clinician,
        "/api/v1/patients",
        json!({"record_number": "AL-1", "sex": "female", "birth_year": 1958, "birth_month": 4}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let cid = egfr_case_over_http(&s, &clinician, &lab, patient["id"].as_str().unwrap()).await;
    let (_, alerts) = get(&http, &clinician, url("/api/v1/alerts")).await;
    assert_eq!(alerts, json!([]));

    // The data center publishes the shipped release: one alert, osimertinib B → A.
    let curator = s
        .ganome
        .authenticate_token(&token(&s, "curator").await)
        .await
        .unwrap();
    s.ganome
        .publish_knowledge_release(&curator, shipped)
        .await
        .unwrap();
    // The re-interpretation ran as a job: the data center sees it done; a clinician does not.
    let curator_token = token(&s, "curator").await;
    let (st, queue) = get(&http, &curator_token, url("/api/v1/jobs/reinterpretation")).await;
    assert_eq!(st, StatusCode::OK, "{queue}");
    assert_eq!(queue["counts"]["done"], json!(1), "{queue}");
    assert_eq!(queue["counts"]["queued"], json!(0), "{queue}");
    assert_eq!(queue["failed"], json!([]));
    let (st, _) = get(&http, &clinician, url("/api/v1/jobs/reinterpretation")).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, alerts) = get(&http, &clinician, url("/api/v1/alerts?unacknowledged=true")).await;
    assert_eq!(st, StatusCode::OK, "{alerts}");
    let list = alerts.as_array().unwrap();
    assert_eq!(list.len(), 1, "{alerts}");
    let alert = &list[0];
    assert_eq!(alert["case_id"], cid.as_str());
    assert_eq!(
        (&alert["previous_version"], &alert["findings_version"]),
        (&json!(1), &json!(2))
    );
    assert_eq!(
        alert["options"],
        json!([{"alteration": "EGFR L858R", "drug": "osimertinib", "level": "A", "previous_level": "B"}])
    );
    assert_eq!(alert["acknowledged_by"], Value::Null);
    let aid = alert["id"].as_str().unwrap().to_owned();
    let (st, panel_view) = get(&http, &chair, url("/api/v1/alerts?unacknowledged=true")).await;
    assert_eq!((st, &panel_view), (StatusCode::OK, &alerts));

    // An unrelated hospital sees none and is refused this one; the lab has no alerts.
    let (st, none) = get(&http, &other, url("/api/v1/alerts?unacknowledged=true")).await;
    assert_eq!((st, none), (StatusCode::OK, json!([])));
    let (st, _) = get(&http, &other, url(&format!("/api/v1/alerts/{aid}"))).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let r = post(
        &other,
        &format!("/api/v1/alerts/{aid}/acknowledge"),
        json!({}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (st, _) = get(&http, &lab, url("/api/v1/alerts")).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // On the web: the navigation leads to the alerts, the case page says there is one.
    let web = web_login(&s, "dr.coop").await;
    let (st, case_page) = page(&web, url(&format!("/cases/{cid}"))).await;
    assert_eq!(st, StatusCode::OK);
    assert!(case_page.contains("id=\"case-alerts\""), "{case_page}");
    assert!(case_page.contains("href=\"/alerts\""));
    let (st, alerts_page) = page(&web, url("/alerts")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(alerts_page.contains("<html lang=\"ja\""));
    assert!(alerts_page.contains(&format!("id=\"alert-{aid}\"")));
    assert!(alerts_page.contains("osimertinib") && alerts_page.contains("確認した"));
    let elsewhere = web_login(&s, "dr.elsewhere").await;
    let (st, _) = page(&elsewhere, url(&format!("/alerts?case={cid}"))).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (_, empty) = page(&elsewhere, url("/alerts")).await;
    assert!(empty.contains("id=\"alerts-none\"") && !empty.contains(&aid));

    // The acknowledge button: refused without the session's token, done with it.
    let ack = format!("/alerts/{aid}/acknowledge");
    let r = web
        .post(url(&ack))
        .form(&[("csrf", "0".repeat(64))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = web
        .post(url(&ack))
        .form(&[("csrf", csrf_of(&alerts_page))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/alerts");
    let (_, alerts) = get(&http, &chair, url("/api/v1/alerts?unacknowledged=true")).await;
    assert_eq!(alerts, json!([]));
    let (_, one) = get(&http, &chair, url(&format!("/api/v1/alerts/{aid}"))).await;
    assert!(one["acknowledged_at"].is_string(), "{one}");
    let r = post(
        &chair,
        &format!("/api/v1/alerts/{aid}/acknowledge"),
        json!({}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (_, case_page) = page(&web, url(&format!("/cases/{cid}"))).await;
    assert!(!case_page.contains("id=\"case-alerts\""));
    let (_, all_en) = page(&web, url("/alerts?all=true&lang=en")).await;
    assert!(
        all_en.contains("Acknowledged") && all_en.contains("(you)"),
        "{all_en}"
    );
}
