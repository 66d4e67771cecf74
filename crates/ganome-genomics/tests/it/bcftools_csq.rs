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

/// (case, vcf, pos, expected INFO/EXP, bcftools' recorded output, got)
type Row = (String, String, String, String, Option<String>, String);

/// bcftools' recorded BCSQ per "POS REF ALT" from a `.txt` file (pairs of EXP / BCSQ lines).
fn recorded(txt: &Path) -> std::collections::HashMap<String, String> {
    let text = std::fs::read_to_string(txt).unwrap_or_default();
    let mut out = std::collections::HashMap::new();
    let mut lines: Vec<&str> = Vec::new();
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() == 5 {
            out.insert(format!("{}\t{}\t{}", f[0], f[1], f[2]), f[4].to_string());
        } else {
            lines.push(l);
        }
    }
    for pair in lines.chunks(2) {
        if let [_, got] = pair {
            let f: Vec<&str> = got.split('\t').collect();
            if f.len() >= 4 {
                out.insert(format!("{}\t{}\t{}", f[0], f[1], f[2]), f[3].to_string());
            }
        }
    }
    out
}

fn run_case(dir: &Path) -> Vec<Row> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let gff = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.extension().is_some_and(|e| e == "gff") && p.file_stem().unwrap() == name.as_str()
        });
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
            rows.push((
                name.clone(),
                vname,
                "-".into(),
                "(run)".into(),
                None,
                format!("error: {e}"),
            ));
            continue;
        }
        let rec = recorded(&vcf.with_extension("txt"));
        for line in String::from_utf8(out).unwrap().lines() {
            if line.starts_with('#') {
                continue;
            }
            let got = get_info(line, "BCSQ").unwrap_or(".");
            let f: Vec<&str> = line.split('\t').collect();
            let key = format!("{}\t{}\t{}", f[1], f[3], f[4]);
            // records without INFO/EXP are checked against bcftools' recorded output only
            // (not for VCFs with samples: their .txt lists per-sample consequences)
            let recorded_ok = f.len() <= 8;
            let Some(exp) = get_info(line, "EXP")
                .or_else(|| rec.get(&key).map(String::as_str).filter(|_| recorded_ok))
            else {
                continue;
            };
            rows.push((
                name.clone(),
                vname.clone(),
                f[1].to_string(),
                exp.to_string(),
                rec.get(&key).cloned(),
                got.to_string(),
            ));
        }
    }
    rows
}

/// Cases driven by `.cmd` files whose every command uses default options
/// (`bcftools csq -f FA -g GFF VCF`, `--force` allowed): compared with `.cmd.out`.
fn run_cmd_cases(dir: &Path) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut cmds: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cmd"))
        .collect();
    cmds.sort();
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    for cmd in cmds {
        let text = std::fs::read_to_string(&cmd).unwrap();
        let mut runs = Vec::new();
        let mut ok = true;
        for line in text.lines().filter(|l| l.contains("csq ")) {
            let csq_part = line.split('|').next().unwrap_or("");
            let toks: Vec<&str> = csq_part.split_whitespace().skip(2).collect();
            let (mut fa, mut gff, mut vcf) = (None, None, None);
            let mut i = 0;
            while i < toks.len() {
                match toks[i] {
                    "-f" => {
                        fa = toks.get(i + 1).copied();
                        i += 2;
                    }
                    "-g" => {
                        gff = toks.get(i + 1).copied();
                        i += 2;
                    }
                    "--force" => i += 1,
                    t if t.ends_with(".vcf") => {
                        vcf = Some(t);
                        i += 1;
                    }
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if line.contains("TBCSQ") || line.contains("%GT") {
                ok = false;
            }
            let pairs = line.contains("%EXP");
            match (fa, gff, vcf) {
                (Some(f), Some(g), Some(v)) if ok => {
                    runs.push((f.to_string(), g.to_string(), v.to_string(), pairs))
                }
                _ => ok = false,
            }
        }
        let out_path = PathBuf::from(format!("{}.out", cmd.display()));
        if !ok || runs.is_empty() || !out_path.exists() {
            continue;
        }
        let out_text = std::fs::read_to_string(&out_path).unwrap();
        let mut out_lines = out_text.lines().filter(|l| !l.trim().is_empty());
        for (fa, gff, vcf, pairs) in runs {
            let db = TranscriptDb::from_gff_fasta(&dir.join(&gff), &dir.join(&fa)).unwrap();
            let input = std::fs::read(dir.join(&vcf)).unwrap();
            let mut out = Vec::new();
            annotate_vcf(&db, &input[..], &mut out, OutputFormat::Bcsq, |_| {}).unwrap();
            for line in String::from_utf8(out)
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with('#'))
            {
                if pairs {
                    out_lines.next();
                }
                let want = out_lines
                    .next()
                    .unwrap_or("")
                    .split('\t')
                    .nth(3)
                    .unwrap_or("")
                    .to_string();
                let got = get_info(line, "BCSQ").unwrap_or(".").to_string();
                let exp = get_info(line, "EXP").unwrap_or(&want).to_string();
                let pos = line.split('\t').nth(1).unwrap_or("").to_string();
                rows.push((
                    name.clone(),
                    format!("{vcf} ({gff})"),
                    pos,
                    exp,
                    Some(want),
                    got,
                ));
            }
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
    let mut agree_exp = 0;
    let mut bad = Vec::new();
    for d in &dirs {
        let mut rows = run_case(d);
        rows.extend(run_cmd_cases(d));
        for (case, vcf, pos, exp, rec, got) in rows {
            total += 1;
            let g = canonical_bcsq(&got);
            if canonical_bcsq(&exp) == g {
                agree_exp += 1;
            }
            let truth = rec.clone().unwrap_or_else(|| exp.clone());
            if canonical_bcsq(&truth) == g {
                agree += 1;
            } else {
                bad.push(format!(
                    "{case}/{vcf}:{pos}\n  exp  {exp}\n  bcftools {}\n  got  {got}",
                    rec.unwrap_or_default()
                ));
            }
        }
    }
    println!(
        "bcftools csq oracle: {agree}/{total} records agree with bcftools' recorded output; {agree_exp}/{total} with INFO/EXP"
    );
    for b in &bad {
        println!("DISAGREE {b}");
    }
    assert!(total > 100, "too few oracle records: {total}");
    let min = std::env::var("GANOME_CSQ_MIN_AGREE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(total);
    assert!(
        agree >= min,
        "{agree}/{total} agree; {} disagreements",
        bad.len()
    );
}

#[test]
fn genotype_haplotypes_match_bcftools() {
    let dir = root().join("ENST00000381157");
    let db = TranscriptDb::from_gff_fasta(
        &dir.join("ENST00000381157.gff"),
        &dir.join("ENST00000381157.fa"),
    )
    .unwrap();
    let input = std::fs::read(dir.join("haploid-diploid.vcf")).unwrap();
    let mut out = Vec::new();
    annotate_vcf(&db, &input[..], &mut out, OutputFormat::Bcsq, |_| {}).unwrap();
    let want = std::fs::read_to_string(
        root().join("../recorded/ENST00000381157.haploid-diploid.bcftools-1.16.txt"),
    )
    .unwrap();
    let got: Vec<String> = String::from_utf8(out)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let b = get_info(l, "BCSQ").unwrap_or(".");
            format!("{}\t{}\t{}\t{}", f[1], f[3], f[4], canonical_bcsq(b))
        })
        .collect();
    let want: Vec<String> = want
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            format!("{}\t{}\t{}\t{}", f[0], f[1], f[2], canonical_bcsq(f[3]))
        })
        .collect();
    assert_eq!(got, want);
}
