//! The second factor over HTTP and on the web pages, on every backend. A clinician enrols
//! through the API, confirms with a code, and then `POST /api/v1/auth/login` needs
//! `totp_code` (401 `second_factor_required` without it); a wrong or replayed code gets a
//! plain 401; the factor is turned off with a current code. Five failed logins get the name
//! 429 with `Retry-After`, the right password included. On the web, the login form has the
//! code field and says when a code is needed, and the account page enrols (QR code, secret,
//! URI) and confirms through forms that carry the session's token.
//!
//! The server reads the real clock, so codes are computed for the current step (and the
//! one before and after, all accepted); the story waits out the last seconds of a step
//! before it starts so that the server and the test agree on the step.

use ganome_core::{Role, Timestamp};
use ganome_service::second_factor::totp_code_at;
use ganome_store::testing;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::api_story::{Server, add_user, csrf_of, login, start};

const PASSWORD: &str = "a long test password";

#[tokio::test]
async fn api_second_factor_story_on_every_backend() {
    for t in testing::all_backends().await {
        let name = t.name;
        story(start(t).await).await;
        eprintln!("API second-factor story passed on {name}");
    }
}

fn code(secret: &str, offset_seconds: i64) -> String {
    let t = Timestamp::from_datetime(
        Timestamp::now().datetime() + time::Duration::seconds(offset_seconds),
    );
    totp_code_at(secret, t).unwrap()
}

/// Waits, if needed, until a step has at least 10 seconds left.
async fn early_in_a_step() {
    let into = Timestamp::now().unix().rem_euclid(30);
    if into > 20 {
        tokio::time::sleep(std::time::Duration::from_secs((31 - into) as u64)).await;
    }
}

async fn login_json(s: &Server, body: Value) -> (StatusCode, HeaderMap, Value) {
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", s.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (st, h) = (r.status(), r.headers().clone());
    (st, h, r.json().await.unwrap_or(Value::Null))
}

async fn post(c: &reqwest::Client, url: String, body: Value) -> (StatusCode, Value) {
    let r = c.post(url).json(&body).send().await.unwrap();
    let st = r.status();
    (st, r.json().await.unwrap_or(Value::Null))
}

