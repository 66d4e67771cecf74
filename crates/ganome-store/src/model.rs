//! The records the store keeps. Field names are the API's names too.

use ganome_core::{
    CaseState, ConsentItems, ConsentMethod, FacilityKind, Role, Sex, SpecimenType, TestProduct,
    Timestamp,
};
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

/// A period a facility is designated for (指定期間).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Designation {
    /// First day of the designation.
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    /// Last day, when known.
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_until: Option<Date>,
}

/// The dated link of a cooperative hospital (連携病院) to one core or hub hospital.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FacilityLink {
    /// The core or hub hospital whose expert panel reviews this hospital's cases.
    pub parent_id: String,
    /// First day of the link.
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    /// Last day, when ended.
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_until: Option<Date>,
    /// Where the link comes from (e.g. `document`, `region-rule`).
    pub source: String,
}

impl FacilityLink {
    /// Whether the link is in force on `day`.
    pub fn valid_on(&self, day: Date) -> bool {
        self.valid_from <= day && self.valid_until.is_none_or(|u| day <= u)
    }
}

/// A facility of the national network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Facility {
    /// Stable code, e.g. `C01` (core), `H12` (hub), `K031` (cooperative).
    pub id: String,
    /// Kind of facility.
    pub kind: FacilityKind,
    /// Japanese name.
    pub name_ja: String,
    /// English name, when known.
    pub name_en: Option<String>,
    /// JIS X 0401 prefecture code.
    pub prefecture_code: String,
    /// Prefecture name in Japanese.
    pub prefecture_ja: String,
    /// Whether the facility hosts an expert panel (core, hub, or certified cooperative).
    pub may_host_panel: bool,
    /// Designation periods, oldest first.
    pub designations: Vec<Designation>,
    /// Links to a core or hub hospital (cooperative hospitals only), oldest first.
    pub links: Vec<FacilityLink>,
}

impl Facility {
    /// The core or hub hospital this facility's cases go to on `day`: itself when it hosts a
    /// panel, else its linked hospital.
    pub fn panel_facility_on(&self, day: Date) -> Option<&str> {
        if self.may_host_panel {
            return Some(&self.id);
        }
        self.links
            .iter()
            .rev()
            .find(|l| l.valid_on(day))
            .map(|l| l.parent_id.as_str())
    }
}

/// A facility to create.
#[derive(Debug, Clone)]
pub struct NewFacility {
    /// Stable code.
    pub id: String,
    /// Kind.
    pub kind: FacilityKind,
    /// Japanese name.
    pub name_ja: String,
    /// English name.
    pub name_en: Option<String>,
    /// JIS X 0401 prefecture code.
    pub prefecture_code: String,
    /// Whether it hosts an expert panel.
    pub may_host_panel: bool,
}

/// A user account, scoped to one facility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct User {
    /// Opaque id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Name shown in the UI and the audit trail.
    pub display_name: String,
    /// What the user does.
    pub role: Role,
    /// The facility the user acts for.
    pub facility_id: String,
    /// When the account was made.
    pub created_at: Timestamp,
    /// Disabled accounts cannot log in or use tokens.
    pub disabled: bool,
}

/// A user to create.
#[derive(Clone)]
pub struct NewUser {
    /// Opaque id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// argon2id PHC string, or none for token-only machine clients.
    pub password_hash: Option<String>,
    /// Role.
    pub role: Role,
    /// Facility.
    pub facility_id: String,
    /// Creation time.
    pub created_at: Timestamp,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("id", &self.id)
            .field("username", &self.username)
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "<redacted>"),
            )
            .field("role", &self.role)
            .field("facility_id", &self.facility_id)
            .finish()
    }
}

/// A patient, keyed by a pseudonym (a keyed hash of the hospital's record number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Patient {
    /// Opaque id.
    pub id: String,
    /// The registering hospital.
    pub facility_id: String,
    /// HMAC-SHA256 of the record number under the facility's secret (hex).
    pub pseudonym: String,
    /// Sex.
    pub sex: Sex,
    /// Birth year.
    pub birth_year: i64,
    /// Birth month (1–12).
    pub birth_month: i64,
    /// Registration time.
    pub created_at: Timestamp,
}

/// A patient to create.
#[derive(Debug, Clone)]
pub struct NewPatient {
    /// The record to insert.
    pub patient: Patient,
    /// Who registers.
    pub created_by: String,
}

