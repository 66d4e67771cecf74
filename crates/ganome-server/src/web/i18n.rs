//! The pages' two languages from one template set: every label is a method of [`Lang`], so a
//! misspelt label is a compile error rather than a blank on the page, and the Japanese and
//! English texts of one label sit on one line where a translator can see both. Japanese is
//! the default; `?lang=en` switches a page (and the links and forms on it) to English.

use ganome_core::{
    AccessRoute, CaseState, ConsentMethod, FacilityKind, GermlineDisclosure, JpEvidenceLevel,
    MeetingMode, PanelRole, RecistResponse, Role, Sex, SpecimenType, TestProduct, Timestamp,
    VitalStatus,
};
use serde::Deserialize;
use time::{Date, UtcOffset};

/// The page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Lang {
    /// English rather than Japanese.
    pub en: bool,
}

/// The `lang` query parameter every page accepts.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    pub(crate) fn lang(&self) -> Lang {
        Lang {
            en: self.lang.as_deref() == Some("en"),
        }
    }
}

/// Japan Standard Time, in which hospital staff read times.
const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

impl Lang {
    /// `?lang=en` for English pages, nothing for Japanese ones (the default).
    pub(crate) fn q(&self) -> &'static str {
        if self.en { "?lang=en" } else { "" }
    }

    /// `&lang=en` to append to a query that already has parameters.
    pub(crate) fn amp(&self) -> &'static str {
        if self.en { "&lang=en" } else { "" }
    }

    /// The HTML `lang` attribute.
    pub(crate) fn code(&self) -> &'static str {
        if self.en { "en" } else { "ja" }
    }

    /// A label of a domain enum in the page language.
    pub(crate) fn of<E: Bilingual>(&self, e: E) -> &'static str {
        if self.en { e.en() } else { e.ja() }
    }

    /// A time as hospital staff read it: Japan time, to the minute.
    pub(crate) fn time(&self, t: &Timestamp) -> String {
        let dt = t.datetime().to_offset(JST);
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02} JST",
            dt.year(),
            dt.month() as u8,
            dt.day(),
            dt.hour(),
            dt.minute()
        )
    }

    /// A date in ISO form (both languages use it in clinical records).
    pub(crate) fn date(&self, d: &Date) -> String {
        d.to_string()
    }

    /// An optional date, or a dash.
    pub(crate) fn opt_date(&self, d: &Option<Date>) -> String {
        d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
    }

    /// A facility's name in the page language (English when the network has one).
    pub(crate) fn facility_name<'a>(&self, f: &'a ganome_store::Facility) -> &'a str {
        match (&f.name_en, self.en) {
            (Some(n), true) => n,
            _ => &f.name_ja,
        }
    }

    /// An outcome of the audit trail: Japanese on Japanese pages, the recorded code (which
    /// the API and the search use) on English ones and for codes this list does not know.
    pub(crate) fn audit_outcome_name<'a>(&self, outcome: &'a str) -> &'a str {
        if self.en {
            return outcome;
        }
        match outcome {
            "ok" => "成功",
            "denied" => "拒否",
            "not_found" => "該当なし",
            "invalid" => "入力不正",
            "unauthenticated" => "認証失敗",
            "second_factor_required" => "確認コード要求",
            "throttled" => "試行制限中",
            "locked" => "ロック",
            "conflict" => "競合",
            "error" => "エラー",
            other => other,
        }
    }

    /// A role as the audit trail records it (`clinician`), in the page language.
    pub(crate) fn role_name<'a>(&self, role: &'a str) -> &'a str {
        role.parse::<Role>().map(|r| self.of(r)).unwrap_or(role)
    }

    /// Yes or no.
    pub(crate) fn yes_no(&self, b: &bool) -> &'static str {
        match (*b, self.en) {
            (true, true) => "Yes",
            (false, true) => "No",
            (true, false) => "はい",
            (false, false) => "いいえ",
        }
    }

    /// A timeline note in the page language. Notes the system writes (result files, findings
    /// versions, follow-up, explanation) are English in the records, like the service's
    /// messages; their known shapes are translated here, and a note a person typed is shown
    /// as it is.
    pub(crate) fn event_note(&self, note: &str) -> String {
        if self.en {
            return note.to_owned();
        }
        let reason = |r: &str| -> String {
            if let Some(names) = r.strip_prefix("result files ") {
                format!("結果ファイル {names}")
            } else if let Some(release) = r.strip_prefix("knowledge release ") {
                format!("知識ベース {release} の公開")
            } else if r == "issued by the data center" {
                "データセンターが発行".to_owned()
            } else {
                r.to_owned()
            }
        };
        if let Some(rest) = note.strip_prefix("findings v")
            && let Some((version, rest)) = rest.split_once(' ')
            && version.bytes().all(|b| b.is_ascii_digit())
        {
            // "findings v{N} {report id} ({reason})"
            return match rest.split_once(" (") {
                Some((id, r)) if r.ends_with(')') => {
                    format!(
                        "調査結果 第{version}版 {id}（{}）",
                        reason(&r[..r.len() - 1])
                    )
                }
                _ => format!("調査結果 第{version}版 {rest}"),
            };
        }
        match note {
            "first treatment recorded" => return "最初の治療を記録".to_owned(),
            "first outcome recorded" => return "最初の転帰を記録".to_owned(),
            _ => {}
        }
        if let Some(date) = note.strip_prefix("explained on ") {
            return format!("{date} に説明");
        }
        reason(note)
    }

    /// A message of the service in the page language. The service speaks English (its
    /// messages are part of the API); the common ones are translated here, the rest shown as
    /// they are.
    pub(crate) fn message(&self, m: &str) -> String {
        if self.en {
            return m.to_owned();
        }
        const TABLE: &[(&str, &str)] = &[
            ("must not be empty", "入力してください"),
            ("must not be in the future", "未来の日時は指定できません"),
            ("must be 1 or more", "1 以上を指定してください"),
            ("must be 1 to 12", "1〜12 を指定してください"),
            ("must be 0 to 4", "0〜4 を指定してください"),
            ("must be 0 to 100", "0〜100 を指定してください"),
            (
                "must be a CTCAE grade 1 to 5",
                "CTCAE グレード 1〜5 を指定してください",
            ),
            ("must be a CTCAE term", "CTCAE 用語を入力してください"),
            (
                "must be an OncoTree code such as LUAD or COADREAD",
                "OncoTree コード（例: LUAD, COADREAD）を入力してください",
            ),
            ("must record the discussion", "議論の内容を記録してください"),
            (
                "must name the findings-report version reviewed",
                "検討した調査結果報告書の版を指定してください",
            ),
            ("must name who explained", "説明者を入力してください"),
            (
                "a clinical-trial route needs the trial id",
                "治験・臨床試験の場合は試験 ID が必要です",
            ),
            (
                "only a clinical-trial route carries a trial id",
                "試験 ID は治験・臨床試験の場合のみ入力します",
            ),
            (
                "must be a jRCT, NCT, JapicCTI or UMIN identifier",
                "jRCT・NCT・JapicCTI・UMIN の試験 ID を入力してください",
            ),
            (
                "the panel recommended treatment; say why it was not given",
                "エキスパートパネルの推奨治療を行わない理由を入力してください",
            ),
            ("must not precede started_on", "開始日より前にはできません"),
            (
                "must not precede the start",
                "治療開始日より前にはできません",
            ),
            (
                "must not precede the treatment",
                "治療開始日より前にはできません",
            ),
            (
                "must not precede registration",
                "登録日より前にはできません",
            ),
            (
                "only recorded when the patient has died",
                "死亡の場合のみ記録します",
            ),
            ("must list who attends", "出席者を入力してください"),
            (
                "the chair must be among the attendees",
                "議長を出席者に含めてください",
            ),
            (
                "a live or video meeting needs a chair to sign off",
                "対面・ビデオ会議では承認する議長が必要です",
            ),
            (
                "every member signs an asynchronous review, so each needs an account",
                "持ち回り開催では全員が承認するため、出席者全員にアカウントが必要です",
            ),
            ("the file is empty", "ファイルが空です"),
            ("choose a file", "ファイルを選択してください"),
            ("required", "必須項目です"),
            ("not a number", "数値を入力してください"),
            ("not a whole number", "整数を入力してください"),
            (
                "not a date (YYYY-MM-DD)",
                "日付（YYYY-MM-DD）を入力してください",
            ),
            ("not a date and time", "日時を入力してください"),
            ("choose one of the options", "選択肢から選んでください"),
        ];
        // Messages that carry an id or a name: recognised by a fixed part.
        const CONTAINS: &[(&str, &str)] = &[
            (
                "the findings are unchanged",
                "結果ファイルがない、結果が未受領、または調査結果に変更がないため、新しい版は発行されませんでした",
            ),
            (
                "is outside your facility's scope",
                "あなたの施設が閲覧できる範囲の外です",
            ),
            (
                "a panel reviews cases whose findings are issued",
                "エキスパートパネルで検討できるのは調査結果発行済の症例です",
            ),
            (
                "is not referred to this panel",
                "この症例はこのエキスパートパネルに紹介されていません",
            ),
            (
                "must be the id of one of this case's findings versions",
                "この症例の調査結果の版を選択してください",
            ),
            ("is already signed off", "すでに承認済です"),
            ("is already finalised", "すでに確定済です"),
            (
                "must be finalised (its composition checked) before sign-off",
                "承認の前に出席者を確定（構成要件を確認）してください",
            ),
            (
                "no patient with that record number",
                "そのカルテ番号の患者は登録されていません",
            ),
        ];
        TABLE
            .iter()
            .find(|(en, _)| *en == m)
            .map(|(_, ja)| (*ja).to_owned())
            .or_else(|| {
                CONTAINS
                    .iter()
                    .find(|(en, _)| m.contains(en))
                    .map(|(_, ja)| (*ja).to_owned())
            })
            .unwrap_or_else(|| m.to_owned())
    }
}

