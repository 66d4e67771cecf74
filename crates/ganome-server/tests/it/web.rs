//! The web pages over plain HTTP (no browser): form posts need the session's token and the
//! same origin; a refused form comes back with the error by its field and the input kept
//! (never the record number); htmx gets fragments and `HX-Redirect`/`HX-Refresh`; labels
//! follow the page language; htmx itself is served from this origin.

use ganome_core::Role;
use ganome_store::testing;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use sha2::Digest;

use crate::api_story::{add_user, csrf_of, start};

#[tokio::test]
async fn web_forms_tokens_fragments_and_languages() {
    let s = start(testing::sqlite().await.unwrap()).await;
    add_user(&s, "dr.k001", Role::Clinician, "K001").await;
    let url = |p: &str| format!("{}{p}", s.base);
    let origin = s.base.clone();
    let mut same_origin = HeaderMap::new();
    same_origin.insert("origin", HeaderValue::from_str(&origin).unwrap());
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(same_origin)
        .build()
        .unwrap();

    // Login from another origin is refused; from this one it sets the session.
    let r = http
        .post(url("/login"))
        .header("origin", "http://evil.example")
        .form(&[
            ("username", "dr.k001"),
            ("password", "a long test password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = http
        .post(url("/login?lang=en"))
        .form(&[
            ("username", "dr.k001"),
            ("password", "a long test password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/?lang=en");

    let page = http
        .get(url("/patients"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<html lang=\"ja\"") && page.contains("患者を登録"));
    let token = csrf_of(&page);

    // Without the token, or with it from another origin: refused, nothing stored.
    let form = |csrf: &str, month: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("record_number", "K001-0042".to_owned()),
            ("sex", "female".to_owned()),
            ("birth_year", "1961".to_owned()),
            ("birth_month", month.to_owned()),
        ]
    };
    let r = http
        .post(url("/patients"))
        .form(&form("0".repeat(64).as_str(), "3"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = http
        .post(url("/patients"))
        .header("origin", "http://evil.example")
        .form(&form(&token, "3"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let list = http
        .get(url("/patients"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        list.contains("登録された患者はいません"),
        "nothing was stored"
    );

    // A refused form: 422, the error by its field in Japanese, input kept but not the
    // record number.
    let r = http
        .post(url("/patients"))
        .form(&form(&token, "13"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"form-patient-birth-month-error\">1〜12 を指定してください</span>"));
    assert!(page.contains("value=\"1961\""));
    assert!(
        !page.contains("K001-0042"),
        "the record number is never echoed"
    );

    // Accepted: 303 to the patient page; through htmx, an HX-Redirect instead.
    let r = http
        .post(url("/patients"))
        .form(&form(&token, "3"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let patient_page = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(patient_page.starts_with("/patients/"));
    let page = http
        .get(url(&patient_page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = http
        .post(url(&format!("{patient_page}/consents")))
        .header("hx-request", "true")
        .header("hx-current-url", url(&patient_page))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("form_version", "2019.1"),
            ("method", "paper"),
            ("given_at", "2024-04-01T10:00"),
            ("items.registration", "1"),
            ("items.germline_disclosure", "undecided"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(r.headers()["hx-refresh"], "true", "same page: reload it");
    let page = http
        .get(url(&patient_page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("2024-04-01 10:00 JST"),
        "consent time read as Japan time"
    );
    let r = http
        .post(url(&format!("{patient_page}/cases")))
        .header("hx-request", "true")
        .header("hx-current-url", url(&patient_page))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("test_product", "ncc_oncopanel"),
            ("specimen_type", "ffpe"),
            ("lab_facility_id", "L01"),
            ("oncotree_code", "coadread"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let case_page = r.headers()["hx-redirect"].to_str().unwrap().to_owned();
    assert!(case_page.starts_with("/cases/"));

    // The case list: a fragment for htmx, the page otherwise, labels in the page language;
    // a bad filter is reported by its field.
    let r = http
        .get(url("/cases?state=registered&lang=en"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    let fragment = r.text().await.unwrap();
    assert!(fragment.starts_with("<div id=\"case-results\"") && !fragment.contains("<html"));
    assert!(fragment.contains("COADREAD") && fragment.contains(">Registered<"));
    let page = http
        .get(url("/cases?state=followed_up"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("条件に合う症例はありません") && page.contains("<html lang=\"ja\""));
    // The facility filter offers only what the clinician can see: their own hospital.
    assert!(page.contains("<option value=\"K001\"") && !page.contains("<option value=\"C01\""));
    let r = http.get(url("/cases?from=yesterday")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("form-filters-from-error"));

    // A clinician has no panel pages; the refusal is a page, not JSON.
    let r = http.get(url("/panel")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("あなたの役割・施設では利用できません")
    );

    // htmx comes from this origin, byte for byte the vendored file.
    let r = http.get(url("/static/htmx.min.js")).send().await.unwrap();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let served = r.bytes().await.unwrap();
    let shipped =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/htmx.min.js")).unwrap();
    assert_eq!(
        hex::encode(sha2::Sha256::digest(&served)),
        hex::encode(sha2::Sha256::digest(&shipped))
    );

    // Withdrawing the consent: a time in the future is refused by its field and nothing is
    // stored; a past time is recorded and shown, and the form goes (nothing left in force).
    let page = http
        .get(url(&patient_page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"consent_id\"><option value=\"";
    let at = page
        .find(marker)
        .expect("the withdrawal form lists the consent")
        + marker.len();
    let consent_id = page[at..].split('"').next().unwrap().to_owned();
    let withdraw = |when: &'static str, csrf: String| {
        let (http, consent_id) = (http.clone(), consent_id.clone());
        let target = url(&format!("{patient_page}/consents/withdraw"));
        async move {
            http.post(target)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("consent_id", consent_id.as_str()),
                    ("withdrawn_at", when),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let r = withdraw("2999-01-01T10:00", csrf_of(&page)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = r.text().await.unwrap();
    assert!(refused.contains("id=\"form-withdraw-withdrawn-at-error\""));
    assert!(!refused.contains("2999-01-01 10:00 JST"), "nothing stored");
    let r = withdraw("2024-05-01T10:00", csrf_of(&page)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("#consents")
    );
    let page = http
        .get(url(&patient_page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("2024-05-01 10:00 JST"), "withdrawal shown");
    assert!(
        !page.contains("id=\"form-withdraw\""),
        "nothing left to withdraw"
    );

    // Logging out needs the token too.
    let page = http
        .get(url(&case_page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = http
        .post(url("/logout"))
        .form(&[("csrf", csrf_of(&page).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = http.get(url("/cases")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
}
