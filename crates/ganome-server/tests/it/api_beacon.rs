//! GA4GH Beacon v2 over HTTP, on every backend, with the real EGFR L858R VCF: cases whose
//! patients refused secondary use or withdrew are not counted; an industry-only consent is;
//! both query forms (sequence, gene + protein change) and the OncoTree filter; boolean below
//! 10 even for a researcher; 403 for a lab and a curator; the `beacon.query` audit rows; the
//! answers have every field of the shipped Beacon v2 example responses
//! (`testdata/beacon-v2/`).

use ganome_core::{FacilityKind, Role};
use ganome_store::{AuditFilter, testing};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::api_story::{
    Server, add_user, egfr_case_over_http, linked_cooperative, research_organisation,
    start_with_findings, token,
};

const BOOLEAN_EXAMPLE: &str =
    include_str!("../../../../testdata/beacon-v2/beaconBooleanResponse-example.json");
const COUNT_EXAMPLE: &str =
    include_str!("../../../../testdata/beacon-v2/beaconCountResponse-example.json");
const INFO_EXAMPLE: &str =
    include_str!("../../../../testdata/beacon-v2/beaconInfo-MIN-example.json");
const REQUEST_EXAMPLE: &str =
    include_str!("../../../../testdata/beacon-v2/beaconRequestBody-MIN-example.json");

#[tokio::test]
async fn beacon_story_on_every_backend() {
    for t in testing::all_backends().await {
        let name = t.name;
        story(start_with_findings(t).await).await;
        eprintln!("beacon story passed on {name}");
    }
}

/// Every field of `example` (objects recursively, the first element of arrays) is in
/// `actual` with the same JSON type.
fn has_shape(example: &Value, actual: &Value, path: &str) {
    match (example, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                let got = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k} missing in {actual}"));
                has_shape(v, got, &format!("{path}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let (Some(e), Some(a)) = (e.first(), a.first()) {
                has_shape(e, a, &format!("{path}[0]"));
            }
        }
        (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        (e, a) => panic!("{path}: {a} is not shaped like {e}"),
    }
}

fn check_variant_response(example: &str, r: &Value) {
    let ex: Value = serde_json::from_str(example).unwrap();
    has_shape(&ex["meta"], &r["meta"], "meta");
    has_shape(
        &ex["responseSummary"],
        &r["responseSummary"],
        "responseSummary",
    );
    // Required by the framework's response meta schema, not in the old examples.
    assert!(r["meta"]["returnedGranularity"].is_string());
    assert!(r["meta"]["receivedRequestSummary"]["requestedGranularity"].is_string());
}

