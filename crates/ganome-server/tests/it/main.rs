//! HTTP tests of the API: authentication, the registration-to-results story over HTTP, and
//! the OpenAPI snapshot.

mod api_clinical;
mod api_indicators;
mod api_story;
mod openapi;
