//! 二要素認証 (second factor): time-based one-time passwords (TOTP, RFC 6238) from any
//! authenticator app, and the throttling of failed logins.
//!
//! Codes are the format every app reads: HMAC-SHA-1, 6 digits, 30-second steps, the secret
//! given as base32 and as an `otpauth://totp/Ganome:USER?secret=…&issuer=Ganome` URI. The
//! arithmetic is the `totp-rs` crate's; this module decides which steps count:
//!
//! - a code is accepted for the current step or one step either side (clocks drift);
//! - the step of an accepted code is stored, and only a later step is accepted afterwards,
//!   so a code that was seen (over a shoulder, in a proxy log) cannot be used again, nor an
//!   older one after a newer one;
//! - enrolment gives a fresh secret that stays pending until the user types a current code
//!   from their app (proving the app has it); only then do logins need a code.
//!
//! Throttling is per login name, whether or not the name exists: after
//! [`LOGIN_FAILURE_LIMIT`] failures (wrong password, or wrong code) within
//! [`LOGIN_THROTTLE_MINUTES`] minutes the name is locked for [`LOGIN_THROTTLE_MINUTES`]
//! minutes, and every attempt meanwhile is refused, the right password included, without
//! checking it. A successful login forgets the failures. The server must compute codes from
//! the secret, so the store keeps it encrypted under the master key rather than hashed
//! (`ganome_store::secrets`); this module only ever sees it decrypted.
//!
//! Every method takes the clock as a parameter in its `_at` form so that tests fix the time
//! and do not flake at step boundaries; adapters call the forms without `_at`.

use ganome_core::Timestamp;
use ganome_store::{AuditEntry, SecondFactor};
use serde::Serialize;
use totp_rs::{Algorithm, Secret, TOTP};
use utoipa::ToSchema;

use crate::{Actor, Ganome, ServiceError};

/// The issuer authenticator apps show next to the account name.
pub const TOTP_ISSUER: &str = "Ganome";
/// Seconds per time step.
pub const TOTP_STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const TOTP_DIGITS: usize = 6;
/// Failed logins for one name, within [`LOGIN_THROTTLE_MINUTES`], that lock it.
pub const LOGIN_FAILURE_LIMIT: i64 = 5;
/// The window in which failures are counted, and how long a lock lasts, in minutes.
pub const LOGIN_THROTTLE_MINUTES: i64 = 15;

/// What a user needs to add Ganome to an authenticator app.
#[derive(Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SecondFactorEnrolment {
    /// The shared secret, base32 (RFC 4648, no padding).
    pub secret: String,
    /// The same secret in groups of four, for typing it in by hand.
    pub secret_grouped: String,
    /// The `otpauth://totp/…` URI (what the QR code holds).
    pub otpauth_uri: String,
}

impl std::fmt::Debug for SecondFactorEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecondFactorEnrolment")
            .field("secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// Whether a user's logins need a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SecondFactorStatus {
    /// Logins need a code.
    pub enabled: bool,
    /// Since when.
    pub enabled_at: Option<Timestamp>,
    /// An enrolment begun and not yet confirmed (shown to its own user only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<SecondFactorEnrolment>,
}

fn totp(secret: &str, username: &str) -> Result<TOTP, ServiceError> {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|e| ServiceError::Engine(format!("stored second-factor secret: {e:?}")))?;
    TOTP::new(
        Algorithm::SHA1,
        TOTP_DIGITS,
        1,
        TOTP_STEP_SECONDS as u64,
        bytes,
        Some(TOTP_ISSUER.to_owned()),
        username.to_owned(),
    )
    .map_err(|e| ServiceError::Engine(format!("second-factor secret: {e:?}")))
}

fn enrolment(secret: &str, username: &str) -> Result<SecondFactorEnrolment, ServiceError> {
    let secret_grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(SecondFactorEnrolment {
        secret: secret.to_owned(),
        secret_grouped,
        otpauth_uri: totp(secret, username)?.get_url(),
    })
}

/// The time step of a moment (Unix seconds / 30).
pub fn totp_step(at: Timestamp) -> i64 {
    at.unix().div_euclid(TOTP_STEP_SECONDS)
}

