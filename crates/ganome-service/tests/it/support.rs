//! What the service story tests share: a service over a test store, users with tokens, and
//! the places of the shipped network a story walks through.

use std::sync::Arc;

use ganome_core::{FacilityKind, Role};
use ganome_service::{Actor, CreateUser, Ganome, GanomeConfig};
use ganome_store::{BlobStore, Store, testing::TestStore};

/// Services over a test store, files in `dir`.
pub fn ganome(t: &TestStore, dir: &std::path::Path) -> Ganome {
    Ganome::new(
        Arc::new(t.store.clone()) as Arc<dyn Store>,
        BlobStore::local(dir).unwrap(),
        GanomeConfig::default(),
    )
}

/// A user with a password and an API token, returned as the authenticated actor.
pub async fn user(g: &Ganome, name: &str, role: Role, facility: &str) -> Actor {
    g.create_user_as_operator(CreateUser {
        username: name.into(),
        display_name: name.into(),
        password: Some("a long demo password".into()),
        role,
        facility_id: facility.into(),
    })
    .await
    .unwrap();
    let token = g.create_api_token(name, "test").await.unwrap();
    g.authenticate_token(&token).await.unwrap()
}

/// Facility ids of the loaded shipped network that the stories use.
pub struct Places {
    /// A cooperative hospital (not panel-certified) linked to a panel.
    pub coop: String,
    /// The core or hub hospital whose panel the cooperative hospital is linked to.
    pub hub: String,
    /// Another hub hospital, unrelated to the cooperative hospital.
    pub unrelated: String,
    /// A lab.
    pub lab: String,
    /// The data center.
    pub dc: String,
}

/// Loads the shipped network and picks the places.
pub async fn places(g: &Ganome) -> Places {
    g.load_shipped_network().await.unwrap();
    let facilities = g.store().list_facilities().await.unwrap();
    let coop = facilities
        .iter()
        .find(|f| {
            f.kind == FacilityKind::CooperativeHospital && !f.may_host_panel && !f.links.is_empty()
        })
        .unwrap();
    let hub = coop.links[0].parent_id.clone();
    let first = |kind: FacilityKind, not: &str| {
        facilities
            .iter()
            .find(|f| f.kind == kind && f.id != not)
            .unwrap()
            .id
            .clone()
    };
    Places {
        coop: coop.id.clone(),
        unrelated: first(FacilityKind::HubHospital, &hub),
        lab: first(FacilityKind::Lab, ""),
        dc: first(FacilityKind::DataCenter, ""),
        hub,
    }
}
