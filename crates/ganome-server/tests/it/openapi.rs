/// The published API contract: any change to it shows up as a snapshot diff to review.
#[test]
fn openapi_document_is_stable() {
    let doc: serde_json::Value = serde_json::from_str(&ganome_server::openapi_json()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", doc, {".info.version" => "[version]"});
}