fn web_client(s: &Server) -> reqwest::Client {
    let mut same_origin = HeaderMap::new();
    same_origin.insert("origin", HeaderValue::from_str(&s.base).unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(same_origin)
        .build()
        .unwrap()
}

async fn story(s: Server) {
    let url = |p: &str| format!("{}{p}", s.base);
    let coop = s
        .ganome
        .store()
        .list_facilities()
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.kind == ganome_core::FacilityKind::CooperativeHospital)
        .unwrap()
        .id;
    add_user(&s, "api.totp", Role::Clinician, &coop).await;
    early_in_a_step().await;

    // Enrol and confirm through the API, with the session of a password login.
    let c = login(&s, "api.totp").await;
    let status: Value = c
        .get(url("/api/v1/auth/second-factor"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["enabled"], false);
    let (st, enrolment) = post(&c, url("/api/v1/auth/second-factor/enrol"), json!({})).await;
    assert_eq!(st, StatusCode::OK, "{enrolment}");
    let secret = enrolment["secret"].as_str().unwrap().to_owned();
    let uri = enrolment["otpauth_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/Ganome:api.totp?secret=") && uri.ends_with("issuer=Ganome"),
        "{uri}"
    );
    let (st, body) = post(
        &c,
        url("/api/v1/auth/second-factor/confirm"),
        json!({"code": "12345"}),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // The code of the step before (a slow phone clock) confirms.
    let (st, body) = post(
        &c,
        url("/api/v1/auth/second-factor/confirm"),
        json!({"code": code(&secret, -30)}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["enabled"], true);

    // Login: the password alone gets a distinct 401; a wrong code a plain one.
    let (st, _, body) = login_json(&s, json!({"username": "api.totp", "password": PASSWORD})).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "second_factor_required", "{body}");
    let now_code = code(&secret, 0);
    let wrong = if now_code == "000000" {
        "000001"
    } else {
        "000000"
    };
    let (st, _, body) = login_json(
        &s,
        json!({"username": "api.totp", "password": PASSWORD, "totp_code": wrong}),
    )
    .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unauthenticated", "{body}");
    let (st, _, body) = login_json(
        &s,
        json!({"username": "api.totp", "password": "not it", "totp_code": now_code}),
    )
    .await;
    assert_eq!(body["error"], "unauthenticated", "{st} {body}");
    // The right code logs in, and its session works.
    let c2 = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let r = c2
        .post(url("/api/v1/auth/login"))
        .json(&json!({"username": "api.totp", "password": PASSWORD, "totp_code": now_code}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let me: Value = c2
        .get(url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "api.totp");
    // The same code again is refused.
    let (st, _, body) = login_json(
        &s,
        json!({"username": "api.totp", "password": PASSWORD, "totp_code": now_code}),
    )
    .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unauthenticated", "{body}");

    // Turn it off with the next step's code; the password alone works again.
    let (st, body) = post(
        &c2,
        url("/api/v1/auth/second-factor/disable"),
        json!({"code": code(&secret, 30)}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["enabled"], false);
    let (st, _, _) = login_json(&s, json!({"username": "api.totp", "password": PASSWORD})).await;
    assert_eq!(st, StatusCode::OK);

    // The web: the login form has the code field; the account page enrols with a QR code
    // and confirms through forms that carry the session's token.
    let w = web_client(&s);
    let form = w
        .get(url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("name=\"totp_code\""), "{form}");
    let r = w
        .post(url("/login?lang=en"))
        .form(&[("username", "api.totp"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let account = w.get(url("/account?lang=en")).send().await.unwrap();
    assert_eq!(account.status(), StatusCode::OK);
    let account = account.text().await.unwrap();
    assert!(account.contains("id=\"nav-account\""), "{account}");
    assert!(account.contains("data-enabled=\"false\""), "{account}");
    let csrf = csrf_of(&account);
    // Without the token the form is refused.
    let r = w
        .post(url("/account/second-factor/enrol?lang=en"))
        .form(&[("csrf", "0".repeat(64))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = w
        .post(url("/account/second-factor/enrol?lang=en"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let account = w
        .get(url("/account?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(account.contains("<svg"), "the QR code is drawn inline");
    let marker = "data-secret=\"";
    let at = account.find(marker).expect("the secret is shown") + marker.len();
    let web_secret = account[at..].split('"').next().unwrap().to_owned();
    assert_ne!(web_secret, secret, "a fresh secret");
    assert!(account.contains("otpauth://totp/Ganome:api.totp"));
    let r = w
        .post(url("/account/second-factor/confirm?lang=en"))
        .form(&[("csrf", csrf.as_str()), ("code", "000000x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"account-error\""));
    let web_code = code(&web_secret, 0);
    let r = w
        .post(url("/account/second-factor/confirm?lang=en"))
        .form(&[("csrf", csrf.as_str()), ("code", web_code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A fresh browser: the page asks for the code, then the code (next step) logs in.
    let fresh = web_client(&s);
    let r = fresh
        .post(url("/login?lang=en"))
        .form(&[("username", "api.totp"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("id=\"login-code-needed\""));
    let next = code(&web_secret, 30);
    let r = fresh
        .post(url("/login?lang=en"))
        .form(&[
            ("username", "api.totp"),
            ("password", PASSWORD),
            ("totp_code", next.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let account = fresh
        .get(url("/account?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(account.contains("data-enabled=\"true\""), "{account}");
    s.ganome
        .reset_second_factor_as_operator("api.totp")
        .await
        .unwrap();

    // Throttling: five failures, then 429 even with the right password.
    for _ in 0..5 {
        let (st, _, _) = login_json(&s, json!({"username": "api.totp", "password": "wrong"})).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
    }
    let (st, headers, body) =
        login_json(&s, json!({"username": "api.totp", "password": PASSWORD})).await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"], "throttled");
    let retry: i64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // The web login says so too.
    let r = web_client(&s)
        .post(url("/login?lang=en"))
        .form(&[("username", "api.totp"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("data-reason=\"throttled\"")
    );
}
