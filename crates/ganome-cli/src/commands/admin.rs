//! Operator commands: `migrate`, `user add`, `user reset-second-factor`, `token create`,
//! `audit verify`.

use anyhow::{Context, bail};
use ganome_core::Role;
use ganome_service::CreateUser;

use crate::config::StoreArgs;

/// Arguments of `ganome migrate`.
#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub store: StoreArgs,
}

/// Applies database migrations (opening the store migrates).
pub async fn migrate(args: MigrateArgs) -> anyhow::Result<()> {
    args.store.open().await?;
    println!("The database is up to date.");
    Ok(())
}

/// `ganome user …`.
#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

/// User subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Adds a user. The password is read from GANOME_PASSWORD, or generated and printed.
    Add {
        #[command(flatten)]
        store: StoreArgs,
        /// Login name.
        #[arg(long)]
        username: String,
        /// Role: clinician, panel_member, panel_chair, lab, curator, reviewer, researcher,
        /// administrator, auditor.
        #[arg(long)]
        role: Role,
        /// Facility code (see `GET /api/v1/facilities`).
        #[arg(long)]
        facility: String,
        /// Name shown in the UI (default: the login name).
        #[arg(long)]
        display_name: Option<String>,
        /// Create a token-only account (machine clients such as labs).
        #[arg(long)]
        no_password: bool,
    },
    /// Removes a user's second factor (authenticator app), enabled or pending, so that they
    /// log in with the password alone and can enrol again (a lost phone). Audited.
    ResetSecondFactor {
        #[command(flatten)]
        store: StoreArgs,
        /// Login name.
        #[arg(long)]
        user: String,
    },
}

/// Runs `ganome user …`.
pub async fn user(args: UserArgs) -> anyhow::Result<()> {
    match args.command {
        UserCommand::Add {
            store,
            username,
            role,
            facility,
            display_name,
            no_password,
        } => {
            let ganome = store.open().await?;
            let (password, generated) = if no_password {
                (None, false)
            } else {
                match std::env::var("GANOME_PASSWORD") {
                    Ok(p) => (Some(p), false),
                    Err(_) => (Some(crate::commands::demo::random_password()), true),
                }
            };
            let user = ganome
                .create_user_as_operator(CreateUser {
                    display_name: display_name.unwrap_or_else(|| username.clone()),
                    username,
                    password: password.clone(),
                    role,
                    facility_id: facility,
                })
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "Created {} ({}, {}).",
                user.username, user.role, user.facility_id
            );
            if let (true, Some(p)) = (generated, password) {
                println!("Password (shown once): {p}");
            }
            Ok(())
        }
        UserCommand::ResetSecondFactor { store, user } => {
            let ganome = store.open().await?;
            let removed = ganome
                .reset_second_factor_as_operator(&user)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if removed {
                println!(
                    "Removed the second factor of {user}; they log in with the password alone."
                );
            } else {
                println!("{user} had no second factor; nothing changed.");
            }
            Ok(())
        }
    }
}

/// `ganome token …`.
#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub command: TokenCommand,
}

/// Token subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Creates an API token for a user and prints it (only its hash is stored).
    Create {
        #[command(flatten)]
        store: StoreArgs,
        /// The user's login name.
        #[arg(long)]
        user: String,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

/// Runs `ganome token …`.
pub async fn token(args: TokenArgs) -> anyhow::Result<()> {
    match args.command {
        TokenCommand::Create { store, user, label } => {
            let ganome = store.open().await?;
            let token = ganome
                .create_api_token(&user, &label)
                .await
                .map_err(|e| anyhow::anyhow!("{e}; list users with GET /api/v1/users"))?;
            println!("{token}");
            Ok(())
        }
    }
}

/// `ganome audit …`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

/// Audit subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Checks the hash chain of the audit log and names the first broken link.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Runs `ganome audit …`; exits non-zero when the chain is broken.
pub async fn audit(args: AuditArgs) -> anyhow::Result<()> {
    match args.command {
        AuditCommand::Verify { store } => {
            let ganome = store.open().await?;
            let report = ganome
                .verify_audit()
                .await
                .context("cannot read the audit log")?;
            match report.broken {
                None => {
                    println!("Audit chain intact: {} rows verified.", report.rows);
                    Ok(())
                }
                Some(b) => bail!(
                    "audit chain broken at row {}: {} ({} rows read). Restore the audit log from a backup and investigate who changed it.",
                    b.seq,
                    b.reason,
                    report.rows
                ),
            }
        }
    }
}
