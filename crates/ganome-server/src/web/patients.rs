//! The clinician's patient pages: register a patient (the record number is pseudonymised by
//! the service and never stored), find one by record number, record consent, and order a
//! test, which registers the case and issues its case number.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use ganome_core::{
    ConsentItems, ConsentMethod, FacilityKind, GermlineDisclosure, Sex, SpecimenType, TestProduct,
    Timestamp, ValidationErrors,
};
use ganome_service::{RecordConsent, RegisterCase, RegisterPatient, ServiceError};
use ganome_store::{Case, Consent, Patient};

use super::forms::{FormData, FormState};
use super::i18n::{Lang, LangQuery};
use super::page::{Names, Nav, error_page, render, see_other, status_of};
use super::session::WebUser;
use crate::AppState;

#[derive(Template)]
#[template(path = "patients.html")]
struct PatientsPage {
    l: Lang,
    nav: Option<Nav>,
    form: FormState,
    patients: Vec<Patient>,
    sexes: &'static [Sex],
    csrf: String,
}

async fn patients_page(
    state: &AppState,
    user: &WebUser,
    l: Lang,
    query: Option<&str>,
    form: FormState,
    status: StatusCode,
    headers: &HeaderMap,
) -> Response {
    let nav = Nav::at(user, "/patients", query, l, "patients");
    match state.ganome.list_patients(&user.actor, 200).await {
        Ok(patients) => render(
            &PatientsPage {
                l,
                nav: Some(nav),
                form,
                patients,
                sexes: Sex::ALL,
                csrf: user.csrf.clone(),
            },
            status,
        ),
        Err(e) => error_page(e, l, Some(nav), headers),
    }
}

pub(crate) async fn list(
    State(state): State<AppState>,
    user: WebUser,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    patients_page(
        &state,
        &user,
        q.lang(),
        uri.query(),
        FormState::default(),
        StatusCode::OK,
        &headers,
    )
    .await
}

pub(crate) async fn register(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, data) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let mut errors = ValidationErrors::new();
    let sex = data.required(&mut errors, "sex", "choose one of the options");
    let year = data.required::<i64>(&mut errors, "birth_year", "not a whole number");
    let month = data.required::<i64>(&mut errors, "birth_month", "not a whole number");
    let result = match (sex, year, month, errors.into_result()) {
        (Some(sex), Some(birth_year), Some(birth_month), Ok(())) => {
            state
                .ganome
                .register_patient(
                    &user.actor,
                    RegisterPatient {
                        record_number: data.text("record_number"),
                        sex,
                        birth_year,
                        birth_month,
                    },
                    None,
                )
                .await
        }
        (_, _, _, Err(e)) => Err(ServiceError::Invalid(e)),
        _ => Err(ServiceError::invalid("sex", "required")),
    };
    match result {
        Ok(p) => see_other(&format!("/patients/{}{}", p.id, l.q()), &headers),
        Err(e) => {
            // The record number is not shown again: it is the one identifying field.
            let mut kept = data.clone();
            kept.0.retain(|(k, _)| k != "record_number");
            let fs = FormState::refused("form-patient", &kept, &e, l);
            patients_page(&state, &user, l, None, fs, status_of(&e), &headers).await
        }
    }
}

pub(crate) async fn find(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, data) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let result = match data.get("record_number") {
        None => Err(ServiceError::invalid("record_number", "required")),
        Some(n) => {
            state
                .ganome
                .find_patient_by_record_number(&user.actor, n)
                .await
        }
    };
    match result {
        Ok(p) => see_other(&format!("/patients/{}{}", p.id, l.q()), &headers),
        Err(e) => {
            let fs = FormState::refused("form-find", &FormData::default(), &e, l);
            patients_page(&state, &user, l, None, fs, status_of(&e), &headers).await
        }
    }
}

