//! HTTP tests of the API (authentication, the registration-to-results story over HTTP, the
//! OpenAPI snapshot) and of the web pages: over plain HTTP (`web`) and in a real headless
//! chromium (`browser`).

mod api_alerts;
mod api_audit;
mod api_beacon;
mod api_clinical;
mod api_indicators;
mod api_research;
mod api_second_factor;
mod api_story;
mod browser;
mod openapi;
mod web;
