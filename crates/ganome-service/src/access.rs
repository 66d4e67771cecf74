//! Authorisation: role plus facility scope, as pure functions over the actor and the record,
//! so the rules read in one place and are tested as a matrix.
//!
//! | who | patients | cases | result files |
//! |---|---|---|---|
//! | clinician | own facility's: register, read, consent | ordered by own facility: register, read, ship, explain, follow up | read |
//! | panel member / chair | of cases referred to own panel | ordered by or referred to own facility: read; chair records review | read |
//! | lab | — | ordered from this lab: read, mark results received | upload, read |
//! | data-center administrator | read | all: read, issue findings | read |
//! | curator, reviewer, researcher, auditor | — | — | — |

use ganome_core::{CaseState, Role};
use ganome_store::{Case, CaseScope, Patient};

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

/// Whether the actor may manage facilities and users.
pub fn may_administer(actor: &Actor) -> bool {
    actor.role == Role::Administrator
}

/// Whether the actor may read and verify the audit trail.
pub fn may_audit(actor: &Actor) -> bool {
    matches!(actor.role, Role::Auditor | Role::Administrator)
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
}
