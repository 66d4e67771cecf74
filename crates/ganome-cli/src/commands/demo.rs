//! `ganome demo`: the embedded store with the seed's national network, one demo user per
//! role, and the server on 127.0.0.1.

use std::path::Path;

use anyhow::Context;
use ganome_core::Role;
use ganome_service::{CreateUser, Ganome, ServiceError};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::commands::serve::serve;
use crate::config::StoreArgs;

/// Arguments of `ganome demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Port to listen on (bound to 127.0.0.1).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Load the demo and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
    /// Also generate a scenario's records (`survey-2019`: the MHLW survey of June–October 2019).
    #[arg(long)]
    pub scenario: Option<String>,
    /// Seed of the scenario generator.
    #[arg(long, default_value_t = ganome_service::scenario::DEFAULT_SEED)]
    pub seed: u64,
    /// Generate this many tests instead of the scenario's own (same months and shape, all hospitals).
    #[arg(long, requires = "scenario")]
    pub cases: Option<u32>,
}

/// A demo account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemoUser {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
    /// Role.
    pub role: Role,
    /// Facility code.
    pub facility: String,
}

/// A password of 20 random letters and digits.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The demo's research organisation (academia), where the demo researcher works.
const DEMO_UNIVERSITY: &str = "RA001";

/// Who the demo users are: one per role, placed so that the whole loop can be walked: a
/// clinician at a cooperative hospital, the panel of the hub or core hospital it is linked
/// to, a lab, data-center staff, and a clinician elsewhere to show what is out of scope.
async fn demo_roster(ganome: &Ganome) -> anyhow::Result<Vec<(String, Role, String)>> {
    let facilities = ganome.store().list_facilities().await?;
    use ganome_core::FacilityKind::*;
    let first = |kind| {
        facilities
            .iter()
            .find(|f| f.kind == kind)
            .map(|f| f.id.clone())
    };
    let coop = facilities
        .iter()
        .find(|f| f.kind == CooperativeHospital && !f.links.is_empty())
        .context("the network has no linked cooperative hospital")?;
    let panel = coop
        .links
        .last()
        .map(|l| l.parent_id.clone())
        .context("no link")?;
    let elsewhere = facilities
        .iter()
        .find(|f| f.kind == HubHospital && f.id != panel)
        .map(|f| f.id.clone())
        .context("no second hub hospital")?;
    let data_center = first(DataCenter).context("the network has no data center")?;
    let lab = first(Lab).context("the network has no lab")?;
    // Researchers belong to a research organisation; the demo adds one university.
    ganome
        .store()
        .upsert_facility(&ganome_store::NewFacility {
            id: DEMO_UNIVERSITY.into(),
            kind: ResearchAcademia,
            name_ja: "デモ大学 医学系研究科".into(),
            name_en: Some("Demo University Graduate School of Medicine".into()),
            prefecture_code: "13".into(),
            may_host_panel: false,
        })
        .await?;
    Ok(vec![
        ("clinician".into(), Role::Clinician, coop.id.clone()),
        ("panel.member".into(), Role::PanelMember, panel.clone()),
        ("panel.chair".into(), Role::PanelChair, panel),
        ("lab".into(), Role::Lab, lab),
        ("curator".into(), Role::Curator, data_center.clone()),
        ("reviewer".into(), Role::Reviewer, data_center.clone()),
        (
            "researcher".into(),
            Role::Researcher,
            DEMO_UNIVERSITY.to_owned(),
        ),
        ("admin".into(), Role::Administrator, data_center.clone()),
        ("auditor".into(), Role::Auditor, data_center),
        ("clinician.elsewhere".into(), Role::Clinician, elsewhere),
    ])
}

