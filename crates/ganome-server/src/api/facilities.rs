//! Facilities of the national network.

use axum::Json;
use axum::extract::{Path, State};
use ganome_service::UpsertFacility;
use ganome_store::Facility;

use crate::auth::Authenticated;
use crate::{ApiError, ApiJson, AppState};

/// Every facility with kind, prefecture, designations and links.
#[utoipa::path(get, path = "/api/v1/facilities", tag = "facilities",
    responses((status = 200, body = Vec<Facility>), (status = 401, body = crate::error::ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Vec<Facility>>, ApiError> {
    Ok(Json(state.ganome.list_facilities(&actor).await?))
}

/// One facility.
#[utoipa::path(get, path = "/api/v1/facilities/{id}", tag = "facilities",
    params(("id" = String, Path, description = "Facility code")),
    responses((status = 200, body = Facility), (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn get_one(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Facility>, ApiError> {
    Ok(Json(state.ganome.get_facility(&actor, &id).await?))
}

/// Creates or updates a facility (administrators).
#[utoipa::path(post, path = "/api/v1/facilities", tag = "facilities", request_body = UpsertFacility,
    responses((status = 200, body = Facility), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn upsert(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(req): ApiJson<UpsertFacility>,
) -> Result<Json<Facility>, ApiError> {
    Ok(Json(state.ganome.upsert_facility(&actor, req).await?))
}
