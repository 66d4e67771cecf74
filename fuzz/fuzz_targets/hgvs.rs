//! Fuzz the HGVS parser (crates/ganome-genomics/src/hgvs.rs). Must never panic, and anything it
//! accepts must format and re-parse to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(v) = ganome_genomics::hgvs::parse(&text) {
        let again = ganome_genomics::hgvs::parse(&v.to_string());
        assert_eq!(
            again.as_ref().ok(),
            Some(&v),
            "round trip of {text:?} via {v}"
        );
    }
});