#[derive(Template)]
#[template(path = "patient.html")]
struct PatientPage {
    l: Lang,
    nav: Option<Nav>,
    form: FormState,
    patient: Patient,
    consents: Vec<Consent>,
    cases: Vec<Case>,
    labs: Vec<(String, String)>,
    names: Names,
    may_register: bool,
    /// Some consent is not withdrawn (the withdrawal form is shown).
    any_in_force: bool,
    now_local: String,
    tests: &'static [TestProduct],
    specimens: &'static [SpecimenType],
    methods: &'static [ConsentMethod],
    disclosures: &'static [GermlineDisclosure],
    csrf: String,
}

#[allow(clippy::too_many_arguments)]
async fn patient_page(
    state: &AppState,
    user: &WebUser,
    l: Lang,
    id: &str,
    query: Option<&str>,
    form: FormState,
    status: StatusCode,
    headers: &HeaderMap,
) -> Response {
    let nav = Nav::at(user, &format!("/patients/{id}"), query, l, "patients");
    let g = &state.ganome;
    let actor = &user.actor;
    let patient = match g.get_patient(actor, id).await {
        Ok(p) => p,
        Err(e) => return error_page(e, l, Some(nav), headers),
    };
    let consents = match g.list_consents(actor, id).await {
        Ok(c) => c,
        Err(e) => return error_page(e, l, Some(nav), headers),
    };
    let cases = match g.list_patient_cases(actor, id).await {
        Ok(c) => c,
        Err(e) => return error_page(e, l, Some(nav), headers),
    };
    let labs = match g.list_facilities(actor).await {
        Ok(fs) => fs
            .into_iter()
            .filter(|f| f.kind == FacilityKind::Lab)
            .map(|f| (f.id.clone(), format!("{} {}", f.id, l.facility_name(&f))))
            .collect(),
        Err(e) => return error_page(e, l, Some(nav), headers),
    };
    let now = Timestamp::now()
        .datetime()
        .to_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap_or(time::UtcOffset::UTC));
    render(
        &PatientPage {
            l,
            nav: Some(nav),
            form,
            may_register: ganome_service::access::may_record_consent(actor, &patient),
            any_in_force: consents.iter().any(|c| c.withdrawn_at.is_none()),
            patient,
            consents,
            cases,
            labs,
            names: Names::load(g, actor, l).await,
            now_local: format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}",
                now.year(),
                now.month() as u8,
                now.day(),
                now.hour(),
                now.minute()
            ),
            tests: TestProduct::ALL,
            specimens: SpecimenType::ALL,
            methods: ConsentMethod::ALL,
            disclosures: GermlineDisclosure::ALL,
            csrf: user.csrf.clone(),
        },
        status,
    )
}

pub(crate) async fn show(
    State(state): State<AppState>,
    user: WebUser,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    patient_page(
        &state,
        &user,
        q.lang(),
        &id,
        uri.query(),
        FormState::default(),
        StatusCode::OK,
        &headers,
    )
    .await
}

pub(crate) async fn consent(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, data) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let mut errors = ValidationErrors::new();
    let method = data.required(&mut errors, "method", "choose one of the options");
    let disclosure = data.required(
        &mut errors,
        "items.germline_disclosure",
        "choose one of the options",
    );
    let given_at = match data.get("given_at") {
        None => {
            errors.add("given_at", "required");
            None
        }
        Some(_) => data.optional_local_time(&mut errors, "given_at"),
    };
    let result = match (method, disclosure, given_at, errors.into_result()) {
        (Some(method), Some(germline_disclosure), Some(given_at), Ok(())) => {
            state
                .ganome
                .record_consent(
                    &user.actor,
                    &id,
                    RecordConsent {
                        form_version: data.text("form_version"),
                        method,
                        items: ConsentItems {
                            registration: data.checked("items.registration"),
                            secondary_use_academia: data.checked("items.secondary_use_academia"),
                            secondary_use_industry: data.checked("items.secondary_use_industry"),
                            overseas_transfer: data.checked("items.overseas_transfer"),
                            recontact: data.checked("items.recontact"),
                            germline_disclosure,
                        },
                        given_at,
                    },
                )
                .await
        }
        (_, _, _, Err(e)) => Err(ServiceError::Invalid(e)),
        _ => Err(ServiceError::invalid("method", "required")),
    };
    match result {
        Ok(_) => see_other(&format!("/patients/{id}{}#consents", l.q()), &headers),
        Err(e) => {
            let fs = FormState::refused("form-consent", &data, &e, l);
            patient_page(&state, &user, l, &id, None, fs, status_of(&e), &headers).await
        }
    }
}

