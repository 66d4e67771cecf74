//! The data center's findings engine for `serve` and `demo`, and `ganome publish`: register
//! a knowledge release and re-issue every case's findings with it.

use std::path::PathBuf;

use anyhow::Context;
use ganome_knowledge::KnowledgeRelease;
use ganome_report::GermlineGuidance;
use ganome_service::{AnnotationEngine, Ganome};

use crate::config::StoreArgs;

/// Loads the findings engine: the shipped transcript database, the germline guidance and the
/// current registered knowledge release — registering one built from the shipped data
/// (named `shipped`) when none is registered yet. Returns a one-line summary.
pub async fn ensure_engine(ganome: &Ganome) -> anyhow::Result<String> {
    let release = match ganome.load_current_knowledge_release().await? {
        Some(r) => r,
        None => {
            let spinner = indicatif::ProgressBar::new_spinner();
            spinner.set_message(
                "Building the knowledge release from the shipped CIViC, OncoTree, approvals and trials data…",
            );
            spinner.enable_steady_tick(std::time::Duration::from_millis(120));
            let release = tokio::task::spawn_blocking(KnowledgeRelease::default_from_shipped_data)
                .await?
                .map_err(|e| anyhow::anyhow!("{e}"))
                .context(
                    "cannot build the shipped knowledge release; run from the source tree or set GANOME_SHIPPED_DATA",
                )?
                .named("shipped");
            ganome
                .register_knowledge_release(&release, "operator")
                .await?;
            spinner.finish_and_clear();
            release
        }
    };
    let (txdb, txdb_id) =
        tokio::task::spawn_blocking(AnnotationEngine::shipped_transcripts).await??;
    let guidance = GermlineGuidance::shipped().map_err(|e| anyhow::anyhow!("{e}"))?;
    let c = &release.content;
    let line = format!(
        "Knowledge release {}: {} evidence items, {} approvals, {} trials, {} tumour types; transcripts of {} genes.",
        release.label(),
        c.evidence.len(),
        c.approvals.len(),
        c.trials.len(),
        c.tumor_types.nodes.len(),
        txdb.transcripts()
            .iter()
            .map(|t| t.gene_name.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
    );
    ganome.set_annotation_engine(AnnotationEngine::new(txdb, txdb_id, release, guidance));
    Ok(line)
}

/// Arguments of `ganome publish`.
#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The release file (`ganome kb release` writes DATA_DIR/kb/releases/NAME.json), or
    /// the NAME of one there.
    pub release: String,
    /// The data-center curator, reviewer or administrator publishing it (audited as them).
    #[arg(long)]
    pub user: String,
    /// Only queue the re-interpretation of every case; the running servers' background
    /// workers (or `ganome jobs run`) do it.
    #[arg(long)]
    pub no_wait: bool,
}

/// Runs `ganome publish`.
pub async fn publish(args: PublishArgs) -> anyhow::Result<()> {
    let path = {
        let p = PathBuf::from(&args.release);
        if p.exists() {
            p
        } else {
            args.store
                .data_dir
                .join("kb/releases")
                .join(format!("{}.json", args.release))
        }
    };
    let release = KnowledgeRelease::load(&path)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| {
            format!(
                "cannot load {}; build one with `ganome kb import` and `ganome kb release --name NAME`",
                path.display()
            )
        })?;
    if release.name.is_none() {
        anyhow::bail!(
            "{} is an unnamed import; freeze it with `ganome kb release --name NAME` first",
            path.display()
        );
    }
    let ganome = args.store.open().await?;
    ensure_engine(&ganome).await?;
    let actor = ganome.operator_acting_as(&args.user).await?;
    let label = release.label();
    let (record, queued) = ganome.queue_knowledge_release(&actor, release).await?;
    println!(
        "Published {label} as the current release ({}); {queued} cases queued for re-interpretation.",
        record.summary
    );
    if args.no_wait {
        println!(
            "Running servers re-interpret them in the background; `ganome jobs` shows progress, `ganome jobs run` does it here."
        );
        return Ok(());
    }
    drain(&ganome).await
}

/// Arguments of `ganome jobs`.
#[derive(Debug, clap::Args)]
pub struct JobsArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// `status` (default) shows the re-interpretation queue and failed jobs; `run` drains it
    /// in this process.
    #[arg(default_value = "status", value_parser = ["status", "run"])]
    pub action: String,
}

/// Runs `ganome jobs`.
pub async fn jobs(args: JobsArgs) -> anyhow::Result<()> {
    let ganome = args.store.open().await?;
    if args.action == "run" {
        ensure_engine(&ganome).await?;
        return drain(&ganome).await;
    }
    let (counts, failed) = ganome.reinterpretation_jobs().await?;
    println!(
        "Re-interpretation jobs: {} queued, {} running, {} done, {} failed.",
        counts.queued, counts.running, counts.done, counts.failed
    );
    for job in failed {
        println!(
            "  failed: case {} after {} attempts: {}",
            job.subject,
            job.attempts,
            job.error.as_deref().unwrap_or("")
        );
    }
    Ok(())
}

/// Drains the job queue here with a progress bar.
async fn drain(ganome: &Ganome) -> anyhow::Result<()> {
    let (counts, _) = ganome.reinterpretation_jobs().await?;
    let bar = indicatif::ProgressBar::new(u64::try_from(counts.queued + counts.running)?);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {pos}/{len} cases, {per_sec}, ETA {eta}",
        )?
        .progress_chars("=> "),
    );
    bar.set_message("Re-interpreting");
    let report = ganome
        .drain_jobs(&ganome_service::jobs::worker_name("cli"), &|run| {
            bar.inc(1);
            if let Some(e) = &run.error {
                bar.println(format!("case {}: {e}", run.job.subject));
            }
        })
        .await?;
    bar.finish_and_clear();
    println!(
        "{} cases re-interpreted here: {} new findings versions; {} attempts failed{}.",
        report.done,
        report.issued,
        report.errors,
        if report.errors > 0 {
            " (see `ganome jobs`)"
        } else {
            ""
        }
    );
    Ok(())
}