/// Creates the demo users that do not exist yet; credentials are kept in
/// `DATA_DIR/demo-credentials.json` (readable by the owner only) and printed at start.
pub async fn ensure_demo_users(ganome: &Ganome, data_dir: &Path) -> anyhow::Result<Vec<DemoUser>> {
    let path = data_dir.join("demo-credentials.json");
    let mut users: Vec<DemoUser> = match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is damaged; delete it and the data folder to start over",
                path.display()
            )
        })?,
        Err(_) => Vec::new(),
    };
    for (username, role, facility) in demo_roster(ganome).await? {
        if users.iter().any(|u| u.username == username) {
            continue;
        }
        let password = random_password();
        let created = ganome
            .create_user_as_operator(CreateUser {
                username: username.clone(),
                display_name: format!("Demo {username}"),
                password: Some(password.clone()),
                role,
                facility_id: facility.clone(),
            })
            .await;
        match created {
            Ok(_) => users.push(DemoUser {
                username,
                password,
                role,
                facility,
            }),
            Err(ServiceError::Conflict(_)) => {
                anyhow::bail!(
                    "demo user '{username}' exists but its password is not in {}; use a fresh --data-dir",
                    path.display()
                )
            }
            Err(e) => return Err(anyhow::anyhow!("{e}")),
        }
    }
    write_private(&path, &serde_json::to_string_pretty(&users)?)?;
    Ok(users)
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// Runs `ganome demo`.
pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let ganome = args.store.open().await?;
    let counts = ganome
        .load_shipped_network()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "National network: {} core, {} hub, {} cooperative hospitals, {} labs, {} data center.",
        counts.core, counts.hub, counts.cooperative, counts.labs, counts.data_centers
    );
    println!(
        "{}",
        crate::commands::findings::ensure_engine(&ganome).await?
    );
    let users = ensure_demo_users(&ganome, &args.store.data_dir).await?;
    println!(
        "Demo users (also in {}):",
        args.store.data_dir.join("demo-credentials.json").display()
    );
    for u in &users {
        println!(
            "  {:<20} {:<14} {:<6} password: {}",
            u.username, u.role, u.facility, u.password
        );
    }
    if let Some(name) = &args.scenario {
        // A scenario is the whole record set (the indicators' test bed): no living network.
        crate::commands::scenario::load(&ganome, name, args.seed, args.cases).await?;
    } else {
        let made = crate::commands::living::load(&ganome, "clinician").await?;
        if made > 0 {
            println!(
                "Living network: {made} cases across the network, walked from registration to follow-up."
            );
            let admin = ganome.operator_acting_as("admin").await?;
            let open = ganome_service::AlertListQuery {
                unacknowledged: Some(true),
                ..Default::default()
            };
            let alerts = ganome
                .list_alerts(&admin, &open)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "Re-interpretation: the walk ran on the shipped knowledge without osimertinib's first-line approvals; publishing the shipped release raised {} alerts (Alerts page for clinician and panel.chair).",
                alerts.len()
            );
        }
    }
    if args.scenario.is_none() {
        println!("{}", demo_research(&ganome).await?);
    }
    println!(
        "API token for scripts: ganome token create --data-dir {} --user admin",
        args.store.data_dir.display()
    );
    if args.no_serve {
        return Ok(());
    }
    serve(ganome, std::net::IpAddr::from([127, 0, 0, 1]), args.port).await
}

/// One approved secondary-use application over the living network's lung adenocarcinoma
/// cases, unless the demo researcher has one already. The living network's cases were
/// registered days ago, inside the default 180-day embargo, so the board sets a zero embargo
/// and says why (shown on the application page); consent still filters the release.
async fn demo_research(ganome: &Ganome) -> anyhow::Result<String> {
    let (Ok(researcher), Ok(reviewer)) = (
        ganome.operator_acting_as("researcher").await,
        ganome.operator_acting_as("reviewer").await,
    ) else {
        return Ok("Secondary use: no demo researcher or reviewer.".into());
    };
    if !ganome_service::access::may_apply_for_research(&researcher) {
        return Ok(format!(
            "Secondary use: the demo researcher works at {}, not a research organisation (a data folder from before secondary use); use a fresh --data-dir for the research demo.",
            researcher.facility_id
        ));
    }
    let err = |e: ServiceError| anyhow::anyhow!("{e}");
    if !ganome
        .list_research_applications(&researcher)
        .await
        .map_err(err)?
        .is_empty()
    {
        return Ok("Secondary use: the demo application exists (Secondary use page for researcher and reviewer).".into());
    }
    let application = ganome
        .submit_research_application(
            &researcher,
            ganome_service::SubmitApplication {
                title: "肺腺癌におけるドライバー遺伝子異常と治療到達性（デモ）".into(),
                purpose: "がん遺伝子パネル検査を受けた肺腺癌症例で、報告された遺伝子異常と推奨治療への到達を記述する。".into(),
                scope: ganome_store::ResearchScope {
                    oncotree_codes: vec!["LUAD".into()],
                    ..Default::default()
                },
                duo_codes: vec!["DUO:0000006".into(), "DUO:0000021".into(), "DUO:0000019".into()],
            },
        )
        .await
        .map_err(err)?;
    let detail = ganome
        .decide_research_application(
            &reviewer,
            &application.id,
            ganome_service::DecideApplication {
                decision: ganome_service::Decision::Approve,
                comment: "承認（デモ）".into(),
                conditions: Some("成果の公表前に利活用審査会へ報告すること。".into()),
                embargo_days: Some(0),
                embargo_reason: Some(
                    "デモ：生きたネットワークの症例は数日前の登録のため、既定の180日では1例も提供できない。実運用では既定値を用いる。 (Demo: the living network's cases were registered days ago; the default 180 days would release none.)".into(),
                ),
            },
        )
        .await
        .map_err(err)?;
    let cases = detail.releases.first().map_or(0, |r| r.cases);
    Ok(format!(
        "Secondary use: one approved application over the LUAD cases, zero embargo (reason on its page); its release holds {cases} cases whose consent allows academic use (Secondary use page for researcher and reviewer)."
    ))
}
