//! Knowledge-base benchmark: build from the shipped data, write and load the release file,
//! match synthetic cases drawn from cancer hotspots.
//!
//! `cargo run --release -p ganome-knowledge --example kb_bench -- [cases] [alterations] [seed]`

use ganome_knowledge::{KnowledgeRelease, synthetic};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let cases: usize = args.next().map_or(Ok(10_000), |a| a.parse())?;
    let alterations: usize = args.next().map_or(Ok(300), |a| a.parse())?;
    let seed: u64 = args.next().map_or(Ok(42), |a| a.parse())?;

    let t = Instant::now();
    let release = KnowledgeRelease::default_from_shipped_data()?;
    println!("build from shipped data: {:.2?}", t.elapsed());

    let path = std::env::temp_dir().join(format!("ganome-kb-bench-{}.json", std::process::id()));
    release.write(&path)?;
    let size = std::fs::metadata(&path)?.len();
    let mut loads = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let back = KnowledgeRelease::load(&path)?;
        loads.push(t.elapsed());
        assert_eq!(back.content_hash, release.content_hash);
    }
    std::fs::remove_file(&path)?;
    loads.sort();
    println!(
        "release file {:.1} MB, load median of 5: {:.2?} (min {:.2?})",
        size as f64 / 1e6,
        loads[2],
        loads[0]
    );

    let cpu_before = cpu_seconds();
    let r = synthetic::bench(&release, cases, alterations, seed);
    let cpu = cpu_seconds().zip(cpu_before).map(|(a, b)| a - b);
    println!(
        "{} cases, {} alterations in {:.2} s: {:.0} alterations/s ({:.1} cases/s); evidence matches {}, trial matches {}",
        r.cases,
        r.alterations,
        r.seconds,
        r.alterations_per_second,
        r.cases as f64 / r.seconds,
        r.evidence_matches,
        r.trial_matches
    );
    if let Some(cpu) = cpu {
        println!(
            "matching CPU time {:.2} s: {:.0} alterations per CPU-second (wall time includes waiting for a shared CPU)",
            cpu,
            r.alterations as f64 / cpu.max(1e-9)
        );
    }
    Ok(())
}

/// User + system CPU time of this process from `/proc/self/stat` (Linux; `None` elsewhere).
/// Read by hand to avoid a libc dependency for one number.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(") ")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // Linux reports clock ticks; USER_HZ is 100 on every mainstream configuration.
    Some((utime + stime) / 100.0)
}