/// Records the withdrawal of one of the patient's consents (同意撤回): from then on the
/// patient's data is not registered or shared, and the indicators count it.
pub(crate) async fn withdraw_consent(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, data) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let mut errors = ValidationErrors::new();
    let consent_id = data.get("consent_id").map(str::to_owned);
    if consent_id.is_none() {
        errors.add("consent_id", "choose one of the options");
    }
    let at = match data.get("withdrawn_at") {
        None => {
            errors.add("withdrawn_at", "required");
            None
        }
        Some(_) => data.optional_local_time(&mut errors, "withdrawn_at"),
    };
    let g = &state.ganome;
    let result = match (consent_id, errors.into_result()) {
        (Some(cid), Ok(())) => {
            // Only a consent of this patient, whatever id the form carried.
            match g.list_consents(&user.actor, &id).await {
                Ok(cs) if cs.iter().any(|c| c.id == cid) => {
                    g.withdraw_consent(&user.actor, &cid, at).await
                }
                Ok(_) => Err(ServiceError::invalid(
                    "consent_id",
                    "not a consent of this patient",
                )),
                Err(e) => Err(e),
            }
        }
        (_, Err(e)) => Err(ServiceError::Invalid(e)),
        (None, Ok(())) => Err(ServiceError::invalid("consent_id", "required")),
    };
    match result {
        Ok(_) => see_other(&format!("/patients/{id}{}#consents", l.q()), &headers),
        Err(e) => {
            let fs = FormState::refused("form-withdraw", &data, &e, l);
            patient_page(&state, &user, l, &id, None, fs, status_of(&e), &headers).await
        }
    }
}

pub(crate) async fn register_case(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, data) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let mut errors = ValidationErrors::new();
    let test = data.required(&mut errors, "test_product", "choose one of the options");
    let specimen = data.required(&mut errors, "specimen_type", "choose one of the options");
    let collected = data.optional_date(&mut errors, "specimen_collected_on");
    let pct = data.optional::<f64>(&mut errors, "tumor_content_pct", "not a number");
    let ps = data.optional::<i64>(&mut errors, "ecog_ps", "not a whole number");
    if data.get("lab_facility_id").is_none() {
        errors.add("lab_facility_id", "required");
    }
    let result = match (test, specimen, errors.into_result()) {
        (Some(test_product), Some(specimen_type), Ok(())) => {
            state
                .ganome
                .register_case(
                    &user.actor,
                    RegisterCase {
                        patient_id: id.clone(),
                        lab_facility_id: data.text("lab_facility_id"),
                        test_product,
                        specimen_type,
                        specimen_site: data.opt_text("specimen_site"),
                        specimen_collected_on: collected,
                        tumor_content_pct: pct,
                        oncotree_code: data.text("oncotree_code").to_ascii_uppercase(),
                        stage: data.opt_text("stage"),
                        ecog_ps: ps,
                        registered_at: None,
                    },
                    None,
                )
                .await
        }
        (_, _, Err(e)) => Err(ServiceError::Invalid(e)),
        _ => Err(ServiceError::invalid("test_product", "required")),
    };
    match result {
        Ok((case, _)) => see_other(&format!("/cases/{}{}", case.id, l.q()), &headers),
        Err(e) => {
            let fs = FormState::refused("form-case", &data, &e, l);
            patient_page(&state, &user, l, &id, None, fs, status_of(&e), &headers).await
        }
    }
}
