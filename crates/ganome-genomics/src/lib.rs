//! Variant files in, normalisation, transcript database, consequences and HGVS.
//!
//! This crate is pure: no database, no HTTP. It is the only crate that names noodles types.

// Reading variant files and biomarkers.
pub mod biomarker;
pub mod cnv;
pub mod fusion;
pub mod maf;
pub mod normalize;
pub mod results;
pub mod variant;
pub mod vcf;
pub mod vendor;
pub mod vrs;

// Transcript database, consequences, HGVS.
pub mod annotate;
pub mod bcsq;
pub mod codon;
pub mod consequence;
pub mod fasta;
pub mod gff;
pub mod hgvs;
pub mod transcript;
pub mod txdb;
