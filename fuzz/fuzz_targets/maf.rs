//! Fuzz the MAF reader (GDC/TCGA and cBioPortal minimal columns). Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = ganome_genomics::maf::parse_maf_str(&text);
});
