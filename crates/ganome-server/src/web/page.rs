//! What every page shares: rendering with a status, the navigation bar, error pages, and the
//! POST-redirect-GET answer (a 303 for a plain form, `HX-Redirect` for an htmx one, so the
//! browser loads the new page either way and a reload never repeats the post).

use std::collections::HashMap;

use askama::Template;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use ganome_service::{Actor, ServiceError};

use super::i18n::Lang;
use super::session::WebUser;

/// Renders a template with a status.
pub(crate) fn render(t: &impl Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "page could not be rendered",
            )
                .into_response()
        }
    }
}

/// Whether htmx sent the request (it then gets a fragment or an `HX-Redirect`).
pub(crate) fn is_htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some_and(|v| v == "true")
}

/// Sends the browser to `url` after a successful post. An htmx post that lands on the page
/// it came from (the form was on that page) reloads it, which keeps the reader's place;
/// `HX-Redirect` would only move to the `#anchor` without loading the new state.
pub(crate) fn see_other(url: &str, headers: &HeaderMap) -> Response {
    if is_htmx(headers) {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let page = |u: &str| -> String {
            let u = u.split('#').next().unwrap_or(u);
            match u.split_once("://") {
                Some((_, rest)) => rest
                    .find('/')
                    .map(|i| rest[i..].to_owned())
                    .unwrap_or_default(),
                None => u.to_owned(),
            }
        };
        let current = headers
            .get("hx-current-url")
            .and_then(|v| v.to_str().ok())
            .map(page);
        if current.as_deref() == Some(page(url).as_str()) {
            r.headers_mut()
                .insert("hx-refresh", HeaderValue::from_static("true"));
        } else if let Ok(v) = HeaderValue::from_str(url) {
            r.headers_mut().insert("hx-redirect", v);
        }
        r
    } else {
        Redirect::to(url).into_response()
    }
}

