//! Scenario generator: realistic, deterministic records (patients, consents, cases with
//! stamped events, panel meetings and reviews, explanations, treatments) for a period,
//! shaped so that aggregate targets — tests per month by tier, facilities testing, consent
//! declines, patients treated on a recommendation, the expert-panel distributions of one
//! month — hold as properties of the records. The indicator code knows nothing of this
//! module: it computes from whatever records are there.
//!
//! [`ScenarioSpec::survey_2019`] reads the targets from `data/survey/survey-2019.toml`
//! (the MHLW survey of June–October 2019); [`ScenarioSpec::scaled`] keeps the shape with
//! another number of tests (benchmarks); tests build small specs of their own.
//!
//! The records go to the store in batches ([`RecordBatch`]) in the shape the workflows
//! write them, one transaction per batch, so a generated data folder is an ordinary one.

use std::collections::{BTreeMap, HashMap};

use ganome_core::{
    AccessRoute, CaseState, ConsentItems, ConsentMethod, FacilityKind, GermlineDisclosure,
    JpEvidenceLevel, MeetingMode, PanelRole, Role, Sex, SpecimenType, TestProduct, Timestamp,
};
use ganome_store::{
    Attendee, Case, CaseEvent, CaseReview, Consent, Explanation, Facility, GermlineFollowUp,
    NewUser, PanelMeeting, Patient, Recommendation, RecordBatch, SignOff, Treatment,
};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use time::{Date, Duration, Month};

use crate::indicators::JST;
use crate::{Ganome, ServiceError};

const SURVEY_TOML: &str = include_str!("../../../data/survey/survey-2019.toml");

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 20_191_205;

/// Facility counts per tier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TierTargets {
    /// Core hospitals.
    pub core: usize,
    /// Hub hospitals.
    pub hub: usize,
    /// Cooperative hospitals.
    pub cooperative: usize,
}

impl TierTargets {
    fn get(&self, kind: FacilityKind) -> usize {
        match kind {
            FacilityKind::CoreHospital => self.core,
            FacilityKind::HubHospital => self.hub,
            FacilityKind::CooperativeHospital => self.cooperative,
            _ => 0,
        }
    }
}

/// Tests per month for a group of tiers (the survey reports core hospitals and hub plus
/// cooperative hospitals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestGroup {
    /// The tiers whose tests are counted together.
    pub kinds: Vec<FacilityKind>,
    /// Tests in each month of the period.
    pub monthly: Vec<u32>,
}

/// How many tested patients declined which consent item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConsentDeclines {
    /// Declined registration only.
    pub registration_only: usize,
    /// Declined secondary use only.
    pub secondary_use_only: usize,
    /// Declined both.
    pub both: usize,
}

/// Patients treated on a recommendation by the end of the period, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreatedTarget {
    /// Patients.
    pub patients: usize,
    /// Ordering facilities with at least one such patient, by tier.
    pub facilities: TierTargets,
}

/// The expert-panel distribution of one tier in the planned month: facilities by number of
/// meetings, and facilities by mean cases per meeting (inclusive ranges).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierPanelPlan {
    /// The tier.
    pub kind: FacilityKind,
    /// (meetings held, facilities), for facilities that have started testing.
    pub meetings: Vec<(u32, usize)>,
    /// ((lowest, highest) mean cases per meeting, facilities), for facilities holding
    /// at least one meeting.
    pub cases_per_meeting: Vec<((u32, u32), usize)>,
}

/// Expert-panel targets for one month of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelMonthPlan {
    /// Month index within the period.
    pub month: usize,
    /// Per tier.
    pub tiers: Vec<TierPanelPlan>,
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioSpec {
    /// Name, used in usernames and record numbers.
    pub name: String,
    /// First day of the period.
    pub from: Date,
    /// Number of months (the period ends on the last day of the last month).
    pub months: usize,
    /// Tests per month, by group of tiers.
    pub test_groups: Vec<TestGroup>,
    /// Facilities with at least one test in the period, by tier.
    pub facilities_testing: TierTargets,
    /// Consent declines among tested patients.
    pub consent_declines: ConsentDeclines,
    /// Patients treated on a recommendation; `None` leaves it to chance (30 % of the
    /// patients offered an option and told in time).
    pub treated: Option<TreatedTarget>,
    /// Expert-panel targets for one month; other months meet twice a month as needed.
    pub panel_month: Option<PanelMonthPlan>,
    /// Share of consents withdrawn later in the period (0 for the survey).
    pub withdrawal_rate: f64,
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScenarioSummary {
    /// Patients.
    pub patients: usize,
    /// Cases.
    pub cases: usize,
    /// Panel meetings.
    pub meetings: usize,
    /// Case reviews.
    pub reviews: usize,
    /// Treatments (on a recommendation or not).
    pub treatments: usize,
    /// Users created for the scenario (one per role and facility involved).
    pub users: usize,
}

#[derive(Deserialize)]
struct SurveyFile {
    panel_test_facilities: SurveyFacilities,
    panel_tests_monthly: SurveyMonthly,
    consent: SurveyConsent,
    treatment_linked: SurveyTreated,
    expert_panel_meetings: SurveyTable,
    expert_panel_cases_per_meeting: SurveyTable,
}

#[derive(Deserialize)]
struct SurveyFacilities {
    period: SurveyPeriod,
    by_tier: Vec<SurveyTierCount>,
}

#[derive(Deserialize)]
struct SurveyPeriod {
    from: String,
}

#[derive(Deserialize)]
struct SurveyTierCount {
    tier: String,
    facilities: usize,
}

#[derive(Deserialize)]
struct SurveyMonthly {
    months: Vec<String>,
    rows: Vec<SurveyMonthlyRow>,
}

#[derive(Deserialize)]
struct SurveyMonthlyRow {
    tier: String,
    counts: Vec<u32>,
}

#[derive(Deserialize)]
struct SurveyConsent {
    consented_both: usize,
    tested_patients: usize,
    declined_c_cat_registration: usize,
    declined_secondary_use: usize,
}

#[derive(Deserialize)]
struct SurveyTreated {
    patients: usize,
    by_tier: Vec<SurveyTierCount>,
}

#[derive(Deserialize)]
struct SurveyTable {
    period: String,
    columns: Vec<String>,
    rows: Vec<SurveyTableRow>,
}

#[derive(Deserialize)]
struct SurveyTableRow {
    tier: String,
    facilities: Vec<usize>,
}

fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::invalid(field, message)
}

fn tier_kind(field: &str, tier: &str) -> Result<FacilityKind, ServiceError> {
    match tier.parse::<FacilityKind>() {
        Ok(k) if k.is_hospital() => Ok(k),
        _ => Err(invalid(field, format!("'{tier}' is not a hospital tier"))),
    }
}

