//! The store's error.

use thiserror::Error;

/// What went wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database refused or failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Applying migrations failed.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A unique or state constraint was violated (e.g. a user name taken, a stale transition).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A row holds a value the code cannot read (e.g. an unknown enum text).
    #[error("corrupt row in {table}: {message}")]
    Corrupt {
        /// Table the row came from.
        table: &'static str,
        /// What could not be read.
        message: String,
    },
    /// The object store failed.
    #[error("file storage error: {0}")]
    Blob(#[from] object_store::Error),
    /// A configuration value is unusable (e.g. an unsupported database URL).
    #[error("configuration error: {0}")]
    Config(String),
    /// The master key that encrypts the database's secrets is missing, unreadable or wrong;
    /// the message says what to do.
    #[error("master key: {0}")]
    MasterKey(String),
}

impl StoreError {
    /// Whether this is a unique-constraint violation reported by the database.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Conflict(_) => true,
            StoreError::Database(sqlx::Error::Database(e)) => e.is_unique_violation(),
            _ => false,
        }
    }
}

/// Reads an enum stored as text, naming the table when the text is unknown.
pub(crate) fn parse_col<T: std::str::FromStr>(
    table: &'static str,
    text: &str,
) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    text.parse::<T>().map_err(|e| StoreError::Corrupt {
        table,
        message: e.to_string(),
    })
}
