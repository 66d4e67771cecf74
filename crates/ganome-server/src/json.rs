//! A JSON body extractor whose errors are 422 with the path of the offending field
//! (`items.registration`, `birth_month`), in the API's error shape.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::ApiError;

/// A JSON request body.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::invalid(
                "body",
                "send the body as JSON with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::invalid("body", e.body_text()))?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de)
            .map(ApiJson)
            .map_err(|e| {
                let path = e.path().to_string();
                let field = if path == "." { "body".to_owned() } else { path };
                ApiError::invalid(&field, e.into_inner().to_string())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request as HttpRequest;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        items: Inner,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        registration: bool,
    }

    #[tokio::test]
    async fn errors_name_the_field_path() {
        let req = HttpRequest::builder()
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                r#"{"items": {"registration": "yes"}}"#,
            ))
            .unwrap();
        let err = ApiJson::<Outer>::from_request(req, &()).await.unwrap_err();
        let ganome_service::ServiceError::Invalid(v) = err.0 else {
            panic!()
        };
        assert_eq!(v.errors[0].field, "items.registration");
    }
}
