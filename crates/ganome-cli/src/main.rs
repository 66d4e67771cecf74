//! The `ganome` command: serve, demo, annotate, txdb, kb, user, token, audit.

mod commands;

use clap::{Parser, Subcommand};

/// Ganome: cancer genomic medicine, from gene-panel results to expert panels and national indicators.
#[derive(Debug, Parser)]
#[command(name = "ganome", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Annotate a variant file (consequences, HGVS; findings report).
    Annotate(commands::annotate::AnnotateArgs),
    /// Build or inspect a transcript database.
    Txdb(commands::txdb::TxdbArgs),
    /// Parse and normalise HGVS descriptions.
    Hgvs(commands::hgvs::HgvsArgs),
    /// Knowledge base: import, release, diff.
    Kb(commands::kb::KbArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Annotate(args) => commands::annotate::run(args),
        Command::Txdb(args) => commands::txdb::run(args),
        Command::Hgvs(args) => commands::hgvs::run(args),
        Command::Kb(args) => commands::kb::run(args),
    }
}
