//! Cases: registration (the case number is issued before the specimen ships), state
//! transitions stamped with their time, scoped listing.

use ganome_core::{
    CaseState, FacilityKind, SpecimenType, TestProduct, Timestamp, ValidationErrors,
};
use ganome_store::{Case, CaseEvent, CaseFilter, NewCase, ResultFile};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

use crate::ids::new_id;
use crate::{Actor, Ganome, ServiceError, access};

/// A case to register for a patient of the actor's hospital.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RegisterCase {
    /// The patient.
    pub patient_id: String,
    /// The lab the test is ordered from.
    pub lab_facility_id: String,
    /// Test ordered.
    pub test_product: TestProduct,
    /// Specimen type.
    pub specimen_type: SpecimenType,
    /// Specimen site.
    pub specimen_site: Option<String>,
    /// Collection date.
    #[schema(value_type = Option<String>, format = Date)]
    pub specimen_collected_on: Option<Date>,
    /// Tumour content, percent (0–100).
    pub tumor_content_pct: Option<f64>,
    /// Diagnosis as an OncoTree code (e.g. `LUAD`).
    pub oncotree_code: String,
    /// Stage.
    pub stage: Option<String>,
    /// ECOG performance status (0–4).
    pub ecog_ps: Option<i64>,
    /// Registration time when entered after the fact (defaults to now).
    pub registered_at: Option<Timestamp>,
}

/// A state change to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TransitionRequest {
    /// The state to enter (the next one).
    pub to: CaseState,
    /// When it happened (defaults to now; not before the last change, not in the future).
    pub at: Option<Timestamp>,
    /// Note, e.g. a shipment tracking number.
    pub note: Option<String>,
}

/// Filters for listing cases.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseListQuery {
    /// Only cases in this state.
    pub state: Option<String>,
    /// Only cases ordered by this facility.
    pub facility: Option<String>,
    /// Only this OncoTree code.
    pub oncotree: Option<String>,
    /// Registered on or after (date or RFC 3339).
    pub from: Option<String>,
    /// Registered before (date or RFC 3339).
    pub to: Option<String>,
    /// Page size (default 100, at most 1000).
    pub limit: Option<i64>,
    /// Offset.
    pub offset: Option<i64>,
}

/// A case with its history and files.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseDetail {
    /// The case.
    #[serde(flatten)]
    pub case: Case,
    /// State changes in order.
    pub events: Vec<CaseEvent>,
    /// Result files received.
    pub files: Vec<ResultFile>,
}

impl Ganome {
    /// Registers a case and issues its case number. A repeat with the same idempotency key
    /// returns the first case and creates nothing; the flag says whether it was created.
    pub async fn register_case(
        &self,
        actor: &Actor,
        req: RegisterCase,
        idempotency_key: Option<&str>,
    ) -> Result<(Case, bool), ServiceError> {
        let result = self.register_case_inner(actor, req, idempotency_key).await;
        let id = result.as_ref().ok().map(|(c, _)| c.id.clone());
        self.audit_result(actor, "case.register", "case", id.as_deref(), result)
            .await
    }

