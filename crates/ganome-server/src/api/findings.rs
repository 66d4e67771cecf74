//! Findings reports (調査結果): a case's versions, each downloadable in the six formats of
//! `ganome annotate --out`, and the knowledge releases they were built with.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use ganome_service::FindingsFormat;
use ganome_store::{FindingsVersion, KnowledgeReleaseRecord};

use crate::auth::Authenticated;
use crate::{ApiError, AppState};

/// A case's findings versions, oldest first (clinicians of the ordering hospital, its
/// panel, the data center; not the lab).
#[utoipa::path(get, path = "/api/v1/cases/{id}/findings", tag = "findings",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Vec<FindingsVersion>), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<FindingsVersion>>, ApiError> {
    Ok(Json(state.ganome.list_findings(&actor, &id).await?))
}

/// Issues findings for a case now (data-center administrator), from its result files and
/// the current knowledge release. Findings are otherwise issued automatically when results
/// arrive; 409 when they would equal the latest version.
#[utoipa::path(post, path = "/api/v1/cases/{id}/findings", tag = "findings",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 201, body = FindingsVersion), (status = 403, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub(crate) async fn issue(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<FindingsVersion>), ApiError> {
    let v = state.ganome.issue_findings(&actor, &id).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// One findings version (metadata; the report itself is under `/report.json` and the other
/// file names).
#[utoipa::path(get, path = "/api/v1/findings/{id}", tag = "findings",
    params(("id" = String, Path, description = "Findings version id")),
    responses((status = 200, body = FindingsVersion), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn get_one(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<FindingsVersion>, ApiError> {
    Ok(Json(state.ganome.get_findings(&actor, &id).await?.version))
}

/// A findings version as one of `report.json`, `report.ja.html`, `report.en.html`,
/// `report.fhir.json` (HL7 Genomics Reporting bundle), `report.tsv`, `report.xlsx`. The
/// bytes are the same as `ganome annotate --out` writes for the same inputs.
#[utoipa::path(get, path = "/api/v1/findings/{id}/{file}", tag = "findings",
    params(("id" = String, Path, description = "Findings version id"),
           ("file" = String, Path, description = "report.json | report.ja.html | report.en.html | report.fhir.json | report.tsv | report.xlsx")),
    responses((status = 200, description = "The report in the format named"),
              (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn download(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let format = FindingsFormat::from_file_name(&file).ok_or_else(|| {
        ApiError(ganome_service::ServiceError::NotFound(format!(
            "{file}: not a report file (report.json, report.ja.html, report.en.html, report.fhir.json, report.tsv, report.xlsx)"
        )))
    })?;
    let (version, bytes) = state.ganome.render_findings(&actor, &id, format).await?;
    let disposition = match format {
        FindingsFormat::Html(_) => "inline".to_owned(),
        _ => format!(
            "attachment; filename=\"{}-v{}.{}\"",
            version.report_id,
            version.version,
            file.trim_start_matches("report.")
        ),
    };
    Response::builder()
        .header(header::CONTENT_TYPE, format.media_type())
        .header(header::CONTENT_DISPOSITION, disposition)
        .header("x-report-id", version.report_id.as_str())
        .body(Body::from(bytes))
        .map_err(|e| ApiError::invalid("file", e.to_string()))
}

/// Knowledge releases registered with this instance, oldest first; `is_current` marks the
/// one findings are issued with.
#[utoipa::path(get, path = "/api/v1/knowledge/releases", tag = "findings",
    responses((status = 200, body = Vec<KnowledgeReleaseRecord>), (status = 401, body = crate::error::ErrorBody)))]
pub(crate) async fn releases(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Vec<KnowledgeReleaseRecord>>, ApiError> {
    Ok(Json(state.ganome.list_knowledge_releases(&actor).await?))
}
