//! Readers against real laboratory files in `testdata/variants/` (see PROVENANCE.md there).

use std::path::PathBuf;

use ganome_genomics::{
    biomarker::parse_biomarkers_str,
    cnv::{CnThresholds, CnvLayout, parse_copy_number_str, read_copy_number},
    fusion::{fusions_from_breakends, parse_fusions_str, read_fusions},
    maf::{parse_maf_str, read_maf},
    normalize::{InMemoryReference, normalize_variant},
    variant::{AlleleFractionSource, FilterStatus, VariantKind},
    vcf::{VcfError, VcfReader, parse_vcf_str, read_vcf},
    vrs::{allele_from_vcf, refget_accession},
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

#[test]
fn multiallelic_record_is_split_per_alt() {
    let f = read_vcf(data("multiallelic.vcf")).expect("read");
    let alts: Vec<(&str, usize)> = f
        .variants
        .iter()
        .map(|v| (v.alt_allele.as_str(), v.allele_index))
        .collect();
    assert_eq!(alts, vec![("C", 1), ("G", 2)]);
    assert!(
        f.variants
            .iter()
            .all(|v| v.id.as_deref() == Some("rs199599542"))
    );
}

#[test]
fn mutect_roles_from_names_and_fa() {
    let f = read_vcf(data("mutect-example.head300.vcf")).expect("read");
    assert_eq!(f.header.roles.tumor.as_deref(), Some("SomaticSample"));
    assert_eq!(f.header.roles.normal.as_deref(), Some("NormalSample"));
    assert_eq!(f.variants.len(), 300);
    let v = &f.variants[1];
    let t = v.tumor.as_ref().expect("tumour");
    assert_eq!((t.vaf, t.depth), (Some(0.017), Some(58)));
    assert_eq!(t.source, Some(AlleleFractionSource::FormatFa));
    assert_eq!(v.normal.as_ref().and_then(|n| n.vaf), Some(0.040));
}

#[test]
fn mutect2_single_sample_af() {
    let f = read_vcf(data("mutect2_example.vcf")).expect("read");
    let t = f.variants[0].tumor.as_ref().expect("tumour");
    assert_eq!(t.name, "NA12878");
    assert_eq!(t.vaf, Some(0.998));
    assert_eq!(f.variants[0].filter, FilterStatus::Missing);
}

#[test]
fn vep_csq_annotations_attach_to_their_allele() {
    let f = read_vcf(data("vep_annotated_csq.vcf")).expect("read");
    assert_eq!(f.header.annotation_formats.len(), 1);
    let tp53 = f
        .variants
        .iter()
        .find(|v| v.pos == 7676153)
        .expect("TP53 record");
    assert_eq!(tp53.annotations.len(), 2);
    assert_eq!(
        tp53.annotations[0].hgvsc.as_deref(),
        Some("ENST00000269305.9:c.844C>T")
    );
    assert!(f.variants.iter().all(|v| !v.annotations.is_empty()));
}

/// Real lines of real files, mutated one field at a time: each must fail with the right line and
/// field, never panic.
#[test]
fn mutated_vcf_lines_report_line_and_field() {
    let text = std::fs::read_to_string(data("strelka2_somatic_snvs.vcf")).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    let first = lines
        .iter()
        .position(|l| !l.starts_with('#'))
        .expect("data line");
    let cases: [(usize, &str, &str); 5] = [
        (1, "12x4567", "POS"),
        (3, "G!", "REF"),
        (4, "A,", "ALT"),
        (9, "30:0:0:0:0,0:0,0:30,30:0,0:9", "sample NORMAL"),
        (10, "28:0:0:0:11,eleven:0,0:17,17:0,0", "FORMAT/AU"),
    ];
    for (column, value, field) in cases {
        let mut cols: Vec<&str> = lines[first].split('\t').collect();
        cols[column] = value;
        let mutated_line = cols.join("\t");
        let mut mutated: Vec<&str> = lines.clone();
        mutated[first] = &mutated_line;
        let e = parse_vcf_str(&(mutated.join("\n") + "\n")).expect_err(field);
        assert_eq!(e.line(), Some(first as u64 + 1), "{field}: {e}");
        assert_eq!(e.field(), Some(field), "{e}");
    }
    // A truncated line (too few columns) is a record error on that line.
    let mut truncated = lines.clone();
    let cut: String = lines[first]
        .split('\t')
        .take(4)
        .collect::<Vec<_>>()
        .join("\t");
    truncated[first] = &cut;
    let e = parse_vcf_str(&(truncated.join("\n") + "\n")).expect_err("truncated");
    assert_eq!(e.line(), Some(first as u64 + 1));
}

/// Every prefix and every single-byte corruption of a real VCF is handled without panicking.
#[test]
fn corrupted_vcf_never_panics() {
    let text = std::fs::read_to_string(data("strelka-example.vcf")).expect("read");
    let bytes = text.as_bytes();
    for cut in (0..bytes.len()).step_by(97) {
        let prefix = String::from_utf8_lossy(&bytes[..cut]);
        let _ = parse_vcf_str(&prefix);
    }
    for (i, replacement) in (0..bytes.len())
        .step_by(53)
        .zip([b'\t', b':', b',', b';', b'.', b'-', b'9'].iter().cycle())
    {
        let mut b = bytes.to_vec();
        b[i] = *replacement;
        let _ = parse_vcf_str(&String::from_utf8_lossy(&b));
    }
}

#[test]
fn maf_files_read() {
    let laml = read_maf(data("tcga_laml.maf.gz")).expect("laml");
    assert_eq!(laml.records.len(), 2207);
    let kinds = |t: &str| {
        laml.records
            .iter()
            .filter(|r| r.variant_type.as_deref() == Some(t))
            .count()
    };
    assert_eq!((kinds("SNP"), kinds("INS"), kinds("DEL")), (2002, 141, 64));
    assert!(
        laml.records
            .iter()
            .filter(|r| r.variant_type.as_deref() == Some("INS"))
            .all(|r| r.variant.ref_allele.is_empty() && !r.variant.alt_allele.is_empty())
    );
    assert!(
        laml.records
            .iter()
            .filter(|r| r.variant_type.as_deref() == Some("DEL"))
            .all(|r| r.variant.alt_allele.len() < r.variant.ref_allele.len())
    );
    // One TCGA "DEL" is really a delins (FLT3 ITD region: 18 bases replaced by 12).
    let flt3 = laml
        .records
        .iter()
        .find(|r| r.variant.pos == 28608258)
        .expect("FLT3 row");
    assert_eq!(flt3.variant.kind(), VariantKind::Delins);

    let brca = read_maf(data("brca.maf.gz")).expect("brca");
    assert_eq!(brca.records.len(), 1913);
    let minimal = read_maf(data("minimalist_test_maf.tsv")).expect("minimal");
    assert_eq!(minimal.records.len(), 645);
    assert!(minimal.records.iter().all(|r| r.gene.is_none()));
    let gdc = read_maf(data("test.maf")).expect("gdc");
    let t = gdc.records[0].variant.tumor.as_ref().expect("tumour");
    assert_eq!(t.source, Some(AlleleFractionSource::MafCounts));
    assert!(gdc.records[0].variant.normal.is_some());
    for name in ["tcga_ov.head.maf", "ov.wustle.subset5.maf"] {
        let f = read_maf(data(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!f.records.is_empty());
    }
}

#[test]
fn maf_insertion_normalises_to_vcf_anchor() {
    // MAF insertion: Start_Position is the base before the insertion; with a reference the
    // variant gets the VCF anchor base and left-aligns.
    let text = "Chromosome\tStart_Position\tReference_Allele\tTumor_Seq_Allele2\tTumor_Sample_Barcode\n1\t5\t-\tCA\tS\n";
    let maf = parse_maf_str(text).expect("parse");
    let mut v = maf.records[0].variant.clone();
    let mut reference = InMemoryReference::new();
    reference.insert("1", b"GGGCACACACAGGG".to_vec());
    normalize_variant(&mut v, Some(&reference)).expect("normalise");
    assert_eq!(
        (v.pos, v.ref_allele.as_str(), v.alt_allele.as_str()),
        (3, "G", "GCA")
    );
}

#[test]
fn copy_number_files_read() {
    let t = CnThresholds::default();
    let cna = read_copy_number(data("T001-COAD.grch38.cna.tsv"), &t).expect("cna");
    assert_eq!(cna.layout, CnvLayout::AlleleSpecificSegments);
    assert_eq!(cna.calls.len(), 260);
    let seg = read_copy_number(data("TCGA.AB.3009.hg19.seg.txt"), &t).expect("seg");
    assert_eq!(seg.layout, CnvLayout::Seg);
    assert_eq!(seg.calls.len(), 818);
    assert!(
        seg.calls
            .iter()
            .all(|c| c.sample.as_deref() == Some("TCGA-AB-3009"))
    );

    // Mutate a real SEG line: non-numeric Segment_Mean on line 5.
    let text = std::fs::read_to_string(data("TCGA.AB.3009.hg19.seg.txt")).expect("read");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut cols: Vec<&str> = lines[4].split('\t').collect();
    cols[5] = "high";
    lines[4] = cols.join("\t");
    let e = parse_copy_number_str(&lines.join("\n"), &t).expect_err("bad mean");
    assert_eq!((e.line(), e.field()), (Some(5), Some("Segment_Mean")));
}

#[test]
fn fusion_list_reads() {
    let f = read_fusions(data("T001-COAD.grch38.fusions.tsv")).expect("fusions");
    assert_eq!(f.len(), 9);
    let ret = f
        .iter()
        .find(|x| x.gene3.as_deref() == Some("RET"))
        .expect("CCDC6--RET");
    assert_eq!(ret.gene5.as_deref(), Some("CCDC6"));
    assert_eq!(ret.breakpoint3.as_ref().map(|b| b.pos), Some(43116592));

    // The same fusions written as VCF breakend pairs (mates) give one fusion each.
    let mut vcf = String::from(
        "##fileformat=VCFv4.2\n##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n",
    );
    for (i, x) in f.iter().enumerate() {
        let (a, b) = (
            x.breakpoint5.as_ref().expect("5'"),
            x.breakpoint3.as_ref().expect("3'"),
        );
        vcf.push_str(&format!(
            "{}\t{}\tbnd{i}a\tN\tN[{}:{}[\t.\tPASS\tSVTYPE=BND\n{}\t{}\tbnd{i}b\tN\t]{}:{}]N\t.\tPASS\tSVTYPE=BND\n",
            a.chrom, a.pos, b.chrom, b.pos, b.chrom, b.pos, a.chrom, a.pos
        ));
    }
    let parsed = parse_vcf_str(&vcf).expect("bnd vcf");
    assert!(parsed.variants.iter().all(|v| v.is_symbolic()));
    let from_bnd = fusions_from_breakends(&parsed.variants);
    assert_eq!(from_bnd.len(), f.len());
    for (x, y) in f.iter().zip(&from_bnd) {
        assert_eq!(
            (&x.breakpoint5, &x.breakpoint3),
            (&y.breakpoint5, &y.breakpoint3)
        );
    }
}

#[test]
fn vrs_ids_agree_for_equivalent_vcf_and_maf_indels() {
    // The MAF insertion and its VCF spelling at the other end of the repeat get one VRS id.
    let seq = b"GGGCACACACAGGG";
    let mut reference = InMemoryReference::new();
    reference.insert("1", seq.to_vec());
    let sq = refget_accession(seq);
    let a = allele_from_vcf(&reference, "1", &sq, 6, "", "CA").expect("maf-style");
    let b = allele_from_vcf(&reference, "1", &sq, 11, "A", "ACA").expect("vcf-style");
    assert_eq!(a.id(), b.id());
    assert!(a.id().starts_with("ga4gh:VA."));
}

/// Stable-toolchain smoke test for the fuzz targets in `fuzz/`: feeds each seed corpus to the
/// same entry functions (`parse_vcf_str`, `parse_maf_str`, the table readers, `hgvs::parse`).
#[test]
fn fuzz_corpus_smoke() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let inputs = |target: &str| -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(corpus.join(target))
            .unwrap_or_else(|e| panic!("{target}: {e}"))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| String::from_utf8_lossy(&std::fs::read(p).expect("seed")).into_owned())
            .collect()
    };
    let vcf = inputs("vcf_record");
    assert!(vcf.len() >= 5);
    for text in &vcf {
        let f = parse_vcf_str(text).unwrap_or_else(|e| panic!("seed should parse: {e}"));
        assert!(!f.variants.is_empty());
    }
    for text in inputs("maf") {
        let f = parse_maf_str(&text).unwrap_or_else(|e| panic!("seed should parse: {e}"));
        assert!(!f.records.is_empty());
    }
    for text in inputs("tables") {
        let cn = parse_copy_number_str(&text, &CnThresholds::default());
        let fusions = parse_fusions_str(&text);
        let _ = parse_biomarkers_str(&text);
        assert!(
            cn.is_ok() || fusions.is_ok(),
            "seed should parse as one of them"
        );
    }
    let hgvs = inputs("hgvs");
    assert!(!hgvs.is_empty());
    for text in &hgvs {
        if let Ok(v) = ganome_genomics::hgvs::parse(text) {
            assert_eq!(ganome_genomics::hgvs::parse(&v.to_string()).ok(), Some(v));
        }
    }
}