/// Parses a survey bin label: `3` → (3, 3), `1-5` → (1, 5); the survey's `20-25` (which
/// overlaps `16-20`) is read as 21–25.
fn parse_bin(label: &str) -> Option<(u32, u32)> {
    match label.split_once('-') {
        Some((a, b)) => {
            let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
            Some((if a == 20 && b == 25 { 21 } else { a }, b))
        }
        None => label.parse().ok().map(|n| (n, n)),
    }
}

impl ScenarioSpec {
    /// The survey of June–October 2019, from `data/survey/survey-2019.toml`.
    pub fn survey_2019() -> Result<ScenarioSpec, ServiceError> {
        let s: SurveyFile = toml::from_str(SURVEY_TOML)
            .map_err(|e| invalid("data/survey/survey-2019.toml", e.to_string()))?;
        let from = ganome_core::parse_date(&s.panel_test_facilities.period.from)
            .map_err(|e| invalid("panel_test_facilities.period.from", e))?;
        let mut groups = Vec::new();
        for (i, row) in s.panel_tests_monthly.rows.iter().enumerate() {
            let kinds = match row.tier.as_str() {
                "all" => continue,
                "hub_and_cooperative" => {
                    vec![FacilityKind::HubHospital, FacilityKind::CooperativeHospital]
                }
                t => vec![tier_kind(
                    &format!("panel_tests_monthly.rows[{i}].tier"),
                    t,
                )?],
            };
            groups.push(TestGroup {
                kinds,
                monthly: row.counts.clone(),
            });
        }
        let mut testing = TierTargets::default();
        for (i, t) in s.panel_test_facilities.by_tier.iter().enumerate() {
            if t.tier == "hub_and_cooperative" {
                continue;
            }
            match tier_kind(&format!("panel_test_facilities.by_tier[{i}].tier"), &t.tier)? {
                FacilityKind::CoreHospital => testing.core = t.facilities,
                FacilityKind::HubHospital => testing.hub = t.facilities,
                _ => testing.cooperative = t.facilities,
            }
        }
        // 3 + 5 declines against 805 − 799 = 6 patients: the overlap declined both.
        let c = &s.consent;
        let any = c.tested_patients - c.consented_both;
        let both = (c.declined_c_cat_registration + c.declined_secondary_use).saturating_sub(any);
        let declines = ConsentDeclines {
            registration_only: c.declined_c_cat_registration - both,
            secondary_use_only: c.declined_secondary_use - both,
            both,
        };
        let mut treated = TierTargets::default();
        for (i, t) in s.treatment_linked.by_tier.iter().enumerate() {
            match tier_kind(&format!("treatment_linked.by_tier[{i}].tier"), &t.tier)? {
                FacilityKind::CoreHospital => treated.core = t.facilities,
                FacilityKind::HubHospital => treated.hub = t.facilities,
                _ => treated.cooperative = t.facilities,
            }
        }
        let months: Vec<&str> = s
            .panel_tests_monthly
            .months
            .iter()
            .map(|m| m.as_str())
            .collect();
        let panel_period = s.expert_panel_meetings.period.as_str();
        let month = months
            .iter()
            .position(|m| *m == panel_period)
            .ok_or_else(|| invalid("expert_panel_meetings.period", "not a month of the period"))?;
        let mut tiers = Vec::new();
        for (i, row) in s.expert_panel_meetings.rows.iter().enumerate() {
            let kind = tier_kind(&format!("expert_panel_meetings.rows[{i}].tier"), &row.tier)?;
            let meetings = s
                .expert_panel_meetings
                .columns
                .iter()
                .zip(&row.facilities)
                .filter_map(|(col, n)| parse_bin(col).map(|(m, _)| (m, *n)))
                .filter(|(_, n)| *n > 0)
                .collect();
            let cases_row = s
                .expert_panel_cases_per_meeting
                .rows
                .iter()
                .find(|r| r.tier == row.tier)
                .ok_or_else(|| {
                    invalid(
                        "expert_panel_cases_per_meeting.rows",
                        format!("no row for {}", row.tier),
                    )
                })?;
            let cases_per_meeting = s
                .expert_panel_cases_per_meeting
                .columns
                .iter()
                .zip(&cases_row.facilities)
                .filter_map(|(col, n)| parse_bin(col).map(|b| (b, *n)))
                .filter(|(_, n)| *n > 0)
                .collect();
            tiers.push(TierPanelPlan {
                kind,
                meetings,
                cases_per_meeting,
            });
        }
        Ok(ScenarioSpec {
            name: "survey-2019".into(),
            from,
            months: months.len(),
            test_groups: groups,
            facilities_testing: testing,
            consent_declines: declines,
            treated: Some(TreatedTarget {
                patients: s.treatment_linked.patients,
                facilities: treated,
            }),
            panel_month: Some(PanelMonthPlan { month, tiers }),
            withdrawal_rate: 0.0,
        })
    }

    /// The same period and monthly shape with `cases` tests in all, spread over every
    /// hospital of the network; treatments and panels are left to chance (benchmarks).
    pub fn scaled(&self, cases: u32, network: TierTargets) -> ScenarioSpec {
        let total: u64 = self
            .test_groups
            .iter()
            .flat_map(|g| &g.monthly)
            .map(|n| u64::from(*n))
            .sum::<u64>()
            .max(1);
        let mut groups = self.test_groups.clone();
        let mut assigned = 0u32;
        for g in &mut groups {
            for n in &mut g.monthly {
                *n = (u64::from(*n) * u64::from(cases) / total) as u32;
                assigned += *n;
            }
        }
        // Whatever rounding left goes to the last month of the last group.
        if let Some(last) = groups.last_mut().and_then(|g| g.monthly.last_mut()) {
            *last += cases.saturating_sub(assigned);
        }
        ScenarioSpec {
            name: format!("{}-x{cases}", self.name),
            test_groups: groups,
            facilities_testing: network,
            consent_declines: ConsentDeclines::default(),
            treated: None,
            panel_month: None,
            ..self.clone()
        }
    }

    /// The last day of the period.
    pub fn last_day(&self) -> Date {
        let mut d = self.from;
        for _ in 0..self.months {
            d = next_month(d);
        }
        d.previous_day().unwrap_or(d)
    }
}

fn next_month(d: Date) -> Date {
    let (y, m) = if d.month() == Month::December {
        (d.year() + 1, Month::January)
    } else {
        (d.year(), d.month().next())
    };
    Date::from_calendar_date(y, m, 1).unwrap_or(d)
}

fn at(day: Date, hour: u8, minute: u8) -> Timestamp {
    let t = time::Time::from_hms(hour, minute, 0).unwrap_or(time::Time::MIDNIGHT);
    Timestamp::from_datetime(day.with_time(t).assume_offset(JST))
}

/// Deterministic ids and choices from one seed.
struct Gen {
    rng: StdRng,
}

