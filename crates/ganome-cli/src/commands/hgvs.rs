//! `ganome hgvs` (to be written).

/// Arguments of `ganome hgvs`.
#[derive(Debug, clap::Args)]
pub struct HgvsArgs {}

/// Runs `ganome hgvs`.
pub fn run(_args: HgvsArgs) -> anyhow::Result<()> {
    anyhow::bail!("ganome hgvs is not built yet")
}
