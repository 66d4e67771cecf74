//! Facilities of the national network.

use ganome_core::{FacilityKind, Prefecture};
use ganome_store::{Facility, NewFacility};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{Actor, Ganome, ServiceError, access};

/// A facility to create or update (administrators).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UpsertFacility {
    /// Stable code.
    pub id: String,
    /// Kind.
    pub kind: FacilityKind,
    /// Japanese name.
    pub name_ja: String,
    /// English name.
    pub name_en: Option<String>,
    /// JIS X 0401 prefecture code (empty for facilities abroad).
    pub prefecture_code: String,
    /// Hosts an expert panel (defaults by kind).
    pub may_host_panel: Option<bool>,
}

impl Ganome {
    /// Every facility, for any authenticated user (the network is not patient data).
    pub async fn list_facilities(&self, _actor: &Actor) -> Result<Vec<Facility>, ServiceError> {
        Ok(self.store.list_facilities().await?)
    }

    /// One facility.
    pub async fn get_facility(&self, _actor: &Actor, id: &str) -> Result<Facility, ServiceError> {
        self.store
            .get_facility(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("facility {id}")))
    }

    /// Creates or updates a facility (administrators).
    pub async fn upsert_facility(
        &self,
        actor: &Actor,
        req: UpsertFacility,
    ) -> Result<Facility, ServiceError> {
        let result = async {
            if !access::may_administer(actor) {
                return Err(ServiceError::Forbidden(
                    "only administrators manage facilities".into(),
                ));
            }
            let mut errors = ganome_core::ValidationErrors::new();
            errors.check(!req.id.trim().is_empty(), "id", "must not be empty");
            errors.check(
                !req.name_ja.trim().is_empty(),
                "name_ja",
                "must not be empty",
            );
            errors.check(
                req.prefecture_code.is_empty()
                    || Prefecture::by_code(&req.prefecture_code).is_some(),
                "prefecture_code",
                "must be a JIS X 0401 code from 01 to 47, or empty for facilities abroad",
            );
            errors.into_result()?;
            self.store
                .upsert_facility(&NewFacility {
                    id: req.id.clone(),
                    kind: req.kind,
                    name_ja: req.name_ja.clone(),
                    name_en: req.name_en.clone(),
                    prefecture_code: req.prefecture_code.clone(),
                    may_host_panel: req
                        .may_host_panel
                        .unwrap_or(req.kind.may_host_panel_by_default()),
                })
                .await?;
            self.get_facility(actor, &req.id).await
        }
        .await;
        self.audit_result(actor, "facility.upsert", "facility", Some(&req.id), result)
            .await
    }
}
