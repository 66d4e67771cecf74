//! In-process timing of one panel case: read the VCF, build the report, render all six files.
//! The transcript database and the knowledge release are loaded once, as in the service.
//!
//! `cargo run --release -p ganome-report --example bench_report -- TXDB KB_RELEASE.json RUNS VCF:TUMOR_TYPE...`

use std::time::Instant;

use ganome_genomics::txdb::TranscriptDb;
use ganome_knowledge::KnowledgeRelease;
use ganome_report::{CaseInput, GermlineGuidance, ReportContext, ReportInputs, build_report};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [txdb, kb, runs, cases @ ..] = args.as_slice() else {
        return Err("usage: bench_report TXDB KB_RELEASE.json RUNS VCF:TUMOR_TYPE...".into());
    };
    let runs: usize = runs.parse()?;
    let t0 = Instant::now();
    let db = TranscriptDb::read(std::path::Path::new(txdb))?;
    let t1 = Instant::now();
    let release = KnowledgeRelease::load(std::path::Path::new(kb))?;
    let guidance = GermlineGuidance::shipped()?;
    println!(
        "# one-time loads: transcript database {:.1} ms, knowledge release {:.1} ms",
        (t1 - t0).as_secs_f64() * 1000.0,
        t1.elapsed().as_secs_f64() * 1000.0
    );
    println!("case\tvariants\talterations\tmedian_ms\tmin_ms\tmax_ms");
    for c in cases {
        let (vcf, tt) = c.split_once(':').ok_or("case must be VCF:TUMOR_TYPE")?;
        let mut times = Vec::with_capacity(runs);
        let mut last = None;
        for _ in 0..runs {
            let t0 = Instant::now();
            let path = std::path::Path::new(vcf);
            let inputs = ReportInputs {
                variants: ganome_genomics::vcf::read_vcf(path)?.variants,
                files: vec![ganome_report::id::file_identity("vcf", path)?],
                ..ReportInputs::default()
            };
            let r = build_report(
                &CaseInput::new("bench", tt),
                &inputs,
                ReportContext {
                    txdb: &db,
                    txdb_id: txdb,
                    release: &release,
                    guidance: &guidance,
                },
            );
            let files = ganome_report::render_all(&r)?;
            times.push(t0.elapsed().as_secs_f64() * 1000.0);
            last = Some((inputs.variants.len(), r.alterations.len(), files.len()));
        }
        times.sort_by(f64::total_cmp);
        let (n, alts, _) = last.unwrap_or_default();
        println!(
            "{vcf}\t{n}\t{alts}\t{:.2}\t{:.2}\t{:.2}",
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
    }
    Ok(())
}
