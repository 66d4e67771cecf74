//! Readers against real laboratory files in `testdata/variants/` (see PROVENANCE.md there).

use std::path::PathBuf;

use ganome_genomics::{
    variant::{AlleleFractionSource, FilterStatus},
    vcf::{VcfError, VcfReader, read_vcf},
};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/variants")
        .join(name)
}

#[test]
fn pcgr_bgzip_tumor_normal_vcf() {
    let f = read_vcf(data("T001-COAD.grch38.vcf.gz")).expect("read");
    assert_eq!(f.header.file_format, "VCFv4.2");
    assert!(f.header.roles.merged_tumor_normal);
    assert_eq!(f.variants.len(), 3313);
    let first = &f.variants[0];
    assert_eq!((first.chrom.as_str(), first.pos), ("1", 1042010));
    let t = first.tumor.as_ref().expect("tumour");
    assert_eq!(t.source, Some(AlleleFractionSource::InfoTvaf));
    assert!((t.vaf.expect("vaf") - 0.275862068966).abs() < 1e-9);
    assert_eq!(t.depth, Some(29));
    assert_eq!(first.normal.as_ref().and_then(|n| n.depth), Some(26));
    assert_eq!(first.line, f.header.header_lines + 1);
}

#[test]
fn every_real_vcf_reads() {
    for name in [
        "T001-BRCA.grch38.vcf.gz",
        "strelka-example.vcf",
        "mutect2_example.vcf",
        "strelka2_somatic_snvs.vcf",
        "multiallelic.vcf",
        "vep_annotated_csq.vcf",
        "mutect-example.head300.vcf",
        "test_strelka.vcf",
    ] {
        let f = read_vcf(data(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!f.variants.is_empty(), "{name}");
    }
}

#[test]
fn streaming_matches_whole_file() {
    let whole = read_vcf(data("strelka-example.vcf")).expect("read");
    let streamed: Result<Vec<_>, VcfError> = VcfReader::open(data("strelka-example.vcf"))
        .expect("open")
        .collect();
    assert_eq!(whole.variants, streamed.expect("stream"));
}

#[test]
fn strelka_roles_and_filters() {
    let f = read_vcf(data("strelka2_somatic_snvs.vcf")).expect("read");
    assert_eq!(f.header.roles.tumor.as_deref(), Some("TUMOR"));
    assert_eq!(f.header.roles.normal.as_deref(), Some("NORMAL"));
    let v = &f.variants[1];
    assert_eq!(v.filter, FilterStatus::Fail(vec!["LowEVS".into()]));
    let t = v.tumor.as_ref().expect("tumour");
    assert_eq!(t.source, Some(AlleleFractionSource::StrelkaSnv));
    assert!((t.vaf.expect("vaf") - 5.0 / 20.0).abs() < 1e-12);
}
