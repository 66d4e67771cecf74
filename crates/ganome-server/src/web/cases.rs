//! The case list with its filters, and the case page: header, timeline, result files,
//! findings, panel reviews, explanation, treatments and outcome, with the forms the
//! signed-in role may use (specimen shipped, result upload, follow-up records).

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use ganome_core::{AccessRoute, CaseState, RecistResponse, Role, ValidationErrors, VitalStatus};
use ganome_service::{
    CaseListQuery, ClinicalRecord, IncomingFile, RecordAdverseEvent, RecordExplanation,
    RecordOutcome, RecordResponse, RecordTreatment, ServiceError, TransitionRequest, access,
};
use ganome_store::{Case, CaseEvent, FindingsVersion, Patient, ResultFile, Treatment};
use serde::Deserialize;

use super::forms::{FormData, FormState};
use super::i18n::{Lang, LangQuery};
use super::page::{Names, Nav, error_page, is_htmx, render, see_other, status_of, today};
use super::session::WebUser;
use crate::AppState;

/// The filters of the case list, as the query string carries them.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct CaseFilters {
    state: Option<String>,
    facility: Option<String>,
    oncotree: Option<String>,
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
}

impl CaseFilters {
    fn lang(&self) -> Lang {
        Lang {
            en: self.lang.as_deref() == Some("en"),
        }
    }

    fn form(&self) -> FormData {
        let pairs = [
            ("state", &self.state),
            ("facility", &self.facility),
            ("oncotree", &self.oncotree),
            ("from", &self.from),
            ("to", &self.to),
        ];
        FormData(
            pairs
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| ((*k).to_owned(), v.clone())))
                .collect(),
        )
    }
}

fn nonblank(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    l: Lang,
    nav: Option<Nav>,
    form: FormState,
    cases: Vec<Case>,
    names: Names,
    hospitals: Vec<(String, String)>,
    states: &'static [CaseState],
}

