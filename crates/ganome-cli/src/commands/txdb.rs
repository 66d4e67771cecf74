//! `ganome txdb`: build or inspect a transcript database.
//!
//! `ganome txdb build --gff F.gff3 --fasta F.fa -o X.txdb` (or `--cdot F.json
//! --transcript-fasta T.fa [--build GRCh38]`), `ganome txdb info X.txdb`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use ganome_genomics::txdb::TranscriptDb;

/// Arguments of `ganome txdb`.
#[derive(Debug, clap::Args)]
pub struct TxdbArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: TxdbCommand,
}

/// `ganome txdb` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum TxdbCommand {
    /// Build a database from GFF3 + genome FASTA, or cdot JSON + transcript FASTA.
    Build {
        /// GFF3 (Ensembl, RefSeq/NCBI, GENCODE or LRG-derived); plain or .gz.
        #[arg(long, requires = "fasta", conflicts_with = "cdot")]
        gff: Option<PathBuf>,
        /// Genome FASTA: whole chromosomes or `chrN:start-end` slices.
        #[arg(long)]
        fasta: Option<PathBuf>,
        /// cdot JSON.
        #[arg(long, requires = "transcript_fasta")]
        cdot: Option<PathBuf>,
        /// Transcript (cDNA) FASTA for `--cdot`.
        #[arg(long)]
        transcript_fasta: Option<PathBuf>,
        /// Genome build to take from cdot (default GRCh38, else the first).
        #[arg(long)]
        build: Option<String>,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Print a summary of a database.
    Info {
        /// Database file.
        path: PathBuf,
    },
}

/// Runs `ganome txdb`.
pub fn run(args: TxdbArgs) -> anyhow::Result<()> {
    match args.command {
        TxdbCommand::Build {
            gff,
            fasta,
            cdot,
            transcript_fasta,
            build,
            output,
        } => {
            let db = match (gff, fasta, cdot, transcript_fasta) {
                (Some(g), Some(f), None, _) => TranscriptDb::from_gff_fasta(&g, &f)?,
                (None, _, Some(c), Some(t)) => TranscriptDb::from_cdot(&c, &t, build.as_deref())?,
                _ => anyhow::bail!("give --gff with --fasta, or --cdot with --transcript-fasta"),
            };
            db.write(&output)
                .with_context(|| format!("writing {}", output.display()))?;
            for w in &db.info().warnings {
                eprintln!("warning: {w}");
            }
            println!(
                "wrote {}: {} transcripts, {} bases of sequence",
                output.display(),
                db.transcripts().len(),
                db.stored_bases()
            );
            Ok(())
        }
        TxdbCommand::Info { path } => {
            let t0 = Instant::now();
            let db = TranscriptDb::read(&path)?;
            let load = t0.elapsed();
            let txs = db.transcripts();
            let coding = txs.iter().filter(|t| t.is_coding()).count();
            let mane = txs.iter().filter(|t| t.is_mane_select()).count();
            let mut genes: Vec<&str> = txs.iter().map(|t| t.gene_name.as_str()).collect();
            genes.sort_unstable();
            genes.dedup();
            println!("file\t{}", path.display());
            println!("format\tGNMTXDB v{}", ganome_genomics::txdb::FORMAT_VERSION);
            println!("built_by\t{}", db.info().built_by);
            println!("sources\t{}", db.info().sources.join(", "));
            println!(
                "transcripts\t{} ({} coding, {} MANE Select)",
                txs.len(),
                coding,
                mane
            );
            println!("genes\t{}", genes.len());
            println!(
                "chromosomes\t{}",
                db.chrom_names().collect::<Vec<_>>().join(",")
            );
            println!("sequence_bases\t{}", db.stored_bases());
            println!("load_ms\t{:.2}", load.as_secs_f64() * 1000.0);
            for w in &db.info().warnings {
                println!("warning\t{w}");
            }
            Ok(())
        }
    }
}
