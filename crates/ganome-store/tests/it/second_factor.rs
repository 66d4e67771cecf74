//! Second factors and failed logins on every backend: a pending secret is replaced while
//! pending and refused once confirmed; a step is accepted once and never an earlier one;
//! failures are counted in a window and locks end when they say.

use ganome_core::{FacilityKind, Role, Timestamp};
use ganome_store::{NewFacility, NewUser, SecondFactorStore, Store, testing};

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

#[tokio::test]
async fn second_factor_store_on_every_backend() {
    for t in testing::all_backends().await {
        story(&t.store).await;
        eprintln!("store second-factor story passed on {}", t.name);
    }
}

async fn story(s: &ganome_store::SqlStore) {
    s.upsert_facility(&NewFacility {
        id: "DC".into(),
        kind: FacilityKind::DataCenter,
        name_ja: "データセンター".into(),
        name_en: None,
        prefecture_code: "13".into(),
        may_host_panel: false,
    })
    .await
    .unwrap();
    s.insert_user(&NewUser {
        id: "u1".into(),
        username: "tfa".into(),
        display_name: "tfa".into(),
        password_hash: None,
        role: Role::Administrator,
        facility_id: "DC".into(),
        created_at: ts("2026-12-06T00:00:00Z"),
    })
    .await
    .unwrap();

    assert!(s.get_second_factor("u1").await.unwrap().is_none());
    s.begin_second_factor("u1", "AAAA", ts("2026-12-06T00:00:01Z"))
        .await
        .unwrap();
    s.begin_second_factor("u1", "BBBB", ts("2026-12-06T00:00:02Z"))
        .await
        .unwrap();
    let f = s.get_second_factor("u1").await.unwrap().unwrap();
    assert_eq!(
        (f.secret.as_str(), f.confirmed, f.last_step),
        ("BBBB", false, None)
    );
    assert!(!format!("{f:?}").contains("BBBB"), "secret redacted");
    // The replaced secret's step is not accepted; the current one's is, once.
    let at = ts("2026-12-06T00:00:03Z");
    assert!(
        !s.accept_second_factor_step("u1", "AAAA", 10, at)
            .await
            .unwrap()
    );
    assert!(
        s.accept_second_factor_step("u1", "BBBB", 10, at)
            .await
            .unwrap()
    );
    assert!(
        !s.accept_second_factor_step("u1", "BBBB", 10, at)
            .await
            .unwrap()
    );
    assert!(
        !s.accept_second_factor_step("u1", "BBBB", 9, at)
            .await
            .unwrap()
    );
    let f = s.get_second_factor("u1").await.unwrap().unwrap();
    assert_eq!(
        (f.confirmed, f.last_step, f.enabled_at),
        (true, Some(10), Some(at))
    );
    // Confirmed: no new enrolment; a later step keeps the first enabled_at.
    assert!(s.begin_second_factor("u1", "CCCC", at).await.is_err());
    assert!(
        s.accept_second_factor_step("u1", "BBBB", 11, ts("2026-12-06T00:01:00Z"))
            .await
            .unwrap()
    );
    let f = s.get_second_factor("u1").await.unwrap().unwrap();
    assert_eq!((f.last_step, f.enabled_at), (Some(11), Some(at)));
    assert!(s.delete_second_factor("u1").await.unwrap());
    assert!(!s.delete_second_factor("u1").await.unwrap());
    assert!(s.get_second_factor("u1").await.unwrap().is_none());

    // Failures within the window count; older ones are forgotten.
    let w0 = ts("2026-12-06T00:00:00Z");
    assert_eq!(
        s.record_login_failure("tfa", ts("2026-12-06T00:01:00Z"), w0)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        s.record_login_failure("tfa", ts("2026-12-06T00:02:00Z"), w0)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        s.record_login_failure(
            "tfa",
            ts("2026-12-06T00:20:00Z"),
            ts("2026-12-06T00:05:00Z")
        )
        .await
        .unwrap(),
        1
    );
    assert_eq!(
        s.record_login_failure("other", ts("2026-12-06T00:20:00Z"), w0)
            .await
            .unwrap(),
        1
    );
    s.clear_login_failures("tfa").await.unwrap();
    assert_eq!(
        s.record_login_failure("tfa", ts("2026-12-06T00:21:00Z"), w0)
            .await
            .unwrap(),
        1
    );
    // A lock holds until its end, exclusive.
    let until = ts("2026-12-06T00:36:00Z");
    s.lock_login("tfa", ts("2026-12-06T00:21:00Z"), until)
        .await
        .unwrap();
    assert_eq!(
        s.login_locked_until("tfa", ts("2026-12-06T00:35:59Z"))
            .await
            .unwrap(),
        Some(until)
    );
    assert_eq!(s.login_locked_until("tfa", until).await.unwrap(), None);
    assert_eq!(
        s.login_locked_until("other", ts("2026-12-06T00:22:00Z"))
            .await
            .unwrap(),
        None
    );
}
