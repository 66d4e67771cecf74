//! National indicators (全国の実施状況), computed live from the records: panel tests per
//! month by facility tier, facilities testing, consent, patients treated on a panel
//! recommendation, expert-panel meetings and cases per meeting, turnaround times, germline
//! follow-up. The definitions (which event makes a test, which consent counts, …) are in
//! `docs/indicators.md` with the lines of the 2019 survey they follow.
//!
//! The per-case facts are held in memory and kept current from the store's change feed
//! ([`FactsReplica`]); they are aggregated by facility and month for the window, and this
//! module sums those by tier, bins the panel distributions (meetings come from the store,
//! grouped by facility and month) and turns day histograms into quartiles. Only aggregates
//! leave this module. Indicators are aggregated counts, not patient
//! data, but they describe hospitals' activity: reading them needs a login with an
//! administrator or auditor role (see [`access::may_read_indicators`]) and is audited.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use ganome_core::{FacilityKind, Prefecture, Timestamp};
use ganome_store::{Facility, IndicatorWindow, MeetingCount};
use serde::{Deserialize, Serialize};
use time::{Date, Month, UtcOffset};
use utoipa::{IntoParams, ToSchema};

use crate::{Actor, Ganome, ServiceError, access};

mod facts;

pub use facts::{DurationCount, FactAggregates, FactsReplica, Interval, PatientCounts, TestCount};

/// Japan Standard Time: indicators count calendar days and months as hospitals do.
pub const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// The longest period one query may cover, in months.
pub const MAX_MONTHS: usize = 120;

/// Filters of an indicator query, as given (query string or CLI).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IndicatorQuery {
    /// First day of the period (YYYY-MM-DD, Japan time); default: the first day of the
    /// month eleven months before `to`.
    pub from: Option<String>,
    /// Last day of the period, inclusive (YYYY-MM-DD, Japan time); default: today.
    pub to: Option<String>,
    /// Only facilities of this tier: `core_hospital`, `hub_hospital` or
    /// `cooperative_hospital`.
    pub tier: Option<String>,
    /// Only facilities in this prefecture (JIS X 0401 code, e.g. `13`).
    pub prefecture: Option<String>,
    /// Only cases of this OncoTree code (e.g. `LUAD`).
    pub oncotree: Option<String>,
}

/// A group of facilities the indicators are reported by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TierGroup {
    /// 中核拠点病院.
    CoreHospital,
    /// 拠点病院.
    HubHospital,
    /// 連携病院.
    CooperativeHospital,
    /// 拠点病院・連携病院 (the survey's combined row).
    HubAndCooperative,
    /// 合計.
    All,
}

impl TierGroup {
    /// The groups in report order.
    pub const ALL: [TierGroup; 5] = [
        TierGroup::CoreHospital,
        TierGroup::HubHospital,
        TierGroup::CooperativeHospital,
        TierGroup::HubAndCooperative,
        TierGroup::All,
    ];

    /// Stable name (as in `data/survey/survey-2019.toml`).
    pub fn as_str(self) -> &'static str {
        match self {
            TierGroup::CoreHospital => "core_hospital",
            TierGroup::HubHospital => "hub_hospital",
            TierGroup::CooperativeHospital => "cooperative_hospital",
            TierGroup::HubAndCooperative => "hub_and_cooperative",
            TierGroup::All => "all",
        }
    }

    /// Japanese label.
    pub fn label_ja(self) -> &'static str {
        match self {
            TierGroup::CoreHospital => "中核拠点病院",
            TierGroup::HubHospital => "拠点病院",
            TierGroup::CooperativeHospital => "連携病院",
            TierGroup::HubAndCooperative => "拠点病院・連携病院",
            TierGroup::All => "合計",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            TierGroup::CoreHospital => "Core hospitals",
            TierGroup::HubHospital => "Hub hospitals",
            TierGroup::CooperativeHospital => "Cooperative hospitals",
            TierGroup::HubAndCooperative => "Hub and cooperative hospitals",
            TierGroup::All => "Total",
        }
    }

    /// Whether a facility of `kind` belongs to the group.
    pub fn contains(self, kind: FacilityKind) -> bool {
        match self {
            TierGroup::CoreHospital => kind == FacilityKind::CoreHospital,
            TierGroup::HubHospital => kind == FacilityKind::HubHospital,
            TierGroup::CooperativeHospital => kind == FacilityKind::CooperativeHospital,
            TierGroup::HubAndCooperative => {
                matches!(
                    kind,
                    FacilityKind::HubHospital | FacilityKind::CooperativeHospital
                )
            }
            TierGroup::All => kind.is_hospital(),
        }
    }
}

