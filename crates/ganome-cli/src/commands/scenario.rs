//! `ganome demo --scenario NAME`: generated records on top of the demo network, with a
//! progress bar. The generator lives in `ganome_service::scenario`; this module picks the
//! spec by name and reports what was loaded.

use anyhow::Context;
use ganome_core::FacilityKind;
use ganome_service::Ganome;
use ganome_service::scenario::{ScenarioSpec, TierTargets};

/// Scenario names `--scenario` accepts.
pub const SCENARIOS: &[&str] = &["survey-2019"];

/// The spec for a scenario name, scaled to `cases` tests when given.
pub async fn spec_for(
    ganome: &Ganome,
    name: &str,
    cases: Option<u32>,
) -> anyhow::Result<ScenarioSpec> {
    let spec = match name {
        "survey-2019" => ScenarioSpec::survey_2019().map_err(|e| anyhow::anyhow!("{e}"))?,
        other => anyhow::bail!(
            "--scenario: unknown scenario '{other}' (known: {})",
            SCENARIOS.join(", ")
        ),
    };
    let Some(cases) = cases else {
        return Ok(spec);
    };
    let facilities = ganome.store().list_facilities().await?;
    let count = |k: FacilityKind| facilities.iter().filter(|f| f.kind == k).count();
    Ok(spec.scaled(
        cases,
        TierTargets {
            core: count(FacilityKind::CoreHospital),
            hub: count(FacilityKind::HubHospital),
            cooperative: count(FacilityKind::CooperativeHospital),
        },
    ))
}

/// Generates and loads a scenario, showing progress.
pub async fn load(
    ganome: &Ganome,
    name: &str,
    seed: u64,
    cases: Option<u32>,
) -> anyhow::Result<()> {
    let spec = spec_for(ganome, name, cases).await?;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} cases ({elapsed})")
            .context("progress template")?
            .progress_chars("=> "),
    );
    bar.set_message(format!("Generating scenario {} (seed {seed})", spec.name));
    let progress = {
        let bar = bar.clone();
        move |done: usize, total: usize| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let summary = ganome
        .load_scenario(&spec, seed, &progress)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("scenario {}", spec.name))?;
    bar.finish_and_clear();
    println!(
        "Scenario {} (seed {seed}): {} patients, {} cases, {} panel meetings, {} reviews, {} treatments, {} users.",
        spec.name,
        summary.patients,
        summary.cases,
        summary.meetings,
        summary.reviews,
        summary.treatments,
        summary.users
    );
    Ok(())
}
