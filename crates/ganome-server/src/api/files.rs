//! Result files.

use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use ganome_service::{IncomingFile, ResultsUpload};
use ganome_store::ResultFile;

use crate::auth::Authenticated;
use crate::{ApiError, AppState};

/// Uploads a result file (multipart form, part `file`) as the lab the case was ordered
/// from. The response echoes its SHA-256.
#[utoipa::path(post, path = "/api/v1/cases/{id}/files", tag = "files",
    params(("id" = String, Path, description = "Case id")),
    request_body(content_type = "multipart/form-data", description = "Part `file`: the result file"),
    responses((status = 201, body = ResultFile), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn upload(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<ResultFile>), ApiError> {
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::invalid("file", format!("unreadable multipart body: {e}")))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or("").to_owned();
        let media_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let content = field
            .bytes()
            .await
            .map_err(|e| ApiError::invalid("file", format!("upload interrupted: {e}")))?;
        let file = state
            .ganome
            .upload_result_file(&actor, &id, &filename, &media_type, content)
            .await?;
        return Ok((StatusCode::CREATED, Json(file)));
    }
    Err(ApiError::invalid(
        "file",
        "send the result file as a multipart part named 'file'",
    ))
}

/// Uploads a laboratory's result files for a case in one request (multipart, one part
/// named `file` per file), all or none: every file is checked — VCF, copy-number, fusion and
/// biomarker files are parsed — before anything is stored, and one findings version is issued
/// from all of them. 422 names the file (`files[i].content`) and its line and field.
#[utoipa::path(post, path = "/api/v1/cases/{id}/results", tag = "files",
    params(("id" = String, Path, description = "Case id")),
    request_body(content_type = "multipart/form-data", description = "One part `file` per result file"),
    responses((status = 201, body = ResultsUpload), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn upload_many(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<ResultsUpload>), ApiError> {
    let mut files = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::invalid("files", format!("unreadable multipart body: {e}")))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or("").to_owned();
        let media_type = field.content_type().unwrap_or("").to_owned();
        let content = field
            .bytes()
            .await
            .map_err(|e| ApiError::invalid("files", format!("upload interrupted: {e}")))?;
        files.push(IncomingFile {
            filename,
            media_type,
            content,
        });
    }
    let up = state.ganome.upload_results(&actor, &id, files).await?;
    Ok((StatusCode::CREATED, Json(up)))
}

/// A case's result files.
#[utoipa::path(get, path = "/api/v1/cases/{id}/files", tag = "files",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = Vec<ResultFile>), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<ResultFile>>, ApiError> {
    Ok(Json(state.ganome.list_result_files(&actor, &id).await?))
}

/// Downloads a result file as received; `X-Content-SHA256` carries its hash.
#[utoipa::path(get, path = "/api/v1/files/{id}", tag = "files",
    params(("id" = String, Path, description = "Result file id")),
    responses((status = 200, description = "The file as received", content_type = "application/octet-stream"),
              (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn download(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let f = state.ganome.download_result_file(&actor, &id).await?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        f.file.filename.replace('"', "")
    );
    Response::builder()
        .header(header::CONTENT_TYPE, f.file.media_type.as_str())
        .header(header::CONTENT_DISPOSITION, disposition)
        .header("x-content-sha256", f.file.sha256.as_str())
        .body(Body::from(f.content))
        .map_err(|e| ApiError::invalid("file", e.to_string()))
}
