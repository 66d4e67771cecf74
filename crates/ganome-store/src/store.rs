//! The store trait the services use. One implementation ([`crate::SqlStore`]) serves both
//! databases; the trait keeps services free of SQL and lets tests substitute a store.

use async_trait::async_trait;
use ganome_core::{CaseState, Timestamp};

use crate::{
    AlertStore, AuditEntry, AuditFilter, AuditRecord, Case, CaseEvent, CaseFilter, ChainReport,
    ClinicalStore, Consent, Facility, FindingsStore, IndicatorStore, JobStore, NewCase, NewConsent,
    NewFacility, NewPatient, NewResultFile, NewUser, Patient, ResearchStore, ResultFile,
    SecondFactorStore, StoreError, User,
};

/// Everything Ganome persists; the clinical workflow's records are in [`ClinicalStore`],
/// re-interpretation alerts in [`AlertStore`], second factors and failed logins in
/// [`SecondFactorStore`].
#[async_trait]
pub trait Store:
    AlertStore
    + ClinicalStore
    + FindingsStore
    + IndicatorStore
    + JobStore
    + ResearchStore
    + SecondFactorStore
    + Send
    + Sync
    + 'static
{
    /// Brings the schema up to date.
    async fn migrate(&self) -> Result<(), StoreError>;

    // Facilities.
    /// Creates a facility, or updates its names, prefecture and panel flag if it exists.
    async fn upsert_facility(&self, facility: &NewFacility) -> Result<(), StoreError>;
    /// Records a designation period (ignored if the same start is already recorded).
    async fn add_designation(
        &self,
        facility_id: &str,
        valid_from: time::Date,
        valid_until: Option<time::Date>,
    ) -> Result<(), StoreError>;
    /// Links a cooperative hospital to a core or hub hospital from a date.
    async fn add_facility_link(
        &self,
        cooperative_id: &str,
        parent_id: &str,
        valid_from: time::Date,
        source: &str,
    ) -> Result<(), StoreError>;
    /// All facilities with designations and links, ordered by id.
    async fn list_facilities(&self) -> Result<Vec<Facility>, StoreError>;
    /// One facility.
    async fn get_facility(&self, id: &str) -> Result<Option<Facility>, StoreError>;
    /// The facility's pseudonymisation secret, created on first use.
    async fn facility_secret(&self, facility_id: &str) -> Result<Vec<u8>, StoreError>;

    // Users and credentials.
    /// Creates a user; `Conflict` if the name is taken.
    async fn insert_user(&self, user: &NewUser) -> Result<User, StoreError>;
    /// A user and their password hash, by login name.
    async fn get_user_by_username(
        &self,
        username: &str,
    ) -> Result<Option<(User, Option<String>)>, StoreError>;
    /// A user by id.
    async fn get_user(&self, id: &str) -> Result<Option<User>, StoreError>;
    /// All users, ordered by name.
    async fn list_users(&self) -> Result<Vec<User>, StoreError>;
    /// Stores a login session by the hash of its token.
    async fn insert_session(
        &self,
        token_hash: &str,
        user_id: &str,
        created_at: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;
    /// The user of an unexpired session.
    async fn session_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<User>, StoreError>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Stores an API token by its hash.
    async fn insert_api_token(
        &self,
        token_hash: &str,
        user_id: &str,
        label: &str,
        created_at: Timestamp,
    ) -> Result<(), StoreError>;
    /// The user of an unrevoked API token.
    async fn api_token_user(&self, token_hash: &str) -> Result<Option<User>, StoreError>;

    // Patients and consent.
    /// Registers a patient; with an idempotency key, a repeat returns the first patient.
    async fn insert_patient(
        &self,
        patient: &NewPatient,
        idempotency_key: Option<&str>,
    ) -> Result<Patient, StoreError>;
    /// A patient by id.
    async fn get_patient(&self, id: &str) -> Result<Option<Patient>, StoreError>;
    /// A patient by facility and pseudonym.
    async fn find_patient(
        &self,
        facility_id: &str,
        pseudonym: &str,
    ) -> Result<Option<Patient>, StoreError>;
    /// Patients of a facility (all facilities when `None`), newest first.
    async fn list_patients(
        &self,
        facility_id: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Patient>, StoreError>;
    /// Records a consent.
    async fn insert_consent(&self, consent: &NewConsent) -> Result<Consent, StoreError>;
    /// A consent by id.
    async fn get_consent(&self, id: &str) -> Result<Option<Consent>, StoreError>;
    /// A patient's consents, oldest first (withdrawn ones included).
    async fn list_consents(&self, patient_id: &str) -> Result<Vec<Consent>, StoreError>;
    /// Marks a consent withdrawn; `Conflict` if already withdrawn.
    async fn withdraw_consent(
        &self,
        id: &str,
        at: Timestamp,
        by_user: &str,
    ) -> Result<Consent, StoreError>;

    // Cases.
    /// Registers a case and its first event; with an idempotency key, a repeat returns the
    /// first case and creates nothing.
    async fn insert_case(&self, case: &NewCase) -> Result<(Case, bool), StoreError>;
    /// A case by id.
    async fn get_case(&self, id: &str) -> Result<Option<Case>, StoreError>;
    /// Cases matching a filter, newest first.
    async fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>, StoreError>;
    /// Moves a case from `from` to `to`; `Conflict` if it is no longer in `from`.
    async fn transition_case(
        &self,
        case_id: &str,
        from: CaseState,
        to: CaseState,
        at: Timestamp,
        by_user: &str,
        note: Option<&str>,
    ) -> Result<Case, StoreError>;
    /// A case's state changes, in order.
    async fn case_events(&self, case_id: &str) -> Result<Vec<CaseEvent>, StoreError>;
    /// The number of cases registered so far in a year (for case numbers).
    async fn count_cases_registered_in(&self, year: i32) -> Result<i64, StoreError>;

    // Result files.
    /// Records stored result files, all in one transaction.
    async fn insert_result_files(&self, files: &[NewResultFile]) -> Result<(), StoreError>;
    /// A result file and its storage key.
    async fn get_result_file(&self, id: &str) -> Result<Option<(ResultFile, String)>, StoreError>;
    /// A case's result files, oldest first.
    async fn list_result_files(&self, case_id: &str) -> Result<Vec<ResultFile>, StoreError>;

    // Audit.
    /// Appends an entry to the chain and returns its sequence number.
    async fn append_audit(&self, entry: &AuditEntry) -> Result<i64, StoreError>;
    /// The newest entries, newest first.
    async fn list_audit(
        &self,
        limit: i64,
        before_seq: Option<i64>,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        self.search_audit(&AuditFilter::default(), limit, before_seq)
            .await
    }
    /// The newest entries that pass `filter`, newest first, before `before_seq` if given.
    async fn search_audit(
        &self,
        filter: &AuditFilter,
        limit: i64,
        before_seq: Option<i64>,
    ) -> Result<Vec<AuditRecord>, StoreError>;
    /// Checks the whole chain and names the first broken link.
    async fn verify_audit_chain(&self) -> Result<ChainReport, StoreError>;
}
