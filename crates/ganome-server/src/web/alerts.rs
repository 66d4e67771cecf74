//! The re-interpretation alerts page (再解析アラート): a case's new findings version lists a
//! treatment option that is new or stronger than in the version before. Clinicians see
//! their hospital's cases, the panel the cases referred to it, the data center all; the
//! clinicians and the panel acknowledge an alert with one button (a form with the
//! session's token), once for everyone.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use ganome_core::Role;
use ganome_service::AlertListQuery;
use ganome_store::{AlertOption, ReinterpretationAlert};
use serde::Deserialize;

use super::i18n::{Lang, LangQuery};
use super::page::{Nav, error_page, render, see_other};
use super::session::WebUser;
use crate::AppState;

/// The query of the alerts page: open alerts unless `all=true`, optionally one case's.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct AlertsQuery {
    all: Option<bool>,
    case: Option<String>,
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    l: Lang,
    nav: Option<Nav>,
    alerts: Vec<ReinterpretationAlert>,
    all: bool,
    case: Option<String>,
    may_acknowledge: bool,
    user_id: String,
    csrf: String,
}

impl AlertsPage {
    fn previous(&self, o: &AlertOption) -> &'static str {
        match o.previous_level {
            Some(p) => self.l.of(p),
            None => self.l.alert_not_listed(),
        }
    }

    /// The page with the other filter (open only ↔ all), keeping the case and language.
    fn toggle_url(&self) -> String {
        let mut q: Vec<String> = Vec::new();
        if !self.all {
            q.push("all=true".into());
        }
        if let Some(c) = &self.case {
            q.push(format!("case={c}"));
        }
        if self.l.en {
            q.push("lang=en".into());
        }
        if q.is_empty() {
            "/alerts".into()
        } else {
            format!("/alerts?{}", q.join("&"))
        }
    }
}

pub(crate) async fn list(
    State(state): State<AppState>,
    user: WebUser,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<AlertsQuery>,
) -> Response {
    let l = Lang {
        en: q.lang.as_deref() == Some("en"),
    };
    let nav = Nav::new(&user, &uri, l, "alerts");
    let all = q.all.unwrap_or(false);
    let case = q.case.filter(|c| !c.trim().is_empty());
    let query = AlertListQuery {
        unacknowledged: Some(!all),
        case: case.clone(),
        limit: Some(500),
    };
    let alerts = match state.ganome.list_alerts(&user.actor, &query).await {
        Ok(a) => a,
        Err(e) => return error_page(e, l, Some(nav), &headers),
    };
    render(
        &AlertsPage {
            l,
            nav: Some(nav),
            alerts,
            all,
            case,
            // Whoever may list alerts may acknowledge them, except the data center.
            may_acknowledge: user.actor.role != Role::Administrator,
            user_id: user.actor.user_id.clone(),
            csrf: user.csrf.clone(),
        },
        StatusCode::OK,
    )
}

pub(crate) async fn acknowledge(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, _) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    match state.ganome.acknowledge_alert(&user.actor, &id).await {
        Ok(_) => see_other(&format!("/alerts{}", l.q()), &headers),
        Err(e) => {
            let nav = Nav::at(&user, "/alerts", None, l, "alerts");
            error_page(e, l, Some(nav), &headers)
        }
    }
}