/// One consent (同意) given by a patient; withdrawal keeps the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Consent {
    /// Opaque id.
    pub id: String,
    /// The patient.
    pub patient_id: String,
    /// Version of the consent form signed.
    pub form_version: String,
    /// Paper or electronic.
    pub method: ConsentMethod,
    /// The answers.
    pub items: ConsentItems,
    /// When given.
    pub given_at: Timestamp,
    /// When withdrawn, if so.
    pub withdrawn_at: Option<Timestamp>,
    /// Who recorded it.
    pub recorded_by: String,
}

/// A consent to record.
#[derive(Debug, Clone)]
pub struct NewConsent {
    /// The record.
    pub consent: Consent,
}

/// A case: one test episode.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Case {
    /// Opaque id.
    pub id: String,
    /// The case number issued at registration (before the specimen ships), e.g. `GNM-2019-000123`.
    pub case_number: String,
    /// The patient.
    pub patient_id: String,
    /// The ordering hospital.
    pub ordering_facility_id: String,
    /// The facility whose expert panel reviews the case (fixed at registration).
    pub panel_facility_id: String,
    /// The lab the test is ordered from.
    pub lab_facility_id: String,
    /// Test ordered.
    pub test_product: TestProduct,
    /// Specimen type.
    pub specimen_type: SpecimenType,
    /// Specimen site (e.g. primary, liver metastasis).
    pub specimen_site: Option<String>,
    /// Collection date.
    #[schema(value_type = Option<String>, format = Date)]
    pub specimen_collected_on: Option<Date>,
    /// Tumour content in percent.
    pub tumor_content_pct: Option<f64>,
    /// Diagnosis as an OncoTree code.
    pub oncotree_code: String,
    /// Stage.
    pub stage: Option<String>,
    /// ECOG performance status (0–4).
    pub ecog_ps: Option<i64>,
    /// Current state.
    pub state: CaseState,
    /// Registration time.
    pub registered_at: Timestamp,
    /// Time of the last state change.
    pub updated_at: Timestamp,
}

/// A case to register.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// The record (state `registered`).
    pub case: Case,
    /// Who registers.
    pub created_by: String,
    /// The request's Idempotency-Key, if any.
    pub idempotency_key: Option<String>,
}

/// One state change of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CaseEvent {
    /// Order within the case, from 1.
    pub seq: i64,
    /// The state entered.
    pub state: CaseState,
    /// When.
    pub at: Timestamp,
    /// By whom (user id).
    pub by_user: String,
    /// Free-text note.
    pub note: Option<String>,
}

/// Which cases a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseScope {
    /// Every case (data-center administration).
    All,
    /// Cases ordered by this facility.
    OrderedBy(String),
    /// Cases ordered by, or referred to the panel of, this facility.
    OrderedByOrPanel(String),
    /// Cases ordered from this lab.
    Lab(String),
}

/// Filters for listing cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFilter {
    /// Who is looking.
    pub scope: CaseScope,
    /// Only cases in this state.
    pub state: Option<CaseState>,
    /// Only cases ordered by this facility.
    pub ordering_facility_id: Option<String>,
    /// Only this OncoTree code.
    pub oncotree_code: Option<String>,
    /// Only this patient's cases.
    pub patient_id: Option<String>,
    /// Registered on or after.
    pub registered_from: Option<Timestamp>,
    /// Registered before.
    pub registered_before: Option<Timestamp>,
    /// At most this many, newest first.
    pub limit: i64,
    /// Skip this many.
    pub offset: i64,
}

impl CaseFilter {
    /// All cases within a scope, up to 100.
    pub fn scoped(scope: CaseScope) -> CaseFilter {
        CaseFilter {
            scope,
            state: None,
            ordering_facility_id: None,
            oncotree_code: None,
            patient_id: None,
            registered_from: None,
            registered_before: None,
            limit: 100,
            offset: 0,
        }
    }
}

/// A result file as received from a lab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ResultFile {
    /// Opaque id.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// File name as uploaded.
    pub filename: String,
    /// Media type as uploaded.
    pub media_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the content (hex).
    pub sha256: String,
    /// Who uploaded.
    pub uploaded_by: String,
    /// When.
    pub uploaded_at: Timestamp,
}

/// A result file to record (its content is already in the blob store).
#[derive(Debug, Clone)]
pub struct NewResultFile {
    /// The record.
    pub file: ResultFile,
    /// Where the content is in the blob store.
    pub storage_key: String,
}
