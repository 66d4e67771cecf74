//! The service handle: store, file storage and configuration.

use std::path::Path;
use std::sync::{Arc, RwLock};

use ganome_store::{AuditEntry, BlobStore, KeySource, SqlStore, Store};

use crate::{Actor, AnnotationEngine, ServiceError};

/// Settings of a running Ganome.
#[derive(Debug, Clone)]
pub struct GanomeConfig {
    /// Largest result file accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Days after registration before a case may enter a research release, unless the
    /// review board sets another embargo on an application (`docs/research.md`).
    pub research_embargo_days: i64,
}

impl Default for GanomeConfig {
    fn default() -> Self {
        GanomeConfig {
            max_upload_bytes: 256 * 1024 * 1024,
            research_embargo_days: crate::research::DEFAULT_EMBARGO_DAYS,
        }
    }
}

/// Ganome's services over one store and one file storage.
#[derive(Clone)]
pub struct Ganome {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) blobs: BlobStore,
    pub(crate) config: GanomeConfig,
    /// The findings engine, when this instance issues findings (swapped on a new release).
    pub(crate) annotation: Arc<RwLock<Option<Arc<AnnotationEngine>>>>,
    /// The indicator facts held in memory, kept current from the store's change feed.
    pub(crate) indicator_facts: Arc<tokio::sync::RwLock<crate::indicators::FactsReplica>>,
}

impl std::fmt::Debug for Ganome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ganome")
            .field("blobs", &self.blobs)
            .finish_non_exhaustive()
    }
}

impl Ganome {
    /// Services over a store and file storage.
    pub fn new(store: Arc<dyn Store>, blobs: BlobStore, config: GanomeConfig) -> Ganome {
        Ganome {
            store,
            blobs,
            config,
            annotation: Arc::new(RwLock::new(None)),
            indicator_facts: Arc::default(),
        }
    }

    /// The embedded default: SQLite at `DIR/ganome.db`, files under `DIR/files`, secrets
    /// encrypted under `GANOME_MASTER_KEY` or else the key file `DIR/master.key` (created on
    /// first use); migrated.
    pub async fn open_embedded(data_dir: &Path) -> Result<Ganome, ServiceError> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            ServiceError::Store(ganome_store::StoreError::Config(format!(
                "cannot create data folder {}: {e}",
                data_dir.display()
            )))
        })?;
        let url = format!("sqlite://{}?mode=rwc", data_dir.join("ganome.db").display());
        let blobs = BlobStore::local(&data_dir.join("files"))?;
        let key = KeySource::from_env(Some(data_dir.join(ganome_store::secrets::MASTER_KEY_FILE)))?;
        Ganome::open(&url, blobs, key).await
    }

    /// Connects to a database URL, migrates, unlocks the secrets with the master key from
    /// `key` (encrypting any still in clear), and uses `blobs` for files.
    pub async fn open(
        database_url: &str,
        blobs: BlobStore,
        key: KeySource,
    ) -> Result<Ganome, ServiceError> {
        let store = SqlStore::connect(database_url).await?;
        store.migrate().await?;
        store.unlock(key).await?;
        Ok(Ganome::new(Arc::new(store), blobs, GanomeConfig::default()))
    }

    /// The store (for tools such as `ganome audit verify`).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Writes an audit row for `result` and passes it through. If the audit row cannot be
    /// written the call fails: no patient data moves without a trace.
    pub(crate) async fn audited<T>(
        &self,
        mut entry: AuditEntry,
        result: Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        if let Err(e) = &result {
            entry.outcome = e.audit_outcome().to_owned();
            if let ServiceError::Forbidden(why) | ServiceError::NotFound(why) = e {
                entry.detail = Some(why.clone());
            }
        }
        self.store.append_audit(&entry).await?;
        result
    }

    /// Audits an action by `actor` on an entity.
    pub(crate) async fn audit_result<T>(
        &self,
        actor: &Actor,
        action: &str,
        entity_type: &str,
        entity_id: Option<&str>,
        result: Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        self.audited(actor.audit(action, entity_type, entity_id), result)
            .await
    }
}
