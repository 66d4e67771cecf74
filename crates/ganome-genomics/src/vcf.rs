//! VCF 4.1–4.3 reading (plain or bgzip) into [`Variant`]s, with tumour/normal detection and
//! caller-specific allele fractions.
//!
//! noodles does the format work: BGZF decompression, header parsing and validation, splitting a
//! record line into its columns. The values inside INFO and the sample columns are read from the
//! raw strings (see `vcf/allele_fraction.rs`) because callers' headers often mis-declare them and
//! we must report exactly which field on which line was wrong, never panic.
//!
//! ```
//! let text = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
//!             7\t140753336\t.\tA\tT,G\t.\tPASS\t.\n";
//! let file = ganome_genomics::vcf::parse_vcf_str(text).unwrap();
//! assert_eq!(file.variants.len(), 2); // multi-allelic records are split
//! assert_eq!(file.variants[1].alt_allele, "G");
//! ```

pub mod allele_fraction;
pub mod input;

use std::{
    io::BufRead,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use self::allele_fraction::{Half, SampleFields};
use crate::{
    variant::{FilterStatus, SampleCall, Variant},
    vendor::{AnnotationFormat, AnnotationSource, TranscriptAnnotation, vep_allele},
};

/// An error reading a VCF. Every variant names the file; record errors name line and field.
#[derive(Debug, Error)]
pub enum VcfError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// File path (`<memory>` for in-memory text).
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// The header is missing or invalid.
    #[error("{path}:{line}: invalid VCF header: {message}")]
    Header {
        /// File path.
        path: PathBuf,
        /// 1-based line where the problem was found (the last header line for parse errors).
        line: u64,
        /// What was wrong.
        message: String,
    },
    /// A data line is invalid.
    #[error("{path}:{line}: field {field}: {message}")]
    Record {
        /// File path.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// Column or sub-field (`POS`, `REF`, `INFO/TVAF`, `FORMAT/AD`, `sample TUMOR`).
        field: String,
        /// What was wrong.
        message: String,
    },
}

impl VcfError {
    /// The 1-based line number the error refers to, if any.
    pub fn line(&self) -> Option<u64> {
        match self {
            Self::Io { .. } => None,
            Self::Header { line, .. } | Self::Record { line, .. } => Some(*line),
        }
    }

    /// The field name for record errors.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Record { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// Which sample columns are the tumour and the matched normal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleRoles {
    /// Tumour sample column name.
    pub tumor: Option<String>,
    /// Normal sample column name.
    pub normal: Option<String>,
    /// True when one column holds both (FORMAT `ADT`/`DPT` and `ADC`/`DPC`, as in PCGR inputs).
    pub merged_tumor_normal: bool,
}

/// The parts of a VCF header the rest of Ganome uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VcfHeader {
    /// `fileformat` value, e.g. `VCFv4.2`.
    pub file_format: String,
    /// Sample column names in order.
    pub samples: Vec<String>,
    /// Tumour/normal assignment (detected, or given in [`VcfOptions`]).
    pub roles: SampleRoles,
    /// Contig names with lengths where declared.
    pub contigs: Vec<(String, Option<u64>)>,
    /// `##reference=` value, if any.
    pub reference: Option<String>,
    /// Vendor annotation layouts found in `##INFO` (CSQ, ANN, BCSQ).
    pub annotation_formats: Vec<AnnotationFormat>,
    /// Number of header lines (the first record is on line `header_lines + 1`).
    pub header_lines: u64,
    /// FORMAT/AF is declared `Number=R` (RADIA), so its first value is the reference fraction.
    pub af_includes_reference: bool,
    /// Problems that did not stop reading (e.g. a 4.3 header read under 4.2 definitions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Options for reading a VCF.
#[derive(Debug, Clone, Default)]
pub struct VcfOptions {
    /// Force the tumour sample column (overrides detection).
    pub tumor_sample: Option<String>,
    /// Force the normal sample column (overrides detection).
    pub normal_sample: Option<String>,
}

