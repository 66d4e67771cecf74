//! Ganome's workflows, framework-free: the HTTP server and the CLI are thin adapters over
//! [`Ganome`], so both behave identically. Every function that touches patient-level data
//! takes the acting [`Actor`], checks role and facility scope ([`access`]), and writes an
//! audit row whatever the outcome.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use ganome_service::Ganome;
//! let ganome = Ganome::open_embedded(std::path::Path::new("ganome-data")).await?;
//! let actor = ganome.authenticate_token("…token…").await?;
//! let facilities = ganome.list_facilities(&actor).await?;
//! # Ok(()) }
//! ```

pub mod access;
mod actor;
pub mod alerts;
mod audit_trail;
mod auth;
pub mod beacon;
mod cases;
mod error;
mod facilities;
pub mod fhir_clinical;
mod files;
mod findings;
mod followup;
mod ganome;
mod ids;
pub mod indicators;
pub mod jobs;
pub mod network;
pub mod panel;
mod patients;
pub mod phenopacket;
pub mod research;
pub mod scenario;
pub mod second_factor;
mod users;

pub use actor::Actor;
pub use alerts::AlertListQuery;
pub use audit_trail::{AuditSearch, OUTCOMES as AUDIT_OUTCOMES};
pub use auth::{LoginOutcome, SESSION_HOURS};
pub use cases::{CaseDetail, CaseListQuery, RegisterCase, TransitionRequest};
pub use error::ServiceError;
pub use facilities::UpsertFacility;
pub use files::{IncomingFile, ResultsUpload, UploadedFile};
pub use findings::{AnnotationEngine, FindingsDocument, FindingsFormat};
pub use followup::{
    ClinicalRecord, RecordAdverseEvent, RecordExplanation, RecordOutcome, RecordResponse,
    RecordTreatment,
};
pub use ganome::{Ganome, GanomeConfig};
pub use panel::{ClinicalListQuery, CreateMeeting, MeetingDetail, NewRecommendation, RecordReview};
pub use patients::{RecordConsent, RegisterPatient};
pub use research::{
    ApplicationDetail, CountBy, DecideApplication, Decision, DownloadQuery, ReleaseCounts,
    ReleaseFormat, ReleaseQuery, SubmitApplication,
};
pub use second_factor::{SecondFactorEnrolment, SecondFactorStatus};
pub use users::CreateUser;
