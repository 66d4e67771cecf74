//! The audit trail (auditors and administrators).

use axum::Json;
use axum::extract::{Query, State};
use ganome_service::AuditSearch;
use ganome_store::{AuditRecord, ChainReport};

use crate::auth::Authenticated;
use crate::{ApiError, AppState};

/// Audit rows, newest first: by user, action prefix, entity, outcome and JST days; page
/// with `before` (the last row's `seq`).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditSearch),
    responses((status = 200, body = Vec<AuditRecord>), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<AuditSearch>,
) -> Result<Json<Vec<AuditRecord>>, ApiError> {
    Ok(Json(state.ganome.search_audit(&actor, &q).await?))
}

/// Checks the whole hash chain and names the first broken row.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = ChainReport), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn verify(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<ChainReport>, ApiError> {
    Ok(Json(state.ganome.verify_audit_as(&actor).await?))
}
