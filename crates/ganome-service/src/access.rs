//! Authorisation: role plus facility scope, as pure functions over the actor and the record,
//! so the rules read in one place and are tested as a matrix.
//!
//! | who | patients | cases | result files |
//! |---|---|---|---|
//! | clinician | own facility's: register, read, consent | ordered by own facility: register, read, ship, explain, follow up | read |
//! | panel member / chair | of cases referred to own panel | ordered by or referred to own facility: read; chair records review | read |
//! | lab | — | ordered from this lab: read, mark results received | upload, read |
//! | data-center administrator | read | all: read, issue findings | read |
//!
//! Findings reports: read by whoever reads the case except the lab (clinicians, the panel,
//! the data center); issued by the data-center administrator (and automatically on results).
//! Knowledge releases are published by the data center's curators, reviewers and
//! administrators.
//! | curator, reviewer, researcher, auditor | — | — | — |
//!
//! The clinical workflow (panel meetings, reviews, explanations, treatments, outcomes):
//!
//! | who | meetings | reviews | explanation, treatment, outcome |
//! |---|---|---|---|
//! | clinician | — | of cases ordered by own facility: read | of cases ordered by own facility: record, read |
//! | panel member / chair | own panel's: hold, finalise, read | cases referred to own panel: record; sign off (chair for live/video meetings, every attending member for 持ち回り) | of cases ordered by or referred to own facility: read |
//! | data-center administrator | all: read | all: read | all: read |
//! | anyone else (lab included) | — | — | — |
//!
//! Re-interpretation alerts (a new findings version with a new or stronger treatment option)
//! are patient-level data, narrower than findings: read by the clinicians of the ordering
//! hospital, the members and chair of the case's expert panel and the data center's
//! administrators; acknowledged by those clinicians and panel members only.
//!
//! Secondary use (利活用; `docs/research.md`): researchers at a research organisation
//! (academia or industry) submit applications and see only their own; the review board's
//! reviewers at the data center see and decide all of them. Releases are built for approved
//! applications by those reviewers or the data center's administrators; only the applicant
//! queries a release (small counts suppressed) or downloads its files. Nobody else — the
//! clinical roles included — reaches any of it.

use ganome_core::{CaseState, Role};
use ganome_store::{
    AlertScope, Case, CaseScope, Facility, PanelMeeting, Patient, ResearchApplication,
};

use crate::Actor;

/// Whether the actor may register patients and cases (a clinician at a hospital).
pub fn may_register(actor: &Actor) -> bool {
    actor.role == Role::Clinician && actor.facility_kind.is_hospital()
}

/// Whether the actor may read this patient, given the panel facilities of the patient's cases.
pub fn may_read_patient(actor: &Actor, patient: &Patient, panel_facilities: &[String]) -> bool {
    match actor.role {
        Role::Clinician => actor.facility_id == patient.facility_id,
        Role::PanelMember | Role::PanelChair => {
            actor.facility_id == patient.facility_id
                || panel_facilities.contains(&actor.facility_id)
        }
        Role::Administrator => actor.is_data_center_admin(),
        _ => false,
    }
}

/// Whether the actor may record or withdraw consent for this patient.
pub fn may_record_consent(actor: &Actor, patient: &Patient) -> bool {
    actor.role == Role::Clinician && actor.facility_id == patient.facility_id
}

/// The cases the actor may see, or `None` for none at all.
pub fn case_scope(actor: &Actor) -> Option<CaseScope> {
    match actor.role {
        Role::Clinician => Some(CaseScope::OrderedBy(actor.facility_id.clone())),
        Role::PanelMember | Role::PanelChair => {
            Some(CaseScope::OrderedByOrPanel(actor.facility_id.clone()))
        }
        Role::Lab => Some(CaseScope::Lab(actor.facility_id.clone())),
        Role::Administrator if actor.is_data_center_admin() => Some(CaseScope::All),
        _ => None,
    }
}

/// Whether the actor may read this case.
pub fn may_read_case(actor: &Actor, case: &Case) -> bool {
    match case_scope(actor) {
        None => false,
        Some(CaseScope::All) => true,
        Some(CaseScope::OrderedBy(f)) => case.ordering_facility_id == f,
        Some(CaseScope::OrderedByOrPanel(f)) => {
            case.ordering_facility_id == f || case.panel_facility_id == f
        }
        Some(CaseScope::Lab(f)) => case.lab_facility_id == f,
    }
}

