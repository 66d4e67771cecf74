//! The expert panel (エキスパートパネル) and follow-up vocabulary: meeting modes, the roles
//! members attend in, recommendation access routes and evidence levels, treatment response,
//! vital status.

use crate::text_enum::text_enum;

text_enum! {
    /// How a panel meeting is held (開催形式).
    pub enum MeetingMode ("meeting mode") {
        /// 対面 (everyone in one room, in real time).
        RealTime = ("real_time", "対面"),
        /// ビデオ会議 (video conference, in real time).
        Video = ("video", "ビデオ会議"),
        /// 持ち回り (asynchronous: each member reviews and signs off in turn).
        Asynchronous = ("asynchronous", "持ち回り"),
    }
}

impl MeetingMode {
    /// Whether every attending member signs off (持ち回り) rather than the chair alone.
    pub fn every_member_signs(self) -> bool {
        self == MeetingMode::Asynchronous
    }
}

text_enum! {
    /// The capacity in which someone attends a panel meeting; the required composition is
    /// counted in these roles (see `data/panel/composition.toml`).
    pub enum PanelRole ("panel role") {
        /// がん薬物療法に関する専門的な知識を有する医師 (drug-therapy physician).
        DrugTherapyPhysician = ("drug_therapy_physician", "がん薬物療法専門医"),
        /// 遺伝医学に関する専門的な知識を有する医師 (clinical genetics physician).
        ClinicalGeneticsPhysician = ("clinical_genetics_physician", "臨床遺伝専門医"),
        /// 遺伝カウンセリング技術を有する者 (genetic counsellor).
        GeneticCounsellor = ("genetic_counsellor", "遺伝カウンセラー"),
        /// 病理学に関する専門的な知識を有する医師 (pathologist).
        Pathologist = ("pathologist", "病理医"),
        /// 分子遺伝学・がんゲノム医療の専門家 (molecular genetics expert).
        MolecularGeneticsExpert = ("molecular_genetics_expert", "分子遺伝学の専門家"),
        /// バイオインフォマティクスの専門家 (bioinformatician).
        Bioinformatician = ("bioinformatician", "バイオインフォマティシャン"),
        /// 主治医 (the ordering clinician, attending for the case).
        AttendingPhysician = ("attending_physician", "主治医"),
        /// その他 (other, e.g. coordinator, pharmacist).
        Other = ("other", "その他"),
    }
}

text_enum! {
    /// How a recommended drug or regimen can be reached (アクセス経路).
    pub enum AccessRoute ("access route") {
        /// 保険承認薬 (approved and reimbursed for this indication).
        Approved = ("approved", "承認薬"),
        /// 治験・臨床試験 (clinical trial; the trial id is recorded).
        ClinicalTrial = ("clinical_trial", "治験・臨床試験"),
        /// 患者申出療養 (patient-proposed healthcare).
        PatientProposed = ("patient_proposed", "患者申出療養"),
        /// 適応外使用 (off-label use).
        OffLabel = ("off_label", "適応外使用"),
        /// なし (no access route).
        None = ("none", "なし"),
    }
}

text_enum! {
    /// Evidence level of the Japanese three-society guidance (edition 2.x: A–F and R).
    pub enum JpEvidenceLevel ("evidence level") {
        /// A: approved or guideline-recommended for this tumour type.
        A = ("A", "エビデンスレベルA"),
        /// B: late-phase trial or strong clinical evidence.
        B = ("B", "エビデンスレベルB"),
        /// C: approved or trial evidence in another tumour type.
        C = ("C", "エビデンスレベルC"),
        /// D: case reports or small studies.
        D = ("D", "エビデンスレベルD"),
        /// E: preclinical evidence.
        E = ("E", "エビデンスレベルE"),
        /// F: inferred (e.g. from biological plausibility).
        F = ("F", "エビデンスレベルF"),
        /// R: resistance.
        R = ("R", "エビデンスレベルR"),
    }
}

text_enum! {
    /// RECIST 1.1 best overall response (最良総合効果).
    pub enum RecistResponse ("RECIST response") {
        /// Complete response.
        Cr = ("CR", "完全奏効"),
        /// Partial response.
        Pr = ("PR", "部分奏効"),
        /// Stable disease.
        Sd = ("SD", "安定"),
        /// Progressive disease.
        Pd = ("PD", "進行"),
        /// Not evaluable.
        Ne = ("NE", "評価不能"),
    }
}

text_enum! {
    /// Whether the patient is alive at last contact (生存状況).
    pub enum VitalStatus ("vital status") {
        /// 生存.
        Alive = ("alive", "生存"),
        /// 死亡.
        Dead = ("dead", "死亡"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_round_trip() {
        for r in PanelRole::ALL {
            assert_eq!(r.as_str().parse::<PanelRole>().unwrap(), *r);
        }
        assert_eq!("PR".parse::<RecistResponse>().unwrap(), RecistResponse::Pr);
        assert!("partial".parse::<RecistResponse>().is_err());
        assert!(MeetingMode::Asynchronous.every_member_signs());
        assert!(!MeetingMode::Video.every_member_signs());
    }
}
