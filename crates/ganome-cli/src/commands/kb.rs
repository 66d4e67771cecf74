//! `ganome kb` (to be written).

/// Arguments of `ganome kb`.
#[derive(Debug, clap::Args)]
pub struct KbArgs {}

/// Runs `ganome kb`.
pub fn run(_args: KbArgs) -> anyhow::Result<()> {
    anyhow::bail!("ganome kb is not built yet")
}
