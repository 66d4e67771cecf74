//! Secrets at rest on every backend. A clinician registers a patient (the facility's
//! pseudonymisation key is created) and turns on a second factor; raw SQL then finds no
//! secret in clear. Reopened with the same master key, the same record number finds the
//! same patient and codes are accepted; a wrong or missing key is refused with a clear
//! error and nothing is written; a ciphertext copied to another row is refused; a rotation
//! re-encrypts everything under a new key and the old key stops working. A second story
//! writes a database the old way (secrets in clear) and opens it with a key: the secrets
//! come out encrypted, the pseudonyms and codes are unchanged, and a second opening changes
//! nothing.

use std::sync::Arc;

use ganome_core::{Role, Sex, Timestamp};
use ganome_service::second_factor::{totp_code_at, totp_step};
use ganome_service::{Actor, Ganome, GanomeConfig, RegisterPatient, ServiceError};
use ganome_store::testing::{self, TestStore, test_key};
use ganome_store::{
    BlobStore, KeySource, MasterKey, SecondFactorStore, SqlStore, Store, StoreError,
};
use hmac::Mac;

use crate::support::{ganome, places, user};

const PASSWORD: &str = "a long demo password";
const MRN: &str = "MRN-SECRET-001";

fn at(base: Timestamp, seconds: i64) -> Timestamp {
    Timestamp::from_datetime(base.datetime() + time::Duration::seconds(seconds))
}

fn step_start() -> Timestamp {
    let start = totp_step(Timestamp::now()) * 30;
    Timestamp::from_datetime(time::OffsetDateTime::from_unix_timestamp(start).unwrap())
}

/// Every stored secret, raw: (table, row id, value), in a fixed order.
async fn raw(store: &SqlStore) -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    for (table, id, col) in [
        ("facility_secrets", "facility_id", "secret_hex"),
        ("user_second_factors", "user_id", "totp_secret"),
        ("secret_keys", "name", "check_value"),
    ] {
        let found: Vec<(String, String)> =
            sqlx::query_as(&format!("SELECT {id}, {col} FROM {table} ORDER BY {id}"))
                .fetch_all(store.pool())
                .await
                .unwrap();
        rows.extend(found.into_iter().map(|(i, v)| (table.to_owned(), i, v)));
    }
    rows
}

async fn reopen(t: &TestStore, key: KeySource) -> Result<SqlStore, StoreError> {
    let store = SqlStore::connect(&t.url).await?;
    store.migrate().await?;
    store.unlock(key).await?;
    Ok(store)
}

fn services(store: &SqlStore, dir: &std::path::Path) -> Ganome {
    Ganome::new(
        Arc::new(store.clone()) as Arc<dyn Store>,
        BlobStore::local(dir).unwrap(),
        GanomeConfig::default(),
    )
}

async fn pseudonym_of(g: &Ganome, actor: &Actor) -> String {
    g.find_patient_by_record_number(actor, MRN)
        .await
        .unwrap()
        .pseudonym
}

