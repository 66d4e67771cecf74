//! A laboratory's result files, as uploaded to a case: each file is recognised by its name
//! (laboratories do not send media types we can trust), decompressed by its magic bytes, and
//! parsed with the reader for its kind. The service uses this both to refuse a bad upload
//! before anything is stored and to gather a case's inputs for its findings report.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::biomarker::parse_biomarkers;
use crate::cnv::{CnThresholds, parse_copy_number};
use crate::fusion::{fusions_from_breakends, parse_fusions};
use crate::variant::{Biomarkers, CopyNumberCall, Fusion, Variant};
use crate::vcf::input::text_from_bytes;
use crate::vcf::{VcfOptions, VcfReader};

/// What a result file holds, told from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    /// Small variants (and breakends) in VCF, plain or compressed.
    Vcf,
    /// Copy-number calls: per gene, allele-specific segments or SEG.
    CopyNumber,
    /// Fusions (TSV).
    Fusions,
    /// Sample-level biomarkers (TMB, MSI), key/value lines or JSON.
    Biomarkers,
    /// Anything else (a PDF report, a QC sheet): kept, not interpreted.
    Other,
}

impl ResultKind {
    /// The kind of a file from its name: `*.vcf[.gz|.bgz]`; names with `fusion`; names with
    /// `cna`, `cnv`, `copy_number`/`copynumber` or ending `.seg[.txt]`; names with `biomarker`,
    /// `tmb` or `msi`; everything else is [`ResultKind::Other`].
    pub fn from_filename(name: &str) -> ResultKind {
        let n = name.to_ascii_lowercase();
        let stem = n
            .trim_end_matches(".gz")
            .trim_end_matches(".bgz")
            .trim_end_matches(".txt");
        if stem.ends_with(".vcf") {
            ResultKind::Vcf
        } else if n.contains("fusion") {
            ResultKind::Fusions
        } else if [".cna", ".cnv", "copy_number", "copynumber", "_cna", "_cnv"]
            .iter()
            .any(|k| stem.contains(k))
            || stem.ends_with(".seg")
        {
            ResultKind::CopyNumber
        } else if ["biomarker", "tmb", "msi"].iter().any(|k| n.contains(k)) {
            ResultKind::Biomarkers
        } else {
            ResultKind::Other
        }
    }

    /// Short name for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            ResultKind::Vcf => "vcf",
            ResultKind::CopyNumber => "copy number",
            ResultKind::Fusions => "fusions",
            ResultKind::Biomarkers => "biomarkers",
            ResultKind::Other => "other",
        }
    }
}

/// A result file that could not be read. The message names the file, and the line and
/// field where the reader found the problem.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ResultFileError {
    /// The file's name as uploaded.
    pub filename: String,
    /// What was wrong, with `file:line: field …` where known.
    pub message: String,
}

/// Everything read from a case's result files.
#[derive(Debug, Clone, Default)]
pub struct CaseResults {
    /// Small variants from all VCFs, in upload then file order.
    pub variants: Vec<Variant>,
    /// Copy-number calls.
    pub copy_numbers: Vec<CopyNumberCall>,
    /// Fusions from fusion files and from VCF breakends.
    pub fusions: Vec<Fusion>,
    /// Biomarkers (a later file's value replaces an earlier one's).
    pub biomarkers: Biomarkers,
    /// Names of the files that were read, with their kind.
    pub read: Vec<(String, ResultKind)>,
}

impl CaseResults {
    /// Whether any genomic content was read (variants, copy numbers, fusions or biomarkers).
    pub fn has_genomic_content(&self) -> bool {
        !self.read.is_empty()
    }

    /// Reads one file into these results. [`ResultKind::Other`] files are skipped.
    pub fn add(&mut self, filename: &str, bytes: &[u8]) -> Result<ResultKind, ResultFileError> {
        let kind = ResultKind::from_filename(filename);
        let path = PathBuf::from(filename);
        let err = |message: String| ResultFileError {
            filename: filename.to_owned(),
            message,
        };
        match kind {
            ResultKind::Vcf => {
                let (text, _) = text_from_bytes(bytes);
                let file = VcfReader::new(text, path, &VcfOptions::default())
                    .and_then(VcfReader::into_file)
                    .map_err(|e| err(e.to_string()))?;
                let (breakends, small): (Vec<_>, Vec<_>) = file
                    .variants
                    .into_iter()
                    .partition(|v| v.alt_allele.contains(['[', ']']));
                self.fusions.extend(fusions_from_breakends(&breakends));
                self.variants.extend(small);
            }
            ResultKind::CopyNumber => {
                let (text, _) = text_from_bytes(bytes);
                let file = parse_copy_number(text, path, &CnThresholds::default())
                    .map_err(|e| err(e.to_string()))?;
                self.copy_numbers.extend(file.calls);
            }
            ResultKind::Fusions => {
                let (text, _) = text_from_bytes(bytes);
                let fusions = parse_fusions(text, &path).map_err(|e| err(e.to_string()))?;
                self.fusions.extend(fusions);
            }
            ResultKind::Biomarkers => {
                let (mut text, _) = text_from_bytes(bytes);
                let mut s = String::new();
                text.read_to_string(&mut s)
                    .map_err(|e| err(format!("{filename}: not UTF-8 text: {e}")))?;
                let b =
                    parse_biomarkers(&s, Path::new(filename)).map_err(|e| err(e.to_string()))?;
                if b.tmb.is_some() {
                    self.biomarkers.tmb = b.tmb;
                }
                if b.msi.is_some() {
                    self.biomarkers.msi = b.msi;
                }
            }
            ResultKind::Other => return Ok(kind),
        }
        self.read.push((filename.to_owned(), kind));
        Ok(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_from_names() {
        use ResultKind::*;
        for (name, kind) in [
            ("T001-COAD.grch38.vcf.gz", Vcf),
            ("sample.VCF", Vcf),
            ("x.vcf.bgz", Vcf),
            ("T001-COAD.grch38.cna.tsv", CopyNumber),
            ("TCGA.AB.3009.hg19.seg.txt", CopyNumber),
            ("T001-COAD.grch38.fusions.tsv", Fusions),
            ("biomarkers.json", Biomarkers),
            ("tmb_msi.txt", Biomarkers),
            ("report.pdf", Other),
        ] {
            assert_eq!(ResultKind::from_filename(name), kind, "{name}");
        }
    }

    #[test]
    fn bad_vcf_names_file_and_line() {
        let mut r = CaseResults::default();
        let text = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr7\tX\t.\tT\tG\t.\tPASS\t.\n";
        let e = r.add("lab.vcf", text.as_bytes()).expect_err("bad POS");
        assert!(e.message.starts_with("lab.vcf:3"), "{}", e.message);
        assert!(e.message.contains("POS"), "{}", e.message);
        assert!(r.variants.is_empty() && r.read.is_empty());
    }

    #[test]
    fn real_files_are_read() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/variants");
        let mut r = CaseResults::default();
        for name in [
            "T001-COAD.grch38.vcf.gz",
            "T001-COAD.grch38.cna.tsv",
            "T001-COAD.grch38.fusions.tsv",
        ] {
            let bytes = std::fs::read(dir.join(name)).expect("read");
            r.add(name, &bytes).expect(name);
        }
        assert!(r.variants.len() > 100, "{}", r.variants.len());
        assert!(!r.copy_numbers.is_empty());
        assert!(!r.fusions.is_empty());
        assert_eq!(r.read.len(), 3);
        assert_eq!(
            r.add("notes.pdf", b"%PDF").expect("other"),
            ResultKind::Other
        );
        assert_eq!(r.read.len(), 3);
    }
}
