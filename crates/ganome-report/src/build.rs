//! Building a [`FindingsReport`] from a case's files: annotate small variants against the
//! transcript database, ask the knowledge release, screen for presumed-germline findings, and
//! assemble the sections in a deterministic order.

use std::collections::BTreeMap;

use ganome_genomics::bcsq::Site;
use ganome_genomics::consequence::{VariantAnnotation, annotate_allele};
use ganome_genomics::txdb::TranscriptDb;
use ganome_genomics::variant::{
    Biomarkers, CopyNumberCall, CopyNumberState, Fusion, MsiStatus, TmbUnit, Variant,
};
use ganome_knowledge::matcher::{AlterationMatches, TherapyLevel};
use ganome_knowledge::query::{Biomarker, CopyNumberCall as KbCopyNumber};
use ganome_knowledge::{CaseQuery, Jurisdiction, KnowledgeRelease, QueryAlteration};
use serde::{Deserialize, Serialize};

use crate::germline::{GermlineGuidance, ScreenVariant, referral};
use crate::id::report_id;
use crate::model::*;

/// TMB at or above this (mut/Mb) reads as TMB-high: the tumour-agnostic threshold of the
/// pembrolizumab approvals (FoundationOne CDx, 10 mut/Mb).
pub const TMB_HIGH: f64 = 10.0;

/// Below this tumour content (fraction) TMB falls sharply and false negatives rise.
pub const LOW_TUMOR_CONTENT: f64 = 0.30;

/// Panels smaller than this (Mb) give a TMB with a wide confidence interval.
pub const SMALL_PANEL_MB: f64 = 1.0;

/// How many evidence/approval ids a therapy option lists.
const MAX_SOURCES: usize = 8;

/// Case and test facts that are not in the variant files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseInput {
    /// Case id.
    pub case_id: String,
    /// OncoTree code.
    pub tumor_type: String,
    /// Report date (ISO 8601), from the case; never the clock.
    pub report_date: Option<String>,
    /// Specimen.
    pub specimen: Option<String>,
    /// Disclosure preference from the consent.
    pub disclosure: GermlineDisclosure,
    /// Panel name.
    pub panel: String,
    /// Tumour-only test.
    pub tumor_only: bool,
    /// Genome build.
    pub genome_build: String,
    /// Panel coding territory (Mb), when known.
    pub panel_size_mb: Option<f64>,
    /// Tumour content (fraction).
    pub tumor_content: Option<f64>,
    /// Mean depth.
    pub mean_depth: Option<f64>,
}

impl CaseInput {
    /// A case with defaults for everything but id and tumour type.
    pub fn new(case_id: &str, tumor_type: &str) -> Self {
        Self {
            case_id: case_id.to_owned(),
            tumor_type: tumor_type.to_owned(),
            report_date: None,
            specimen: None,
            disclosure: GermlineDisclosure::Undecided,
            panel: "unspecified panel".into(),
            tumor_only: false,
            genome_build: "GRCh38".into(),
            panel_size_mb: None,
            tumor_content: None,
            mean_depth: None,
        }
    }
}

/// Everything read from the case's files.
#[derive(Debug, Clone, Default)]
pub struct ReportInputs {
    /// Small variants (from `ganome_genomics::vcf`).
    pub variants: Vec<Variant>,
    /// Copy-number calls.
    pub copy_numbers: Vec<CopyNumberCall>,
    /// Fusions.
    pub fusions: Vec<Fusion>,
    /// TMB / MSI.
    pub biomarkers: Biomarkers,
    /// The files and their hashes.
    pub files: Vec<InputFile>,
}

/// The versioned references a report is built against.
#[derive(Debug, Clone, Copy)]
pub struct ReportContext<'a> {
    /// Transcript database.
    pub txdb: &'a TranscriptDb,
    /// Its identity (file name and SHA-256), recorded in the report.
    pub txdb_id: &'a str,
    /// Knowledge release.
    pub release: &'a KnowledgeRelease,
    /// Germline guidance.
    pub guidance: &'a GermlineGuidance,
}