/// Whether the actor may move this case into state `to`.
pub fn may_transition(actor: &Actor, case: &Case, to: CaseState) -> bool {
    let ordering_clinician =
        actor.role == Role::Clinician && actor.facility_id == case.ordering_facility_id;
    match to {
        CaseState::Registered => false,
        CaseState::SpecimenShipped | CaseState::Explained | CaseState::FollowedUp => {
            ordering_clinician
        }
        CaseState::ResultsReceived => {
            (actor.role == Role::Lab && actor.facility_id == case.lab_facility_id)
                || actor.is_data_center_admin()
        }
        CaseState::FindingsIssued => actor.is_data_center_admin(),
        CaseState::PanelReviewed => {
            actor.role == Role::PanelChair && actor.facility_id == case.panel_facility_id
        }
    }
}

/// Whether the actor may upload result files to this case (the lab it was ordered from).
pub fn may_upload_results(actor: &Actor, case: &Case) -> bool {
    actor.role == Role::Lab && actor.facility_id == case.lab_facility_id
}

/// Whether the actor may read a case's findings reports: anyone who may read the case but the
/// lab, which sends results and has no part in their interpretation.
pub fn may_read_findings(actor: &Actor, case: &Case) -> bool {
    actor.role != Role::Lab && may_read_case(actor, case)
}

/// Whose re-interpretation alerts the actor may list, or `None` for none: a clinician their
/// hospital's cases, a panel member or chair the cases referred to their panel, the data
/// center's administrators all.
pub fn alert_scope(actor: &Actor) -> Option<AlertScope> {
    match actor.role {
        Role::Clinician => Some(AlertScope::OrderedBy(actor.facility_id.clone())),
        Role::PanelMember | Role::PanelChair => {
            Some(AlertScope::PanelOf(actor.facility_id.clone()))
        }
        Role::Administrator if actor.is_data_center_admin() => Some(AlertScope::All),
        _ => None,
    }
}

/// Whether the actor may read this case's re-interpretation alerts (see [`alert_scope`]).
pub fn may_read_alerts(actor: &Actor, case: &Case) -> bool {
    match alert_scope(actor) {
        None => false,
        Some(AlertScope::All) => true,
        Some(AlertScope::OrderedBy(f)) => case.ordering_facility_id == f,
        Some(AlertScope::PanelOf(f)) => case.panel_facility_id == f,
    }
}

/// Whether the actor may acknowledge this case's alerts: the clinicians and the panel who
/// act on them, not the data center that raised them.
pub fn may_acknowledge_alert(actor: &Actor, case: &Case) -> bool {
    actor.role != Role::Administrator && may_read_alerts(actor, case)
}

/// Whether the actor may issue findings by hand (the data center's administrator).
pub fn may_issue_findings(actor: &Actor) -> bool {
    actor.is_data_center_admin()
}

/// Whether the actor may publish a knowledge release (data-center curator, reviewer or
/// administrator).
pub fn may_publish_knowledge(actor: &Actor) -> bool {
    actor.facility_kind == ganome_core::FacilityKind::DataCenter
        && matches!(
            actor.role,
            Role::Curator | Role::Reviewer | Role::Administrator
        )
}

/// Whether the actor may manage facilities and users.
pub fn may_administer(actor: &Actor) -> bool {
    actor.role == Role::Administrator
}

/// Whether the actor may read and verify the audit trail.
pub fn may_audit(actor: &Actor) -> bool {
    matches!(actor.role, Role::Auditor | Role::Administrator)
}

/// Whether the actor may read the national indicators: aggregated counts, not patient
/// data, but about hospitals' activity, so for the data center's administrators and the
/// auditors (DESIGN.md: "administrator / auditor … reads audit trails and national
/// indicators").
pub fn may_read_indicators(actor: &Actor) -> bool {
    matches!(actor.role, Role::Auditor | Role::Administrator)
}

/// Whether the actor may hold (create, finalise) a meeting of `facility`'s expert panel: a
/// panel member or chair of that facility, which must be allowed to host a panel (core, hub,
/// or certified cooperative hospital).
pub fn may_hold_meeting(actor: &Actor, facility: &Facility) -> bool {
    actor.role.is_panel()
        && actor.facility_id == facility.id
        && facility.kind.is_hospital()
        && facility.may_host_panel
}

/// Whether the actor may read a meeting (its date, mode, attendees and agenda).
pub fn may_read_meeting(actor: &Actor, meeting: &PanelMeeting) -> bool {
    (actor.role.is_panel() && actor.facility_id == meeting.panel_facility_id)
        || actor.is_data_center_admin()
}

