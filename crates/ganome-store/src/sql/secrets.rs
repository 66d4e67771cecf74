//! The master key over SQL: checking it when the store is opened, sealing secrets written
//! before encryption existed, and rotating to a new key, each in one transaction. The format
//! and the reasons are in [`crate::secrets`].

use std::sync::Arc;

use ganome_core::Timestamp;

use super::SqlStore;
use crate::StoreError;
use crate::secrets::{CHECK_TEXT, KeySource, MasterKey, PREFIX, RotationReport, SecretBox};

/// The tables with sealed secrets: (table, id column, secret column).
const SEALED: [(&str, &str, &str); 2] = [
    ("facility_secrets", "facility_id", "secret_hex"),
    ("user_second_factors", "user_id", "totp_secret"),
];
const CHECK_TABLE: &str = "secret_keys";
const CHECK_NAME: &str = "master";

fn wrong_key(origin: &str) -> StoreError {
    StoreError::MasterKey(format!(
        "the master key from {origin} does not open this database's secrets (authentication \
         failed). Give the key the database was encrypted with, in GANOME_MASTER_KEY or \
         DATA_DIR/master.key (see docs/security.md); nothing was changed"
    ))
}

impl SqlStore {
    /// The key in use; an error when the store was not unlocked.
    pub(crate) fn secret_box(&self) -> Result<Arc<SecretBox>, StoreError> {
        self.secrets
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .ok_or_else(|| {
                StoreError::MasterKey(
                    "the store was opened without a master key, so it cannot read or write \
                     secrets (SqlStore::unlock)"
                        .to_owned(),
                )
            })
    }

    /// Takes the master key from `source`, checks it against the database's check value
    /// (a wrong key is an error and nothing is written), and then, in one transaction,
    /// records the check value if the database has none and encrypts every secret still
    /// stored in clear (databases written before encryption existed). Idempotent. A missing
    /// key file is created only while the database has no encrypted secrets; otherwise a
    /// missing key is an error that says what to do.
    pub async fn unlock(&self, source: KeySource) -> Result<(), StoreError> {
        let _w = self.write().await;
        let check = self.check_value().await?;
        let encrypted = check.is_some() || self.any_sealed().await?.is_some();
        let origin = source.origin();
        let key = match source {
            KeySource::Given { key, .. } => key,
            KeySource::File(path) if path.exists() => MasterKey::read_file(&path)?,
            KeySource::File(path) if encrypted => {
                return Err(StoreError::MasterKey(format!(
                    "this database's secrets are encrypted, but the key file {} is missing. \
                     Restore it from the separate backup of the key (it is not part of the \
                     database), or set GANOME_MASTER_KEY to the key",
                    path.display()
                )));
            }
            KeySource::File(path) => {
                let key = MasterKey::generate();
                key.write_new_file(&path)?;
                // Warned (shown by default) because the operator must back it up.
                tracing::warn!(
                    "created the master key {} that encrypts the database's secrets; back it \
                     up apart from the database (docs/security.md)",
                    path.display()
                );
                key
            }
            KeySource::Missing if encrypted => {
                return Err(StoreError::MasterKey(
                    "this database's secrets are encrypted and no master key is configured: \
                     set GANOME_MASTER_KEY to the key they were encrypted with (32 bytes as \
                     base64 or 64 hex digits)"
                        .to_owned(),
                ));
            }
            KeySource::Missing => {
                return Err(StoreError::MasterKey(
                    "no master key is configured: set GANOME_MASTER_KEY to 32 random bytes as \
                     base64 or 64 hex digits (`ganome secrets generate-key --out FILE` writes \
                     one); the database's secrets are encrypted under it"
                        .to_owned(),
                ));
            }
        };
        let sealer = SecretBox::new(&key, origin);
        match &check {
            Some(value) => {
                if sealer.open(CHECK_TABLE, CHECK_NAME, value).as_deref() != Some(CHECK_TEXT) {
                    return Err(wrong_key(&sealer.origin));
                }
            }
            None => {
                if let Some((table, id, value)) = self.any_sealed().await?
                    && sealer.open(table, &id, &value).is_none()
                {
                    return Err(wrong_key(&sealer.origin));
                }
            }
        }
        let mut tx = self.pool.begin().await?;
        if check.is_none() {
            sqlx::query(
                "INSERT INTO secret_keys (name, check_value, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(CHECK_NAME)
            .bind(sealer.seal(CHECK_TABLE, CHECK_NAME, CHECK_TEXT)?)
            .bind(Timestamp::now().to_string())
            .execute(&mut *tx)
            .await?;
            // Another process may have recorded its own key first.
            let (value,): (String,) =
                sqlx::query_as("SELECT check_value FROM secret_keys WHERE name = $1")
                    .bind(CHECK_NAME)
                    .fetch_one(&mut *tx)
                    .await?;
            if sealer.open(CHECK_TABLE, CHECK_NAME, &value).as_deref() != Some(CHECK_TEXT) {
                return Err(wrong_key(&sealer.origin));
            }
        }
        let mut sealed = 0;
        for (table, id_col, col) in SEALED {
            let rows: Vec<(String, String)> = sqlx::query_as(&format!(
                "SELECT {id_col}, {col} FROM {table} WHERE {col} NOT LIKE '{PREFIX}%'"
            ))
            .fetch_all(&mut *tx)
            .await?;
            for (id, plain) in rows {
                sqlx::query(&format!(
                    "UPDATE {table} SET {col} = $1 WHERE {id_col} = $2 AND {col} = $3"
                ))
                .bind(sealer.seal(table, &id, plain.as_bytes())?)
                .bind(id)
                .bind(plain)
                .execute(&mut *tx)
                .await?;
                sealed += 1;
            }
        }
        tx.commit().await?;
        if sealed > 0 {
            tracing::info!("encrypted {sealed} secrets that were stored in clear");
        }
        *self
            .secrets
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(sealer));
        Ok(())
    }

