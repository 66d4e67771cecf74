//! Who is calling: a session cookie (people, after login) or a bearer token (labs, scripts).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use ganome_service::{Actor, ServiceError};

use crate::{ApiError, AppState};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "ganome_session";

/// The authenticated caller; rejects with 401 when there is none.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Actor);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or(ApiError(ServiceError::Unauthenticated))?;
            return Ok(Authenticated(
                state.ganome.authenticate_token(token.trim()).await?,
            ));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let cookie = jar
            .get(SESSION_COOKIE)
            .ok_or(ApiError(ServiceError::Unauthenticated))?;
        Ok(Authenticated(
            state.ganome.authenticate_session(cookie.value()).await?,
        ))
    }
}

/// A session cookie with safe defaults: HTTP-only, same-site strict, whole site.
pub(crate) fn session_cookie(
    token: String,
    secure: bool,
) -> axum_extra::extract::cookie::Cookie<'static> {
    let mut c = axum_extra::extract::cookie::Cookie::new(SESSION_COOKIE, token);
    c.set_http_only(true);
    c.set_same_site(axum_extra::extract::cookie::SameSite::Strict);
    c.set_path("/");
    c.set_secure(secure);
    c
}
