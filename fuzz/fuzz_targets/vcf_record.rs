//! Fuzz the VCF reader: header handling, record splitting (noodles) and the hand-written INFO,
//! FORMAT, allele-fraction and vendor-annotation parsing. Must return `Ok` or `Err`, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = ganome_genomics::vcf::parse_vcf_str(&text);
});
