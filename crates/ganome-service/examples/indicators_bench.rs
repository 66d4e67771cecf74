//! Times the national indicators on a data folder: `RUNS` computations of the whole survey
//! set for a period, reporting p50, p95 and max wall time. Load a large scenario first, e.g.
//! `ganome demo --scenario survey-2019 --cases 100000 --data-dir D --no-serve`.
//!
//! ```text
//! cargo run --release -p ganome-service --example indicators_bench -- D 2019-06-01 2019-10-31 50 [CHURN]
//! ```
//!
//! The first call is timed apart: it reads every case's facts into memory (a server does
//! this at start). With `CHURN` > 0, that many cases have their facts recomputed in the
//! store (one transaction, as a workflow write does) before each timed run, so every
//! request also reads those rows from the change feed; the write itself is not timed.

use std::time::Instant;

use ganome_service::Ganome;
use ganome_service::indicators::IndicatorQuery;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, from, to, runs, churn) = match args.as_slice() {
        [d, f, t, r] => (d, f, t, r, 0usize),
        [d, f, t, r, c] => (d, f, t, r, c.parse()?),
        _ => return Err("usage: indicators_bench DATA_DIR FROM TO RUNS [CHURN]".into()),
    };
    let runs: usize = runs.parse()?;
    let ganome = Ganome::open_embedded(std::path::Path::new(dir)).await?;
    let query = IndicatorQuery {
        from: Some(from.clone()),
        to: Some(to.clone()),
        ..Default::default()
    };
    // The cold call reads every fact into memory.
    let t = Instant::now();
    let first = ganome.indicators_as_operator(&query).await?;
    let cold = t.elapsed().as_secs_f64() * 1000.0;
    let tests: i64 = first
        .tests
        .iter()
        .find(|s| s.tier.as_str() == "all")
        .map_or(0, |s| s.total);
    let case_ids: Vec<String> = if churn > 0 {
        let feed = ganome.store().indicator_facts(-1).await?;
        feed.cases
            .into_iter()
            .map(|c| c.case_id)
            .take(churn * runs)
            .collect()
    } else {
        Vec::new()
    };
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs {
        if churn > 0 {
            let start = (run * churn) % case_ids.len().max(1);
            let end = (start + churn).min(case_ids.len());
            ganome
                .store()
                .refresh_case_facts(&case_ids[start..end])
                .await?;
        }
        let t = Instant::now();
        let ind = ganome.indicators_as_operator(&query).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(ind, first, "indicators changed between runs");
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{tests} tests, cold {cold:.1} ms, {runs} runs with {churn} cases rewritten before each: \
         p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        pct(0.50),
        pct(0.95),
        times.last().copied().unwrap_or(0.0)
    );
    Ok(())
}
