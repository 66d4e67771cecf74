//! `ganome secrets`: the master key that encrypts the database's secrets (facility
//! pseudonymisation keys, TOTP secrets); see docs/security.md.

use std::path::PathBuf;

use anyhow::{Context, bail};
use ganome_store::{KeySource, MasterKey, SqlStore, Store};

use crate::config::StoreArgs;

/// The variable that may hold the new key for `ganome secrets rotate`.
pub const NEW_MASTER_KEY_ENV: &str = "GANOME_NEW_MASTER_KEY";

/// `ganome secrets …`.
#[derive(Debug, clap::Args)]
pub struct SecretsArgs {
    #[command(subcommand)]
    pub command: SecretsCommand,
}

/// Secrets subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum SecretsCommand {
    /// Re-encrypts every secret under a new master key, in one transaction. The current key
    /// comes from GANOME_MASTER_KEY or DATA_DIR/master.key as usual; the key file is then
    /// replaced by the new key (with GANOME_MASTER_KEY, set it to the new key afterwards).
    Rotate {
        #[command(flatten)]
        store: StoreArgs,
        /// File holding the new key (32 bytes as base64 or 64 hex digits; see
        /// `ganome secrets generate-key`). Default: the key in GANOME_NEW_MASTER_KEY.
        #[arg(long)]
        new_key_file: Option<PathBuf>,
    },
    /// Writes a new random master key (base64) to a new file readable only by its owner.
    GenerateKey {
        /// The file to create.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Runs a secrets subcommand.
pub async fn run(args: SecretsArgs) -> anyhow::Result<()> {
    match args.command {
        SecretsCommand::GenerateKey { out } => {
            MasterKey::generate().write_new_file(&out)?;
            println!(
                "Wrote a new master key to {} (mode 0600). Keep a copy apart from the database's backups.",
                out.display()
            );
            Ok(())
        }
        SecretsCommand::Rotate {
            store,
            new_key_file,
        } => {
            let (new_key, new_origin) = match new_key_file {
                Some(path) => (MasterKey::read_file(&path)?, path.display().to_string()),
                None => match std::env::var(NEW_MASTER_KEY_ENV) {
                    Ok(text) => (
                        MasterKey::parse(&text)
                            .map_err(|e| anyhow::anyhow!("{NEW_MASTER_KEY_ENV}: {e}"))?,
                        NEW_MASTER_KEY_ENV.to_owned(),
                    ),
                    Err(_) => bail!(
                        "give the new key with --new-key-file FILE or {NEW_MASTER_KEY_ENV} \
                         (`ganome secrets generate-key --out FILE` writes one)"
                    ),
                },
            };
            let report = rotate(&store, &new_key, &new_origin).await?;
            println!(
                "Re-encrypted {} facility pseudonymisation keys and {} second-factor secrets under the new key from {new_origin}.",
                report.0.facility_secrets, report.0.second_factors
            );
            match report.1 {
                KeySource::File(path) => println!(
                    "{} now holds the new key. Back it up apart from the database; database backups made before now need the old key.",
                    path.display()
                ),
                _ => println!(
                    "Set GANOME_MASTER_KEY to the new key before starting Ganome again. Database backups made before now need the old key."
                ),
            }
            Ok(())
        }
    }
}

/// Rotates the store's master key to `new_key`, replacing the key file when the current key
/// came from one. Returns what was re-encrypted and where the current key came from.
pub async fn rotate(
    store: &StoreArgs,
    new_key: &MasterKey,
    new_origin: &str,
) -> anyhow::Result<(ganome_store::RotationReport, KeySource)> {
    let url = store.database_url()?;
    let source = store.key_source(&url)?;
    if let KeySource::File(path) = &source
        && !path.exists()
    {
        bail!(
            "there is no current key file {}: nothing to rotate",
            path.display()
        );
    }
    let sql = SqlStore::connect(&url)
        .await
        .context("cannot open the database")?;
    sql.migrate().await?;
    sql.unlock(source.clone()).await?;
    let report = sql.rotate_master_key(new_key, new_origin).await?;
    sql.append_audit(&ganome_store::AuditEntry {
        at: ganome_core::Timestamp::now(),
        user_id: None,
        username: None,
        role: None,
        facility_id: None,
        action: "secrets.rotate".to_owned(),
        entity_type: "master_key".to_owned(),
        entity_id: None,
        outcome: "ok".to_owned(),
        detail: Some(format!(
            "by an operator: {} facility keys and {} second-factor secrets re-encrypted",
            report.facility_secrets, report.second_factors
        )),
    })
    .await?;
    if let KeySource::File(path) = &source {
        new_key.replace_file(path).with_context(|| {
            format!(
                "the database is now encrypted under the key from {new_origin}, but {} could not be replaced: copy that key there by hand",
                path.display()
            )
        })?;
    }
    Ok((report, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn rotation_replaces_the_key_file_and_keeps_pseudonym_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = StoreArgs {
            data_dir: dir.path().to_path_buf(),
            config: None,
            database_url: None,
            object_store_url: None,
        };
        let ganome = store.open().await.unwrap();
        let key_file = dir.path().join("master.key");
        let old = MasterKey::read_file(&key_file).unwrap();
        ganome
            .store()
            .upsert_facility(&ganome_store::NewFacility {
                id: "K001".into(),
                kind: ganome_core::FacilityKind::CoreHospital,
                name_ja: "中核病院".into(),
                name_en: None,
                prefecture_code: "13".into(),
                may_host_panel: true,
            })
            .await
            .unwrap();
        let secret = ganome.store().facility_secret("K001").await.unwrap();
        drop(ganome);
        let new = MasterKey::generate();
        let (report, source) = rotate(&store, &new, "test").await.unwrap();
        assert!(matches!(source, KeySource::File(_)));
        assert_eq!(report.facility_secrets, 1);
        assert_eq!(MasterKey::read_file(&key_file).unwrap(), new);
        assert_ne!(old, new);
        // Reopening with the replaced key file works and the pseudonymisation key is kept.
        let ganome = store.open().await.unwrap();
        assert_eq!(
            ganome.store().facility_secret("K001").await.unwrap(),
            secret
        );
    }
}