/// Whether the actor may put `case` on `meeting`'s agenda and record its review: a panel
/// member or chair of the panel the case was referred to at registration.
pub fn may_review_case(actor: &Actor, meeting: &PanelMeeting, case: &Case) -> bool {
    actor.role.is_panel()
        && actor.facility_id == meeting.panel_facility_id
        && case.panel_facility_id == meeting.panel_facility_id
}

/// Whether the actor may sign off a review of `case` at `meeting`: the meeting's chair for a
/// live or video meeting; any attending member with an account for an asynchronous one.
pub fn may_sign_off(actor: &Actor, meeting: &PanelMeeting, case: &Case) -> bool {
    if case.panel_facility_id != meeting.panel_facility_id {
        return false;
    }
    if meeting.mode.every_member_signs() {
        meeting
            .attendees
            .iter()
            .any(|a| a.user_id.as_deref() == Some(actor.user_id.as_str()))
    } else {
        actor.role == Role::PanelChair
            && actor.facility_id == meeting.panel_facility_id
            && meeting.chair_user_id.as_deref() == Some(actor.user_id.as_str())
    }
}

/// The cases whose clinical records (reviews, treatments, outcomes) the actor may read:
/// like [`case_scope`], but labs see none.
pub fn clinical_scope(actor: &Actor) -> Option<CaseScope> {
    match actor.role {
        Role::Lab => None,
        _ => case_scope(actor),
    }
}

/// Whether the actor may read the clinical record of this case.
pub fn may_read_clinical(actor: &Actor, case: &Case) -> bool {
    actor.role != Role::Lab && may_read_case(actor, case)
}

/// Whether the actor may record the explanation, treatments and outcome of this case (a
/// clinician of the ordering hospital).
pub fn may_record_follow_up(actor: &Actor, case: &Case) -> bool {
    actor.role == Role::Clinician && actor.facility_id == case.ordering_facility_id
}

/// Whether the actor may submit a secondary-use application: a researcher at a research
/// organisation, whose kind gives the sector.
pub fn may_apply_for_research(actor: &Actor) -> bool {
    actor.role == Role::Researcher
        && ganome_core::ResearchSector::of_facility(actor.facility_kind).is_some()
}

/// Whether the actor sits on the data-use review board (利活用審査会): a reviewer at the
/// data center. Reviewers read and decide every application.
pub fn may_review_research(actor: &Actor) -> bool {
    actor.role == Role::Reviewer && actor.facility_kind == ganome_core::FacilityKind::DataCenter
}

/// Whether the actor may read this application: its applicant, or the review board.
pub fn may_read_application(actor: &Actor, application: &ResearchApplication) -> bool {
    may_review_research(actor)
        || (actor.role == Role::Researcher && actor.user_id == application.applicant_id)
}

/// Whether the actor may build a release for an approved application: the review board, or
/// the data center's administrators.
pub fn may_build_release(actor: &Actor) -> bool {
    may_review_research(actor) || actor.is_data_center_admin()
}

/// Whether the actor may query and download this application's releases: its applicant
/// only, and only once it is approved.
pub fn may_use_release(actor: &Actor, application: &ResearchApplication) -> bool {
    actor.role == Role::Researcher
        && actor.user_id == application.applicant_id
        && application.state == ganome_core::ApplicationState::Approved
}

#[cfg(test)]
mod tests {
    use super::*;
    use ganome_core::{FacilityKind, SpecimenType, TestProduct, Timestamp};

    fn actor(role: Role, facility: &str, kind: FacilityKind) -> Actor {
        Actor {
            user_id: "u".into(),
            username: "u".into(),
            display_name: "u".into(),
            role,
            facility_id: facility.into(),
            facility_kind: kind,
        }
    }

    fn case() -> Case {
        let t = Timestamp::parse("2019-07-01").unwrap();
        Case {
            id: "c".into(),
            case_number: "GNM-2019-000001".into(),
            patient_id: "p".into(),
            ordering_facility_id: "K001".into(),
            panel_facility_id: "H01".into(),
            lab_facility_id: "L01".into(),
            test_product: TestProduct::FoundationOneCdx,
            specimen_type: SpecimenType::Ffpe,
            specimen_site: None,
            specimen_collected_on: None,
            tumor_content_pct: None,
            oncotree_code: "LUAD".into(),
            stage: None,
            ecog_ps: None,
            state: CaseState::Registered,
            registered_at: t,
            updated_at: t,
        }
    }

