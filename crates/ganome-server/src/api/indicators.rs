//! National indicators as JSON and CSV (administrators and auditors).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use ganome_service::indicators::{IndicatorQuery, Indicators, to_csv};

use crate::auth::Authenticated;
use crate::{ApiError, AppState};

/// The national indicators for a period: tests per month by tier, facilities testing,
/// consent, treatment on a panel recommendation, expert panels, turnaround, germline
/// follow-up. Computed from the records at each request.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators", params(IndicatorQuery),
    responses((status = 200, body = Indicators), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn json(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<IndicatorQuery>,
) -> Result<Json<Indicators>, ApiError> {
    Ok(Json(state.ganome.indicators(&actor, &q).await?))
}

/// The same indicators as CSV (`indicator,tier,month,value`, one row per value).
#[utoipa::path(get, path = "/api/v1/indicators.csv", tag = "indicators", params(IndicatorQuery),
    responses((status = 200, content_type = "text/csv", body = String),
        (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub(crate) async fn csv(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(q): Query<IndicatorQuery>,
) -> Result<Response, ApiError> {
    let ind = state.ganome.indicators(&actor, &q).await?;
    let name = format!(
        "attachment; filename=\"indicators-{}-{}.csv\"",
        ind.from, ind.to
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        to_csv(&ind),
    )
        .into_response())
}
