//! After the panel: explanation, treatments, responses, adverse events, outcomes, and the
//! FHIR export of recommendations.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use ganome_service::{
    ClinicalListQuery, ClinicalRecord, RecordAdverseEvent, RecordExplanation, RecordOutcome,
    RecordResponse, RecordTreatment,
};
use ganome_store::{Explanation, Outcome, Treatment};

use crate::auth::Authenticated;
use crate::{ApiError, ApiJson, AppState};

/// Records that the results were explained to the patient (case → `explained`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/explanations", tag = "follow-up", request_body = RecordExplanation,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 201, body = Explanation), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn explain(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RecordExplanation>,
) -> Result<(StatusCode, Json<Explanation>), ApiError> {
    let e = state.ganome.record_explanation(&actor, &id, req).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// Records a treatment (the first moves the case to `followed_up`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/treatments", tag = "follow-up", request_body = RecordTreatment,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 201, body = Treatment), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn treat(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RecordTreatment>,
) -> Result<(StatusCode, Json<Treatment>), ApiError> {
    let t = state.ganome.record_treatment(&actor, &id, req).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// Records an outcome (the first follow-up moves the case to `followed_up`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/outcomes", tag = "follow-up", request_body = RecordOutcome,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 201, body = Outcome), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn outcome(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RecordOutcome>,
) -> Result<(StatusCode, Json<Outcome>), ApiError> {
    let o = state.ganome.record_outcome(&actor, &id, req).await?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// A case's reviews, explanations, treatments and outcomes.
#[utoipa::path(get, path = "/api/v1/cases/{id}/clinical", tag = "follow-up",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = ClinicalRecord), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn clinical(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ClinicalRecord>, ApiError> {
    Ok(Json(state.ganome.clinical_record(&actor, &id).await?))
}

/// The case's recommendations (Genomics Reporting `medication-recommendation` and
/// `followup-recommendation` Tasks) and treatments as a FHIR R4 Bundle.
#[utoipa::path(get, path = "/api/v1/cases/{id}/fhir/recommendations", tag = "follow-up",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Object, content_type = "application/fhir+json"),
              (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn fhir_recommendations(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<
    (
        [(axum::http::HeaderName, &'static str); 1],
        Json<serde_json::Value>,
    ),
    ApiError,
> {
    let bundle = state.ganome.fhir_recommendations(&actor, &id).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/fhir+json")],
        Json(bundle),
    ))
}

/// Treatments with the recommendation each follows, within the caller's scope.
#[utoipa::path(get, path = "/api/v1/treatments", tag = "follow-up", params(ClinicalListQuery),
    responses((status = 200, body = Vec<Treatment>), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn list_treatments(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<ClinicalListQuery>,
) -> Result<Json<Vec<Treatment>>, ApiError> {
    Ok(Json(state.ganome.list_treatments(&actor, &q).await?))
}

/// Records a treatment's response (RECIST best response, progression date, end date).
#[utoipa::path(post, path = "/api/v1/treatments/{id}/response", tag = "follow-up", request_body = RecordResponse,
    params(("id" = String, Path, description = "Treatment id")),
    responses((status = 200, body = Treatment), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn response(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RecordResponse>,
) -> Result<Json<Treatment>, ApiError> {
    Ok(Json(state.ganome.record_response(&actor, &id, req).await?))
}

/// Records an adverse event (CTCAE term, grade 1–5) of a treatment.
#[utoipa::path(post, path = "/api/v1/treatments/{id}/adverse-events", tag = "follow-up", request_body = RecordAdverseEvent,
    params(("id" = String, Path, description = "Treatment id")),
    responses((status = 201, body = Treatment), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn adverse_event(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RecordAdverseEvent>,
) -> Result<(StatusCode, Json<Treatment>), ApiError> {
    let t = state.ganome.add_adverse_event(&actor, &id, req).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// The case as a GA4GH Phenopacket v2: subject (opaque id, sex, vital status), tumour type
/// (OncoTree), specimen, the latest findings' alterations as genomic interpretations, and
/// treatments with their RECIST best response.
#[utoipa::path(get, path = "/api/v1/cases/{id}/phenopacket", tag = "follow-up",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Object),
              (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn phenopacket(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(state.ganome.case_phenopacket(&actor, &id).await?))
}
