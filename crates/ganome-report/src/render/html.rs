//! Print-friendly HTML in Japanese or English from one askama template
//! (`templates/report.html`); the language only changes the labels and the bilingual
//! messages, never the structure.

use askama::Template;

use crate::model::{AlterationFinding, FindingsReport, Lang, Origin, TherapyOption};

/// Labels in one language.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    /// Page title.
    pub title: &'static str,
    /// Case.
    pub case: &'static str,
    /// Case id.
    pub case_id: &'static str,
    /// Tumour type.
    pub tumor_type: &'static str,
    /// Report date.
    pub report_date: &'static str,
    /// Test.
    pub test: &'static str,
    /// Panel.
    pub panel: &'static str,
    /// Tumour only.
    pub tumor_only: &'static str,
    /// Yes.
    pub yes: &'static str,
    /// No.
    pub no: &'static str,
    /// QC.
    pub qc: &'static str,
    /// Tumour content.
    pub tumor_content: &'static str,
    /// Mean depth.
    pub mean_depth: &'static str,
    /// Biomarkers.
    pub biomarkers: &'static str,
    /// Summary.
    pub summary: &'static str,
    /// Level.
    pub level: &'static str,
    /// Options.
    pub options: &'static str,
    /// No options.
    pub no_options: &'static str,
    /// Alterations.
    pub alterations: &'static str,
    /// Gene.
    pub gene: &'static str,
    /// Alteration.
    pub alteration: &'static str,
    /// Type.
    pub kind: &'static str,
    /// VAF / depth / CN.
    pub vaf_depth: &'static str,
    /// Origin.
    pub origin: &'static str,
    /// Oncogenicity.
    pub oncogenicity: &'static str,
    /// Drug.
    pub drug: &'static str,
    /// Reason.
    pub reason: &'static str,
    /// Approval.
    pub approval: &'static str,
    /// Trials.
    pub trials: &'static str,
    /// Domestic.
    pub domestic: &'static str,
    /// Overseas.
    pub overseas: &'static str,
    /// Status.
    pub status: &'static str,
    /// Prefectures.
    pub prefectures: &'static str,
    /// Germline.
    pub germline: &'static str,
    /// Threshold.
    pub threshold: &'static str,
    /// Source.
    pub source: &'static str,
    /// Uncertain.
    pub uncertain: &'static str,
    /// VUS.
    pub vus: &'static str,
    /// Provenance.
    pub provenance: &'static str,
    /// Knowledge release.
    pub knowledge: &'static str,
    /// Transcript db.
    pub txdb: &'static str,
    /// Engine.
    pub engine: &'static str,
    /// Warnings.
    pub warnings: &'static str,
    /// None.
    pub none: &'static str,
    /// Not applicable.
    pub not_applicable: &'static str,
}

const JA: Labels = Labels {
    title: "がん遺伝子パネル検査 結果レポート",
    case: "症例",
    case_id: "症例ID",
    tumor_type: "がん種",
    report_date: "報告日",
    test: "検査",
    panel: "パネル",
    tumor_only: "腫瘍のみ検査",
    yes: "はい",
    no: "いいえ",
    qc: "品質管理",
    tumor_content: "腫瘍細胞含有率",
    mean_depth: "平均深度",
    biomarkers: "バイオマーカー",
    summary: "まとめ",
    level: "エビデンスレベル",
    options: "治療選択肢",
    no_options: "エビデンスレベルA–Eの治療選択肢はありません",
    alterations: "検出された遺伝子異常",
    gene: "遺伝子",
    alteration: "異常",
    kind: "種類",
    vaf_depth: "VAF・深度／コピー数",
    origin: "由来",
    oncogenicity: "病的意義",
    drug: "薬剤",
    reason: "根拠",
    approval: "承認（日本／米国）",
    trials: "臨床試験",
    domestic: "国内",
    overseas: "海外",
    status: "状況",
    prefectures: "実施都道府県",
    germline: "生殖細胞系列由来が疑われる所見",
    threshold: "閾値",
    source: "出典",
    uncertain: "未確認",
    vus: "意義不明のバリアント（VUS）",
    provenance: "再現性情報",
    knowledge: "知識ベース",
    txdb: "転写産物データベース",
    engine: "エンジン",
    warnings: "警告",
    none: "なし",
    not_applicable: "該当なし（正常検体あり）",
};