/// The list alone, for htmx filter requests.
#[derive(Template)]
#[template(path = "cases_table.html")]
struct CasesTable {
    l: Lang,
    cases: Vec<Case>,
    names: Names,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    user: WebUser,
    uri: Uri,
    headers: HeaderMap,
    Query(f): Query<CaseFilters>,
) -> Response {
    let l = f.lang();
    let q = CaseListQuery {
        state: nonblank(&f.state),
        facility: nonblank(&f.facility),
        oncotree: nonblank(&f.oncotree).map(|s| s.to_ascii_uppercase()),
        from: nonblank(&f.from),
        to: nonblank(&f.to),
        limit: Some(500),
        offset: None,
    };
    let data = f.form();
    let (cases, form, status) = match state.ganome.list_cases(&user.actor, &q).await {
        Ok(c) => (
            c,
            FormState::filled("form-filters", &data, l),
            StatusCode::OK,
        ),
        Err(e @ ServiceError::Invalid(_)) => (
            Vec::new(),
            FormState::refused("form-filters", &data, &e, l),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => {
            return error_page(e, l, Some(Nav::new(&user, &uri, l, "cases")), &headers);
        }
    };
    let names = Names::load(&state.ganome, &user.actor, l).await;
    if is_htmx(&headers) && status == StatusCode::OK {
        return render(&CasesTable { l, cases, names }, status);
    }
    // Offer only the hospitals whose cases the user can see: their own, and for a panel
    // the hospitals linked to it; the data center and labs choose among all.
    let actor = &user.actor;
    let offered = |f: &ganome_store::Facility| match actor.role {
        Role::Clinician => f.id == actor.facility_id,
        Role::PanelMember | Role::PanelChair => {
            f.id == actor.facility_id || f.links.iter().any(|l| l.parent_id == actor.facility_id)
        }
        _ => true,
    };
    let hospitals = match state.ganome.list_facilities(actor).await {
        Ok(fs) => fs
            .into_iter()
            .filter(|f| f.kind.is_hospital() && offered(f))
            .map(|f| (f.id.clone(), format!("{} {}", f.id, l.facility_name(&f))))
            .collect(),
        Err(_) => Vec::new(),
    };
    render(
        &CasesPage {
            l,
            nav: Some(Nav::new(&user, &uri, l, "cases")),
            form,
            cases,
            names,
            hospitals,
            states: CaseState::ALL,
        },
        status,
    )
}

/// One version of the findings report, as the case page lists it.
#[derive(Debug, Clone)]
pub(crate) struct FindingsRow {
    pub id: String,
    pub version: i64,
    pub issued_at: String,
    pub knowledge_release: String,
    pub report_id: String,
    pub reason: String,
    pub summary: String,
    pub germline_flag: bool,
    pub html_url: String,
    pub other_urls: Vec<(&'static str, String)>,
}

impl FindingsRow {
    pub(crate) fn new(v: &FindingsVersion, l: Lang) -> FindingsRow {
        let base = format!("/api/v1/findings/{}", v.id);
        let mut summary = format!(
            "{} {} · {} {} · {} {}",
            l.alterations(),
            v.alterations,
            l.vus(),
            v.vus,
            l.options(),
            v.options
        );
        if let Some(top) = &v.top_level {
            summary.push_str(&format!(" ({} {top})", l.top_level()));
        }
        summary.push_str(&format!(" · {} {}", l.trials(), v.trials));
        let (this, other, other_label) = if l.en {
            ("en", "ja", "日本語 HTML")
        } else {
            ("ja", "en", "English HTML")
        };
        FindingsRow {
            id: v.id.clone(),
            version: v.version,
            issued_at: l.time(&v.issued_at),
            knowledge_release: v.knowledge_release.clone(),
            report_id: v.report_id.clone(),
            reason: v.reason.clone(),
            summary,
            germline_flag: v.germline_flag,
            html_url: format!("{base}/report.{this}.html"),
            other_urls: vec![
                (other_label, format!("{base}/report.{other}.html")),
                ("JSON", format!("{base}/report.json")),
                ("FHIR", format!("{base}/report.fhir.json")),
                ("TSV", format!("{base}/report.tsv")),
                ("XLSX", format!("{base}/report.xlsx")),
            ],
        }
    }
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    l: Lang,
    nav: Option<Nav>,
    form: FormState,
    case: Case,
    events: Vec<CaseEvent>,
    files: Vec<ResultFile>,
    patient: Option<Patient>,
    names: Names,
    clinical: Option<ClinicalRecord>,
    findings: Vec<FindingsRow>,
    open_alerts: usize,
    next_action: Option<CaseState>,
    may_upload: bool,
    may_issue: bool,
    may_follow_up: bool,
    panel_view: bool,
    clinician_view: bool,
    today: String,
    csrf: String,
    recist: &'static [RecistResponse],
    routes: &'static [AccessRoute],
    vitals: &'static [VitalStatus],
}

impl CasePage {
    fn fs_for(&self, prefix: &str, id: &str) -> FormState {
        self.form.for_id(&format!("{prefix}{id}"))
    }

    fn resp_str(&self, t: &Treatment) -> &'static str {
        t.best_response.map(|b| b.as_str()).unwrap_or_default()
    }

    fn short_pseudonym(&self) -> String {
        self.patient
            .as_ref()
            .map(|p| p.pseudonym.chars().take(12).collect())
            .unwrap_or_else(|| "—".into())
    }

    /// The line a new treatment most likely is (one after the last recorded).
    fn next_line(&self) -> String {
        let last = self
            .clinical
            .as_ref()
            .and_then(|c| c.treatments.iter().map(|t| t.line).max())
            .unwrap_or(0);
        (last + 1).to_string()
    }

    fn may_explain(&self) -> bool {
        self.may_follow_up && self.case.state == CaseState::PanelReviewed
    }

    fn may_treat(&self) -> bool {
        self.may_follow_up
            && matches!(
                self.case.state,
                CaseState::Explained | CaseState::FollowedUp
            )
    }

    /// The recommendations of signed-off reviews a treatment may follow, as (id, label).
    fn rec_options(&self) -> Vec<(String, String)> {
        let Some(c) = &self.clinical else {
            return Vec::new();
        };
        c.reviews
            .iter()
            .filter(|r| r.signed_off_at.is_some())
            .flat_map(|r| r.recommendations.iter())
            .map(|r| {
                let mut label = format!("#{} {}", r.ordinal, r.drug);
                if let Some(b) = &r.biomarker {
                    label.push_str(&format!(" ({b})"));
                }
                label.push_str(&format!(
                    " — {}, {}",
                    self.l.of(r.evidence_level),
                    self.l.of(r.access_route)
                ));
                if let Some(t) = &r.trial_id {
                    label.push_str(&format!(" {t}"));
                }
                (r.id.clone(), label)
            })
            .collect()
    }

    fn rec_label(&self, id: &Option<String>) -> String {
        let Some(id) = id else {
            return self.l.based_on_none().to_owned();
        };
        self.rec_options()
            .into_iter()
            .find(|(i, _)| i == id)
            .map(|(_, l)| l)
            .unwrap_or_else(|| id.clone())
    }

    /// The versions the panel reviews pinned, for the findings section.
    fn pinned_versions(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .clinical
            .as_ref()
            .map(|c| {
                c.reviews
                    .iter()
                    .map(|r| self.version_label(&r.findings_version))
                    .collect()
            })
            .unwrap_or_default();
        v.dedup();
        v
    }

    /// `v2` for a findings version id of this case (the id itself when unknown).
    fn version_label(&self, id: &str) -> String {
        self.findings
            .iter()
            .find(|f| f.id == id)
            .map(|f| format!("v{}", f.version))
            .unwrap_or_else(|| id.to_owned())
    }

    /// Whether a panel review pinned this version.
    fn pinned(&self, id: &str) -> bool {
        self.clinical
            .as_ref()
            .is_some_and(|c| c.reviews.iter().any(|r| r.findings_version == id))
    }
}

/// Renders the case page, with `form` shown again when a post was refused.
#[allow(clippy::too_many_arguments)]
async fn case_page(
    state: &AppState,
    user: &WebUser,
    l: Lang,
    id: &str,
    query: Option<&str>,
    form: FormState,
    status: StatusCode,
    headers: &HeaderMap,
) -> Response {
    let path = format!("/cases/{id}");
    let nav = Nav::at(user, &path, query, l, "cases");
    let g = &state.ganome;
    let actor = &user.actor;
    let detail = match g.get_case(actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(e, l, Some(nav), headers),
    };
    let case = detail.case;
    let patient = if actor.role == Role::Lab {
        None
    } else {
        g.get_patient(actor, &case.patient_id).await.ok()
    };
    let clinical = if access::may_read_clinical(actor, &case) {
        match g.clinical_record(actor, id).await {
            Ok(c) => Some(c),
            Err(e) => return error_page(e, l, Some(nav), headers),
        }
    } else {
        None
    };
    let findings = if access::may_read_findings(actor, &case) {
        match g.list_findings(actor, id).await {
            Ok(v) => v.iter().rev().map(|f| FindingsRow::new(f, l)).collect(),
            Err(e) => return error_page(e, l, Some(nav), headers),
        }
    } else {
        Vec::new()
    };
    let open_alerts = if access::may_read_alerts(actor, &case) {
        let q = ganome_service::AlertListQuery {
            unacknowledged: Some(true),
            case: Some(id.to_owned()),
            limit: None,
        };
        match g.list_alerts(actor, &q).await {
            Ok(a) => a.len(),
            Err(e) => return error_page(e, l, Some(nav), headers),
        }
    } else {
        0
    };
    // Findings are issued by the data center's engine (the form below), never by a bare
    // state change, so `findings_issued` always has a report behind it.
    let next_action = case.state.next().filter(|s| {
        matches!(s, CaseState::SpecimenShipped | CaseState::ResultsReceived)
            && access::may_transition(actor, &case, *s)
            && !(actor.role == Role::Lab && *s == CaseState::ResultsReceived)
    });
    let names = Names::load(g, actor, l).await;
    render(
        &CasePage {
            l,
            nav: Some(nav),
            form,
            may_upload: access::may_upload_results(actor, &case),
            may_issue: access::may_issue_findings(actor)
                && !matches!(
                    case.state,
                    CaseState::Registered | CaseState::SpecimenShipped
                ),
            may_follow_up: access::may_record_follow_up(actor, &case),
            panel_view: actor.role.is_panel() && actor.facility_id == case.panel_facility_id,
            clinician_view: access::may_register(actor)
                && actor.facility_id == case.ordering_facility_id,
            case,
            events: detail.events,
            files: detail.files,
            patient,
            names,
            clinical,
            findings,
            open_alerts,
            next_action,
            today: today(),
            csrf: user.csrf.clone(),
            recist: RecistResponse::ALL,
            routes: AccessRoute::ALL,
            vitals: VitalStatus::ALL,
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
    case_page(
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

/// After a post about case `case_id`: to the case page, or the form again with the errors.
#[allow(clippy::too_many_arguments)]
async fn answer<T>(
    state: &AppState,
    user: &WebUser,
    l: Lang,
    headers: &HeaderMap,
    case_id: &str,
    form_id: &str,
    data: &FormData,
    anchor: &str,
    result: Result<T, ServiceError>,
) -> Response {
    match result {
        Ok(_) => see_other(&format!("/cases/{case_id}{}#{anchor}", l.q()), headers),
        Err(e) => {
            let fs = FormState::refused(form_id, data, &e, l);
            case_page(state, user, l, case_id, None, fs, status_of(&e), headers).await
        }
    }
}

pub(crate) async fn transition(
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
    let to = data.required::<CaseState>(&mut errors, "to", "choose one of the options");
    let at = data.optional_local_time(&mut errors, "at");
    let result = match (to, errors.into_result()) {
        (Some(to), Ok(())) => {
            state
                .ganome
                .transition_case(
                    &user.actor,
                    &id,
                    TransitionRequest {
                        to,
                        at,
                        note: data.opt_text("note"),
                    },
                )
                .await
        }
        (_, Err(e)) => Err(ServiceError::Invalid(e)),
        (None, Ok(())) => Err(ServiceError::invalid("to", "required")),
    };
    answer(
        &state,
        &user,
        l,
        &headers,
        &id,
        "form-transition",
        &data,
        "timeline",
        result,
    )
    .await
}

pub(crate) async fn issue_findings(
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
    let result = state.ganome.issue_findings(&user.actor, &id).await;
    answer(
        &state,
        &user,
        l,
        &headers,
        &id,
        "form-issue",
        &data,
        "findings",
        result,
    )
    .await
}

pub(crate) async fn upload(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    mut multipart: Multipart,
) -> Response {
    let l = q.lang();
    let mut csrf = None;
    let mut files = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => csrf = field.text().await.ok(),
                Some("file") => {
                    let name = field.file_name().unwrap_or_default().to_owned();
                    let media = media_type(&name, field.content_type().unwrap_or_default());
                    match field.bytes().await {
                        // A file input left empty still sends a part without a name.
                        Ok(b) if name.is_empty() && b.is_empty() => {}
                        Ok(content) => files.push(IncomingFile {
                            filename: name,
                            media_type: media,
                            content,
                        }),
                        Err(e) => {
                            return upload_refused(&state, &user, l, &headers, &id, e.body_text())
                                .await;
                        }
                    }
                }
                _ => {}
            },
            Ok(None) => break,
            Err(e) => return upload_refused(&state, &user, l, &headers, &id, e.body_text()).await,
        }
    }
    if let Err(r) = user.check_post(csrf.as_deref(), &headers, l) {
        return *r;
    }
    let names: Vec<String> = files.iter().map(|f| f.filename.clone()).collect();
    let result = if files.is_empty() {
        Err(ServiceError::invalid("file", "choose a file"))
    } else {
        state
            .ganome
            .upload_results(&user.actor, &id, files)
            .await
            .map_err(|e| on_file_input(e, &names))
    };
    answer(
        &state,
        &user,
        l,
        &headers,
        &id,
        "form-upload",
        &FormData::default(),
        "files",
        result,
    )
    .await
}

/// A refused upload whose body could not be read.
async fn upload_refused(
    state: &AppState,
    user: &WebUser,
    l: Lang,
    headers: &HeaderMap,
    id: &str,
    why: String,
) -> Response {
    let err = ServiceError::invalid("file", why);
    answer::<()>(
        state,
        user,
        l,
        headers,
        id,
        "form-upload",
        &FormData::default(),
        "files",
        Err(err),
    )
    .await
}

/// Puts the service's errors about the uploaded files (`files[1].content`, `filename`) on
/// the page's one file input, naming the file each is about.
fn on_file_input(e: ServiceError, names: &[String]) -> ServiceError {
    match e {
        ServiceError::Invalid(mut v) => {
            for f in &mut v.errors {
                let indexed = f
                    .field
                    .strip_prefix("files[")
                    .and_then(|r| r.split_once(']'))
                    .and_then(|(i, _)| i.parse::<usize>().ok());
                if let Some(name) = indexed.and_then(|i| names.get(i)) {
                    f.message = format!("{name}: {}", f.message);
                    f.field = "file".into();
                } else if ["files", "filename", "content"].contains(&f.field.as_str())
                    || f.field.starts_with("content")
                {
                    if let [only] = names {
                        f.message = format!("{only}: {}", f.message);
                    }
                    f.field = "file".into();
                }
            }
            ServiceError::Invalid(v)
        }
        other => other,
    }
}

/// The media type of an uploaded result file: browsers guess from the extension and take
/// `.vcf` for a vCard, so the genomic formats are named here.
fn media_type(filename: &str, sent: &str) -> String {
    let lower = filename.to_ascii_lowercase();
    let known = [
        (".vcf.gz", "application/gzip"),
        (".vcf.bgz", "application/gzip"),
        (".vcf", "text/vcf"),
        (".maf", "text/tab-separated-values"),
        (".tsv", "text/tab-separated-values"),
        (".json", "application/json"),
        (".xml", "application/xml"),
    ];
    known
        .iter()
        .find(|(ext, _)| lower.ends_with(ext))
        .map(|(_, t)| (*t).to_owned())
        .unwrap_or_else(|| sent.to_owned())
}

pub(crate) async fn explain(
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
    let on = data.required_date(&mut errors, "explained_on");
    let result = match (on, errors.into_result()) {
        (Some(explained_on), Ok(())) => {
            state
                .ganome
                .record_explanation(
                    &user.actor,
                    &id,
                    RecordExplanation {
                        explained_on,
                        explained_by: data.text("explained_by"),
                        note: data.opt_text("note"),
                    },
                )
                .await
        }
        (_, Err(e)) => Err(ServiceError::Invalid(e)),
        (None, Ok(())) => Err(ServiceError::invalid("explained_on", "required")),
    };
    answer(
        &state,
        &user,
        l,
        &headers,
        &id,
        "form-explain",
        &data,
        "explanation",
        result,
    )
    .await
}

pub(crate) async fn treat(
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
    let line = data.required::<i64>(&mut errors, "line", "not a whole number");
    let started_on = data.required_date(&mut errors, "started_on");
    let ended_on = data.optional_date(&mut errors, "ended_on");
    let access_route = data.required(&mut errors, "access_route", "choose one of the options");
    let result = match (line, started_on, access_route, errors.into_result()) {
        (Some(line), Some(started_on), Some(access_route), Ok(())) => {
            state
                .ganome
                .record_treatment(
                    &user.actor,
                    &id,
                    RecordTreatment {
                        line,
                        regimen: data.text("regimen"),
                        started_on,
                        ended_on,
                        recommendation_id: data.opt_text("recommendation_id"),
                        access_route,
                        not_given_reason: data.opt_text("not_given_reason"),
                    },
                )
                .await
        }
        (_, _, _, Err(e)) => Err(ServiceError::Invalid(e)),
        _ => Err(ServiceError::invalid("line", "required")),
    };
    answer(
        &state,
        &user,
        l,
        &headers,
        &id,
        "form-treat",
        &data,
        "treatments",
        result,
    )
    .await
}

pub(crate) async fn outcome(
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
    let vital = data.required(&mut errors, "vital_status", "choose one of the options");
    let last = data.required_date(&mut errors, "last_contact_on");
    let result = match (vital, last, errors.into_result()) {
        (Some(vital_status), Some(last_contact_on), Ok(())) => {
            state
                .ganome
                .record_outcome(
                    &user.actor,
                    &id,
                    RecordOutcome {
                        vital_status,
                        last_contact_on,
                        cause_of_death: data.opt_text("cause_of_death"),
                    },
                )
                .await
        }
        (_, _, Err(e)) => Err(ServiceError::Invalid(e)),
        _ => Err(ServiceError::invalid("vital_status", "required")),
    };
    answer(
        &state,
        &user,
        l,
        &headers,
        &id,
        "form-outcome",
        &data,
        "outcome",
        result,
    )
    .await
}

pub(crate) async fn response(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(tid): Path<String>,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, data) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let case_id = data.text("case_id");
    let mut errors = ValidationErrors::new();
    let best = data.optional(&mut errors, "best_response", "choose one of the options");
    let progression_on = data.optional_date(&mut errors, "progression_on");
    let ended_on = data.optional_date(&mut errors, "ended_on");
    let result = match errors.into_result() {
        Ok(()) => {
            state
                .ganome
                .record_response(
                    &user.actor,
                    &tid,
                    RecordResponse {
                        best_response: best,
                        progression_on,
                        ended_on,
                    },
                )
                .await
        }
        Err(e) => Err(ServiceError::Invalid(e)),
    };
    answer(
        &state,
        &user,
        l,
        &headers,
        &case_id,
        &format!("form-response-{tid}"),
        &data,
        &format!("treatment-{tid}"),
        result,
    )
    .await
}

pub(crate) async fn adverse_event(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(tid): Path<String>,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, data) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let case_id = data.text("case_id");
    let mut errors = ValidationErrors::new();
    let grade = data.required::<i64>(&mut errors, "grade", "not a whole number");
    let onset_on = data.optional_date(&mut errors, "onset_on");
    let result = match (grade, errors.into_result()) {
        (Some(grade), Ok(())) => {
            state
                .ganome
                .add_adverse_event(
                    &user.actor,
                    &tid,
                    RecordAdverseEvent {
                        ctcae_term: data.text("ctcae_term"),
                        grade,
                        onset_on,
                    },
                )
                .await
        }
        (_, Err(e)) => Err(ServiceError::Invalid(e)),
        (None, Ok(())) => Err(ServiceError::invalid("grade", "required")),
    };
    answer(
        &state,
        &user,
        l,
        &headers,
        &case_id,
        &format!("form-ae-{tid}"),
        &data,
        &format!("treatment-{tid}"),
        result,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_errors_name_the_file_on_the_one_input() {
        let mut v = ValidationErrors::new();
        v.add("files[1].content", "line 3: not a VCF record");
        v.add("files", "send at least one file");
        let names = vec!["a.vcf".to_owned(), "b.vcf".to_owned()];
        let ServiceError::Invalid(v) = on_file_input(ServiceError::Invalid(v), &names) else {
            panic!("still invalid")
        };
        assert_eq!(v.errors[0].field, "file");
        assert_eq!(v.errors[0].message, "b.vcf: line 3: not a VCF record");
        assert_eq!(v.errors[1].field, "file");
    }

    #[test]
    fn genomic_files_get_their_media_type_not_the_browsers_guess() {
        assert_eq!(media_type("T.vcf", "text/vcard"), "text/vcf");
        assert_eq!(
            media_type("T.VCF.GZ", "application/octet-stream"),
            "application/gzip"
        );
        assert_eq!(
            media_type("report.pdf", "application/pdf"),
            "application/pdf"
        );
    }
}