/// A whole VCF read into memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VcfFile {
    /// Path it was read from.
    pub path: PathBuf,
    /// Header summary.
    pub header: VcfHeader,
    /// Variants, multi-allelic records split into one per ALT, in file order. Alleles are as
    /// written (not trimmed or left-aligned: see `normalize`).
    pub variants: Vec<Variant>,
}

/// Reads a whole VCF (plain, bgzip or gzip, detected by magic bytes).
pub fn read_vcf(path: impl AsRef<Path>) -> Result<VcfFile, VcfError> {
    read_vcf_with(path, &VcfOptions::default())
}

/// Reads a whole VCF with options.
pub fn read_vcf_with(path: impl AsRef<Path>, options: &VcfOptions) -> Result<VcfFile, VcfError> {
    let reader = VcfReader::open_with(path, options)?;
    reader.into_file()
}

/// Parses VCF text held in memory (path reported as `<memory>`).
pub fn parse_vcf_str(text: &str) -> Result<VcfFile, VcfError> {
    let reader = VcfReader::new(
        Box::new(text.as_bytes()),
        PathBuf::from("<memory>"),
        &VcfOptions::default(),
    )?;
    reader.into_file()
}

/// A streaming VCF reader: yields one [`Variant`] per ALT allele and stops after the first error.
pub struct VcfReader<'a> {
    path: PathBuf,
    header: VcfHeader,
    format_infos: Vec<(String, AnnotationFormat)>,
    records: noodles_vcf::io::Reader<Box<dyn BufRead + 'a>>,
    record: noodles_vcf::Record,
    line: u64,
    pending: std::vec::IntoIter<Variant>,
    done: bool,
}

impl std::fmt::Debug for VcfReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VcfReader")
            .field("path", &self.path)
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

impl VcfReader<'static> {
    /// Opens a VCF file and reads its header.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, VcfError> {
        Self::open_with(path, &VcfOptions::default())
    }

    /// Opens a VCF file with options and reads its header.
    pub fn open_with(path: impl AsRef<Path>, options: &VcfOptions) -> Result<Self, VcfError> {
        let path = path.as_ref().to_path_buf();
        let (inner, _) = input::open_text(&path).map_err(|source| VcfError::Io {
            path: path.clone(),
            source,
        })?;
        Self::new(inner, path, options)
    }
}

impl<'a> VcfReader<'a> {
    /// Wraps any buffered text source; `path` is used in error messages.
    pub fn new(
        mut inner: Box<dyn BufRead + 'a>,
        path: PathBuf,
        options: &VcfOptions,
    ) -> Result<Self, VcfError> {
        let (text, header_lines) = read_header_text(&mut inner, &path)?;
        let header = parse_header(&text, header_lines, &path, options)?;
        let format_infos = header
            .annotation_formats
            .iter()
            .map(|f| (f.source.info_key().to_owned(), f.clone()))
            .collect();
        Ok(Self {
            path,
            header,
            format_infos,
            records: noodles_vcf::io::Reader::new(inner),
            record: noodles_vcf::Record::default(),
            line: header_lines,
            pending: Vec::new().into_iter(),
            done: false,
        })
    }

    /// The header summary.
    pub fn header(&self) -> &VcfHeader {
        &self.header
    }

    /// Reads every remaining variant.
    pub fn into_file(mut self) -> Result<VcfFile, VcfError> {
        let mut variants = Vec::new();
        for v in self.by_ref() {
            variants.push(v?);
        }
        Ok(VcfFile {
            path: self.path,
            header: self.header,
            variants,
        })
    }