/// The status a refused form is shown again with.
pub(crate) fn status_of(e: &ServiceError) -> StatusCode {
    match e {
        ServiceError::Unauthenticated | ServiceError::SecondFactorRequired => {
            StatusCode::UNAUTHORIZED
        }
        ServiceError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
        ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
        ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ServiceError::Conflict(_) => StatusCode::CONFLICT,
        ServiceError::Engine(_) => StatusCode::SERVICE_UNAVAILABLE,
        ServiceError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The navigation bar: who is signed in, the sections their role uses, the language switch.
#[derive(Debug, Clone)]
pub(crate) struct Nav {
    /// The signed-in user.
    pub actor: Actor,
    /// The form token of this session.
    pub csrf: String,
    /// This page's address in the other language.
    pub switch: String,
    /// The section highlighted.
    pub section: &'static str,
}

impl Nav {
    /// The bar of a page at `uri`.
    pub(crate) fn new(user: &WebUser, uri: &Uri, lang: Lang, section: &'static str) -> Nav {
        Nav::at(user, uri.path(), uri.query(), lang, section)
    }

    /// The bar of the page at `path` (a form re-shown after a post names its page here, so
    /// the language switch leads to the page, not to the post's address).
    pub(crate) fn at(
        user: &WebUser,
        path: &str,
        query: Option<&str>,
        lang: Lang,
        section: &'static str,
    ) -> Nav {
        let kept: Vec<&str> = query
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let mut q = kept.join("&");
        if !lang.en {
            if !q.is_empty() {
                q.push('&');
            }
            q.push_str("lang=en");
        }
        let switch = if q.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{q}")
        };
        Nav {
            actor: user.actor.clone(),
            csrf: user.csrf.clone(),
            switch,
            section,
        }
    }

    /// Whether the user lists cases (hospitals, panels, labs, the data center's
    /// administrators; not curators, reviewers, researchers or auditors).
    pub(crate) fn cases(&self) -> bool {
        ganome_service::access::case_scope(&self.actor).is_some()
    }

    /// Whether the user registers patients (a hospital clinician).
    pub(crate) fn clinician(&self) -> bool {
        ganome_service::access::may_register(&self.actor)
    }

    /// Whether the user sits on a panel.
    pub(crate) fn panel(&self) -> bool {
        self.actor.role.is_panel()
    }

    /// Whether the user reads re-interpretation alerts (clinicians, panels, the data center).
    pub(crate) fn alerts(&self) -> bool {
        ganome_service::access::alert_scope(&self.actor).is_some()
    }

    /// Whether the user uses the secondary-use pages (researchers, reviewers).
    pub(crate) fn research(&self) -> bool {
        super::research::uses_research(self.actor.role)
    }

    /// Whether the user reads the audit trail (auditors, administrators).
    pub(crate) fn audit(&self) -> bool {
        ganome_service::access::may_audit(&self.actor)
    }

    /// Whether the user reads the national indicators.
    pub(crate) fn indicators(&self) -> bool {
        ganome_service::access::may_read_indicators(&self.actor)
    }
}

/// Facility names by code, in the page language.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names(HashMap<String, String>);

impl Names {
    /// Every facility's name (the network is not patient data; the call is cheap).
    pub(crate) async fn load(ganome: &ganome_service::Ganome, actor: &Actor, l: Lang) -> Names {
        match ganome.list_facilities(actor).await {
            Ok(fs) => Names(
                fs.iter()
                    .map(|f| (f.id.clone(), l.facility_name(f).to_owned()))
                    .collect(),
            ),
            Err(e) => {
                tracing::warn!(error = %e, "facility names unavailable");
                Names::default()
            }
        }
    }

    /// The name of facility `id`, or the code when unknown.
    pub(crate) fn get<'a>(&'a self, id: &'a str) -> &'a str {
        self.0.get(id).map(String::as_str).unwrap_or(id)
    }
}

/// Today's date in Japan, as the service judges "not in the future", for date inputs.
pub(crate) fn today() -> String {
    ganome_core::Timestamp::now().date_jst().to_string()
}

/// A page that only says what went wrong.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Lang,
    nav: Option<Nav>,
    heading: &'static str,
    detail: String,
}

/// The page for a service error (401 sends the browser to the login page).
pub(crate) fn error_page(
    e: ServiceError,
    l: Lang,
    nav: Option<Nav>,
    headers: &HeaderMap,
) -> Response {
    let heading = match &e {
        ServiceError::Unauthenticated => {
            let to = format!("/login{}", l.q());
            return see_other(&to, headers);
        }
        ServiceError::SecondFactorRequired => l.second_factor_required(),
        ServiceError::Throttled { .. } => l.login_throttled(),
        ServiceError::Forbidden(_) => l.error_forbidden(),
        ServiceError::NotFound(_) => l.error_not_found(),
        ServiceError::Invalid(_) => l.error_invalid(),
        ServiceError::Conflict(_) => l.error_conflict(),
        ServiceError::Engine(_) => l.error_engine(),
        ServiceError::Store(_) => l.error_internal(),
    };
    let detail = match &e {
        ServiceError::Forbidden(m)
        | ServiceError::NotFound(m)
        | ServiceError::Conflict(m)
        | ServiceError::Engine(m) => l.message(m),
        ServiceError::Invalid(v) => v
            .errors
            .iter()
            .map(|f| format!("{}: {}", f.field, l.message(&f.message)))
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    };
    if let ServiceError::Store(inner) = &e {
        tracing::error!(error = %inner, "storage error on a page");
    }
    render(
        &ErrorPage {
            l,
            nav,
            heading,
            detail,
        },
        status_of(&e),
    )
}

/// The page for a form whose token did not match this session.
pub(crate) fn csrf_refused(l: Lang) -> Response {
    render(
        &ErrorPage {
            l,
            nav: None,
            heading: l.error_csrf(),
            detail: String::new(),
        },
        StatusCode::FORBIDDEN,
    )
}
