//! Integration tests for ganome-genomics (one binary, modules per area).

mod hgvs;
mod readers;
mod bcftools_csq;
mod cancer_genes;