    fn next_record(&mut self) -> Option<Result<Vec<Variant>, VcfError>> {
        self.line += 1;
        // Blank lines (often one at the end of hand-edited files) carry nothing: skip them.
        loop {
            let inner = self.records.get_mut();
            let blank = match inner.fill_buf() {
                Ok(buf) if buf.starts_with(b"\n") => 1,
                Ok(buf) if buf.starts_with(b"\r\n") => 2,
                Ok(_) => break,
                Err(source) => {
                    return Some(Err(VcfError::Io {
                        path: self.path.clone(),
                        source,
                    }));
                }
            };
            inner.consume(blank);
            self.line += 1;
        }
        match self.records.read_record(&mut self.record) {
            Ok(0) => None,
            Ok(_) => Some(record_variants(
                &self.record,
                &self.header,
                &self.format_infos,
                &self.path,
                self.line,
            )),
            Err(e) => Some(Err(VcfError::Record {
                path: self.path.clone(),
                line: self.line,
                field: "record".into(),
                message: e.to_string(),
            })),
        }
    }
}

impl Iterator for VcfReader<'_> {
    type Item = Result<Variant, VcfError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(v) = self.pending.next() {
                return Some(Ok(v));
            }
            if self.done {
                return None;
            }
            match self.next_record() {
                None => {
                    self.done = true;
                    return None;
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Some(Ok(vs)) => self.pending = vs.into_iter(),
            }
        }
    }
}

