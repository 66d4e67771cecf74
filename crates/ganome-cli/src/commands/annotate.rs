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
        _ => return vendor_annotations(&args),
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

/// Without a transcript database, reports the annotations a vendor tool already wrote into
/// the VCF (VEP INFO/CSQ, snpEff INFO/ANN, bcftools INFO/BCSQ), one row per variant and
/// transcript, in the same columns for every tool.
fn vendor_annotations(args: &AnnotateArgs) -> anyhow::Result<()> {
    if !matches!(args.format, OutputFormat::Tsv | OutputFormat::Json) {
        anyhow::bail!(
            "--format vcf and bcsq compute consequences: give --txdb, or --gff with --fasta"
        );
    }
    let vcf = ganome_genomics::vcf::read_vcf(&args.input).map_err(|e| anyhow::anyhow!("{e}"))?;
    let annotated = vcf
        .variants
        .iter()
        .filter(|v| !v.annotations.is_empty())
        .count();
    if annotated == 0 {
        anyhow::bail!(
            "{} carries no VEP CSQ, snpEff ANN or bcftools BCSQ annotations; give --txdb (see `ganome txdb build`), or --gff with --fasta",
            args.input.display()
        );
    }
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    if matches!(args.format, OutputFormat::Json) {
        serde_json::to_writer_pretty(&mut out, &vcf.variants)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "#chrom\tpos\tref\talt\tsource\tgene\ttranscript\tconsequence\thgvsc\thgvsp"
        )?;
        for v in &vcf.variants {
            for a in &v.annotations {
                let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".to_owned());
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    v.chrom,
                    v.pos,
                    v.ref_allele,
                    v.alt_allele,
                    a.source.info_key(),
                    opt(&a.gene_symbol),
                    opt(&a.transcript_id),
                    a.consequences.join("&"),
                    opt(&a.hgvsc),
                    opt(&a.hgvsp),
                )?;
            }
        }
    }
    out.flush()?;
    if !args.quiet {
        eprintln!(
            "read vendor annotations of {annotated} of {} variants (no transcript database given)",
            vcf.variants.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: AnnotateArgs,
    }

    fn testdata(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/variants")
            .join(name)
    }

    #[test]
    fn without_a_transcript_database_vendor_annotations_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.tsv");
        let input = testdata("vep_annotated_csq.vcf");
        let cli = Cli::parse_from([
            "annotate",
            input.to_str().unwrap(),
            "--quiet",
            "-o",
            out.to_str().unwrap(),
        ]);
        run(cli.args).unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert!(rows.len() >= 5, "{text}");
        assert!(rows.iter().any(
            |r| r.contains("TP53\tENST00000269305\tstop_gained") && r.ends_with("p.Arg282Ter")
        ));
    }

    #[test]
    fn without_annotations_or_database_the_error_says_what_to_give() {
        let input = testdata("test_mutect.vcf");
        let cli = Cli::parse_from(["annotate", input.to_str().unwrap(), "--quiet"]);
        let err = run(cli.args).unwrap_err().to_string();
        assert!(err.contains("--txdb"), "{err}");
    }
}
