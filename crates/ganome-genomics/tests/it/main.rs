//! Integration tests for ganome-genomics (one binary, modules per area).

mod bcftools_csq;
mod cancer_genes;
mod hgvs;
mod readers;
