//! Roles a user holds, each within one facility.

use crate::text_enum::text_enum;

text_enum! {
    /// What a user does; combined with the user's facility it decides every read and write.
    pub enum Role ("role") {
        /// 主治医: registers patients and cases, reads findings, records treatments.
        Clinician = ("clinician", "主治医"),
        /// エキスパートパネル構成員: reviews cases referred to the panel.
        PanelMember = ("panel_member", "エキスパートパネル構成員"),
        /// エキスパートパネル議長: signs off reviews.
        PanelChair = ("panel_chair", "エキスパートパネル議長"),
        /// 検査会社: uploads results for cases ordered from it (machine client).
        Lab = ("lab", "検査会社"),
        /// キュレーター: maintains the knowledge base.
        Curator = ("curator", "キュレーター"),
        /// 利活用審査会委員: decides secondary-use applications.
        Reviewer = ("reviewer", "利活用審査会委員"),
        /// 研究者: queries approved de-identified releases.
        Researcher = ("researcher", "研究者"),
        /// 管理者: manages facilities and users.
        Administrator = ("administrator", "管理者"),
        /// 監査者: reads audit trails and indicators.
        Auditor = ("auditor", "監査者"),
    }
}

impl Role {
    /// Whether this role sits on an expert panel.
    pub fn is_panel(self) -> bool {
        matches!(self, Role::PanelMember | Role::PanelChair)
    }
}
