//! GA4GH Beacon v2 discovery under `/api/beacon/v2/` (`docs/beacon.md`): whether patients
//! with secondary-use consent have a case whose latest findings report a variant; counts
//! (10 or more) for researchers and reviewers only. Labs, curators, administrators and
//! auditors get 403.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use ganome_service::beacon::{BeaconRequestBody, BeaconResponse, VariantQueryParams};
use serde_json::Value;

use crate::auth::Authenticated;
use crate::{ApiError, ApiJson, AppState};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/beacon/v2", get(info))
        .route("/api/beacon/v2/", get(info))
        .route("/api/beacon/v2/info", get(info))
        .route("/api/beacon/v2/service-info", get(service_info))
        .route("/api/beacon/v2/configuration", get(configuration))
        .route("/api/beacon/v2/map", get(map))
        .route("/api/beacon/v2/entry_types", get(entry_types))
        .route(
            "/api/beacon/v2/g_variants",
            get(g_variants_get).post(g_variants_post),
        )
}

/// Beacon information (Beacon v2 info response).
#[utoipa::path(get, path = "/api/beacon/v2/", tag = "beacon",
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn info(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(state.ganome.beacon_info(&actor).await?))
}

/// GA4GH service-info.
#[utoipa::path(get, path = "/api/beacon/v2/service-info", tag = "beacon",
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn service_info(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(state.ganome.beacon_service_info(&actor).await?))
}

/// Beacon configuration (entry types, default granularity, security level).
#[utoipa::path(get, path = "/api/beacon/v2/configuration", tag = "beacon",
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn configuration(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(state.ganome.beacon_configuration(&actor).await?))
}

/// Beacon map (the endpoint sets: `g_variants` only).
#[utoipa::path(get, path = "/api/beacon/v2/map", tag = "beacon",
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn map(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(state.ganome.beacon_map(&actor).await?))
}

/// Beacon entry types (`genomicVariant` only).
#[utoipa::path(get, path = "/api/beacon/v2/entry_types", tag = "beacon",
    responses((status = 200, body = Object), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn entry_types(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(state.ganome.beacon_entry_types(&actor).await?))
}

/// Variant query: a sequence query (`assemblyId=GRCh38`, `referenceName`, 0-based `start`,
/// `referenceBases`, `alternateBases`) or a gene query (`geneId`, `aminoacidChange`), with
/// `filters=oncotree:CODE`. Boolean answer; a count of 10 or more for researchers and
/// reviewers. Audited as `beacon.query`.
#[utoipa::path(get, path = "/api/beacon/v2/g_variants", tag = "beacon", params(VariantQueryParams),
    responses((status = 200, body = BeaconResponse), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn g_variants_get(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<VariantQueryParams>,
) -> Result<Json<BeaconResponse>, ApiError> {
    Ok(Json(
        state.ganome.beacon_g_variants(&actor, &q.into()).await?,
    ))
}

/// The same query as a Beacon v2 request body (`query.requestParameters`, `query.filters`
/// as `[{"id": "oncotree:LUAD"}]`, `query.requestedGranularity`).
#[utoipa::path(post, path = "/api/beacon/v2/g_variants", tag = "beacon", request_body = BeaconRequestBody,
    responses((status = 200, body = BeaconResponse), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn g_variants_post(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(body): ApiJson<BeaconRequestBody>,
) -> Result<Json<BeaconResponse>, ApiError> {
    Ok(Json(
        state.ganome.beacon_g_variants(&actor, &body.into()).await?,
    ))
}
