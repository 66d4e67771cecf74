//! The PCGR T001 examples (GRCh38) give all six files and a FHIR bundle that passes the
//! profile checks.

use ganome_genomics::cnv::read_copy_number;
use ganome_genomics::fusion::read_fusions;
use ganome_genomics::variant::{Biomarkers, Msi, MsiStatus, Tmb, TmbUnit};
use ganome_report::{CaseInput, render_all};
use serde_json::Value;

use crate::fhir_profiles::{Profiles, check_bundle};
use crate::{inputs_from_vcf, report, root};

fn t001(sample: &str, tumor_type: &str) -> ganome_report::FindingsReport {
    let mut inputs = inputs_from_vcf(&format!("testdata/variants/{sample}.grch38.vcf.gz"));
    let cna = root().join("testdata/variants/T001-COAD.grch38.cna.tsv");
    let fus = root().join("testdata/variants/T001-COAD.grch38.fusions.tsv");
    inputs.copy_numbers = read_copy_number(&cna, &Default::default())
        .expect("cna")
        .calls;
    inputs.fusions = read_fusions(&fus).expect("fusions");
    inputs.biomarkers = Biomarkers {
        tmb: Some(Tmb {
            value: 12.5,
            unit: TmbUnit::MutationsPerMegabase,
        }),
        msi: Some(Msi {
            status: MsiStatus::MsiHigh,
            score: None,
            method: None,
        }),
    };
    let mut case = CaseInput::new(sample, tumor_type);
    case.report_date = Some("2026-11-20".into());
    case.tumor_content = Some(0.25);
    case.panel_size_mb = Some(0.8);
    report(&case, &inputs)
}

#[test]
fn t001_examples_give_six_files_and_valid_fhir() {
    let profiles = Profiles::load();
    for (sample, tt) in [("T001-COAD", "COADREAD"), ("T001-BRCA", "BRCA")] {
        let r = t001(sample, tt);
        let files = render_all(&r).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "report.json",
                "report.ja.html",
                "report.en.html",
                "report.fhir.json",
                "report.tsv",
                "report.xlsx"
            ]
        );
        assert!(files[5].bytes.starts_with(b"PK"), "xlsx is a zip");
        let tsv = String::from_utf8(files[4].bytes.clone()).unwrap();
        assert!(tsv.lines().count() > 1, "{sample}: TSV has rows");
        // The fusion EML4::ALK is actionable in any case.
        assert!(
            r.alterations.iter().any(|a| a.gene == "EML4::ALK"),
            "{sample}"
        );
        // Low tumour content caveat and the small-panel TMB reading.
        assert!(r.qc.caveats.iter().any(|c| c.code == "low_tumor_content"));
        let tmb = r.biomarkers.tmb.as_ref().expect("tmb");
        assert_eq!(tmb.category, "high");
        assert!(tmb.reading.en.contains("0.80 Mb"), "{}", tmb.reading.en);
        assert!(!r.biomarkers.msi.as_ref().expect("msi").therapies.is_empty());

        let bundle: Value = serde_json::from_slice(&files[3].bytes).unwrap();
        let (n, errs) = check_bundle(&profiles, &bundle);
        assert!(errs.is_empty(), "{sample}: {errs:#?}");
        let kinds = |p: &str| {
            bundle["entry"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| {
                    e["resource"]["meta"]["profile"][0]
                        .as_str()
                        .is_some_and(|x| x.ends_with(p))
                })
                .count()
        };
        assert_eq!(kinds("/genomic-report"), 1);
        assert_eq!(kinds("/molecular-biomarker"), 2);
        assert!(kinds("/variant") >= r.alterations.len());
        assert!(kinds("/therapeutic-implication") >= 1);
        assert!(n > 4);
        // Every DiagnosticReport.result resolves inside the bundle.
        let urls: Vec<&str> = bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["fullUrl"].as_str())
            .collect();
        let dr = bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["resource"]["resourceType"] == "DiagnosticReport")
            .unwrap();
        for res in dr["resource"]["result"].as_array().unwrap() {
            assert!(urls.contains(&res["reference"].as_str().unwrap()));
        }
    }
}
