//! Errors of the knowledge base: every parse error names the file, line and field.

use std::path::PathBuf;

/// Something went wrong reading, building or writing knowledge.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A record had a bad or missing field.
    #[error("{path}:{line}: field {field:?}: {message}")]
    Field {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when not line-oriented).
        line: u64,
        /// The field.
        field: String,
        /// What was wrong.
        message: String,
    },
    /// A file was not valid JSON/TSV/TOML for its format.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// A release already exists under that name (releases are immutable).
    #[error("release {0:?} already exists; releases are immutable")]
    ReleaseExists(String),
    /// A release file's recorded hash does not match its content.
    #[error("{path}: content hash mismatch (recorded {recorded}, computed {computed})")]
    HashMismatch {
        /// The file.
        path: PathBuf,
        /// Hash in the file.
        recorded: String,
        /// Hash computed on load.
        computed: String,
    },
}

impl KbError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// A field error.
    pub fn field(
        path: impl Into<PathBuf>,
        line: u64,
        field: &str,
        message: impl Into<String>,
    ) -> Self {
        Self::Field {
            path: path.into(),
            line,
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// A format error.
    pub fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::Format {
            path: path.into(),
            message: message.into(),
        }
    }
}
