use std::sync::Arc;

use ganome_core::{FacilityKind, Role};
use ganome_service::{CreateUser, Ganome, GanomeConfig};
use ganome_store::{BlobStore, NewFacility, Store, testing};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use sha2::Digest;

pub(crate) struct Server {
    pub(crate) base: String,
    pub(crate) ganome: Ganome,
    _dir: tempfile::TempDir,
    _store: testing::TestStore,
}

pub(crate) async fn start(t: testing::TestStore) -> Server {
    start_with(t, false).await
}

/// A server whose data center issues findings (the shipped transcripts and knowledge).
pub(crate) async fn start_with_findings(t: testing::TestStore) -> Server {
    start_with(t, true).await
}

async fn start_with(t: testing::TestStore, findings: bool) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let ganome = Ganome::new(
        Arc::new(t.store.clone()) as Arc<dyn Store>,
        BlobStore::local(dir.path()).unwrap(),
        GanomeConfig::default(),
    );
    if findings {
        let (txdb, id) = ganome_service::AnnotationEngine::shipped_transcripts().unwrap();
        let release = ganome_knowledge::KnowledgeRelease::default_from_shipped_data()
            .unwrap()
            .named("shipped");
        ganome.set_annotation_engine(ganome_service::AnnotationEngine::new(
            txdb,
            id,
            release,
            ganome_report::GermlineGuidance::shipped().unwrap(),
        ));
    }
    ganome.load_shipped_network().await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = ganome_server::router(ganome.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server {
        base,
        ganome,
        _dir: dir,
        _store: t,
    }
}

pub(crate) async fn add_user(s: &Server, name: &str, role: Role, facility: &str) {
    s.ganome
        .create_user_as_operator(CreateUser {
            username: name.into(),
            display_name: name.into(),
            password: Some("a long test password".into()),
            role,
            facility_id: facility.into(),
        })
        .await
        .unwrap();
}

/// Adds a research organisation (`kind` is academia or industry) in Tokyo.
pub(crate) async fn research_organisation(s: &Server, id: &str, kind: FacilityKind) {
    s.ganome
        .store()
        .upsert_facility(&NewFacility {
            id: id.into(),
            kind,
            name_ja: id.into(),
            name_en: None,
            prefecture_code: "13".into(),
            may_host_panel: false,
        })
        .await
        .unwrap();
}

/// A cooperative hospital of the shipped network that is linked to a panel.
pub(crate) async fn linked_cooperative(s: &Server) -> String {
    s.ganome
        .store()
        .list_facilities()
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.kind == FacilityKind::CooperativeHospital && !f.links.is_empty())
        .unwrap()
        .id
}

pub(crate) async fn token(s: &Server, name: &str) -> String {
    s.ganome.create_api_token(name, "test").await.unwrap()
}

