//! 二要素認証 (second factor) and login throttling: the [`SecondFactorStore`] part of the
//! store. The service decides what a code is and when a name is throttled
//! (`ganome_service::second_factor`); the store keeps the secret, the last accepted time
//! step and the failed logins, and makes the two checks that must be atomic (a step is
//! accepted once; a pending secret is replaced only while pending).

use async_trait::async_trait;
use ganome_core::Timestamp;

use crate::StoreError;

/// A user's TOTP second factor, pending or confirmed.
#[derive(Clone, PartialEq, Eq)]
pub struct SecondFactor {
    /// The user.
    pub user_id: String,
    /// The shared secret, base32 (RFC 4648, no padding) as authenticator apps read it.
    pub secret: String,
    /// Whether the user has proved their app shows the right code (then logins need one).
    pub confirmed: bool,
    /// When the secret was issued.
    pub created_at: Timestamp,
    /// When it was confirmed.
    pub enabled_at: Option<Timestamp>,
    /// The last time step (Unix time / 30 s) whose code was accepted.
    pub last_step: Option<i64>,
}

impl std::fmt::Debug for SecondFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecondFactor")
            .field("user_id", &self.user_id)
            .field("secret", &"<redacted>")
            .field("confirmed", &self.confirmed)
            .field("created_at", &self.created_at)
            .field("enabled_at", &self.enabled_at)
            .field("last_step", &self.last_step)
            .finish()
    }
}

/// Second factors and failed logins.
#[async_trait]
pub trait SecondFactorStore: Send + Sync {
    /// The user's second factor, pending or confirmed.
    async fn get_second_factor(&self, user_id: &str) -> Result<Option<SecondFactor>, StoreError>;
    /// Stores a new pending secret for the user, replacing a pending one; `Conflict` when the
    /// user's second factor is already confirmed.
    async fn begin_second_factor(
        &self,
        user_id: &str,
        secret: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Accepts time step `step` of the user's second factor with secret `secret`: records it
    /// as the last accepted step and confirms the factor (keeping the first `enabled_at`).
    /// Returns false, changing nothing, when the secret is no longer the stored one or when
    /// `step` is not later than the last accepted step (a replayed code).
    async fn accept_second_factor_step(
        &self,
        user_id: &str,
        secret: &str,
        step: i64,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Removes the user's second factor; false if there was none.
    async fn delete_second_factor(&self, user_id: &str) -> Result<bool, StoreError>;

    /// Records a failed login for a name at `at`, forgets that name's failures before
    /// `window_start`, and returns how many remain (those at or after `window_start`).
    async fn record_login_failure(
        &self,
        username: &str,
        at: Timestamp,
        window_start: Timestamp,
    ) -> Result<i64, StoreError>;
    /// Forgets a name's failed logins (after a successful one).
    async fn clear_login_failures(&self, username: &str) -> Result<(), StoreError>;
    /// Refuses logins for a name from `at` until `until`.
    async fn lock_login(
        &self,
        username: &str,
        at: Timestamp,
        until: Timestamp,
    ) -> Result<(), StoreError>;
    /// The end of the latest lock on a name that is still in force at `now`.
    async fn login_locked_until(
        &self,
        username: &str,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError>;
}
