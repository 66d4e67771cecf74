//! Server-rendered pages: log in, list facilities and cases. Japanese by default,
//! English with `?lang=en`. The full clinical UI builds on these templates.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use ganome_service::{Actor, CaseListQuery, ServiceError};
use ganome_store::{Case, Facility};
use serde::Deserialize;

use crate::auth::{Authenticated, session_cookie};
use crate::{ApiError, AppState, SESSION_COOKIE};

mod indicators;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/facilities", get(facilities))
        .route("/cases", get(cases))
        .route("/indicators", get(indicators::page))
}

#[derive(Debug, Deserialize, Default)]
struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    fn en(&self) -> bool {
        self.lang.as_deref() == Some("en")
    }
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "page could not be rendered",
            )
                .into_response()
        }
    }
}

/// Unauthenticated visitors go to the login page; other errors become a short page.
fn page_error(e: ApiError, en: bool) -> Response {
    match e.0 {
        ServiceError::Unauthenticated => {
            Redirect::to(if en { "/login?lang=en" } else { "/login" }).into_response()
        }
        _ => e.into_response(),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    en: bool,
    error: bool,
}

async fn login_page(Query(q): Query<LangQuery>) -> Response {
    render(&LoginPage {
        en: q.en(),
        error: false,
    })
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    lang: Option<String>,
}

async fn login_submit(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    let en = form.lang.as_deref() == Some("en");
    match state.ganome.login(&form.username, &form.password).await {
        Ok(outcome) => {
            let jar = jar.add(session_cookie(outcome.session_token, state.secure_cookies));
            (jar, Redirect::to(if en { "/?lang=en" } else { "/" })).into_response()
        }
        Err(ServiceError::Unauthenticated) => {
            let mut r = render(&LoginPage { en, error: true });
            *r.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
            r
        }
        Err(e) => ApiError(e).into_response(),
    }
}

async fn logout(State(state): State<AppState>, jar: CookieJar) -> Response {
    if let Some(c) = jar.get(SESSION_COOKIE)
        && let Err(e) = state.ganome.logout(c.value()).await
    {
        return ApiError(e).into_response();
    }
    (
        jar.remove(axum_extra::extract::cookie::Cookie::from(SESSION_COOKIE)),
        Redirect::to("/login"),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    en: bool,
    actor: Actor,
}

async fn home(auth: Result<Authenticated, ApiError>, Query(q): Query<LangQuery>) -> Response {
    match auth {
        Ok(Authenticated(actor)) => render(&HomePage { en: q.en(), actor }),
        Err(e) => page_error(e, q.en()),
    }
}

#[derive(Template)]
#[template(path = "facilities.html")]
struct FacilitiesPage {
    en: bool,
    actor: Actor,
    facilities: Vec<Facility>,
}

impl FacilitiesPage {
    fn kind_label(&self, f: &Facility) -> &'static str {
        if self.en {
            f.kind.as_str()
        } else {
            f.kind.label_ja()
        }
    }

    fn linked_to(&self, f: &Facility) -> String {
        f.links
            .last()
            .map(|l| l.parent_id.clone())
            .unwrap_or_default()
    }
}

async fn facilities(
    State(state): State<AppState>,
    auth: Result<Authenticated, ApiError>,
    Query(q): Query<LangQuery>,
) -> Response {
    let Authenticated(actor) = match auth {
        Ok(a) => a,
        Err(e) => return page_error(e, q.en()),
    };
    match state.ganome.list_facilities(&actor).await {
        Ok(facilities) => render(&FacilitiesPage {
            en: q.en(),
            actor,
            facilities,
        }),
        Err(e) => page_error(ApiError(e), q.en()),
    }
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    en: bool,
    actor: Actor,
    cases: Vec<Case>,
}

impl CasesPage {
    fn state_label(&self, c: &Case) -> &'static str {
        if self.en {
            c.state.as_str()
        } else {
            c.state.label_ja()
        }
    }
}

async fn cases(
    State(state): State<AppState>,
    auth: Result<Authenticated, ApiError>,
    Query(q): Query<LangQuery>,
) -> Response {
    let Authenticated(actor) = match auth {
        Ok(a) => a,
        Err(e) => return page_error(e, q.en()),
    };
    match state
        .ganome
        .list_cases(&actor, &CaseListQuery::default())
        .await
    {
        Ok(cases) => render(&CasesPage {
            en: q.en(),
            actor,
            cases,
        }),
        Err(e) => page_error(ApiError(e), q.en()),
    }
}
