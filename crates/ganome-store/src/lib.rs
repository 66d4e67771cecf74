//! Ganome's persistence: one [`Store`] trait, implemented once by [`SqlStore`] over sqlx's
//! `Any` driver so the same SQL runs on SQLite (the embedded default) and PostgreSQL
//! (production); result files go to an [`object_store`] backend ([`BlobStore`]): a local
//! folder by default, S3-compatible storage by configuration.
//!
//! ```no_run
//! # async fn demo() -> Result<(), ganome_store::StoreError> {
//! use ganome_store::{SqlStore, Store};
//! let store = SqlStore::connect("sqlite://ganome-data/ganome.db?mode=rwc").await?;
//! store.migrate().await?;
//! // Secrets (pseudonymisation keys, TOTP secrets) are encrypted under a master key.
//! store
//!     .unlock(ganome_store::KeySource::File("ganome-data/master.key".into()))
//!     .await?;
//! let facilities = store.list_facilities().await?;
//! # Ok(()) }
//! ```

mod alerts;
mod audit;
mod blob;
mod clinical;
mod error;
mod findings;
mod indicators;
mod jobs;
mod model;
mod research;
mod second_factor;
pub mod secrets;
mod sql;
mod store;
pub mod testing;

pub use alerts::{AlertFilter, AlertOption, AlertScope, AlertStore, ReinterpretationAlert};
pub use audit::{
    AuditEntry, AuditFilter, AuditRecord, ChainBreak, ChainReport, GENESIS_HASH, chain_hash,
};
pub use blob::{BlobStore, StoredBlob};
pub use clinical::{
    AdverseEvent, Attendee, CaseReview, ClinicalFilter, ClinicalStore, Explanation,
    GermlineFollowUp, Outcome, PanelMeeting, Recommendation, SignOff, Treatment,
};
pub use error::StoreError;
pub use findings::{
    BeaconHit, BeaconVariant, FindingsStore, FindingsVersion, KnowledgeReleaseRecord, NewFindings,
    beacon_variants_of, normalize_chromosome,
};
pub use indicators::{
    CaseFacts, ConsentFacts, FactsFeed, IndicatorStore, IndicatorWindow, MeetingCount, RecordBatch,
};
pub use jobs::{Job, JobCounts, JobState, JobStore, MAX_JOB_ATTEMPTS};
pub use model::{
    Case, CaseEvent, CaseFilter, CaseScope, Consent, Designation, Facility, FacilityLink, NewCase,
    NewConsent, NewFacility, NewPatient, NewResultFile, NewUser, Patient, ResultFile, User,
};
pub use research::{
    ApplicationDecision, ApplicationEvent, ReleaseMember, ResearchApplication, ResearchRelease,
    ResearchScope, ResearchStore,
};
pub use second_factor::{SecondFactor, SecondFactorStore};
pub use secrets::{KeySource, MasterKey, RotationReport};
pub use sql::{Backend, SqlStore};
pub use store::Store;