/// A monthly series for one tier group.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TierSeries {
    /// The group.
    pub tier: TierGroup,
    /// One value per month of the period.
    pub counts: Vec<i64>,
    /// Total over the period (for cumulative series: the last value).
    pub total: i64,
}

/// A count for one tier group.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TierCount {
    /// The group.
    pub tier: TierGroup,
    /// The count.
    pub count: i64,
}

/// Consent of the patients tested in the period (同意取得状況).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ConsentIndicator {
    /// Patients with at least one test in the period.
    pub tested_patients: i64,
    /// … whose consent in force at the end of the period allows registration with the
    /// data center (C-CATへのデータ登録).
    pub registration: i64,
    /// … allows secondary use of the registered data (二次利活用).
    pub secondary_use: i64,
    /// … allows both (the survey's rate).
    pub both: i64,
    /// `both` as a percentage of tested patients, one decimal.
    pub both_percent: Option<f64>,
    /// Tested patients not consenting to registration.
    pub declined_registration: i64,
    /// Tested patients not consenting to secondary use.
    pub declined_secondary_use: i64,
}

/// Patients whose test led to treatment (治療に結びついた患者).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TreatmentIndicator {
    /// Patients with at least one test in the period (the denominator).
    pub tested_patients: i64,
    /// … whose case had a signed-off expert-panel review by the end of the period.
    pub reviewed_patients: i64,
    /// … whose review presented at least one treatment option (推奨治療).
    pub option_presented_patients: i64,
    /// `option_presented_patients` as a percentage of tested patients.
    pub option_presented_percent: Option<f64>,
    /// … who started a treatment based on a panel recommendation by the end of the period.
    pub treated_patients: i64,
    /// `treated_patients` as a percentage of tested patients.
    pub treated_percent: Option<f64>,
    /// Facilities with at least one such patient, by tier group.
    pub facilities_with_treated: Vec<TierCount>,
}

/// Facilities in one bin of a distribution.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BinCount {
    /// Bin label: a number of meetings (`0`…`4`, `5+`), a range of cases per meeting
    /// (`not_held`, `1-5`, …, `26+`), or `not_started`.
    pub bin: String,
    /// Facilities in the bin.
    pub facilities: i64,
}

/// Expert panels of one tier in one month (エキスパートパネルの実績).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PanelTier {
    /// The group (facilities that may host a panel).
    pub tier: TierGroup,
    /// Facilities of the group hosting panels.
    pub facilities: i64,
    /// Facilities by number of meetings held (開催数).
    pub meetings: Vec<BinCount>,
    /// Facilities by mean cases reviewed per meeting (1回当たりの検討症例数).
    pub cases_per_meeting: Vec<BinCount>,
    /// Meetings held.
    pub meetings_total: i64,
    /// Case reviews on their agendas.
    pub reviews_total: i64,
}

/// The expert-panel distributions of one month.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PanelMonth {
    /// Month (`YYYY-MM`).
    pub month: String,
    /// Core, hub and cooperative groups.
    pub tiers: Vec<PanelTier>,
}

/// Quartiles of one step of the flow, in days.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Turnaround {
    /// The step (`order_to_results`, `results_to_findings`, `findings_to_panel`,
    /// `panel_to_explanation`, `order_to_explanation`).
    pub step: String,
    /// Tested cases that completed the step by the end of the period.
    pub cases: i64,
    /// First quartile, days.
    pub p25_days: Option<f64>,
    /// Median, days.
    pub median_days: Option<f64>,
    /// Third quartile, days.
    pub p75_days: Option<f64>,
}

