//! Secrets at rest: envelope encryption of the secrets the database keeps (each facility's
//! pseudonymisation key in `facility_secrets`, each user's TOTP secret in
//! `user_second_factors`) under a master key that is never stored in the database.
//!
//! **Where the code lives.** Encryption is done by the store, not by the services: the
//! associated data that binds a ciphertext to its row (table and row id) is a property of
//! rows, sealing old plaintext values and rotating the master key are SQL transactions over
//! those rows, and the services keep seeing plain secrets through the unchanged
//! [`crate::Store`] methods (`facility_secret`, `get_second_factor`, …), so no SQL and no
//! ciphertext reach `ganome-service`. The store only needs to be handed the key: see
//! [`crate::SqlStore::unlock`] and [`KeySource`].
//!
//! **Format.** AES-256-GCM (RustCrypto `aes-gcm`) with a random 96-bit nonce per value; a
//! stored value is the text `v1:` followed by standard base64 of `nonce || ciphertext+tag`.
//! The associated data is `ganome/TABLE/ROW-ID`, so a ciphertext copied to another row, or
//! another table, does not authenticate. The database also keeps one check value
//! (`secret_keys`, name `master`: a known text sealed under the key) so that a wrong key is
//! recognised when the store is opened, before anything is written.
//!
//! **The master key** is 32 random bytes, written as standard base64 (44 characters) or as
//! 64 hex digits: in `GANOME_MASTER_KEY`, or for the embedded default in the file
//! `DATA_DIR/master.key` (created with mode 0600 the first time a store without encrypted
//! secrets is opened).

use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::StoreError;

/// Prefix of a sealed value (format version 1).
pub(crate) const PREFIX: &str = "v1:";
/// The environment variable holding the master key.
pub const MASTER_KEY_ENV: &str = "GANOME_MASTER_KEY";
/// The key file's name in the data folder.
pub const MASTER_KEY_FILE: &str = "master.key";
const NONCE_LEN: usize = 12;
/// The plain text of the key check value.
pub(crate) const CHECK_TEXT: &[u8] = b"ganome master key check";

/// A 256-bit master key. Its `Debug` output never shows the key.
#[derive(Clone, PartialEq, Eq)]
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    /// A fresh random key.
    pub fn generate() -> MasterKey {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        MasterKey(bytes)
    }

    /// Reads a key written as 64 hex digits or as standard base64 of 32 bytes (surrounding
    /// white space ignored).
    pub fn parse(text: &str) -> Result<MasterKey, String> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(text).map_err(|e| e.to_string())?
        } else {
            STANDARD
                .decode(text)
                .map_err(|_| "not 64 hex digits nor base64".to_owned())?
        };
        let bytes: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            format!(
                "a master key is 32 bytes (64 hex digits or 44 base64 characters), this is {}",
                b.len()
            )
        })?;
        Ok(MasterKey(bytes))
    }

    /// The key as standard base64 (the form written to key files).
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Reads a key file.
    pub fn read_file(path: &Path) -> Result<MasterKey, StoreError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            StoreError::MasterKey(format!("cannot read key file {}: {e}", path.display()))
        })?;
        MasterKey::parse(&text)
            .map_err(|e| StoreError::MasterKey(format!("key file {}: {e}", path.display())))
    }

    /// Writes the key to a new file readable by its owner only (mode 0600); refuses to
    /// overwrite an existing file.
    pub fn write_new_file(&self, path: &Path) -> Result<(), StoreError> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(|e| {
            StoreError::MasterKey(format!("cannot create key file {}: {e}", path.display()))
        })?;
        writeln!(file, "{}", self.to_base64())
            .and_then(|()| file.sync_all())
            .map_err(|e| {
                StoreError::MasterKey(format!("cannot write key file {}: {e}", path.display()))
            })
    }

    /// Replaces the key file at `path` with this key (via a new file and a rename).
    pub fn replace_file(&self, path: &Path) -> Result<(), StoreError> {
        let tmp = path.with_extension("key.new");
        let _ = std::fs::remove_file(&tmp);
        self.write_new_file(&tmp)?;
        std::fs::rename(&tmp, path).map_err(|e| {
            StoreError::MasterKey(format!("cannot replace key file {}: {e}", path.display()))
        })
    }
}

/// Where [`crate::SqlStore::unlock`] gets the master key.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// A key given by the operator; `origin` names it in messages (e.g. `GANOME_MASTER_KEY`).
    Given {
        /// The key.
        key: MasterKey,
        /// Where it came from, for messages.
        origin: String,
    },
    /// A key file, created (mode 0600) when it is missing and the database has no encrypted
    /// secrets yet: the embedded default, `DATA_DIR/master.key`.
    File(PathBuf),
    /// No key was configured (PostgreSQL without `GANOME_MASTER_KEY`): opening fails with
    /// a message saying what to set.
    Missing,
}

