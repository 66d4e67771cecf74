//! The clinical workflow over HTTP on every backend: cooperative hospital → results →
//! findings → the linked hub's asynchronous panel → recommendation → explanation →
//! treatment based on it → response; composition and scope refusals; the FHIR Bundle.

use ganome_core::Role;
use ganome_store::testing;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::api_story::{Server, add_user, start_with_findings, token};

#[tokio::test]
async fn api_clinical_story_on_every_backend() {
    for t in testing::all_backends().await {
        let name = t.name;
        story(start_with_findings(t).await).await;
        eprintln!("API clinical story passed on {name}");
    }
}

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    async fn send(
        &self,
        method: reqwest::Method,
        who: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(who);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let r = r.send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, who: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, who, path, Some(body))
            .await
    }

    async fn get(&self, who: &str, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, who, path, None).await
    }
}

async fn user(s: &Server, name: &str, role: Role, facility: &str) -> (String, String) {
    add_user(s, name, role, facility).await;
    let t = token(s, name).await;
    let id = s.ganome.authenticate_token(&t).await.unwrap().user_id;
    (t, id)
}

async fn story(s: Server) {
    let api = Api {
        http: reqwest::Client::new(),
        base: s.base.clone(),
    };
    let (admin, _) = user(&s, "admin", Role::Administrator, "D01").await;
    let (_, facilities) = api.get(&admin, "/api/v1/facilities").await;
    let facilities = facilities.as_array().unwrap().clone();
    let coop = facilities
        .iter()
        .find(|f| f["kind"] == "cooperative_hospital" && f["may_host_panel"] == false)
        .unwrap();
    let coop_id = coop["id"].as_str().unwrap();
    let hub = coop["links"][0]["parent_id"].as_str().unwrap();
    let unrelated = facilities
        .iter()
        .find(|f| f["kind"] == "hub_hospital" && f["id"] != hub)
        .unwrap()["id"]
        .as_str()
        .unwrap();
    let (clinician, _) = user(&s, "dr.coop", Role::Clinician, coop_id).await;
    let (lab, _) = user(&s, "lab", Role::Lab, "L01").await;
    let (chair, chair_id) = user(&s, "chair", Role::PanelChair, hub).await;
    let mut members = vec![(chair.clone(), chair_id.clone(), "drug_therapy_physician")];
    for (name, role) in [
        ("onc2", "drug_therapy_physician"),
        ("genetics", "clinical_genetics_physician"),
        ("gc", "genetic_counsellor"),
        ("path", "pathologist"),
        ("molgen", "molecular_genetics_expert"),
    ] {
        let (t, id) = user(&s, name, Role::PanelMember, hub).await;
        members.push((t, id, role));
    }
    let (other_chair, other_chair_id) = user(&s, "other.chair", Role::PanelChair, unrelated).await;

    // Registration → shipped → results (lab upload) → findings (data-center administrator).
    let (st, patient) = api
        .post(
            &clinician,
            "/api/v1/patients",
            json!({"record_number": "B-1", "sex": "male", "birth_year": 1950, "birth_month": 1}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let (st, case) = api
        .post(
            &clinician,
            "/api/v1/cases",
            json!({"patient_id": patient["id"], "lab_facility_id": "L01",
                   "test_product": "ncc_oncopanel", "specimen_type": "ffpe",
                   "oncotree_code": "LUAD", "registered_at": "2024-04-01"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{case}");
    assert_eq!(case["panel_facility_id"], hub);
    let cid = case["id"].as_str().unwrap().to_owned();
    let (st, _) = api
        .post(
            &clinician,
            &format!("/api/v1/cases/{cid}/transitions"),
            json!({"to": "specimen_shipped", "at": "2024-04-02"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let r = api
        .http
        .post(format!("{}/api/v1/cases/{cid}/files", s.base))
        .bearer_auth(&lab)
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
    assert_eq!(r.status(), StatusCode::CREATED);
    // The data center's engine issued the findings on arrival: EGFR L858R in LUAD → level A.
    let (st, case_now) = api.get(&clinician, &format!("/api/v1/cases/{cid}")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(case_now["state"], "findings_issued", "{case_now}");
    let (st, versions) = api
        .get(&clinician, &format!("/api/v1/cases/{cid}/findings"))
        .await;
    assert_eq!(st, StatusCode::OK, "{versions}");
    assert_eq!(versions.as_array().unwrap().len(), 1);
    assert_eq!(versions[0]["top_level"], "A");
    let fid = versions[0]["id"].as_str().unwrap().to_owned();
    let html = api
        .http
        .get(format!("{}/api/v1/findings/{fid}/report.en.html", s.base))
        .bearer_auth(&chair)
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), StatusCode::OK);
    assert_eq!(
        html.headers()["x-report-id"],
        versions[0]["report_id"].as_str().unwrap()
    );
    let html = html.text().await.unwrap();
    assert!(html.contains("EGFR") && html.to_lowercase().contains("osimertinib"));
    let fhir = api
        .get(&chair, &format!("/api/v1/findings/{fid}/report.fhir.json"))
        .await;
    assert_eq!(fhir.0, StatusCode::OK);
    assert_eq!(fhir.1["resourceType"], "Bundle");
    assert_eq!(
        api.get(&lab, &format!("/api/v1/cases/{cid}/findings"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        api.get(&chair, &format!("/api/v1/findings/{fid}/report.doc"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (st, _) = api
        .post(&admin, &format!("/api/v1/cases/{cid}/findings"), json!({}))
        .await;
    assert_eq!(
        st,
        StatusCode::CONFLICT,
        "unchanged findings are not re-issued"
    );
    let (st, releases) = api.get(&clinician, "/api/v1/knowledge/releases").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        releases.as_array().unwrap().is_empty(),
        "the test engine registers none"
    );

    // A live meeting without a genetic counsellor cannot be finalised: 422 naming it.
    let today = ganome_core::Timestamp::now().date().to_string();
    let attendees = |skip: Option<&str>| -> Vec<Value> {
        members
            .iter()
            .filter(|(_, _, r)| Some(*r) != skip)
            .map(|(_, id, role)| json!({"name": role, "panel_role": role, "user_id": id}))
            .collect()
    };
    let (st, live) = api
        .post(
            &chair,
            "/api/v1/panel/meetings",
            json!({"held_on": today, "mode": "real_time", "chair_user_id": chair_id,
                   "attendees": attendees(Some("genetic_counsellor"))}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{live}");
    let (st, body) = api
        .post(
            &chair,
            &format!(
                "/api/v1/panel/meetings/{}/finalise",
                live["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "attendees");
    assert!(
        body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("genetic_counsellor"),
        "{body}"
    );

    // The hub's asynchronous panel.
    let (st, meeting) = api
        .post(
            &chair,
            "/api/v1/panel/meetings",
            json!({"held_on": today, "mode": "asynchronous", "attendees": attendees(None)}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{meeting}");
    let mid = meeting["id"].as_str().unwrap().to_owned();
    let review_body = json!({
        "case_id": cid, "findings_version": fid,
        "discussion": "KRAS G12C; sotorasib.",
        "germline": {"counselling_referral": true, "confirmatory_test": false, "note": null},
        "recommendations": [
            {"drug": "sotorasib", "biomarker": "KRAS G12C", "evidence_level": "A", "access_route": "approved"},
            {"drug": "adagrasib", "evidence_level": "B", "access_route": "clinical_trial", "trial_id": "NCT04685135"}
        ]
    });

    // An unrelated panel: not in its case list, its agenda refuses the case, no review access.
    let (st, other_meeting) = api
        .post(
            &other_chair,
            "/api/v1/panel/meetings",
            json!({"held_on": today, "mode": "video", "chair_user_id": other_chair_id,
                   "attendees": [{"name": "chair", "panel_role": "drug_therapy_physician", "user_id": other_chair_id}]}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let (st, cases) = api.get(&other_chair, "/api/v1/cases").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(cases.as_array().unwrap().len(), 0);
    let (st, _) = api
        .post(
            &other_chair,
            &format!(
                "/api/v1/panel/meetings/{}/reviews",
                other_meeting["id"].as_str().unwrap()
            ),
            review_body.clone(),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = api
        .get(&other_chair, &format!("/api/v1/panel/meetings/{mid}"))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // A review pins one of the case's findings versions, by id.
    let mut unpinned = review_body.clone();
    unpinned["findings_version"] = json!("findings/1");
    let (st, body) = api
        .post(
            &chair,
            &format!("/api/v1/panel/meetings/{mid}/reviews"),
            unpinned,
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "findings_version");
    let (st, review) = api
        .post(
            &chair,
            &format!("/api/v1/panel/meetings/{mid}/reviews"),
            review_body,
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{review}");
    let rid = review["id"].as_str().unwrap().to_owned();
    for path in [
        format!("/api/v1/panel/reviews/{rid}"),
        format!("/api/v1/cases/{cid}/clinical"),
        format!("/api/v1/cases/{cid}/fhir/recommendations"),
        format!("/api/v1/cases/{cid}/phenopacket"),
    ] {
        let (st, _) = api.get(&other_chair, &path).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{path}");
    }
    let (st, _) = api
        .post(
            &other_chair,
            &format!("/api/v1/panel/reviews/{rid}/sign-off"),
            json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (_, reviews) = api.get(&other_chair, "/api/v1/panel/reviews").await;
    assert_eq!(reviews.as_array().unwrap().len(), 0);

    let (st, _) = api
        .post(
            &chair,
            &format!("/api/v1/panel/meetings/{mid}/finalise"),
            json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    for (i, (t, _, _)) in members.iter().enumerate() {
        let (st, r) = api
            .post(
                t,
                &format!("/api/v1/panel/reviews/{rid}/sign-off"),
                json!({}),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{r}");
        assert_eq!(r["signed_off_at"].is_string(), i + 1 == members.len());
    }
    let (_, c) = api.get(&clinician, &format!("/api/v1/cases/{cid}")).await;
    assert_eq!(c["state"], "panel_reviewed");

    // Explanation → treatment based on the recommendation → response.
    let (st, _) = api
        .post(
            &clinician,
            &format!("/api/v1/cases/{cid}/explanations"),
            json!({"explained_on": today, "explained_by": "Dr Coop"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let rec_id = review["recommendations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (st, tx) = api
        .post(
            &clinician,
            &format!("/api/v1/cases/{cid}/treatments"),
            json!({"line": 1, "regimen": "sotorasib 960 mg", "started_on": today,
                   "recommendation_id": rec_id, "access_route": "approved"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{tx}");
    let tid = tx["id"].as_str().unwrap();
    let (st, tx) = api
        .post(
            &clinician,
            &format!("/api/v1/treatments/{tid}/response"),
            json!({"best_response": "PR"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(tx["best_response"], "PR");
    let (st, body) = api
        .post(
            &clinician,
            &format!("/api/v1/treatments/{tid}/adverse-events"),
            json!({"ctcae_term": "Hepatotoxicity", "grade": 0}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "grade");
    let (_, c) = api.get(&clinician, &format!("/api/v1/cases/{cid}")).await;
    assert_eq!(c["state"], "followed_up");

    // Listings for indicators and the FHIR Bundle.
    let (_, meetings) = api
        .get(
            &admin,
            &format!("/api/v1/panel/meetings?facility={hub}&from=2024-01-01"),
        )
        .await;
    assert_eq!(meetings.as_array().unwrap().len(), 2);
    let (_, treatments) = api.get(&admin, "/api/v1/treatments").await;
    assert_eq!(treatments[0]["recommendation_id"], rec_id.as_str());
    let r = api
        .http
        .get(format!(
            "{}/api/v1/cases/{cid}/fhir/recommendations",
            s.base
        ))
        .bearer_auth(&clinician)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"].to_str().unwrap(),
        "application/fhir+json"
    );
    let bundle: Value = r.json().await.unwrap();
    let tasks: Vec<&Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == "Task")
        .collect();
    assert_eq!(
        tasks.len(),
        3,
        "two medication recommendations and one follow-up"
    );
    assert!(
        bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| { e["resource"]["derivedFrom"][0]["reference"] == format!("Task/{rec_id}") })
    );
    // The same case as a phenopacket: findings as interpretations, the treatment, declared
    // prefixes.
    let r = api
        .http
        .get(format!("{}/api/v1/cases/{cid}/phenopacket", s.base))
        .bearer_auth(&clinician)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let packet: Value = r.json().await.unwrap();
    assert_eq!(packet["metaData"]["phenopacketSchemaVersion"], "2.0");
    assert!(
        packet["diseases"][0]["term"]["id"]
            .as_str()
            .unwrap()
            .starts_with("oncotree:")
    );
    assert!(!packet["medicalActions"].as_array().unwrap().is_empty());
    ganome_service::phenopacket::check_prefixes(&packet).unwrap();
}