/// Germline follow-up asked by the panels for tested cases (二次的所見).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GermlineIndicator {
    /// Referrals to genetic counselling.
    pub referrals: i64,
    /// Confirmatory germline tests recommended.
    pub confirmatory_tests: i64,
}

/// The filters applied, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AppliedFilters {
    /// Tier.
    pub tier: Option<FacilityKind>,
    /// Prefecture code.
    pub prefecture: Option<String>,
    /// OncoTree code.
    pub oncotree: Option<String>,
}

/// The national indicators for a period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Indicators {
    /// First day (Japan time).
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    /// Last day, inclusive.
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    /// Filters applied.
    pub filters: AppliedFilters,
    /// Months of the period (`YYYY-MM`).
    pub months: Vec<String>,
    /// Panel tests per month (実施件数), by the month the specimen shipped.
    pub tests: Vec<TierSeries>,
    /// Facilities that have tested in the period, cumulative by month end.
    pub facilities_testing: Vec<TierSeries>,
    /// Consent.
    pub consent: ConsentIndicator,
    /// Treatment on a panel recommendation.
    pub treatment: TreatmentIndicator,
    /// Expert-panel meetings and cases per meeting, per month.
    pub expert_panels: Vec<PanelMonth>,
    /// Turnaround times.
    pub turnaround: Vec<Turnaround>,
    /// Germline follow-up.
    pub germline: GermlineIndicator,
}

/// The first instant of a Japanese calendar day.
pub fn jst_start_of(day: Date) -> Timestamp {
    Timestamp::from_datetime(day.midnight().assume_offset(JST))
}

fn first_of_next_month(d: Date) -> Date {
    let (y, m) = if d.month() == Month::December {
        (d.year() + 1, Month::January)
    } else {
        (d.year(), d.month().next())
    };
    Date::from_calendar_date(y, m, 1).unwrap_or(d)
}

fn month_label(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

/// A percentage with one decimal, or none for an empty denominator.
pub fn percent(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| (num as f64 * 1000.0 / den as f64).round() / 10.0)
}

