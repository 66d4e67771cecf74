//! Secondary use (利活用): applications, the review board's decisions, de-identified
//! releases, suppressed counts and downloads. Researchers see their own applications and
//! use their own approved releases; reviewers of the data center see and decide all; every
//! other role gets 403 (`docs/research.md`).

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use ganome_service::research::duo::DuoTerm;
use ganome_service::{
    ApplicationDetail, DecideApplication, DownloadQuery, ReleaseCounts, ReleaseQuery,
    SubmitApplication,
};
use ganome_store::{ResearchApplication, ResearchRelease};

use crate::auth::Authenticated;
use crate::{ApiError, ApiJson, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/research/duo-terms", get(duo_terms))
        .route("/api/v1/research/applications", get(list).post(submit))
        .route("/api/v1/research/applications/{id}", get(get_one))
        .route("/api/v1/research/applications/{id}/decision", post(decide))
        .route("/api/v1/research/applications/{id}/releases", post(build))
        .route("/api/v1/research/releases/{id}/counts", get(counts))
        .route("/api/v1/research/releases/{id}/download", get(download))
}

/// The GA4GH DUO data-use terms an application may name, with Japanese labels.
#[utoipa::path(get, path = "/api/v1/research/duo-terms", tag = "research",
    responses((status = 200, body = Vec<DuoTerm>)))]
pub(crate) async fn duo_terms(Authenticated(_actor): Authenticated) -> Json<Vec<DuoTerm>> {
    Json(ganome_service::research::duo::terms().to_vec())
}

/// Applications: a researcher's own, or all for the review board; other roles get 403.
#[utoipa::path(get, path = "/api/v1/research/applications", tag = "research",
    responses((status = 200, body = Vec<ResearchApplication>), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Vec<ResearchApplication>>, ApiError> {
    Ok(Json(state.ganome.list_research_applications(&actor).await?))
}

/// Submits an application (a researcher of a research organisation; the organisation's
/// kind gives the sector).
#[utoipa::path(post, path = "/api/v1/research/applications", tag = "research",
    request_body = SubmitApplication,
    responses((status = 201, body = ResearchApplication), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn submit(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(req): ApiJson<SubmitApplication>,
) -> Result<(StatusCode, Json<ResearchApplication>), ApiError> {
    let application = state
        .ganome
        .submit_research_application(&actor, req)
        .await?;
    Ok((StatusCode::CREATED, Json(application)))
}

/// One application with its state changes and releases.
#[utoipa::path(get, path = "/api/v1/research/applications/{id}", tag = "research",
    params(("id" = String, Path, description = "Application id")),
    responses((status = 200, body = ApplicationDetail), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn get_one(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ApplicationDetail>, ApiError> {
    Ok(Json(
        state.ganome.get_research_application(&actor, &id).await?,
    ))
}

/// The review board approves (with conditions) or rejects a submitted application; an
/// approval builds the first release. 409 when already decided.
#[utoipa::path(post, path = "/api/v1/research/applications/{id}/decision", tag = "research",
    params(("id" = String, Path, description = "Application id")), request_body = DecideApplication,
    responses((status = 200, body = ApplicationDetail), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn decide(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<DecideApplication>,
) -> Result<Json<ApplicationDetail>, ApiError> {
    Ok(Json(
        state
            .ganome
            .decide_research_application(&actor, &id, req)
            .await?,
    ))
}

/// Builds a new release of an approved application (the review board or the data center's
/// administrators), with consent and the embargo judged now.
#[utoipa::path(post, path = "/api/v1/research/applications/{id}/releases", tag = "research",
    params(("id" = String, Path, description = "Application id")),
    responses((status = 201, body = ResearchRelease), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub(crate) async fn build(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<ResearchRelease>), ApiError> {
    let release = state.ganome.build_research_release(&actor, &id).await?;
    Ok((StatusCode::CREATED, Json(release)))
}

/// Case counts over a release by gene, alteration or OncoTree code; counts 1–9 read `<10`
/// and a lone suppressed cell takes the next smallest with it (the applicant only).
#[utoipa::path(get, path = "/api/v1/research/releases/{id}/counts", tag = "research",
    params(("id" = String, Path, description = "Release id"), ReleaseQuery),
    responses((status = 200, body = ReleaseCounts), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn counts(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Query(q): Query<ReleaseQuery>,
) -> Result<Json<ReleaseCounts>, ApiError> {
    Ok(Json(
        state.ganome.query_research_release(&actor, &id, &q).await?,
    ))
}

/// Downloads a release as NDJSON (default) or CSV, without patients whose consent no longer
/// allows the use (the applicant only; audited).
#[utoipa::path(get, path = "/api/v1/research/releases/{id}/download", tag = "research",
    params(("id" = String, Path, description = "Release id"), DownloadQuery),
    responses((status = 200, description = "The release file", content_type = "application/x-ndjson"),
              (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn download(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    Query(q): Query<DownloadQuery>,
) -> Result<Response, ApiError> {
    let f = state
        .ganome
        .download_research_release(&actor, &id, q.format.unwrap_or_default())
        .await?;
    Response::builder()
        .header(header::CONTENT_TYPE, f.media_type)
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", f.filename),
        )
        .body(Body::from(f.content))
        .map_err(|e| ApiError::invalid("file", e.to_string()))
}
