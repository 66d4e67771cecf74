//! National indicators over HTTP: JSON, CSV and the page with its SVG charts, in Japanese
//! and English; only administrators and auditors may read them; bad filters get 422 with
//! the field named.

use ganome_core::Role;
use ganome_service::scenario::{DEFAULT_SEED, ScenarioSpec};
use ganome_store::testing;
use reqwest::StatusCode;
use serde_json::Value;

use crate::api_story::{add_user, login, start, token};

#[tokio::test]
async fn indicators_over_http() {
    let s = start(testing::sqlite().await.unwrap()).await;
    let spec = ScenarioSpec::survey_2019().unwrap();
    s.ganome
        .load_scenario(&spec, DEFAULT_SEED, &|_, _| {})
        .await
        .unwrap();
    add_user(&s, "auditor", Role::Auditor, "D01").await;
    add_user(&s, "doctor", Role::Clinician, "C01").await;
    let auditor = token(&s, "auditor").await;
    let doctor = token(&s, "doctor").await;
    let http = reqwest::Client::new();
    let get = |who: &str, path: &str| {
        http.get(format!("{}{path}", s.base))
            .bearer_auth(who.to_owned())
            .send()
    };
    let period = "from=2019-06-01&to=2019-10-31";

    let r = get(&auditor, &format!("/api/v1/indicators?{period}"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["tests"][0]["tier"], "core_hospital");
    assert_eq!(
        v["tests"][0]["counts"],
        serde_json::json!([0, 13, 54, 100, 179])
    );
    assert_eq!(v["tests"][4]["total"], 805);
    assert_eq!(v["consent"]["both_percent"], 99.3);
    assert_eq!(v["treatment"]["treated_patients"], 88);

    let r = get(&auditor, &format!("/api/v1/indicators.csv?{period}"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("indicator,tier,month,value\n"));
    assert!(
        csv.contains("tests,hub_and_cooperative,2019-10,220\n"),
        "{csv}"
    );
    assert!(csv.contains("treated_patients,all,,88\n"));

    let r = get(&doctor, &format!("/api/v1/indicators?{period}"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = get(&auditor, "/api/v1/indicators?from=2019-06-01&tier=lab")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("tier"), "{body}");

    // The page is for people: a browser session (cookie), not an API token.
    let browser = login(&s, "auditor").await;
    let page = |path: String| browser.get(format!("{}{path}", s.base)).send();
    let r = page(format!("/indicators?{period}")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("遺伝子パネル検査の実施件数"));
    assert!(html.matches("<svg").count() >= 3, "three charts");
    assert!(html.contains("<title>179</title>"), "October's core bar");
    // The download link carries the same filters (askama escapes the `&`).
    let link = html.split("/api/v1/indicators.csv?").nth(1).unwrap();
    assert!(link.starts_with("from=2019-06-01&"), "{link:.60}");
    assert!(link[..40].contains("to=2019-10-31"), "{link:.60}");
    let r = page(format!("/indicators?{period}&lang=en")).await.unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains("Panel tests per month"));
    assert!(html.contains("Download CSV"));
}