/// The `q` quantile (0–1) of a histogram of whole days, linear between order statistics
/// (the usual "type 7" definition).
pub fn quantile(hist: &BTreeMap<i64, i64>, q: f64) -> Option<f64> {
    let n: i64 = hist.values().sum();
    if n == 0 {
        return None;
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as i64;
    let value_at = |rank: i64| {
        let mut seen = 0;
        for (days, count) in hist {
            seen += count;
            if rank < seen {
                return *days;
            }
        }
        *hist.keys().last().unwrap_or(&0)
    };
    let a = value_at(lo) as f64;
    let b = value_at((lo + 1).min(n - 1)) as f64;
    Some(a + (h - lo as f64) * (b - a))
}

/// A validated query: the store window plus the month labels.
#[derive(Debug, Clone)]
pub struct ResolvedQuery {
    /// What the store is asked.
    pub window: IndicatorWindow,
    /// Month labels.
    pub months: Vec<String>,
}

impl IndicatorQuery {
    /// Validates the query against `today` (Japan time); each error names its field.
    pub fn resolve(&self, today: Date) -> Result<ResolvedQuery, ServiceError> {
        let mut errors = ganome_core::ValidationErrors::new();
        let parse =
            |field: &str, v: &Option<String>, errors: &mut ganome_core::ValidationErrors| {
                v.as_deref().filter(|s| !s.is_empty()).and_then(|s| {
                    match ganome_core::parse_date(s) {
                        Ok(d) => Some(d),
                        Err(e) => {
                            errors.add(field, e);
                            None
                        }
                    }
                })
            };
        let to = parse("to", &self.to, &mut errors).unwrap_or(today);
        let default_from = {
            let mut d = Date::from_calendar_date(to.year(), to.month(), 1).unwrap_or(to);
            for _ in 0..11 {
                d = (d - time::Duration::days(1)).replace_day(1).unwrap_or(d);
            }
            d
        };
        let from = parse("from", &self.from, &mut errors).unwrap_or(default_from);
        errors.check(from <= to, "to", "must not be before from");
        let tier = self
            .tier
            .as_deref()
            .filter(|s| !s.is_empty())
            .and_then(|t| match t.parse::<FacilityKind>() {
                Ok(k) if k.is_hospital() => Some(k),
                _ => {
                    errors.add(
                        "tier",
                        format!(
                            "'{t}' is not a tier: use core_hospital, hub_hospital or cooperative_hospital"
                        ),
                    );
                    None
                }
            });
        let prefecture = self
            .prefecture
            .as_deref()
            .filter(|s| !s.is_empty())
            .and_then(|p| match Prefecture::by_code(p) {
                Some(p) => Some(p.code.to_owned()),
                None => {
                    errors.add(
                        "prefecture",
                        format!("'{p}' is not a JIS prefecture code (01 to 47)"),
                    );
                    None
                }
            });
        let oncotree = self
            .oncotree
            .as_deref()
            .filter(|s| !s.is_empty())
            .and_then(|o| {
                let ok = o.len() <= 16
                    && o.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                if ok {
                    Some(o.to_owned())
                } else {
                    errors.add(
                        "oncotree",
                        format!("'{o}' is not an OncoTree code such as LUAD"),
                    );
                    None
                }
            });
        let mut month_first_days = Vec::new();
        let mut m = first_of_next_month(from);
        while m <= to && month_first_days.len() < MAX_MONTHS {
            month_first_days.push(m);
            m = first_of_next_month(m);
        }
        errors.check(
            month_first_days.len() < MAX_MONTHS,
            "from",
            format!("the period may cover at most {MAX_MONTHS} months"),
        );
        errors.into_result()?;
        let mut months = vec![month_label(from)];
        months.extend(month_first_days.iter().map(|d| month_label(*d)));
        let until_day = to.next_day().unwrap_or(to);
        Ok(ResolvedQuery {
            window: IndicatorWindow {
                from: jst_start_of(from),
                until: jst_start_of(until_day),
                month_bounds: month_first_days.iter().map(|d| jst_start_of(*d)).collect(),
                first_day: from,
                last_day: to,
                month_first_days,
                tier,
                prefecture_code: prefecture,
                oncotree_code: oncotree,
            },
            months,
        })
    }
}

/// The label of a number of meetings in a month.
fn meetings_bin(meetings: i64) -> &'static str {
    match meetings {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        4 => "4",
        _ => "5+",
    }
}

/// Meeting bins in order.
pub const MEETING_BINS: [&str; 7] = ["0", "1", "2", "3", "4", "5+", "not_started"];
/// Cases-per-meeting bins in order (the survey prints `20~25件`; read as 21–25).
pub const CASES_PER_MEETING_BINS: [&str; 8] = [
    "not_held",
    "1-5",
    "6-10",
    "11-15",
    "16-20",
    "21-25",
    "26+",
    "not_started",
];

/// The bin of a mean number of cases per meeting: 1–5 holds means up to 5 (including
/// meetings that reviewed nothing), 6–10 means above 5 up to 10, and so on.
fn cases_bin(reviews: i64, meetings: i64) -> &'static str {
    if meetings == 0 {
        return "not_held";
    }
    // ceil(reviews / meetings) without floating point.
    let ceil_mean = (reviews + meetings - 1) / meetings;
    match ceil_mean {
        i64::MIN..=5 => "1-5",
        6..=10 => "6-10",
        11..=15 => "11-15",
        16..=20 => "16-20",
        21..=25 => "21-25",
        _ => "26+",
    }
}

/// Everything the store returned for one query.
#[derive(Debug, Clone, Default)]
pub struct IndicatorInputs {
    /// Tests by facility and month.
    pub tests: Vec<TestCount>,
    /// Patients by facility.
    pub patients: Vec<PatientCounts>,
    /// Duration histograms.
    pub durations: Vec<DurationCount>,
    /// Meetings by facility and month.
    pub meetings: Vec<MeetingCount>,
    /// First test per facility.
    pub first_tests: HashMap<String, Timestamp>,
}