    /// The read matrix: every role at the ordering, panel, lab, an unrelated hospital and
    /// the data center.
    #[test]
    fn case_read_matrix() {
        use FacilityKind::*;
        let places = [
            ("K001", CooperativeHospital),
            ("H01", HubHospital),
            ("L01", Lab),
            ("H09", HubHospital),
            ("D01", DataCenter),
        ];
        let mut seen = Vec::new();
        for role in Role::ALL {
            for (f, kind) in places {
                if may_read_case(&actor(*role, f, kind), &case()) {
                    seen.push(format!("{}@{f}", role.as_str()));
                }
            }
        }
        assert_eq!(
            seen,
            [
                "clinician@K001",
                "panel_member@K001",
                "panel_member@H01",
                "panel_chair@K001",
                "panel_chair@H01",
                "lab@L01",
                "administrator@D01",
            ]
        );
    }

    #[test]
    fn transitions_by_role() {
        let c = case();
        let clinician = actor(Role::Clinician, "K001", FacilityKind::CooperativeHospital);
        let lab = actor(Role::Lab, "L01", FacilityKind::Lab);
        let other_lab = actor(Role::Lab, "L02", FacilityKind::Lab);
        let chair = actor(Role::PanelChair, "H01", FacilityKind::HubHospital);
        let member = actor(Role::PanelMember, "H01", FacilityKind::HubHospital);
        assert!(may_transition(&clinician, &c, CaseState::SpecimenShipped));
        assert!(!may_transition(&lab, &c, CaseState::SpecimenShipped));
        assert!(may_transition(&lab, &c, CaseState::ResultsReceived));
        assert!(!may_transition(&other_lab, &c, CaseState::ResultsReceived));
        assert!(may_transition(&chair, &c, CaseState::PanelReviewed));
        assert!(!may_transition(&member, &c, CaseState::PanelReviewed));
        assert!(may_upload_results(&lab, &c) && !may_upload_results(&other_lab, &c));
    }

    #[test]
    fn only_hospital_clinicians_register() {
        assert!(may_register(&actor(
            Role::Clinician,
            "K001",
            FacilityKind::CooperativeHospital
        )));
        assert!(!may_register(&actor(
            Role::Clinician,
            "L01",
            FacilityKind::Lab
        )));
        assert!(!may_register(&actor(
            Role::PanelChair,
            "H01",
            FacilityKind::HubHospital
        )));
    }

    fn meeting(mode: ganome_core::MeetingMode) -> PanelMeeting {
        PanelMeeting {
            id: "m".into(),
            panel_facility_id: "H01".into(),
            held_on: time::macros::date!(2024 - 05 - 01),
            mode,
            sequencing_in_house: false,
            chair_user_id: Some("chair@H01".into()),
            attendees: vec![ganome_store::Attendee {
                name: "member".into(),
                panel_role: ganome_core::PanelRole::Pathologist,
                user_id: Some("panel_member@H01".into()),
            }],
            finalised_at: None,
            created_by: "u".into(),
            created_at: Timestamp::parse("2024-05-01").unwrap(),
        }
    }

    /// Every role at the ordering (cooperative), panel (hub), lab, an unrelated hub and the
    /// data center, against each clinical rule; the answer lists who may.
    #[test]
    fn clinical_matrix() {
        use FacilityKind::*;
        use ganome_core::MeetingMode;
        let places = [
            ("K001", CooperativeHospital),
            ("H01", HubHospital),
            ("L01", Lab),
            ("H09", HubHospital),
            ("D01", DataCenter),
        ];
        let c = case();
        let live = meeting(MeetingMode::Video);
        let asynchronous = meeting(MeetingMode::Asynchronous);
        let who = |rule: &dyn Fn(&Actor) -> bool| {
            let mut out = Vec::new();
            for role in Role::ALL {
                for (f, kind) in places {
                    let mut a = actor(*role, f, kind);
                    // User ids name role and place, so attendee and chair lists can match.
                    a.user_id = format!("{}@{f}", role.as_str());
                    if rule(&a) {
                        out.push(a.user_id);
                    }
                }
            }
            out
        };
        assert_eq!(
            who(&|a| may_read_meeting(a, &live)),
            ["panel_member@H01", "panel_chair@H01", "administrator@D01"]
        );
        assert_eq!(
            who(&|a| may_review_case(a, &live, &c)),
            ["panel_member@H01", "panel_chair@H01"]
        );
        // The chair signs a live meeting; a listed attendee signs an asynchronous one.
        let mut chaired = live.clone();
        chaired.chair_user_id = Some("panel_chair@H01".into());
        assert_eq!(who(&|a| may_sign_off(a, &chaired, &c)), ["panel_chair@H01"]);
        assert_eq!(
            who(&|a| may_sign_off(a, &asynchronous, &c)),
            ["panel_member@H01"]
        );
        assert_eq!(who(&|a| may_record_follow_up(a, &c)), ["clinician@K001"]);
        // Alerts: the ordering clinicians, the case's panel, the data center; not the
        // ordering hospital's own panel members when the case went to another panel.
        assert_eq!(
            who(&|a| may_read_alerts(a, &c)),
            [
                "clinician@K001",
                "panel_member@H01",
                "panel_chair@H01",
                "administrator@D01",
            ]
        );
        assert_eq!(
            who(&|a| may_acknowledge_alert(a, &c)),
            ["clinician@K001", "panel_member@H01", "panel_chair@H01"]
        );
        assert_eq!(
            who(&|a| may_read_clinical(a, &c)),
            [
                "clinician@K001",
                "panel_member@K001",
                "panel_member@H01",
                "panel_chair@K001",
                "panel_chair@H01",
                "administrator@D01",
            ]
        );
        // A case referred elsewhere is refused at this panel, whatever the role.
        let mut elsewhere = c.clone();
        elsewhere.panel_facility_id = "H09".into();
        assert!(who(&|a| may_review_case(a, &live, &elsewhere)).is_empty());
        assert!(who(&|a| may_sign_off(a, &asynchronous, &elsewhere)).is_empty());
    }

