//! GRCh38 cancer-gene hotspots against the LRG-derived slices and the KRAS cdot fixtures
//! (data/transcripts, see PROVENANCE.md). Coordinates are the published GRCh38
//! positions; REF bases are checked against the database first.

use std::path::{Path, PathBuf};

use ganome_genomics::bcsq::Site;
use ganome_genomics::consequence::{VariantAnnotation, annotate_allele};
use ganome_genomics::txdb::TranscriptDb;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/transcripts")
}

fn lrg_db() -> TranscriptDb {
    TranscriptDb::from_gff_fasta(
        &data().join("transcripts.chrom_coords.gff3"),
        &data().join("genomic_slices.fa"),
    )
    .expect("build LRG db")
}

fn on(db: &TranscriptDb, chrom: &str, pos: u32, r: &str, a: &str, tx: &str) -> VariantAnnotation {
    let got = db.fetch(
        chrom,
        u64::from(pos) - 1,
        u64::from(pos) - 1 + r.len() as u64,
    );
    assert_eq!(String::from_utf8_lossy(&got), r, "REF at {chrom}:{pos}");
    let site = Site {
        chrom: chrom.into(),
        pos,
        ref_allele: r.as_bytes().to_vec(),
        alts: vec![a.as_bytes().to_vec()],
        genotypes: vec![],
    };
    annotate_allele(db, &site, 0)
        .into_iter()
        .find(|x| x.transcript.starts_with(tx))
        .unwrap_or_else(|| panic!("no annotation on {tx} for {chrom}:{pos}"))
}

#[test]
fn hotspots_on_lrg_transcripts() {
    let db = lrg_db();
    let cases = [
        (
            "chr7",
            55191822,
            "T",
            "G",
            "NM_005228",
            "c.2573T>G",
            "p.(Leu858Arg)",
            "missense_variant",
        ),
        (
            "chr7",
            140753336,
            "A",
            "T",
            "NM_004333",
            "c.1799T>A",
            "p.(Val600Glu)",
            "missense_variant",
        ),
        (
            "chr3",
            179234297,
            "A",
            "G",
            "NM_006218",
            "c.3140A>G",
            "p.(His1047Arg)",
            "missense_variant",
        ),
        (
            "chr17",
            7675088,
            "C",
            "T",
            "NM_000546",
            "c.524G>A",
            "p.(Arg175His)",
            "missense_variant",
        ),
        (
            "chr17",
            7673802,
            "C",
            "T",
            "NM_000546",
            "c.818G>A",
            "p.(Arg273His)",
            "missense_variant",
        ),
        (
            "chr17",
            7674220,
            "C",
            "T",
            "NM_000546",
            "c.743G>A",
            "p.(Arg248Gln)",
            "missense_variant",
        ),
        (
            "chr7",
            55174771,
            "AGGAATTAAGAGAAGC",
            "A",
            "NM_005228",
            "c.2235_2249del",
            "p.(Glu746_Ala750del)",
            "inframe_deletion",
        ),
    ];
    for (chrom, pos, r, a, tx, c, p, so) in cases {
        let ann = on(&db, chrom, pos, r, a, tx);
        let hc = ann.hgvs_c.clone().unwrap_or_default();
        assert!(hc.ends_with(c), "{tx}: {hc} != {c}");
        let hp = ann.hgvs_p.clone().unwrap_or_default();
        assert!(hp.ends_with(p), "{tx}: {hp} != {p}");
        assert!(
            ann.consequences.iter().any(|x| x == so),
            "{tx}: {:?}",
            ann.consequences
        );
    }
}

#[test]
fn kras_g12c_from_cdot() {
    let db = TranscriptDb::from_cdot(
        &data().join("kras_verified_transcripts.json"),
        &data().join("kras_verified_transcripts.fa"),
        Some("GRCh38"),
    )
    .expect("build KRAS db");
    let ann = on(&db, "chr12", 25245351, "C", "A", "NM_004985.5");
    assert_eq!(ann.hgvs_c.as_deref(), Some("NM_004985.5:c.34G>T"));
    assert_eq!(ann.hgvs_p_short.as_deref(), Some("p.G12C"));
    assert_eq!(ann.exon.as_deref(), Some("2/5"));
}

#[test]
fn txdb_file_round_trip_keeps_annotations() {
    let db = lrg_db();
    let bytes = db.to_bytes().unwrap();
    let back = TranscriptDb::from_bytes(&bytes, "mem").unwrap();
    let a = on(&back, "chr7", 140753336, "A", "T", "NM_004333");
    assert_eq!(a.hgvs_p_short.as_deref(), Some("p.V600E"));
    assert!(back.transcripts().iter().any(|t| t.gene_name == "TP53"));
}

#[test]
fn annotate_formats_tsv_json_vcf() {
    use ganome_genomics::annotate::{OutputFormat, annotate_vcf, get_info};
    let db = lrg_db();
    let vcf = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr7\t55191822\t.\tT\tG\t.\tPASS\tDP=10\n";
    let run = |f| {
        let mut out = Vec::new();
        let stats = annotate_vcf(&db, vcf.as_bytes(), &mut out, f, |_| {}).unwrap();
        assert_eq!((stats.records, stats.annotated), (1, 1));
        String::from_utf8(out).unwrap()
    };
    let tsv = run(OutputFormat::Tsv);
    let row = tsv
        .lines()
        .find(|l| l.contains("NM_005228.3:c.2573T>G"))
        .expect("EGFR row");
    assert!(
        row.contains("missense_variant") && row.contains("p.L858R"),
        "{row}"
    );
    let json = run(OutputFormat::Json);
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(first["gene"], "EGFR");
    let out = run(OutputFormat::Vcf);
    let line = out.lines().find(|l| !l.starts_with('#')).unwrap();
    assert!(get_info(line, "DP") == Some("10"));
    assert!(get_info(line, "GCSQ").unwrap().contains("c.2573T>G"));
    let bcsq = run(OutputFormat::Bcsq);
    let line = bcsq.lines().find(|l| !l.starts_with('#')).unwrap();
    assert_eq!(
        get_info(line, "BCSQ"),
        Some("missense|EGFR|LRG_304t1|protein_coding|+|858L>858R|55191822T>G")
    );
}
