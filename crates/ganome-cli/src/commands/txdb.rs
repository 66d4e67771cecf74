//! `ganome txdb` (to be written).

/// Arguments of `ganome txdb`.
#[derive(Debug, clap::Args)]
pub struct TxdbArgs {}

/// Runs `ganome txdb`.
pub fn run(_args: TxdbArgs) -> anyhow::Result<()> {
    anyhow::bail!("ganome txdb is not built yet")
}
