//! `ganome indicators survey`: the national indicators of a period from the records of a
//! data folder or database, printed as JSON or CSV. Runs as the operator (it has the
//! database itself); the read is audited like any other.

use ganome_service::indicators::{IndicatorQuery, to_csv};

use crate::config::StoreArgs;

/// Arguments of `ganome indicators`.
#[derive(Debug, clap::Args)]
pub struct IndicatorsArgs {
    #[command(subcommand)]
    pub command: IndicatorsCommand,
}

/// Indicator subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum IndicatorsCommand {
    /// Print the survey set: tests by month and tier, facilities testing, consent,
    /// treatment on a recommendation, expert panels, turnaround, germline follow-up.
    Survey(SurveyArgs),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The indicators as one JSON document.
    Json,
    /// One row per indicator, tier and month.
    Csv,
}

/// Arguments of `ganome indicators survey`.
#[derive(Debug, clap::Args)]
pub struct SurveyArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// First day (YYYY-MM-DD, Japan time).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, inclusive (YYYY-MM-DD, Japan time).
    #[arg(long)]
    pub to: Option<String>,
    /// Only one tier: core_hospital, hub_hospital, cooperative_hospital.
    #[arg(long)]
    pub tier: Option<String>,
    /// Only one prefecture (JIS code, e.g. 13).
    #[arg(long)]
    pub prefecture: Option<String>,
    /// Only one OncoTree code.
    #[arg(long)]
    pub oncotree: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

/// Runs `ganome indicators …`.
pub async fn run(args: IndicatorsArgs) -> anyhow::Result<()> {
    let IndicatorsCommand::Survey(a) = args.command;
    let ganome = a.store.open().await?;
    let query = IndicatorQuery {
        from: a.from,
        to: a.to,
        tier: a.tier,
        prefecture: a.prefecture,
        oncotree: a.oncotree,
    };
    let ind = ganome
        .indicators_as_operator(&query)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    match a.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&ind)?),
        Format::Csv => print!("{}", to_csv(&ind)),
    }
    Ok(())
}
