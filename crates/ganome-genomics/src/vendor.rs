//! Vendor annotations already present in a VCF: Ensembl VEP `CSQ`, snpEff `ANN` and bcftools
//! `BCSQ`, read into one per-transcript [`TranscriptAnnotation`].
//!
//! These are used when no transcript database is configured. Each tool declares its sub-field
//! order in the `##INFO` header's `Description` (`... Format: Allele|Consequence|...`), so the
//! layout is taken from the header rather than assumed. noodles gives us the INFO string but has no
//! notion of these nested, tool-specific encodings, hence this small hand-written parser.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The tool that wrote an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationSource {
    /// Ensembl VEP, INFO/CSQ.
    VepCsq,
    /// snpEff, INFO/ANN.
    SnpEffAnn,
    /// bcftools csq, INFO/BCSQ.
    BcftoolsBcsq,
}

impl AnnotationSource {
    /// The INFO key this tool writes.
    pub fn info_key(self) -> &'static str {
        match self {
            Self::VepCsq => "CSQ",
            Self::SnpEffAnn => "ANN",
            Self::BcftoolsBcsq => "BCSQ",
        }
    }
}

/// One transcript-level annotation written by a vendor tool, in common terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptAnnotation {
    /// Which tool wrote it.
    pub source: AnnotationSource,
    /// The allele it applies to as the tool wrote it (VEP trims the shared first base and writes
    /// `-` for deletions); `None` for BCSQ, which annotates haplotypes rather than alleles.
    pub allele: Option<String>,
    /// Sequence Ontology terms (VEP/snpEff) or bcftools consequence names, split on `&`.
    pub consequences: Vec<String>,
    /// Impact class (`HIGH`, `MODERATE`, `LOW`, `MODIFIER`), if given.
    pub impact: Option<String>,
    /// Gene symbol.
    pub gene_symbol: Option<String>,
    /// Gene identifier (e.g. Ensembl ENSG), if given.
    pub gene_id: Option<String>,
    /// Transcript (feature) identifier.
    pub transcript_id: Option<String>,
    /// Transcript biotype (`protein_coding`).
    pub biotype: Option<String>,
    /// HGVS c. (or n.) description as written.
    pub hgvsc: Option<String>,
    /// HGVS p. description as written (VEP/snpEff) or the bcftools amino-acid change.
    pub hgvsp: Option<String>,
    /// Strand (+1 / -1), if given.
    pub strand: Option<i8>,
    /// Whether the tool flagged the transcript canonical (VEP `CANONICAL=YES`).
    pub canonical: Option<bool>,
    /// MANE Select transcript id given by VEP (`MANE_SELECT`), if any.
    pub mane_select: Option<String>,
    /// Every sub-field by its header name (empty values omitted), for fields not mapped above.
    pub fields: BTreeMap<String, String>,
}

/// An error in a vendor annotation string.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum VendorError {
    /// An annotation entry had more `|`-separated sub-fields than the header declares.
    #[error("{key}: annotation {index} has {found} sub-fields, header declares {expected}")]
    FieldCount {
        /// INFO key (`CSQ`, `ANN`, `BCSQ`).
        key: String,
        /// 0-based index of the comma-separated entry.
        index: usize,
        /// Sub-fields declared in the header.
        expected: usize,
        /// Sub-fields found.
        found: usize,
    },
    /// The strand sub-field was not `1`, `-1`, `+` or `-`.
    #[error("{key}: annotation {index}: invalid strand {value:?}")]
    Strand {
        /// INFO key.
        key: String,
        /// 0-based index of the entry.
        index: usize,
        /// The value found.
        value: String,
    },
}

/// The sub-field layout of one vendor annotation INFO key, taken from its header description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnotationFormat {
    /// Which tool.
    pub source: AnnotationSource,
    /// Sub-field names in order, trimmed.
    pub fields: Vec<String>,
}

impl AnnotationFormat {
    /// Reads the layout from an `##INFO` `Description` for key `CSQ`, `ANN` or `BCSQ`.
    ///
    /// Returns `None` for other keys or when the description declares no `Format:`.
    pub fn from_header(key: &str, description: &str) -> Option<Self> {
        let source = match key {
            "CSQ" => AnnotationSource::VepCsq,
            "ANN" => AnnotationSource::SnpEffAnn,
            "BCSQ" => AnnotationSource::BcftoolsBcsq,
            _ => return None,
        };
        // VEP and bcftools write `Format: a|b|c`; snpEff writes `Functional annotations: 'a | b'`.
        let start = match description.find("Format:") {
            Some(i) => i + "Format:".len(),
            None => description.find('\'')?,
        };
        let layout = description[start..]
            .trim()
            .trim_matches(|c| c == '\'' || c == '"')
            .trim();
        let fields: Vec<String> = layout.split('|').map(|f| f.trim().to_owned()).collect();
        if fields.len() < 2 {
            return None;
        }
        Some(Self { source, fields })
    }

