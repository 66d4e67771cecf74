//! `ganome serve`: the API and web pages on 127.0.0.1.

use std::net::SocketAddr;

use anyhow::Context;
use ganome_service::Ganome;

use crate::config::StoreArgs;

/// Arguments of `ganome serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Port to listen on (bound to 127.0.0.1).
    #[arg(long, env = "GANOME_PORT")]
    pub port: Option<u16>,
    /// Address to bind (default 127.0.0.1; put a TLS-terminating proxy in front for others).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
}

impl ServeArgs {
    /// The port: flag, then configuration file, then 8080.
    pub fn port(&self) -> anyhow::Result<u16> {
        Ok(self.port.or(self.store.file_config()?.port).unwrap_or(8080))
    }
}

/// Serves until interrupted.
pub async fn serve(ganome: Ganome, bind: std::net::IpAddr, port: u16) -> anyhow::Result<()> {
    let addr = SocketAddr::new(bind, port);
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
        format!("cannot listen on {addr}; is another server using port {port}? try --port")
    })?;
    println!(
        "Ganome is serving on http://{addr}/ (API: http://{addr}/api/v1/openapi.json). Ctrl-C stops it."
    );
    // The indicator facts are read into memory in the background, so the first indicators
    // page does not wait for them; later requests read only what changed.
    let warm = ganome.clone();
    tokio::spawn(async move {
        match warm.warm_indicator_facts().await {
            Ok(cases) => tracing::info!(cases, "indicator facts in memory"),
            Err(e) => tracing::warn!("indicator facts not read ahead: {e}"),
        }
    });
    // Background work queued in the database (re-interpretation after a knowledge release)
    // is drained by every server; several servers share it.
    let worker = ganome.clone();
    tokio::spawn(async move {
        worker
            .run_job_worker(
                ganome_service::jobs::worker_name("serve"),
                std::time::Duration::from_secs(5),
            )
            .await;
    });
    axum::serve(listener, ganome_server::router(ganome))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("server failed")
}

/// Runs `ganome serve`.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let ganome = args.store.open().await?;
    println!(
        "{}",
        crate::commands::findings::ensure_engine(&ganome).await?
    );
    serve(ganome, args.bind, args.port()?).await
}