    #[test]
    fn only_panel_hosts_hold_meetings() {
        let facility = |id: &str, kind: FacilityKind, may_host_panel: bool| Facility {
            id: id.into(),
            kind,
            name_ja: id.into(),
            name_en: None,
            prefecture_code: "13".into(),
            prefecture_ja: "東京都".into(),
            may_host_panel,
            designations: vec![],
            links: vec![],
        };
        let hub = facility("H01", FacilityKind::HubHospital, true);
        let coop = facility("K001", FacilityKind::CooperativeHospital, false);
        let certified = facility("K002", FacilityKind::CooperativeHospital, true);
        let member = |f: &str, kind| actor(Role::PanelMember, f, kind);
        assert!(may_hold_meeting(
            &member("H01", FacilityKind::HubHospital),
            &hub
        ));
        assert!(!may_hold_meeting(
            &member("H09", FacilityKind::HubHospital),
            &hub
        ));
        assert!(!may_hold_meeting(
            &actor(Role::Clinician, "H01", FacilityKind::HubHospital),
            &hub
        ));
        assert!(!may_hold_meeting(
            &member("K001", FacilityKind::CooperativeHospital),
            &coop
        ));
        assert!(may_hold_meeting(
            &member("K002", FacilityKind::CooperativeHospital),
            &certified
        ));
    }

    #[test]
    fn research_matrix() {
        use FacilityKind::*;
        let application = |state| ResearchApplication {
            id: "a".into(),
            applicant_id: "u".into(),
            facility_id: "R01".into(),
            sector: ganome_core::ResearchSector::Academia,
            title: "t".into(),
            purpose: "p".into(),
            scope: Default::default(),
            duo_codes: vec![],
            state,
            submitted_at: Timestamp::parse("2026-01-01").unwrap(),
            decided_by: None,
            decided_at: None,
            decision_comment: None,
            conditions: None,
            embargo_days: None,
            embargo_reason: None,
        };
        let approved = application(ganome_core::ApplicationState::Approved);
        let submitted = application(ganome_core::ApplicationState::Submitted);
        let places = [
            ("K001", CooperativeHospital),
            ("L01", Lab),
            ("D01", DataCenter),
            ("R01", ResearchAcademia),
            ("R02", ResearchIndustry),
        ];
        let mut seen = Vec::new();
        for role in Role::ALL {
            for (f, kind) in places {
                let a = actor(*role, f, kind);
                let mut can = Vec::new();
                if may_apply_for_research(&a) {
                    can.push("apply");
                }
                if may_review_research(&a) {
                    can.push("review");
                }
                if may_read_application(&a, &submitted) {
                    can.push("read");
                }
                if may_build_release(&a) {
                    can.push("build");
                }
                if may_use_release(&a, &approved) {
                    can.push("use");
                }
                assert!(!may_use_release(&a, &submitted), "not before approval");
                if !can.is_empty() {
                    seen.push(format!("{}@{f}: {}", role.as_str(), can.join(" ")));
                }
            }
        }
        // The test actor's user id is the applicant's, so researchers anywhere "read"; the
        // service checks the user id, and only research organisations may apply.
        assert_eq!(
            seen,
            [
                "reviewer@D01: review read build",
                "researcher@K001: read use",
                "researcher@L01: read use",
                "researcher@D01: read use",
                "researcher@R01: apply read use",
                "researcher@R02: apply read use",
                "administrator@D01: build",
            ]
        );
    }
}
