//! [`SecondFactorStore`] over SQL. Replay protection is one conditional `UPDATE` (the step
//! must be later than the stored one), so two requests carrying the same code cannot both
//! succeed on either database.

use async_trait::async_trait;
use ganome_core::Timestamp;
use sqlx::Row;

use super::{SqlStore, opt_time, parse_time_col};
use crate::{SecondFactor, SecondFactorStore, StoreError};

const T: &str = "user_second_factors";

#[async_trait]
impl SecondFactorStore for SqlStore {
    async fn get_second_factor(&self, user_id: &str) -> Result<Option<SecondFactor>, StoreError> {
        let secrets = self.secret_box()?;
        let row = sqlx::query(
            "SELECT user_id, totp_secret, confirmed, created_at, enabled_at, last_step \
             FROM user_second_factors WHERE user_id = $1",
        )
        .bind(user_id.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(SecondFactor {
                user_id: r.try_get("user_id")?,
                secret: secrets.open_text(T, user_id, &r.try_get::<String, _>("totp_secret")?)?,
                confirmed: r.try_get::<i64, _>("confirmed")? != 0,
                created_at: parse_time_col(T, &r.try_get::<String, _>("created_at")?)?,
                enabled_at: opt_time(T, r.try_get("enabled_at")?)?,
                last_step: r.try_get("last_step")?,
            })
        })
        .transpose()
    }

    async fn begin_second_factor(
        &self,
        user_id: &str,
        secret: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let sealed = self.secret_box()?.seal(T, user_id, secret.as_bytes())?;
        let _w = self.write().await;
        let done = sqlx::query(
            "INSERT INTO user_second_factors (user_id, totp_secret, confirmed, created_at, \
             enabled_at, last_step) VALUES ($1, $2, $3, $4, NULL, NULL) \
             ON CONFLICT (user_id) DO UPDATE SET totp_secret = excluded.totp_secret, \
             created_at = excluded.created_at, enabled_at = NULL, last_step = NULL \
             WHERE user_second_factors.confirmed = $3",
        )
        .bind(user_id.to_owned())
        .bind(sealed)
        .bind(0_i64)
        .bind(at.to_string())
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "the second factor is already enabled; disable it first".to_owned(),
            ));
        }
        Ok(())
    }

    async fn accept_second_factor_step(
        &self,
        user_id: &str,
        secret: &str,
        step: i64,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        // The stored value is encrypted with a random nonce, so the secret is compared after
        // decryption and the update is conditional on the exact stored value: a secret
        // replaced in between (a new enrolment) makes the update change nothing.
        let _w = self.write().await;
        let stored: Option<(String,)> =
            sqlx::query_as("SELECT totp_secret FROM user_second_factors WHERE user_id = $1")
                .bind(user_id.to_owned())
                .fetch_optional(&self.pool)
                .await?;
        let Some((stored,)) = stored else {
            return Ok(false);
        };
        if self.secret_box()?.open_text(T, user_id, &stored)? != secret {
            return Ok(false);
        }
        let done = sqlx::query(
            "UPDATE user_second_factors SET last_step = $3, confirmed = $4, \
             enabled_at = COALESCE(enabled_at, $5) \
             WHERE user_id = $1 AND totp_secret = $2 AND (last_step IS NULL OR last_step < $3)",
        )
        .bind(user_id.to_owned())
        .bind(stored)
        .bind(step)
        .bind(1_i64)
        .bind(at.to_string())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_second_factor(&self, user_id: &str) -> Result<bool, StoreError> {
        let _w = self.write().await;
        let done = sqlx::query("DELETE FROM user_second_factors WHERE user_id = $1")
            .bind(user_id.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn record_login_failure(
        &self,
        username: &str,
        at: Timestamp,
        window_start: Timestamp,
    ) -> Result<i64, StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM login_failures WHERE username = $1 AND failed_at < $2")
            .bind(username.to_owned())
            .bind(window_start.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO login_failures (username, failed_at) VALUES ($1, $2)")
            .bind(username.to_owned())
            .bind(at.to_string())
            .execute(&mut *tx)
            .await?;
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM login_failures WHERE username = $1 AND failed_at >= $2",
        )
        .bind(username.to_owned())
        .bind(window_start.to_string())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(count)
    }

    async fn clear_login_failures(&self, username: &str) -> Result<(), StoreError> {
        let _w = self.write().await;
        sqlx::query("DELETE FROM login_failures WHERE username = $1")
            .bind(username.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn lock_login(
        &self,
        username: &str,
        at: Timestamp,
        until: Timestamp,
    ) -> Result<(), StoreError> {
        let _w = self.write().await;
        let mut tx = self.pool.begin().await?;
        // Expired locks are of no further use.
        sqlx::query("DELETE FROM login_locks WHERE username = $1 AND locked_until <= $2")
            .bind(username.to_owned())
            .bind(at.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO login_locks (username, locked_at, locked_until) VALUES ($1, $2, $3)",
        )
        .bind(username.to_owned())
        .bind(at.to_string())
        .bind(until.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn login_locked_until(
        &self,
        username: &str,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT locked_until FROM login_locks WHERE username = $1 AND locked_until > $2 \
             ORDER BY locked_until DESC LIMIT 1",
        )
        .bind(username.to_owned())
        .bind(now.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(t,)| parse_time_col("login_locks", &t))
            .transpose()
    }
}
