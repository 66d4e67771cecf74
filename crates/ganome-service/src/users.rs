//! User accounts (administrators manage them).

use ganome_core::{Role, Timestamp};
use ganome_store::{NewUser, User};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::hash_password;
use crate::ids::new_id;
use crate::{Actor, Ganome, ServiceError, access};

/// A user to create.
#[derive(Clone, Deserialize, ToSchema)]
pub struct CreateUser {
    /// Login name (letters, digits, `.`, `_`, `-`).
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Password (at least 12 characters); omit for token-only machine clients.
    pub password: Option<String>,
    /// Role.
    pub role: Role,
    /// Facility code.
    pub facility_id: String,
}

impl std::fmt::Debug for CreateUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUser")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("role", &self.role)
            .field("facility_id", &self.facility_id)
            .finish()
    }
}

impl Ganome {
    /// Creates a user without an acting user: the operator's `ganome user add` and the demo.
    pub async fn create_user_as_operator(&self, req: CreateUser) -> Result<User, ServiceError> {
        let mut errors = ganome_core::ValidationErrors::new();
        errors.check(
            !req.username.is_empty()
                && req
                    .username
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
            "username",
            "use letters, digits, '.', '_' or '-'",
        );
        errors.check(
            !req.display_name.trim().is_empty(),
            "display_name",
            "must not be empty",
        );
        if let Some(p) = &req.password {
            errors.check(
                p.chars().count() >= 12,
                "password",
                "must be at least 12 characters",
            );
        }
        let facility = self.store.get_facility(&req.facility_id).await?;
        errors.check(
            facility.is_some(),
            "facility_id",
            format!("no facility '{}'", req.facility_id),
        );
        if let (Some(f), Role::Lab) = (&facility, req.role) {
            errors.check(
                f.kind == ganome_core::FacilityKind::Lab,
                "role",
                "the lab role belongs to a lab facility",
            );
        }
        errors.into_result()?;
        let password_hash = req.password.as_deref().map(hash_password).transpose()?;
        Ok(self
            .store
            .insert_user(&NewUser {
                id: new_id(),
                username: req.username.clone(),
                display_name: req.display_name.clone(),
                password_hash,
                role: req.role,
                facility_id: req.facility_id.clone(),
                created_at: Timestamp::now(),
            })
            .await?)
    }

    /// Creates a user (administrators).
    pub async fn create_user(&self, actor: &Actor, req: CreateUser) -> Result<User, ServiceError> {
        let username = req.username.clone();
        let result = async {
            if !access::may_administer(actor) {
                return Err(ServiceError::Forbidden(
                    "only administrators manage users".into(),
                ));
            }
            self.create_user_as_operator(req).await
        }
        .await;
        self.audit_result(actor, "user.create", "user", Some(&username), result)
            .await
    }

    /// All users (administrators).
    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<User>, ServiceError> {
        if !access::may_administer(actor) {
            return Err(ServiceError::Forbidden(
                "only administrators list users".into(),
            ));
        }
        Ok(self.store.list_users().await?)
    }

    /// The panel members and chairs of the actor's own facility, for recording who attends
    /// a meeting (a panel member or chair asks; names and roles only leave the service).
    pub async fn list_panel_colleagues(&self, actor: &Actor) -> Result<Vec<User>, ServiceError> {
        let result = async {
            if !actor.role.is_panel() {
                return Err(ServiceError::Forbidden(
                    "only panel members list their panel's members".into(),
                ));
            }
            let mut users: Vec<User> = self
                .store
                .list_users()
                .await?
                .into_iter()
                .filter(|u| u.facility_id == actor.facility_id && u.role.is_panel() && !u.disabled)
                .collect();
            users.sort_by(|a, b| a.display_name.cmp(&b.display_name));
            Ok(users)
        }
        .await;
        self.audit_result(actor, "user.list_panel", "user", None, result)
            .await
    }
}
