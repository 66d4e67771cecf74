//! Facilities of the national network and the prefectures they stand in.

use crate::text_enum::text_enum;

text_enum! {
    /// The kind of a facility in the national network.
    pub enum FacilityKind ("facility kind") {
        /// がんゲノム医療中核拠点病院 (core hospital for cancer genomic medicine).
        CoreHospital = ("core_hospital", "がんゲノム医療中核拠点病院"),
        /// がんゲノム医療拠点病院 (hub hospital).
        HubHospital = ("hub_hospital", "がんゲノム医療拠点病院"),
        /// がんゲノム医療連携病院 (cooperative hospital, linked to one core or hub hospital).
        CooperativeHospital = ("cooperative_hospital", "がんゲノム医療連携病院"),
        /// 検査会社 (sequencing laboratory).
        Lab = ("lab", "検査会社"),
        /// がんゲノム情報管理センター (national data center, C-CAT's role).
        DataCenter = ("data_center", "がんゲノム情報管理センター"),
        /// 研究機関（学術） (academic research organisation: a university or public institute
        /// whose researchers apply for secondary use; consent item 学術研究への二次利用 applies).
        ResearchAcademia = ("research_academia", "研究機関（学術）"),
        /// 研究機関（企業） (industry research organisation: a company whose researchers apply
        /// for secondary use; consent item 企業による二次利用 applies).
        ResearchIndustry = ("research_industry", "研究機関（企業）"),
    }
}

impl FacilityKind {
    /// Whether facilities of this kind host an expert panel (エキスパートパネル) without a
    /// separate certification: core and hub hospitals do; a cooperative hospital only when
    /// certified, which is recorded per facility.
    pub fn may_host_panel_by_default(self) -> bool {
        matches!(self, FacilityKind::CoreHospital | FacilityKind::HubHospital)
    }

    /// Whether this kind is a hospital that treats patients and orders tests.
    pub fn is_hospital(self) -> bool {
        matches!(
            self,
            FacilityKind::CoreHospital
                | FacilityKind::HubHospital
                | FacilityKind::CooperativeHospital
        )
    }

    /// Whether a cooperative hospital may be linked to a facility of this kind.
    pub fn may_be_linked_to(self) -> bool {
        self.may_host_panel_by_default()
    }
}

/// A prefecture (都道府県) by its JIS X 0401 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefecture {
    /// JIS X 0401 two-digit code, "01" (Hokkaido) to "47" (Okinawa).
    pub code: &'static str,
    /// Japanese name, e.g. 東京都.
    pub name_ja: &'static str,
    /// English name, e.g. Tokyo.
    pub name_en: &'static str,
}

impl Prefecture {
    /// Looks a prefecture up by its two-digit code.
    pub fn by_code(code: &str) -> Option<Prefecture> {
        PREFECTURES.iter().copied().find(|p| p.code == code)
    }
}

macro_rules! prefectures {
    ($( ($c:literal, $ja:literal, $en:literal) ),+ $(,)?) => {
        /// The 47 prefectures in JIS X 0401 order.
        pub const PREFECTURES: &[Prefecture] = &[
            $( Prefecture { code: $c, name_ja: $ja, name_en: $en } ),+
        ];
    };
}

prefectures![
    ("01", "北海道", "Hokkaido"),
    ("02", "青森県", "Aomori"),
    ("03", "岩手県", "Iwate"),
    ("04", "宮城県", "Miyagi"),
    ("05", "秋田県", "Akita"),
    ("06", "山形県", "Yamagata"),
    ("07", "福島県", "Fukushima"),
    ("08", "茨城県", "Ibaraki"),
    ("09", "栃木県", "Tochigi"),
    ("10", "群馬県", "Gunma"),
    ("11", "埼玉県", "Saitama"),
    ("12", "千葉県", "Chiba"),
    ("13", "東京都", "Tokyo"),
    ("14", "神奈川県", "Kanagawa"),
    ("15", "新潟県", "Niigata"),
    ("16", "富山県", "Toyama"),
    ("17", "石川県", "Ishikawa"),
    ("18", "福井県", "Fukui"),
    ("19", "山梨県", "Yamanashi"),
    ("20", "長野県", "Nagano"),
    ("21", "岐阜県", "Gifu"),
    ("22", "静岡県", "Shizuoka"),
    ("23", "愛知県", "Aichi"),
    ("24", "三重県", "Mie"),
    ("25", "滋賀県", "Shiga"),
    ("26", "京都府", "Kyoto"),
    ("27", "大阪府", "Osaka"),
    ("28", "兵庫県", "Hyogo"),
    ("29", "奈良県", "Nara"),
    ("30", "和歌山県", "Wakayama"),
    ("31", "鳥取県", "Tottori"),
    ("32", "島根県", "Shimane"),
    ("33", "岡山県", "Okayama"),
    ("34", "広島県", "Hiroshima"),
    ("35", "山口県", "Yamaguchi"),
    ("36", "徳島県", "Tokushima"),
    ("37", "香川県", "Kagawa"),
    ("38", "愛媛県", "Ehime"),
    ("39", "高知県", "Kochi"),
    ("40", "福岡県", "Fukuoka"),
    ("41", "佐賀県", "Saga"),
    ("42", "長崎県", "Nagasaki"),
    ("43", "熊本県", "Kumamoto"),
    ("44", "大分県", "Oita"),
    ("45", "宮崎県", "Miyazaki"),
    ("46", "鹿児島県", "Kagoshima"),
    ("47", "沖縄県", "Okinawa"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_as_text() {
        for kind in FacilityKind::ALL {
            assert_eq!(kind.as_str().parse::<FacilityKind>().unwrap(), *kind);
        }
        let err = "hospital".parse::<FacilityKind>().unwrap_err();
        assert!(err.to_string().contains("core_hospital"), "{err}");
    }

    #[test]
    fn serde_uses_the_text_form() {
        let json = serde_json::to_string(&FacilityKind::CooperativeHospital).unwrap();
        assert_eq!(json, "\"cooperative_hospital\"");
        let back: FacilityKind = serde_json::from_str(&json).unwrap();
        assert_eq!(back, FacilityKind::CooperativeHospital);
        let err = serde_json::from_str::<FacilityKind>("\"clinic\"").unwrap_err();
        assert!(
            err.to_string().contains("unknown facility kind 'clinic'"),
            "{err}"
        );
    }

    #[test]
    fn only_core_and_hub_host_panels_by_default() {
        assert!(FacilityKind::CoreHospital.may_host_panel_by_default());
        assert!(!FacilityKind::CooperativeHospital.may_host_panel_by_default());
        assert!(!FacilityKind::Lab.may_host_panel_by_default());
    }

    #[test]
    fn prefectures_are_47_in_order() {
        assert_eq!(PREFECTURES.len(), 47);
        assert_eq!(Prefecture::by_code("13").unwrap().name_ja, "東京都");
        for (i, p) in PREFECTURES.iter().enumerate() {
            assert_eq!(p.code, format!("{:02}", i + 1));
        }
    }
}