    /// Parses an INFO value (comma-separated entries) into annotations.
    ///
    /// Entries with fewer sub-fields than declared are accepted (trailing empty fields are
    /// routinely dropped by tools); entries with more are an error. bcftools back-references
    /// (`@123`, meaning "see the record at position 123") carry no annotation and are skipped.
    pub fn parse(&self, value: &str) -> Result<Vec<TranscriptAnnotation>, VendorError> {
        let key = self.source.info_key();
        let mut out = Vec::new();
        for (index, entry) in value.split(',').enumerate() {
            if entry.is_empty() || entry == "." || entry.starts_with('@') {
                continue;
            }
            let parts: Vec<&str> = entry.split('|').collect();
            if parts.len() > self.fields.len() {
                return Err(VendorError::FieldCount {
                    key: key.to_owned(),
                    index,
                    expected: self.fields.len(),
                    found: parts.len(),
                });
            }
            let mut fields = BTreeMap::new();
            for (name, raw) in self.fields.iter().zip(parts.iter()) {
                if !raw.is_empty() {
                    fields.insert(name.clone(), decode(raw));
                }
            }
            out.push(self.annotation(fields, index)?);
        }
        Ok(out)
    }

    fn annotation(
        &self,
        fields: BTreeMap<String, String>,
        index: usize,
    ) -> Result<TranscriptAnnotation, VendorError> {
        let get = |names: &[&str]| -> Option<String> {
            names
                .iter()
                .find_map(|n| fields.get(*n))
                .filter(|v| !v.is_empty())
                .cloned()
        };
        let (allele, csq, impact, symbol, gene_id, tx, biotype, hgvsc, hgvsp, strand) =
            match self.source {
                AnnotationSource::VepCsq => (
                    get(&["Allele"]),
                    get(&["Consequence"]),
                    get(&["IMPACT"]),
                    get(&["SYMBOL"]),
                    get(&["Gene"]),
                    get(&["Feature"]),
                    get(&["BIOTYPE"]),
                    get(&["HGVSc"]),
                    get(&["HGVSp"]),
                    get(&["STRAND"]),
                ),
                AnnotationSource::SnpEffAnn => (
                    get(&["Allele"]),
                    get(&["Annotation"]),
                    get(&["Annotation_Impact"]),
                    get(&["Gene_Name"]),
                    get(&["Gene_ID"]),
                    get(&["Feature_ID"]),
                    get(&["Transcript_BioType"]),
                    get(&["HGVS.c"]),
                    get(&["HGVS.p"]),
                    None,
                ),
                AnnotationSource::BcftoolsBcsq => (
                    None,
                    get(&["Consequence"]),
                    None,
                    get(&["gene"]),
                    None,
                    get(&["transcript"]),
                    get(&["biotype"]),
                    get(&["dna_change"]),
                    get(&["amino_acid_change"]),
                    get(&["strand"]),
                ),
            };
        let strand = match strand.as_deref() {
            None => None,
            Some("1" | "+1" | "+") => Some(1),
            Some("-1" | "-") => Some(-1),
            Some(other) => {
                return Err(VendorError::Strand {
                    key: self.source.info_key().to_owned(),
                    index,
                    value: other.to_owned(),
                });
            }
        };
        let consequences = csq
            .map(|c| {
                c.split('&')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.trim_start_matches('*').to_owned())
                    .collect()
            })
            .unwrap_or_default();
        let canonical = fields.get("CANONICAL").map(|v| v == "YES");
        let mane_select = fields.get("MANE_SELECT").cloned();
        Ok(TranscriptAnnotation {
            source: self.source,
            allele,
            consequences,
            impact,
            gene_symbol: symbol,
            gene_id,
            transcript_id: tx,
            biotype,
            hgvsc,
            hgvsp,
            strand,
            canonical,
            mane_select,
            fields,
        })
    }
}

