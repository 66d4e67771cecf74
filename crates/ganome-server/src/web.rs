//! Server-rendered pages for the people of the clinical workflow: clinicians (patients,
//! consent, test orders, explanation, treatment, outcome), the lab (result files), expert
//! panels (meetings, attendance, composition, reviews, sign-off), re-interpretation alerts
//! and the data center.
//! Japanese by default, English with `?lang=en`, from one template set ([`i18n`]).
//!
//! Every page acts through [`ganome_service::Ganome`] with the signed-in [`Actor`](ganome_service::Actor), so the
//! access rules and the audit trail are the API's. Forms post, and on success redirect to a
//! page (POST-redirect-GET); refused forms come back with the service's errors next to the
//! fields and the user's input kept ([`forms`]). With htmx, list filters swap only the list
//! and a refused form swaps only itself; without JavaScript everything works as plain HTML.
//! Form posts are protected against cross-site forgery ([`session`]).

mod account;
mod alerts;
mod assets;
mod audit;
mod cases;
mod facilities;
mod forms;
mod i18n;
mod indicators;
mod page;
mod panel;
mod patients;
mod research;
mod session;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(session::home))
        .route(
            "/login",
            get(session::login_page).post(session::login_submit),
        )
        .route("/logout", post(session::logout))
        .route("/account", get(account::show))
        .route("/account/second-factor/enrol", post(account::enrol))
        .route("/account/second-factor/confirm", post(account::confirm))
        .route("/account/second-factor/disable", post(account::disable))
        .route("/static/htmx.min.js", get(assets::htmx))
        .route("/static/app.css", get(assets::css))
        .route("/facilities", get(facilities::list))
        .route("/patients", get(patients::list).post(patients::register))
        .route("/patients/find", post(patients::find))
        .route("/patients/{id}", get(patients::show))
        .route("/patients/{id}/consents", post(patients::consent))
        .route(
            "/patients/{id}/consents/withdraw",
            post(patients::withdraw_consent),
        )
        .route("/patients/{id}/cases", post(patients::register_case))
        .route("/cases", get(cases::list))
        .route("/cases/{id}", get(cases::show))
        .route("/cases/{id}/transition", post(cases::transition))
        .route("/cases/{id}/files", post(cases::upload))
        .route("/cases/{id}/findings", post(cases::issue_findings))
        .route("/cases/{id}/explanation", post(cases::explain))
        .route("/cases/{id}/treatments", post(cases::treat))
        .route("/cases/{id}/outcome", post(cases::outcome))
        .route("/treatments/{id}/response", post(cases::response))
        .route(
            "/treatments/{id}/adverse-events",
            post(cases::adverse_event),
        )
        .route("/panel", get(panel::list).post(panel::create))
        .route("/panel/meetings/{id}", get(panel::show))
        .route("/panel/meetings/{id}/finalise", post(panel::finalise))
        .route("/panel/meetings/{id}/reviews", post(panel::review))
        .route("/panel/reviews/{id}/sign-off", post(panel::sign_off))
        .route("/indicators", get(indicators::page))
        .route("/audit", get(audit::page))
        .route("/alerts", get(alerts::list))
        .route("/alerts/{id}/acknowledge", post(alerts::acknowledge))
        .route("/research", get(research::list))
        .route("/research/applications", post(research::submit))
        .route("/research/applications/{id}", get(research::show))
        .route(
            "/research/applications/{id}/decision",
            post(research::decide),
        )
        .route("/research/releases/{id}", get(research::release))
}
