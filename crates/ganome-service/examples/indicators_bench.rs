//! Times the national indicators on a data folder: `RUNS` computations of the whole survey
//! set for a period, reporting p50, p95 and max wall time. Load a large scenario first, e.g.
//! `ganome demo --scenario survey-2019 --cases 100000 --data-dir D --no-serve`.
//!
//! ```text
//! cargo run --release -p ganome-service --example indicators_bench -- D 2019-06-01 2019-10-31 50
//! ```

use std::time::Instant;

use ganome_service::Ganome;
use ganome_service::indicators::IndicatorQuery;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, from, to, runs] = args.as_slice() else {
        return Err("usage: indicators_bench DATA_DIR FROM TO RUNS".into());
    };
    let runs: usize = runs.parse()?;
    let ganome = Ganome::open_embedded(std::path::Path::new(dir)).await?;
    let query = IndicatorQuery {
        from: Some(from.clone()),
        to: Some(to.clone()),
        ..Default::default()
    };
    // One warm-up run (page cache, prepared statements), then the timed runs.
    let first = ganome.indicators_as_operator(&query).await?;
    let tests: i64 = first
        .tests
        .iter()
        .find(|s| s.tier.as_str() == "all")
        .map_or(0, |s| s.total);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let ind = ganome.indicators_as_operator(&query).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(ind, first, "indicators changed between runs");
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{tests} tests, {runs} runs: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        pct(0.50),
        pct(0.95),
        times.last().copied().unwrap_or(0.0)
    );
    Ok(())
}
