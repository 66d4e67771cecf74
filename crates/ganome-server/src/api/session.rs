//! Login, logout and the current user.

use axum::Json;
use axum::extract::State;
use axum_extra::extract::CookieJar;
use ganome_service::{Actor, LoginOutcome};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::{Authenticated, session_cookie};
use crate::{ApiError, ApiJson, AppState, SESSION_COOKIE};

/// Credentials.
#[derive(Deserialize, ToSchema)]
pub(crate) struct LoginRequest {
    /// Login name.
    username: String,
    /// Password.
    password: String,
}

/// Logs in with a password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "session", request_body = LoginRequest,
    security(()),
    responses((status = 200, body = LoginOutcome), (status = 401, body = crate::error::ErrorBody)))]
pub(crate) async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<(CookieJar, Json<LoginOutcome>), ApiError> {
    let outcome = state.ganome.login(&req.username, &req.password).await?;
    let jar = jar.add(session_cookie(
        outcome.session_token.clone(),
        state.secure_cookies,
    ));
    Ok((jar, Json(outcome)))
}

/// Ends the session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "session", responses((status = 204)))]
pub(crate) async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<(CookieJar, axum::http::StatusCode), ApiError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        state.ganome.logout(c.value()).await?;
    }
    Ok((
        jar.remove(axum_extra::extract::cookie::Cookie::from(SESSION_COOKIE)),
        axum::http::StatusCode::NO_CONTENT,
    ))
}

/// The authenticated user.
#[utoipa::path(get, path = "/api/v1/me", tag = "session",
    responses((status = 200, body = Actor), (status = 401, body = crate::error::ErrorBody)))]
pub(crate) async fn me(Authenticated(actor): Authenticated) -> Json<Actor> {
    Json(actor)
}