async fn story(s: Server) {
    let url = |p: &str| format!("{}{p}", s.base);
    let http = reqwest::Client::new();
    research_organisation(&s, "R-UNIV", FacilityKind::ResearchAcademia).await;
    let coop = linked_cooperative(&s).await;
    for (name, role, facility) in [
        ("dr.coop", Role::Clinician, coop.as_str()),
        ("lab", Role::Lab, "L01"),
        ("curator", Role::Curator, "D01"),
        ("reviewer", Role::Reviewer, "D01"),
        ("univ", Role::Researcher, "R-UNIV"),
    ] {
        add_user(&s, name, role, facility).await;
    }
    let clinician = token(&s, "dr.coop").await;
    let lab = token(&s, "lab").await;
    let curator = token(&s, "curator").await;
    let reviewer = token(&s, "reviewer").await;
    let univ = token(&s, "univ").await;
    let post = |who: &str, path: &str, body: Value| {
        http.post(url(path)).bearer_auth(who).json(&body).send()
    };
    let get = |who: &str, path: &str| http.get(url(path)).bearer_auth(who).send();
    let ask = |who: String, query: String| {
        let r = get(&who, &format!("/api/beacon/v2/g_variants?{query}"));
        async move {
            let r = r.await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{query}");
            r.json::<Value>().await.unwrap()
        }
    };
    // A patient with a consent (academia, industry), the real EGFR L858R LUAD case; the
    // consent's id.
    let patient_with_case = |record: &'static str, academia: bool, industry: bool| {
        let (clinician, lab) = (clinician.clone(), lab.clone());
        let s = &s;
        let post = &post;
        async move {
            let patient: Value = post(
                &clinician,
                "/api/v1/patients",
                json!({"record_number": record, "sex": "male", "birth_year": 1950, "birth_month": 1}),
            )
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
            let pid = patient["id"].as_str().unwrap().to_owned();
            let consent: Value = post(
                &clinician,
                &format!("/api/v1/patients/{pid}/consents"),
                json!({"form_version": "2019.1", "method": "paper", "given_at": "2024-03-30",
                       "items": {"registration": true, "secondary_use_academia": academia,
                                 "secondary_use_industry": industry, "overseas_transfer": false,
                                 "recontact": true, "germline_disclosure": "disclose"}}),
            )
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
            egfr_case_over_http(s, &clinician, &lab, &pid).await;
            consent["id"].as_str().unwrap().to_owned()
        }
    };

    const SEQ: &str =
        "assemblyId=GRCh38&referenceName=7&start=55191821&referenceBases=T&alternateBases=G";
    const GENE: &str = "geneId=EGFR&aminoacidChange=L858R";

    // Declined and withdrawn: not counted.
    patient_with_case("BC-1", false, false).await;
    let withdrawn = patient_with_case("BC-2", true, false).await;
    let r = post(
        &clinician,
        &format!("/api/v1/consents/{withdrawn}/withdraw"),
        json!({}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    for q in [SEQ, GENE] {
        let r = ask(univ.clone(), q.into()).await;
        assert_eq!(r["responseSummary"]["exists"], false, "{q}: {r}");
    }

    // Industry-only consent: counted (for any secondary use).
    patient_with_case("BC-3", false, true).await;
    for q in [
        SEQ.to_owned(),
        "assemblyId=GRCh38&referenceName=chr7&start=55191821&alternateBases=G".into(),
        "assemblyId=GRCh38&referenceName=NC_000007.14&start=55191821&referenceBases=N&alternateBases=G&filters=oncotree:LUAD".into(),
        GENE.into(),
        "geneId=egfr&aminoacidChange=p.Leu858Arg&filters=oncotree:LUAD".into(),
        "geneId=EGFR".into(),
    ] {
        let r = ask(univ.clone(), q.clone()).await;
        assert_eq!(r["responseSummary"]["exists"], true, "{q}: {r}");
        // One patient: boolean even for a researcher (small-cell suppression).
        assert_eq!(r["meta"]["returnedGranularity"], "boolean", "{q}");
        assert!(r["responseSummary"].get("numTotalResults").is_none());
        check_variant_response(BOOLEAN_EXAMPLE, &r);
    }
    // Absent: another variant, the VCF position taken as 0-based, another tumour type.
    for q in [
        "geneId=BRAF&aminoacidChange=V600E".to_owned(),
        "geneId=EGFR&aminoacidChange=T790M".into(),
        "assemblyId=GRCh38&referenceName=7&start=55191822&referenceBases=T&alternateBases=G".into(),
        format!("{SEQ}&filters=oncotree:COAD"),
        format!("{GENE}&filters=oncotree:COAD"),
    ] {
        let r = ask(reviewer.clone(), q.clone()).await;
        assert_eq!(r["responseSummary"]["exists"], false, "{q}: {r}");
        check_variant_response(BOOLEAN_EXAMPLE, &r);
    }
    let r = ask(clinician.clone(), GENE.into()).await;
    assert_eq!(r["responseSummary"]["exists"], true);
    assert_eq!(r["meta"]["beaconId"], "jp.ganome.beacon");
    assert_eq!(
        r["meta"]["receivedRequestSummary"]["requestParameters"]["geneId"],
        "EGFR"
    );

    // POST with a Beacon v2 request body (the shipped minimal example's meta).
    let mut body: Value = serde_json::from_str(REQUEST_EXAMPLE).unwrap();
    body["query"] = json!({
        "requestParameters": {"assemblyId": "GRCh38", "referenceName": "7",
                              "start": [55191821], "referenceBases": "T", "alternateBases": "G"},
        "filters": [{"id": "oncotree:LUAD"}],
        "requestedGranularity": "count",
    });
    let r = post(&univ, "/api/beacon/v2/g_variants", body.clone())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r: Value = r.json().await.unwrap();
    assert_eq!(r["responseSummary"]["exists"], true, "{r}");
    assert_eq!(r["meta"]["returnedGranularity"], "boolean");
    assert_eq!(
        r["meta"]["receivedRequestSummary"]["filters"],
        json!(["oncotree:LUAD"])
    );
    check_variant_response(BOOLEAN_EXAMPLE, &r);
    // The count example's fields, as a count answer would carry them (granularity unit-tested).
    let mut counted = r.clone();
    counted["responseSummary"]["numTotalResults"] = json!(12);
    check_variant_response(COUNT_EXAMPLE, &counted);

    // Invalid requests: 422 naming the parameter.
    for (q, field) in [
        ("", "requestParameters"),
        ("assemblyId=GRCh37&geneId=EGFR", "assemblyId"),
        ("geneId=EGFR&filters=NCIT:C3058", "filters"),
        (
            "assemblyId=GRCh38&referenceName=7&start=x&alternateBases=G",
            "start",
        ),
    ] {
        let r = get(&univ, &format!("/api/beacon/v2/g_variants?{q}"))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(r.text().await.unwrap().contains(field), "{q}");
    }

    // Informational endpoints.
    let info: Value = get(&univ, "/api/beacon/v2/")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ex: Value = serde_json::from_str(INFO_EXAMPLE).unwrap();
    has_shape(&ex["meta"], &info["meta"], "meta");
    has_shape(&ex["response"], &info["response"], "response");
    for path in ["service-info", "configuration", "map", "entry_types"] {
        let r = get(&clinician, &format!("/api/beacon/v2/{path}"))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }

    // Labs and curators: 403, everywhere.
    for who in [&lab, &curator] {
        for path in ["/api/beacon/v2/", "/api/beacon/v2/map"] {
            let r = get(who, path).await.unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        }
        let r = get(who, &format!("/api/beacon/v2/g_variants?{GENE}"))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = post(who, "/api/beacon/v2/g_variants", body.clone())
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let r = reqwest::get(url(&format!("/api/beacon/v2/g_variants?{GENE}")))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // The audit: one row per query, with the role, facility and request.
    let rows = s
        .ganome
        .store()
        .search_audit(
            &AuditFilter {
                action_prefix: Some("beacon.query".into()),
                ..Default::default()
            },
            1000,
            None,
        )
        .await
        .unwrap();
    let by = |outcome: &str| rows.iter().filter(|r| r.entry.outcome == outcome).count();
    assert_eq!(by("ok"), 2 + 6 + 5 + 1 + 1, "{rows:#?}");
    assert_eq!(by("invalid"), 4);
    assert_eq!(by("denied"), 4);
    let researcher = rows
        .iter()
        .find(|r| {
            r.entry.username.as_deref() == Some("univ")
                && r.entry
                    .detail
                    .as_deref()
                    .is_some_and(|d| d.contains("p.Leu858Arg"))
        })
        .expect("the researcher's gene query is audited");
    assert_eq!(researcher.entry.role.as_deref(), Some("researcher"));
    assert_eq!(researcher.entry.facility_id.as_deref(), Some("R-UNIV"));
    assert!(
        researcher
            .entry
            .detail
            .as_deref()
            .unwrap()
            .contains("oncotree:LUAD")
    );
    let denied = rows
        .iter()
        .find(|r| r.entry.outcome == "denied" && r.entry.role.as_deref() == Some("lab"))
        .expect("the lab's refused query is audited");
    assert_eq!(denied.entry.facility_id.as_deref(), Some("L01"));
    assert!(
        denied
            .entry
            .detail
            .as_deref()
            .unwrap()
            .contains("g_variants")
    );
}