impl Gen {
    fn id(&mut self) -> String {
        let b: [u8; 16] = self.rng.r#gen();
        hex::encode(b)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.gen_range(0..items.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    fn time(&mut self, day: Date, from_hour: u8, to_hour: u8) -> Timestamp {
        let h = self.rng.gen_range(from_hour..=to_hour);
        let m = self.rng.gen_range(0..60);
        at(day, h, m)
    }
}

/// Diagnoses and their share among panel tests (roughly the C-CAT case mix of 2019–2020).
const DIAGNOSES: &[(&str, u32)] = &[
    ("COADREAD", 18),
    ("PAAD", 14),
    ("CHOL", 8),
    ("BRCA", 7),
    ("STAD", 6),
    ("LUAD", 6),
    ("HGSOC", 5),
    ("PRAD", 4),
    ("ESCC", 3),
    ("UCEC", 3),
    ("GBM", 3),
    ("HNSC", 3),
    ("BLCA", 2),
    ("SKCM", 2),
    ("CUP", 4),
];

/// Options a panel may present: drug, biomarker, evidence level, access route.
const OPTIONS: &[(&str, &str, JpEvidenceLevel, AccessRoute)] = &[
    (
        "osimertinib",
        "EGFR L858R",
        JpEvidenceLevel::A,
        AccessRoute::Approved,
    ),
    (
        "olaparib",
        "BRCA2 truncating",
        JpEvidenceLevel::B,
        AccessRoute::OffLabel,
    ),
    (
        "pembrolizumab",
        "MSI-H",
        JpEvidenceLevel::A,
        AccessRoute::Approved,
    ),
    (
        "entrectinib",
        "NTRK fusion",
        JpEvidenceLevel::A,
        AccessRoute::Approved,
    ),
    (
        "trastuzumab",
        "ERBB2 amplification",
        JpEvidenceLevel::C,
        AccessRoute::ClinicalTrial,
    ),
    (
        "dabrafenib + trametinib",
        "BRAF V600E",
        JpEvidenceLevel::B,
        AccessRoute::PatientProposed,
    ),
    (
        "alpelisib",
        "PIK3CA H1047R",
        JpEvidenceLevel::C,
        AccessRoute::ClinicalTrial,
    ),
    (
        "sotorasib",
        "KRAS G12C",
        JpEvidenceLevel::C,
        AccessRoute::ClinicalTrial,
    ),
];

struct Planned {
    case: Case,
    created_by: String,
    findings_at: Option<Timestamp>,
    paired: bool,
}

/// One panel facility's agenda in the planned month.
struct MonthPlan {
    meetings: u32,
    reviews: u32,
    /// Whether the quota must be met (bins above 1–5 need a minimum).
    strict: bool,
}

/// Generates and loads a scenario; `progress` is told (done, total) cases as batches load.
impl Ganome {
    /// Generates the scenario from `seed` and loads it. Fails, storing nothing of it, if a
    /// scenario with this name was loaded already or the targets cannot be met.
    pub async fn load_scenario(
        &self,
        spec: &ScenarioSpec,
        seed: u64,
        progress: &(dyn Fn(usize, usize) + Send + Sync),
    ) -> Result<ScenarioSummary, ServiceError> {
        let facilities = self.store.list_facilities().await?;
        let marker = format!("{}.operator", spec.name);
        if self.store.get_user_by_username(&marker).await?.is_some() {
            return Err(ServiceError::Conflict(format!(
                "the scenario {} is already loaded here; use a fresh --data-dir",
                spec.name
            )));
        }
        let mut secrets = HashMap::new();
        for f in facilities.iter().filter(|f| f.kind.is_hospital()) {
            secrets.insert(f.id.clone(), self.store.facility_secret(&f.id).await?);
        }
        let mut year_offsets = BTreeMap::new();
        for y in spec.from.year()..=spec.last_day().year() {
            year_offsets.insert(y, self.store.count_cases_registered_in(y).await?);
        }
        let generated = generate(spec, seed, &facilities, &secrets, &year_offsets)?;
        for u in &generated.users {
            self.store.insert_user(u).await?;
        }
        let total: usize = generated.batches.iter().map(|b| b.cases.len()).sum();
        let mut done = 0;
        for b in &generated.batches {
            self.store.load_records(b).await?;
            done += b.cases.len();
            progress(done, total);
        }
        self.store.refresh_statistics().await?;
        Ok(generated.summary)
    }
}

/// The records of a scenario, ready to load.
pub struct GeneratedScenario {
    /// Users to create first.
    pub users: Vec<NewUser>,
    /// Batches in load order (foreign keys point to earlier batches).
    pub batches: Vec<RecordBatch>,
    /// Counts.
    pub summary: ScenarioSummary,
}

/// Generates a scenario over `facilities` (the network as stored). `secrets` are the
/// facilities' pseudonymisation secrets; `year_offsets` the cases already registered in
/// each year (case numbers continue from them).
pub fn generate(
    spec: &ScenarioSpec,
    seed: u64,
    facilities: &[Facility],
    secrets: &HashMap<String, Vec<u8>>,
    year_offsets: &BTreeMap<i32, i64>,
) -> Result<GeneratedScenario, ServiceError> {
    let mut g = Gen {
        rng: StdRng::seed_from_u64(seed),
    };
    let last_day = spec.last_day();
    let period_end = at(last_day, 23, 59);
    let mut month_starts = vec![spec.from];
    for _ in 1..spec.months {
        let next = next_month(*month_starts.last().unwrap_or(&spec.from));
        month_starts.push(next);
    }
    for (i, grp) in spec.test_groups.iter().enumerate() {
        if grp.monthly.len() != spec.months {
            return Err(invalid(
                &format!("test_groups[{i}].monthly"),
                format!(
                    "has {} months, the period {}",
                    grp.monthly.len(),
                    spec.months
                ),
            ));
        }
    }
    let by_id: HashMap<&str, &Facility> = facilities.iter().map(|f| (f.id.as_str(), f)).collect();
    let data_center = facilities
        .iter()
        .find(|f| f.kind == FacilityKind::DataCenter)
        .ok_or_else(|| invalid("network", "no data center; load the network first"))?;
    let labs: Vec<&Facility> = facilities
        .iter()
        .filter(|f| f.kind == FacilityKind::Lab)
        .collect();
    if labs.is_empty() {
        return Err(invalid("network", "no lab; load the network first"));
    }

    // 1. Which facilities test: core and hub hospitals first, then cooperative hospitals
    //    linked to one of them (their cases go to that panel).
    let mut testing: Vec<&Facility> = Vec::new();
    for kind in [FacilityKind::CoreHospital, FacilityKind::HubHospital] {
        let mut pool: Vec<&Facility> = facilities.iter().filter(|f| f.kind == kind).collect();
        let want = spec.facilities_testing.get(kind);
        if pool.len() < want {
            return Err(invalid(
                "facilities_testing",
                format!(
                    "{want} {kind} facilities wanted, the network has {}",
                    pool.len()
                ),
            ));
        }
        pool.shuffle(&mut g.rng);
        testing.extend(pool.into_iter().take(want));
    }
    let panels_testing: Vec<String> = testing.iter().map(|f| f.id.clone()).collect();
    let mut coops: Vec<&Facility> = facilities
        .iter()
        .filter(|f| f.kind == FacilityKind::CooperativeHospital)
        .filter(|f| {
            f.panel_facility_on(spec.from)
                .is_some_and(|p| panels_testing.iter().any(|t| t == p))
        })
        .collect();
    let want = spec.facilities_testing.cooperative;
    if coops.len() < want {
        return Err(invalid(
            "facilities_testing.cooperative",
            format!(
                "{want} cooperative hospitals wanted, {} are linked to a testing core or hub hospital",
                coops.len()
            ),
        ));
    }
    coops.shuffle(&mut g.rng);
    testing.extend(coops.into_iter().take(want));

    // 2. The panel plan decides which facilities need volume: pair each tier's
    //    cases-per-meeting bins (largest first) with its meeting counts (fewest first).
    let mut plan: HashMap<String, (u32, (u32, u32))> = HashMap::new();
    if let Some(pm) = &spec.panel_month {
        for (ti, tp) in pm.tiers.iter().enumerate() {
            let mut tier_fac: Vec<&&Facility> =
                testing.iter().filter(|f| f.kind == tp.kind).collect();
            let started: usize = tp.meetings.iter().map(|(_, n)| n).sum();
            if started != tier_fac.len() {
                return Err(invalid(
                    &format!("panel_month.tiers[{ti}].meetings"),
                    format!(
                        "counts {started} facilities that have started, but {} {} facilities test",
                        tier_fac.len(),
                        tp.kind
                    ),
                ));
            }
            let mut counts: Vec<u32> = tp
                .meetings
                .iter()
                .flat_map(|(m, n)| std::iter::repeat_n(*m, *n))
                .filter(|m| *m > 0)
                .collect();
            counts.sort_unstable();
            let mut bins: Vec<(u32, u32)> = tp
                .cases_per_meeting
                .iter()
                .flat_map(|(b, n)| std::iter::repeat_n(*b, *n))
                .collect();
            bins.sort_unstable_by(|a, b| b.cmp(a));
            if bins.len() != counts.len() {
                return Err(invalid(
                    &format!("panel_month.tiers[{ti}].cases_per_meeting"),
                    format!(
                        "{} facilities binned, {} held meetings",
                        bins.len(),
                        counts.len()
                    ),
                ));
            }
            tier_fac.shuffle(&mut g.rng);
            for ((f, m), b) in tier_fac.iter().zip(counts).zip(bins) {
                plan.insert(f.id.clone(), (m, b));
            }
        }
    }

    // 3. Start months and tests per facility and month.
    let weight = |f: &Facility, g: &mut Gen| -> f64 {
        if let Some((m, (lo, _))) = plan.get(&f.id) {
            // Volume for the planned month's agenda, with room to spare.
            return 4.0 + f64::from(*m) * f64::from(*lo) * 1.5;
        }
        match f.kind {
            FacilityKind::CoreHospital => g.rng.gen_range(4.0..10.0),
            FacilityKind::HubHospital => g.rng.gen_range(1.0..4.0),
            _ => g.rng.gen_range(0.3..1.5),
        }
    };
    let mut tests: Vec<(usize, usize)> = Vec::new(); // (facility index in `testing`, month)
    for (gi, grp) in spec.test_groups.iter().enumerate() {
        let members: Vec<usize> = (0..testing.len())
            .filter(|i| grp.kinds.contains(&testing[*i].kind))
            .collect();
        let total: u32 = grp.monthly.iter().sum();
        if (total as usize) < members.len() {
            return Err(invalid(
                &format!("test_groups[{gi}].monthly"),
                format!(
                    "{total} tests cannot reach {} testing facilities",
                    members.len()
                ),
            ));
        }
        let weights: Vec<f64> = members
            .iter()
            .map(|i| weight(testing[*i], &mut g))
            .collect();
        let mut waiting: Vec<usize> = (0..members.len()).collect();
        waiting.shuffle(&mut g.rng);
        let mut active: Vec<usize> = Vec::new();
        for (m, n) in grp.monthly.iter().enumerate() {
            let n = *n as usize;
            let later: usize = grp.monthly[m + 1..].iter().map(|x| *x as usize).sum();
            let must = waiting.len().saturating_sub(later);
            let mut start = (n * 3).div_ceil(4).min(waiting.len());
            start = start.max(must).min(n);
            for _ in 0..start {
                if let Some(w) = waiting.pop() {
                    tests.push((members[w], m));
                    active.push(w);
                }
            }
            let total_w: f64 = active.iter().map(|a| weights[*a]).sum();
            for _ in start..n {
                let mut x = g.rng.gen_range(0.0..total_w.max(f64::MIN_POSITIVE));
                let mut chosen = active[0];
                for a in &active {
                    x -= weights[*a];
                    if x <= 0.0 {
                        chosen = *a;
                        break;
                    }
                }
                tests.push((members[chosen], m));
            }
        }
    }
    tests.sort_unstable();

    // 4. Users: one clinician per testing facility, a chair per panel, a lab account per lab,
    //    an administrator at the data center (issues findings).
    let now = Timestamp::now();
    let mut users: Vec<NewUser> = Vec::new();
    let mut user_of: HashMap<(String, Role), String> = HashMap::new();
    let mut add_user = |g: &mut Gen, facility: &str, role: Role| -> String {
        if let Some(id) = user_of.get(&(facility.to_owned(), role)) {
            return id.clone();
        }
        let id = g.id();
        users.push(NewUser {
            id: id.clone(),
            username: format!(
                "{}.{}.{}",
                spec.name,
                facility.to_lowercase(),
                role.as_str()
            ),
            display_name: format!("{} {} ({})", spec.name, role.label_ja(), facility),
            password_hash: None,
            role,
            facility_id: facility.to_owned(),
            created_at: now,
        });
        user_of.insert((facility.to_owned(), role), id.clone());
        id
    };
    let operator_id = g.id();
    let admin = add_user(&mut g, &data_center.id, Role::Administrator);

    // 5. Patients, consents and cases with their pipeline up to findings.
    let n_tests = tests.len();
    let mut decline: Vec<u8> = vec![0; n_tests]; // 1 registration, 2 secondary use, 3 both
    let d = spec.consent_declines;
    let mut idx: Vec<usize> = (0..n_tests).collect();
    idx.shuffle(&mut g.rng);
    let needed = d.registration_only + d.secondary_use_only + d.both;
    if needed > n_tests {
        return Err(invalid("consent_declines", "more declines than tests"));
    }
    let mut it = idx.into_iter();
    for (count, flag) in [
        (d.registration_only, 1u8),
        (d.secondary_use_only, 2),
        (d.both, 3),
    ] {
        for i in it.by_ref().take(count) {
            decline[i] = flag;
        }
    }
    let diag_total: u32 = DIAGNOSES.iter().map(|(_, w)| w).sum();
    let mut batch = RecordBatch::default();
    let mut planned: Vec<Planned> = Vec::with_capacity(n_tests);
    let mut case_numbers: BTreeMap<i32, i64> = year_offsets.clone();
    let mut all_events: HashMap<String, Vec<CaseEvent>> = HashMap::new();
    let mut order_key: Vec<(Timestamp, usize)> = Vec::new();
    for (ti, (fi, m)) in tests.iter().enumerate() {
        let f = testing[*fi];
        let month_start = month_starts[*m];
        let month_end = next_month(month_start)
            .previous_day()
            .unwrap_or(month_start)
            .min(last_day);
        let span = (month_end - month_start).whole_days();
        let ship_day = month_start + Duration::days(g.rng.gen_range(0..=span));
        let back = g
            .rng
            .gen_range(0..=3)
            .min((ship_day - month_start).whole_days());
        let reg_day = ship_day - Duration::days(back);
        let registered_at = g.time(reg_day, 9, 11);
        order_key.push((registered_at, ti));
        let _ = f;
    }
    // Case numbers follow registration order, as the store issues them.
    order_key.sort();
    let mut number_of = vec![String::new(); n_tests];
    for (t, ti) in &order_key {
        let y = t.datetime().year();
        let n = case_numbers.entry(y).or_insert(0);
        *n += 1;
        number_of[*ti] = format!("GNM-{y}-{:06}", n);
    }
    let reg_times: HashMap<usize, Timestamp> = order_key.iter().map(|(t, i)| (*i, *t)).collect();
    for (ti, (fi, _m)) in tests.iter().enumerate() {
        let f = testing[*fi];
        let clinician = add_user(&mut g, &f.id, Role::Clinician);
        let registered_at = reg_times[&ti];
        let reg_day = registered_at.datetime().to_offset(JST).date();
        let ship_day = {
            let month_end = next_month(reg_day.replace_day(1).unwrap_or(reg_day))
                .previous_day()
                .unwrap_or(reg_day)
                .min(last_day);
            let extra = g
                .rng
                .gen_range(0..=3)
                .min((month_end - reg_day).whole_days());
            reg_day + Duration::days(extra)
        };
        let patient_id = g.id();
        let record_number = format!("{}-{:06}", spec.name, ti + 1);
        let secret = secrets.get(&f.id).map(Vec::as_slice).unwrap_or(&[]);
        let birth_year = g.rng.gen_range(1935..=2005);
        batch.patients.push((
            Patient {
                id: patient_id.clone(),
                facility_id: f.id.clone(),
                pseudonym: crate::patients::pseudonym(secret, &record_number),
                sex: if g.chance(0.5) {
                    Sex::Male
                } else {
                    Sex::Female
                },
                birth_year,
                birth_month: g.rng.gen_range(1..=12),
                created_at: registered_at,
            },
            clinician.clone(),
        ));
        let given_at = at(reg_day, 8, g.rng.gen_range(0..60));
        let (reg_ok, sec_ok) = match decline[ti] {
            1 => (false, true),
            2 => (true, false),
            3 => (false, false),
            _ => (true, true),
        };
        let withdrawn_at = (spec.withdrawal_rate > 0.0 && g.chance(spec.withdrawal_rate))
            .then(|| {
                let left = (last_day - reg_day).whole_days();
                let day = reg_day + Duration::days(g.rng.gen_range(0..=left));
                g.time(day, 12, 17)
            })
            .filter(|w| *w > given_at);
        batch.consents.push(Consent {
            id: g.id(),
            patient_id: patient_id.clone(),
            form_version: "C-CAT 2019.1".into(),
            method: if g.chance(0.8) {
                ConsentMethod::Paper
            } else {
                ConsentMethod::Electronic
            },
            items: ConsentItems {
                registration: reg_ok,
                secondary_use_academia: sec_ok,
                secondary_use_industry: sec_ok && g.chance(0.9),
                overseas_transfer: sec_ok && g.chance(0.6),
                recontact: g.chance(0.7),
                germline_disclosure: *g.pick(&[
                    GermlineDisclosure::Disclose,
                    GermlineDisclosure::Disclose,
                    GermlineDisclosure::DoNotDisclose,
                    GermlineDisclosure::Undecided,
                ]),
            },
            given_at,
            withdrawn_at,
            recorded_by: clinician.clone(),
        });
        let lab_index = g.rng.gen_range(0..labs.len());
        let lab = labs[lab_index];
        let lab_user = add_user(&mut g, &lab.id, Role::Lab);
        // The first lab (Sysmex, NCC オンコパネル) sequences tumour and blood.
        let paired = lab_index == 0;
        let (product, specimen) = if paired {
            (TestProduct::NccOncoPanel, SpecimenType::Ffpe)
        } else {
            (TestProduct::FoundationOneCdx, SpecimenType::Ffpe)
        };
        let mut x = g.rng.gen_range(0..diag_total);
        let mut code = DIAGNOSES[0].0;
        for (c, w) in DIAGNOSES {
            if x < *w {
                code = c;
                break;
            }
            x -= w;
        }
        let panel = f
            .panel_facility_on(reg_day)
            .ok_or_else(|| invalid("network", format!("{} has no panel", f.id)))?
            .to_owned();
        let case_id = g.id();
        let mut events = vec![CaseEvent {
            seq: 1,
            state: CaseState::Registered,
            at: registered_at,
            by_user: clinician.clone(),
            note: None,
        }];
        let shipped_at = g.time(ship_day, 13, 17).max(registered_at);
        events.push(CaseEvent {
            seq: 2,
            state: CaseState::SpecimenShipped,
            at: shipped_at,
            by_user: clinician.clone(),
            note: None,
        });
        let results_day = ship_day + Duration::days(g.rng.gen_range(10..=21));
        let results_at = g.time(results_day, 10, 17);
        let findings_day = results_day + Duration::days(g.rng.gen_range(2..=7));
        let findings_at = g.time(findings_day, 10, 17);
        let mut findings = None;
        if results_at <= period_end {
            events.push(CaseEvent {
                seq: 3,
                state: CaseState::ResultsReceived,
                at: results_at,
                by_user: lab_user,
                note: None,
            });
            if findings_at <= period_end {
                events.push(CaseEvent {
                    seq: 4,
                    state: CaseState::FindingsIssued,
                    at: findings_at,
                    by_user: admin.clone(),
                    note: None,
                });
                findings = Some(findings_at);
            }
        }
        let last = events
            .last()
            .map(|e| (e.state, e.at))
            .unwrap_or((CaseState::Registered, registered_at));
        all_events.insert(case_id.clone(), events);
        planned.push(Planned {
            case: Case {
                id: case_id,
                case_number: number_of[ti].clone(),
                patient_id,
                ordering_facility_id: f.id.clone(),
                panel_facility_id: panel,
                lab_facility_id: lab.id.clone(),
                test_product: product,
                specimen_type: specimen,
                specimen_site: Some("primary".into()),
                specimen_collected_on: Some(reg_day - Duration::days(g.rng.gen_range(7..=60))),
                tumor_content_pct: Some(f64::from(g.rng.gen_range(20..=80u8))),
                oncotree_code: code.to_owned(),
                stage: Some("IV".into()),
                ecog_ps: Some(g.rng.gen_range(0..=1)),
                state: last.0,
                registered_at,
                updated_at: last.1,
            },
            created_by: clinician.clone(),
            findings_at: findings,
            paired,
        });
    }

    // 6. Panels. Cases wait for their panel's next meeting after findings. In the planned
    //    month each planned panel holds its meetings and reviews its quota; before it, a
    //    planned panel keeps a backlog from the latest cutoff that still fills the quota.
    let mut by_panel: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in planned.iter().enumerate() {
        if p.findings_at.is_some() {
            by_panel
                .entry(p.case.panel_facility_id.clone())
                .or_default()
                .push(i);
        }
    }
    for list in by_panel.values_mut() {
        list.sort_by_key(|i| planned[*i].findings_at);
    }
    let plan_month = spec.panel_month.as_ref().map(|p| p.month);
    let mut meetings: Vec<PanelMeeting> = Vec::new();
    let mut reviewed: Vec<Option<(usize, Timestamp)>> = vec![None; n_tests]; // (meeting, signed)
    let mut panel_ids: Vec<String> = by_panel.keys().cloned().collect();
    for fid in plan.keys() {
        if !panel_ids.contains(fid) {
            panel_ids.push(fid.clone());
        }
    }
    panel_ids.sort();
    let empty = Vec::new();
    for pid in &panel_ids {
        let cases = by_panel.get(pid).unwrap_or(&empty);
        let chair = add_user(&mut g, pid, Role::PanelChair);
        let host = by_id.get(pid.as_str());
        let in_house = host.is_some_and(|f| f.kind == FacilityKind::CoreHospital) && g.chance(0.3);
        // The planned month: meeting days and quota.
        // ceil(reviews / meetings) must fall in the bin: reviews in ((lo-1)·m, hi·m].
        let month_plan = plan.get(pid).map(|(m, (lo, hi))| {
            let strict = *lo > 1;
            let lo_total = if strict { (lo - 1) * m + 1 } else { *m };
            let hi_total = (hi * m).max(lo_total);
            let span = (hi_total - lo_total) / 3;
            MonthPlan {
                meetings: *m,
                reviews: lo_total + g.rng.gen_range(0..=span),
                strict,
            }
        });
        let mut meeting_days: Vec<(Date, Option<u32>)> = Vec::new(); // (day, quota or all)
        for (mi, start) in month_starts.iter().enumerate() {
            let end = next_month(*start)
                .previous_day()
                .unwrap_or(*start)
                .min(last_day);
            if Some(mi) == plan_month && plan.contains_key(pid) {
                let mp = month_plan
                    .as_ref()
                    .map(|p| (p.meetings, p.reviews))
                    .unwrap_or((0, 0));
                let n = mp.0.max(1);
                let span = (end - *start).whole_days();
                for j in 0..mp.0 {
                    let offset = span - (i64::from(n - 1 - j) * span / i64::from(n + 1)).min(span);
                    meeting_days.push((*start + Duration::days(offset.max(0)), Some(mp.1)));
                }
            } else if Some(mi) == plan_month && spec.panel_month.is_some() {
                // Not planned for this month: no meetings (the survey's 0回 and その他).
            } else {
                for day in [10, 24] {
                    if let Ok(d) = start.replace_day(day)
                        && d <= end
                    {
                        meeting_days.push((d, None));
                    }
                }
            }
        }
        // Backlog cutoff for a planned panel: the latest Monday-aligned week such that the
        // cases with findings from the cutoff to the last planned meeting fill the quota.
        let cutoff = match (&month_plan, plan_month) {
            (Some(mp), Some(mi)) if mp.reviews > 0 => {
                let last_meeting = meeting_days
                    .iter()
                    .filter(|(_, q)| q.is_some())
                    .map(|(d, _)| *d)
                    .max()
                    .unwrap_or(month_starts[mi]);
                let limit = at(last_meeting, 0, 0);
                let mut c = month_starts[mi];
                loop {
                    let lower = at(c, 0, 0);
                    let n = cases
                        .iter()
                        .filter(|i| {
                            planned[**i]
                                .findings_at
                                .is_some_and(|t| t >= lower && t < limit)
                        })
                        .count();
                    if n >= mp.reviews as usize || c <= spec.from {
                        if n < mp.reviews as usize && mp.strict {
                            return Err(ServiceError::Conflict(format!(
                                "seed {seed}: panel {pid} has {n} cases for the {} reviews planned; try another seed",
                                mp.reviews
                            )));
                        }
                        break Some(lower);
                    }
                    c -= Duration::days(7);
                }
            }
            _ => None,
        };
        let mut queue: std::collections::VecDeque<usize> = cases.iter().copied().collect();
        let mut planned_left = month_plan.as_ref().map_or(0, |p| p.reviews as usize);
        let n_planned = meeting_days.iter().filter(|(_, q)| q.is_some()).count();
        let mut planned_seen = 0;
        for (day, quota) in &meeting_days {
            let limit = at(*day, 0, 0);
            let eligible: Vec<usize> = queue
                .iter()
                .copied()
                .filter(|i| {
                    planned[*i].findings_at.is_some_and(|t| {
                        t < limit
                            && (quota.is_some()
                                || cutoff.is_none()
                                || t < cutoff.unwrap_or(limit)
                                || *day > month_starts[plan_month.unwrap_or(0)])
                    })
                })
                .collect();
            let take = match quota {
                Some(_) => {
                    planned_seen += 1;
                    let remaining_meetings = n_planned - planned_seen;
                    let share = if remaining_meetings == 0 {
                        planned_left
                    } else {
                        planned_left.div_ceil(remaining_meetings + 1)
                    };
                    share.min(eligible.len())
                }
                None => eligible.len().min(30),
            };
            if take == 0 && quota.is_none() {
                continue;
            }
            if quota.is_some() {
                planned_left -= take;
            }
            let mi = meetings.len();
            let held_at = at(*day, 18, 0);
            meetings.push(PanelMeeting {
                id: g.id(),
                panel_facility_id: pid.clone(),
                held_on: *day,
                mode: if g.chance(0.7) {
                    MeetingMode::RealTime
                } else {
                    MeetingMode::Video
                },
                sequencing_in_house: in_house,
                chair_user_id: Some(chair.clone()),
                attendees: attendees(&chair, in_house),
                finalised_at: Some(held_at),
                created_by: chair.clone(),
                created_at: at(*day, 9, 0),
            });
            let chosen: Vec<usize> = eligible.into_iter().take(take).collect();
            queue.retain(|i| !chosen.contains(i));
            for i in chosen {
                reviewed[i] = Some((mi, at(*day, 19, 0)));
            }
        }
        if planned_left > 0 && month_plan.as_ref().is_some_and(|p| p.strict) {
            return Err(ServiceError::Conflict(format!(
                "seed {seed}: panel {pid} could review {} fewer cases than planned; try another seed",
                planned_left
            )));
        }
    }

    // 7. Reviews, explanations and treatments.
    let mut reviews: Vec<CaseReview> = Vec::new();
    // (day, recommendations as (id, drug, route))
    type Offered = Vec<(String, String, AccessRoute)>;
    let mut explained: Vec<Option<(Date, Offered)>> = vec![None; n_tests];
    let mut explanations: Vec<Explanation> = Vec::new();
    for (i, p) in planned.iter().enumerate() {
        let Some((mi, signed)) = reviewed[i] else {
            continue;
        };
        let meeting = &meetings[mi];
        let chair = meeting.chair_user_id.clone().unwrap_or_default();
        let review_id = g.id();
        let mut recs = Vec::new();
        if g.chance(0.6) {
            for ordinal in 1..=g.rng.gen_range(1..=3) {
                let (drug, biomarker, level, route) = *g.pick(OPTIONS);
                recs.push(Recommendation {
                    id: g.id(),
                    review_id: review_id.clone(),
                    case_id: p.case.id.clone(),
                    ordinal,
                    drug: drug.into(),
                    biomarker: Some(biomarker.into()),
                    evidence_level: level,
                    access_route: route,
                    trial_id: (route == AccessRoute::ClinicalTrial)
                        .then(|| format!("jRCT20310{:05}", g.rng.gen_range(0..100_000))),
                    note: None,
                });
            }
        }
        let referral = g.chance(if p.paired { 0.08 } else { 0.04 });
        reviews.push(CaseReview {
            id: review_id,
            case_id: p.case.id.clone(),
            meeting_id: meeting.id.clone(),
            findings_version: format!("{}/v1", p.case.case_number),
            discussion: if recs.is_empty() {
                "No actionable alteration; standard care continues.".into()
            } else {
                "Actionable alteration; options presented as listed.".into()
            },
            germline: GermlineFollowUp {
                counselling_referral: referral,
                confirmatory_test: referral && g.chance(0.5),
                note: referral.then(|| "presumed germline variant; refer".to_owned()),
            },
            recommendations: recs.clone(),
            signoffs: vec![SignOff {
                user_id: chair.clone(),
                signed_at: signed,
            }],
            signed_off_at: Some(signed),
            created_by: chair.clone(),
            created_at: meeting.created_at,
        });
        let events = all_events
            .get_mut(&p.case.id)
            .expect("events of every case");
        events.push(CaseEvent {
            seq: events.len() as i64 + 1,
            state: CaseState::PanelReviewed,
            at: signed,
            by_user: chair,
            note: None,
        });
        let day = meeting.held_on + Duration::days(g.rng.gen_range(2..=10));
        if day <= last_day {
            let clinician = add_user(&mut g, &p.case.ordering_facility_id, Role::Clinician);
            let t = g.time(day, 10, 16);
            explanations.push(Explanation {
                id: g.id(),
                case_id: p.case.id.clone(),
                explained_on: day,
                explained_by: "主治医".into(),
                note: None,
                recorded_by: clinician.clone(),
                recorded_at: t,
            });
            events.push(CaseEvent {
                seq: events.len() as i64 + 1,
                state: CaseState::Explained,
                at: t,
                by_user: clinician,
                note: None,
            });
            explained[i] = Some((
                day,
                recs.iter()
                    .map(|r| (r.id.clone(), r.drug.clone(), r.access_route))
                    .collect(),
            ));
        }
    }
    // Who is treated on a recommendation.
    let candidates: Vec<usize> = (0..n_tests)
        .filter(|i| {
            explained[*i]
                .as_ref()
                .is_some_and(|(d, r)| !r.is_empty() && *d < last_day)
        })
        .collect();
    let mut treated: Vec<usize> = Vec::new();
    match spec.treated {
        None => {
            for i in &candidates {
                if g.chance(0.3) {
                    treated.push(*i);
                }
            }
        }
        Some(target) => {
            let mut per_fac: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for i in &candidates {
                per_fac
                    .entry(planned[*i].case.ordering_facility_id.as_str())
                    .or_default()
                    .push(*i);
            }
            let mut chosen: Vec<&str> = Vec::new();
            for kind in [
                FacilityKind::CoreHospital,
                FacilityKind::HubHospital,
                FacilityKind::CooperativeHospital,
            ] {
                let mut pool: Vec<(&str, usize)> = per_fac
                    .iter()
                    .filter(|(f, _)| by_id.get(*f).is_some_and(|x| x.kind == kind))
                    .map(|(f, v)| (*f, v.len()))
                    .collect();
                let want = target.facilities.get(kind);
                if pool.len() < want {
                    return Err(ServiceError::Conflict(format!(
                        "seed {seed}: {want} {kind} facilities should treat, {} can; try another seed",
                        pool.len()
                    )));
                }
                // The facilities with most candidates (ties in random order): the survey's
                // treating facilities are few and busy.
                pool.shuffle(&mut g.rng);
                pool.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
                chosen.extend(pool.into_iter().take(want).map(|(f, _)| f));
            }
            let mut lists: Vec<Vec<usize>> = chosen
                .iter()
                .map(|f| {
                    let mut v = per_fac[f].clone();
                    v.shuffle(&mut g.rng);
                    v
                })
                .collect();
            let capacity: usize = lists.iter().map(Vec::len).sum();
            if capacity < target.patients || lists.len() > target.patients {
                return Err(ServiceError::Conflict(format!(
                    "seed {seed}: {} patients should be treated at {} facilities, {capacity} can; try another seed",
                    target.patients,
                    lists.len()
                )));
            }
            for l in &mut lists {
                if let Some(i) = l.pop() {
                    treated.push(i);
                }
            }
            while treated.len() < target.patients {
                let open: Vec<usize> = (0..lists.len()).filter(|k| !lists[*k].is_empty()).collect();
                let k = *g.pick(&open);
                if let Some(i) = lists[k].pop() {
                    treated.push(i);
                }
            }
        }
    }
    treated.sort_unstable();
    let mut treatments: Vec<Treatment> = Vec::new();
    for i in 0..n_tests {
        let Some((day, recs)) = &explained[i] else {
            continue;
        };
        let on_rec = treated.binary_search(&i).is_ok();
        // Some explained patients get standard therapy instead (not on a recommendation).
        if !on_rec && !g.chance(0.15) {
            continue;
        }
        let p = &planned[i];
        let clinician = add_user(&mut g, &p.case.ordering_facility_id, Role::Clinician);
        let start = (*day + Duration::days(g.rng.gen_range(1..=10))).min(last_day);
        let recorded = g.time(start, 17, 19);
        let (rec, regimen, route, reason) = if on_rec {
            let (rid, drug, route) = g.pick(recs).clone();
            (Some(rid), drug, route, None)
        } else {
            (
                None,
                "standard chemotherapy".to_owned(),
                AccessRoute::Approved,
                (!recs.is_empty()).then(|| "recommended drug not accessible".to_owned()),
            )
        };
        treatments.push(Treatment {
            id: g.id(),
            case_id: p.case.id.clone(),
            line: 2,
            regimen,
            started_on: start,
            ended_on: None,
            recommendation_id: rec,
            access_route: route,
            not_given_reason: reason,
            best_response: None,
            progression_on: None,
            adverse_events: Vec::new(),
            recorded_by: clinician.clone(),
            recorded_at: recorded,
            updated_at: recorded,
        });
        let events = all_events
            .get_mut(&p.case.id)
            .expect("events of every case");
        events.push(CaseEvent {
            seq: events.len() as i64 + 1,
            state: CaseState::FollowedUp,
            at: recorded,
            by_user: clinician,
            note: None,
        });
    }

    // 8. Batches in load order.
    users.push(NewUser {
        id: operator_id,
        username: format!("{}.operator", spec.name),
        display_name: format!("{} scenario loader", spec.name),
        password_hash: None,
        role: Role::Administrator,
        facility_id: data_center.id.clone(),
        created_at: now,
    });
    let summary = ScenarioSummary {
        patients: batch.patients.len(),
        cases: planned.len(),
        meetings: meetings.len(),
        reviews: reviews.len(),
        treatments: treatments.len(),
        users: users.len(),
    };
    const CHUNK: usize = 2000;
    let mut batches = Vec::new();
    let patients = std::mem::take(&mut batch.patients);
    let consents = std::mem::take(&mut batch.consents);
    let mut p_iter = patients.into_iter();
    let mut c_iter = consents.into_iter();
    let mut case_iter = planned.into_iter();
    loop {
        let mut b = RecordBatch {
            patients: p_iter.by_ref().take(CHUNK).collect(),
            consents: c_iter.by_ref().take(CHUNK).collect(),
            ..RecordBatch::default()
        };
        for p in case_iter.by_ref().take(CHUNK) {
            let mut case = p.case;
            let events = all_events.remove(&case.id).unwrap_or_default();
            if let Some(last) = events.last() {
                case.state = last.state;
                case.updated_at = last.at;
            }
            b.events
                .extend(events.into_iter().map(|e| (case.id.clone(), e)));
            b.cases.push((case, p.created_by));
        }
        if b.patients.is_empty() && b.cases.is_empty() {
            break;
        }
        batches.push(b);
    }
    batches.push(RecordBatch {
        meetings,
        ..RecordBatch::default()
    });
    let mut r_iter = reviews.into_iter();
    loop {
        let rs: Vec<CaseReview> = r_iter.by_ref().take(CHUNK).collect();
        if rs.is_empty() {
            break;
        }
        batches.push(RecordBatch {
            reviews: rs,
            ..RecordBatch::default()
        });
    }
    batches.push(RecordBatch {
        explanations,
        treatments,
        ..RecordBatch::default()
    });
    Ok(GeneratedScenario {
        users,
        batches,
        summary,
    })
}

/// The attendees of a meeting: the composition the designation requires, chaired by the
/// panel chair.
fn attendees(chair: &str, in_house: bool) -> Vec<Attendee> {
    let mut a = vec![
        Attendee {
            name: "議長".into(),
            panel_role: PanelRole::DrugTherapyPhysician,
            user_id: Some(chair.to_owned()),
        },
        Attendee {
            name: "遺伝医学".into(),
            panel_role: PanelRole::ClinicalGeneticsPhysician,
            user_id: None,
        },
        Attendee {
            name: "遺伝カウンセラー".into(),
            panel_role: PanelRole::GeneticCounsellor,
            user_id: None,
        },
        Attendee {
            name: "病理".into(),
            panel_role: PanelRole::Pathologist,
            user_id: None,
        },
        Attendee {
            name: "分子遺伝学".into(),
            panel_role: PanelRole::MolecularGeneticsExpert,
            user_id: None,
        },
        Attendee {
            name: "主治医".into(),
            panel_role: PanelRole::AttendingPhysician,
            user_id: None,
        },
    ];
    if in_house {
        a.push(Attendee {
            name: "バイオインフォマティクス".into(),
            panel_role: PanelRole::Bioinformatician,
            user_id: None,
        });
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survey_spec_reads_the_seed_tables() {
        let s = ScenarioSpec::survey_2019().unwrap();
        assert_eq!(s.months, 5);
        assert_eq!(s.test_groups[0].monthly, [0, 13, 54, 100, 179]);
        assert_eq!(s.test_groups[1].monthly, [2, 20, 101, 116, 220]);
        assert_eq!(
            s.facilities_testing,
            TierTargets {
                core: 8,
                hub: 23,
                cooperative: 31
            }
        );
        assert_eq!(
            s.consent_declines,
            ConsentDeclines {
                registration_only: 1,
                secondary_use_only: 3,
                both: 2
            }
        );
        assert_eq!(s.treated.unwrap().patients, 88);
        let pm = s.panel_month.clone().unwrap();
        assert_eq!(pm.month, 4);
        assert_eq!(pm.tiers[0].meetings, [(3, 2), (4, 3), (5, 3)]);
        assert_eq!(
            pm.tiers[0].cases_per_meeting,
            [((1, 5), 4), ((6, 10), 3), ((21, 25), 1)]
        );
        assert_eq!(s.last_day(), time::macros::date!(2019 - 10 - 31));
    }

    #[test]
    fn bins_parse_as_printed() {
        assert_eq!(parse_bin("1-5"), Some((1, 5)));
        assert_eq!(parse_bin("20-25"), Some((21, 25)));
        assert_eq!(parse_bin("3"), Some((3, 3)));
        assert_eq!(parse_bin("other"), None);
        assert_eq!(parse_bin("not_held"), None);
    }
}