    async fn register_case_inner(
        &self,
        actor: &Actor,
        req: RegisterCase,
        idempotency_key: Option<&str>,
    ) -> Result<(Case, bool), ServiceError> {
        if !access::may_register(actor) {
            return Err(ServiceError::Forbidden(
                "only clinicians at a hospital register cases".into(),
            ));
        }
        let now = Timestamp::now();
        let registered_at = req.registered_at.unwrap_or(now);
        let mut errors = ValidationErrors::new();
        let patient = self.store.get_patient(&req.patient_id).await?;
        match &patient {
            None => errors.add("patient_id", format!("no patient '{}'", req.patient_id)),
            Some(p) if p.facility_id != actor.facility_id => {
                return Err(ServiceError::Forbidden(
                    "the patient is registered at another hospital".into(),
                ));
            }
            Some(_) => {}
        }
        match self.store.get_facility(&req.lab_facility_id).await? {
            Some(f) if f.kind == FacilityKind::Lab => {}
            Some(_) => errors.add(
                "lab_facility_id",
                format!("'{}' is not a lab", req.lab_facility_id),
            ),
            None => errors.add(
                "lab_facility_id",
                format!("no facility '{}'", req.lab_facility_id),
            ),
        }
        if let Some(pct) = req.tumor_content_pct {
            errors.check(
                (0.0..=100.0).contains(&pct),
                "tumor_content_pct",
                "must be 0 to 100",
            );
        }
        if let Some(ps) = req.ecog_ps {
            errors.check((0..=4).contains(&ps), "ecog_ps", "must be 0 to 4");
        }
        errors.check(
            !req.oncotree_code.is_empty()
                && req.oncotree_code.len() <= 16
                && req
                    .oncotree_code
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
            "oncotree_code",
            "must be an OncoTree code such as LUAD or COADREAD",
        );
        errors.check(
            registered_at <= now,
            "registered_at",
            "must not be in the future",
        );
        if let Some(d) = req.specimen_collected_on {
            errors.check(
                d <= registered_at.date_jst(),
                "specimen_collected_on",
                "must not be after registration",
            );
        }
        let ordering = self
            .store
            .get_facility(&actor.facility_id)
            .await?
            .ok_or_else(|| ServiceError::Conflict("your facility no longer exists".into()))?;
        let panel = ordering
            .panel_facility_on(registered_at.date_jst())
            .map(str::to_owned);
        if panel.is_none() {
            errors.add(
                "patient_id",
                format!(
                    "{} has no expert panel and no link to a core or hub hospital on {}",
                    ordering.name_ja,
                    registered_at.date_jst()
                ),
            );
        }
        errors.into_result()?;
        let case = Case {
            id: new_id(),
            case_number: String::new(),
            patient_id: req.patient_id,
            ordering_facility_id: actor.facility_id.clone(),
            panel_facility_id: panel.unwrap_or_default(),
            lab_facility_id: req.lab_facility_id,
            test_product: req.test_product,
            specimen_type: req.specimen_type,
            specimen_site: req.specimen_site,
            specimen_collected_on: req.specimen_collected_on,
            tumor_content_pct: req.tumor_content_pct,
            oncotree_code: req.oncotree_code,
            stage: req.stage,
            ecog_ps: req.ecog_ps,
            state: CaseState::Registered,
            registered_at,
            updated_at: registered_at,
        };
        let new = NewCase {
            case,
            created_by: actor.user_id.clone(),
            idempotency_key: idempotency_key.map(str::to_owned),
        };
        Ok(self.store.insert_case(&new).await?)
    }

    pub(crate) async fn load_case_for_read(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<Case, ServiceError> {
        self.load_case_if(actor, id, access::may_read_case).await
    }

    /// Loads a case and checks it against one access rule.
    pub(crate) async fn load_case_if(
        &self,
        actor: &Actor,
        id: &str,
        allowed: fn(&Actor, &Case) -> bool,
    ) -> Result<Case, ServiceError> {
        let case = self
            .store
            .get_case(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("case {id}")))?;
        if !allowed(actor, &case) {
            return Err(ServiceError::Forbidden(format!(
                "case {id} is outside your facility's scope"
            )));
        }
        Ok(case)
    }

    /// A case with its events and files, if within the actor's scope.
    pub async fn get_case(&self, actor: &Actor, id: &str) -> Result<CaseDetail, ServiceError> {
        let result = async {
            let case = self.load_case_for_read(actor, id).await?;
            let events = self.store.case_events(id).await?;
            let files = self.store.list_result_files(id).await?;
            Ok(CaseDetail {
                case,
                events,
                files,
            })
        }
        .await;
        self.audit_result(actor, "case.read", "case", Some(id), result)
            .await
    }

