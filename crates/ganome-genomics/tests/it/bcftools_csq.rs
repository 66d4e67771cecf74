//! Oracle: bcftools' own csq test cases (testdata/bcftools-csq, see PROVENANCE.md).
//!
//! Every case folder holding `<name>.gff` + `<name>.fa` and VCFs with INFO/EXP (and a `.txt`
//! expected output, i.e. run with default options) is annotated with `--format bcsq`
//! semantics; BCSQ must equal EXP (as sets of comma-separated consequences, since bcftools'
//! test harness sorts them). Cases driven by `.cmd` files use non-default options and are
//! out of scope (listed in docs/accuracy.md).

use std::path::{Path, PathBuf};

use ganome_genomics::annotate::{OutputFormat, annotate_vcf, get_info};
use ganome_genomics::bcsq::canonical_bcsq;
use ganome_genomics::txdb::TranscriptDb;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/bcftools-csq/csq")
}

/// (case, vcf, pos, expected, got)
type Row = (String, String, String, String, String);

fn run_case(dir: &Path) -> Vec<Row> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let gff = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "gff") && p.file_stem().unwrap() == name.as_str());
    let fa = dir.join(format!("{name}.fa"));
    let Some(gff) = gff else { return vec![] };
    if !fa.exists() {
        return vec![];
    }
    let db = match TranscriptDb::from_gff_fasta(&gff, &fa) {
        Ok(db) => db,
        Err(e) => panic!("{name}: {e}"),
    };
    let mut rows = Vec::new();
    let mut vcfs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "vcf"))
        .filter(|p| p.with_extension("txt").exists())
        .collect();
    vcfs.sort();
    for vcf in vcfs {
        let input = std::fs::read(&vcf).unwrap();
        let mut out = Vec::new();
        let res = annotate_vcf(&db, &input[..], &mut out, OutputFormat::Bcsq, |_| {});
        let vname = vcf.file_name().unwrap().to_string_lossy().to_string();
        if let Err(e) = res {
            rows.push((name.clone(), vname, "-".into(), "(run)".into(), format!("error: {e}")));
            continue;
        }
        for line in String::from_utf8(out).unwrap().lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some(exp) = get_info(line, "EXP") else { continue };
            let got = get_info(line, "BCSQ").unwrap_or(".");
            let pos = line.split('\t').nth(1).unwrap_or("").to_string();
            rows.push((name.clone(), vname.clone(), pos, exp.to_string(), got.to_string()));
        }
    }
    rows
}

#[test]
fn bcftools_csq_cases_agree() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("testdata/bcftools-csq/csq")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut total = 0;
    let mut agree = 0;
    let mut bad = Vec::new();
    for d in &dirs {
        for (case, vcf, pos, exp, got) in run_case(d) {
            total += 1;
            if canonical_bcsq(&exp) == canonical_bcsq(&got) {
                agree += 1;
            } else {
                bad.push(format!("{case}/{vcf}:{pos}\n  exp {exp}\n  got {got}"));
            }
        }
    }
    println!("bcftools csq oracle: {agree}/{total} records agree");
    for b in &bad {
        println!("DISAGREE {b}");
    }
    assert!(total > 100, "too few oracle records: {total}");
    let min = std::env::var("GANOME_CSQ_MIN_AGREE").ok().and_then(|s| s.parse().ok()).unwrap_or(total);
    assert!(agree >= min, "{agree}/{total} agree; {} disagreements", bad.len());
}