async fn set_raw(store: &SqlStore, table: &str, id_col: &str, col: &str, id: &str, value: &str) {
    sqlx::query(&format!(
        "UPDATE {table} SET {col} = $1 WHERE {id_col} = $2"
    ))
    .bind(value.to_owned())
    .bind(id.to_owned())
    .execute(store.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn secrets_story_on_every_backend() {
    for t in testing::all_backends().await {
        secrets_story(&t).await;
        legacy_story(&t).await;
        eprintln!("secrets story passed on {}", t.name);
    }
}

async fn secrets_story(t: &TestStore) {
    let dir = tempfile::tempdir().unwrap();
    let g = ganome(t, dir.path());
    let p = places(&g).await;
    let clinician = user(&g, "sec.clinician", Role::Clinician, &p.coop).await;
    let other = user(&g, "sec.other", Role::Clinician, &p.hub).await;
    let patient = g
        .register_patient(
            &clinician,
            RegisterPatient {
                record_number: MRN.into(),
                sex: Sex::Female,
                birth_year: 1960,
                birth_month: 7,
            },
            None,
        )
        .await
        .unwrap();
    let t0 = step_start();
    let enrolment = g
        .enrol_second_factor_at(&clinician, at(t0, 1))
        .await
        .unwrap();
    let code = totp_code_at(&enrolment.secret, at(t0, 2)).unwrap();
    g.confirm_second_factor_at(&clinician, &code, at(t0, 2))
        .await
        .unwrap();
    let other_enrolment = g.enrol_second_factor_at(&other, at(t0, 3)).await.unwrap();
    let coop_secret = hex::encode(g.store().facility_secret(&p.coop).await.unwrap());
    let hub_secret = hex::encode(g.store().facility_secret(&p.hub).await.unwrap());

    // Raw SQL shows no secret in clear: every value is a `v1:` ciphertext.
    let before = raw(&t.store).await;
    assert_eq!(before.len(), 5, "{before:?}");
    for (table, id, value) in &before {
        assert!(value.starts_with("v1:"), "{table} {id} is in clear");
        for secret in [
            &coop_secret,
            &hub_secret,
            &enrolment.secret,
            &other_enrolment.secret,
        ] {
            assert!(!value.contains(secret.as_str()), "{table} {id}");
        }
    }

    // Restart with the same key: same pseudonym for the same record number, codes accepted.
    let s2 = reopen(t, test_key(&t.key)).await.unwrap();
    let g2 = services(&s2, dir.path());
    assert_eq!(pseudonym_of(&g2, &clinician).await, patient.pseudonym);
    let code = totp_code_at(&enrolment.secret, at(t0, 31)).unwrap();
    g2.login_with_code_at("sec.clinician", PASSWORD, Some(&code), at(t0, 31))
        .await
        .unwrap();
    assert_eq!(raw(&s2).await.len(), before.len());
    let before = raw(&s2).await;

    // A wrong key is refused, saying what to do, and nothing is overwritten.
    let wrong = reopen(t, test_key(&MasterKey::generate()))
        .await
        .unwrap_err();
    let message = wrong.to_string();
    assert!(matches!(wrong, StoreError::MasterKey(_)), "{wrong:?}");
    assert!(
        message.contains("does not open") && message.contains("GANOME_MASTER_KEY"),
        "{message}"
    );
    // No key at all, or a key file that is gone: refused, and no new key file appears.
    let missing = reopen(t, KeySource::Missing).await.unwrap_err().to_string();
    assert!(missing.contains("set GANOME_MASTER_KEY"), "{missing}");
    let gone = dir.path().join("gone").join("master.key");
    let missing = reopen(t, KeySource::File(gone.clone()))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        missing.contains("is missing") && missing.contains("Restore"),
        "{missing}"
    );
    assert!(!gone.exists());
    assert_eq!(raw(&s2).await, before, "a refused key changed nothing");

    // A ciphertext copied to another row is refused (facility key and TOTP secret).
    let coop_value = before
        .iter()
        .find(|(table, id, _)| table == "facility_secrets" && id == &p.coop)
        .unwrap()
        .2
        .clone();
    let hub_value = before
        .iter()
        .find(|(table, id, _)| table == "facility_secrets" && id == &p.hub)
        .unwrap()
        .2
        .clone();
    set_raw(
        &s2,
        "facility_secrets",
        "facility_id",
        "secret_hex",
        &p.hub,
        &coop_value,
    )
    .await;
    let refused = s2.facility_secret(&p.hub).await.unwrap_err();
    assert!(
        matches!(
            refused,
            StoreError::Corrupt {
                table: "facility_secrets",
                ..
            }
        ),
        "{refused:?}"
    );
    let r = g2.find_patient_by_record_number(&other, MRN).await;
    assert!(matches!(r, Err(ServiceError::Store(_))), "{r:?}");
    set_raw(
        &s2,
        "facility_secrets",
        "facility_id",
        "secret_hex",
        &p.hub,
        &hub_value,
    )
    .await;
    let (clin_id, other_id) = (clinician.user_id.clone(), other.user_id.clone());
    let value_of = |id: &str| {
        before
            .iter()
            .find(|(table, i, _)| table == "user_second_factors" && i == id)
            .unwrap()
            .2
            .clone()
    };
    set_raw(
        &s2,
        "user_second_factors",
        "user_id",
        "totp_secret",
        &other_id,
        &value_of(&clin_id),
    )
    .await;
    assert!(matches!(
        s2.get_second_factor(&other_id).await,
        Err(StoreError::Corrupt { .. })
    ));
    set_raw(
        &s2,
        "user_second_factors",
        "user_id",
        "totp_secret",
        &other_id,
        &value_of(&other_id),
    )
    .await;
    assert_eq!(raw(&s2).await, before);

    // Rotation: everything re-encrypted under the new key in one go; pseudonyms and codes
    // keep working; the old key no longer opens the database.
    let new_key = MasterKey::generate();
    let report = s2.rotate_master_key(&new_key, "the new key").await.unwrap();
    assert_eq!((report.facility_secrets, report.second_factors), (2, 2));
    let after = raw(&s2).await;
    assert_eq!(after.len(), before.len());
    for (old, new) in before.iter().zip(&after) {
        assert_eq!((&old.0, &old.1), (&new.0, &new.1));
        assert_ne!(old.2, new.2, "{} {} re-encrypted", old.0, old.1);
        assert!(new.2.starts_with("v1:"));
    }
    assert_eq!(pseudonym_of(&g2, &clinician).await, patient.pseudonym);
    let old_key = reopen(t, test_key(&t.key)).await.unwrap_err().to_string();
    assert!(old_key.contains("does not open"), "{old_key}");
    let s3 = reopen(t, test_key(&new_key)).await.unwrap();
    let g3 = services(&s3, dir.path());
    assert_eq!(pseudonym_of(&g3, &clinician).await, patient.pseudonym);
    let code = totp_code_at(&enrolment.secret, at(t0, 61)).unwrap();
    g3.login_with_code_at("sec.clinician", PASSWORD, Some(&code), at(t0, 61))
        .await
        .unwrap();
    let code = totp_code_at(&other_enrolment.secret, at(t0, 61)).unwrap();
    g3.confirm_second_factor_at(&other, &code, at(t0, 61))
        .await
        .unwrap();
    assert_eq!(raw(&s3).await.len(), before.len());
    s2.pool().close().await;
    s3.pool().close().await;
}

/// A database written before encryption: secrets in clear and no key check value.
async fn legacy_story(t: &TestStore) {
    let dir = tempfile::tempdir().unwrap();
    let old = reopen(t, KeySource::Missing).await;
    assert!(old.is_err(), "the first story left encrypted secrets");
    // Write the old way on a fresh facility and user of this store.
    let store = SqlStore::connect(&t.url).await.unwrap();
    store.migrate().await.unwrap();
    for q in [
        "DELETE FROM user_second_factors",
        "DELETE FROM facility_secrets",
        "DELETE FROM secret_keys",
    ] {
        sqlx::query(q).execute(store.pool()).await.unwrap();
    }
    let facility: (String,) = sqlx::query_as(
        "SELECT id FROM facilities WHERE kind = 'cooperative_hospital' ORDER BY id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    let facility = facility.0;
    let plain_key = hex::encode([7u8; 32]);
    sqlx::query("INSERT INTO facility_secrets (facility_id, secret_hex) VALUES ($1, $2)")
        .bind(facility.clone())
        .bind(plain_key.clone())
        .execute(store.pool())
        .await
        .unwrap();
    let g = services(&store, dir.path());
    // Users are not secrets: creating one needs no key.
    g.create_user_as_operator(ganome_service::CreateUser {
        username: "legacy.user".into(),
        display_name: "legacy".into(),
        password: Some(PASSWORD.into()),
        role: Role::Clinician,
        facility_id: facility.clone(),
    })
    .await
    .unwrap();
    let user_id = store
        .get_user_by_username("legacy.user")
        .await
        .unwrap()
        .unwrap()
        .0
        .id;
    let totp = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    sqlx::query(
        "INSERT INTO user_second_factors (user_id, totp_secret, confirmed, created_at) \
         VALUES ($1, $2, 1, $3)",
    )
    .bind(user_id.clone())
    .bind(totp)
    .bind(Timestamp::now().to_string())
    .execute(store.pool())
    .await
    .unwrap();
    // Without a key the services cannot use the secrets (and write none in clear).
    assert!(matches!(
        store.facility_secret(&facility).await,
        Err(StoreError::MasterKey(_))
    ));

    // The first opening with a key encrypts them in place.
    let key = MasterKey::generate();
    let s = reopen(t, test_key(&key)).await.unwrap();
    let sealed = raw(&s).await;
    assert_eq!(sealed.len(), 3, "{sealed:?}");
    for (table, id, value) in &sealed {
        assert!(value.starts_with("v1:"), "{table} {id}");
        assert!(!value.contains(&plain_key) && !value.contains(totp));
    }
    // Pseudonyms are unchanged: the key is the one written in clear.
    assert_eq!(
        hex::encode(s.facility_secret(&facility).await.unwrap()),
        plain_key
    );
    let g = services(&s, dir.path());
    let token = g.create_api_token("legacy.user", "test").await.unwrap();
    let actor = g.authenticate_token(&token).await.unwrap();
    let patient = g
        .register_patient(
            &actor,
            RegisterPatient {
                record_number: "MRN-LEGACY".into(),
                sex: Sex::Male,
                birth_year: 1950,
                birth_month: 1,
            },
            None,
        )
        .await
        .unwrap();
    let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&[7u8; 32]).unwrap();
    mac.update(b"MRN-LEGACY");
    assert_eq!(patient.pseudonym, hex::encode(mac.finalize().into_bytes()));
    // The TOTP secret still gives accepted codes.
    let now = step_start();
    let code = totp_code_at(totp, at(now, 1)).unwrap();
    g.login_with_code_at("legacy.user", PASSWORD, Some(&code), at(now, 1))
        .await
        .unwrap();
    // Idempotent: opening again changes nothing.
    let again = reopen(t, test_key(&key)).await.unwrap();
    assert_eq!(raw(&again).await, raw(&s).await);
}
