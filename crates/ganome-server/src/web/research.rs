//! Secondary-use pages (利活用): a researcher's applications with the application form, an
//! application's page (history, releases; the review board's decision form), and a
//! release's page with suppressed counts and download links. Forms carry the session's
//! token; refusals show the error page with the fields that were wrong.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use ganome_core::Role;
use ganome_service::research::duo::{self, DuoTerm};
use ganome_service::{
    ApplicationDetail, CountBy, DecideApplication, Decision, ReleaseCounts, ReleaseQuery,
    SubmitApplication,
};
use ganome_store::{ResearchApplication, ResearchScope};
use serde::Deserialize;

use super::i18n::{Lang, LangQuery};
use super::page::{Nav, error_page, render, see_other};
use super::session::WebUser;
use crate::AppState;

#[derive(Template)]
#[template(path = "research.html")]
struct ResearchPage {
    l: Lang,
    nav: Option<Nav>,
    applications: Vec<ResearchApplication>,
    may_apply: bool,
    terms: &'static [DuoTerm],
    csrf: String,
}

#[derive(Template)]
#[template(path = "research_application.html")]
struct ApplicationPage {
    l: Lang,
    nav: Option<Nav>,
    d: ApplicationDetail,
    may_decide: bool,
    board: bool,
    may_use: bool,
    default_embargo: i64,
    csrf: String,
}

impl ApplicationPage {
    fn duo_label(&self, id: &str) -> String {
        match duo::term(id) {
            Some(t) if self.l.en => format!("{} ({}) {}", t.shorthand, t.id, t.label_en),
            Some(t) => format!("{} ({}) {}", t.shorthand, t.id, t.label_ja),
            None => id.to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "research_release.html")]
struct ReleasePage {
    l: Lang,
    nav: Option<Nav>,
    id: String,
    counts: ReleaseCounts,
    by: &'static str,
}

/// The query of a release page.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct ReleasePageQuery {
    by: Option<String>,
    lang: Option<String>,
}

fn list_of(text: &str) -> Vec<String> {
    text.split([',', ' ', '\u{3001}', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(crate) async fn list(
    State(state): State<AppState>,
    user: WebUser,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    let l = q.lang();
    let nav = Nav::new(&user, &uri, l, "research");
    match state.ganome.list_research_applications(&user.actor).await {
        Ok(applications) => render(
            &ResearchPage {
                l,
                nav: Some(nav),
                applications,
                may_apply: ganome_service::access::may_apply_for_research(&user.actor),
                terms: duo::terms(),
                csrf: user.csrf.clone(),
            },
            StatusCode::OK,
        ),
        Err(e) => error_page(e, l, Some(nav), &headers),
    }
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, f) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let req = SubmitApplication {
        title: f.text("title"),
        purpose: f.text("purpose"),
        scope: ResearchScope {
            oncotree_codes: list_of(&f.text("oncotree_codes")),
            genes: list_of(&f.text("genes")),
            registered_from: f.opt_text("registered_from"),
            registered_until: f.opt_text("registered_until"),
            data_items: Vec::new(),
        },
        duo_codes: f
            .0
            .iter()
            .filter(|(k, _)| k == "duo")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    match state
        .ganome
        .submit_research_application(&user.actor, req)
        .await
    {
        Ok(a) => see_other(
            &format!("/research/applications/{}{}", a.id, l.q()),
            &headers,
        ),
        Err(e) => {
            let nav = Nav::at(&user, "/research", None, l, "research");
            error_page(e, l, Some(nav), &headers)
        }
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    user: WebUser,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let l = q.lang();
    let nav = Nav::new(&user, &uri, l, "research");
    match state
        .ganome
        .get_research_application(&user.actor, &id)
        .await
    {
        Ok(d) => render(
            &ApplicationPage {
                l,
                nav: Some(nav),
                may_decide: ganome_service::access::may_review_research(&user.actor)
                    && !d.application.state.is_decided(),
                board: ganome_service::access::may_review_research(&user.actor),
                may_use: ganome_service::access::may_use_release(&user.actor, &d.application),
                d,
                default_embargo: ganome_service::research::DEFAULT_EMBARGO_DAYS,
                csrf: user.csrf.clone(),
            },
            StatusCode::OK,
        ),
        Err(e) => error_page(e, l, Some(nav), &headers),
    }
}

pub(crate) async fn decide(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, f) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let req = DecideApplication {
        decision: if f.get("decision") == Some("approve") {
            Decision::Approve
        } else {
            Decision::Reject
        },
        comment: f.text("comment"),
        conditions: f.opt_text("conditions"),
        embargo_days: f.get("embargo_days").and_then(|d| d.parse().ok()),
        embargo_reason: f.opt_text("embargo_reason"),
    };
    let page = format!("/research/applications/{id}");
    match state
        .ganome
        .decide_research_application(&user.actor, &id, req)
        .await
    {
        Ok(_) => see_other(&format!("{page}{}", l.q()), &headers),
        Err(e) => {
            let nav = Nav::at(&user, &page, None, l, "research");
            error_page(e, l, Some(nav), &headers)
        }
    }
}

pub(crate) async fn release(
    State(state): State<AppState>,
    user: WebUser,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<ReleasePageQuery>,
) -> Response {
    let l = Lang {
        en: q.lang.as_deref() == Some("en"),
    };
    let nav = Nav::new(&user, &uri, l, "research");
    let (by, by_text) = match q.by.as_deref() {
        Some("alteration") => (CountBy::Alteration, "alteration"),
        Some("oncotree_code") => (CountBy::OncotreeCode, "oncotree_code"),
        _ => (CountBy::Gene, "gene"),
    };
    match state
        .ganome
        .query_research_release(&user.actor, &id, &ReleaseQuery { by })
        .await
    {
        Ok(counts) => render(
            &ReleasePage {
                l,
                nav: Some(nav),
                id,
                counts,
                by: by_text,
            },
            StatusCode::OK,
        ),
        Err(e) => error_page(e, l, Some(nav), &headers),
    }
}

/// Whether the user's role uses the secondary-use pages (for the navigation bar).
pub(crate) fn uses_research(role: Role) -> bool {
    matches!(role, Role::Researcher | Role::Reviewer)
}
