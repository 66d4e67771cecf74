//! Validation errors that name the field that was wrong, by its path in the request.

use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `specimen.tumor_content_pct`.
    pub field: String,
    /// What is wrong and what is expected.
    pub message: String,
}

/// The invalid fields of one request; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ValidationErrors {
    /// Every invalid field found.
    pub errors: Vec<FieldError>,
}

impl ValidationErrors {
    /// No errors yet.
    pub fn new() -> ValidationErrors {
        ValidationErrors::default()
    }

    /// One error.
    pub fn single(field: impl Into<String>, message: impl Into<String>) -> ValidationErrors {
        let mut e = ValidationErrors::new();
        e.add(field, message);
        e
    }

    /// Records an invalid field.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// Records an error unless `ok` holds.
    pub fn check(&mut self, ok: bool, field: &str, message: impl Into<String>) {
        if !ok {
            self.add(field, message);
        }
    }

    /// Parses `value` into `T`, recording the error under `field`.
    pub fn parse<T: std::str::FromStr>(&mut self, field: &str, value: &str) -> Option<T>
    where
        T::Err: std::fmt::Display,
    {
        match value.parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    /// Whether any error was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when empty, else the errors.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for ValidationErrors {}