    /// Cases within the actor's scope matching the query, newest first.
    pub async fn list_cases(
        &self,
        actor: &Actor,
        q: &CaseListQuery,
    ) -> Result<Vec<Case>, ServiceError> {
        let result = async {
            let scope = access::case_scope(actor)
                .ok_or_else(|| ServiceError::Forbidden("your role does not read cases".into()))?;
            let mut errors = ValidationErrors::new();
            let mut filter = CaseFilter::scoped(scope);
            filter.state = q.state.as_deref().and_then(|s| errors.parse("state", s));
            filter.ordering_facility_id = q.facility.clone();
            filter.oncotree_code = q.oncotree.clone();
            filter.registered_from = q.from.as_deref().and_then(|s| errors.parse("from", s));
            filter.registered_before = q.to.as_deref().and_then(|s| errors.parse("to", s));
            filter.limit = q.limit.unwrap_or(100);
            errors.check(
                (1..=1000).contains(&filter.limit),
                "limit",
                "must be 1 to 1000",
            );
            filter.offset = q.offset.unwrap_or(0);
            errors.check(filter.offset >= 0, "offset", "must not be negative");
            errors.into_result()?;
            Ok(self.store.list_cases(&filter).await?)
        }
        .await;
        let mut entry = actor.audit("case.list", "case", None);
        if let Ok(cases) = &result {
            entry.detail = Some(format!("{} cases", cases.len()));
        }
        self.audited(entry, result).await
    }

    /// The cases of one patient, if the actor may read the patient; each case is also
    /// checked against the actor's case scope.
    pub async fn list_patient_cases(
        &self,
        actor: &Actor,
        patient_id: &str,
    ) -> Result<Vec<Case>, ServiceError> {
        let result = async {
            self.load_patient_for_read(actor, patient_id).await?;
            let mut filter = CaseFilter::scoped(ganome_store::CaseScope::All);
            filter.patient_id = Some(patient_id.to_owned());
            filter.limit = 1000;
            let mut cases = self.store.list_cases(&filter).await?;
            cases.retain(|c| access::may_read_case(actor, c));
            Ok(cases)
        }
        .await;
        self.audit_result(actor, "case.list", "patient", Some(patient_id), result)
            .await
    }

    /// Moves a case to its next state, stamped with the time it happened.
    pub async fn transition_case(
        &self,
        actor: &Actor,
        id: &str,
        req: TransitionRequest,
    ) -> Result<Case, ServiceError> {
        let result = async {
            let case = self.load_case_for_read(actor, id).await?;
            if !access::may_transition(actor, &case, req.to) {
                return Err(ServiceError::Forbidden(format!(
                    "a {} may not move this case to {}",
                    actor.role, req.to
                )));
            }
            self.transition_checked(actor, &case, req).await
        }
        .await;
        self.audit_result(actor, "case.transition", "case", Some(id), result)
            .await
    }

    /// Validates and records a transition already authorised.
    pub(crate) async fn transition_checked(
        &self,
        actor: &Actor,
        case: &Case,
        req: TransitionRequest,
    ) -> Result<Case, ServiceError> {
        let now = Timestamp::now();
        let at = req.at.unwrap_or(now);
        let mut errors = ValidationErrors::new();
        errors.check(
            case.state.may_move_to(req.to),
            "to",
            format!(
                "a case in state {} moves next to {}",
                case.state,
                case.state.next().map(|s| s.as_str()).unwrap_or("nothing")
            ),
        );
        errors.check(
            at >= case.updated_at,
            "at",
            format!("must not precede the last change ({})", case.updated_at),
        );
        errors.check(at <= now, "at", "must not be in the future");
        errors.into_result()?;
        Ok(self
            .store
            .transition_case(
                &case.id,
                case.state,
                req.to,
                at,
                &actor.user_id,
                req.note.as_deref(),
            )
            .await?)
    }
}
