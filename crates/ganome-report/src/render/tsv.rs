//! One row per reported alteration × therapy option (an alteration without options gets one
//! row), then VUS, for spreadsheets and downstream scripts.

use crate::model::{AlterationFinding, FindingsReport};

/// Column names.
pub const HEADER: [&str; 18] = [
    "report_id",
    "section",
    "alteration_id",
    "gene",
    "label",
    "kind",
    "genomic",
    "transcript",
    "hgvs_c",
    "hgvs_p",
    "vaf",
    "depth",
    "copy_number",
    "origin",
    "oncogenicity",
    "drug",
    "level",
    "approved_jp_us",
];

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Rows as cells (shared with the XLSX renderer).
pub fn rows(r: &FindingsReport) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut push = |section: &str, a: &AlterationFinding| {
        let base = |drug: &str, level: &str, appr: &str| {
            let o = |x: &Option<String>| x.clone().unwrap_or_default();
            vec![
                r.report_id.clone(),
                section.to_owned(),
                a.id.clone(),
                a.gene.clone(),
                a.label.clone(),
                a.kind.clone(),
                o(&a.genomic),
                o(&a.transcript),
                o(&a.hgvs_c),
                o(&a.hgvs_p),
                a.vaf.map(|v| format!("{v:.3}")).unwrap_or_default(),
                a.depth.map(|v| v.to_string()).unwrap_or_default(),
                a.copy_number.map(|v| format!("{v}")).unwrap_or_default(),
                serde_json::to_value(a.origin)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                a.oncogenicity.clone(),
                drug.to_owned(),
                level.to_owned(),
                appr.to_owned(),
            ]
        };
        if a.therapies.is_empty() {
            let lvl = a.best_level.as_ref().map_or("", |l| l.ed2.as_str());
            out.push(base("", lvl, ""));
        }
        for t in &a.therapies {
            let appr = match (t.approved_jp, t.approved_us) {
                (true, true) => "JP,US",
                (true, false) => "JP",
                (false, true) => "US",
                (false, false) => "",
            };
            out.push(base(&t.drug, &t.level.ed2, appr));
        }
    };
    for a in &r.alterations {
        push("alteration", a);
    }
    for a in &r.vus {
        push("vus", a);
    }
    out
}

/// The TSV text.
pub fn render(r: &FindingsReport) -> String {
    let mut s = HEADER.join("\t");
    s.push('\n');
    for row in rows(r) {
        let cells: Vec<String> = row.iter().map(|c| clean(c)).collect();
        s.push_str(&cells.join("\t"));
        s.push('\n');
    }
    s
}
