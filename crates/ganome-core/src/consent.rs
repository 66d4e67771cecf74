//! Consent (同意) items and how consent was taken.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::text_enum::text_enum;

text_enum! {
    /// How consent was taken.
    pub enum ConsentMethod ("consent method") {
        /// 紙 (paper form).
        Paper = ("paper", "紙"),
        /// 電子 (electronic consent).
        Electronic = ("electronic", "電子"),
    }
}

text_enum! {
    /// Whether the patient wants to be told of presumed germline findings (二次的所見の開示希望).
    pub enum GermlineDisclosure ("germline disclosure") {
        /// 開示を希望する.
        Disclose = ("disclose", "開示を希望する"),
        /// 開示を希望しない.
        DoNotDisclose = ("do_not_disclose", "開示を希望しない"),
        /// 未定.
        Undecided = ("undecided", "未定"),
    }
}

/// The items a consent form asks, each answered yes or no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConsentItems {
    /// データセンターへの登録 (registration of data with the national data center).
    pub registration: bool,
    /// 学術研究への二次利用 (secondary use by academia).
    pub secondary_use_academia: bool,
    /// 企業による二次利用 (secondary use by industry).
    pub secondary_use_industry: bool,
    /// 海外への提供 (transfer overseas).
    pub overseas_transfer: bool,
    /// 再連絡 (re-contact for research).
    pub recontact: bool,
    /// 二次的所見の開示 (disclosure preference for germline findings).
    pub germline_disclosure: GermlineDisclosure,
}

impl ConsentItems {
    /// Whether the consent allows any secondary use.
    pub fn allows_secondary_use(&self) -> bool {
        self.secondary_use_academia || self.secondary_use_industry
    }
}
