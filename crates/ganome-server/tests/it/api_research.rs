//! Secondary use over HTTP, on every backend: a real EGFR L858R lung case with consent to
//! academic secondary use; a researcher of a university applies
//! (`POST /api/v1/research/applications`), a reviewer of the data center approves it
//! (`…/decision`, which builds the first release), the researcher reads suppressed counts
//! and downloads the CSV; the clinician gets 403 everywhere, an industry researcher 404 on
//! the release.

use ganome_core::{FacilityKind, Role};
use ganome_store::testing;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::api_story::{
    Server, add_user, csrf_of, egfr_case_over_http, linked_cooperative, page,
    research_organisation, start_with_findings, token, web_login,
};

#[tokio::test]
async fn api_research_story_on_every_backend() {
    for t in testing::all_backends().await {
        let name = t.name;
        story(start_with_findings(t).await).await;
        eprintln!("API research story passed on {name}");
    }
}

async fn story(s: Server) {
    let url = |p: &str| format!("{}{p}", s.base);
    let http = reqwest::Client::new();
    research_organisation(&s, "R-UNIV", FacilityKind::ResearchAcademia).await;
    research_organisation(&s, "R-PHARMA", FacilityKind::ResearchIndustry).await;
    let coop = linked_cooperative(&s).await;
    for (name, role, facility) in [
        ("dr.coop", Role::Clinician, coop.as_str()),
        ("lab", Role::Lab, "L01"),
        ("reviewer", Role::Reviewer, "D01"),
        ("univ", Role::Researcher, "R-UNIV"),
        ("pharma", Role::Researcher, "R-PHARMA"),
    ] {
        add_user(&s, name, role, facility).await;
    }
    let clinician = token(&s, "dr.coop").await;
    let lab = token(&s, "lab").await;
    let reviewer = token(&s, "reviewer").await;
    let univ = token(&s, "univ").await;
    let pharma = token(&s, "pharma").await;
    let post = |who: &str, path: &str, body: Value| {
        http.post(url(path)).bearer_auth(who).json(&body).send()
    };
    let get = |who: &str, path: &str| http.get(url(path)).bearer_auth(who).send();

    let patient: Value = post(
        &clinician,
        "/api/v1/patients",
        json!({"record_number": "RS-1", "sex": "female", "birth_year": 1958, "birth_month": 4}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let pid = patient["id"].as_str().unwrap().to_owned();
    let r = post(
        &clinician,
        &format!("/api/v1/patients/{pid}/consents"),
        json!({"form_version": "2019.1", "method": "paper", "given_at": "2024-03-30",
               "items": {"registration": true, "secondary_use_academia": true,
                         "secondary_use_industry": false, "overseas_transfer": false,
                         "recontact": true, "germline_disclosure": "disclose"}}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "{:?}", r.text().await);
    egfr_case_over_http(&s, &clinician, &lab, &pid).await;

    // The DUO terms, then an application; an invalid one gets 422 by field.
    let terms: Value = get(&univ, "/api/v1/research/duo-terms")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        terms
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["shorthand"] == "GRU")
    );
    let r = post(
        &univ,
        "/api/v1/research/applications",
        json!({"title": "x", "purpose": "y", "duo_codes": ["DUO:0000021"]}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(
        &clinician,
        "/api/v1/research/applications",
        json!({"title": "x", "purpose": "y", "duo_codes": ["DUO:0000042"]}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post(
        &univ,
        "/api/v1/research/applications",
        json!({"title": "肺腺癌 EGFR", "purpose": "記述研究",
               "scope": {"oncotree_codes": ["LUAD"], "genes": ["egfr"]},
               "duo_codes": ["DUO:0000042", "DUO:0000019"]}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let app: Value = r.json().await.unwrap();
    assert_eq!(app["state"], "submitted");
    assert_eq!(app["sector"], "academia");
    assert_eq!(app["scope"]["genes"], json!(["EGFR"]));
    let aid = app["id"].as_str().unwrap().to_owned();
    for who in [&clinician, &lab] {
        let r = get(who, "/api/v1/research/applications").await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }

    // The reviewer approves; the first release is built with the one case.
    let r = post(
        &clinician,
        &format!("/api/v1/research/applications/{aid}/decision"),
        json!({"decision": "approve", "comment": "ok"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let detail: Value = post(
        &reviewer,
        &format!("/api/v1/research/applications/{aid}/decision"),
        json!({"decision": "approve", "comment": "承認", "conditions": "成果を報告すること"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(detail["application"]["state"], "approved");
    assert_eq!(detail["releases"][0]["cases"], 1);
    assert!(detail["releases"][0].get("storage_key").is_none());
    let rid = detail["releases"][0]["id"].as_str().unwrap().to_owned();

    let r = post(
        &reviewer,
        &format!("/api/v1/research/applications/{aid}/releases"),
        json!({}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let second: Value = r.json().await.unwrap();
    assert_eq!(second["seq"], 2);

    // Counts: 1 reads <10. Only the applicant.
    let counts: Value = get(
        &univ,
        &format!("/api/v1/research/releases/{rid}/counts?by=gene"),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(counts["total"]["shown"], "<10");
    assert_eq!(counts["total"]["count"], Value::Null);
    assert_eq!(counts["cells"][0]["key"], "EGFR");
    assert_eq!(counts["cells"][0]["shown"], "<10");
    for (who, status) in [
        (&clinician, StatusCode::FORBIDDEN),
        (&reviewer, StatusCode::FORBIDDEN),
        (&pharma, StatusCode::NOT_FOUND),
    ] {
        let r = get(
            who,
            &format!("/api/v1/research/releases/{rid}/counts?by=gene"),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), status);
        let r = get(who, &format!("/api/v1/research/releases/{rid}/download"))
            .await
            .unwrap();
        assert_eq!(r.status(), status);
    }
    let r = get(
        &univ,
        &format!("/api/v1/research/releases/{rid}/download?format=csv"),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(".csv\"")
    );
    let csv = r.text().await.unwrap();
    assert!(
        csv.contains(",LUAD,2024-04,female,65-69,cooperative_hospital,"),
        "{csv}"
    );
    assert!(!csv.contains("RS-1") && !csv.contains(&pid) && !csv.contains(&coop));
    let r = get(
        &univ,
        &format!("/api/v1/research/releases/{rid}/download?format=parquet"),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.apache.parquet"
    );
    let parquet = r.bytes().await.unwrap();
    assert!(
        parquet.starts_with(b"PAR1") && parquet.ends_with(b"PAR1"),
        "a Parquet file"
    );

    web(&s).await;
}

/// The pages: the researcher applies with the form, the reviewer approves with a zero
/// embargo and its reason, the researcher reads the counts; a clinician gets 403.
async fn web(s: &Server) {
    let url = |p: &str| format!("{}{p}", s.base);
    let researcher = web_login(s, "univ").await;
    let (st, list) = page(&researcher, url("/research")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(list.contains("id=\"nav-research\"") && list.contains("肺腺癌 EGFR"));
    let csrf = csrf_of(&list);
    // Without the token nothing is stored.
    let r = researcher
        .post(url("/research/applications"))
        .form(&[
            ("title", "no token"),
            ("purpose", "p"),
            ("duo", "DUO:0000042"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = researcher
        .post(url("/research/applications"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "Web application"),
            ("purpose", "KRAS/EGFR"),
            ("oncotree_codes", "LUAD, COAD"),
            ("duo", "DUO:0000006"),
            ("duo", "DUO:0000021"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let app_page = r.headers()["location"].to_str().unwrap().to_owned();
    let (st, detail) = page(&researcher, url(&app_page)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(detail.contains("LUAD, COAD") && detail.contains("倫理審査承認必須"));
    assert!(!detail.contains("id=\"form-decision\""));

    let reviewer = web_login(s, "reviewer").await;
    let (st, detail) = page(&reviewer, url(&app_page)).await;
    assert_eq!(st, StatusCode::OK);
    assert!(detail.contains("id=\"form-decision\""));
    let csrf = csrf_of(&detail);
    let r = reviewer
        .post(url(&format!("{app_page}/decision")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("decision", "approve"),
            ("comment", "承認"),
            ("embargo_days", "0"),
            ("embargo_reason", "デモ：登録直後の症例を含めるため"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, detail) = page(&researcher, url(&format!("{app_page}?lang=en"))).await;
    assert!(detail.contains("Approved"), "{detail}");
    assert!(detail.contains("0 days — デモ：登録直後の症例を含めるため"));
    assert!(!detail.contains("class=\"mono excluded\""));
    let (_, board_view) = page(&reviewer, url(&app_page)).await;
    assert!(board_view.contains("class=\"mono excluded\""));
    let marker = "href=\"/research/releases/";
    let at = detail.find(marker).expect("a release link") + marker.len();
    let release = &detail[at..at + 32];
    let (st, counts) = page(
        &researcher,
        url(&format!("/research/releases/{release}?by=oncotree_code")),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        counts.contains("data-key=\"LUAD\"") && counts.contains("&#60;10"),
        "{counts}"
    );

    let clinician = web_login(s, "dr.coop").await;
    let (st, _) = page(&clinician, url("/research")).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = page(&clinician, url(&format!("/research/releases/{release}"))).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
}
