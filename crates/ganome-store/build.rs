//! `sqlx::migrate!` embeds the migrations at compile time; rebuild when they change (as the
//! sqlx documentation advises), so a binary never carries a stale copy.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