/// Assembles the indicators from the store's aggregates and the facility list.
pub fn assemble(
    q: &ResolvedQuery,
    facilities: &[Facility],
    inputs: &IndicatorInputs,
) -> Indicators {
    let w = &q.window;
    let n_months = q.months.len();
    let kind_of: HashMap<&str, FacilityKind> =
        facilities.iter().map(|f| (f.id.as_str(), f.kind)).collect();
    let in_filter = |f: &Facility| {
        w.tier.is_none_or(|t| t == f.kind)
            && w.prefecture_code
                .as_deref()
                .is_none_or(|p| p == f.prefecture_code)
    };
    let series_groups = TierGroup::ALL;

    // Tests per month and facilities testing (first month with a test in the window).
    let mut tests = vec![vec![0i64; n_months]; series_groups.len()];
    let mut first_month: HashMap<&str, usize> = HashMap::new();
    for t in &inputs.tests {
        let Some(kind) = kind_of.get(t.facility_id.as_str()) else {
            continue;
        };
        let month = t.month.min(n_months - 1);
        for (gi, g) in series_groups.iter().enumerate() {
            if g.contains(*kind) {
                tests[gi][month] += t.tests;
            }
        }
        let e = first_month.entry(t.facility_id.as_str()).or_insert(month);
        *e = (*e).min(month);
    }
    let mut started = vec![vec![0i64; n_months]; series_groups.len()];
    for (fid, month) in &first_month {
        let kind = kind_of[fid];
        for (gi, g) in series_groups.iter().enumerate() {
            if g.contains(kind) {
                for c in &mut started[gi][*month..] {
                    *c += 1;
                }
            }
        }
    }
    let series = |rows: Vec<Vec<i64>>, cumulative: bool| -> Vec<TierSeries> {
        series_groups
            .iter()
            .zip(rows)
            .map(|(g, counts)| TierSeries {
                tier: *g,
                total: if cumulative {
                    counts.last().copied().unwrap_or(0)
                } else {
                    counts.iter().sum()
                },
                counts,
            })
            .collect()
    };

    // Patients.
    let mut totals = PatientCounts::default();
    let mut treated_facilities: BTreeMap<&'static str, BTreeSet<&str>> = BTreeMap::new();
    for p in &inputs.patients {
        totals.patients += p.patients;
        totals.consent_registration += p.consent_registration;
        totals.consent_secondary_use += p.consent_secondary_use;
        totals.consent_both += p.consent_both;
        totals.reviewed += p.reviewed;
        totals.option_presented += p.option_presented;
        totals.treated_on_recommendation += p.treated_on_recommendation;
        totals.germline_referrals += p.germline_referrals;
        totals.confirmatory_tests += p.confirmatory_tests;
        if p.treated_on_recommendation > 0
            && let Some(kind) = kind_of.get(p.facility_id.as_str())
        {
            for g in series_groups {
                if g.contains(*kind) {
                    treated_facilities
                        .entry(g.as_str())
                        .or_default()
                        .insert(p.facility_id.as_str());
                }
            }
        }
    }

    // Expert panels: every facility that may host a panel, within the filters.
    let mut meetings: HashMap<(&str, usize), (i64, i64)> = HashMap::new();
    for m in &inputs.meetings {
        let e = meetings
            .entry((m.panel_facility_id.as_str(), m.month.min(n_months - 1)))
            .or_default();
        e.0 += m.meetings;
        e.1 += m.reviews;
    }
    let hosts: Vec<&Facility> = facilities
        .iter()
        .filter(|f| f.kind.is_hospital() && f.may_host_panel && in_filter(f))
        .collect();
    let mut expert_panels = Vec::new();
    for (mi, label) in q.months.iter().enumerate() {
        let month_end = w.month_bounds.get(mi).copied().unwrap_or(w.until);
        let mut tiers = Vec::new();
        for g in [
            TierGroup::CoreHospital,
            TierGroup::HubHospital,
            TierGroup::CooperativeHospital,
        ] {
            let mut mbins: BTreeMap<&str, i64> = BTreeMap::new();
            let mut cbins: BTreeMap<&str, i64> = BTreeMap::new();
            let (mut n, mut mt, mut rt) = (0, 0, 0);
            for f in hosts.iter().filter(|f| g.contains(f.kind)) {
                n += 1;
                let (m, r) = meetings
                    .get(&(f.id.as_str(), mi))
                    .copied()
                    .unwrap_or((0, 0));
                mt += m;
                rt += r;
                let has_started = inputs
                    .first_tests
                    .get(&f.id)
                    .is_some_and(|at| *at < month_end);
                if m == 0 && !has_started {
                    *mbins.entry("not_started").or_default() += 1;
                    *cbins.entry("not_started").or_default() += 1;
                } else {
                    *mbins.entry(meetings_bin(m)).or_default() += 1;
                    *cbins.entry(cases_bin(r, m)).or_default() += 1;
                }
            }
            if n == 0 {
                continue;
            }
            tiers.push(PanelTier {
                tier: g,
                facilities: n,
                meetings: MEETING_BINS
                    .iter()
                    .map(|b| BinCount {
                        bin: (*b).to_owned(),
                        facilities: mbins.get(b).copied().unwrap_or(0),
                    })
                    .collect(),
                cases_per_meeting: CASES_PER_MEETING_BINS
                    .iter()
                    .map(|b| BinCount {
                        bin: (*b).to_owned(),
                        facilities: cbins.get(b).copied().unwrap_or(0),
                    })
                    .collect(),
                meetings_total: mt,
                reviews_total: rt,
            });
        }
        expert_panels.push(PanelMonth {
            month: label.clone(),
            tiers,
        });
    }

    // Turnaround.
    let mut hists: BTreeMap<Interval, BTreeMap<i64, i64>> = BTreeMap::new();
    for d in &inputs.durations {
        *hists
            .entry(d.interval)
            .or_default()
            .entry(d.days)
            .or_default() += d.cases;
    }
    let turnaround = Interval::ALL
        .iter()
        .map(|i| {
            let empty = BTreeMap::new();
            let h = hists.get(i).unwrap_or(&empty);
            Turnaround {
                step: i.as_str().to_owned(),
                cases: h.values().sum(),
                p25_days: quantile(h, 0.25),
                median_days: quantile(h, 0.5),
                p75_days: quantile(h, 0.75),
            }
        })
        .collect();

    Indicators {
        from: w.first_day,
        to: w.last_day,
        filters: AppliedFilters {
            tier: w.tier,
            prefecture: w.prefecture_code.clone(),
            oncotree: w.oncotree_code.clone(),
        },
        months: q.months.clone(),
        tests: series(tests, false),
        facilities_testing: series(started, true),
        consent: ConsentIndicator {
            tested_patients: totals.patients,
            registration: totals.consent_registration,
            secondary_use: totals.consent_secondary_use,
            both: totals.consent_both,
            both_percent: percent(totals.consent_both, totals.patients),
            declined_registration: totals.patients - totals.consent_registration,
            declined_secondary_use: totals.patients - totals.consent_secondary_use,
        },
        treatment: TreatmentIndicator {
            tested_patients: totals.patients,
            reviewed_patients: totals.reviewed,
            option_presented_patients: totals.option_presented,
            option_presented_percent: percent(totals.option_presented, totals.patients),
            treated_patients: totals.treated_on_recommendation,
            treated_percent: percent(totals.treated_on_recommendation, totals.patients),
            facilities_with_treated: series_groups
                .iter()
                .map(|g| TierCount {
                    tier: *g,
                    count: treated_facilities.get(g.as_str()).map_or(0, |s| s.len()) as i64,
                })
                .collect(),
        },
        expert_panels,
        turnaround,
        germline: GermlineIndicator {
            referrals: totals.germline_referrals,
            confirmatory_tests: totals.confirmatory_tests,
        },
    }
}

