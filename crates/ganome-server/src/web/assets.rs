//! The static files the pages use, compiled into the binary so a deployment is one file: the
//! stylesheet (screen and print) and htmx (vendored from the npm package `htmx.org` 2.0.11,
//! BSD Zero-Clause licence, see NOTICE), served from this origin — no CDN.

use axum::http::header;
use axum::response::IntoResponse;

const HTMX: &str = include_str!("../../static/htmx.min.js");
const CSS: &str = include_str!("../../static/app.css");

/// A day: the files change only with a release, and a stale copy is harmless for a day.
const CACHE: &str = "public, max-age=86400";

pub(crate) async fn htmx() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        HTMX,
    )
}

pub(crate) async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        CSS,
    )
}
