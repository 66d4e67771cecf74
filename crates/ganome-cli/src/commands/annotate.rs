//! `ganome annotate`: consequences and HGVS for a VCF.
//!
//! `ganome annotate --txdb X.txdb IN.vcf --format tsv|json|vcf|bcsq [-o OUT]`, or
//! `--gff F.gff3 --fasta F.fa` instead of `--txdb` for a one-off run. `--format bcsq` writes
//! the VCF back with INFO/BCSQ in bcftools csq's format (haplotype-aware, as bcftools
//! without samples). Findings-report options will be added to [`AnnotateArgs`].

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use ganome_genomics::annotate::{OutputFormat, annotate_vcf};
use ganome_genomics::txdb::TranscriptDb;
use indicatif::{ProgressBar, ProgressStyle};

/// Arguments of `ganome annotate`.
#[derive(Debug, clap::Args)]
pub struct AnnotateArgs {
    /// Input VCF (plain or gzip/bgzip); `-` for stdin.
    pub input: PathBuf,
    /// Transcript database built with `ganome txdb build`.
    #[arg(long, conflicts_with_all = ["gff", "fasta"])]
    pub txdb: Option<PathBuf>,
    /// GFF3 for a one-off run (with --fasta).
    #[arg(long, requires = "fasta")]
    pub gff: Option<PathBuf>,
    /// Genome FASTA for a one-off run (with --gff).
    #[arg(long, requires = "gff")]
    pub fasta: Option<PathBuf>,
    /// Output format: tsv, json, vcf or bcsq.
    #[arg(long, default_value = "tsv")]
    pub format: OutputFormat,
    /// Output file (default stdout).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Do not show a progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Findings-report options (`--out DIR` and friends; see `commands/report.rs`).
    #[command(flatten)]
    pub report: Box<super::report::ReportArgs>,
}

/// Runs `ganome annotate`.
pub fn run(args: AnnotateArgs) -> anyhow::Result<()> {
    // Findings report (owned by the report engineer): delegate when --out is given.
    if args.report.out.is_some() {
        return super::report::run(&args);
    }
    let db = match (&args.txdb, &args.gff, &args.fasta) {
        (Some(t), _, _) => TranscriptDb::read(t)?,
        (None, Some(g), Some(f)) => TranscriptDb::from_gff_fasta(g, f)?,
        _ => anyhow::bail!("give --txdb, or --gff with --fasta"),
    };
    let input: Box<dyn std::io::BufRead> = if args.input.as_os_str() == "-" {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        let f =
            File::open(&args.input).with_context(|| format!("opening {}", args.input.display()))?;
        let gz = args
            .input
            .extension()
            .is_some_and(|e| e == "gz" || e == "bgz");
        if gz {
            Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(f)))
        } else {
            Box::new(BufReader::with_capacity(1 << 20, f))
        }
    };
    let output: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(BufWriter::with_capacity(
            1 << 20,
            File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout().lock())),
    };
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new_spinner();
        b.set_style(
            ProgressStyle::with_template("{spinner} {pos} records {per_sec} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        b
    };
    let stats = annotate_vcf(&db, input, output, args.format, |n| bar.set_position(n))?;
    bar.finish_and_clear();
    if !args.quiet {
        eprintln!("annotated {} of {} records", stats.annotated, stats.records);
    }
    Ok(())
}