/// A domain enum with a label in each language.
pub(crate) trait Bilingual: Copy {
    /// The Japanese label.
    fn ja(self) -> &'static str;
    /// The English label.
    fn en(self) -> &'static str;
}

impl<T: Bilingual> Bilingual for &T {
    fn ja(self) -> &'static str {
        (*self).ja()
    }
    fn en(self) -> &'static str {
        (*self).en()
    }
}

macro_rules! bilingual {
    ($ty:ty { $($variant:ident => $en:literal),+ $(,)? }) => {
        impl Bilingual for $ty {
            fn ja(self) -> &'static str {
                self.label_ja()
            }
            fn en(self) -> &'static str {
                match self { $( <$ty>::$variant => $en ),+ }
            }
        }
    };
}

bilingual!(CaseState {
    Registered => "Registered",
    SpecimenShipped => "Specimen shipped",
    ResultsReceived => "Results received",
    FindingsIssued => "Findings issued",
    PanelReviewed => "Reviewed by expert panel",
    Explained => "Explained to patient",
    FollowedUp => "Followed up",
});
bilingual!(TestProduct {
    NccOncoPanel => "NCC OncoPanel",
    FoundationOneCdx => "FoundationOne CDx",
    FoundationOneLiquidCdx => "FoundationOne Liquid CDx",
    Guardant360Cdx => "Guardant360 CDx",
    GenMineTop => "GenMineTOP",
    WholeGenome => "Whole genome",
    Other => "Other",
});
bilingual!(SpecimenType {
    Ffpe => "FFPE",
    FreshFrozen => "Fresh frozen",
    BloodPlasma => "Blood plasma",
});
bilingual!(MeetingMode {
    RealTime => "In person",
    Video => "Video conference",
    Asynchronous => "Asynchronous (mochimawari)",
});
bilingual!(PanelRole {
    DrugTherapyPhysician => "Cancer drug-therapy physician",
    ClinicalGeneticsPhysician => "Clinical genetics physician",
    GeneticCounsellor => "Genetic counsellor",
    Pathologist => "Pathologist",
    MolecularGeneticsExpert => "Molecular genetics expert",
    Bioinformatician => "Bioinformatician",
    AttendingPhysician => "Attending physician",
    Other => "Other",
});
bilingual!(AccessRoute {
    Approved => "Approved drug",
    ClinicalTrial => "Clinical trial",
    PatientProposed => "Patient-proposed healthcare",
    OffLabel => "Off-label use",
    None => "No access route",
});
bilingual!(JpEvidenceLevel {
    A => "Level A",
    B => "Level B",
    C => "Level C",
    D => "Level D",
    E => "Level E",
    F => "Level F",
    R => "Level R (resistance)",
});
bilingual!(RecistResponse {
    Cr => "CR (complete response)",
    Pr => "PR (partial response)",
    Sd => "SD (stable disease)",
    Pd => "PD (progressive disease)",
    Ne => "NE (not evaluable)",
});
bilingual!(VitalStatus {
    Alive => "Alive",
    Dead => "Dead",
});
bilingual!(Sex {
    Male => "Male",
    Female => "Female",
    Other => "Other",
    Unknown => "Unknown",
});
bilingual!(Role {
    Clinician => "Clinician",
    PanelMember => "Panel member",
    PanelChair => "Panel chair",
    Lab => "Lab",
    Curator => "Curator",
    Reviewer => "Data-use reviewer",
    Researcher => "Researcher",
    Administrator => "Administrator",
    Auditor => "Auditor",
});
bilingual!(FacilityKind {
    CoreHospital => "Core hospital",
    HubHospital => "Hub hospital",
    CooperativeHospital => "Cooperative hospital",
    Lab => "Sequencing lab",
    DataCenter => "Data center",
    ResearchAcademia => "Research organisation (academia)",
    ResearchIndustry => "Research organisation (industry)",
});
bilingual!(ganome_core::ResearchSector {
    Academia => "Academia",
    Industry => "Industry",
});
bilingual!(ganome_core::ApplicationState {
    Submitted => "Under review",
    Approved => "Approved",
    Rejected => "Rejected",
});
bilingual!(ConsentMethod {
    Paper => "Paper",
    Electronic => "Electronic",
});
bilingual!(GermlineDisclosure {
    Disclose => "Wants to be told",
    DoNotDisclose => "Does not want to be told",
    Undecided => "Undecided",
});