const EN: Labels = Labels {
    title: "Cancer gene panel findings report",
    case: "Case",
    case_id: "Case id",
    tumor_type: "Tumour type",
    report_date: "Report date",
    test: "Test",
    panel: "Panel",
    tumor_only: "Tumour-only test",
    yes: "yes",
    no: "no",
    qc: "Quality control",
    tumor_content: "Tumour content",
    mean_depth: "Mean depth",
    biomarkers: "Biomarkers",
    summary: "Summary",
    level: "Evidence level",
    options: "Treatment options",
    no_options: "No treatment option at levels A–E",
    alterations: "Alterations",
    gene: "Gene",
    alteration: "Alteration",
    kind: "Type",
    vaf_depth: "VAF, depth / copy number",
    origin: "Origin",
    oncogenicity: "Oncogenicity",
    drug: "Drug",
    reason: "Reason",
    approval: "Approval (JP / US)",
    trials: "Clinical trials",
    domestic: "Japan",
    overseas: "Overseas",
    status: "Status",
    prefectures: "Prefectures",
    germline: "Presumed germline findings",
    threshold: "Threshold",
    source: "Source",
    uncertain: "uncertain",
    vus: "Variants of uncertain significance (VUS)",
    provenance: "Provenance",
    knowledge: "Knowledge release",
    txdb: "Transcript database",
    engine: "Engine",
    warnings: "Warnings",
    none: "none",
    not_applicable: "not applicable (matched normal)",
};

/// A therapy row ready to print.
#[derive(Debug, Clone)]
pub struct TherapyRow {
    /// Drug.
    pub drug: String,
    /// Level (`A (1A)`).
    pub level: String,
    /// Level code for CSS.
    pub level_class: String,
    /// Reason.
    pub reason: String,
    /// `✓ / –`.
    pub approval: String,
}

/// An alteration row ready to print.
#[derive(Debug, Clone)]
pub struct AlterationRow {
    /// Id.
    pub id: String,
    /// Gene.
    pub gene: String,
    /// Label and HGVS.
    pub alteration: String,
    /// HGVS c. with transcript.
    pub hgvs_c: String,
    /// Type.
    pub kind: String,
    /// VAF / depth / CN.
    pub measure: String,
    /// Origin.
    pub origin: String,
    /// Oncogenicity.
    pub oncogenicity: String,
    /// Best level.
    pub best_level: String,
    /// Therapies.
    pub therapies: Vec<TherapyRow>,
    /// Trial ids.
    pub trials: String,
}

/// A trial row.
#[derive(Debug, Clone)]
pub struct TrialRow {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Phase.
    pub phase: String,
    /// Status.
    pub status: String,
    /// Prefectures or countries.
    pub places: String,
    /// Matched criteria.
    pub criteria: String,
}

/// The page.
#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage<'a> {
    /// Language code.
    pub lang: &'static str,
    /// Labels.
    pub l: Labels,
    /// The report.
    pub r: &'a FindingsReport,
    /// Tumour content.
    pub tumor_content: String,
    /// Mean depth.
    pub mean_depth: String,
    /// QC caveats.
    pub caveats: Vec<String>,
    /// TMB line.
    pub tmb: String,
    /// MSI line.
    pub msi: String,
    /// Biomarker therapies.
    pub biomarker_therapies: Vec<TherapyRow>,
    /// Summary by level.
    pub summary: Vec<(String, String)>,
    /// Alterations.
    pub alterations: Vec<AlterationRow>,
    /// VUS.
    pub vus: Vec<AlterationRow>,
    /// Domestic trials.
    pub domestic: Vec<TrialRow>,
    /// Overseas trials.
    pub overseas: Vec<TrialRow>,
    /// Germline rows: label, VAF, threshold, source.
    pub germline: Vec<(String, String, String, String)>,
    /// Referral text.
    pub referral: String,
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{:.1}%", v * 100.0))
}

fn therapy_rows(t: &[TherapyOption], l: &Labels) -> Vec<TherapyRow> {
    t.iter()
        .map(|o| TherapyRow {
            drug: o.drug.clone(),
            level: format!("{} ({})", o.level.ed2, o.level.ed1),
            level_class: o.level.ed2.clone(),
            reason: format!("{} [{}]", o.level.reason, o.level.rule),
            approval: format!(
                "{} / {}",
                if o.approved_jp { l.yes } else { "–" },
                if o.approved_us { l.yes } else { "–" }
            ),
        })
        .collect()
}

fn origin(o: Origin, lang: Lang) -> &'static str {
    match (o, lang) {
        (Origin::Somatic, Lang::Ja) => "体細胞",
        (Origin::Germline, Lang::Ja) => "生殖細胞系列",
        (Origin::Unknown, Lang::Ja) => "不明",
        (Origin::Somatic, Lang::En) => "somatic",
        (Origin::Germline, Lang::En) => "germline",
        (Origin::Unknown, Lang::En) => "unknown",
    }
}

