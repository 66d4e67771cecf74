//! Authentication: argon2id passwords with server-side sessions for people, opaque hashed
//! API tokens for labs and scripts. Only hashes of secrets are stored.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use ganome_core::Timestamp;
use ganome_store::{AuditEntry, User};
use serde::Serialize;
use utoipa::ToSchema;

use crate::ids::{new_secret, secret_hash};
use crate::{Actor, Ganome, ServiceError};

/// How long a login session lasts.
pub const SESSION_HOURS: i64 = 12;

/// A successful login.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoginOutcome {
    /// The session secret (set as a cookie by the web adapter; never stored in clear).
    #[serde(skip)]
    pub session_token: String,
    /// Who logged in.
    pub actor: Actor,
    /// When the session ends.
    pub expires_at: Timestamp,
}

/// Hashes a password with argon2id and a random salt.
pub(crate) fn hash_password(password: &str) -> Result<String, ServiceError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::invalid("password", format!("cannot hash password: {e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

impl Ganome {
    /// The actor for a user named by an operator tool (`ganome publish --user`): whoever can
    /// run it has the database already, so no password is asked; the user's role and
    /// facility still decide what the call may do, and it is audited as that user.
    pub async fn operator_acting_as(&self, username: &str) -> Result<Actor, ServiceError> {
        let (user, _) = self
            .store
            .get_user_by_username(username)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("user {username}")))?;
        if user.disabled {
            return Err(ServiceError::Forbidden(format!(
                "user {username} is disabled"
            )));
        }
        self.actor_for(&user).await
    }

    async fn actor_for(&self, user: &User) -> Result<Actor, ServiceError> {
        let facility = self
            .store
            .get_facility(&user.facility_id)
            .await?
            .ok_or_else(|| {
                ServiceError::Conflict(format!(
                    "user's facility {} does not exist",
                    user.facility_id
                ))
            })?;
        Ok(Actor::new(user, facility.kind))
    }

    /// Checks a password and opens a session. Failures are audited without saying whether
    /// the name or the password was wrong. A user with a second factor gets
    /// [`ServiceError::SecondFactorRequired`]; use [`Ganome::login_with_code`].
    pub async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<LoginOutcome, ServiceError> {
        self.login_with_code_at(username, password, None, Timestamp::now())
            .await
    }

    /// Checks a password, and the code of the user's second factor when they have one, and
    /// opens a session.
    ///
    /// What a caller learns (see `docs/security.md`): a locked name gets
    /// [`ServiceError::Throttled`] whatever was sent; a wrong name or password, and a wrong
    /// or reused code, all get [`ServiceError::Unauthenticated`] and count as a failure; a
    /// right password without a code, for a user who has a second factor, gets
    /// [`ServiceError::SecondFactorRequired`] (so the page can ask for the code) and does
    /// not count. Only someone who has the password learns that it is right, which a
    /// password guesser, throttled after five tries, cannot exploit.
    pub async fn login_with_code(
        &self,
        username: &str,
        password: &str,
        code: Option<&str>,
    ) -> Result<LoginOutcome, ServiceError> {
        self.login_with_code_at(username, password, code, Timestamp::now())
            .await
    }

    /// [`Ganome::login_with_code`] at a given time.
    pub async fn login_with_code_at(
        &self,
        username: &str,
        password: &str,
        code: Option<&str>,
        now: Timestamp,
    ) -> Result<LoginOutcome, ServiceError> {
        let mut entry = AuditEntry {
            at: now,
            user_id: None,
            username: Some(username.to_owned()),
            role: None,
            facility_id: None,
            action: "auth.login".to_owned(),
            entity_type: "session".to_owned(),
            entity_id: None,
            outcome: "ok".to_owned(),
            detail: None,
        };
        self.refuse_if_throttled(username, entry.clone(), now)
            .await?;
        let found = self.store.get_user_by_username(username).await?;
        let user = match found {
            Some((user, Some(phc))) if !user.disabled && verify_password(password, &phc) => user,
            _ => {
                entry.outcome = "denied".to_owned();
                self.store.append_audit(&entry).await?;
                self.count_login_failure(username, now).await?;
                return Err(ServiceError::Unauthenticated);
            }
        };
        entry.user_id = Some(user.id.clone());
        entry.role = Some(user.role.as_str().to_owned());
        entry.facility_id = Some(user.facility_id.clone());
        let factor = self
            .store
            .get_second_factor(&user.id)
            .await?
            .filter(|f| f.confirmed);
        if let Some(factor) = factor {
            match code.map(str::trim).filter(|c| !c.is_empty()) {
                None => {
                    entry.outcome = "second_factor_required".to_owned();
                    self.store.append_audit(&entry).await?;
                    return Err(ServiceError::SecondFactorRequired);
                }
                Some(code) => {
                    if !self
                        .accept_second_factor_code(&factor, &user.username, code, now)
                        .await?
                    {
                        entry.outcome = "denied".to_owned();
                        entry.detail = Some("wrong or reused second-factor code".to_owned());
                        self.store.append_audit(&entry).await?;
                        self.count_login_failure(username, now).await?;
                        return Err(ServiceError::Unauthenticated);
                    }
                    entry.detail = Some("with second factor".to_owned());
                }
            }
        }
        self.store.clear_login_failures(username).await?;
        let actor = self.actor_for(&user).await?;
        let token = new_secret("gns");
        let expires_at =
            Timestamp::from_datetime(now.datetime() + time::Duration::hours(SESSION_HOURS));
        self.store
            .insert_session(&secret_hash(&token), &user.id, now, expires_at)
            .await?;
        self.store.append_audit(&entry).await?;
        Ok(LoginOutcome {
            session_token: token,
            actor,
            expires_at,
        })
    }

    /// Ends a session.
    pub async fn logout(&self, session_token: &str) -> Result<(), ServiceError> {
        Ok(self
            .store
            .delete_session(&secret_hash(session_token))
            .await?)
    }

    /// The actor of a live session.
    pub async fn authenticate_session(&self, session_token: &str) -> Result<Actor, ServiceError> {
        let user = self
            .store
            .session_user(&secret_hash(session_token), Timestamp::now())
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        self.actor_for(&user).await
    }

    /// The actor of an API token.
    pub async fn authenticate_token(&self, token: &str) -> Result<Actor, ServiceError> {
        let user = self
            .store
            .api_token_user(&secret_hash(token))
            .await?
            .ok_or(ServiceError::Unauthenticated)?;
        self.actor_for(&user).await
    }

    /// Issues an API token for a user (operator action from the CLI, or a user for
    /// themselves). The token is returned once; only its hash is kept.
    pub async fn create_api_token(
        &self,
        username: &str,
        label: &str,
    ) -> Result<String, ServiceError> {
        let (user, _) = self
            .store
            .get_user_by_username(username)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no user named '{username}'")))?;
        let token = new_secret("gnt");
        self.store
            .insert_api_token(&secret_hash(&token), &user.id, label, Timestamp::now())
            .await?;
        let mut entry = AuditEntry {
            at: Timestamp::now(),
            user_id: Some(user.id.clone()),
            username: Some(user.username.clone()),
            role: Some(user.role.as_str().to_owned()),
            facility_id: Some(user.facility_id.clone()),
            action: "auth.token_create".to_owned(),
            entity_type: "api_token".to_owned(),
            entity_id: None,
            outcome: "ok".to_owned(),
            detail: Some(label.to_owned()),
        };
        entry.detail = Some(format!("label: {label}"));
        self.store.append_audit(&entry).await?;
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a phc string"));
    }
}
