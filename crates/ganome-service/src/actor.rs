//! The authenticated caller.

use ganome_core::{FacilityKind, Role};
use ganome_store::{AuditEntry, User};
use serde::Serialize;
use utoipa::ToSchema;

/// Who is acting: a user with one role at one facility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Actor {
    /// User id.
    pub user_id: String,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Facility the user acts for.
    pub facility_id: String,
    /// That facility's kind.
    pub facility_kind: FacilityKind,
}

impl Actor {
    /// Builds the actor for a user at a facility of `facility_kind`.
    pub fn new(user: &User, facility_kind: FacilityKind) -> Actor {
        Actor {
            user_id: user.id.clone(),
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            facility_id: user.facility_id.clone(),
            facility_kind,
        }
    }

    /// An audit entry for an action by this actor; outcome set by the caller.
    pub(crate) fn audit(
        &self,
        action: &str,
        entity_type: &str,
        entity_id: Option<&str>,
    ) -> AuditEntry {
        AuditEntry {
            at: ganome_core::Timestamp::now(),
            user_id: Some(self.user_id.clone()),
            username: Some(self.username.clone()),
            role: Some(self.role.as_str().to_owned()),
            facility_id: Some(self.facility_id.clone()),
            action: action.to_owned(),
            entity_type: entity_type.to_owned(),
            entity_id: entity_id.map(str::to_owned),
            outcome: "ok".to_owned(),
            detail: None,
        }
    }

    /// Whether the actor is data-center staff administering the whole network.
    pub fn is_data_center_admin(&self) -> bool {
        self.facility_kind == FacilityKind::DataCenter
            && self.role == ganome_core::Role::Administrator
    }
}
