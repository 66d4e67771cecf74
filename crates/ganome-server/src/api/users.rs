//! User accounts (administrators).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ganome_service::CreateUser;
use ganome_store::User;

use crate::auth::Authenticated;
use crate::{ApiError, ApiJson, AppState};

/// All users.
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = Vec<User>), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Vec<User>>, ApiError> {
    Ok(Json(state.ganome.list_users(&actor).await?))
}

/// Creates a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUser,
    responses((status = 201, body = User), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(req): ApiJson<CreateUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.ganome.create_user(&actor, req).await?),
    ))
}
