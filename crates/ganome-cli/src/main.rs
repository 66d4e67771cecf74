//! The `ganome` command: serve, demo, annotate, txdb, hgvs, kb, user, token, audit, secrets.

mod commands;
mod config;

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
    /// Serve the API and web pages.
    Serve(commands::serve::ServeArgs),
    /// Load the national network and demo users into the embedded store, then serve.
    Demo(commands::demo::DemoArgs),
    /// Apply database migrations.
    Migrate(commands::admin::MigrateArgs),
    /// Manage users.
    User(commands::admin::UserArgs),
    /// Create API tokens.
    Token(commands::admin::TokenArgs),
    /// Verify the audit log's hash chain.
    Audit(commands::admin::AuditArgs),
    /// The master key that encrypts secrets in the database: rotate it, generate one.
    Secrets(commands::secrets::SecretsArgs),
    /// Annotate a variant file (consequences, HGVS; findings report).
    Annotate(commands::annotate::AnnotateArgs),
    /// Build or inspect a transcript database.
    Txdb(commands::txdb::TxdbArgs),
    /// Parse and normalise HGVS descriptions.
    Hgvs(commands::hgvs::HgvsArgs),
    /// Knowledge base: import, release, diff.
    Kb(commands::kb::KbArgs),
    /// Publish a knowledge release: findings of every case are re-issued with it.
    Publish(commands::findings::PublishArgs),
    /// Background jobs (re-interpretation after a release): status, or run them here.
    Jobs(commands::findings::JobsArgs),
    /// National indicators computed from the records.
    Indicators(commands::indicators::IndicatorsArgs),
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GANOME_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => runtime()?.block_on(commands::serve::run(args)),
        Command::Demo(args) => runtime()?.block_on(commands::demo::run(args)),
        Command::Migrate(args) => runtime()?.block_on(commands::admin::migrate(args)),
        Command::User(args) => runtime()?.block_on(commands::admin::user(args)),
        Command::Token(args) => runtime()?.block_on(commands::admin::token(args)),
        Command::Audit(args) => runtime()?.block_on(commands::admin::audit(args)),
        Command::Secrets(args) => runtime()?.block_on(commands::secrets::run(args)),
        Command::Annotate(args) => commands::annotate::run(args),
        Command::Txdb(args) => commands::txdb::run(args),
        Command::Hgvs(args) => commands::hgvs::run(args),
        Command::Kb(args) => commands::kb::run(args),
        Command::Publish(args) => runtime()?.block_on(commands::findings::publish(args)),
        Command::Jobs(args) => runtime()?.block_on(commands::findings::jobs(args)),
        Command::Indicators(args) => runtime()?.block_on(commands::indicators::run(args)),
    }
}
