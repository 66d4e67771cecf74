//! Fuzz the small tabular readers: copy number (per-gene, allele-specific, SEG), fusion lists and
//! TMB/MSI values. Must never panic.
#![no_main]

use ganome_genomics::{biomarker, cnv, fusion};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = cnv::parse_copy_number_str(&text, &cnv::CnThresholds::default());
    let _ = fusion::parse_fusions_str(&text);
    let _ = biomarker::parse_biomarkers_str(&text);
});
