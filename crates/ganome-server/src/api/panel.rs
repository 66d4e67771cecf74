//! Expert panel: meetings, case reviews, sign-off.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use ganome_service::{ClinicalListQuery, CreateMeeting, MeetingDetail, RecordReview};
use ganome_store::{CaseReview, PanelMeeting};

use crate::auth::Authenticated;
use crate::{ApiError, ApiJson, AppState};

/// Records a meeting of the caller's expert panel (date, mode, attendees with roles).
#[utoipa::path(post, path = "/api/v1/panel/meetings", tag = "panel", request_body = CreateMeeting,
    responses((status = 201, body = PanelMeeting), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn create_meeting(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(req): ApiJson<CreateMeeting>,
) -> Result<(StatusCode, Json<PanelMeeting>), ApiError> {
    let m = state.ganome.create_meeting(&actor, req).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// Meetings by date (the caller's panel; all for the data center).
#[utoipa::path(get, path = "/api/v1/panel/meetings", tag = "panel", params(ClinicalListQuery),
    responses((status = 200, body = Vec<PanelMeeting>), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn list_meetings(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<ClinicalListQuery>,
) -> Result<Json<Vec<PanelMeeting>>, ApiError> {
    Ok(Json(state.ganome.list_meetings(&actor, &q).await?))
}

/// A meeting with its agenda.
#[utoipa::path(get, path = "/api/v1/panel/meetings/{id}", tag = "panel",
    params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingDetail), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn get_meeting(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<MeetingDetail>, ApiError> {
    Ok(Json(state.ganome.get_meeting(&actor, &id).await?))
}

/// Checks the meeting's composition and finalises it; 422 names every missing role.
#[utoipa::path(post, path = "/api/v1/panel/meetings/{id}/finalise", tag = "panel",
    params(("id" = String, Path, description = "Meeting id")),
    responses((status = 200, body = PanelMeeting), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn finalise_meeting(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<PanelMeeting>, ApiError> {
    Ok(Json(state.ganome.finalise_meeting(&actor, &id).await?))
}

/// Puts a case referred to this panel on the meeting's agenda with its review.
#[utoipa::path(post, path = "/api/v1/panel/meetings/{id}/reviews", tag = "panel", request_body = RecordReview,
    params(("id" = String, Path, description = "Meeting id")),
    responses((status = 201, body = CaseReview), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn add_review(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RecordReview>,
) -> Result<(StatusCode, Json<CaseReview>), ApiError> {
    let r = state.ganome.add_review(&actor, &id, req).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Reviews with their recommendations, within the caller's scope.
#[utoipa::path(get, path = "/api/v1/panel/reviews", tag = "panel", params(ClinicalListQuery),
    responses((status = 200, body = Vec<CaseReview>), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn list_reviews(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<ClinicalListQuery>,
) -> Result<Json<Vec<CaseReview>>, ApiError> {
    Ok(Json(state.ganome.list_reviews(&actor, &q).await?))
}

/// A review with its recommendations and sign-offs.
#[utoipa::path(get, path = "/api/v1/panel/reviews/{id}", tag = "panel",
    params(("id" = String, Path, description = "Review id")),
    responses((status = 200, body = CaseReview), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn get_review(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<CaseReview>, ApiError> {
    Ok(Json(state.ganome.get_review(&actor, &id).await?))
}

/// Signs off a review (the chair for live/video meetings; each attending member for 持ち回り).
/// The completing sign-off moves the case to `panel_reviewed`.
#[utoipa::path(post, path = "/api/v1/panel/reviews/{id}/sign-off", tag = "panel",
    params(("id" = String, Path, description = "Review id")),
    responses((status = 200, body = CaseReview), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody)))]
pub(crate) async fn sign_off(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<CaseReview>, ApiError> {
    Ok(Json(state.ganome.sign_off_review(&actor, &id).await?))
}
