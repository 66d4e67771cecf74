//! Expert panel pages (エキスパートパネル): the meetings of the signed-in member's panel with a
//! form to record one (date, mode, chair, who attends in what capacity), and the meeting
//! page — attendance, the required composition with what is missing, finalisation, the
//! agenda of referred cases with the review form (findings version, discussion, germline
//! follow-up, recommendations) and sign-off.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use ganome_core::{
    AccessRoute, CaseState, JpEvidenceLevel, MeetingMode, PanelRole, ValidationErrors,
};
use ganome_service::panel::composition::{Applies, Composition};
use ganome_service::{
    CaseListQuery, ClinicalListQuery, CreateMeeting, MeetingDetail, NewRecommendation,
    RecordReview, ServiceError, access,
};
use ganome_store::{Attendee, Case, CaseReview, GermlineFollowUp, PanelMeeting, User};

use super::forms::{FormData, FormState};
use super::i18n::{Lang, LangQuery};
use super::page::{Names, Nav, error_page, render, see_other, status_of, today};
use super::session::WebUser;
use crate::AppState;

/// Rows for attendees without an account on the meeting form.
const GUEST_ROWS: usize = 3;
/// Recommendation rows on the review form.
const RECOMMENDATION_ROWS: usize = 3;

/// Renames `attendees[3].name` to `row5.name` (or whatever form row the service's index
/// stands for), so an error lands on the row the user filled.
fn remap(e: ServiceError, prefix: &str, rows: &[String]) -> ServiceError {
    match e {
        ServiceError::Invalid(mut v) => {
            for f in &mut v.errors {
                if let Some(rest) = f.field.strip_prefix(&format!("{prefix}["))
                    && let Some((i, tail)) = rest.split_once(']')
                    && let Ok(i) = i.parse::<usize>()
                    && let Some(row) = rows.get(i)
                {
                    f.field = format!("{row}{tail}");
                }
            }
            ServiceError::Invalid(v)
        }
        other => other,
    }
}

/// The input names of one attendee row of the meeting form.
#[derive(Debug, Clone)]
pub(crate) struct AttendeeRow {
    /// The colleague (none for a guest row).
    pub user: Option<User>,
    /// 1-based number shown for guest rows.
    pub n: usize,
    pub attends: String,
    pub user_id: String,
    pub name: String,
    pub role: String,
}

impl AttendeeRow {
    fn new(prefix: String, user: Option<User>, n: usize) -> AttendeeRow {
        AttendeeRow {
            user,
            n,
            attends: format!("{prefix}.attends"),
            user_id: format!("{prefix}.user_id"),
            name: format!("{prefix}.name"),
            role: format!("{prefix}.panel_role"),
        }
    }
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    l: Lang,
    nav: Option<Nav>,
    form: FormState,
    meetings: Vec<PanelMeeting>,
    colleagues: Vec<AttendeeRow>,
    guests: Vec<AttendeeRow>,
    names: Names,
    modes: &'static [MeetingMode],
    roles: &'static [PanelRole],
    today: String,
    csrf: String,
}

async fn meetings_page(
    state: &AppState,
    user: &WebUser,
    l: Lang,
    query: Option<&str>,
    form: FormState,
    status: StatusCode,
    headers: &HeaderMap,
) -> Response {
    let nav = Nav::at(user, "/panel", query, l, "panel");
    let g = &state.ganome;
    let mut meetings = match g
        .list_meetings(&user.actor, &ClinicalListQuery::default())
        .await
    {
        Ok(m) => m,
        Err(e) => return error_page(e, l, Some(nav), headers),
    };
    meetings.reverse();
    let colleagues = if user.actor.role.is_panel() {
        match g.list_panel_colleagues(&user.actor).await {
            Ok(c) => c,
            Err(e) => return error_page(e, l, Some(nav), headers),
        }
    } else {
        Vec::new()
    };
    render(
        &MeetingsPage {
            l,
            nav: Some(nav),
            form,
            meetings,
            colleagues: colleagues
                .into_iter()
                .enumerate()
                .map(|(i, u)| AttendeeRow::new(format!("row{i}"), Some(u), i + 1))
                .collect(),
            guests: (0..GUEST_ROWS)
                .map(|j| AttendeeRow::new(format!("guest{j}"), None, j + 1))
                .collect(),
            names: Names::load(g, &user.actor, l).await,
            modes: MeetingMode::ALL,
            roles: PanelRole::ALL,
            today: today(),
            csrf: user.csrf.clone(),
        },
        status,
    )
}

