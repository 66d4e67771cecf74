//! One module per command family; `main.rs` only dispatches.

pub mod annotate;
pub mod hgvs;
pub mod kb;
pub mod txdb;
