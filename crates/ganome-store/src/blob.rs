//! Result files stored as received, through `object_store`: a local folder by default,
//! S3-compatible storage when configured with an `s3://bucket/prefix` URL.

use std::sync::Arc;

use bytes::Bytes;
use object_store::{ObjectStore, PutPayload, local::LocalFileSystem, path::Path};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// Where result files live.
#[derive(Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
    prefix: Path,
    description: String,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobStore")
            .field("at", &self.description)
            .finish()
    }
}

/// What was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    /// Key within the store.
    pub key: String,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

impl BlobStore {
    /// A local folder (created if missing).
    pub fn local(dir: &std::path::Path) -> Result<BlobStore, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Config(format!("cannot create file folder {}: {e}", dir.display()))
        })?;
        let fs = LocalFileSystem::new_with_prefix(dir)?;
        Ok(BlobStore {
            inner: Arc::new(fs),
            prefix: Path::default(),
            description: dir.display().to_string(),
        })
    }

    /// A store named by URL: `file:///abs/dir`, `s3://bucket/prefix` (credentials and
    /// endpoint from the usual `AWS_*` environment variables), or `memory://` for tests.
    pub fn from_url(url: &str) -> Result<BlobStore, StoreError> {
        let parsed = url::Url::parse(url)
            .map_err(|e| StoreError::Config(format!("object store URL '{url}': {e}")))?;
        if parsed.scheme() == "file" {
            let path = parsed
                .to_file_path()
                .map_err(|_| StoreError::Config(format!("'{url}' is not a local path")))?;
            return BlobStore::local(&path);
        }
        let env: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with("AWS_"))
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        let (store, prefix) = object_store::parse_url_opts(&parsed, env)?;
        Ok(BlobStore {
            inner: Arc::from(store),
            prefix,
            description: url.to_owned(),
        })
    }

    fn path(&self, key: &str) -> Path {
        let mut p = self.prefix.clone();
        for part in key.split('/') {
            p = p.child(part);
        }
        p
    }

    /// Stores `content` under `key` and returns its hash and size.
    pub async fn put(&self, key: &str, content: Bytes) -> Result<StoredBlob, StoreError> {
        let sha256 = hex::encode(Sha256::digest(&content));
        let size = content.len() as u64;
        self.inner
            .put(&self.path(key), PutPayload::from(content))
            .await?;
        Ok(StoredBlob {
            key: key.to_owned(),
            sha256,
            size,
        })
    }

    /// Reads the content stored under `key`.
    pub async fn get(&self, key: &str) -> Result<Bytes, StoreError> {
        Ok(self.inner.get(&self.path(key)).await?.bytes().await?)
    }

    /// Removes `key` (used to undo a put whose database row could not be written).
    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        Ok(self.inner.delete(&self.path(key)).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_round_trip_with_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::local(dir.path()).unwrap();
        let blob = store
            .put("cases/c1/f1", Bytes::from_static(b"abc"))
            .await
            .unwrap();
        assert_eq!(
            blob.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            store.get("cases/c1/f1").await.unwrap(),
            Bytes::from_static(b"abc")
        );
        assert!(dir.path().join("cases/c1/f1").exists());
    }
}
