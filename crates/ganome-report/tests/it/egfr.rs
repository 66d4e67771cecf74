//! EGFR L858R (CIViC variant 33, GRCh38 chr7:55191822 T>G) in lung adenocarcinoma.

use ganome_report::render::html;
use ganome_report::{CaseInput, Lang};

use crate::{inputs_from_vcf, report};

fn egfr_report() -> ganome_report::FindingsReport {
    let mut case = CaseInput::new("EGFR-L858R", "LUAD");
    case.report_date = Some("2026-11-20".into());
    report(
        &case,
        &inputs_from_vcf("testdata/report/egfr_l858r.grch38.vcf"),
    )
}

#[test]
fn osimertinib_is_level_a_with_its_reason() {
    let r = egfr_report();
    let a = r
        .alterations
        .iter()
        .find(|a| a.gene == "EGFR")
        .expect("EGFR reported");
    assert_eq!(
        a.hgvs_c.as_deref().map(|c| c.ends_with("c.2573T>G")),
        Some(true),
        "{a:?}"
    );
    assert_eq!(a.hgvs_p.as_deref(), Some("NP_005219.2:p.(Leu858Arg)"));
    assert_eq!(a.vaf, Some(0.4), "80 of 200 reads");
    assert_eq!(a.oncogenicity, "oncogenic");
    let o = a
        .therapies
        .iter()
        .find(|t| t.drug.eq_ignore_ascii_case("osimertinib"))
        .expect("osimertinib option");
    assert_eq!(o.level.ed2, "A");
    assert!(!o.level.reason.is_empty() && !o.level.rule.is_empty());
    assert!(
        o.approved_jp,
        "osimertinib is approved in Japan for EGFR L858R NSCLC"
    );
    assert_eq!(a.best_level.as_ref().map(|l| l.ed2.as_str()), Some("A"));
    assert!(
        r.summary.options_by_level["A"]
            .iter()
            .any(|s| s.contains("osimertinib"))
    );
    // JSON carries the level and the reason.
    let json = String::from_utf8(ganome_report::render::json::render(&r).unwrap()).unwrap();
    let back = ganome_report::render::json::parse(json.as_bytes()).unwrap();
    assert_eq!(back, r);
    assert!(json.contains(&o.level.reason));
}

#[test]
fn html_in_both_languages_shows_it() {
    let r = egfr_report();
    let reason = r.alterations[0]
        .therapies
        .iter()
        .find(|t| t.drug.eq_ignore_ascii_case("osimertinib"))
        .map(|t| t.level.reason.clone())
        .expect("option");
    for (lang, heading) in [
        (Lang::Ja, "検出された遺伝子異常"),
        (Lang::En, "Alterations"),
    ] {
        let page = html::render(&r, lang).unwrap();
        assert!(page.contains(&format!("<html lang=\"{}\">", lang.code())));
        assert!(page.contains(heading), "{lang:?}");
        let row = page
            .lines()
            .find(|l| l.to_lowercase().contains("<td>osimertinib</td>"))
            .unwrap_or_else(|| panic!("no osimertinib row in {lang:?}"));
        assert!(row.contains("class=\"lvl-A\">A (1A)</td>"), "{row}");
        // askama escapes the reason; compare the unescaped start.
        let head: String = reason.chars().take(20).collect();
        assert!(row.contains(&head), "{row}");
        assert!(page.contains("p.(Leu858Arg)"));
    }
    let ja = html::render(&r, Lang::Ja).unwrap();
    assert!(ja.contains("エビデンスレベル") && !ja.contains("Evidence level"));
}
