//! The web UI end to end in a real browser: Debian's chromium, driven through chromedriver
//! over the WebDriver protocol, clicking and typing as people do. The walk: a clinician at a
//! cooperative hospital (K001) registers a patient, consent and a test order and ships the
//! specimen; the lab uploads the result VCF; findings are issued; the linked core
//! hospital's (C01) panel holds an asynchronous meeting, records a recommendation and every
//! member signs off; the clinician records the explanation, a treatment based on the
//! recommendation and its response. Also: a meeting without a genetic counsellor cannot be
//! finalised, an unrelated panel (C02) never sees the case, and pages read in English.
//!
//! A second walk (`browser_pages_story`) covers the pages around the loop: a clinician
//! acknowledges a re-interpretation alert (list and case-page notice), enrols an
//! authenticator app on the account page and logs in with its code; a researcher applies
//! for secondary use with DUO terms, the review board approves, the researcher reads the
//! release's counts and downloads the CSV; an auditor searches the audit trail by user and
//! checks the hash chain.
//!
//! Screenshots of the main steps go to `$GANOME_SCREENSHOT_DIR`, else
//! `$CARGO_TARGET_DIR/browser-screenshots`, else `<workspace>/target/browser-screenshots`.
//! Without chromedriver the test says so and passes, unless `GANOME_REQUIRE_BROWSER=1`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use ganome_core::{FacilityKind, Role};
use ganome_service::CreateUser;
use ganome_store::{NewFacility, testing};
use serde_json::json;

use crate::api_alerts::issue_under_early_release;
use crate::api_story::{Server, egfr_case_over_http, start_with_findings, token};

const PASSWORD: &str = "a long test password";

/// Says something in the test log even when the harness captures output (CI greps it).
fn announce(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

fn find_chromedriver() -> Option<PathBuf> {
    let fixed = PathBuf::from("/usr/bin/chromedriver");
    if fixed.is_file() {
        return Some(fixed);
    }
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("chromedriver"))
            .find(|c| c.is_file())
    })
}

fn find_chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn screenshot_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("GANOME_SCREENSHOT_DIR") {
        return PathBuf::from(d);
    }
    if let Some(t) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(t).join("browser-screenshots");
    }
    workspace().join("target/browser-screenshots")
}

