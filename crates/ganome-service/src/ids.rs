//! Opaque identifiers and secrets from the operating system's random source.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new opaque id: 16 random bytes as 32 hex digits.
pub(crate) fn new_id() -> String {
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// A new bearer secret (session or API token): 32 random bytes, URL-safe base64, prefixed
/// so that leaked tokens are recognisable by scanners.
pub(crate) fn new_secret(prefix: &str) -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    format!(
        "{prefix}_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    )
}

/// The stored form of a bearer secret: only its SHA-256 is kept.
pub(crate) fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