/// The code an authenticator app shows at `at` for a base32 secret (for tests and tools;
/// the service never needs to show a code).
pub fn totp_code_at(secret: &str, at: Timestamp) -> Result<String, ServiceError> {
    Ok(totp(secret, "user")?.generate(at.unix().max(0) as u64))
}

/// The steps around `at` (one either side) whose code is `code`, earliest first. Spaces
/// are ignored (apps show `123 456`); anything but six digits matches nothing.
fn matching_steps(totp: &TOTP, code: &str, at: Timestamp) -> Vec<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != TOTP_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let now = totp_step(at);
    (now - 1..=now + 1)
        .filter(|s| *s >= 0)
        .filter(|s| {
            let expected = totp.generate((*s * TOTP_STEP_SECONDS) as u64);
            // Constant time: the code is a secret for its 30 seconds.
            expected.len() == code.len()
                && expected
                    .bytes()
                    .zip(code.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        })
        .collect()
}

fn minutes(m: i64) -> time::Duration {
    time::Duration::minutes(m)
}

impl Ganome {
    /// A current code from the user's app, or a wrong-code refusal that counts as a failed
    /// login (confirming and turning off the factor both ask for one).
    async fn require_second_factor_code(
        &self,
        factor: &SecondFactor,
        username: &str,
        code: &str,
        now: Timestamp,
    ) -> Result<(), ServiceError> {
        if self
            .accept_second_factor_code(factor, username, code, now)
            .await?
        {
            Ok(())
        } else {
            self.count_login_failure(username, now).await?;
            Err(wrong_code())
        }
    }

