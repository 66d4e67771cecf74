//! Fresh stores for tests: a temporary SQLite file always, and a fresh PostgreSQL database
//! when `GANOME_TEST_POSTGRES_URL` is set, so one story test runs on every backend.

use sqlx::Executor;

use crate::{KeySource, MasterKey, SqlStore, Store, StoreError};

/// A store that lives as long as this value (its SQLite folder is removed on drop).
pub struct TestStore {
    /// Backend name, for test messages.
    pub name: &'static str,
    /// The migrated, empty store.
    pub store: SqlStore,
    /// The database URL (for tools that open their own connection).
    pub url: String,
    /// The master key the store's secrets are encrypted with (random per test store).
    pub key: MasterKey,
    _dir: Option<tempfile::TempDir>,
}

/// An empty, migrated SQLite store in a temporary folder.
pub async fn sqlite() -> Result<TestStore, StoreError> {
    let dir = tempfile::tempdir().map_err(|e| StoreError::Config(e.to_string()))?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("ganome.db").display()
    );
    let store = SqlStore::connect(&url).await?;
    store.migrate().await?;
    let key = MasterKey::generate();
    store.unlock(test_key(&key)).await?;
    Ok(TestStore {
        name: "sqlite",
        store,
        url,
        key,
        _dir: Some(dir),
    })
}

/// An empty, migrated PostgreSQL database created on the server at `base_url`.
pub async fn postgres(base_url: &str) -> Result<TestStore, StoreError> {
    use rand::Rng;
    let admin = SqlStore::connect(base_url).await?;
    let name = format!("ganome_test_{:016x}", rand::thread_rng().r#gen::<u64>());
    admin
        .pool()
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await?;
    admin.pool().close().await;
    let mut url = url::Url::parse(base_url).map_err(|e| StoreError::Config(e.to_string()))?;
    url.set_path(&format!("/{name}"));
    let store = SqlStore::connect(url.as_str()).await?;
    store.migrate().await?;
    let key = MasterKey::generate();
    store.unlock(test_key(&key)).await?;
    Ok(TestStore {
        name: "postgres",
        store,
        url: url.to_string(),
        key,
        _dir: None,
    })
}

/// `key` as a [`KeySource`] for [`SqlStore::unlock`].
pub fn test_key(key: &MasterKey) -> KeySource {
    KeySource::Given {
        key: key.clone(),
        origin: "the test key".to_owned(),
    }
}

/// SQLite, plus PostgreSQL when `GANOME_TEST_POSTGRES_URL` is set.
pub async fn all_backends() -> Vec<TestStore> {
    let mut stores = vec![sqlite().await.expect("temporary SQLite store")];
    if let Ok(url) = std::env::var("GANOME_TEST_POSTGRES_URL") {
        stores.push(postgres(&url).await.unwrap_or_else(|e| {
            panic!("GANOME_TEST_POSTGRES_URL is set but unusable ({url}): {e}")
        }));
    }
    stores
}
