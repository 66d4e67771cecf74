//! `ganome annotate` (to be written).

/// Arguments of `ganome annotate`.
#[derive(Debug, clap::Args)]
pub struct AnnotateArgs {}

/// Runs `ganome annotate`.
pub fn run(_args: AnnotateArgs) -> anyhow::Result<()> {
    anyhow::bail!("ganome annotate is not built yet")
}
