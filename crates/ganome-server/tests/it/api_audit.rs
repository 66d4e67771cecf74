//! The audit trail as auditors read it, over HTTP on every backend: searching by user,
//! action, entity, outcome and JST day (API and page), paging backwards, the chain check,
//! refusals for other roles, and reading the trail is itself audited.

use ganome_core::Role;
use ganome_store::testing;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::api_story::{Server, add_user, login, start, token};

#[tokio::test]
async fn api_audit_story_on_every_backend() {
    for t in testing::all_backends().await {
        let name = t.name;
        story(start(t).await).await;
        eprintln!("API audit story passed on {name}");
    }
}

async fn rows(http: &reqwest::Client, auth: &str, url: String) -> Vec<Value> {
    let r = http.get(url).bearer_auth(auth).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json::<Vec<Value>>().await.unwrap()
}

async fn story(s: Server) {
    let http = reqwest::Client::new();
    let url = |p: &str| format!("{}{p}", s.base);
    add_user(&s, "dr.k001", Role::Clinician, "K001").await;
    add_user(&s, "auditor", Role::Auditor, "D01").await;
    let clinician = token(&s, "dr.k001").await;
    let auditor = token(&s, "auditor").await;

    // What the clinician leaves in the trail: a wrong password, a case that does not exist,
    // and a refused look at the trail.
    let r = http
        .post(url("/api/v1/auth/login"))
        .json(&json!({"username": "dr.k001", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = http
        .get(url("/api/v1/cases/no-such-case"))
        .bearer_auth(&clinician)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = http
        .get(url("/api/v1/audit"))
        .bearer_auth(&clinician)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // By user: only the clinician's rows, newest first.
    let mine = rows(&http, &auditor, url("/api/v1/audit?user=dr.k001")).await;
    assert!(mine.len() >= 3, "{mine:#?}");
    assert!(mine.iter().all(|r| r["username"] == "dr.k001"));
    let seqs: Vec<i64> = mine.iter().map(|r| r["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first");
    // By outcome: the refusals and the failed login.
    let refused = rows(
        &http,
        &auditor,
        url("/api/v1/audit?user=dr.k001&outcome=denied"),
    )
    .await;
    let actions: Vec<&str> = refused
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"audit.read") && actions.contains(&"auth.login"),
        "{actions:?}"
    );
    // By action prefix (no LIKE wildcards: `_` is a character).
    let auth = rows(&http, &auditor, url("/api/v1/audit?action=auth.")).await;
    assert!(!auth.is_empty());
    assert!(
        auth.iter()
            .all(|r| r["action"].as_str().unwrap().starts_with("auth."))
    );
    assert!(
        rows(&http, &auditor, url("/api/v1/audit?action=auth_"))
            .await
            .is_empty()
    );
    // By entity: everything done to that id.
    let entity = rows(&http, &auditor, url("/api/v1/audit?entity=no-such-case")).await;
    assert_eq!(entity.len(), 1, "{entity:#?}");
    assert_eq!(entity[0]["outcome"], "not_found");
    // By Japanese day: today has rows, a day long past has none.
    let today = ganome_core::Timestamp::now().date_jst().to_string();
    assert!(
        !rows(
            &http,
            &auditor,
            url(&format!("/api/v1/audit?from={today}&to={today}"))
        )
        .await
        .is_empty()
    );
    assert!(
        rows(
            &http,
            &auditor,
            url("/api/v1/audit?from=2019-06-01&to=2019-06-30")
        )
        .await
        .is_empty()
    );
    // Paging backwards: disjoint, older.
    let first = rows(&http, &auditor, url("/api/v1/audit?limit=2")).await;
    assert_eq!(first.len(), 2);
    let last = first[1]["seq"].as_i64().unwrap();
    let next = rows(
        &http,
        &auditor,
        url(&format!("/api/v1/audit?limit=2&before={last}")),
    )
    .await;
    assert!(next.iter().all(|r| r["seq"].as_i64().unwrap() < last));
    // A bad day or outcome is 422 naming the field.
    for (q, field) in [
        ("from=06/01/2019", "from"),
        ("outcome=maybe", "outcome"),
        ("from=2019-06-02&to=2019-06-01", "to"),
    ] {
        let r = http
            .get(url(&format!("/api/v1/audit?{q}")))
            .bearer_auth(&auditor)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(r.text().await.unwrap().contains(field), "{q}");
    }
    // The chain check.
    let r = http
        .get(url("/api/v1/audit/verify"))
        .bearer_auth(&auditor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert!(
        report["broken"].is_null() && report["rows"].as_i64().unwrap() > 5,
        "{report}"
    );
    let r = http
        .get(url("/api/v1/audit/verify"))
        .bearer_auth(&clinician)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The page: the same search, links to narrow by user and entity, the chain check.
    let web = login(&s, "auditor").await;
    let page = web
        .get(url("/audit?user=dr.k001&outcome=denied&verify=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("監査ログ") && page.contains("id=\"nav-audit\""));
    assert!(page.contains("data-ok=\"true\""), "the chain is intact");
    assert!(
        !page.contains("id=\"nav-cases\""),
        "an auditor lists no cases, so the navigation offers none"
    );
    assert!(page.contains("auth.login") && page.contains("audit.read"));
    assert!(
        !page.contains("data-outcome=\"ok\""),
        "only refusals listed"
    );
    let page = web
        .get(url("/audit?entity=no-such-case&lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Audit trail") && page.contains("case.read"),
        "{page}"
    );
    let bad = web.get(url("/audit?from=yesterday")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("id=\"audit-errors\""));
    let clinician_web = login(&s, "dr.k001").await;
    let r = clinician_web.get(url("/audit")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let home = clinician_web
        .get(url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !home.contains("id=\"nav-audit\""),
        "no audit link for a clinician"
    );
    assert!(home.contains("id=\"nav-cases\""));

    // Reading the trail is in the trail, with the question asked.
    let reads = rows(
        &http,
        &auditor,
        url("/api/v1/audit?action=audit.&user=auditor"),
    )
    .await;
    assert!(reads.iter().any(|r| r["action"] == "audit.verify"));
    assert!(
        reads
            .iter()
            .any(|r| r["detail"].as_str().unwrap_or("").contains("no-such-case")),
        "{reads:#?}"
    );
}
