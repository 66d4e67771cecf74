//! `ganome annotate … --out DIR`: the standalone findings report, like PCGR. Reads the VCF
//! (and optional copy-number and fusion files), builds a [`FindingsReport`] against a
//! transcript database and a knowledge release, and writes `report.json`, `report.ja.html`,
//! `report.en.html`, `report.fhir.json`, `report.tsv` and `report.xlsx` into DIR.
//!
//! [`FindingsReport`]: ganome_report::FindingsReport

use std::path::{Path, PathBuf};

use super::annotate::AnnotateArgs;
use anyhow::Context;
use ganome_genomics::txdb::TranscriptDb;
use ganome_genomics::variant::{Biomarkers, Msi, MsiStatus, Tmb, TmbUnit};
use ganome_knowledge::KnowledgeRelease;
use ganome_report::{
    CaseInput, GermlineDisclosure, GermlineGuidance, InputFile, ReportContext, ReportInputs,
    build_report, render_all,
};

/// Findings-report options of `ganome annotate` (flattened into [`AnnotateArgs`]).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReportArgs {
    /// Write the findings report (six files) into this directory instead of annotating.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Knowledge release file (`ganome kb release`); default: built from the shipped data.
    #[arg(long, value_name = "RELEASE")]
    pub kb: Option<PathBuf>,
    /// OncoTree code of the tumour (required with --out).
    #[arg(long, value_name = "ONCOTREE")]
    pub tumor_type: Option<String>,
    /// Copy-number file (gene calls or SEG).
    #[arg(long)]
    pub cnv: Option<PathBuf>,
    /// Fusion file.
    #[arg(long)]
    pub fusions: Option<PathBuf>,
    /// TMB in mutations per megabase.
    #[arg(long)]
    pub tmb: Option<f64>,
    /// MSI status: high or stable.
    #[arg(long, value_parser = ["high", "stable"])]
    pub msi: Option<String>,
    /// Tumour-only panel (screens for presumed-germline findings).
    #[arg(long)]
    pub tumor_only: bool,
    /// Case id (default: the VCF's file stem).
    #[arg(long)]
    pub case_id: Option<String>,
    /// Report date (ISO 8601) from the case; never taken from the clock.
    #[arg(long)]
    pub report_date: Option<String>,
    /// Patient's wish about germline findings: disclose, do_not_disclose or undecided.
    #[arg(long, default_value = "undecided")]
    pub disclosure: GermlineDisclosure,
    /// Panel name.
    #[arg(long, default_value = "unspecified panel")]
    pub panel: String,
    /// Panel coding territory in megabases (for the TMB reading).
    #[arg(long)]
    pub panel_size: Option<f64>,
    /// Tumour content as a fraction (0–1) or a percentage (1–100).
    #[arg(long)]
    pub tumor_content: Option<f64>,
    /// Mean sequencing depth.
    #[arg(long)]
    pub mean_depth: Option<f64>,
    /// Germline guidance file (default: the shipped data/report/germline.toml).
    #[arg(long)]
    pub germline_guidance: Option<PathBuf>,
}

fn hash_file(role: &str, path: &Path) -> anyhow::Result<InputFile> {
    ganome_report::id::file_identity(role, path)
        .with_context(|| format!("reading {}", path.display()))
}

/// Runs the report path of `ganome annotate` (called when `--out` is given).
pub fn run(args: &AnnotateArgs) -> anyhow::Result<()> {
    let rep = &args.report;
    let out = rep.out.as_ref().context("--out is required for a report")?;
    let tumor_type = rep
        .tumor_type
        .clone()
        .context("--tumor-type ONCOTREE is required with --out")?;
    let (db, txdb_id) = match (&args.txdb, &args.gff, &args.fasta) {
        (Some(t), _, _) => {
            let f = hash_file("txdb", t)?;
            (
                TranscriptDb::read(t)?,
                format!("{} sha256:{}", f.name, &f.sha256[..16]),
            )
        }
        (None, Some(g), Some(fa)) => {
            let (a, b) = (hash_file("gff", g)?, hash_file("fasta", fa)?);
            (
                TranscriptDb::from_gff_fasta(g, fa)?,
                format!(
                    "{} sha256:{} + {} sha256:{}",
                    a.name,
                    &a.sha256[..16],
                    b.name,
                    &b.sha256[..16]
                ),
            )
        }
        _ => anyhow::bail!("give --txdb, or --gff with --fasta"),
    };
    let release = match &rep.kb {
        Some(p) => KnowledgeRelease::load(p)
            .with_context(|| format!("loading knowledge release {}", p.display()))?,
        None => KnowledgeRelease::default_from_shipped_data()
            .context("building the default knowledge release from data/knowledge")?,
    };
    let guidance = match &rep.germline_guidance {
        Some(p) => GermlineGuidance::read(p)?,
        None => GermlineGuidance::shipped()?,
    };

    let mut files = vec![hash_file("vcf", &args.input)?];
    let vcf = ganome_genomics::vcf::read_vcf(&args.input)?;
    let mut inputs = ReportInputs {
        variants: vcf.variants,
        ..ReportInputs::default()
    };
    if let Some(p) = &rep.cnv {
        files.push(hash_file("cnv", p)?);
        inputs.copy_numbers = ganome_genomics::cnv::read_copy_number(p, &Default::default())?.calls;
    }
    if let Some(p) = &rep.fusions {
        files.push(hash_file("fusions", p)?);
        inputs.fusions = ganome_genomics::fusion::read_fusions(p)?;
    }
    inputs.files = files;
    inputs.biomarkers = Biomarkers {
        tmb: rep.tmb.map(|value| Tmb {
            value,
            unit: TmbUnit::MutationsPerMegabase,
        }),
        msi: rep.msi.as_deref().map(|s| Msi {
            status: if s == "high" {
                MsiStatus::MsiHigh
            } else {
                MsiStatus::Mss
            },
            score: None,
            method: None,
        }),
    };
    let case_id = rep.case_id.clone().unwrap_or_else(|| {
        let name = args
            .input
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        name.trim_end_matches(".gz")
            .trim_end_matches(".vcf")
            .to_owned()
    });
    let case = CaseInput {
        report_date: rep.report_date.clone(),
        disclosure: rep.disclosure,
        panel: rep.panel.clone(),
        tumor_only: rep.tumor_only,
        panel_size_mb: rep.panel_size,
        tumor_content: rep
            .tumor_content
            .map(|t| if t > 1.0 { t / 100.0 } else { t }),
        mean_depth: rep.mean_depth,
        ..CaseInput::new(&case_id, &tumor_type)
    };
    let report = build_report(
        &case,
        &inputs,
        ReportContext {
            txdb: &db,
            txdb_id: &txdb_id,
            release: &release,
            guidance: &guidance,
        },
    );
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for f in render_all(&report)? {
        let p = out.join(f.name);
        std::fs::write(&p, &f.bytes).with_context(|| format!("writing {}", p.display()))?;
    }
    if !args.quiet {
        eprintln!(
            "{}: {} alterations, {} VUS, {} trials; wrote 6 files to {}",
            report.report_id,
            report.summary.alterations,
            report.summary.vus,
            report.summary.trials_domestic + report.summary.trials_overseas,
            out.display()
        );
    }
    Ok(())
}
