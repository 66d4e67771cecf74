//! Signing in and out, the signed-in user of a page, and protection of form posts against
//! cross-site request forgery.
//!
//! CSRF defence, in two layers: the session cookie is `SameSite=Strict`, so another site's
//! form post arrives without it; and every form carries a hidden `csrf` field whose value is
//! derived from the session token (SHA-256 of a fixed label and the token). The token is
//! HTTP-only, so a page of another origin can neither read it nor compute the field, and the
//! server keeps no extra state — any instance behind a load balancer checks any form. Posts
//! whose `Origin` header names another host are refused as well (login included, which has
//! no session yet).

use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use ganome_service::{Actor, ServiceError};
use sha2::{Digest, Sha256};

use super::forms::FormData;
use super::i18n::{Lang, LangQuery};
use super::page::{Nav, csrf_refused, error_page, render, see_other};
use crate::auth::session_cookie;
use crate::{AppState, SESSION_COOKIE};

/// The signed-in user of a page and the form token of their session.
#[derive(Debug, Clone)]
pub(crate) struct WebUser {
    /// Who acts.
    pub actor: Actor,
    /// The value every form of this session carries in its `csrf` field.
    pub csrf: String,
}

/// The form token of a session.
pub(crate) fn csrf_token(session_token: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"ganome web form token\0");
    h.update(session_token.as_bytes());
    hex::encode(h.finalize())
}

fn lang_of(uri: &Uri) -> Lang {
    Lang {
        en: uri
            .query()
            .unwrap_or_default()
            .split('&')
            .any(|p| p == "lang=en"),
    }
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let l = lang_of(&parts.uri);
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(SESSION_COOKIE) else {
            return Err(error_page(
                ServiceError::Unauthenticated,
                l,
                None,
                &parts.headers,
            ));
        };
        match state.ganome.authenticate_session(cookie.value()).await {
            Ok(actor) => Ok(WebUser {
                actor,
                csrf: csrf_token(cookie.value()),
            }),
            Err(e) => Err(error_page(e, l, None, &parts.headers)),
        }
    }
}

/// Whether the request's `Origin` (when sent) is this server.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get("origin").and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let authority = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    !host.is_empty() && authority == host
}

impl WebUser {
    /// Checks a form post: same origin, and the session's token in the `csrf` field.
    pub(crate) fn check_post(
        &self,
        sent: Option<&str>,
        headers: &HeaderMap,
        l: Lang,
    ) -> Result<(), Box<Response>> {
        let expected = self.csrf.as_bytes();
        let ok = same_origin(headers)
            && sent.is_some_and(|s| {
                let s = s.as_bytes();
                // Compare in constant time: the token guards every form.
                s.len() == expected.len()
                    && s.iter()
                        .zip(expected)
                        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                        == 0
            });
        if ok {
            Ok(())
        } else {
            Err(Box::new(csrf_refused(l)))
        }
    }

    /// Reads a posted form, checks its token and origin, and gives the page language.
    pub(crate) fn read_post(
        &self,
        headers: &HeaderMap,
        q: &LangQuery,
        data: Vec<(String, String)>,
    ) -> Result<(Lang, FormData), Box<Response>> {
        let l = q.lang();
        let data = FormData(data);
        self.check_post(data.get("csrf"), headers, l)?;
        Ok((l, data))
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Lang,
    nav: Option<Nav>,
    error: bool,
    /// The password was right and the account needs a code.
    needs_code: bool,
    /// A code was sent with the failed attempt.
    code_sent: bool,
    /// The name is locked after too many failures.
    throttled: bool,
    username: String,
}

pub(crate) async fn login_page(Query(q): Query<LangQuery>) -> Response {
    render(
        &LoginPage {
            l: q.lang(),
            nav: None,
            error: false,
            needs_code: false,
            code_sent: false,
            throttled: false,
            username: String::new(),
        },
        StatusCode::OK,
    )
}

#[derive(serde::Deserialize)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
    /// The authenticator code (always on the form; only needed with a second factor).
    #[serde(default)]
    totp_code: Option<String>,
}

pub(crate) async fn login_submit(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    let l = q.lang();
    if !same_origin(&headers) {
        return csrf_refused(l);
    }
    let code_sent = form
        .totp_code
        .as_deref()
        .is_some_and(|c| !c.trim().is_empty());
    let result = state
        .ganome
        .login_with_code(&form.username, &form.password, form.totp_code.as_deref())
        .await;
    let refused = |status, needs_code, throttled| {
        render(
            &LoginPage {
                l,
                nav: None,
                error: true,
                needs_code,
                code_sent,
                throttled,
                username: form.username.clone(),
            },
            status,
        )
    };
    match result {
        Ok(outcome) => {
            let jar = jar.add(session_cookie(outcome.session_token, state.secure_cookies));
            (jar, see_other(&format!("/{}", l.q()), &headers)).into_response()
        }
        Err(ServiceError::Unauthenticated) => refused(StatusCode::UNAUTHORIZED, false, false),
        Err(ServiceError::SecondFactorRequired) => refused(StatusCode::UNAUTHORIZED, true, false),
        Err(ServiceError::Throttled { .. }) => refused(StatusCode::TOO_MANY_REQUESTS, false, true),
        Err(e) => error_page(e, l, None, &headers),
    }
}

#[derive(serde::Deserialize)]
pub(crate) struct TokenForm {
    csrf: Option<String>,
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<TokenForm>,
) -> Response {
    let l = q.lang();
    if let Err(r) = user.check_post(form.csrf.as_deref(), &headers, l) {
        return *r;
    }
    if let Some(c) = jar.get(SESSION_COOKIE)
        && let Err(e) = state.ganome.logout(c.value()).await
    {
        return error_page(e, l, None, &headers);
    }
    (
        jar.remove(axum_extra::extract::cookie::Cookie::from(SESSION_COOKIE)),
        see_other(&format!("/login{}", l.q()), &headers),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Lang,
    nav: Option<Nav>,
    lab: bool,
    data_center: bool,
}

pub(crate) async fn home(user: WebUser, uri: Uri, Query(q): Query<LangQuery>) -> Response {
    let l = q.lang();
    let lab = user.actor.role == ganome_core::Role::Lab;
    let data_center = user.actor.is_data_center_admin();
    render(
        &HomePage {
            l,
            nav: Some(Nav::new(&user, &uri, l, "home")),
            lab,
            data_center,
        },
        StatusCode::OK,
    )
}