fn oncogenicity(s: &str, lang: Lang) -> String {
    match (s, lang) {
        ("oncogenic", Lang::Ja) => "病的".into(),
        ("likely_oncogenic", Lang::Ja) => "おそらく病的".into(),
        ("vus", Lang::Ja) => "意義不明".into(),
        ("likely_benign", Lang::Ja) => "おそらく良性".into(),
        (x, _) => x.replace('_', " "),
    }
}

fn alteration_rows(list: &[AlterationFinding], l: &Labels, lang: Lang) -> Vec<AlterationRow> {
    list.iter()
        .map(|a| {
            let measure = match (a.kind.as_str(), a.copy_number) {
                ("copy_number", Some(cn)) => format!("CN {cn}"),
                ("copy_number", None) => "CN –".into(),
                ("fusion", _) => a.depth.map_or_else(|| "–".into(), |d| format!("{d} reads")),
                _ => format!(
                    "{} / {}",
                    pct(a.vaf),
                    a.depth.map_or_else(|| "–".into(), |d| d.to_string())
                ),
            };
            AlterationRow {
                id: a.id.clone(),
                gene: a.gene.clone(),
                alteration: a.hgvs_p.clone().unwrap_or_else(|| a.label.clone()),
                hgvs_c: match (&a.transcript, &a.hgvs_c) {
                    (Some(t), Some(c)) if !c.contains(':') => format!("{t}:{c}"),
                    (_, Some(c)) => c.clone(),
                    _ => a.genomic.clone().unwrap_or_default(),
                },
                kind: a.kind.replace('_', " "),
                measure,
                origin: origin(a.origin, lang).into(),
                oncogenicity: oncogenicity(&a.oncogenicity, lang),
                best_level: a
                    .best_level
                    .as_ref()
                    .map_or_else(|| "–".into(), |b| b.ed2.clone()),
                therapies: therapy_rows(&a.therapies, l),
                trials: a.trials.join(", "),
            }
        })
        .collect()
}

fn trial_rows(list: &[crate::model::TrialFinding]) -> Vec<TrialRow> {
    list.iter()
        .map(|t| TrialRow {
            id: t.id.clone(),
            title: t.title.clone(),
            phase: t.phase.clone().unwrap_or_default(),
            status: t.status.clone(),
            places: if t.prefectures.is_empty() {
                t.countries.join(", ")
            } else {
                t.prefectures.join("、")
            },
            criteria: t.matched_criteria.join("; "),
        })
        .collect()
}

impl<'a> ReportPage<'a> {
    /// The page for `r` in `lang`.
    pub fn new(r: &'a FindingsReport, lang: Lang) -> Self {
        let l = match lang {
            Lang::Ja => JA,
            Lang::En => EN,
        };
        let mut biomarker_therapies = Vec::new();
        let tmb = r.biomarkers.tmb.as_ref().map_or_else(
            || l.none.to_owned(),
            |t| {
                biomarker_therapies.extend(therapy_rows(&t.therapies, &l));
                format!("TMB {:.1} mut/Mb — {}", t.value, t.reading.text(lang))
            },
        );
        let msi = r.biomarkers.msi.as_ref().map_or_else(
            || l.none.to_owned(),
            |m| {
                biomarker_therapies.extend(therapy_rows(&m.therapies, &l));
                format!("MSI {}", m.status.replace('_', "-").to_uppercase())
            },
        );
        Self {
            lang: lang.code(),
            r,
            tumor_content: pct(r.qc.tumor_content),
            mean_depth: r
                .qc
                .mean_depth
                .map_or_else(|| "–".into(), |d| format!("{d:.0}×")),
            caveats: r
                .qc
                .caveats
                .iter()
                .map(|c| c.text(lang).to_owned())
                .collect(),
            tmb,
            msi,
            biomarker_therapies,
            summary: r
                .summary
                .options_by_level
                .iter()
                .map(|(k, v)| (k.clone(), v.join("; ")))
                .collect(),
            alterations: alteration_rows(&r.alterations, &l, lang),
            vus: alteration_rows(&r.vus, &l, lang),
            domestic: trial_rows(&r.trials.domestic),
            overseas: trial_rows(&r.trials.overseas),
            germline: r
                .germline
                .findings
                .iter()
                .map(|g| {
                    (
                        g.label.clone(),
                        pct(Some(g.vaf)),
                        format!("≥ {} [{}]", pct(Some(g.threshold)), g.rule),
                        if g.uncertain {
                            format!("{} ({})", g.source, l.uncertain)
                        } else {
                            g.source.clone()
                        },
                    )
                })
                .collect(),
            referral: r.germline.referral.action.text(lang).to_owned(),
            l,
        }
    }
}

/// The HTML page.
pub fn render(r: &FindingsReport, lang: Lang) -> Result<String, askama::Error> {
    ReportPage::new(r, lang).render()
}