macro_rules! labels {
    ($($name:ident => $ja:literal, $en:literal;)+) => {
        impl Lang {
            $(
                #[doc = $en]
                pub(crate) fn $name(&self) -> &'static str {
                    if self.en { $en } else { $ja }
                }
            )+
        }

        #[cfg(test)]
        const LABELS: &[(&str, &str, &str)] = &[$((stringify!($name), $ja, $en)),+];
    };
}

labels! {
    app_name => "Ganome がんゲノム医療", "Ganome cancer genomic medicine";
    other_language => "English", "日本語";
    other_language_code => "en", "ja";
    home => "ホーム", "Home";
    nav_cases => "症例", "Cases";
    nav_patients => "患者", "Patients";
    nav_panel => "エキスパートパネル", "Expert panel";
    nav_facilities => "施設", "Facilities";
    nav_indicators => "実施状況", "Indicators";
    nav_alerts => "再解析アラート", "Alerts";
    nav_audit => "監査ログ", "Audit trail";
    audit_title => "監査ログ", "Audit trail";
    audit_intro => "患者データの閲覧・登録・変更は、許可・拒否を問わずすべて記録され、ハッシュで連結されています。利用者・操作・対象・結果・期間で絞り込めます。", "Every read or write of patient-level data, allowed or refused, is recorded in a hash-chained log. Narrow it by user, action, entity, outcome and period.";
    audit_user => "利用者（ユーザー名）", "User (login name)";
    audit_action => "操作（前方一致）", "Action (prefix)";
    audit_entity => "対象 ID", "Entity id";
    audit_outcome => "結果", "Outcome";
    audit_any => "すべて", "Any";
    audit_from => "開始日（JST）", "From (JST day)";
    audit_to => "終了日（JST）", "To (JST day)";
    audit_search => "検索", "Search";
    audit_seq => "番号", "No.";
    audit_time => "日時", "Time";
    audit_who => "利用者", "Who";
    audit_what => "操作", "Action";
    audit_target => "対象", "Entity";
    audit_detail => "詳細", "Detail";
    audit_none => "該当する記録はありません。", "No rows match.";
    audit_older => "さらに古い記録", "Older rows";
    audit_verify => "ハッシュ連鎖を検証", "Check the hash chain";
    audit_chain_ok => "ハッシュ連鎖は正常です。検証した行数：", "The hash chain is intact. Rows checked:";
    audit_chain_broken => "ハッシュ連鎖が壊れています。最初の異常：", "The hash chain is broken. First broken row:";
    log_in => "ログイン", "Log in";
    log_out => "ログアウト", "Log out";
    username => "ユーザー名", "User name";
    password => "パスワード", "Password";
    login_failed => "ユーザー名またはパスワードが違います。", "The user name or password is wrong.";
    totp_code => "確認コード（6 桁）", "Code (6 digits)";
    totp_code_hint => "二要素認証を設定した方は、認証アプリに表示されているコードを入力してください。", "If you set up two-step verification, enter the code your authenticator app shows.";
    second_factor_required => "認証アプリに表示されているコードを入力してください。", "Enter the code your authenticator app shows.";
    login_failed_with_code => "ユーザー名・パスワードまたは確認コードが違います。", "The user name, password or code is wrong.";
    login_throttled => "ログインの失敗が続いたため、しばらくログインできません。15 分後にもう一度お試しください。", "Too many failed logins: logging in is blocked for a while. Try again in 15 minutes.";
    nav_account => "アカウント", "Account";
    account_title => "アカウントと二要素認証", "Account and two-step verification";
    second_factor => "二要素認証（認証アプリ）", "Two-step verification (authenticator app)";
    second_factor_on => "有効です。ログインには認証アプリのコードが必要です。", "On: logging in needs the code from your authenticator app.";
    second_factor_off => "無効です。ログインにはパスワードのみを使います。", "Off: logging in needs only your password.";
    second_factor_enabled_since => "有効にした日時", "On since";
    second_factor_enrol => "二要素認証を設定する", "Set up two-step verification";
    second_factor_enrol_again => "新しい秘密鍵を発行する", "Issue a new secret";
    second_factor_scan => "認証アプリ（Google Authenticator、Microsoft Authenticator など）でこの QR コードを読み取るか、秘密鍵を入力してください。", "Scan this QR code with your authenticator app (Google Authenticator, Microsoft Authenticator, …) or type in the secret.";
    second_factor_secret => "秘密鍵", "Secret";
    second_factor_uri => "otpauth URI", "otpauth URI";
    second_factor_confirm => "コードを確認して有効にする", "Check the code and turn on";
    second_factor_disable => "二要素認証を無効にする", "Turn off two-step verification";
    second_factor_wrong_code => "コードが違うか、すでに使われています。認証アプリの現在のコードを入力してください。", "The code is wrong or was already used: enter the current code from your app.";
    signed_in_as => "ログイン中", "Signed in as";
    skip_to_content => "本文へ移動", "Skip to content";
    print => "印刷", "Print";
    welcome => "ようこそ", "Welcome";
    home_cases => "閲覧できる症例の一覧と検索", "Find the cases you may see";
    home_new_patient => "患者登録・同意取得・検査申込", "Register a patient, consent and a test order";
    home_panel => "エキスパートパネルの開催と症例検討", "Hold expert panel meetings and review cases";
    home_lab => "結果ファイルを待っている症例", "Cases awaiting your result files";
    home_data_center => "結果受領済で調査結果を待つ症例", "Cases with results awaiting findings";
    home_facilities => "がんゲノム医療の施設一覧", "The national network of facilities";
    home_api => "JSON API（OpenAPI）", "JSON API (OpenAPI)";

    error_title => "エラー", "Error";
    error_forbidden => "この操作または情報は、あなたの役割・施設では利用できません。", "Your role and facility do not allow this.";
    error_not_found => "見つかりません。", "Not found.";
    error_conflict => "現在の状態ではこの操作はできません。", "This cannot be done in the current state.";
    error_invalid => "入力内容に誤りがあります。各項目の説明を確認してください。", "Some entries need correcting; see the notes next to the fields.";
    error_internal => "サーバーでエラーが発生しました。時間をおいて再度お試しください。", "The server failed; please try again later.";
    error_engine => "データセンターの解析エンジンが利用できません。", "The data center's annotation engine is not available.";
    error_csrf => "フォームの有効期限が切れたか、別のサイトから送信されました。ページを再読み込みしてやり直してください。", "The form expired or was sent from another site; reload the page and try again.";

    cases_title => "症例一覧", "Cases";
    filter_state => "状態", "State";
    filter_facility => "依頼施設", "Ordering facility";
    filter_oncotree => "がん種（OncoTree コード）", "Tumour type (OncoTree code)";
    filter_from => "登録日（から）", "Registered from";
    filter_to => "登録日（より前）", "Registered before";
    any => "すべて", "Any";
    apply => "絞り込む", "Apply";
    clear => "解除", "Clear";
    no_cases => "条件に合う症例はありません。", "No cases match.";
    n_cases => "該当件数", "Matching cases";

    case_number => "症例番号", "Case number";
    patient => "患者", "Patient";
    pseudonym => "患者仮名 ID", "Patient pseudonym";
    ordering_facility => "依頼施設", "Ordering facility";
    panel_facility => "エキスパートパネル実施施設", "Expert panel at";
    lab => "検査会社", "Lab";
    test => "検査", "Test";
    tumour_type => "がん種", "Tumour type";
    state => "状態", "State";
    registered_at => "登録日時", "Registered";
    updated_at => "最終更新", "Last change";
    specimen => "検体", "Specimen";
    specimen_type => "検体種別", "Specimen type";
    specimen_site => "採取部位", "Specimen site";
    specimen_collected_on => "採取日", "Collected on";
    tumor_content_pct => "腫瘍細胞含有率（%）", "Tumour content (%)";
    stage => "病期", "Stage";
    ecog_ps => "ECOG PS", "ECOG PS";
    sex => "性別", "Sex";
    birth => "生年月", "Born";
    birth_year => "生年（西暦）", "Birth year";
    birth_month => "生月", "Birth month";
    record_number => "カルテ番号", "Medical record number";
    record_number_hint => "カルテ番号は仮名化され、保存されません。", "The record number is pseudonymised on arrival and never stored.";

    timeline => "経過", "Timeline";
    note => "備考", "Note";
    result_files => "結果ファイル", "Result files";
    file_name => "ファイル名", "File name";
    media_type => "形式", "Type";
    size => "サイズ", "Size";
    uploaded_at => "受領日時", "Received";
    no_files => "結果ファイルはまだありません。", "No result files yet.";
    upload_title => "結果ファイルのアップロード", "Upload a result file";
    upload_file => "結果ファイル（VCF・MAF・CNV・融合遺伝子など、複数可）", "Result files (VCF, MAF, CNV, fusions; several at once)";
    upload => "アップロード", "Upload";

    alerts_title => "再解析アラート", "Re-interpretation alerts";
    alerts_intro => "新しい知識ベースや結果で調査結果が再発行され、前の版になかった治療選択肢（エビデンスレベル A〜C）が現れたか、レベルが上がった症例です。", "Cases whose findings were re-issued (a new knowledge release or new results) with a treatment option at level A to C that the previous version did not list, or listed at a weaker level.";
    alerts_none => "該当するアラートはありません。", "No alerts.";
    alerts_showing_open => "未確認のアラートを表示中", "Showing alerts not yet acknowledged";
    alerts_showing_all => "すべてのアラートを表示中", "Showing all alerts";
    alerts_show_all => "確認済みも表示", "Show acknowledged too";
    alerts_show_open => "未確認のみ表示", "Show only open alerts";
    alert_raised_at => "発生日時", "Raised";
    alert_release => "知識ベース", "Knowledge release";
    alert_options => "新たな・レベルが上がった治療選択肢", "New or stronger treatment options";
    alert_previously => "前の版:", "previously:";
    alert_not_listed => "記載なし", "not listed";
    alert_acknowledged => "確認済み", "Acknowledged";
    alert_acknowledge => "確認した", "Acknowledge";
    alert_open => "未確認", "Open";
    alert_by_you => "あなた", "you";
    nav_research => "利活用", "Secondary use";
    research_title => "利活用申請", "Secondary-use applications";
    research_intro => "研究者は匿名化されたデータの利用を申請し、利活用審査会が審査します。公開されるデータは、同意（撤回を含む）と登録後の公開猶予期間で絞り込まれ、集計は10未満を「<10」と表示します。", "Researchers apply for de-identified data; the review board decides. Releases are filtered by consent (and its withdrawal) and an embargo after registration, and counts under 10 read \"<10\".";
    research_none => "申請はありません。", "No applications.";
    research_application_title => "課題名", "Title";
    research_sector => "区分", "Sector";
    research_state => "審査状況", "Status";
    research_submitted_at => "申請日時", "Submitted";
    research_new_application => "新規申請", "New application";
    research_purpose => "研究目的", "Purpose";
    research_oncotree_codes => "がん種（OncoTree コード）", "Tumour types (OncoTree codes)";
    research_genes => "遺伝子", "Genes";
    research_registered_from => "登録期間（開始）", "Registered from";
    research_registered_until => "登録期間（終了）", "Registered until";
    research_registered_period => "登録期間", "Registered";
    research_duo => "データ利用条件（GA4GH DUO）", "Data-use terms (GA4GH DUO)";
    research_duo_hint => "* は利用目的の区分です。少なくとも一つ選んでください。", "* marks a data-use permission; choose at least one.";
    research_submit => "申請する", "Submit";
    research_comment => "審査コメント", "Board's comment";
    research_conditions => "承認条件", "Conditions";
    research_embargo => "公開猶予期間", "Embargo";
    research_embargo_reason => "既定値と異なる理由", "Reason for a non-default embargo";
    research_days => "日", "days";
    research_history => "経過", "History";
    research_releases => "提供データ", "Releases";
    research_built_at => "作成日時", "Built";
    research_cases => "症例数", "Cases";
    research_excluded => "除外（理由別）", "Left out (by reason)";
    research_decide => "審査結果を登録", "Record the decision";
    research_approve => "承認", "Approve";
    research_reject => "不承認", "Reject";
    research_counts_title => "集計", "Counts";
    research_counts_intro => "症例数を集計します。1〜9 は「<10」と表示し、一つだけ秘匿されたときは次に小さい値も秘匿します。同意が撤回された患者は除かれます。", "Case counts. Counts from 1 to 9 read \"<10\"; when only one is withheld, the next smallest is withheld too. Patients who withdrew consent are left out.";
    research_count_by => "集計単位", "Count by";
    research_by_gene => "遺伝子", "Gene";
    research_by_alteration => "バリアント", "Alteration";
    research_by_oncotree => "がん種", "Tumour type";
    research_count => "集計する", "Count";
    research_key => "項目", "Key";
    research_total => "合計", "Total";
    research_download => "ダウンロード", "Download";
    case_has_alerts => "この症例には未確認の再解析アラートがあります（新たな治療選択肢）", "This case has unacknowledged re-interpretation alerts (a new treatment option)";
    see_alerts => "アラートを見る", "See the alerts";

    findings => "調査結果（レポート）", "Findings report";
    findings_version => "報告書の版", "Report version";
    findings_none => "調査結果はまだ発行されていません。", "No findings report has been issued yet.";
    findings_pinned => "エキスパートパネルが検討した版", "Version reviewed by the expert panel";
    findings_issued_at => "発行日時", "Issued";
    knowledge_release => "知識ベース版", "Knowledge release";
    open_report => "報告書を開く", "Open report";
    counts => "所見", "Findings";
    alterations => "変異", "alterations";
    vus => "VUS", "VUS";
    options => "治療選択肢", "treatment options";
    trials => "臨床試験", "trials";
    top_level => "最高エビデンスレベル", "top level";
    germline_flag => "二次的所見の可能性", "possible germline finding";
    reason => "発行理由", "Reason";
    issue_findings => "調査結果を発行（再発行）", "Issue the findings (again)";
    issue_findings_hint => "結果ファイルと現在の知識ベース版から調査結果を作成します。結果受領時には自動で発行されます。", "Builds the findings from the result files and the current knowledge release; they are issued automatically when results arrive.";
    choose_version => "症例と版を選択", "Choose the case's version";

    transition_title => "状態の更新", "Move the case on";
    transition_to => "次の状態へ", "Record";
    transition_at => "日時（空欄で現在）", "When (blank: now)";
    transition_note => "備考（追跡番号など）", "Note (e.g. tracking number)";

    reviews => "エキスパートパネルの検討", "Expert panel reviews";
    no_reviews => "エキスパートパネルの検討はまだありません。", "No expert panel review yet.";
    meeting => "会議", "Meeting";
    discussion => "議論", "Discussion";
    germline => "二次的所見への対応", "Germline follow-up";
    counselling_referral => "遺伝カウンセリングへの紹介", "Refer to genetic counselling";
    confirmatory_test => "確認検査の推奨", "Recommend a confirmatory germline test";
    germline_note => "二次的所見の備考（遺伝子・バリアントなど）", "Germline note (gene, variant)";
    recommendations => "推奨治療", "Recommendations";
    no_recommendations => "推奨できる治療はありません。", "No actionable treatment option.";
    drug => "薬剤・レジメン", "Drug or regimen";
    biomarker => "バイオマーカー", "Biomarker";
    evidence_level => "エビデンスレベル", "Evidence level";
    access_route => "アクセス経路", "Access route";
    trial_id => "試験 ID（jRCT/NCT）", "Trial id (jRCT/NCT)";
    signoffs => "承認", "Sign-offs";
    signed_off => "承認済", "Signed off";
    awaiting_signoff => "承認待ち", "Awaiting sign-off";
    sign_off => "承認する", "Sign off";
    persons => "名", "people";
    last_signoff => "最終", "last";
    signoff_rule => "承認方法", "Sign-off";
    signoff_by_all => "出席者全員が承認（持ち回り）", "Every attendee signs (asynchronous)";
    signoff_by_chair => "議長が承認", "The chair signs";

    explanation => "結果説明", "Explanation to the patient";
    no_explanation => "結果説明はまだ記録されていません。", "Not yet explained to the patient.";
    explained_on => "説明日", "Explained on";
    explained_by => "説明者", "Explained by";
    record_explanation => "結果説明を記録", "Record the explanation";

    treatments => "治療", "Treatments";
    no_treatments => "治療はまだ記録されていません。", "No treatment recorded yet.";
    line => "治療ライン", "Line";
    regimen => "レジメン", "Regimen";
    started_on => "開始日", "Started";
    ended_on => "終了日", "Ended";
    based_on => "根拠となった推奨", "Based on recommendation";
    based_on_none => "推奨に基づかない", "Not based on a recommendation";
    not_given_reason => "推奨治療を行わない理由", "Why the recommended treatment was not given";
    record_treatment => "治療を記録", "Record a treatment";
    best_response => "最良総合効果（RECIST）", "Best response (RECIST)";
    progression_on => "増悪日", "Progression on";
    record_response => "効果を記録", "Record the response";
    adverse_events => "有害事象", "Adverse events";
    ctcae_term => "CTCAE 用語", "CTCAE term";
    grade => "グレード", "Grade";
    onset_on => "発現日", "Onset";
    record_adverse_event => "有害事象を記録", "Record an adverse event";
    not_recorded => "未記録", "Not recorded";

    outcome => "転帰", "Outcome";
    no_outcome => "転帰はまだ記録されていません。", "No outcome recorded yet.";
    vital_status => "生存状況", "Vital status";
    last_contact_on => "最終確認日", "Last contact";
    cause_of_death => "死因", "Cause of death";
    record_outcome => "転帰を記録", "Record the outcome";

    patients_title => "患者", "Patients";
    register_patient => "患者を登録", "Register a patient";
    find_patient => "カルテ番号で検索", "Find by record number";
    find => "検索", "Find";
    no_patients => "登録された患者はいません。", "No patients registered.";
    created_at => "登録日時", "Registered";
    consents => "同意", "Consent";
    no_consents => "同意はまだ記録されていません。", "No consent recorded.";
    record_consent => "同意を記録", "Record consent";
    withdraw_consent => "同意の撤回を記録", "Record withdrawal of consent";
    consent_to_withdraw => "撤回する同意", "Consent withdrawn";
    withdrawn_at => "撤回日時", "Withdrawn at";
    withdraw_note => "撤回後、この患者のデータは登録・利活用されません。撤回は取り消せません（再同意は新しい同意として記録します）。", "After withdrawal this patient's data is neither registered nor shared. A withdrawal cannot be undone (a renewed consent is recorded as a new consent).";
    form_version => "同意書の版", "Form version";
    consent_method => "取得方法", "Method";
    given_at => "同意日時", "Given at";
    withdrawn => "撤回", "Withdrawn";
    consent_registration => "データセンターへの登録", "Registration with the data center";
    consent_academia => "学術研究への二次利用", "Secondary use by academia";
    consent_industry => "企業による二次利用", "Secondary use by industry";
    consent_overseas => "海外への提供", "Transfer overseas";
    consent_recontact => "再連絡", "Re-contact for research";
    consent_germline => "二次的所見の開示希望", "Disclosure of germline findings";
    patient_cases => "この患者の症例", "This patient's cases";
    register_case => "検査を申し込む（症例登録）", "Order a test (register a case)";
    lab_facility => "検査会社", "Lab";
    choose => "選択してください", "Choose";

    panel_title => "エキスパートパネル", "Expert panel";
    meetings => "会議", "Meetings";
    no_meetings => "会議はまだありません。", "No meetings yet.";
    new_meeting => "会議を登録", "Record a meeting";
    held_on => "開催日", "Held on";
    mode => "開催形式", "Mode";
    sequencing_in_house => "院内でシーケンス・解析を行う", "Sequencing and analysis in house";
    chair => "議長", "Chair";
    no_chair => "なし（持ち回り）", "None (asynchronous)";
    attendance => "出席者", "Attendance";
    attends => "出席", "Attends";
    name => "氏名", "Name";
    panel_role => "役割", "Capacity";
    account => "アカウント", "Account";
    guest_hint => "アカウントのない出席者（氏名と役割）", "Attendees without an account (name and capacity)";
    finalised => "確定済", "Finalised";
    not_finalised => "未確定", "Open";
    agenda => "検討症例", "Agenda";
    agenda_empty => "検討症例はまだありません。", "No case on the agenda yet.";
    composition => "構成要件", "Required composition";
    requirement => "要件", "Requirement";
    required_n => "必要", "Required";
    attending_n => "出席", "Attending";
    composition_ok => "構成要件を満たしています。", "The composition is complete.";
    composition_missing => "構成要件を満たしていないため、この会議は確定できません。", "This meeting cannot be finalised: the required composition is not met.";
    finalise => "出席者を確定する", "Finalise attendance";
    finalise_hint => "確定すると構成要件が確認され、承認ができるようになります。", "Finalising checks the composition and opens sign-off.";
    add_review => "症例を検討に追加", "Put a case on the agenda";
    case_to_review => "症例（調査結果発行済）", "Case (findings issued)";
    no_reviewable => "このパネルで検討できる症例（調査結果発行済）はありません。", "No case referred to this panel awaits review (findings issued).";
    recommendation_n => "推奨", "Recommendation";
    record_review => "検討結果を記録", "Record the review";
    mode_hint => "持ち回り開催では出席者全員が承認します。対面・ビデオ会議では議長が承認します。", "In an asynchronous meeting every attendee signs off; in a live or video meeting the chair does.";
    facilities_title => "施設", "Facilities";
    code_label => "コード", "Code";
    kind => "種別", "Kind";
    prefecture => "都道府県", "Prefecture";
    hosts_panel => "エキスパートパネル", "Expert panel";
    linked_to => "連携先", "Linked to";
    optional => "任意", "optional";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_both_languages_and_no_placeholder() {
        for (name, ja, en) in LABELS {
            assert!(!ja.trim().is_empty() && !en.trim().is_empty(), "{name}");
            for t in [ja, en] {
                assert!(!t.contains("TODO") && !t.contains("XXX"), "{name}: {t}");
            }
        }
        let names: std::collections::HashSet<_> = LABELS.iter().map(|l| l.0).collect();
        assert_eq!(names.len(), LABELS.len());
    }

    #[test]
    fn enums_have_english_labels_and_times_are_japan_time() {
        let en = Lang { en: true };
        let ja = Lang::default();
        assert_eq!(en.of(CaseState::FindingsIssued), "Findings issued");
        assert_eq!(ja.of(CaseState::FindingsIssued), "調査結果発行");
        assert_eq!(en.of(PanelRole::GeneticCounsellor), "Genetic counsellor");
        let t = Timestamp::parse("2024-04-01T23:30:00Z").unwrap();
        assert_eq!(ja.time(&t), "2024-04-02 08:30 JST");
        assert_eq!(ja.message("must not be empty"), "入力してください");
        assert_eq!(en.message("must not be empty"), "must not be empty");
        assert_eq!(ja.q(), "");
        assert_eq!(en.q(), "?lang=en");
        assert_eq!(ja.role_name("clinician"), "主治医");
        assert_eq!(en.role_name("clinician"), "Clinician");
        assert_eq!(ja.role_name("someone"), "someone");
        assert_eq!(ja.audit_outcome_name("denied"), "拒否");
        assert_eq!(en.audit_outcome_name("denied"), "denied");
        assert_eq!(ja.audit_outcome_name("new_outcome"), "new_outcome");
    }
}

