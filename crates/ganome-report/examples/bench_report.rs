//! Timing of one panel case: read the VCF, build the report, render all six files, with the
//! transcript database and the knowledge release loaded once, as in the service. Also prints
//! the one-time load costs a standalone `ganome annotate --out` run pays on top.
//!
//! `cargo run --release -p ganome-report --example bench_report -- GFF3 FASTA WORKDIR RUNS VCF:TUMOR_TYPE...`
//!
//! The transcript database is built from GFF3 + FASTA and the knowledge release from
//! `data/knowledge`, both written to WORKDIR and read back, so the loads are timed from files.

use std::path::Path;
use std::time::Instant;

use ganome_genomics::txdb::TranscriptDb;
use ganome_knowledge::KnowledgeRelease;
use ganome_report::{CaseInput, GermlineGuidance, ReportContext, ReportInputs, build_report};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [gff, fasta, work, runs, cases @ ..] = args.as_slice() else {
        return Err("usage: bench_report GFF3 FASTA WORKDIR RUNS VCF:TUMOR_TYPE...".into());
    };
    let runs: usize = runs.parse()?;
    let work = Path::new(work);
    std::fs::create_dir_all(work)?;
    let txdb_path = work.join("cancer.txdb");
    let kb_path = work.join("kb-release.json");
    TranscriptDb::from_gff_fasta(Path::new(gff), Path::new(fasta))?.write(&txdb_path)?;
    let t = Instant::now();
    KnowledgeRelease::default_from_shipped_data()?
        .named("bench")
        .write(&kb_path)?;
    let kb_build = ms(t);
    let t = Instant::now();
    let db = TranscriptDb::read(&txdb_path)?;
    let txdb_load = ms(t);
    let t = Instant::now();
    let release = KnowledgeRelease::load(&kb_path)?;
    let kb_load = ms(t);
    let guidance = GermlineGuidance::shipped()?;
    println!(
        "# one-time: txdb load {txdb_load:.1} ms; knowledge release load {kb_load:.1} ms (build from data/knowledge {kb_build:.0} ms)"
    );
    println!("case\tvariants\talterations\tvus\tmedian_ms\tmin_ms\tmax_ms");
    for c in cases {
        let (vcf, tt) = c.split_once(':').ok_or("case must be VCF:TUMOR_TYPE")?;
        let mut times = Vec::with_capacity(runs);
        let mut last = (0, 0, 0);
        for _ in 0..runs {
            let t0 = Instant::now();
            let path = Path::new(vcf);
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
                    txdb_id: "cancer.txdb",
                    release: &release,
                    guidance: &guidance,
                },
            );
            let files = ganome_report::render_all(&r)?;
            times.push(ms(t0));
            last = (inputs.variants.len(), r.alterations.len(), r.vus.len());
            assert_eq!(files.len(), 6);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{vcf}\t{}\t{}\t{}\t{:.2}\t{:.2}\t{:.2}",
            last.0,
            last.1,
            last.2,
            times[times.len() / 2],
            times[0],
            times[times.len() - 1]
        );
    }
    Ok(())
}
