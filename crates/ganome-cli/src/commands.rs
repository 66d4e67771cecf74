//! One module per command family; `main.rs` only dispatches.

pub mod admin;
pub mod annotate;
pub mod demo;
pub mod findings;
pub mod hgvs;
pub mod indicators;
pub mod kb;
pub mod living;
pub mod report;
pub mod scenario;
pub mod secrets;
pub mod serve;
pub mod txdb;