#[cfg(test)]
mod event_note_tests {
    use super::Lang;

    #[test]
    fn system_notes_are_translated_and_typed_notes_kept() {
        let ja = Lang { en: false };
        let en = Lang { en: true };
        assert_eq!(
            ja.event_note("findings v2 gnr-1a2b (knowledge release shipped (a6bf6d542a44))"),
            "調査結果 第2版 gnr-1a2b（知識ベース shipped (a6bf6d542a44) の公開）"
        );
        assert_eq!(
            ja.event_note("findings v1 gnr-9 (result files T001.vcf.gz, T001.cna.tsv)"),
            "調査結果 第1版 gnr-9（結果ファイル T001.vcf.gz, T001.cna.tsv）"
        );
        assert_eq!(ja.event_note("result files a.vcf"), "結果ファイル a.vcf");
        assert_eq!(
            ja.event_note("first treatment recorded"),
            "最初の治療を記録"
        );
        assert_eq!(
            ja.event_note("explained on 2026-12-01"),
            "2026-12-01 に説明"
        );
        assert_eq!(ja.event_note("家族と来院"), "家族と来院");
        assert_eq!(
            ja.event_note("findings version pending"),
            "findings version pending"
        );
        assert_eq!(
            en.event_note("first treatment recorded"),
            "first treatment recorded"
        );
    }
}
