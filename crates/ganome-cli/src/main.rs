//! The `ganome` command.
fn main() {}
