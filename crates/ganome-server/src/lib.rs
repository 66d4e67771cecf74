//! Ganome's HTTP adapter: the JSON API under `/api/v1` (OpenAPI at `/api/v1/openapi.json`),
//! server-rendered pages, and authentication by session cookie or bearer token. Handlers
//! are thin: extract, call one [`ganome_service::Ganome`] function, map the error.
//!
//! ```no_run
//! # async fn demo(ganome: ganome_service::Ganome) -> std::io::Result<()> {
//! let app = ganome_server::router(ganome);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app).await
//! # }
//! ```

mod api;
mod auth;
mod error;
mod json;
mod web;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use ganome_service::Ganome;

pub use api::ApiDoc;
pub use auth::SESSION_COOKIE;
pub use error::ApiError;
pub use json::ApiJson;

/// Shared state of the handlers.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The services.
    pub ganome: Ganome,
    /// Whether session cookies carry the `Secure` flag (set when served over TLS).
    pub secure_cookies: bool,
}

/// The whole application: API, OpenAPI document, health check and web pages.
pub fn router(ganome: Ganome) -> Router {
    router_with(AppState {
        ganome,
        secure_cookies: false,
    })
}

/// The application with explicit state.
pub fn router_with(state: AppState) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(web::routes())
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(256 * 1024 * 1024))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// The OpenAPI document as pretty JSON (what `/api/v1/openapi.json` serves).
pub fn openapi_json() -> String {
    use utoipa::OpenApi;
    ApiDoc::openapi().to_pretty_json().unwrap_or_default()
}