/// chromedriver, stopped when the test ends however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One browser test at a time: two chromiums on a small CI machine slow each other down.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How many screenshots the clinical story takes; the pages story numbers its own after them.
const STORY_SHOTS: usize = 15;
/// How many the pages story takes.
const PAGES_SHOTS: usize = 11;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_story() {
    let Some(installed) = installed("browser story") else {
        return;
    };
    let server = start_with_findings(testing::sqlite().await.unwrap()).await;
    let shots = 0..STORY_SHOTS;
    in_browser("browser story", installed, &server, shots, walk).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_pages_story() {
    let Some(installed) = installed("browser pages story") else {
        return;
    };
    let server = start_with_findings(testing::sqlite().await.unwrap()).await;
    pages_setup(&server).await;
    let shots = STORY_SHOTS..STORY_SHOTS + PAGES_SHOTS;
    in_browser("browser pages story", installed, &server, shots, pages).await;
}

/// chromedriver and chromium, or `None` when either is missing and none is required.
fn installed(name: &str) -> Option<(PathBuf, PathBuf)> {
    let required = std::env::var("GANOME_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    match (find_chromedriver(), find_chromium()) {
        (Some(d), Some(c)) => Some((d, c)),
        (d, _) => {
            let missing = if d.is_none() {
                "chromedriver"
            } else {
                "chromium"
            };
            assert!(
                !required,
                "GANOME_REQUIRE_BROWSER=1 but {missing} is not installed \
                 (apt-get install chromium chromium-driver)"
            );
            announce(&format!("{name} skipped: {missing} not found"));
            None
        }
    }
}

/// Runs `story` in a fresh headless chromium against `server`; its screenshots are numbered
/// `shots.start + 1 ..= shots.end` (a story that takes more or fewer fails, so that the two
/// stories' numbers stay apart). Says "`name` passed" or panics.
async fn in_browser(
    name: &str,
    (driver_path, chromium): (PathBuf, PathBuf),
    server: &Server,
    shots: std::ops::Range<usize>,
    story: impl AsyncFn(&Server, &Browser) -> R<()>,
) {
    let _one = ONE_BROWSER.lock().await;
    let port = free_port();
    let driver = Driver(
        Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let webdriver = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        if http
            .get(format!("{webdriver}/status"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "chromedriver did not answer on {webdriver}");

    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--no-first-run", "--window-size=1280,1500"]
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&webdriver)
        .await
        .expect("a chromium session");
    let b = Browser {
        c: client.clone(),
        base: server.base.clone(),
        shots: screenshot_dir(),
        n: std::sync::atomic::AtomicUsize::new(shots.start),
    };
    std::fs::create_dir_all(&b.shots).unwrap();
    let outcome = story(server, &b).await.and_then(|()| {
        let taken = b.n.load(std::sync::atomic::Ordering::SeqCst);
        check(
            taken == shots.end,
            &format!(
                "{} screenshots taken, {} expected (update STORY_SHOTS or PAGES_SHOTS)",
                taken - shots.start,
                shots.len()
            ),
        )
    });
    if outcome.is_err() {
        b.shot("failure").await;
    }
    let _ = client.close().await;
    drop(driver);
    if let Err(e) = outcome {
        panic!("{name} failed: {e}");
    }
    announce(&format!(
        "{name} passed (screenshots in {})",
        b.shots.display()
    ));
}

type R<T> = Result<T, String>;

struct Browser {
    c: Client,
    base: String,
    shots: PathBuf,
    n: std::sync::atomic::AtomicUsize,
}

impl Browser {
    async fn go(&self, path: &str) -> R<()> {
        self.c
            .goto(&format!("{}{path}", self.base))
            .await
            .map_err(|e| format!("goto {path}: {e}"))
    }

    async fn find(&self, css: &str) -> R<Element> {
        match self
            .c
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => Ok(e),
            Err(e) => Err(format!("no element '{css}' on {}: {e}", self.url().await)),
        }
    }

    async fn url(&self) -> String {
        self.c
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    async fn fill(&self, css: &str, value: &str) -> R<()> {
        let e = self.find(css).await?;
        e.clear().await.map_err(|e| format!("clear {css}: {e}"))?;
        e.send_keys(value)
            .await
            .map_err(|e| format!("type into {css}: {e}"))
    }

    async fn select(&self, css: &str, value: &str) -> R<()> {
        self.find(css)
            .await?
            .select_by_value(value)
            .await
            .map_err(|e| format!("select {value} in {css}: {e}"))
    }

    async fn click(&self, css: &str) -> R<()> {
        self.find(css)
            .await?
            .click()
            .await
            .map_err(|e| format!("click {css}: {e}"))
    }

    async fn text(&self, css: &str) -> R<String> {
        self.find(css)
            .await?
            .text()
            .await
            .map_err(|e| format!("text of {css}: {e}"))
    }

    /// Waits until the text of `css` satisfies `ok` (pages reload after htmx posts).
    async fn wait_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> R<String> {
        let mut last = String::new();
        for _ in 0..100 {
            if let Ok(e) = self.c.find(Locator::Css(css)).await
                && let Ok(t) = e.text().await
            {
                if ok(&t) {
                    return Ok(t);
                }
                last = t;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!(
            "'{css}' still reads '{last}' on {}",
            self.url().await
        ))
    }

    /// Waits until the address satisfies `ok` (after a click that loads a page).
    async fn wait_url(&self, ok: impl Fn(&str) -> bool) -> R<String> {
        let mut last = String::new();
        for _ in 0..100 {
            last = self.url().await;
            if ok(&last) {
                return Ok(last);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("still at {last}"))
    }

    async fn count(&self, css: &str) -> R<usize> {
        self.c
            .find_all(Locator::Css(css))
            .await
            .map(|v| v.len())
            .map_err(|e| format!("find {css}: {e}"))
    }

    async fn source(&self) -> String {
        self.c.source().await.unwrap_or_default()
    }

    /// Waits until the case page shows `state`.
    async fn state_is(&self, state: &str) -> R<()> {
        self.find(&format!("#case-state[data-state=\"{state}\"]"))
            .await
            .map(|_| ())
    }

    async fn shot(&self, name: &str) {
        let n = self.n.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if let Ok(png) = self.c.screenshot().await {
            let _ = std::fs::write(self.shots.join(format!("{n:02}-{name}.png")), png);
        }
    }

    async fn login(&self, user: &str, lang: &str) -> R<()> {
        let q = if lang == "en" { "?lang=en" } else { "" };
        self.go(&format!("/login{q}")).await?;
        self.fill("#username", user).await?;
        self.fill("#password", PASSWORD).await?;
        self.click("#login").await?;
        self.find(&format!("strong[data-user=\"{user}\"]")).await?;
        Ok(())
    }

    async fn logout(&self) -> R<()> {
        self.click("#logout").await?;
        self.find("#login").await.map(|_| ())
    }
}

fn check(ok: bool, what: &str) -> R<()> {
    if ok { Ok(()) } else { Err(what.to_owned()) }
}

async fn user(s: &Server, username: &str, display: &str, role: Role, facility: &str) {
    s.ganome
        .create_user_as_operator(CreateUser {
            username: username.into(),
            display_name: display.into(),
            password: Some(PASSWORD.into()),
            role,
            facility_id: facility.into(),
        })
        .await
        .unwrap();
}

/// The C01 panel: username, display name, role, capacity at the meeting.
const PANEL: &[(&str, &str, Role, &str)] = &[
    (
        "c01.chair",
        "北海 議長",
        Role::PanelChair,
        "drug_therapy_physician",
    ),
    (
        "c01.onc",
        "札幌 腫瘍内科",
        Role::PanelMember,
        "drug_therapy_physician",
    ),
    (
        "c01.genetics",
        "石狩 遺伝医",
        Role::PanelMember,
        "clinical_genetics_physician",
    ),
    (
        "c01.gc",
        "小樽 カウンセラー",
        Role::PanelMember,
        "genetic_counsellor",
    ),
    ("c01.path", "函館 病理医", Role::PanelMember, "pathologist"),
    (
        "c01.molgen",
        "旭川 分子遺伝",
        Role::PanelMember,
        "molecular_genetics_expert",
    ),
];

async fn walk(s: &Server, b: &Browser) -> R<()> {
    user(s, "k001.dr", "札幌 太郎", Role::Clinician, "K001").await;
    user(s, "l01.lab", "Sysmex lab", Role::Lab, "L01").await;
    user(s, "dc.admin", "C-CAT 管理者", Role::Administrator, "D01").await;
    user(s, "c02.chair", "東北 議長", Role::PanelChair, "C02").await;
    for (u, d, r, _) in PANEL {
        user(s, u, d, *r, "C01").await;
    }

    // A wrong password is refused on the page.
    b.go("/login").await?;
    b.fill("#username", "k001.dr").await?;
    b.fill("#password", "not the password").await?;
    b.click("#login").await?;
    b.find("#login-error").await?;

    // Clinician at the cooperative hospital: patient, consent, test order, shipment.
    b.login("k001.dr", "ja").await?;
    // htmx is loaded from this origin (the forms below swap fragments through it).
    let kind =
        b.c.execute("return typeof htmx", vec![])
            .await
            .map_err(|e| e.to_string())?;
    check(kind == json!("object"), "htmx is loaded")?;
    b.shot("home-clinician").await;
    b.go("/patients").await?;
    b.fill("#form-patient [name=record_number]", "K001-2024-0001")
        .await?;
    b.select("#form-patient [name=sex]", "male").await?;
    b.fill("#form-patient [name=birth_year]", "1958").await?;
    b.fill("#form-patient [name=birth_month]", "13").await?;
    b.click("#register-patient").await?;
    // The service's error lands next to the field, in Japanese; the other input is kept.
    let err = b
        .text("#form-patient-birth_month-error, #form-patient-birth-month-error")
        .await?;
    check(
        err.contains("1〜12"),
        &format!("birth month error in Japanese, got '{err}'"),
    )?;
    let kept = b
        .find("#form-patient [name=birth_year]")
        .await?
        .prop("value")
        .await
        .map_err(|e| e.to_string())?;
    check(kept.as_deref() == Some("1958"), "birth year kept")?;
    b.shot("patient-validation-error").await;
    b.fill("#form-patient [name=record_number]", "K001-2024-0001")
        .await?;
    b.fill("#form-patient [name=birth_month]", "4").await?;
    b.click("#register-patient").await?;
    b.find("#no-consent").await?;
    b.fill("#form-consent [name=form_version]", "2019.1")
        .await?;
    b.click("#form-consent [name=\"items.secondary_use_academia\"]")
        .await?;
    b.select(
        "#form-consent [name=\"items.germline_disclosure\"]",
        "disclose",
    )
    .await?;
    b.click("#record-consent").await?;
    b.find("#consent-table").await?;
    b.select("#form-case [name=lab_facility_id]", "L01").await?;
    b.fill("#form-case [name=oncotree_code]", "luad").await?;
    b.fill("#form-case [name=specimen_site]", "右肺上葉")
        .await?;
    b.fill("#form-case [name=tumor_content_pct]", "40").await?;
    b.shot("patient-consent-order").await;
    b.click("#register-case").await?;
    b.state_is("registered").await?;
    let case_url = b.url().await;
    let case_id = case_url
        .split("/cases/")
        .nth(1)
        .and_then(|r| r.split(['?', '#']).next())
        .ok_or("case id in the URL")?
        .to_owned();
    let case_number = b.text("#case-number").await?;
    check(
        b.text("#case-oncotree").await? == "LUAD",
        "OncoTree code upper-cased",
    )?;
    b.fill("#form-transition [name=note]", "追跡番号 1234-5678")
        .await?;
    b.click("#transition-specimen_shipped").await?;
    b.state_is("specimen_shipped").await?;
    b.shot("case-specimen-shipped").await;
    b.logout().await?;

    // The lab uploads the result VCF from its case list.
    b.login("l01.lab", "ja").await?;
    b.go("/cases?state=specimen_shipped").await?;
    b.click(&format!("tr[data-case=\"{case_number}\"] a"))
        .await?;
    let vcf = workspace()
        .join("testdata/report/egfr_l858r.grch38.vcf")
        .canonicalize()
        .map_err(|e| e.to_string())?;
    b.find("#form-upload [name=file]")
        .await?
        .send_keys(&vcf.display().to_string())
        .await
        .map_err(|e| e.to_string())?;
    b.click("#upload").await?;
    // The data center's engine issues the findings as soon as the results are in; the lab
    // sees the state, not the report.
    b.state_is("findings_issued").await?;
    check(
        b.source().await.contains("egfr_l858r.grch38.vcf"),
        "uploaded file listed",
    )?;
    check(
        b.count("#findings-versions").await? == 0,
        "the lab sees no findings",
    )?;
    b.shot("lab-upload").await;
    b.logout().await?;

    // The data center sees findings v1; issuing again from unchanged inputs is refused.
    b.login("dc.admin", "ja").await?;
    b.go(&format!("/cases/{case_id}")).await?;
    b.find("#findings-versions tr[data-version=\"1\"]").await?;
    b.click("#issue-findings").await?;
    b.find("#form-issue-alert").await?;
    check(
        b.count("#findings-versions tbody tr").await? == 1,
        "no second version from unchanged inputs",
    )?;
    b.shot("findings-data-center").await;
    // The report opens in the page language.
    let report = b
        .find("#report-v1")
        .await?
        .attr("href")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("report link")?;
    check(report.ends_with("/report.ja.html"), "Japanese report link")?;
    b.go(&report).await?;
    let html = b.source().await;
    check(html.contains("EGFR"), "the report names EGFR")?;
    b.shot("findings-report-ja").await;
    b.go("/").await?;
    b.logout().await?;

    // An unrelated panel (C02) sees nothing of the case.
    b.login("c02.chair", "ja").await?;
    b.go("/cases").await?;
    check(b.text("#case-count").await? == "0", "C02 sees no cases")?;
    check(
        !b.source().await.contains(&case_number),
        "case number absent at C02",
    )?;
    b.go(&format!("/cases/{case_id}")).await?;
    b.find(".alert").await?;
    check(
        !b.source().await.contains(&case_number),
        "C02 cannot open the case",
    )?;
    b.go("/panel").await?;
    b.select("#form-meeting [name=mode]", "video").await?;
    b.select(
        "#form-meeting [name=chair_user_id]",
        &user_id(s, "c02.chair").await,
    )
    .await?;
    b.select(
        "tr[data-user=\"c02.chair\"] select",
        "drug_therapy_physician",
    )
    .await?;
    b.click("#create-meeting").await?;
    b.find("#meeting-open").await?;
    b.find("#no-reviewable").await?;
    check(
        !b.source().await.contains(&case_number),
        "case absent from C02's agenda choices",
    )?;
    b.shot("unrelated-panel").await;
    b.logout().await?;

    // C01: a live meeting without a genetic counsellor cannot be finalised.
    b.login("c01.chair", "ja").await?;
    b.go("/panel").await?;
    b.select("#form-meeting [name=mode]", "real_time").await?;
    b.select(
        "#form-meeting [name=chair_user_id]",
        &user_id(s, "c01.chair").await,
    )
    .await?;
    for (u, _, _, capacity) in PANEL {
        if *u == "c01.gc" {
            b.click(&format!("tr[data-user=\"{u}\"] input[type=checkbox]"))
                .await?;
        } else {
            b.select(&format!("tr[data-user=\"{u}\"] select"), capacity)
                .await?;
        }
    }
    b.click("#create-meeting").await?;
    b.find("#composition tr.missing[data-role=genetic_counsellor]")
        .await?;
    b.click("#finalise").await?;
    let alert = b.text("#finalise-error").await?;
    check(
        alert.contains("遺伝カウンセラー"),
        &format!("finalisation error names the genetic counsellor: {alert}"),
    )?;
    b.find("#meeting-open").await?;
    b.shot("meeting-without-genetic-counsellor").await;

    // The asynchronous meeting (持ち回り) with everyone.
    b.go("/panel").await?;
    b.select("#form-meeting [name=mode]", "asynchronous")
        .await?;
    for (u, _, _, capacity) in PANEL {
        b.select(&format!("tr[data-user=\"{u}\"] select"), capacity)
            .await?;
    }
    b.click("#create-meeting").await?;
    b.find("#composition").await?;
    check(
        b.count("#composition tr.missing").await? == 0,
        "composition complete",
    )?;
    let meeting_path = b
        .url()
        .await
        .split_once("/panel/meetings/")
        .map(|(_, id)| {
            format!(
                "/panel/meetings/{}",
                id.split(['?', '#']).next().unwrap_or(id)
            )
        })
        .ok_or("meeting URL")?;
    b.select("#form-review [name=case_id]", &case_id).await?;
    let version = b
        .find(&format!(
            "#form-review [name=findings_version] option[data-case=\"{case_id}\"]"
        ))
        .await?
        .attr("value")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("a findings version to pin")?;
    b.select("#form-review [name=findings_version]", &version)
        .await?;
    b.click("#form-review [name=\"germline.counselling_referral\"]")
        .await?;
    b.fill(
        "#form-review [name=discussion]",
        "EGFR L858R (VAF 0.40)。オシメルチニブを推奨。",
    )
    .await?;
    b.fill(
        "#form-review [name=\"recommendations[0].drug\"]",
        "osimertinib",
    )
    .await?;
    b.fill(
        "#form-review [name=\"recommendations[0].biomarker\"]",
        "EGFR L858R",
    )
    .await?;
    b.fill(
        "#form-review [name=\"recommendations[1].drug\"]",
        "amivantamab + lazertinib",
    )
    .await?;
    b.select(
        "#form-review [name=\"recommendations[1].evidence_level\"]",
        "B",
    )
    .await?;
    b.select(
        "#form-review [name=\"recommendations[1].access_route\"]",
        "clinical_trial",
    )
    .await?;
    b.fill(
        "#form-review [name=\"recommendations[1].trial_id\"]",
        "trial 5",
    )
    .await?;
    b.click("#record-review").await?;
    let err = b.text("#form-review .field-error").await?;
    check(
        err.contains("jRCT"),
        &format!("trial id error next to the field: {err}"),
    )?;
    let kept = b
        .find("#form-review [name=\"recommendations[0].drug\"]")
        .await?
        .prop("value")
        .await
        .map_err(|e| e.to_string())?;
    check(kept.as_deref() == Some("osimertinib"), "review input kept")?;
    b.shot("review-validation-error").await;
    b.fill(
        "#form-review [name=\"recommendations[1].trial_id\"]",
        "NCT04487080",
    )
    .await?;
    b.click("#record-review").await?;
    b.find(".case-link").await?;
    b.click("#finalise").await?;
    b.find("#meeting-finalised").await?;
    for (i, (u, _, _, _)) in PANEL.iter().enumerate() {
        if i > 0 {
            b.logout().await?;
            b.login(u, "ja").await?;
            b.go(&meeting_path).await?;
        }
        b.click("button.sign-off").await?;
        let signed = format!("{}/{}", i + 1, PANEL.len());
        b.wait_text(".signoff-count", |t| t == signed).await?;
    }
    b.find(".review-complete").await?;
    b.shot("meeting-signed-off").await;
    b.go(&format!("{meeting_path}?lang=en")).await?;
    check(
        b.source().await.contains("Asynchronous (mochimawari)"),
        "meeting page in English",
    )?;
    b.shot("meeting-english").await;
    b.logout().await?;

    // The clinician: explanation, treatment based on the recommendation, response.
    b.login("k001.dr", "ja").await?;
    b.go(&format!("/cases/{case_id}")).await?;
    b.state_is("panel_reviewed").await?;
    b.find("#findings-versions tr[data-version=\"1\"] .badge.ok")
        .await?;
    b.fill("#form-explain [name=explained_by]", "札幌 太郎")
        .await?;
    b.click("#record-explanation").await?;
    b.state_is("explained").await?;
    let recs =
        b.c.find_all(Locator::Css("#form-treat [name=recommendation_id] option"))
            .await
            .map_err(|e| e.to_string())?;
    let mut osimertinib = None;
    for o in recs {
        let label = o.text().await.unwrap_or_default();
        if label.contains("osimertinib") {
            osimertinib = o.attr("value").await.ok().flatten();
        }
    }
    let rec = osimertinib.ok_or("the osimertinib recommendation is offered")?;
    b.select("#form-treat [name=recommendation_id]", &rec)
        .await?;
    b.fill("#form-treat [name=regimen]", "osimertinib 80 mg/day")
        .await?;
    b.click("#record-treatment").await?;
    b.state_is("followed_up").await?;
    check(
        b.text(".based-on").await?.contains("osimertinib"),
        "treatment shows the recommendation it follows",
    )?;
    b.click("section[data-regimen] details:first-of-type summary")
        .await?;
    b.select("form[id^=form-response-] [name=best_response]", "PR")
        .await?;
    b.click("form[id^=form-response-] button.record-response")
        .await?;
    b.wait_text(".best-response", |t| t.contains("部分奏効"))
        .await?;
    // A grade outside CTCAE is refused next to the field.
    b.click("section[data-regimen] details:nth-of-type(2) summary")
        .await?;
    b.fill("form[id^=form-ae-] [name=ctcae_term]", "Diarrhea")
        .await?;
    b.fill("form[id^=form-ae-] [name=grade]", "0").await?;
    b.click("form[id^=form-ae-] button.record-adverse-event")
        .await?;
    let err = b.text("form[id^=form-ae-] .field-error").await?;
    check(err.contains("グレード"), &format!("grade error: {err}"))?;
    b.fill("form[id^=form-ae-] [name=grade]", "1").await?;
    b.click("form[id^=form-ae-] button.record-adverse-event")
        .await?;
    b.find("section[data-regimen] table").await?;
    b.click("#record-outcome").await?;
    b.wait_text("#outcome + table tbody", |t| t.contains("生存"))
        .await?;
    b.shot("case-followed-up").await;

    // The same case in English, and the list filter (htmx swaps only the list).
    b.go(&format!("/cases/{case_id}?lang=en")).await?;
    let html = b.source().await;
    check(
        html.contains("<html lang=\"en\"")
            && html.contains("Timeline")
            && html.contains("Followed up"),
        "case page in English",
    )?;
    b.shot("case-english").await;
    b.go("/cases?lang=en").await?;
    b.select("#form-filters [name=state]", "registered").await?;
    b.find("#case-results p").await?;
    b.wait_text("#case-count", |t| t == "0").await?;
    b.select("#form-filters [name=state]", "followed_up")
        .await?;
    b.wait_text("#case-count", |t| t == "1").await?;
    check(
        b.url().await.contains("state=followed_up"),
        "the filter is in the address",
    )?;
    b.shot("case-list-english-filtered").await;
    Ok(())
}

async fn user_id(s: &Server, username: &str) -> String {
    let token = s
        .ganome
        .create_api_token(username, "browser")
        .await
        .unwrap();
    s.ganome.authenticate_token(&token).await.unwrap().user_id
}

/// The pages story's data: a research university; a LUAD patient of K001 with consent to
/// academic secondary use and findings for the real EGFR L858R VCF issued under knowledge
/// without osimertinib's first-line approvals; then the data center publishes the shipped
/// release, which raises a re-interpretation alert (as `api_alerts` does).
async fn pages_setup(s: &Server) {
    let shipped = issue_under_early_release(s).await;
    s.ganome
        .store()
        .upsert_facility(&NewFacility {
            id: "R-UNIV".into(),
            kind: FacilityKind::ResearchAcademia,
            name_ja: "北海道大学 医学研究院".into(),
            name_en: None,
            prefecture_code: "01".into(),
            may_host_panel: false,
        })
        .await
        .unwrap();
    user(s, "k001.dr", "札幌 太郎", Role::Clinician, "K001").await;
    user(s, "l01.lab", "Sysmex lab", Role::Lab, "L01").await;
    user(s, "dc.curator", "C-CAT キュレーター", Role::Curator, "D01").await;
    user(s, "dc.auditor", "C-CAT 監査", Role::Auditor, "D01").await;
    user(s, "dc.reviewer", "C-CAT 審査委員", Role::Reviewer, "D01").await;
    user(
        s,
        "univ.researcher",
        "北大 研究者",
        Role::Researcher,
        "R-UNIV",
    )
    .await;
    let clinician = token(s, "k001.dr").await;
    let lab = token(s, "l01.lab").await;
    let http = reqwest::Client::new();
    let patient: serde_json::Value = http
        .post(format!("{}/api/v1/patients", s.base))
        .bearer_auth(&clinician)
        .json(&json!({"record_number": "K001-2024-0002", "sex": "female",
                      "birth_year": 1958, "birth_month": 4}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pid = patient["id"].as_str().unwrap();
    let r = http
        .post(format!("{}/api/v1/patients/{pid}/consents", s.base))
        .bearer_auth(&clinician)
        .json(
            &json!({"form_version": "2019.1", "method": "paper", "given_at": "2024-03-30",
                    "items": {"registration": true, "secondary_use_academia": true,
                              "secondary_use_industry": false, "overseas_transfer": false,
                              "recontact": true, "germline_disclosure": "disclose"}}),
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{:?}", r.text().await);
    egfr_case_over_http(s, &clinician, &lab, pid).await;
    let curator = s
        .ganome
        .authenticate_token(&token(s, "dc.curator").await)
        .await
        .unwrap();
    s.ganome
        .publish_knowledge_release(&curator, shipped)
        .await
        .unwrap();
}

/// The code an authenticator app shows for a base32 secret, `steps` time steps from now
/// (RFC 6238 as the apps do it: HMAC-SHA-1, 6 digits, 30 s), computed here with `totp-rs`.
fn totp_code(secret: &str, steps: i64) -> R<String> {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|e| format!("the secret shown is not base32: {e:?}"))?;
    let totp = totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        None,
        "k001.dr".into(),
    )
    .map_err(|e| format!("a TOTP of the secret shown: {e:?}"))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs() as i64;
    Ok(totp.generate((now + 30 * steps) as u64))
}

/// The pages added after the clinical story, in the browser: re-interpretation alerts, the
/// account page's second factor, secondary use, the audit trail.
async fn pages(_s: &Server, b: &Browser) -> R<()> {
    // Alerts: the clinician sees the open alert in the list and on the case page, and
    // acknowledges it; a clinician has no audit trail in the navigation.
    b.login("k001.dr", "ja").await?;
    check(
        b.count("#nav-audit").await? == 0,
        "no audit link for a clinician",
    )?;
    b.click("#nav-alerts").await?;
    let row = b.find("#alerts tbody tr").await?;
    check(b.count("#alerts tbody tr").await? == 1, "one open alert")?;
    let case_id = row
        .attr("data-case")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the alert's case")?;
    let options = b.text("#alerts .alert-options").await?;
    check(
        options.contains("osimertinib") && options.contains("EGFR L858R"),
        &format!("the alert names osimertinib for EGFR L858R: {options}"),
    )?;
    b.shot("alerts-open").await;
    b.go(&format!("/cases/{case_id}")).await?;
    let notice = b.text("#case-alerts").await?;
    check(notice.contains(": 1"), &format!("case notice: {notice}"))?;
    b.shot("case-alert-notice").await;
    b.click("#case-alerts a").await?;
    b.click("#alerts button.acknowledge").await?;
    b.find("#alerts-none").await?;
    b.click("#alerts-toggle").await?;
    let done = b.text("#alerts tbody tr .badge.ok").await?;
    check(!done.is_empty(), "the alert reads acknowledged")?;
    check(
        b.count("#alerts button.acknowledge").await? == 0,
        "no acknowledge button left",
    )?;
    b.shot("alert-acknowledged").await;
    b.go(&format!("/cases/{case_id}")).await?;
    b.state_is("findings_issued").await?;
    check(
        b.count("#case-alerts").await? == 0,
        "no notice once acknowledged",
    )?;

    // Account: enrol an authenticator app (QR code and secret), confirm with its code, then
    // log in again with password and code.
    b.click("#nav-account").await?;
    b.find("#second-factor-state[data-enabled=\"false\"]")
        .await?;
    b.click("#second-factor-enrol").await?;
    b.find("#second-factor-qr svg").await?;
    let shown: String = b
        .text("#second-factor-secret")
        .await?
        .split_whitespace()
        .collect();
    let uri = b.text("#second-factor-uri").await?;
    check(
        uri.contains(&format!("secret={shown}")),
        "the QR code's URI holds the secret shown",
    )?;
    b.fill("#confirm-code", &totp_code(&shown, 0)?).await?;
    b.shot("account-enrolment").await;
    b.click("#second-factor-confirm").await?;
    b.find("#second-factor-state[data-enabled=\"true\"]")
        .await?;
    b.shot("account-second-factor-on").await;
    b.logout().await?;
    b.fill("#username", "k001.dr").await?;
    b.fill("#password", PASSWORD).await?;
    b.click("#login").await?;
    b.find("#login-code-needed").await?;
    b.fill("#password", PASSWORD).await?;
    // The next step's code: the one that confirmed cannot be used again.
    b.fill("#totp_code", &totp_code(&shown, 1)?).await?;
    b.shot("login-with-code").await;
    b.click("#login").await?;
    b.find("strong[data-user=\"k001.dr\"]").await?;
    b.logout().await?;

    // Secondary use: the researcher applies with DUO terms, the review board approves, the
    // researcher reads the release's suppressed counts.
    b.login("univ.researcher", "ja").await?;
    b.click("#nav-research").await?;
    b.fill("#app-title", "肺腺癌 EGFR 変異例の記述研究").await?;
    b.fill("#app-purpose", "EGFR 変異陽性肺腺癌の治療経過を記述する")
        .await?;
    b.fill("#app-oncotree", "LUAD").await?;
    b.fill("#app-genes", "EGFR").await?;
    for duo in ["DUO:0000042", "DUO:0000019"] {
        b.click(&format!(
            "#form-application input[name=duo][value=\"{duo}\"]"
        ))
        .await?;
    }
    b.shot("research-application-form").await;
    b.click("#submit-application").await?;
    b.find("#application-state").await?;
    check(
        b.count("#form-decision").await? == 0,
        "the applicant cannot decide",
    )?;
    let application = b
        .url()
        .await
        .split_once("/research/applications/")
        .map(|(_, id)| {
            format!(
                "/research/applications/{}",
                id.split(['?', '#']).next().unwrap_or(id)
            )
        })
        .ok_or("application URL")?;
    b.logout().await?;
    b.login("dc.reviewer", "ja").await?;
    b.go(&application).await?;
    b.select("#decision", "approve").await?;
    b.fill("#comment", "承認する").await?;
    b.fill("#conditions", "成果を報告すること").await?;
    b.shot("research-decision-form").await;
    b.click("#decide").await?;
    b.find("#releases").await?;
    b.logout().await?;
    b.login("univ.researcher", "ja").await?;
    b.go(&application).await?;
    b.click("#releases tbody a").await?;
    b.select("#by", "oncotree_code").await?;
    b.click("#form-counts button").await?;
    b.find("#counts tr[data-key=\"LUAD\"]").await?;
    check(
        b.text("#total td").await? == "<10",
        "the total of one case reads <10",
    )?;
    let csv = b
        .find("#download-csv")
        .await?
        .attr("href")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("a CSV link")?;
    let got =
        b.c.execute(
            "return fetch(arguments[0]).then(r => r.text().then(t => r.status + ' ' + t))",
            vec![json!(csv)],
        )
        .await
        .map_err(|e| format!("download the CSV: {e}"))?;
    let got = got.as_str().unwrap_or_default();
    check(
        got.starts_with("200 ") && got.contains(",LUAD,"),
        &format!("the CSV downloads in the session: {got}"),
    )?;
    b.shot("research-release-counts").await;
    b.logout().await?;

    // The audit trail: the auditor searches by user and checks the chain.
    b.login("dc.auditor", "ja").await?;
    b.click("#nav-audit").await?;
    b.fill("#form-audit [name=user]", "k001.dr").await?;
    b.click("#audit-search").await?;
    b.wait_url(|u| u.contains("user=k001.dr")).await?;
    let rows =
        b.c.find_all(Locator::Css("#audit-rows tbody tr"))
            .await
            .map_err(|e| e.to_string())?;
    check(!rows.is_empty(), "the clinician's rows")?;
    for r in rows {
        let who = r
            .find(Locator::Css("td:nth-child(3) a"))
            .await
            .map_err(|e| format!("a row without a user: {e}"))?
            .text()
            .await
            .map_err(|e| e.to_string())?;
        check(who == "k001.dr", &format!("a row of {who}"))?;
    }
    let table = b.text("#audit-rows").await?;
    check(
        table.contains("主治医") && !table.contains("clinician"),
        "roles read in Japanese",
    )?;
    b.shot("audit-by-user").await;
    b.click("#audit-verify").await?;
    b.find("#audit-chain[data-ok=\"true\"]").await?;
    b.shot("audit-chain-intact").await;
    Ok(())
}
