//! The required composition of an expert panel meeting, loaded from
//! `data/panel/composition.toml` (the MHLW designation requirements) so the rule is data that
//! can be revised with the guideline, not code.

use std::sync::OnceLock;

use ganome_core::{PanelRole, ValidationErrors};
use ganome_store::Attendee;
use serde::Deserialize;

const COMPOSITION_TOML: &str = include_str!("../../../../data/panel/composition.toml");

/// When a requirement applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    /// At every meeting.
    Always,
    /// Only when the hospital sequences and analyses in house.
    SequencingInHouse,
}

/// One requirement: at least `min` attendees in `role`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Requirement {
    /// The role counted.
    pub role: PanelRole,
    /// The fewest attendees in that role.
    pub min: usize,
    /// When it applies.
    pub applies: Applies,
    /// The guideline's wording.
    pub text_ja: String,
}

/// The whole rule and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Composition {
    /// The document the requirements are taken from.
    pub source: String,
    /// The requirements.
    #[serde(rename = "requirement")]
    pub requirements: Vec<Requirement>,
}

impl Composition {
    /// The shipped rule, parsed once.
    pub fn shipped() -> &'static Composition {
        static SHIPPED: OnceLock<Composition> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            // The file is compiled in and checked by a unit test, so failing here means the
            // build itself is broken.
            toml::from_str(COMPOSITION_TOML).expect("data/panel/composition.toml is valid")
        })
    }

    /// The requirements `attendees` fail, each as a 422 error on `attendees`.
    pub fn check(&self, attendees: &[Attendee], sequencing_in_house: bool) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        for req in &self.requirements {
            if req.applies == Applies::SequencingInHouse && !sequencing_in_house {
                continue;
            }
            let have = attendees
                .iter()
                .filter(|a| a.panel_role == req.role)
                .count();
            if have < req.min {
                errors.add(
                    "attendees",
                    format!(
                        "missing {} {} ({}): {} required, {} attending — {}",
                        req.min - have,
                        req.role.as_str(),
                        req.role.label_ja(),
                        req.min,
                        have,
                        req.text_ja
                    ),
                );
            }
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(role: PanelRole) -> Attendee {
        Attendee {
            name: role.as_str().into(),
            panel_role: role,
            user_id: None,
        }
    }

    fn full() -> Vec<Attendee> {
        use PanelRole::*;
        vec![
            a(DrugTherapyPhysician),
            a(DrugTherapyPhysician),
            a(ClinicalGeneticsPhysician),
            a(GeneticCounsellor),
            a(Pathologist),
            a(MolecularGeneticsExpert),
        ]
    }

    #[test]
    fn shipped_rule_parses_and_names_its_source() {
        let c = Composition::shipped();
        assert!(c.source.contains("厚生労働省"));
        assert_eq!(c.requirements.len(), 6);
    }

    #[test]
    fn a_full_panel_passes_and_a_missing_counsellor_is_named() {
        let c = Composition::shipped();
        assert!(c.check(&full(), false).is_empty());
        let mut people = full();
        people.retain(|p| p.panel_role != PanelRole::GeneticCounsellor);
        let errors = c.check(&people, false);
        assert_eq!(errors.errors.len(), 1);
        assert!(errors.errors[0].message.contains("genetic_counsellor"));
    }

    #[test]
    fn bioinformatician_only_when_sequencing_in_house() {
        let c = Composition::shipped();
        let errors = c.check(&full(), true);
        assert_eq!(errors.errors.len(), 1);
        assert!(errors.errors[0].message.contains("bioinformatician"));
        let mut people = full();
        people.push(a(PanelRole::Bioinformatician));
        assert!(c.check(&people, true).is_empty());
        // One drug-therapy physician is not enough.
        people.remove(0);
        assert!(!c.check(&people, true).is_empty());
    }
}
