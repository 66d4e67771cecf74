//! Background work (the data center's staff): the re-interpretation queue.

use axum::Json;
use axum::extract::State;
use ganome_service::jobs::ReinterpretationQueue;

use crate::auth::Authenticated;
use crate::{ApiError, AppState};

/// Re-interpretation jobs by state (queued, running, done, failed) and the latest failures
/// with their errors, after a knowledge release was published.
#[utoipa::path(get, path = "/api/v1/jobs/reinterpretation", tag = "findings",
    responses((status = 200, body = ReinterpretationQueue), (status = 403, body = crate::error::ErrorBody)))]
pub(crate) async fn reinterpretation(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<ReinterpretationQueue>, ApiError> {
    Ok(Json(state.ganome.reinterpretation_queue(&actor).await?))
}