#[test]
fn bcftools_bcsq_in_vcf() {
    // bcftools' csq test VCF keeps the expected BCSQ string in INFO/EXP; rename it to BCSQ with
    // the header line bcftools writes.
    let text = std::fs::read_to_string(data("bcftools_csq_snps.vcf")).expect("read");
    let text = text
        .replace(
            "##INFO=<ID=EXP,Number=1,Type=String,Description=\"Expected consequence\">",
            "##INFO=<ID=BCSQ,Number=.,Type=String,Description=\"Haplotype-aware consequence annotation from BCFtools/csq, see http://samtools.github.io/bcftools/howtos/csq-calling.html for details. Format: Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change\">",
        )
        .replace("\tEXP=", "\tBCSQ=");
    let f = parse_vcf_str(&text).expect("parse");
    let at = |pos: u64| f.variants.iter().find(|v| v.pos == pos).expect("record");
    // `@3632`: the consequence is reported at the record it is compounded with.
    assert!(at(3630).annotations.is_empty());
    let a = &at(3632).annotations[0];
    assert_eq!(a.consequences, vec!["stop_lost"]);
    assert_eq!(a.hgvsp.as_deref(), Some("260*>260G"));
    assert_eq!(a.hgvsc.as_deref(), Some("3630T>A+3632A>C"));
    assert_eq!(a.strand, Some(-1));
    assert_eq!(
        at(2721).annotations[0].consequences,
        vec!["splice_region", "3_prime_utr"]
    );
    assert_eq!(at(2712).annotations[0].transcript_id, None);
}

