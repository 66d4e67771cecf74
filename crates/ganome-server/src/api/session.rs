//! Login, logout and the current user.

use axum::Json;
use axum::extract::State;
use axum_extra::extract::CookieJar;
use ganome_service::{Actor, LoginOutcome, SecondFactorEnrolment, SecondFactorStatus};
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
    /// The current code of the user's authenticator app, when they have a second factor
    /// (6 digits; without it such a user gets 401 `second_factor_required`).
    #[serde(default)]
    totp_code: Option<String>,
}

/// A code from the authenticator app.
#[derive(Deserialize, ToSchema)]
pub(crate) struct SecondFactorCode {
    /// The 6-digit code the app shows now.
    code: String,
}

/// Logs in with a password, and the authenticator code when the user has a second factor;
/// sets the session cookie. 401 with error `second_factor_required` means the password was
/// right and a `totp_code` is needed; any other failure says only `unauthenticated`. After
/// five failures for a name within 15 minutes, the name is refused for 15 minutes (429 with
/// `Retry-After`), the right password included.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "session", request_body = LoginRequest,
    security(()),
    responses((status = 200, body = LoginOutcome), (status = 401, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody)))]
pub(crate) async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<(CookieJar, Json<LoginOutcome>), ApiError> {
    let outcome = state
        .ganome
        .login_with_code(&req.username, &req.password, req.totp_code.as_deref())
        .await?;
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

/// Whether the caller's logins need an authenticator code, and their pending enrolment.
#[utoipa::path(get, path = "/api/v1/auth/second-factor", tag = "session",
    responses((status = 200, body = SecondFactorStatus), (status = 401, body = crate::error::ErrorBody)))]
pub(crate) async fn second_factor_status(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<SecondFactorStatus>, ApiError> {
    Ok(Json(state.ganome.second_factor_status(&actor).await?))
}

/// Begins second-factor enrolment: a fresh secret and its `otpauth://` URI for the app
/// (replacing a pending one). 409 when the second factor is already on.
#[utoipa::path(post, path = "/api/v1/auth/second-factor/enrol", tag = "session",
    responses((status = 200, body = SecondFactorEnrolment), (status = 401, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
pub(crate) async fn second_factor_enrol(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<SecondFactorEnrolment>, ApiError> {
    Ok(Json(state.ganome.enrol_second_factor(&actor).await?))
}

/// Confirms the pending enrolment with the app's current code; from then on logins need a
/// code. 422 for a wrong or reused code (it counts as a failed login).
#[utoipa::path(post, path = "/api/v1/auth/second-factor/confirm", tag = "session",
    request_body = SecondFactorCode,
    responses((status = 200, body = SecondFactorStatus), (status = 401, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody)))]
pub(crate) async fn second_factor_confirm(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(req): ApiJson<SecondFactorCode>,
) -> Result<Json<SecondFactorStatus>, ApiError> {
    state
        .ganome
        .confirm_second_factor(&actor, &req.code)
        .await?;
    Ok(Json(state.ganome.second_factor_status(&actor).await?))
}

/// Turns the second factor off; the app's current code proves it is at hand. 422 for a
/// wrong or reused code (it counts as a failed login).
#[utoipa::path(post, path = "/api/v1/auth/second-factor/disable", tag = "session",
    request_body = SecondFactorCode,
    responses((status = 200, body = SecondFactorStatus), (status = 401, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 429, body = crate::error::ErrorBody)))]
pub(crate) async fn second_factor_disable(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(req): ApiJson<SecondFactorCode>,
) -> Result<Json<SecondFactorStatus>, ApiError> {
    state
        .ganome
        .disable_second_factor(&actor, &req.code)
        .await?;
    Ok(Json(state.ganome.second_factor_status(&actor).await?))
}