/// The engine version recorded in every report.
pub fn engine_version() -> String {
    format!("ganome-report {}", env!("CARGO_PKG_VERSION"))
}

/// One alteration before matching.
struct Pending {
    gene: String,
    kind: String,
    genomic: Option<String>,
    ann: Option<VariantAnnotation>,
    vaf: Option<f64>,
    depth: Option<u32>,
    copy_number: Option<f64>,
    origin: Origin,
    is_snv: bool,
}

fn pick(mut anns: Vec<VariantAnnotation>) -> Option<VariantAnnotation> {
    let i = anns
        .iter()
        .position(|a| a.reported)
        .or_else(|| anns.iter().position(|a| a.hgvs_p.is_some()))
        .or(if anns.is_empty() { None } else { Some(0) })?;
    Some(anns.swap_remove(i))
}

fn variant_kind(v: &Variant) -> (&'static str, bool) {
    let (r, a) = (v.ref_allele.len(), v.alt_allele.len());
    match (r, a) {
        (1, 1) => ("snv", true),
        (x, y) if x == y => ("mnv", false),
        (1, _) => ("insertion", false),
        (_, 1) => ("deletion", false),
        _ => ("indel", false),
    }
}

fn origin_of(v: &Variant, tumor_only: bool) -> Origin {
    match &v.normal {
        Some(n) if n.vaf.is_some_and(|f| f >= 0.1) => Origin::Germline,
        Some(_) => Origin::Somatic,
        None if tumor_only => Origin::Unknown,
        None => Origin::Somatic,
    }
}

fn exon_number(exon: Option<&str>) -> Option<u32> {
    exon.and_then(|e| e.split('/').next())
        .and_then(|n| n.parse().ok())
}

fn level(l: &ganome_knowledge::LevelAssignment) -> Level {
    Level {
        ed2: l.ed2.clone(),
        ed1: l.ed1.clone(),
        rule: l.rule.clone(),
        reason: l.reason.clone(),
    }
}

fn options(m: &AlterationMatches) -> Vec<TherapyOption> {
    m.therapies
        .iter()
        .map(|t: &TherapyLevel| {
            let mut sources: Vec<String> = m
                .approvals
                .iter()
                .filter(|a| a.drug.eq_ignore_ascii_case(&t.therapy))
                .map(|a| a.approval_id.clone())
                .chain(
                    m.evidence
                        .iter()
                        .filter(|e| e.therapies.eq_ignore_ascii_case(&t.therapy))
                        .map(|e| e.evidence_id.clone()),
                )
                .collect();
            sources.dedup();
            sources.truncate(MAX_SOURCES);
            TherapyOption {
                drug: t.therapy.clone(),
                level: level(&t.level),
                approved_jp: t.approved_in.contains(&Jurisdiction::Japan),
                approved_us: t.approved_in.contains(&Jurisdiction::UnitedStates),
                sources,
            }
        })
        .collect()
}

fn is_recruiting(status: &str) -> bool {
    let s = status.to_ascii_uppercase().replace([' ', '-'], "_");
    s == "RECRUITING" || s == "ENROLLING_BY_INVITATION" || status.contains("募集中")
}

fn is_truncating(consequences: &[String]) -> bool {
    consequences.iter().any(|c| {
        matches!(
            c.as_str(),
            "frameshift_variant"
                | "stop_gained"
                | "splice_donor_variant"
                | "splice_acceptor_variant"
                | "start_lost"
        )
    })
}