    /// Re-encrypts every secret and the check value under `new_key`, in one transaction;
    /// from then on this store (and its clones) use the new key. Fails, changing nothing,
    /// when any secret does not open under the current key.
    pub async fn rotate_master_key(
        &self,
        new_key: &MasterKey,
        origin: &str,
    ) -> Result<RotationReport, StoreError> {
        let old = self.secret_box()?;
        let new = SecretBox::new(new_key, origin.to_owned());
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        let mut counts = [0usize; 2];
        for (n, (table, id_col, col)) in SEALED.into_iter().enumerate() {
            let rows: Vec<(String, String)> =
                sqlx::query_as(&format!("SELECT {id_col}, {col} FROM {table}"))
                    .fetch_all(&mut *tx)
                    .await?;
            for (id, value) in rows {
                let plain = old.open_text(table, &id, &value)?;
                let done = sqlx::query(&format!(
                    "UPDATE {table} SET {col} = $1 WHERE {id_col} = $2 AND {col} = $3"
                ))
                .bind(new.seal(table, &id, plain.as_bytes())?)
                .bind(id)
                .bind(value)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Conflict(format!(
                        "a secret in {table} changed during the rotation; run it again"
                    )));
                }
                counts[n] += 1;
            }
        }
        sqlx::query(
            "INSERT INTO secret_keys (name, check_value, created_at, rotated_at) \
             VALUES ($1, $2, $3, $3) ON CONFLICT (name) DO UPDATE SET \
             check_value = excluded.check_value, rotated_at = excluded.rotated_at",
        )
        .bind(CHECK_NAME)
        .bind(new.seal(CHECK_TABLE, CHECK_NAME, CHECK_TEXT)?)
        .bind(Timestamp::now().to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        *self
            .secrets
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(new));
        Ok(RotationReport {
            facility_secrets: counts[0],
            second_factors: counts[1],
        })
    }

    async fn check_value(&self) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT check_value FROM secret_keys WHERE name = $1")
                .bind(CHECK_NAME)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(v,)| v))
    }

    /// One encrypted secret, if any: (table, row id, value).
    async fn any_sealed(&self) -> Result<Option<(&'static str, String, String)>, StoreError> {
        for (table, id_col, col) in SEALED {
            let row: Option<(String, String)> = sqlx::query_as(&format!(
                "SELECT {id_col}, {col} FROM {table} WHERE {col} LIKE '{PREFIX}%' LIMIT 1"
            ))
            .fetch_optional(&self.pool)
            .await?;
            if let Some((id, value)) = row {
                return Ok(Some((table, id, value)));
            }
        }
        Ok(None)
    }
}