/// Today's date in Japan.
pub fn today_jst() -> Date {
    Timestamp::now().datetime().to_offset(JST).date()
}

impl Ganome {
    /// The national indicators for a period and filters (administrators and auditors).
    pub async fn indicators(
        &self,
        actor: &Actor,
        query: &IndicatorQuery,
    ) -> Result<Indicators, ServiceError> {
        let result = async {
            if !access::may_read_indicators(actor) {
                return Err(ServiceError::Forbidden(
                    "national indicators are read by administrators and auditors".into(),
                ));
            }
            self.compute_indicators(query).await
        }
        .await;
        let mut entry = actor.audit("indicators.read", "indicators", None);
        entry.detail = Some(serde_json::to_string(query).unwrap_or_default());
        self.audited(entry, result).await
    }

    /// The indicators without an acting user: the operator's `ganome indicators` command
    /// on the database it was given. Audited as the operator.
    pub async fn indicators_as_operator(
        &self,
        query: &IndicatorQuery,
    ) -> Result<Indicators, ServiceError> {
        let result = self.compute_indicators(query).await;
        let entry = ganome_store::AuditEntry {
            at: Timestamp::now(),
            user_id: None,
            username: Some("operator".into()),
            role: None,
            facility_id: None,
            action: "indicators.read".into(),
            entity_type: "indicators".into(),
            entity_id: None,
            outcome: "ok".into(),
            detail: Some(serde_json::to_string(query).unwrap_or_default()),
        };
        self.audited(entry, result).await
    }