#[test]
fn vcf_4_3_and_header_sample_roles() {
    let text = std::fs::read_to_string(data("mutect-example.head300.vcf")).expect("read");
    let v43 = text.replacen("##fileformat=VCFv4.1", "##fileformat=VCFv4.3", 1);
    let f = parse_vcf_str(&v43).expect("4.3");
    assert_eq!(f.header.file_format, "VCFv4.3");
    // MuTect's FORMAT/AD is Number=. where 4.3 reserves Number=R: read, with a warning that
    // names the line.
    assert_eq!(f.header.warnings.len(), 1);
    assert!(
        f.header.warnings[0].contains(":4:"),
        "{:?}",
        f.header.warnings
    );
    assert_eq!(f.variants.len(), 300);
    // GATK writes ##tumor_sample/##normal_sample; they win over name heuristics.
    let swapped = text.replacen(
        "##fileformat=VCFv4.1\n",
        "##fileformat=VCFv4.1\n##normal_sample=SomaticSample\n",
        1,
    );
    let f = parse_vcf_str(&swapped).expect("roles");
    assert_eq!(f.header.roles.normal.as_deref(), Some("SomaticSample"));
    assert_eq!(f.header.roles.tumor.as_deref(), Some("NormalSample"));
    assert_eq!(
        f.variants[1].tumor.as_ref().and_then(|t| t.vaf),
        Some(0.040)
    );
}