/// Builds the report. Pure and deterministic: the same inputs and references give the same
/// value (and so the same bytes from every renderer).
pub fn build_report(
    case: &CaseInput,
    inputs: &ReportInputs,
    ctx: ReportContext<'_>,
) -> FindingsReport {
    let mut warnings = Vec::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut not_reported = 0usize;
    for v in &inputs.variants {
        if v.is_symbolic() || !v.filter.is_pass_or_missing() {
            not_reported += 1;
            continue;
        }
        let Ok(pos) = u32::try_from(v.pos) else {
            warnings.push(format!("line {}: position {} out of range", v.line, v.pos));
            continue;
        };
        let site = Site {
            chrom: v.chrom.clone(),
            pos,
            ref_allele: v.ref_allele.to_ascii_uppercase().into_bytes(),
            alts: vec![v.alt_allele.to_ascii_uppercase().into_bytes()],
            genotypes: Vec::new(),
        };
        let Some(ann) = pick(annotate_allele(ctx.txdb, &site, 0)) else {
            not_reported += 1;
            continue;
        };
        let (kind, is_snv) = variant_kind(v);
        pending.push(Pending {
            gene: ann.gene.clone(),
            kind: kind.into(),
            genomic: Some(format!(
                "{}:{} {}>{}",
                v.chrom, v.pos, v.ref_allele, v.alt_allele
            )),
            ann: Some(ann),
            vaf: v.tumor.as_ref().and_then(|t| t.vaf),
            depth: v.tumor.as_ref().and_then(|t| t.depth),
            copy_number: None,
            origin: origin_of(v, case.tumor_only),
            is_snv,
        });
    }
    let mut queries: Vec<QueryAlteration> = pending
        .iter()
        .map(|p| {
            let ann = p.ann.as_ref();
            QueryAlteration::Variant {
                gene: p.gene.clone(),
                hgvs_p: ann.and_then(|a| a.hgvs_p_short.clone()),
                consequence: ann.and_then(|a| a.consequences.first().cloned()),
                exon: exon_number(ann.and_then(|a| a.exon.as_deref())),
            }
        })
        .collect();
    let mut seen_cn = std::collections::BTreeSet::new();
    for c in &inputs.copy_numbers {
        let call = match c.state {
            CopyNumberState::Amplification => KbCopyNumber::Amplification,
            CopyNumberState::Gain => KbCopyNumber::Gain,
            CopyNumberState::Loss => KbCopyNumber::Loss,
            CopyNumberState::DeepDeletion => KbCopyNumber::Deletion,
            _ => continue,
        };
        for gene in cnv_genes(c, ctx.txdb) {
            if !seen_cn.insert(gene.clone()) {
                continue;
            }
            queries.push(QueryAlteration::CopyNumber {
                gene: gene.clone(),
                call,
            });
            pending.push(Pending {
                gene,
                kind: "copy_number".into(),
                genomic: None,
                ann: None,
                vaf: None,
                depth: None,
                copy_number: c.copy_number,
                origin: Origin::Somatic,
                is_snv: false,
            });
        }
    }
    for f in &inputs.fusions {
        let (Some(g5), Some(g3)) = (&f.gene5, &f.gene3) else {
            continue;
        };
        queries.push(QueryAlteration::Fusion {
            five_prime: g5.clone(),
            three_prime: g3.clone(),
        });
        pending.push(Pending {
            gene: format!("{g5}::{g3}"),
            kind: "fusion".into(),
            genomic: None,
            ann: None,
            vaf: None,
            depth: f.split_reads,
            copy_number: None,
            origin: Origin::Somatic,
            is_snv: false,
        });
    }
    let n_alterations = queries.len();
    let tmb_value = inputs.biomarkers.tmb.as_ref().and_then(|t| match t.unit {
        TmbUnit::MutationsPerMegabase => Some(t.value),
        TmbUnit::MutationCount => case.panel_size_mb.filter(|s| *s > 0.0).map(|s| t.value / s),
    });
    let tmb_index = tmb_value.map(|v| {
        queries.push(QueryAlteration::Biomarker {
            biomarker: Biomarker::Tmb,
            value: Some(v),
        });
        queries.len() - 1
    });
    let msi_high = inputs
        .biomarkers
        .msi
        .as_ref()
        .is_some_and(|m| m.status == MsiStatus::MsiHigh);
    let msi_index = msi_high.then(|| {
        queries.push(QueryAlteration::Biomarker {
            biomarker: Biomarker::MsiHigh,
            value: None,
        });
        queries.len() - 1
    });
    let matches = ctx.release.match_case(&CaseQuery {
        tumor_type: case.tumor_type.clone(),
        alterations: queries,
    });
    warnings.extend(matches.warnings.iter().cloned());
    let aid = |i: usize| format!("A{}", i + 1);

    // Trials.
    let mut trials = TrialSection::default();
    let mut trials_of: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for t in &matches.trials {
        for &i in &t.alterations {
            trials_of.entry(i).or_default().push(t.trial_id.clone());
        }
        let domestic = !t.prefectures.is_empty() || t.countries.iter().any(|c| c == "Japan");
        let tf = TrialFinding {
            id: t.trial_id.clone(),
            registry: t.registry.clone(),
            title: t.title.clone(),
            phase: t.phase.clone(),
            status: t.status.clone(),
            recruiting: is_recruiting(&t.status),
            domestic,
            prefectures: t.prefectures.clone(),
            countries: t.countries.clone(),
            matched_criteria: t.matched_criteria.clone(),
            alterations: t
                .alterations
                .iter()
                .filter(|&&i| i < n_alterations)
                .map(|&i| aid(i))
                .collect(),
        };
        if domestic {
            trials.domestic.push(tf);
        } else {
            trials.overseas.push(tf);
        }
    }
    for list in [&mut trials.domestic, &mut trials.overseas] {
        list.sort_by(|a, b| {
            b.recruiting
                .cmp(&a.recruiting)
                .then_with(|| a.id.cmp(&b.id))
        });
    }

    // Alterations.
    let rules = &ctx.release.content.levels;
    let mut alterations = Vec::new();
    let mut vus = Vec::new();
    let mut germline_findings = Vec::new();
    for (i, p) in pending.into_iter().enumerate() {
        let Some(m) = matches.alterations.iter().find(|m| m.index == i) else {
            continue;
        };
        let ann = p.ann.as_ref();
        let consequence = ann.map(|a| a.consequences.clone()).unwrap_or_default();
        let (onc, basis) = match &m.oncogenicity {
            Some(o) => (
                serde_json::to_value(o.call)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_else(|| "vus".into()),
                o.basis.clone(),
            ),
            None => ("vus".into(), Vec::new()),
        };
        let finding = AlterationFinding {
            id: aid(i),
            gene: p.gene.clone(),
            label: m.label.clone(),
            kind: p.kind.clone(),
            genomic: p.genomic.clone(),
            transcript: ann.map(|a| a.transcript.clone()),
            hgvs_c: ann.and_then(|a| a.hgvs_c.clone()),
            hgvs_p: ann.and_then(|a| a.hgvs_p.clone()),
            consequence,
            vaf: p.vaf,
            depth: p.depth,
            copy_number: p.copy_number,
            origin: p.origin,
            oncogenicity: onc.clone(),
            oncogenicity_basis: basis,
            best_level: m.best_level.as_ref().map(level),
            therapies: options(m),
            trials: trials_of.get(&i).cloned().unwrap_or_default(),
        };
        if case.tumor_only && p.ann.is_some() {
            let pathogenic_like = matches!(onc.as_str(), "oncogenic" | "likely_oncogenic")
                || is_truncating(&finding.consequence);
            let hit = ctx.guidance.screen(
                &ScreenVariant {
                    gene: &finding.gene,
                    vaf: finding.vaf,
                    is_snv: p.is_snv,
                    pathogenic_like,
                },
                msi_high,
            );
            if let (Some(h), Some(vaf)) = (hit, finding.vaf) {
                germline_findings.push(GermlineFinding {
                    alteration_id: finding.id.clone(),
                    gene: finding.gene.clone(),
                    label: finding.label.clone(),
                    vaf,
                    threshold: h.threshold,
                    rule: h.rule,
                    source: h.source,
                    uncertain: h.uncertain,
                });
            }
        }
        let reportable = matches!(onc.as_str(), "oncogenic" | "likely_oncogenic")
            || !finding.therapies.is_empty()
            || germline_findings
                .last()
                .is_some_and(|g| g.alteration_id == finding.id);
        if reportable {
            alterations.push(finding);
        } else if onc == "vus" {
            vus.push(finding);
        } else {
            not_reported += 1;
        }
    }
    let rank = |f: &AlterationFinding| {
        f.best_level
            .as_ref()
            .map_or(usize::MAX, |l| rules.rank(&l.ed2))
    };
    alterations.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| id_num(&a.id).cmp(&id_num(&b.id)))
    });

    // Biomarkers.
    let therapies_at = |i: Option<usize>| {
        i.and_then(|i| matches.alterations.iter().find(|m| m.index == i))
            .map(options)
            .unwrap_or_default()
    };
    let mut biomarkers = BiomarkerFindings::default();
    if let Some(v) = tmb_value {
        biomarkers.tmb = Some(TmbFinding {
            value: v,
            category: if v >= TMB_HIGH { "high" } else { "not_high" }.into(),
            threshold: TMB_HIGH,
            reading: tmb_reading(v, case),
            therapies: therapies_at(tmb_index),
        });
    } else if inputs.biomarkers.tmb.is_some() {
        warnings.push("TMB given as a count without --panel-size: not converted to mut/Mb".into());
    }
    if let Some(m) = &inputs.biomarkers.msi {
        biomarkers.msi = Some(MsiFinding {
            status: match m.status {
                MsiStatus::MsiHigh => "msi_high",
                MsiStatus::MsiLow => "msi_low",
                MsiStatus::Mss => "mss",
                MsiStatus::Indeterminate => "indeterminate",
            }
            .into(),
            score: m.score,
            therapies: therapies_at(msi_index),
        });
    }

    // QC.
    let mut depths: Vec<u32> = alterations
        .iter()
        .chain(&vus)
        .filter_map(|a| a.depth.filter(|_| a.kind != "fusion"))
        .collect();
    depths.sort_unstable();
    let qc = Qc {
        tumor_content: case.tumor_content,
        mean_depth: case.mean_depth,
        median_variant_depth: depths.get(depths.len() / 2).copied(),
        caveats: qc_caveats(case),
    };

    // Summary.
    let mut summary = Summary {
        alterations: alterations.len(),
        vus: vus.len(),
        not_reported,
        trials_domestic: trials.domestic.len(),
        trials_overseas: trials.overseas.len(),
        germline_flag: !germline_findings.is_empty(),
        ..Summary::default()
    };
    let mut add = |label: &str, opts: &[TherapyOption]| {
        for o in opts {
            if o.level.ed2 != "R" && o.level.ed2 != "F" {
                let e = summary
                    .options_by_level
                    .entry(o.level.ed2.clone())
                    .or_default();
                let s = format!("{label}: {}", o.drug);
                if !e.contains(&s) {
                    e.push(s);
                }
            }
        }
    };
    for a in &alterations {
        add(&a.label, &a.therapies);
    }
    if let Some(t) = &biomarkers.tmb {
        add("TMB-H", &t.therapies);
    }
    if let Some(m) = &biomarkers.msi {
        add("MSI-H", &m.therapies);
    }

    let mut files = inputs.files.clone();
    files.sort();
    let provenance = Provenance {
        inputs: files,
        knowledge_release: matches.release.clone(),
        knowledge_hash: ctx.release.content_hash.clone(),
        transcript_db: ctx.txdb_id.to_owned(),
        engine: engine_version(),
        germline_guidance: ctx.guidance.label(),
    };
    let has_germline = !germline_findings.is_empty();
    FindingsReport {
        schema_version: SCHEMA_VERSION.into(),
        report_id: report_id(case, &provenance),
        case: CaseInfo {
            case_id: case.case_id.clone(),
            tumor_type: matches.tumor_type.clone(),
            tumor_type_name: matches.tumor_type_name.clone(),
            report_date: case.report_date.clone(),
            specimen: case.specimen.clone(),
            germline_disclosure: case.disclosure,
        },
        test: TestInfo {
            panel: case.panel.clone(),
            tumor_only: case.tumor_only,
            genome_build: case.genome_build.clone(),
            panel_size_mb: case.panel_size_mb,
        },
        provenance,
        qc,
        biomarkers,
        alterations,
        vus,
        germline: GermlineSection {
            applies: case.tumor_only,
            findings: germline_findings,
            referral: referral(has_germline, case.disclosure),
        },
        trials,
        summary,
        warnings,
    }
}