impl KeySource {
    /// `GANOME_MASTER_KEY` when set, else the key file when one is given, else
    /// [`KeySource::Missing`].
    pub fn from_env(key_file: Option<PathBuf>) -> Result<KeySource, StoreError> {
        match std::env::var(MASTER_KEY_ENV) {
            Ok(text) if !text.trim().is_empty() => Ok(KeySource::Given {
                key: MasterKey::parse(&text)
                    .map_err(|e| StoreError::MasterKey(format!("{MASTER_KEY_ENV}: {e}")))?,
                origin: MASTER_KEY_ENV.to_owned(),
            }),
            _ => Ok(key_file.map_or(KeySource::Missing, KeySource::File)),
        }
    }

    /// Where the key comes from, for messages.
    pub fn origin(&self) -> String {
        match self {
            KeySource::Given { origin, .. } => origin.clone(),
            KeySource::File(path) => format!("key file {}", path.display()),
            KeySource::Missing => "nowhere".to_owned(),
        }
    }
}

/// The master key in use, able to seal and open values.
pub(crate) struct SecretBox {
    cipher: Aes256Gcm,
    pub(crate) origin: String,
}

impl SecretBox {
    pub(crate) fn new(key: &MasterKey, origin: String) -> SecretBox {
        SecretBox {
            cipher: Aes256Gcm::new((&key.0).into()),
            origin,
        }
    }

    /// Encrypts `plain` for row `id` of `table`.
    pub(crate) fn seal(&self, table: &str, id: &str, plain: &[u8]) -> Result<String, StoreError> {
        use rand::RngCore;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = aad(table, id);
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| StoreError::MasterKey("encryption failed".to_owned()))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(bytes)))
    }

    /// Decrypts a sealed value of row `id` of `table`; `None` when it does not authenticate
    /// (another key, another row, or altered).
    pub(crate) fn open(&self, table: &str, id: &str, text: &str) -> Option<Vec<u8>> {
        let bytes = STANDARD.decode(text.strip_prefix(PREFIX)?).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let aad = aad(table, id);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .ok()
    }

    /// Decrypts a stored secret as text, refusing plaintext and values that do not
    /// authenticate.
    pub(crate) fn open_text(
        &self,
        table: &'static str,
        id: &str,
        text: &str,
    ) -> Result<String, StoreError> {
        if !text.starts_with(PREFIX) {
            return Err(StoreError::Corrupt {
                table,
                message: format!(
                    "the secret of '{id}' is not encrypted; run `ganome migrate` with the master key"
                ),
            });
        }
        let plain = self.open(table, id, text).ok_or_else(|| StoreError::Corrupt {
            table,
            message: format!(
                "the encrypted secret of '{id}' does not authenticate under the master key from \
                 {} (a value copied from another row, or altered)",
                self.origin
            ),
        })?;
        String::from_utf8(plain).map_err(|e| StoreError::Corrupt {
            table,
            message: e.to_string(),
        })
    }
}

fn aad(table: &str, id: &str) -> String {
    format!("ganome/{table}/{id}")
}

/// What a key rotation re-encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationReport {
    /// Facility pseudonymisation keys.
    pub facility_secrets: usize,
    /// TOTP secrets.
    pub second_factors: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_as_hex_or_base64() {
        let key = MasterKey::generate();
        assert_eq!(MasterKey::parse(&key.to_base64()).unwrap(), key);
        assert_eq!(MasterKey::parse(&hex::encode(key.0)).unwrap(), key);
        assert!(
            MasterKey::parse("c2hvcnQ=")
                .unwrap_err()
                .contains("32 bytes")
        );
        assert!(format!("{key:?}").contains("redacted"));
    }

    #[test]
    fn values_are_bound_to_their_row_and_key() {
        let b = SecretBox::new(&MasterKey::generate(), "test".to_owned());
        let sealed = b.seal("t", "a", b"secret").unwrap();
        assert!(sealed.starts_with(PREFIX));
        assert_eq!(b.open("t", "a", &sealed).unwrap(), b"secret");
        assert!(b.open("t", "b", &sealed).is_none());
        assert!(b.open("u", "a", &sealed).is_none());
        let other = SecretBox::new(&MasterKey::generate(), "test".to_owned());
        assert!(other.open("t", "a", &sealed).is_none());
        assert_ne!(b.seal("t", "a", b"secret").unwrap(), sealed);
    }
}