/// Reads `#`-prefixed lines; returns the header text and its line count.
fn read_header_text(inner: &mut dyn BufRead, path: &Path) -> Result<(String, u64), VcfError> {
    let mut text = String::new();
    let mut lines = 0u64;
    loop {
        let buf = inner.fill_buf().map_err(|source| VcfError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if buf.first() != Some(&b'#') {
            break;
        }
        let mut line = Vec::new();
        inner
            .read_until(b'\n', &mut line)
            .map_err(|source| VcfError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        lines += 1;
        let line = String::from_utf8(line).map_err(|e| VcfError::Header {
            path: path.to_path_buf(),
            line: lines,
            message: format!("not UTF-8: {e}"),
        })?;
        let is_column_line = line.starts_with("#CHROM");
        text.push_str(line.trim_end_matches(['\n', '\r']));
        text.push('\n');
        if is_column_line {
            break;
        }
    }
    if !text.starts_with("##fileformat=") {
        return Err(VcfError::Header {
            path: path.to_path_buf(),
            line: 1,
            message: "first line must be ##fileformat=VCFv4.x".into(),
        });
    }
    if !text.lines().last().is_some_and(|l| l.starts_with("#CHROM")) {
        return Err(VcfError::Header {
            path: path.to_path_buf(),
            line: lines.max(1),
            message: "missing #CHROM column header line".into(),
        });
    }
    Ok((text, lines))
}

fn parse_header(
    text: &str,
    header_lines: u64,
    path: &Path,
    options: &VcfOptions,
) -> Result<VcfHeader, VcfError> {
    let mut warnings = Vec::new();
    let parsed: noodles_vcf::Header = match text.parse() {
        Ok(h) => h,
        Err(e) => {
            let error = VcfError::Header {
                path: path.to_path_buf(),
                line: failing_header_line(text).unwrap_or(header_lines),
                message: format!("{e}"),
            };
            // noodles holds VCF 4.3+ headers to the 4.3 definitions of reserved keys (e.g.
            // FORMAT/AD Number=R); callers often label files 4.3 while keeping GATK's 4.2-style
            // definitions. Such headers are accepted under 4.2 rules, with a warning.
            let relaxed = text
                .strip_prefix("##fileformat=VCFv4.3\n")
                .or_else(|| text.strip_prefix("##fileformat=VCFv4.4\n"))
                .or_else(|| text.strip_prefix("##fileformat=VCFv4.5\n"))
                .map(|rest| format!("##fileformat=VCFv4.2\n{rest}"))
                .and_then(|t| t.parse::<noodles_vcf::Header>().ok());
            match relaxed {
                Some(h) => {
                    warnings.push(format!(
                        "{error}; accepted under VCF 4.2 definitions of reserved fields"
                    ));
                    h
                }
                None => return Err(error),
            }
        }
    };
    let file_format = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("##fileformat="))
        .unwrap_or_default()
        .trim()
        .to_owned();
    let samples: Vec<String> = parsed.sample_names().iter().cloned().collect();
    let af_includes_reference = parsed.formats().get("AF").is_some_and(|f| {
        f.number()
            == noodles_vcf::header::record::value::map::format::Number::ReferenceAlternateBases
    });
    let contigs = parsed
        .contigs()
        .iter()
        .map(|(name, c)| (name.clone(), c.length().and_then(|l| u64::try_from(l).ok())))
        .collect();
    let annotation_formats = parsed
        .infos()
        .iter()
        .filter_map(|(key, info)| AnnotationFormat::from_header(key, info.description()))
        .collect();
    let meta = |key: &str| -> Option<String> {
        let prefix = format!("##{key}=");
        text.lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .map(|v| v.trim().to_owned())
    };
    let mut roles = detect_roles(&samples, meta("tumor_sample"), meta("normal_sample"));
    roles.merged_tumor_normal = samples.len() == 1
        && parsed.formats().contains_key("ADT")
        && parsed.formats().contains_key("ADC");
    if let Some(t) = &options.tumor_sample {
        check_sample(&samples, t, path, header_lines)?;
        roles.tumor = Some(t.clone());
    }
    if let Some(n) = &options.normal_sample {
        check_sample(&samples, n, path, header_lines)?;
        roles.normal = Some(n.clone());
    }
    Ok(VcfHeader {
        file_format,
        samples,
        roles,
        contigs,
        reference: meta("reference"),
        annotation_formats,
        header_lines,
        af_includes_reference,
        warnings,
    })
}

/// Finds the first header line that makes noodles reject the header, by bisecting over prefixes
/// (each closed with the `#CHROM` line). noodles reports what was wrong but not where.
fn failing_header_line(text: &str) -> Option<u64> {
    let lines: Vec<&str> = text.lines().collect();
    let (column_line, meta) = lines.split_last()?;
    let parses = |k: usize| -> bool {
        let mut prefix = meta[..k].join("\n");
        prefix.push('\n');
        prefix.push_str(column_line);
        prefix.push('\n');
        prefix.parse::<noodles_vcf::Header>().is_ok()
    };
    if parses(meta.len()) {
        // Only the column line itself is at fault.
        return Some(lines.len() as u64);
    }
    if meta.is_empty() || !parses(1) {
        return Some(1);
    }
    // Invariant: the prefix of `lo` lines parses, the prefix of `hi` lines does not.
    let (mut lo, mut hi) = (1usize, meta.len());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if parses(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(hi as u64)
}

fn check_sample(samples: &[String], name: &str, path: &Path, line: u64) -> Result<(), VcfError> {
    if samples.iter().any(|s| s == name) {
        Ok(())
    } else {
        Err(VcfError::Header {
            path: path.to_path_buf(),
            line,
            message: format!("sample {name:?} not in header (have {samples:?})"),
        })
    }
}

/// How a sample name looks: tumour, normal, or unknown.
fn name_role(name: &str) -> Option<bool> {
    let lower = name.to_ascii_lowercase();
    // TCGA barcodes: sample type 01–09 tumour, 10–19 normal (TCGA-XX-XXXX-NNx).
    let parts: Vec<&str> = name.split('-').collect();
    let sample_type = parts
        .get(3)
        .filter(|_| parts.first() == Some(&"TCGA"))
        .and_then(|p| p.get(..2))
        .and_then(|c| c.parse::<u8>().ok());
    if let Some(code) = sample_type {
        return Some(code < 10);
    }
    let is_normal = ["normal", "germline", "control", "blood"]
        .iter()
        .any(|w| lower.contains(w))
        || lower.ends_with("_n")
        || lower.ends_with("-n")
        || lower == "n";
    if is_normal {
        return Some(false);
    }
    let is_tumor = [
        "tumor",
        "tumour",
        "somatic",
        "cancer",
        "metastasis",
        "primary",
    ]
    .iter()
    .any(|w| lower.contains(w))
        || lower.ends_with("_t")
        || lower.ends_with("-t")
        || lower == "t";
    is_tumor.then_some(true)
}

/// Assigns tumour and normal columns.
///
/// Order of evidence: `##tumor_sample=`/`##normal_sample=` (GATK Mutect2); sample names (`TUMOR`,
/// `NORMAL`, TCGA barcode sample types); a single sample is taken as the tumour; two unnamed
/// samples are left with the first as tumour and the second as normal.
fn detect_roles(
    samples: &[String],
    tumor_meta: Option<String>,
    normal_meta: Option<String>,
) -> SampleRoles {
    let mut roles = SampleRoles {
        tumor: tumor_meta.filter(|t| samples.contains(t)),
        normal: normal_meta.filter(|n| samples.contains(n)),
        merged_tumor_normal: false,
    };
    for s in samples {
        match name_role(s) {
            Some(true) if roles.tumor.is_none() && roles.normal.as_ref() != Some(s) => {
                roles.tumor = Some(s.clone());
            }
            Some(false) if roles.normal.is_none() && roles.tumor.as_ref() != Some(s) => {
                roles.normal = Some(s.clone());
            }
            _ => {}
        }
    }
    match samples {
        [] => {}
        [only] => {
            if roles.tumor.is_none() && roles.normal.is_none() {
                roles.tumor = Some(only.clone());
            }
        }
        [first, second, ..] => {
            if roles.tumor.is_none() {
                roles.tumor = samples
                    .iter()
                    .find(|s| Some(*s) != roles.normal.as_ref())
                    .cloned()
                    .or_else(|| Some(first.clone()));
            }
            if roles.normal.is_none() && samples.len() == 2 {
                let other = if roles.tumor.as_ref() == Some(first) {
                    second
                } else {
                    first
                };
                roles.normal = Some(other.clone());
            }
        }
    }
    roles
}

fn record_error(path: &Path, line: u64, field: &str, message: impl Into<String>) -> VcfError {
    VcfError::Record {
        path: path.to_path_buf(),
        line,
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Whether an ALT is symbolic or a breakend.
fn is_symbolic_alt(alt: &str) -> bool {
    alt.starts_with('<') || alt.contains('[') || alt.contains(']')
}

fn record_variants(
    record: &noodles_vcf::Record,
    header: &VcfHeader,
    format_infos: &[(String, AnnotationFormat)],
    path: &Path,
    line: u64,
) -> Result<Vec<Variant>, VcfError> {
    let err = |field: &str, msg: String| record_error(path, line, field, msg);
    let chrom = record.reference_sequence_name();
    if chrom.is_empty() || chrom == "." || chrom.contains(char::is_whitespace) {
        return Err(err("CHROM", format!("invalid chromosome {chrom:?}")));
    }
    let pos = match record.variant_start() {
        Some(Ok(p)) => u64::try_from(usize::from(p)).map_err(|e| err("POS", e.to_string()))?,
        Some(Err(e)) => return Err(err("POS", e.to_string())),
        None => return Err(err("POS", "missing position".into())),
    };
    let ref_raw = record.reference_bases();
    if ref_raw.is_empty() || !ref_raw.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(err("REF", format!("invalid reference allele {ref_raw:?}")));
    }
    let ref_allele = ref_raw.to_ascii_uppercase();
    let alt_raw = record.alternate_bases();
    let alt_raw: &str = alt_raw.as_ref();
    let alts: Vec<&str> = alt_raw.split(',').collect();
    for a in &alts {
        let ok = *a == "."
            || *a == "*"
            || is_symbolic_alt(a)
            || (!a.is_empty() && a.bytes().all(|b| b.is_ascii_alphabetic()));
        if !ok {
            return Err(err("ALT", format!("invalid alternate allele {a:?}")));
        }
    }
    let id = {
        let ids = record.ids();
        let raw: &str = ids.as_ref();
        (!raw.is_empty() && raw != ".").then(|| raw.to_owned())
    };
    let filter = {
        let f = record.filters();
        FilterStatus::from_vcf(f.as_ref())
    };

    // INFO as raw key/value pairs.
    let info_obj = record.info();
    let info_raw: &str = info_obj.as_ref();
    let mut info: Vec<(&str, Option<&str>)> = Vec::new();
    if !info_raw.is_empty() && info_raw != "." {
        for part in info_raw.split(';') {
            if part.is_empty() {
                return Err(err("INFO", "empty INFO entry (`;;`)".into()));
            }
            match part.split_once('=') {
                Some((k, v)) => info.push((k, Some(v))),
                None => info.push((part, None)),
            }
        }
    }
    let info_get = |key: &str| info.iter().find(|(k, _)| *k == key).and_then(|(_, v)| *v);

    // Vendor annotations.
    let mut annotations: Vec<TranscriptAnnotation> = Vec::new();
    for (key, format) in format_infos {
        if let Some(value) = info_get(key) {
            let parsed = format
                .parse(value)
                .map_err(|e| err(&format!("INFO/{key}"), e.to_string()))?;
            annotations.extend(parsed);
        }
    }

    // Samples.
    let samples = record.samples();
    let keys_obj = samples.keys();
    let keys: Vec<&str> = keys_obj.iter().collect();
    let sample_objs: Vec<_> = samples.iter().collect();
    let sample_strings: Vec<&str> = sample_objs.iter().map(|s| s.as_ref()).collect();
    if !header.samples.is_empty() && sample_strings.len() != header.samples.len() {
        return Err(err(
            "samples",
            format!(
                "{} sample columns, header declares {}",
                sample_strings.len(),
                header.samples.len()
            ),
        ));
    }
    let sample_fields = |name: &str| -> Option<SampleFields<'_>> {
        let i = header.samples.iter().position(|s| s == name)?;
        let raw = sample_strings.get(i)?;
        Some(SampleFields {
            keys: &keys,
            values: raw.split(':').collect(),
        })
    };
    for (i, raw) in sample_strings.iter().enumerate() {
        let n = raw.split(':').count();
        if n > keys.len() {
            let name = header.samples.get(i).map_or("?", String::as_str);
            return Err(err(
                &format!("sample {name}"),
                format!("{n} values for {} FORMAT keys", keys.len()),
            ));
        }
    }

    let mut out = Vec::new();
    for (idx, alt) in alts.iter().enumerate() {
        let k = idx + 1;
        if *alt == "." || *alt == "*" || *alt == "<NON_REF>" || *alt == "<*>" {
            continue;
        }
        let alt_allele = if is_symbolic_alt(alt) {
            (*alt).to_owned()
        } else {
            alt.to_ascii_uppercase()
        };
        let call_for = |name: &str, half: Half| -> Result<Option<SampleCall>, VcfError> {
            let Some(fields) = sample_fields(name) else {
                return Ok(None);
            };
            allele_fraction::sample_call(
                name,
                &fields,
                k,
                &ref_allele,
                &alt_allele,
                half,
                allele_fraction::AfLayout {
                    declared_number_r: header.af_includes_reference,
                    alt_count: alts.len(),
                },
            )
            .map(Some)
            .map_err(|(field, msg)| err(&field, format!("sample {name}: {msg}")))
        };
        let roles = &header.roles;
        let (mut tumor, normal) = if roles.merged_tumor_normal {
            let name = header.samples.first().map_or("", String::as_str);
            (call_for(name, Half::Tumor)?, call_for(name, Half::Control)?)
        } else {
            let t = match &roles.tumor {
                Some(n) => call_for(n, Half::Whole)?,
                None => None,
            };
            let n = match &roles.normal {
                Some(n) => call_for(n, Half::Whole)?,
                None => None,
            };
            (t, n)
        };
        let tvaf = info_get("TVAF");
        let tdp = info_get("TDP");
        if tvaf.is_some() || tdp.is_some() {
            let call = tumor.get_or_insert_with(|| SampleCall {
                name: roles.tumor.clone().unwrap_or_else(|| "TUMOR".to_owned()),
                genotype: None,
                vaf: None,
                depth: None,
                alt_depth: None,
                source: None,
            });
            allele_fraction::apply_info_tvaf(call, tvaf, tdp, k)
                .map_err(|(field, msg)| err(&field, msg))?;
        }
        let vep = vep_allele(&ref_allele, &alts, alt);
        let allele_annotations = annotations
            .iter()
            .filter(|a| match (a.source, a.allele.as_deref()) {
                (AnnotationSource::BcftoolsBcsq, _) | (_, None) => true,
                (AnnotationSource::VepCsq, Some(x)) => x.eq_ignore_ascii_case(&vep),
                (AnnotationSource::SnpEffAnn, Some(x)) => x.eq_ignore_ascii_case(alt),
            })
            .cloned()
            .collect();
        out.push(Variant {
            chrom: chrom.to_owned(),
            pos,
            ref_allele: ref_allele.clone(),
            alt_allele,
            id: id.clone(),
            filter: filter.clone(),
            tumor,
            normal,
            allele_index: k,
            line,
            annotations: allele_annotations,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n";

    #[test]
    fn strelka_names_give_roles() {
        let r = detect_roles(&["NORMAL".into(), "TUMOR".into()], None, None);
        assert_eq!(r.tumor.as_deref(), Some("TUMOR"));
        assert_eq!(r.normal.as_deref(), Some("NORMAL"));
        let r = detect_roles(&["SomaticSample".into(), "NormalSample".into()], None, None);
        assert_eq!(r.tumor.as_deref(), Some("SomaticSample"));
        assert_eq!(r.normal.as_deref(), Some("NormalSample"));
        let r = detect_roles(
            &["TCGA-A6-2686-10A-01D".into(), "TCGA-A6-2686-01A-01D".into()],
            None,
            None,
        );
        assert_eq!(r.tumor.as_deref(), Some("TCGA-A6-2686-01A-01D"));
        let r = detect_roles(&["NA12878".into()], None, None);
        assert_eq!(r.tumor.as_deref(), Some("NA12878"));
        let r = detect_roles(&["a".into(), "b".into()], Some("b".into()), None);
        assert_eq!(r.tumor.as_deref(), Some("b"));
        assert_eq!(r.normal.as_deref(), Some("a"));
    }

    #[test]
    fn record_errors_name_line_and_field() {
        let text = format!("{HEAD}1\t10\t.\tA\tC\t.\tPASS\t.\tGT:AD\t0/0:5,0\t0/1:3,x\n");
        let e = parse_vcf_str(&text).expect_err("bad AD");
        assert_eq!(e.line(), Some(3));
        assert_eq!(e.field(), Some("FORMAT/AD"));

        let text = format!("{HEAD}1\tten\t.\tA\tC\t.\tPASS\t.\tGT\t0/0\t0/1\n");
        let e = parse_vcf_str(&text).expect_err("bad POS");
        assert_eq!(e.field(), Some("POS"));

        let text = format!("{HEAD}1\t10\t.\tA\tC\t.\tPASS\t.\tGT\t0/0\n");
        let e = parse_vcf_str(&text).expect_err("missing sample");
        assert_eq!(e.field(), Some("samples"));
    }

    #[test]
    fn bad_header_line_is_located() {
        let text = "##fileformat=VCFv4.2\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n##FORMAT=<ID=GT,Number=1,Type=Strin,Description=\"Genotype\">\n##contig=<ID=1>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
        let e = parse_vcf_str(text).expect_err("bad FORMAT type");
        assert!(matches!(e, VcfError::Header { line: 3, .. }), "{e}");
    }

    #[test]
    fn blank_lines_are_skipped_and_counted() {
        let text = format!("{HEAD}\n1\t10\t.\tA\tC\t.\tPASS\t.\tGT\t0/0\t0/1\n\r\n\n");
        let f = parse_vcf_str(&text).expect("blank lines");
        assert_eq!(f.variants.len(), 1);
        assert_eq!(f.variants[0].line, 4);
    }

    #[test]
    fn header_must_start_with_fileformat() {
        let e = parse_vcf_str("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
            .expect_err("no fileformat");
        assert!(matches!(e, VcfError::Header { line: 1, .. }));
        let e = parse_vcf_str("").expect_err("empty");
        assert!(matches!(e, VcfError::Header { .. }));
    }
}