/// Genes of a copy-number call: its own gene, or for a segment the transcript-database genes
/// it overlaps (sorted), as PCGR does for segment files.
fn cnv_genes(c: &CopyNumberCall, db: &TranscriptDb) -> Vec<String> {
    if let Some(g) = &c.gene {
        return vec![g.clone()];
    }
    let (Some(chrom), Some(start), Some(end)) = (&c.chrom, c.start, c.end) else {
        return Vec::new();
    };
    let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(end)) else {
        return Vec::new();
    };
    let mut genes: Vec<String> = db
        .overlapping(chrom, start, end)
        .into_iter()
        .map(|(_, t)| t.gene_name.clone())
        .collect();
    genes.sort();
    genes.dedup();
    genes
}

fn id_num(id: &str) -> u32 {
    id.trim_start_matches('A').parse().unwrap_or(u32::MAX)
}

fn qc_caveats(case: &CaseInput) -> Vec<Message> {
    let mut out = Vec::new();
    match case.tumor_content {
        Some(tc) if tc < LOW_TUMOR_CONTENT => out.push(Message::new(
            "low_tumor_content",
            format!(
                "Tumour content {:.0}% is below 30%: TMB falls sharply and false negatives rise; a negative result does not exclude an alteration.",
                tc * 100.0
            ),
            format!(
                "腫瘍細胞含有率 {:.0}% は30%未満です：TMBは大きく低下し偽陰性が増えます。陰性結果は変異の不在を意味しません。",
                tc * 100.0
            ),
        )),
        Some(_) => {}
        None => out.push(Message::new(
            "tumor_content_unknown",
            "Tumour content not given: below 30% TMB falls sharply and false negatives rise.",
            "腫瘍細胞含有率の記載がありません：30%未満ではTMBが大きく低下し偽陰性が増えます。",
        )),
    }
    if case.tumor_only {
        out.push(Message::new(
            "tumor_only",
            "Tumour-only test: somatic and germline variants cannot be told apart; presumed-germline findings are screened by VAF.",
            "腫瘍のみの検査：体細胞と生殖細胞系列の区別はできません。生殖細胞系列由来が疑われる所見をVAFで抽出しています。",
        ));
    }
    out
}

