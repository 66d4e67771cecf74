//! A case: one gene-panel test episode, and the states it moves through.

use crate::text_enum::text_enum;

text_enum! {
    /// The test ordered (検査名).
    pub enum TestProduct ("test product") {
        /// OncoGuide™ NCCオンコパネル.
        NccOncoPanel = ("ncc_oncopanel", "NCCオンコパネル"),
        /// FoundationOne CDx.
        FoundationOneCdx = ("foundation_one_cdx", "FoundationOne CDx"),
        /// FoundationOne Liquid CDx.
        FoundationOneLiquidCdx = ("foundation_one_liquid_cdx", "FoundationOne Liquid CDx"),
        /// Guardant360 CDx.
        Guardant360Cdx = ("guardant360_cdx", "Guardant360 CDx"),
        /// GenMineTOP.
        GenMineTop = ("genminetop", "GenMineTOP"),
        /// 全ゲノム解析 (whole genome, research programme).
        WholeGenome = ("whole_genome", "全ゲノム解析"),
        /// その他.
        Other = ("other", "その他"),
    }
}

impl TestProduct {
    /// Whether the test sequences tumour only (no matched normal), so presumed germline
    /// findings must be inferred from allele fractions.
    pub fn is_tumor_only(self) -> bool {
        !matches!(
            self,
            TestProduct::NccOncoPanel | TestProduct::GenMineTop | TestProduct::WholeGenome
        )
    }
}

text_enum! {
    /// Specimen type (検体種別).
    pub enum SpecimenType ("specimen type") {
        /// ホルマリン固定パラフィン包埋 (FFPE).
        Ffpe = ("ffpe", "FFPE"),
        /// 新鮮凍結 (fresh frozen).
        FreshFrozen = ("fresh_frozen", "新鮮凍結"),
        /// 血漿 (blood plasma, liquid biopsy).
        BloodPlasma = ("blood_plasma", "血漿"),
    }
}

text_enum! {
    /// Where a case stands. Every transition is stamped with its time, so turnaround times
    /// and national indicators are computed from records, never typed in.
    pub enum CaseState ("case state") {
        /// 登録 (registered; case id issued before the specimen ships).
        Registered = ("registered", "登録済"),
        /// 検体発送 (specimen shipped to the lab).
        SpecimenShipped = ("specimen_shipped", "検体発送済"),
        /// 結果受領 (results received from the lab).
        ResultsReceived = ("results_received", "結果受領"),
        /// 調査結果発行 (findings report issued by the data center).
        FindingsIssued = ("findings_issued", "調査結果発行"),
        /// エキスパートパネル実施 (reviewed by the expert panel).
        PanelReviewed = ("panel_reviewed", "エキスパートパネル実施"),
        /// 結果説明 (results explained to the patient).
        Explained = ("explained", "結果説明済"),
        /// 追跡 (treatment and outcome followed up).
        FollowedUp = ("followed_up", "追跡中"),
    }
}

impl CaseState {
    /// The state that follows this one, if any.
    pub fn next(self) -> Option<CaseState> {
        let all = CaseState::ALL;
        let i = all.iter().position(|s| *s == self)?;
        all.get(i + 1).copied()
    }

    /// Whether a case may move from `self` to `to`: only forward, one step at a time, except
    /// that follow-up may be recorded again (`followed_up` → `followed_up`).
    pub fn may_move_to(self, to: CaseState) -> bool {
        self.next() == Some(to) || (self == CaseState::FollowedUp && to == CaseState::FollowedUp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_move_forward_one_step() {
        assert!(CaseState::Registered.may_move_to(CaseState::SpecimenShipped));
        assert!(!CaseState::Registered.may_move_to(CaseState::ResultsReceived));
        assert!(!CaseState::FindingsIssued.may_move_to(CaseState::Registered));
        assert!(CaseState::FollowedUp.may_move_to(CaseState::FollowedUp));
        assert_eq!(CaseState::FollowedUp.next(), None);
    }

    #[test]
    fn paired_tests_are_not_tumor_only() {
        assert!(!TestProduct::NccOncoPanel.is_tumor_only());
        assert!(TestProduct::FoundationOneCdx.is_tumor_only());
    }
}
