//! Configuration: command-line flags over environment variables over a TOML file over
//! defaults. The embedded default needs none of it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use ganome_service::Ganome;
use ganome_store::{BlobStore, KeySource, secrets::MASTER_KEY_FILE};
use serde::Deserialize;

/// Options shared by commands that open the data store.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Data folder of the embedded default (SQLite database, result files, demo credentials).
    #[arg(long, default_value = "ganome-data", env = "GANOME_DATA_DIR")]
    pub data_dir: PathBuf,
    /// TOML configuration file (keys: database_url, object_store_url, port).
    #[arg(long, env = "GANOME_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL, e.g. postgres://user@host/db (default: SQLite in the data folder).
    #[arg(long, env = "GANOME_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Object store URL for result files, e.g. s3://bucket/prefix (credentials from AWS_*
    /// variables; default: DATA_DIR/files).
    #[arg(long, env = "GANOME_OBJECT_STORE_URL")]
    pub object_store_url: Option<String>,
}

/// What a configuration file may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Database URL.
    pub database_url: Option<String>,
    /// Object store URL.
    pub object_store_url: Option<String>,
    /// Port to serve on.
    pub port: Option<u16>,
}

impl StoreArgs {
    /// Reads the configuration file, if one is named.
    pub fn file_config(&self) -> anyhow::Result<FileConfig> {
        match &self.config {
            None => Ok(FileConfig::default()),
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("cannot read configuration file {}", path.display())
                })?;
                toml::from_str(&text)
                    .with_context(|| format!("configuration file {} is not valid", path.display()))
            }
        }
    }

    /// The database URL: flag or environment, else the file's, else SQLite in the data folder.
    pub fn database_url(&self) -> anyhow::Result<String> {
        let file = self.file_config()?;
        Ok(self
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| sqlite_url(&self.data_dir)))
    }

    /// Where the master key comes from: `GANOME_MASTER_KEY` when set, else (embedded SQLite
    /// only) the key file `DATA_DIR/master.key`, created on first run. PostgreSQL needs the
    /// variable: every server of one database must share the key.
    pub fn key_source(&self, database_url: &str) -> anyhow::Result<KeySource> {
        let file = database_url
            .starts_with("sqlite:")
            .then(|| self.data_dir.join(MASTER_KEY_FILE));
        Ok(KeySource::from_env(file)?)
    }

    /// Opens the services as configured, migrating the database and unlocking its secrets.
    pub async fn open(&self) -> anyhow::Result<Ganome> {
        let file = self.file_config()?;
        let object_store_url = self.object_store_url.clone().or(file.object_store_url);
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("cannot create data folder {}", self.data_dir.display()))?;
        let blobs = match object_store_url {
            Some(url) => BlobStore::from_url(&url)
                .with_context(|| format!("cannot open object store {url}"))?,
            None => BlobStore::local(&self.data_dir.join("files"))?,
        };
        let url = self.database_url()?;
        let key = self.key_source(&url)?;
        match Ganome::open(&url, blobs, key).await {
            Ok(g) => Ok(g),
            // The message says what to do; the URL adds nothing.
            Err(ganome_service::ServiceError::Store(
                e @ ganome_store::StoreError::MasterKey(_),
            )) => Err(e.into()),
            Err(e) => Err(anyhow::Error::new(e).context(format!(
                "cannot open the database ({}); check GANOME_DATABASE_URL or --data-dir",
                redact(&url)
            ))),
        }
    }
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("ganome.db").display())
}

/// Hides a password in a database URL for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }
}