/// Prefixes and byte corruptions of the real table inputs never panic.
#[test]
fn corrupted_tables_never_panic() {
    let t = CnThresholds::default();
    for name in [
        "T001-COAD.grch38.cna.tsv",
        "TCGA.AB.3009.hg19.seg.txt",
        "T001-COAD.grch38.fusions.tsv",
        "tcga_ov.head.maf",
        "test.maf",
    ] {
        let bytes = std::fs::read(data(name)).expect("read");
        let run = |b: &[u8]| {
            let s = String::from_utf8_lossy(b);
            let _ = parse_copy_number_str(&s, &t);
            let _ = parse_fusions_str(&s);
            let _ = parse_maf_str(&s);
            let _ = parse_biomarkers_str(&s);
        };
        // About a hundred prefixes and a hundred corruptions per file keep this fast in debug.
        let step = bytes.len() / 100 + 1;
        for cut in (0..bytes.len()).step_by(step) {
            run(&bytes[..cut]);
        }
        for (i, r) in (0..bytes.len())
            .step_by(step + 3)
            .zip([b'\t', b'-', b'.', b':', b'\n', b'x', b'0'].iter().cycle())
        {
            let mut b = bytes.clone();
            b[i] = *r;
            run(&b);
        }
    }
}

/// vcf2maf's per-caller test VCFs: the tumour column is found and its VAF read by the caller's
/// convention (first record of each file).
#[test]
fn somatic_caller_conventions() {
    let cases: [(&str, &str, &str, AlleleFractionSource, f64); 6] = [
        (
            "test_varscan.vcf",
            "TUMOR",
            "NORMAL",
            AlleleFractionSource::VarScanFreq,
            0.3846,
        ),
        (
            "test_sniper.vcf",
            "TUMOR",
            "NORMAL",
            AlleleFractionSource::SomaticSniperBcount,
            4.0 / 7.0,
        ),
        (
            "test_radia.vcf",
            "DNA_TUMOR",
            "DNA_NORMAL",
            AlleleFractionSource::FormatAf,
            0.1,
        ),
        (
            "test_muse.vcf",
            "TUMOR",
            "NORMAL",
            AlleleFractionSource::FormatAd,
            2.0 / 11.0,
        ),
        (
            "test_pindel.vcf",
            "TUMOR",
            "NORMAL",
            AlleleFractionSource::FormatAd,
            4.0 / 47.0,
        ),
        (
            "test_mutect.vcf",
            "TUMOR",
            "NORMAL",
            AlleleFractionSource::FormatFa,
            0.146,
        ),
    ];
    // Real VarScan output carries one record with ALT `A/T`, which is not VCF: the whole file
    // is rejected at that line and field; the records before it are read below.
    let e = read_vcf(data("test_varscan.vcf")).expect_err("A/T allele");
    assert_eq!((e.line(), e.field()), (Some(110), Some("ALT")));
    for (name, tumor, normal, source, vaf) in cases {
        let text = std::fs::read_to_string(data(name)).expect("read");
        let text: String = text.lines().take(109).map(|l| format!("{l}\n")).collect();
        let f = parse_vcf_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(f.header.roles.tumor.as_deref(), Some(tumor), "{name}");
        assert_eq!(f.header.roles.normal.as_deref(), Some(normal), "{name}");
        let t = f.variants[0].tumor.as_ref().expect("tumour");
        assert_eq!(t.source, Some(source), "{name}");
        assert!(
            (t.vaf.expect("vaf") - vaf).abs() < 1e-9,
            "{name}: {:?}",
            t.vaf
        );
        let with_vaf = f
            .variants
            .iter()
            .filter(|v| v.tumor.as_ref().and_then(|t| t.vaf).is_some())
            .count();
        assert!(
            with_vaf * 10 >= f.variants.len() * 9,
            "{name}: {with_vaf}/{}",
            f.variants.len()
        );
    }
}

#[test]
fn parsed_files_round_trip_through_json() {
    let f = read_vcf(data("vep_annotated_csq.vcf")).expect("read");
    let json = serde_json::to_string(&f).expect("serialise");
    let back: ganome_genomics::vcf::VcfFile = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back, f);
    let m = read_maf(data("test.maf")).expect("read");
    let back: ganome_genomics::maf::MafFile =
        serde_json::from_str(&serde_json::to_string(&m).expect("serialise")).expect("parse");
    assert_eq!(back, m);
}
