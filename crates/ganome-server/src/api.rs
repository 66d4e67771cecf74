//! The JSON API under `/api/v1`, and its OpenAPI document.

mod alerts;
mod audit;
mod beacon;
mod cases;
mod facilities;
mod files;
mod findings;
mod followup;
mod indicators;
mod jobs;
mod panel;
mod patients;
mod research;
mod session;
mod users;

use axum::Router;
use axum::routing::{get, post};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::AppState;

/// The OpenAPI document of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(title = "Ganome API", description = "Cancer genomic medicine: facilities, patients, consent, cases, result files, findings reports, re-interpretation alerts, expert panels, follow-up, audit, GA4GH Beacon v2 discovery."),
    paths(
        session::login, session::logout, session::me,
        session::second_factor_status, session::second_factor_enrol,
        session::second_factor_confirm, session::second_factor_disable,
        facilities::list, facilities::get_one, facilities::upsert,
        users::list, users::create,
        patients::register, patients::list, patients::get_one,
        patients::record_consent, patients::list_consents, patients::withdraw_consent,
        cases::register, cases::list, cases::get_one, cases::transition,
        files::upload, files::upload_many, files::list, files::download,
        findings::list, findings::issue, findings::get_one, findings::download, findings::releases,
        jobs::reinterpretation,
        alerts::list, alerts::get_one, alerts::acknowledge,
        audit::list,
        audit::verify,
        panel::create_meeting, panel::list_meetings, panel::get_meeting, panel::finalise_meeting,
        panel::add_review, panel::list_reviews, panel::get_review, panel::sign_off,
        followup::explain, followup::treat, followup::outcome, followup::clinical,
        followup::fhir_recommendations, followup::phenopacket, followup::list_treatments, followup::response,
        followup::adverse_event,
        indicators::json, indicators::csv,
        beacon::info, beacon::service_info, beacon::configuration, beacon::map, beacon::entry_types, beacon::g_variants_get, beacon::g_variants_post,
        research::duo_terms, research::list, research::submit, research::get_one, research::decide, research::build, research::counts, research::download,
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&SecuritySchemes),
    security(("bearer" = []), ("session" = [])),
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::SESSION_COOKIE))),
        );
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/openapi.json",
            get(|| async { axum::Json(ApiDoc::openapi()) }),
        )
        .route("/api/v1/auth/login", post(session::login))
        .route("/api/v1/auth/logout", post(session::logout))
        .route("/api/v1/me", get(session::me))
        .route(
            "/api/v1/auth/second-factor",
            get(session::second_factor_status),
        )
        .route(
            "/api/v1/auth/second-factor/enrol",
            post(session::second_factor_enrol),
        )
        .route(
            "/api/v1/auth/second-factor/confirm",
            post(session::second_factor_confirm),
        )
        .route(
            "/api/v1/auth/second-factor/disable",
            post(session::second_factor_disable),
        )
        .route(
            "/api/v1/facilities",
            get(facilities::list).post(facilities::upsert),
        )
        .route("/api/v1/facilities/{id}", get(facilities::get_one))
        .route("/api/v1/users", get(users::list).post(users::create))
        .route(
            "/api/v1/patients",
            get(patients::list).post(patients::register),
        )
        .route("/api/v1/patients/{id}", get(patients::get_one))
        .route(
            "/api/v1/patients/{id}/consents",
            get(patients::list_consents).post(patients::record_consent),
        )
        .route(
            "/api/v1/consents/{id}/withdraw",
            post(patients::withdraw_consent),
        )
        .route("/api/v1/cases", get(cases::list).post(cases::register))
        .route("/api/v1/cases/{id}", get(cases::get_one))
        .route("/api/v1/cases/{id}/transitions", post(cases::transition))
        .route(
            "/api/v1/cases/{id}/files",
            get(files::list).post(files::upload),
        )
        .route("/api/v1/files/{id}", get(files::download))
        .route("/api/v1/audit", get(audit::list))
        .route("/api/v1/audit/verify", get(audit::verify))
        .route(
            "/api/v1/panel/meetings",
            get(panel::list_meetings).post(panel::create_meeting),
        )
        .route("/api/v1/panel/meetings/{id}", get(panel::get_meeting))
        .route(
            "/api/v1/panel/meetings/{id}/finalise",
            post(panel::finalise_meeting),
        )
        .route(
            "/api/v1/panel/meetings/{id}/reviews",
            post(panel::add_review),
        )
        .route("/api/v1/panel/reviews", get(panel::list_reviews))
        .route("/api/v1/panel/reviews/{id}", get(panel::get_review))
        .route("/api/v1/panel/reviews/{id}/sign-off", post(panel::sign_off))
        .route("/api/v1/cases/{id}/explanations", post(followup::explain))
        .route("/api/v1/cases/{id}/treatments", post(followup::treat))
        .route("/api/v1/cases/{id}/outcomes", post(followup::outcome))
        .route("/api/v1/cases/{id}/clinical", get(followup::clinical))
        .route(
            "/api/v1/cases/{id}/fhir/recommendations",
            get(followup::fhir_recommendations),
        )
        .route("/api/v1/cases/{id}/phenopacket", get(followup::phenopacket))
        .route("/api/v1/cases/{id}/results", post(files::upload_many))
        .route(
            "/api/v1/cases/{id}/findings",
            get(findings::list).post(findings::issue),
        )
        .route("/api/v1/findings/{id}", get(findings::get_one))
        .route("/api/v1/findings/{id}/{file}", get(findings::download))
        .route("/api/v1/knowledge/releases", get(findings::releases))
        .route("/api/v1/jobs/reinterpretation", get(jobs::reinterpretation))
        .route("/api/v1/alerts", get(alerts::list))
        .route("/api/v1/alerts/{id}", get(alerts::get_one))
        .route("/api/v1/alerts/{id}/acknowledge", post(alerts::acknowledge))
        .route("/api/v1/treatments", get(followup::list_treatments))
        .route("/api/v1/treatments/{id}/response", post(followup::response))
        .route(
            "/api/v1/treatments/{id}/adverse-events",
            post(followup::adverse_event),
        )
        .route("/api/v1/indicators", get(indicators::json))
        .route("/api/v1/indicators.csv", get(indicators::csv))
        .merge(research::routes())
        .merge(beacon::routes())
}

/// The `Idempotency-Key` header, if sent.
pub(crate) fn idempotency_key(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}
