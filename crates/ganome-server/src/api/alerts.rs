//! Re-interpretation alerts (再解析アラート): a case's new findings version lists a treatment
//! option at an actionable level that the previous version did not, or at a weaker level.

use axum::Json;
use axum::extract::{Path, Query, State};
use ganome_service::AlertListQuery;
use ganome_store::ReinterpretationAlert;

use crate::auth::Authenticated;
use crate::{ApiError, AppState};

/// Alerts within the caller's scope, newest first: clinicians see their hospital's cases,
/// panel members and chairs the cases referred to their panel, the data center's
/// administrators all; other roles get 403. `unacknowledged=true` keeps the open ones.
#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts", params(AlertListQuery),
    responses((status = 200, body = Vec<ReinterpretationAlert>), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<AlertListQuery>,
) -> Result<Json<Vec<ReinterpretationAlert>>, ApiError> {
    Ok(Json(state.ganome.list_alerts(&actor, &q).await?))
}

/// One alert.
#[utoipa::path(get, path = "/api/v1/alerts/{id}", tag = "alerts",
    params(("id" = String, Path, description = "Alert id")),
    responses((status = 200, body = ReinterpretationAlert), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn get_one(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ReinterpretationAlert>, ApiError> {
    Ok(Json(state.ganome.get_alert(&actor, &id).await?))
}

/// Acknowledges an alert for everyone (a clinician of the ordering hospital or a member or
/// chair of the case's panel); 409 when it already is.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/acknowledge", tag = "alerts",
    params(("id" = String, Path, description = "Alert id")),
    responses((status = 200, body = ReinterpretationAlert), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub(crate) async fn acknowledge(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ReinterpretationAlert>, ApiError> {
    Ok(Json(state.ganome.acknowledge_alert(&actor, &id).await?))
}