    async fn compute_indicators(&self, query: &IndicatorQuery) -> Result<Indicators, ServiceError> {
        let q = query.resolve(today_jst())?;
        let w = &q.window;
        let store = &self.store;
        // One request at a time brings the replica up to date (the meetings aggregate and
        // the facility list are read meanwhile); the aggregation then reads it under a
        // shared lock, so concurrent requests aggregate in parallel.
        let mut replica = self.indicator_facts.write().await;
        let (facilities, meetings, ()) = tokio::try_join!(
            store.list_facilities(),
            store.indicator_meetings(w),
            replica.refresh(store.as_ref()),
        )?;
        let replica = replica.downgrade();
        let facts = replica.aggregate(w, &facilities);
        drop(replica);
        let inputs = IndicatorInputs {
            tests: facts.tests,
            patients: facts.patients,
            durations: facts.durations,
            meetings,
            first_tests: facts.first_tests,
        };
        Ok(assemble(&q, &facilities, &inputs))
    }

    /// Reads the indicator facts into memory ahead of the first request (a server calls it
    /// at start; later requests read only what changed). Returns the cases held.
    pub async fn warm_indicator_facts(&self) -> Result<usize, ServiceError> {
        let mut replica = self.indicator_facts.write().await;
        replica.refresh(self.store.as_ref()).await?;
        Ok(replica.cases())
    }
}

