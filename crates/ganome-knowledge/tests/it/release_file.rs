//! Release files: immutable, content-hashed, load back identically.

use crate::shipped;
use ganome_knowledge::{KbError, KnowledgeRelease};

#[test]
fn save_load_round_trip_and_immutability() {
    let dir = std::env::temp_dir().join(format!("ganome-kb-release-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("kb/releases/test.json");
    let r = shipped().clone().named("test");
    r.save(&path).expect("save");
    let back = KnowledgeRelease::load(&path).expect("load");
    assert_eq!(back.content_hash, r.content_hash);
    assert_eq!(back.name.as_deref(), Some("test"));
    assert!(matches!(r.save(&path), Err(KbError::ReleaseExists(_))));

    // Tampering is detected.
    let text = std::fs::read_to_string(&path).expect("read");
    let tampered = text.replacen("\"osimertinib\"", "\"osimertinibX\"", 1);
    assert_ne!(text, tampered);
    std::fs::write(&path, tampered).expect("write");
    assert!(matches!(
        KnowledgeRelease::load(&path),
        Err(KbError::HashMismatch { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sources_are_recorded_with_versions() {
    let r = shipped();
    let civic = r
        .content
        .sources
        .iter()
        .find(|s| s.name == "CIViC evidence")
        .expect("civic");
    assert_eq!(civic.version, "2024-08-01");
    assert_eq!(civic.sha256.len(), 64);
    assert!(r.content.sources.iter().any(|s| s.name == "OncoTree"));
}
