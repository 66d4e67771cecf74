//! `ganome kb`: import knowledge, freeze releases, diff them, and query them.
//!
//! Files live under `--data-dir` (default `./ganome-data`): `kb/staging.json` is the latest
//! import, `kb/releases/<name>.json` are immutable releases.

use anyhow::{Context, bail};
use ganome_knowledge::{
    Biomarker, CaseQuery, CopyNumberCall, KnowledgeRelease, QueryAlteration, diff, synthetic,
};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `ganome kb`.
#[derive(Debug, clap::Args)]
pub struct KbArgs {
    /// Data directory; knowledge files go to DIR/kb/.
    #[arg(
        long,
        global = true,
        default_value = "./ganome-data",
        env = "GANOME_DATA_DIR"
    )]
    data_dir: PathBuf,
    #[command(subcommand)]
    command: KbCommand,
}

#[derive(Debug, clap::Subcommand)]
enum KbCommand {
    /// Build an import from source files (default: the data shipped in data/knowledge).
    Import {
        /// Manifest naming the source files.
        #[arg(long)]
        manifest: Option<PathBuf>,
    },
    /// Freeze the latest import as an immutable, content-hashed release.
    Release {
        /// Release name (letters, digits, `.`, `-`, `_`).
        #[arg(long)]
        name: String,
    },
    /// Differences between two releases (names, `staging`, or file paths).
    Diff {
        /// Older release.
        a: String,
        /// Newer release.
        b: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List releases.
    List,
    /// Summarise one release (name, `staging`, or path).
    Show {
        /// Release.
        release: String,
    },
    /// Match a quick query or a case file against a release.
    Match {
        /// Release (default: the newest release, else the shipped data).
        #[arg(long)]
        release: Option<String>,
        /// OncoTree code of the tumour.
        #[arg(long)]
        tumor_type: Option<String>,
        /// Gene symbol.
        #[arg(long)]
        gene: Option<String>,
        /// Alteration: protein change (`L858R`, `p.Leu858Arg`), `PARTNER::GENE` fusion,
        /// `amplification` or `deletion`.
        #[arg(long)]
        alteration: Option<String>,
        /// SO consequence term of a small variant.
        #[arg(long)]
        consequence: Option<String>,
        /// Exon of a small variant.
        #[arg(long)]
        exon: Option<u32>,
        /// Biomarker: `MSI-H`, `dMMR`, `HRD` or `TMB=<mut/Mb>`.
        #[arg(long)]
        biomarker: Option<String>,
        /// A case file: JSON `CaseQuery` (tumor_type + alterations).
        #[arg(long, conflicts_with_all = ["gene", "biomarker"])]
        case: Option<PathBuf>,
        /// Print the full JSON result.
        #[arg(long)]
        json: bool,
    },
    /// Benchmark: build, save, load, and match synthetic cases drawn from cancer hotspots.
    Bench {
        /// Number of cases.
        #[arg(long, default_value_t = 10_000)]
        cases: usize,
        /// Alterations per case.
        #[arg(long, default_value_t = 300)]
        alterations: usize,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

fn kb_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("kb")
}

fn staging_path(data_dir: &Path) -> PathBuf {
    kb_dir(data_dir).join("staging.json")
}

fn releases_dir(data_dir: &Path) -> PathBuf {
    kb_dir(data_dir).join("releases")
}

fn default_manifest() -> PathBuf {
    let local = Path::new("data/knowledge/manifest.toml");
    if local.exists() {
        local.to_owned()
    } else {
        KnowledgeRelease::shipped_data_dir().join("manifest.toml")
    }
}

fn resolve(data_dir: &Path, which: &str) -> PathBuf {
    if which == "staging" {
        return staging_path(data_dir);
    }
    let p = Path::new(which);
    if p.extension().is_some_and(|e| e == "json") && p.exists() {
        return p.to_owned();
    }
    releases_dir(data_dir).join(format!("{which}.json"))
}

fn load(data_dir: &Path, which: &str) -> anyhow::Result<KnowledgeRelease> {
    let p = resolve(data_dir, which);
    KnowledgeRelease::load(&p)
        .with_context(|| format!("loading release {which:?} from {}", p.display()))
}

fn release_names(data_dir: &Path) -> anyhow::Result<Vec<String>> {
    let dir = releases_dir(data_dir);
    let mut names = Vec::new();
    if dir.exists() {
        for e in std::fs::read_dir(&dir).with_context(|| dir.display().to_string())? {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "json")
                && let Some(stem) = p.file_stem().and_then(|s| s.to_str())
            {
                names.push(stem.to_owned());
            }
        }
    }
    names.sort();
    Ok(names)
}

fn summary(r: &KnowledgeRelease) -> String {
    let c = &r.content;
    let mut s = format!(
        "{}\n  content hash {}\n  evidence {} | approvals {} | trials {} | tumour types {} | hotspots {}\n  sources:\n",
        r.label(),
        r.content_hash,
        c.evidence.len(),
        c.approvals.len(),
        c.trials.len(),
        c.tumor_types.nodes.len(),
        c.hotspots.len()
    );
    for src in &c.sources {
        s.push_str(&format!(
            "    {} {} ({}) sha256 {}\n",
            src.name,
            src.version,
            src.file,
            &src.sha256[..16]
        ));
    }
    s
}

fn parse_alteration(
    gene: &str,
    text: &str,
    consequence: Option<String>,
    exon: Option<u32>,
) -> QueryAlteration {
    if let Some((five, three)) = text.split_once("::") {
        return QueryAlteration::Fusion {
            five_prime: five.trim().to_owned(),
            three_prime: three.trim().to_owned(),
        };
    }
    match text.to_ascii_lowercase().as_str() {
        "amplification" | "amp" => QueryAlteration::CopyNumber {
            gene: gene.to_owned(),
            call: CopyNumberCall::Amplification,
        },
        "deletion" | "del" | "homdel" => QueryAlteration::CopyNumber {
            gene: gene.to_owned(),
            call: CopyNumberCall::Deletion,
        },
        _ => QueryAlteration::Variant {
            gene: gene.to_owned(),
            hgvs_p: Some(text.to_owned()),
            consequence,
            exon,
        },
    }
}

fn parse_biomarker(text: &str) -> anyhow::Result<QueryAlteration> {
    let lower = text.to_ascii_lowercase();
    let (biomarker, value) = match lower.as_str() {
        "msi-h" | "msi-high" => (Biomarker::MsiHigh, None),
        "dmmr" => (Biomarker::MmrDeficient, None),
        "hrd" => (Biomarker::HrdPositive, None),
        t => match t.strip_prefix("tmb=") {
            Some(v) => (Biomarker::Tmb, Some(v.parse::<f64>().context("TMB value")?)),
            None => bail!("unknown biomarker {text:?} (MSI-H, dMMR, HRD, TMB=<value>)"),
        },
    };
    Ok(QueryAlteration::Biomarker { biomarker, value })
}

fn print_matches(m: &ganome_knowledge::CaseMatches) {
    println!(
        "release {}  tumour {} ({})",
        m.release, m.tumor_type, m.tumor_type_name
    );
    for w in &m.warnings {
        println!("  warning: {w}");
    }
    for a in &m.alterations {
        println!("\n{}", a.label);
        if let Some(o) = &a.oncogenicity {
            println!("  oncogenicity: {:?} — {}", o.call, o.basis.join("; "));
        }
        match &a.best_level {
            Some(l) => println!(
                "  level {} (ed. 1.0 {}; {}) — {} [{}]",
                l.ed2, l.ed1, l.amp, l.reason, l.rule
            ),
            None => println!("  no therapeutic level"),
        }
        for (j, drugs) in &a.approved_drugs {
            println!("  approved ({j}): {}", drugs.join(", "));
        }
        for t in a.therapies.iter().take(12) {
            println!(
                "    {:>2}  {}  — {}",
                t.level.ed2, t.therapy, t.level.reason
            );
        }
        println!(
            "  evidence matched: {} | approvals matched: {}",
            a.evidence.len(),
            a.approvals.len()
        );
    }
    println!("\ntrials matched: {}", m.trials.len());
    for t in m.trials.iter().take(10) {
        println!(
            "  {} [{}] {:?} {} — {}",
            t.trial_id,
            t.status,
            t.match_type,
            t.title.chars().take(80).collect::<String>(),
            t.matched_criteria.join("; ")
        );
    }
}

/// Runs `ganome kb`.
pub fn run(args: KbArgs) -> anyhow::Result<()> {
    let dd = &args.data_dir;
    match args.command {
        KbCommand::Import { manifest } => {
            let manifest = manifest.unwrap_or_else(default_manifest);
            let t = Instant::now();
            let r = KnowledgeRelease::build(&manifest)?;
            let built = t.elapsed();
            let path = staging_path(dd);
            r.write(&path)?;
            println!("imported in {:.2?} -> {}", built, path.display());
            print!("{}", summary(&r));
        }
        KbCommand::Release { name } => {
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                || name == "staging"
            {
                bail!(
                    "release name {name:?}: use letters, digits, '.', '-', '_' (not \"staging\")"
                );
            }
            let staging = staging_path(dd);
            let r = KnowledgeRelease::load(&staging)
                .with_context(|| {
                    format!(
                        "no import at {}; run `ganome kb import` first",
                        staging.display()
                    )
                })?
                .named(&name);
            let path = releases_dir(dd).join(format!("{name}.json"));
            r.save(&path)?;
            println!("released {} -> {}", r.label(), path.display());
        }
        KbCommand::Diff { a, b, json } => {
            let (ra, rb) = (load(dd, &a)?, load(dd, &b)?);
            let d = diff(&ra, &rb);
            if json {
                println!("{}", serde_json::to_string_pretty(&d)?);
            } else {
                println!("{} -> {}", d.from, d.to);
                for s in &d.sources {
                    println!("source changed: {s}");
                }
                for (kind, ch) in [
                    ("evidence", &d.evidence),
                    ("approvals", &d.approvals),
                    ("trials", &d.trials),
                ] {
                    println!(
                        "{kind}: {} added, {} removed, {} changed",
                        ch.added.len(),
                        ch.removed.len(),
                        ch.changed.len()
                    );
                    for id in &ch.added {
                        println!("  + {id}");
                    }
                    for id in &ch.removed {
                        println!("  - {id}");
                    }
                    for c in &ch.changed {
                        println!("  ~ {} ({})", c.id, c.fields.join(", "));
                    }
                }
                if d.level_rules_changed {
                    println!("level rules changed");
                }
                println!("level changes: {}", d.level_changes.len());
                for l in &d.level_changes {
                    println!(
                        "  {} in {}: {} -> {}",
                        l.alteration,
                        l.tumor_type,
                        l.before.as_deref().unwrap_or("none"),
                        l.after.as_deref().unwrap_or("none")
                    );
                }
            }
        }
        KbCommand::List => {
            let names = release_names(dd)?;
            if names.is_empty() {
                println!("no releases in {}", releases_dir(dd).display());
            }
            for n in names {
                let r = load(dd, &n)?;
                println!(
                    "{}  evidence {}  approvals {}  trials {}",
                    r.label(),
                    r.content.evidence.len(),
                    r.content.approvals.len(),
                    r.content.trials.len()
                );
            }
        }
        KbCommand::Show { release } => print!("{}", summary(&load(dd, &release)?)),
        KbCommand::Match {
            release,
            tumor_type,
            gene,
            alteration,
            consequence,
            exon,
            biomarker,
            case,
            json,
        } => {
            let r = match release {
                Some(n) => load(dd, &n)?,
                None => match release_names(dd)?.last() {
                    Some(n) => load(dd, n)?,
                    None => {
                        eprintln!(
                            "no release in {}; using the shipped data",
                            releases_dir(dd).display()
                        );
                        KnowledgeRelease::default_from_shipped_data()?
                    }
                },
            };
            let query = if let Some(path) = case {
                let text =
                    std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
                serde_json::from_str::<CaseQuery>(&text)
                    .with_context(|| format!("{}: not a CaseQuery", path.display()))?
            } else {
                let tumor_type = tumor_type.context("--tumor-type is required")?;
                let mut alterations = Vec::new();
                if let Some(g) = gene {
                    let alt = alteration.context("--alteration is required with --gene")?;
                    alterations.push(parse_alteration(&g, &alt, consequence, exon));
                }
                if let Some(b) = biomarker {
                    alterations.push(parse_biomarker(&b)?);
                }
                if alterations.is_empty() {
                    bail!("give --gene and --alteration, --biomarker, or --case");
                }
                CaseQuery {
                    tumor_type,
                    alterations,
                }
            };
            let m = r.match_case(&query);
            if json {
                println!("{}", serde_json::to_string_pretty(&m)?);
            } else {
                print_matches(&m);
            }
        }
        KbCommand::Bench {
            cases,
            alterations,
            seed,
        } => {
            let t = Instant::now();
            let r = KnowledgeRelease::default_from_shipped_data()?;
            let build = t.elapsed();
            let path = kb_dir(dd).join("bench-release.json");
            r.write(&path)?;
            let size = std::fs::metadata(&path)?.len();
            let mut loads = Vec::new();
            for _ in 0..5 {
                let t = Instant::now();
                let back = KnowledgeRelease::load(&path)?;
                loads.push(t.elapsed());
                anyhow::ensure!(
                    back.content_hash == r.content_hash,
                    "hash changed on reload"
                );
            }
            loads.sort();
            std::fs::remove_file(&path).ok();
            let qs = synthetic::cases(&r, cases, alterations, seed);
            let total: usize = qs.iter().map(|q| q.alterations.len()).sum();
            let t = Instant::now();
            let mut evidence = 0usize;
            let mut trials = 0usize;
            for q in &qs {
                let m = r.match_case(q);
                evidence += m
                    .alterations
                    .iter()
                    .map(|a| a.evidence.len())
                    .sum::<usize>();
                trials += m.trials.len();
            }
            let elapsed = t.elapsed();
            println!("build from shipped data: {build:.2?}");
            println!(
                "release file: {:.1} MB; load (median of 5): {:.2?}",
                size as f64 / 1e6,
                loads[2]
            );
            println!(
                "matched {cases} cases x {alterations} alterations ({total} alterations) in {elapsed:.2?}: {:.0} alterations/s, {:.1} cases/s",
                total as f64 / elapsed.as_secs_f64(),
                cases as f64 / elapsed.as_secs_f64()
            );
            println!("evidence matches {evidence}, trial matches {trials} (seed {seed})");
        }
    }
    Ok(())
}