pub(crate) async fn list(
    State(state): State<AppState>,
    user: WebUser,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    meetings_page(
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

pub(crate) async fn create(
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
    let held_on = data.required_date(&mut errors, "held_on");
    let mode = data.required(&mut errors, "mode", "choose one of the options");
    let mut attendees = Vec::new();
    let mut rows = Vec::new();
    let colleague_rows = data
        .0
        .iter()
        .filter(|(k, _)| k.starts_with("row") && k.ends_with(".user_id"))
        .count();
    for i in 0..colleague_rows {
        let row = format!("row{i}");
        if !data.checked(&format!("{row}.attends")) {
            continue;
        }
        let role = data.required(
            &mut errors,
            &format!("{row}.panel_role"),
            "choose one of the options",
        );
        if let Some(panel_role) = role {
            attendees.push(Attendee {
                name: data.text(&format!("{row}.name")),
                panel_role,
                user_id: data.opt_text(&format!("{row}.user_id")),
            });
            rows.push(row);
        }
    }
    for j in 0..GUEST_ROWS {
        let row = format!("guest{j}");
        let Some(name) = data.opt_text(&format!("{row}.name")) else {
            continue;
        };
        if let Some(panel_role) = data.required(
            &mut errors,
            &format!("{row}.panel_role"),
            "choose one of the options",
        ) {
            attendees.push(Attendee {
                name,
                panel_role,
                user_id: None,
            });
            rows.push(row);
        }
    }
    let result = match (held_on, mode, errors.into_result()) {
        (Some(held_on), Some(mode), Ok(())) => state
            .ganome
            .create_meeting(
                &user.actor,
                CreateMeeting {
                    held_on,
                    mode,
                    sequencing_in_house: data.checked("sequencing_in_house"),
                    chair_user_id: data.opt_text("chair_user_id"),
                    attendees,
                },
            )
            .await
            .map_err(|e| remap(e, "attendees", &rows)),
        (_, _, Err(e)) => Err(ServiceError::Invalid(e)),
        _ => Err(ServiceError::invalid("held_on", "required")),
    };
    match result {
        Ok(m) => see_other(&format!("/panel/meetings/{}{}", m.id, l.q()), &headers),
        Err(e) => {
            let fs = FormState::refused("form-meeting", &data, &e, l);
            meetings_page(&state, &user, l, None, fs, status_of(&e), &headers).await
        }
    }
}

/// One line of the composition check.
#[derive(Debug, Clone)]
pub(crate) struct CompositionRow {
    pub role: PanelRole,
    pub min: usize,
    pub have: usize,
    pub text_ja: String,
}

impl CompositionRow {
    fn ok(&self) -> bool {
        self.have >= self.min
    }
}

/// A review on the agenda with its case.
#[derive(Debug, Clone)]
pub(crate) struct AgendaItem {
    pub review: CaseReview,
    pub case: Option<Case>,
    pub may_sign: bool,
    pub signed_here: bool,
}

/// A findings version a review may pin, with its case.
#[derive(Debug, Clone)]
pub(crate) struct VersionOption {
    pub case_id: String,
    pub id: String,
    pub label: String,
    /// The latest version of a case awaiting review (pre-selected only when it is the only
    /// case, so a choice is never made for the user between cases).
    pub candidate: bool,
}

/// The input names of one recommendation row of the review form.
#[derive(Debug, Clone)]
pub(crate) struct RecommendationRow {
    pub n: usize,
    pub drug: String,
    pub biomarker: String,
    pub evidence_level: String,
    pub access_route: String,
    pub trial_id: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    l: Lang,
    nav: Option<Nav>,
    form: FormState,
    meeting: PanelMeeting,
    agenda: Vec<AgendaItem>,
    composition: Vec<CompositionRow>,
    candidates: Vec<Case>,
    names: Names,
    may_hold: bool,
    chair_name: String,
    rec_rows: Vec<RecommendationRow>,
    versions: Vec<VersionOption>,
    levels: &'static [JpEvidenceLevel],
    routes: &'static [AccessRoute],
    csrf: String,
}

impl MeetingPage {
    fn composition_ok(&self) -> bool {
        self.composition.iter().all(CompositionRow::ok)
    }

    /// `GNM-… v2` for a findings version id (the id itself when unknown).
    fn version_label(&self, id: &str) -> String {
        self.versions
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.label.clone())
            .unwrap_or_else(|| id.to_owned())
    }

    fn candidate_versions(&self) -> Vec<&VersionOption> {
        self.versions.iter().filter(|v| v.candidate).collect()
    }

    fn signoff_form(&self, review_id: &str) -> FormState {
        self.form.for_id(&format!("form-signoff-{review_id}"))
    }

    /// Every input name of the review form (errors elsewhere are listed above it).
    fn review_fields(&self) -> Vec<&str> {
        let mut v = vec![
            "case_id",
            "findings_version",
            "discussion",
            "germline.counselling_referral",
            "germline.confirmatory_test",
            "germline.note",
        ];
        for r in &self.rec_rows {
            v.extend([
                r.drug.as_str(),
                r.biomarker.as_str(),
                r.evidence_level.as_str(),
                r.access_route.as_str(),
                r.trial_id.as_str(),
                r.note.as_str(),
            ]);
        }
        v
    }

    fn attendee_name(&self, user_id: &str) -> String {
        self.meeting
            .attendees
            .iter()
            .find(|a| a.user_id.as_deref() == Some(user_id))
            .map(|a| a.name.clone())
            .unwrap_or_else(|| user_id.to_owned())
    }

    /// How many must sign a review of this meeting.
    fn signers_needed(&self) -> usize {
        if self.meeting.mode.every_member_signs() {
            self.meeting
                .attendees
                .iter()
                .filter(|a| a.user_id.is_some())
                .count()
        } else {
            1
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn meeting_page(
    state: &AppState,
    user: &WebUser,
    l: Lang,
    id: &str,
    query: Option<&str>,
    form: FormState,
    status: StatusCode,
    headers: &HeaderMap,
) -> Response {
    let nav = Nav::at(user, &format!("/panel/meetings/{id}"), query, l, "panel");
    let g = &state.ganome;
    let actor = &user.actor;
    let MeetingDetail { meeting, agenda } = match g.get_meeting(actor, id).await {
        Ok(d) => d,
        Err(e) => return error_page(e, l, Some(nav), headers),
    };
    let rule = Composition::shipped();
    let composition = rule
        .requirements
        .iter()
        .filter(|r| r.applies == Applies::Always || meeting.sequencing_in_house)
        .map(|r| CompositionRow {
            role: r.role,
            min: r.min,
            have: meeting
                .attendees
                .iter()
                .filter(|a| a.panel_role == r.role)
                .count(),
            text_ja: r.text_ja.clone(),
        })
        .collect();
    let mut items = Vec::new();
    for review in agenda {
        let case = g
            .get_case(actor, &review.case_id)
            .await
            .ok()
            .map(|d| d.case);
        let may_sign = case
            .as_ref()
            .is_some_and(|c| access::may_sign_off(actor, &meeting, c))
            && meeting.finalised_at.is_some()
            && review.signed_off_at.is_none();
        let signed_here = review.signoffs.iter().any(|s| s.user_id == actor.user_id);
        items.push(AgendaItem {
            review,
            case,
            may_sign,
            signed_here,
        });
    }
    let on_agenda: Vec<String> = items.iter().map(|i| i.review.case_id.clone()).collect();
    let candidates = match g
        .list_cases(
            actor,
            &CaseListQuery {
                state: Some(CaseState::FindingsIssued.as_str().to_owned()),
                limit: Some(1000),
                ..CaseListQuery::default()
            },
        )
        .await
    {
        Ok(cs) => cs
            .into_iter()
            .filter(|c| {
                c.panel_facility_id == meeting.panel_facility_id && !on_agenda.contains(&c.id)
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    let mut versions = Vec::new();
    let agenda_cases = items.iter().filter_map(|i| i.case.as_ref());
    for (c, candidate) in candidates
        .iter()
        .map(|c| (c, true))
        .chain(agenda_cases.map(|c| (c, false)))
    {
        if let Ok(vs) = g.list_findings(actor, &c.id).await {
            for v in vs.iter().rev() {
                versions.push(VersionOption {
                    case_id: c.id.clone(),
                    id: v.id.clone(),
                    label: format!(
                        "{} v{} · {} · {}",
                        c.case_number,
                        v.version,
                        v.knowledge_release,
                        l.time(&v.issued_at)
                    ),
                    candidate,
                });
            }
        }
    }
    let may_hold = actor.role.is_panel() && actor.facility_id == meeting.panel_facility_id;
    let chair_name = meeting
        .chair_user_id
        .as_ref()
        .map(|c| {
            meeting
                .attendees
                .iter()
                .find(|a| a.user_id.as_ref() == Some(c))
                .map(|a| a.name.clone())
                .unwrap_or_else(|| c.clone())
        })
        .unwrap_or_else(|| "—".into());
    render(
        &MeetingPage {
            l,
            nav: Some(nav),
            form,
            names: Names::load(g, actor, l).await,
            meeting,
            agenda: items,
            composition,
            candidates,
            may_hold,
            chair_name,
            rec_rows: (0..RECOMMENDATION_ROWS)
                .map(|i| {
                    let f = |x: &str| format!("recommendations[{i}].{x}");
                    RecommendationRow {
                        n: i + 1,
                        drug: f("drug"),
                        biomarker: f("biomarker"),
                        evidence_level: f("evidence_level"),
                        access_route: f("access_route"),
                        trial_id: f("trial_id"),
                        note: f("note"),
                    }
                })
                .collect(),
            versions,
            levels: JpEvidenceLevel::ALL,
            routes: AccessRoute::ALL,
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
    meeting_page(
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

/// After a post about meeting `id`: back to its page, or the form again with the errors.
#[allow(clippy::too_many_arguments)]
async fn answer<T>(
    state: &AppState,
    user: &WebUser,
    l: Lang,
    headers: &HeaderMap,
    id: &str,
    form_id: &str,
    data: &FormData,
    anchor: &str,
    result: Result<T, ServiceError>,
) -> Response {
    match result {
        Ok(_) => see_other(&format!("/panel/meetings/{id}{}#{anchor}", l.q()), headers),
        Err(e) => {
            let fs = FormState::refused(form_id, data, &e, l);
            meeting_page(state, user, l, id, None, fs, status_of(&e), headers).await
        }
    }
}

pub(crate) async fn finalise(
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
    let result = state.ganome.finalise_meeting(&user.actor, &id).await;
    answer(
        &state,
        &user,
        l,
        &headers,
        &id,
        "form-finalise",
        &data,
        "attendance",
        result,
    )
    .await
}

pub(crate) async fn review(
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
    if data.get("case_id").is_none() {
        errors.add("case_id", "required");
    }
    let mut recommendations = Vec::new();
    let mut rows = Vec::new();
    for i in 0..RECOMMENDATION_ROWS {
        let row = format!("recommendations[{i}]");
        let field = |f: &str| format!("{row}.{f}");
        let Some(drug) = data.opt_text(&field("drug")) else {
            continue;
        };
        let level = data.required(
            &mut errors,
            &field("evidence_level"),
            "choose one of the options",
        );
        let route = data.required(
            &mut errors,
            &field("access_route"),
            "choose one of the options",
        );
        if let (Some(evidence_level), Some(access_route)) = (level, route) {
            recommendations.push(NewRecommendation {
                drug,
                biomarker: data.opt_text(&field("biomarker")),
                evidence_level,
                access_route,
                trial_id: data.opt_text(&field("trial_id")),
                note: data.opt_text(&field("note")),
            });
            rows.push(row);
        }
    }
    let result = match errors.into_result() {
        Ok(()) => state
            .ganome
            .add_review(
                &user.actor,
                &id,
                RecordReview {
                    case_id: data.text("case_id"),
                    findings_version: data.text("findings_version"),
                    discussion: data.text("discussion"),
                    germline: GermlineFollowUp {
                        counselling_referral: data.checked("germline.counselling_referral"),
                        confirmatory_test: data.checked("germline.confirmatory_test"),
                        note: data.opt_text("germline.note"),
                    },
                    recommendations,
                },
            )
            .await
            .map_err(|e| remap(e, "recommendations", &rows)),
        Err(e) => Err(ServiceError::Invalid(e)),
    };
    answer(
        &state,
        &user,
        l,
        &headers,
        &id,
        "form-review",
        &data,
        "agenda",
        result,
    )
    .await
}

pub(crate) async fn sign_off(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Path(rid): Path<String>,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, data) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let meeting_id = data.text("meeting_id");
    let result = state.ganome.sign_off_review(&user.actor, &rid).await;
    answer(
        &state,
        &user,
        l,
        &headers,
        &meeting_id,
        &format!("form-signoff-{rid}"),
        &data,
        &format!("review-{rid}"),
        result,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_land_on_the_form_row_the_service_index_stands_for() {
        // Form rows 0 and 2 were filled, row 1 left blank: the service's second
        // recommendation is the form's third row.
        let rows = vec![
            "recommendations[0]".to_owned(),
            "recommendations[2]".to_owned(),
        ];
        let e = ServiceError::invalid(
            "recommendations[1].trial_id",
            "a clinical-trial route needs the trial id",
        );
        let ServiceError::Invalid(v) = remap(e, "recommendations", &rows) else {
            panic!("still a validation error")
        };
        assert_eq!(v.errors[0].field, "recommendations[2].trial_id");
        let attendees = vec!["row3".to_owned()];
        let e = ServiceError::invalid("attendees[0].user_id", "no user 'x'");
        let ServiceError::Invalid(v) = remap(e, "attendees", &attendees) else {
            panic!("still a validation error")
        };
        assert_eq!(v.errors[0].field, "row3.user_id");
        // Errors on the whole list keep their name.
        let e = ServiceError::invalid("attendees", "must list who attends");
        let ServiceError::Invalid(v) = remap(e, "attendees", &attendees) else {
            panic!("still a validation error")
        };
        assert_eq!(v.errors[0].field, "attendees");
    }
}
