//! Secondary use (利活用): the applicant's sector and an application's states.

use crate::consent::ConsentItems;
use crate::facility::FacilityKind;
use crate::text_enum::text_enum;

text_enum! {
    /// Who would use the data: the sector decides which consent item applies.
    pub enum ResearchSector ("research sector") {
        /// 学術 (academia: universities and public research institutes).
        Academia = ("academia", "学術"),
        /// 企業 (industry: companies, including their academic collaborations).
        Industry = ("industry", "企業"),
    }
}

impl ResearchSector {
    /// The sector of a research organisation's kind; `None` for every other kind, whose
    /// users cannot apply.
    pub fn of_facility(kind: FacilityKind) -> Option<ResearchSector> {
        match kind {
            FacilityKind::ResearchAcademia => Some(ResearchSector::Academia),
            FacilityKind::ResearchIndustry => Some(ResearchSector::Industry),
            _ => None,
        }
    }

    /// Whether consent answered with `items` allows use by this sector: the patient agreed to
    /// registration with the data center and to secondary use by this sector. An industry
    /// applicant needs 企業による二次利用; consent for academia alone does not extend to it.
    pub fn allowed_by(self, items: &ConsentItems) -> bool {
        items.registration
            && match self {
                ResearchSector::Academia => items.secondary_use_academia,
                ResearchSector::Industry => items.secondary_use_industry,
            }
    }
}

text_enum! {
    /// Where a secondary-use application (利活用申請) stands.
    pub enum ApplicationState ("application state") {
        /// 審査中: submitted, waiting for the review board.
        Submitted = ("submitted", "審査中"),
        /// 承認: approved (with conditions, if any); releases may be built.
        Approved = ("approved", "承認"),
        /// 不承認: rejected.
        Rejected = ("rejected", "不承認"),
    }
}

impl ApplicationState {
    /// Whether the board has decided (no further transition).
    pub fn is_decided(self) -> bool {
        self != ApplicationState::Submitted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GermlineDisclosure;

    fn items(academia: bool, industry: bool) -> ConsentItems {
        ConsentItems {
            registration: true,
            secondary_use_academia: academia,
            secondary_use_industry: industry,
            overseas_transfer: false,
            recontact: false,
            germline_disclosure: GermlineDisclosure::Undecided,
        }
    }

    #[test]
    fn the_sector_picks_the_consent_item() {
        let academia_only = items(true, false);
        assert!(ResearchSector::Academia.allowed_by(&academia_only));
        assert!(!ResearchSector::Industry.allowed_by(&academia_only));
        let both = items(true, true);
        assert!(ResearchSector::Industry.allowed_by(&both));
        let no_registration = ConsentItems {
            registration: false,
            ..both
        };
        assert!(!ResearchSector::Academia.allowed_by(&no_registration));
    }

    #[test]
    fn only_research_organisations_have_a_sector() {
        assert_eq!(
            ResearchSector::of_facility(FacilityKind::ResearchIndustry),
            Some(ResearchSector::Industry)
        );
        assert_eq!(ResearchSector::of_facility(FacilityKind::HubHospital), None);
    }
}
