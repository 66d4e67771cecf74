//! The audit trail (auditors and administrators).

use axum::Json;
use axum::extract::{Query, State};
use ganome_store::AuditRecord;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Authenticated;
use crate::{ApiError, AppState};

/// Paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditQuery {
    /// At most this many (default 100).
    limit: Option<i64>,
    /// Rows before this sequence number.
    before: Option<i64>,
}

/// The newest audit rows.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<AuditRecord>), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditRecord>>, ApiError> {
    Ok(Json(
        state
            .ganome
            .list_audit(&actor, q.limit.unwrap_or(100), q.before)
            .await?,
    ))
}