/// Undoes the percent-encoding VEP and snpEff apply to reserved VCF characters.
fn decode(raw: &str) -> String {
    if !raw.contains('%') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3);
        let decoded = match code {
            Some("3B" | "3b") => Some(';'),
            Some("3D" | "3d") => Some('='),
            Some("2C" | "2c") => Some(','),
            Some("7C" | "7c") => Some('|'),
            Some("25") => Some('%'),
            Some("20") => Some(' '),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[i + 3..];
            }
            None => {
                out.push('%');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The allele string VEP writes in `CSQ/Allele` for `alt`, given the record's REF and every ALT.
///
/// VEP drops the first base when it is shared by REF and all ALTs (VCF anchor base) and writes
/// `-` for an empty allele.
pub fn vep_allele(reference: &str, alts: &[&str], alt: &str) -> String {
    let first = reference.as_bytes().first();
    let all_share = first.is_some()
        && alts
            .iter()
            .all(|a| a.as_bytes().first() == first && a.len() != reference.len());
    if all_share {
        let trimmed = &alt[1.min(alt.len())..];
        if trimmed.is_empty() {
            "-".to_owned()
        } else {
            trimmed.to_owned()
        }
    } else {
        alt.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Header description from testdata/variants/vep_annotated_csq.vcf (tumor-vcf-varcode).
    const VEP: &str = "Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|cDNA_position|CDS_position|Protein_position|Amino_acids|Codons|Existing_variation|DISTANCE|STRAND|FLAGS|SYMBOL_SOURCE|HGNC_ID";
    // The header line bcftools csq writes (bcftools csq.c, documented in its manual).
    const BCSQ: &str = "Haplotype-aware consequence annotation from BCFtools/csq, see http://samtools.github.io/bcftools/howtos/csq-calling.html for details. Format: Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change";
    // The header line snpEff writes (snpEff documentation, "ANN field").
    const ANN: &str = "Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' ";

    #[test]
    fn vep_csq_entries_are_read_by_header_layout() {
        let f = AnnotationFormat::from_header("CSQ", VEP).expect("format");
        assert_eq!(f.fields.len(), 23);
        let value = "T|stop_gained|HIGH|TP53|ENSG00000141510|Transcript|ENST00000269305|protein_coding|7/11||ENST00000269305.9:c.844C>T|ENSP00000269305.4:p.Arg282Ter|844|844|282|R/*|Cga/Tga|rs28934578||-1||HGNC|11998,T|stop_gained|HIGH|TP53|ENSG00000141510|Transcript|ENST00000420246|protein_coding|6/10||ENST00000420246.6:c.715C>T|ENSP00000391127.2:p.Arg239Ter|715|715|239|R/*|Cga/Tga|rs28934578||-1||HGNC|11998";
        let a = f.parse(value).expect("parse");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].gene_symbol.as_deref(), Some("TP53"));
        assert_eq!(a[0].hgvsp.as_deref(), Some("ENSP00000269305.4:p.Arg282Ter"));
        assert_eq!(a[0].strand, Some(-1));
        assert_eq!(a[1].transcript_id.as_deref(), Some("ENST00000420246"));
        assert_eq!(a[0].consequences, vec!["stop_gained"]);
    }

    #[test]
    fn bcsq_back_references_are_skipped_and_fields_mapped() {
        let f = AnnotationFormat::from_header("BCSQ", BCSQ).expect("format");
        // Expected strings from bcftools' test/csq.1.out.
        let a = f.parse("@121").expect("back reference only");
        assert!(a.is_empty());
        let a = f
            .parse("inframe_deletion|XYZ|ENST00000000001|protein_coding|+|5TY>5I|121ACG>A+124TA>T,splice_region|XYZ|ENST00000000001|protein_coding")
            .expect("parse");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].consequences, vec!["inframe_deletion"]);
        assert_eq!(a[0].hgvsp.as_deref(), Some("5TY>5I"));
        assert_eq!(a[0].strand, Some(1));
        assert_eq!(a[1].strand, None);
    }

    #[test]
    fn snpeff_layout_is_trimmed() {
        let f = AnnotationFormat::from_header("ANN", ANN).expect("format");
        assert_eq!(f.fields[0], "Allele");
        assert_eq!(f.fields[15], "ERRORS / WARNINGS / INFO");
        let a = f
            .parse("T|missense_variant&splice_region_variant|MODERATE|TP53|ENSG00000141510|transcript|ENST00000269305.9|protein_coding|8/11|c.818G>A|p.Arg273His|1008/2512|818/1182|273/393||")
            .expect("parse");
        assert_eq!(
            a[0].consequences,
            vec!["missense_variant", "splice_region_variant"]
        );
        assert_eq!(a[0].hgvsc.as_deref(), Some("c.818G>A"));
    }

    #[test]
    fn too_many_sub_fields_and_bad_strand_are_errors() {
        let f = AnnotationFormat::from_header("BCSQ", BCSQ).expect("format");
        assert!(matches!(
            f.parse("a|b|c|d|+|f|g|h"),
            Err(VendorError::FieldCount { found: 8, .. })
        ));
        assert!(matches!(
            f.parse("missense|G|T|protein_coding|x|1A>1B|1C>T"),
            Err(VendorError::Strand { .. })
        ));
    }

    #[test]
    fn percent_codes_and_vep_alleles() {
        assert_eq!(decode("a%3Bb%2Cc%ZZ"), "a;b,c%ZZ");
        assert_eq!(vep_allele("CG", &["C"], "C"), "-");
        assert_eq!(vep_allele("C", &["CA"], "CA"), "A");
        assert_eq!(vep_allele("C", &["T"], "T"), "T");
        assert_eq!(vep_allele("A", &["C", "G"], "G"), "G");
    }
}