/// The indicators as CSV: one row per indicator, tier group and month (`month` empty for
/// whole-period values), so a spreadsheet can pivot it.
pub fn to_csv(ind: &Indicators) -> String {
    let mut out = String::from("indicator,tier,month,value\n");
    let mut row = |indicator: &str, tier: &str, month: &str, value: String| {
        out.push_str(&format!("{indicator},{tier},{month},{value}\n"));
    };
    let opt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_default();
    for s in &ind.tests {
        for (m, c) in ind.months.iter().zip(&s.counts) {
            row("tests", s.tier.as_str(), m, c.to_string());
        }
        row("tests", s.tier.as_str(), "", s.total.to_string());
    }
    for s in &ind.facilities_testing {
        for (m, c) in ind.months.iter().zip(&s.counts) {
            row("facilities_testing", s.tier.as_str(), m, c.to_string());
        }
        row(
            "facilities_testing",
            s.tier.as_str(),
            "",
            s.total.to_string(),
        );
    }
    let c = &ind.consent;
    row("tested_patients", "all", "", c.tested_patients.to_string());
    row(
        "consent_registration",
        "all",
        "",
        c.registration.to_string(),
    );
    row(
        "consent_secondary_use",
        "all",
        "",
        c.secondary_use.to_string(),
    );
    row("consent_both", "all", "", c.both.to_string());
    row("consent_both_percent", "all", "", opt(c.both_percent));
    let t = &ind.treatment;
    row(
        "reviewed_patients",
        "all",
        "",
        t.reviewed_patients.to_string(),
    );
    row(
        "option_presented_patients",
        "all",
        "",
        t.option_presented_patients.to_string(),
    );
    row(
        "option_presented_percent",
        "all",
        "",
        opt(t.option_presented_percent),
    );
    row(
        "treated_patients",
        "all",
        "",
        t.treated_patients.to_string(),
    );
    row("treated_percent", "all", "", opt(t.treated_percent));
    for f in &t.facilities_with_treated {
        row(
            "facilities_with_treated",
            f.tier.as_str(),
            "",
            f.count.to_string(),
        );
    }
    for pm in &ind.expert_panels {
        for pt in &pm.tiers {
            for b in &pt.meetings {
                row(
                    &format!("panel_meetings_{}", b.bin),
                    pt.tier.as_str(),
                    &pm.month,
                    b.facilities.to_string(),
                );
            }
            for b in &pt.cases_per_meeting {
                row(
                    &format!("cases_per_meeting_{}", b.bin),
                    pt.tier.as_str(),
                    &pm.month,
                    b.facilities.to_string(),
                );
            }
            row(
                "panel_meetings_total",
                pt.tier.as_str(),
                &pm.month,
                pt.meetings_total.to_string(),
            );
            row(
                "panel_reviews_total",
                pt.tier.as_str(),
                &pm.month,
                pt.reviews_total.to_string(),
            );
        }
    }
    for ta in &ind.turnaround {
        row(
            &format!("{}_cases", ta.step),
            "all",
            "",
            ta.cases.to_string(),
        );
        row(
            &format!("{}_p25_days", ta.step),
            "all",
            "",
            opt(ta.p25_days),
        );
        row(
            &format!("{}_median_days", ta.step),
            "all",
            "",
            opt(ta.median_days),
        );
        row(
            &format!("{}_p75_days", ta.step),
            "all",
            "",
            opt(ta.p75_days),
        );
    }
    row(
        "germline_referrals",
        "all",
        "",
        ind.germline.referrals.to_string(),
    );
    row(
        "germline_confirmatory_tests",
        "all",
        "",
        ind.germline.confirmatory_tests.to_string(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate_between_days() {
        let h: BTreeMap<i64, i64> = [(1, 1), (2, 1), (3, 1), (4, 1)].into_iter().collect();
        assert_eq!(quantile(&h, 0.5), Some(2.5));
        assert_eq!(quantile(&h, 0.25), Some(1.75));
        assert_eq!(quantile(&BTreeMap::new(), 0.5), None);
    }

    #[test]
    fn percent_rounds_to_one_decimal() {
        assert_eq!(percent(799, 805), Some(99.3));
        assert_eq!(percent(88, 805), Some(10.9));
        assert_eq!(percent(1, 0), None);
    }

    #[test]
    fn bins_follow_the_survey_columns() {
        assert_eq!(cases_bin(0, 0), "not_held");
        assert_eq!(cases_bin(15, 3), "1-5");
        assert_eq!(cases_bin(16, 3), "6-10");
        assert_eq!(cases_bin(63, 3), "21-25");
        assert_eq!(meetings_bin(7), "5+");
    }

    #[test]
    fn months_split_in_japan_time() {
        let q = IndicatorQuery {
            from: Some("2019-06-01".into()),
            to: Some("2019-10-31".into()),
            ..Default::default()
        };
        let r = q.resolve(time::macros::date!(2020 - 01 - 01)).unwrap();
        assert_eq!(
            r.months,
            ["2019-06", "2019-07", "2019-08", "2019-09", "2019-10"]
        );
        assert_eq!(r.window.from.to_string(), "2019-05-31T15:00:00Z");
        assert_eq!(r.window.until.to_string(), "2019-10-31T15:00:00Z");
        assert_eq!(r.window.month_bounds[0].to_string(), "2019-06-30T15:00:00Z");
    }

    #[test]
    fn bad_filters_name_their_field() {
        let q = IndicatorQuery {
            from: Some("2019-13-01".into()),
            tier: Some("lab".into()),
            prefecture: Some("99".into()),
            oncotree: Some("luad".into()),
            ..Default::default()
        };
        let ServiceError::Invalid(e) = q.resolve(time::macros::date!(2020 - 01 - 01)).unwrap_err()
        else {
            panic!("expected a validation error")
        };
        let text = format!("{e:?}");
        for field in ["from", "tier", "prefecture", "oncotree"] {
            assert!(text.contains(field), "{field} missing from {text}");
        }
    }
}