    /// Accepts `code` for a second factor at `now`: it must be the code of a step around
    /// `now` later than the last accepted one; that step is then stored (and a pending
    /// factor confirmed). False for a wrong, stale or replayed code.
    pub(crate) async fn accept_second_factor_code(
        &self,
        factor: &SecondFactor,
        username: &str,
        code: &str,
        now: Timestamp,
    ) -> Result<bool, ServiceError> {
        let totp = totp(&factor.secret, username)?;
        for step in matching_steps(&totp, code, now) {
            if factor.last_step.is_some_and(|last| step <= last) {
                continue;
            }
            if self
                .store
                .accept_second_factor_step(&factor.user_id, &factor.secret, step, now)
                .await?
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Refuses a locked login name: `Throttled`, audited as `entry` with outcome
    /// `throttled`.
    pub(crate) async fn refuse_if_throttled(
        &self,
        username: &str,
        mut entry: AuditEntry,
        now: Timestamp,
    ) -> Result<(), ServiceError> {
        if let Some(until) = self.store.login_locked_until(username, now).await? {
            entry.outcome = "throttled".to_owned();
            entry.detail = Some(format!("refused until {until}"));
            self.store.append_audit(&entry).await?;
            return Err(ServiceError::Throttled { until });
        }
        Ok(())
    }

    /// Counts a failed login (or a wrong code) for a name and locks the name when it has
    /// failed [`LOGIN_FAILURE_LIMIT`] times within the window; the lock is audited as
    /// `auth.login_throttle`.
    pub(crate) async fn count_login_failure(
        &self,
        username: &str,
        now: Timestamp,
    ) -> Result<(), ServiceError> {
        let window_start =
            Timestamp::from_datetime(now.datetime() - minutes(LOGIN_THROTTLE_MINUTES));
        let failures = self
            .store
            .record_login_failure(username, now, window_start)
            .await?;
        if failures >= LOGIN_FAILURE_LIMIT {
            let until = Timestamp::from_datetime(now.datetime() + minutes(LOGIN_THROTTLE_MINUTES));
            self.store.lock_login(username, now, until).await?;
            self.store.clear_login_failures(username).await?;
            self.store
                .append_audit(&AuditEntry {
                    at: now,
                    user_id: None,
                    username: Some(username.to_owned()),
                    role: None,
                    facility_id: None,
                    action: "auth.login_throttle".to_owned(),
                    entity_type: "session".to_owned(),
                    entity_id: None,
                    outcome: "locked".to_owned(),
                    detail: Some(format!(
                        "{failures} failed logins within {LOGIN_THROTTLE_MINUTES} minutes; \
                         logins refused until {until}"
                    )),
                })
                .await?;
        }
        Ok(())
    }

    /// The signed-in user's second factor: enabled or not, and a pending enrolment.
    pub async fn second_factor_status(
        &self,
        actor: &Actor,
    ) -> Result<SecondFactorStatus, ServiceError> {
        let factor = self.store.get_second_factor(&actor.user_id).await?;
        Ok(match factor {
            Some(f) if f.confirmed => SecondFactorStatus {
                enabled: true,
                enabled_at: f.enabled_at,
                pending: None,
            },
            Some(f) => SecondFactorStatus {
                enabled: false,
                enabled_at: None,
                pending: Some(enrolment(&f.secret, &actor.username)?),
            },
            None => SecondFactorStatus {
                enabled: false,
                enabled_at: None,
                pending: None,
            },
        })
    }

    /// Begins enrolment: a fresh secret (replacing a pending one), to be confirmed with a
    /// code. `Conflict` when the second factor is already enabled.
    pub async fn enrol_second_factor(
        &self,
        actor: &Actor,
    ) -> Result<SecondFactorEnrolment, ServiceError> {
        self.enrol_second_factor_at(actor, Timestamp::now()).await
    }

    /// [`Ganome::enrol_second_factor`] at a given time.
    pub async fn enrol_second_factor_at(
        &self,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<SecondFactorEnrolment, ServiceError> {
        let result = async {
            // 160 bits, the HMAC-SHA-1 block the RFC recommends.
            let secret = match Secret::generate_secret().to_encoded() {
                Secret::Encoded(s) => s,
                Secret::Raw(_) => unreachable!("to_encoded gives an encoded secret"),
            };
            let shown = enrolment(&secret, &actor.username)?;
            self.store
                .begin_second_factor(&actor.user_id, &secret, now)
                .await?;
            Ok(shown)
        }
        .await;
        let mut entry = actor.audit("auth.second_factor_enrol", "user", Some(&actor.user_id));
        entry.at = now;
        self.audited(entry, result).await
    }

    /// Confirms a pending enrolment with a current code from the app; from then on logins
    /// need a code. A wrong code counts as a failed login.
    pub async fn confirm_second_factor(
        &self,
        actor: &Actor,
        code: &str,
    ) -> Result<(), ServiceError> {
        self.confirm_second_factor_at(actor, code, Timestamp::now())
            .await
    }

    /// [`Ganome::confirm_second_factor`] at a given time.
    pub async fn confirm_second_factor_at(
        &self,
        actor: &Actor,
        code: &str,
        now: Timestamp,
    ) -> Result<(), ServiceError> {
        let mut entry = actor.audit("auth.second_factor_confirm", "user", Some(&actor.user_id));
        entry.at = now;
        self.refuse_if_throttled(&actor.username, entry.clone(), now)
            .await?;
        let result = async {
            let factor = match self.store.get_second_factor(&actor.user_id).await? {
                Some(f) if !f.confirmed => f,
                Some(_) => {
                    return Err(ServiceError::Conflict(
                        "the second factor is already enabled".to_owned(),
                    ));
                }
                None => {
                    return Err(ServiceError::Conflict(
                        "no second-factor enrolment to confirm; enrol first".to_owned(),
                    ));
                }
            };
            self.require_second_factor_code(&factor, &actor.username, code, now)
                .await
        }
        .await;
        self.audited(entry, result).await
    }

    /// Turns the second factor off (a current code proves the app is still at hand). A
    /// wrong code counts as a failed login.
    pub async fn disable_second_factor(
        &self,
        actor: &Actor,
        code: &str,
    ) -> Result<(), ServiceError> {
        self.disable_second_factor_at(actor, code, Timestamp::now())
            .await
    }

    /// [`Ganome::disable_second_factor`] at a given time.
    pub async fn disable_second_factor_at(
        &self,
        actor: &Actor,
        code: &str,
        now: Timestamp,
    ) -> Result<(), ServiceError> {
        let mut entry = actor.audit("auth.second_factor_disable", "user", Some(&actor.user_id));
        entry.at = now;
        self.refuse_if_throttled(&actor.username, entry.clone(), now)
            .await?;
        let result = async {
            let factor = match self.store.get_second_factor(&actor.user_id).await? {
                Some(f) if f.confirmed => f,
                _ => {
                    return Err(ServiceError::Conflict(
                        "the second factor is not enabled".to_owned(),
                    ));
                }
            };
            self.require_second_factor_code(&factor, &actor.username, code, now)
                .await?;
            self.store.delete_second_factor(&actor.user_id).await?;
            Ok(())
        }
        .await;
        self.audited(entry, result).await
    }

    /// Removes a user's second factor, enabled or pending (operator action from the CLI,
    /// for a user who lost their phone). Returns whether there was one.
    pub async fn reset_second_factor_as_operator(
        &self,
        username: &str,
    ) -> Result<bool, ServiceError> {
        let (user, _) = self
            .store
            .get_user_by_username(username)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no user named '{username}'")))?;
        let removed = self.store.delete_second_factor(&user.id).await?;
        self.store
            .append_audit(&AuditEntry {
                at: Timestamp::now(),
                user_id: Some(user.id.clone()),
                username: Some(user.username.clone()),
                role: Some(user.role.as_str().to_owned()),
                facility_id: Some(user.facility_id.clone()),
                action: "auth.second_factor_reset".to_owned(),
                entity_type: "user".to_owned(),
                entity_id: Some(user.id.clone()),
                outcome: "ok".to_owned(),
                detail: Some(if removed {
                    "removed by an operator".to_owned()
                } else {
                    "by an operator; the user had no second factor".to_owned()
                }),
            })
            .await?;
        Ok(removed)
    }
}

fn wrong_code() -> ServiceError {
    ServiceError::invalid(
        "code",
        "the code is wrong or was already used; enter the current code from your app",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1: the secret is ASCII "12345678901234567890".
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    fn rfc_totp(digits: usize) -> TOTP {
        TOTP::new_unchecked(
            Algorithm::SHA1,
            digits,
            1,
            30,
            RFC_SECRET.to_vec(),
            None,
            "".into(),
        )
    }

    #[test]
    fn rfc_6238_appendix_b_sha1_vectors() {
        let eight = rfc_totp(8);
        for (t, code) in [
            (59_u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(eight.generate(t), code, "T={t}");
        }
        // Six digits are the last six of the eight.
        assert_eq!(rfc_totp(6).generate(59), "287082");
        let b32 = Secret::Raw(RFC_SECRET.to_vec()).to_encoded();
        let Secret::Encoded(b32) = b32 else { panic!() };
        let at = Timestamp::parse("1970-01-01T00:00:59Z").unwrap();
        assert_eq!(totp_code_at(&b32, at).unwrap(), "287082");
    }

    #[test]
    fn codes_match_one_step_either_side_and_ignore_spaces() {
        let totp = rfc_totp(6);
        let at = Timestamp::parse("2009-02-13T23:31:30Z").unwrap(); // 1234567890
        let step = totp_step(at);
        let now_code = totp.generate(1_234_567_890);
        assert_eq!(matching_steps(&totp, &now_code, at), vec![step]);
        let spaced = format!("{} {}", &now_code[..3], &now_code[3..]);
        assert_eq!(matching_steps(&totp, &spaced, at), vec![step]);
        let before = totp.generate(((step - 1) * 30) as u64);
        assert_eq!(matching_steps(&totp, &before, at), vec![step - 1]);
        let after = totp.generate(((step + 1) * 30) as u64);
        assert_eq!(matching_steps(&totp, &after, at), vec![step + 1]);
        let too_old = totp.generate(((step - 2) * 30) as u64);
        assert!(matching_steps(&totp, &too_old, at).is_empty());
        assert!(matching_steps(&totp, "12345", at).is_empty());
        assert!(matching_steps(&totp, "abcdef", at).is_empty());
    }

    #[test]
    fn enrolment_uri_names_issuer_and_user() {
        let e = enrolment("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "clinician").unwrap();
        assert_eq!(
            e.otpauth_uri,
            "otpauth://totp/Ganome:clinician?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Ganome"
        );
        assert_eq!(e.secret_grouped, "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
        assert!(!format!("{e:?}").contains("JBSW"));
    }
}
