//! A diff lists exactly the changes between two imports.

use ganome_knowledge::{KnowledgeRelease, diff};
use std::fs;
use std::path::{Path, PathBuf};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).expect("copy");
        }
    }
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ganome-kb-{tag}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    d
}

#[test]
fn diff_lists_exactly_the_changes_between_two_imports() {
    let src = KnowledgeRelease::shipped_data_dir();
    let dir = temp_dir("diff");
    copy_dir(&src, &dir);

    // Approvals: drop the KRAS G12C rows, change one date, add one row.
    let ap = dir.join("approvals.tsv");
    let text = fs::read_to_string(&ap).expect("approvals");
    let mut out = String::new();
    let mut removed = Vec::new();
    for line in text.lines() {
        let id = line.split('\t').next().unwrap_or_default();
        if id.contains("KRAS-G12C") {
            removed.push(id.to_owned());
            continue;
        }
        if id == "US-trastuzumab-ERBB2-BREAST" {
            let mut f: Vec<&str> = line.split('\t').collect();
            f[7] = "1998-09-26";
            out.push_str(&f.join("\t"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
        if id == "US-alpelisib-PIK3CA-BREAST" {
            out.push_str(&line.replacen("US-alpelisib-PIK3CA-BREAST", "TEST-added-row", 1));
            out.push('\n');
        }
    }
    fs::write(&ap, out).expect("write approvals");

    // Evidence: drop one accepted item and change the level of another.
    let ev = dir.join("civic/01-Aug-2024-ClinicalEvidenceSummaries.tsv");
    let text = fs::read_to_string(&ev).expect("evidence");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let cols: Vec<&str> = header.split('\t').collect();
    let id_col = cols
        .iter()
        .position(|c| *c == "evidence_id")
        .expect("evidence_id");
    let level_col = cols
        .iter()
        .position(|c| *c == "evidence_level")
        .expect("evidence_level");
    let mut out = format!("{header}\n");
    let (mut dropped, mut changed) = (None, None);
    for line in lines {
        let mut f: Vec<String> = line.split('\t').map(str::to_owned).collect();
        if dropped.is_none() {
            dropped = Some(f[id_col].clone());
            continue;
        }
        if changed.is_none() && f[level_col] == "D" {
            f[level_col] = "C".into();
            changed = Some(f[id_col].clone());
        }
        out.push_str(&f.join("\t"));
        out.push('\n');
    }
    fs::write(&ev, out).expect("write evidence");

    let a = KnowledgeRelease::build(&src.join("manifest.toml")).expect("a builds");
    let b = KnowledgeRelease::build(&dir.join("manifest.toml")).expect("b builds");
    let d = diff(&a, &b);

    removed.sort();
    assert_eq!(d.approvals.removed, removed);
    assert_eq!(d.approvals.added, vec!["TEST-added-row".to_owned()]);
    assert_eq!(d.approvals.changed.len(), 1);
    assert_eq!(d.approvals.changed[0].id, "US-trastuzumab-ERBB2-BREAST");
    assert_eq!(d.approvals.changed[0].fields, vec!["date".to_owned()]);

    let dropped = format!("CIViC:EID{}", dropped.expect("dropped one"));
    let changed = format!("CIViC:EID{}", changed.expect("changed one"));
    assert_eq!(d.evidence.removed, vec![dropped]);
    assert!(d.evidence.added.is_empty());
    assert_eq!(d.evidence.changed.len(), 1);
    assert_eq!(d.evidence.changed[0].id, changed);
    assert_eq!(
        d.evidence.changed[0].fields,
        vec!["source_level".to_owned()]
    );
    assert!(d.trials.is_empty());
    assert!(!d.level_rules_changed);
    assert_eq!(d.sources.len(), 2, "{:?}", d.sources);

    let g12c_nsclc = d
        .level_changes
        .iter()
        .find(|c| c.alteration == "KRAS G12C" && c.tumor_type == "NSCLC")
        .expect("KRAS G12C in NSCLC changes level");
    assert_eq!(g12c_nsclc.before.as_deref(), Some("A"));
    assert_ne!(g12c_nsclc.after.as_deref(), Some("A"));

    // A release diffed with itself is empty.
    assert!(diff(&a, &a).is_empty());
    let _ = fs::remove_dir_all(&dir);
}