/// Over HTTP as a hospital's clinician and the lab: a LUAD case for `patient_id`, registered
/// 2024-04-01 and shipped the next day, with the real EGFR L858R VCF uploaded (findings are
/// issued when the server has an engine). Returns the case id.
pub(crate) async fn egfr_case_over_http(
    s: &Server,
    clinician: &str,
    lab: &str,
    patient_id: &str,
) -> String {
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", s.base);
    let case: Value = http
        .post(url("/api/v1/cases"))
        .bearer_auth(clinician)
        .json(&json!({"patient_id": patient_id, "lab_facility_id": "L01",
               "test_product": "foundation_one_cdx", "specimen_type": "ffpe",
               "oncotree_code": "LUAD", "registered_at": "2024-04-01"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cid = case["id"].as_str().expect("case registered").to_owned();
    let r = http
        .post(url(&format!("/api/v1/cases/{cid}/transitions")))
        .bearer_auth(clinician)
        .json(&json!({"to": "specimen_shipped", "at": "2024-04-02"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = http
        .post(url(&format!("/api/v1/cases/{cid}/files")))
        .bearer_auth(lab)
        .multipart(
            reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(
                    include_bytes!("../../../../testdata/report/egfr_l858r.grch38.vcf").to_vec(),
                )
                .file_name("T.vcf")
                .mime_str("text/vcf")
                .unwrap(),
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "{:?}", r.text().await);
    cid
}

/// A browser-like client of the web pages (same origin, cookies, no redirects followed),
/// signed in as `name` through the login form.
pub(crate) async fn web_login(s: &Server, name: &str) -> reqwest::Client {
    let mut same_origin = HeaderMap::new();
    same_origin.insert("origin", HeaderValue::from_str(&s.base).unwrap());
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(same_origin)
        .build()
        .unwrap();
    let r = c
        .post(format!("{}/login", s.base))
        .form(&[("username", name), ("password", "a long test password")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    c
}

/// A page's status and HTML.
pub(crate) async fn page(c: &reqwest::Client, url: String) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The form token on a page.
pub(crate) fn csrf_of(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = page.find(marker).expect("a form with a token") + marker.len();
    page[at..at + 64].to_owned()
}

/// A logged-in browser-like client (session cookie).
pub(crate) async fn login(s: &Server, name: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let r = c
        .post(format!("{}/api/v1/auth/login", s.base))
        .json(&json!({"username": name, "password": "a long test password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let set_cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    c
}

#[tokio::test]
async fn api_story_on_every_backend() {
    for t in testing::all_backends().await {
        let name = t.name;
        story(start(t).await).await;
        eprintln!("API story passed on {name}");
    }
}

async fn story(s: Server) {
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", s.base);

    // Health is public; everything else needs credentials.
    assert_eq!(
        http.get(url("/healthz")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let r = http.get(url("/api/v1/facilities")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "unauthenticated");
    let r = http
        .get(url("/api/v1/facilities"))
        .bearer_auth("gnt_not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // The administrator lists the whole network.
    add_user(&s, "admin", Role::Administrator, "D01").await;
    let admin = token(&s, "admin").await;
    let facilities: Vec<Value> = http
        .get(url("/api/v1/facilities"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let count = |k: &str| facilities.iter().filter(|f| f["kind"] == k).count();
    assert_eq!(
        (
            count("core_hospital"),
            count("hub_hospital"),
            count("cooperative_hospital")
        ),
        (11, 34, 122)
    );
    assert_eq!(count("data_center"), 1);
    assert!(count("lab") >= 2);
    assert!(
        facilities
            .iter()
            .all(|f| f["kind"].is_string() && f["prefecture_code"].is_string())
    );

    let coop = facilities
        .iter()
        .find(|f| f["kind"] == "cooperative_hospital")
        .unwrap();
    let coop_id = coop["id"].as_str().unwrap();
    let panel_id = coop["links"][0]["parent_id"].as_str().unwrap();
    let unrelated = facilities
        .iter()
        .find(|f| f["kind"] == "hub_hospital" && f["id"] != panel_id)
        .unwrap()["id"]
        .as_str()
        .unwrap();
    add_user(&s, "dr.coop", Role::Clinician, coop_id).await;
    add_user(&s, "panel", Role::PanelMember, panel_id).await;
    add_user(&s, "dr.other", Role::Clinician, unrelated).await;
    add_user(&s, "lab", Role::Lab, "L01").await;

    // The clinician logs in with a password and registers patient, consent and case.
    let clinician = login(&s, "dr.coop").await;
    let me: Value = clinician
        .get(url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["facility_id"], coop_id);
    let r = clinician
        .post(url("/api/v1/patients"))
        .json(&json!({"record_number": "A-0001", "sex": "female", "birth_year": 1961, "birth_month": 14}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "birth_month");
    let patient: Value = clinician
        .post(url("/api/v1/patients"))
        .json(&json!({"record_number": "A-0001", "sex": "female", "birth_year": 1961, "birth_month": 5}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pid = patient["id"].as_str().unwrap();
    assert!(patient.get("record_number").is_none());
    let r = clinician
        .post(url(&format!("/api/v1/patients/{pid}/consents")))
        .json(&json!({
            "form_version": "2019.1", "method": "paper", "given_at": "2019-06-03",
            "items": {"registration": true, "secondary_use_academia": true, "secondary_use_industry": false,
                      "overseas_transfer": false, "recontact": true, "germline_disclosure": "disclose"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let case_body = json!({
        "patient_id": pid, "lab_facility_id": "L01", "test_product": "ncc_oncopanel",
        "specimen_type": "ffpe", "tumor_content_pct": 35.0, "oncotree_code": "COADREAD",
        "registered_at": "2019-06-10T01:00:00Z"
    });
    let r = clinician
        .post(url("/api/v1/cases"))
        .header("Idempotency-Key", "order-42")
        .json(&case_body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{text}");
    let case: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(case["panel_facility_id"], panel_id);
    let r = clinician
        .post(url("/api/v1/cases"))
        .header("Idempotency-Key", "order-42")
        .json(&case_body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "a repeat returns the first result"
    );
    assert_eq!(r.json::<Value>().await.unwrap()["id"], case["id"]);
    let cases: Vec<Value> = clinician
        .get(url("/api/v1/cases"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cases.len(), 1, "and creates nothing");
    let cid = case["id"].as_str().unwrap();
    let r = clinician
        .post(url(&format!("/api/v1/cases/{cid}/transitions")))
        .json(&json!({"to": "specimen_shipped", "at": "2019-06-11T00:00:00Z"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // The lab uploads a result file; the SHA-256 is echoed.
    let content = include_bytes!("../../../../testdata/report/egfr_l858r.grch38.vcf").to_vec();
    let expected = hex::encode(sha2::Sha256::digest(&content));
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(content.clone())
            .file_name("T001.vcf")
            .mime_str("text/vcf")
            .unwrap(),
    );
    let lab = token(&s, "lab").await;
    let r = http
        .post(url(&format!("/api/v1/cases/{cid}/files")))
        .bearer_auth(&lab)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let file: Value = r.json().await.unwrap();
    assert_eq!(file["sha256"], expected);
    let fid = file["id"].as_str().unwrap();

    // The linked panel reads it; an unrelated hospital's clinician gets 403.
    let panel = token(&s, "panel").await;
    let r = http
        .get(url(&format!("/api/v1/files/{fid}")))
        .bearer_auth(&panel)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["x-content-sha256"], expected.as_str());
    assert_eq!(r.bytes().await.unwrap().to_vec(), content);
    let detail: Value = http
        .get(url(&format!("/api/v1/cases/{cid}")))
        .bearer_auth(&panel)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["state"], "results_received");
    assert_eq!(detail["events"].as_array().unwrap().len(), 3);
    let other = token(&s, "dr.other").await;
    for path in [
        format!("/api/v1/files/{fid}"),
        format!("/api/v1/cases/{cid}"),
        format!("/api/v1/patients/{pid}"),
    ] {
        let r = http
            .get(url(&path))
            .bearer_auth(&other)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let r = http
        .get(url("/api/v1/cases/nope"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The web pages: login form, redirect when logged out, lists when logged in.
    let r = http.get(url("/cases")).send().await.unwrap();
    assert!(r.url().path().starts_with("/login"));
    let page = clinician
        .get(url("/cases"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(case["case_number"].as_str().unwrap()),
        "case list shows the case"
    );
    let page = clinician
        .get(url("/facilities?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Facilities (") && page.contains("Core hospital"));

    // Every call above is in the audit trail, and the chain verifies.
    let audit: Vec<Value> = http
        .get(url("/api/v1/audit?limit=500"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(audit.iter().any(|a| a["action"] == "file.download"
        && a["username"] == "panel"
        && a["outcome"] == "ok"));
    assert!(audit.iter().any(|a| a["action"] == "case.read"
        && a["username"] == "dr.other"
        && a["outcome"] == "denied"));
    let r = http
        .get(url("/api/v1/audit"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(s.ganome.verify_audit().await.unwrap().broken.is_none());
}