fn tmb_reading(v: f64, case: &CaseInput) -> Message {
    let (mut en, mut ja) = if v >= TMB_HIGH {
        (
            format!("TMB-high ({v:.1} mut/Mb ≥ {TMB_HIGH} mut/Mb, the tumour-agnostic threshold)."),
            format!("TMB高値（{v:.1} mut/Mb ≥ {TMB_HIGH} mut/Mb、臓器横断的基準）。"),
        )
    } else {
        (
            format!("Not TMB-high ({v:.1} mut/Mb < {TMB_HIGH} mut/Mb)."),
            format!("TMB高値ではありません（{v:.1} mut/Mb < {TMB_HIGH} mut/Mb）。"),
        )
    };
    match case.panel_size_mb {
        Some(s) if s < SMALL_PANEL_MB => {
            en.push_str(&format!(
                " Panel of {s:.2} Mb: few mutations are counted, so the value is imprecise near the threshold."
            ));
            ja.push_str(&format!(
                " {s:.2} Mbのパネル：数える変異が少なく、閾値付近では値が不正確です。"
            ));
        }
        Some(s) => {
            en.push_str(&format!(" Panel of {s:.2} Mb ({}).", case.panel));
            ja.push_str(&format!(" {s:.2} Mbのパネル（{}）。", case.panel));
        }
        None => {
            en.push_str(
                " Panel size not given: values from different panels are not directly comparable.",
            );
            ja.push_str(" パネルサイズ不明：パネル間で値は直接比較できません。");
        }
    }
    if case.tumor_content.is_some_and(|t| t < LOW_TUMOR_CONTENT) {
        en.push_str(" Tumour content below 30%: the TMB is likely underestimated.");
        ja.push_str(" 腫瘍細胞含有率30%未満：TMBは過小評価の可能性があります。");
    }
    Message::new(
        if v >= TMB_HIGH {
            "tmb_high"
        } else {
            "tmb_not_high"
        },
        en,
        ja,
    )
}
