//! Ganome's domain vocabulary: facility kinds, roles, consent items, case states and the
//! validation errors that say which field was wrong. Pure: no I/O.
//!
//! ```
//! use ganome_core::{CaseState, FacilityKind};
//!
//! assert!(FacilityKind::HubHospital.may_host_panel_by_default());
//! assert_eq!(CaseState::Registered.next(), Some(CaseState::SpecimenShipped));
//! assert_eq!("results_received".parse::<CaseState>().unwrap(), CaseState::ResultsReceived);
//! ```

mod case;
mod consent;
mod facility;
mod panel;
mod patient;
mod research;
mod role;
mod text_enum;
mod timestamp;
mod validation;

pub use case::{CaseState, SpecimenType, TestProduct};
pub use consent::{ConsentItems, ConsentMethod, GermlineDisclosure};
pub use facility::{FacilityKind, PREFECTURES, Prefecture};
pub use panel::{
    AccessRoute, JpEvidenceLevel, MeetingMode, PanelRole, RecistResponse, VitalStatus,
};
pub use patient::Sex;
pub use research::{ApplicationState, ResearchSector};
pub use role::Role;
pub use text_enum::UnknownVariant;
pub use timestamp::{Timestamp, parse_date};
pub use validation::{FieldError, ValidationErrors};
