//! National indicators: the survey-2019 scenario gives the seed's tables on every backend;
//! a case registered through the workflows is counted like the generated ones; only
//! administrators and auditors read indicators, and every read is audited; random small
//! scenarios agree with an independent count over the raw rows.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use ganome_core::{
    CaseState, ConsentItems, ConsentMethod, FacilityKind, GermlineDisclosure, Role, Sex,
    SpecimenType, TestProduct, Timestamp,
};
use ganome_service::indicators::{IndicatorQuery, Indicators, TierGroup, quantile};
use ganome_service::scenario::{
    ConsentDeclines, DEFAULT_SEED, ScenarioSpec, TestGroup, TierTargets,
};
use ganome_service::{
    Actor, CreateUser, Ganome, GanomeConfig, RecordConsent, RegisterCase, RegisterPatient,
    ServiceError, TransitionRequest,
};
use ganome_store::{BlobStore, SqlStore, Store, testing};
use proptest::prelude::*;
use sqlx::Row;
use time::{Date, OffsetDateTime, UtcOffset};

async fn user(g: &Ganome, name: &str, role: Role, facility: &str) -> Actor {
    g.create_user_as_operator(CreateUser {
        username: name.into(),
        display_name: name.into(),
        password: Some("a long demo password".into()),
        role,
        facility_id: facility.into(),
    })
    .await
    .unwrap();
    let token = g.create_api_token(name, "test").await.unwrap();
    g.authenticate_token(&token).await.unwrap()
}

fn ganome(store: &SqlStore, dir: &std::path::Path) -> Ganome {
    Ganome::new(
        Arc::new(store.clone()) as Arc<dyn Store>,
        BlobStore::local(dir).unwrap(),
        GanomeConfig::default(),
    )
}

fn query(from: &str, to: &str) -> IndicatorQuery {
    IndicatorQuery {
        from: Some(from.into()),
        to: Some(to.into()),
        ..Default::default()
    }
}

fn series(ind: &Indicators, tier: TierGroup) -> Vec<i64> {
    ind.tests
        .iter()
        .find(|s| s.tier == tier)
        .map(|s| s.counts.clone())
        .unwrap()
}

#[tokio::test]
async fn indicators_story_on_every_backend() {
    for t in testing::all_backends().await {
        let dir = tempfile::tempdir().unwrap();
        let g = ganome(&t.store, dir.path());
        story(&g, &t.store).await;
        eprintln!("indicators story passed on {}", t.name);
    }
}

async fn story(g: &Ganome, store: &SqlStore) {
    g.load_shipped_network().await.unwrap();
    let spec = ScenarioSpec::survey_2019().unwrap();
    let summary = g
        .load_scenario(&spec, DEFAULT_SEED, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(summary.cases, 805);
    // Loading the same scenario twice is refused and stores nothing more.
    let again = g.load_scenario(&spec, DEFAULT_SEED, &|_, _| {}).await;
    assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");

    let facilities = g.store().list_facilities().await.unwrap();
    let dc = facilities
        .iter()
        .find(|f| f.kind == FacilityKind::DataCenter)
        .unwrap()
        .id
        .clone();
    let admin = user(g, "ind.admin", Role::Administrator, &dc).await;
    let auditor = user(g, "ind.auditor", Role::Auditor, &dc).await;
    let clinician = user(g, "ind.clinician", Role::Clinician, "C01").await;

    // The seed's survey tables (資料1-2, lines 86–92, 116–117, 126–132, 144–154).
    let ind = g
        .indicators(&admin, &query("2019-06-01", "2019-10-31"))
        .await
        .unwrap();
    assert_eq!(ind.months.len(), 5);
    assert_eq!(series(&ind, TierGroup::CoreHospital), [0, 13, 54, 100, 179]);
    assert_eq!(
        series(&ind, TierGroup::HubAndCooperative),
        [2, 20, 101, 116, 220]
    );
    assert_eq!(series(&ind, TierGroup::All), [2, 33, 155, 216, 399]);
    let testing: Vec<i64> = ind.facilities_testing.iter().map(|s| s.total).collect();
    assert_eq!(testing, [8, 23, 31, 54, 62]);
    assert_eq!(ind.consent.tested_patients, 805);
    assert_eq!(ind.consent.both, 799);
    assert_eq!(ind.consent.both_percent, Some(99.3));
    assert_eq!(ind.consent.declined_registration, 3);
    assert_eq!(ind.consent.declined_secondary_use, 5);
    assert_eq!(ind.treatment.treated_patients, 88);
    assert_eq!(ind.treatment.treated_percent, Some(10.9));
    let treating: Vec<i64> = ind
        .treatment
        .facilities_with_treated
        .iter()
        .map(|c| c.count)
        .collect();
    assert_eq!(treating, [3, 6, 7, 13, 16]);
    let october = ind.expert_panels.last().unwrap();
    assert_eq!(october.month, "2019-10");
    let bins = |tier: TierGroup| {
        let t = october.tiers.iter().find(|t| t.tier == tier).unwrap();
        (
            t.meetings.iter().map(|b| b.facilities).collect::<Vec<_>>(),
            t.cases_per_meeting
                .iter()
                .map(|b| b.facilities)
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        bins(TierGroup::CoreHospital),
        (vec![0, 0, 0, 2, 3, 3, 3], vec![0, 4, 3, 0, 0, 1, 0, 3])
    );
    assert_eq!(
        bins(TierGroup::HubHospital),
        (vec![19, 1, 2, 1, 0, 0, 11], vec![19, 4, 0, 0, 0, 0, 0, 11])
    );
    independent(store, &query("2019-06-01", "2019-10-31"), &ind).await;

    // Filters: one tier, one prefecture, one diagnosis, each checked independently.
    let core = IndicatorQuery {
        tier: Some("core_hospital".into()),
        ..query("2019-06-01", "2019-10-31")
    };
    let ind_core = g.indicators(&auditor, &core).await.unwrap();
    assert_eq!(series(&ind_core, TierGroup::All), [0, 13, 54, 100, 179]);
    independent(store, &core, &ind_core).await;
    let tokyo_luad = IndicatorQuery {
        prefecture: Some("13".into()),
        oncotree: Some("PAAD".into()),
        ..query("2019-07-15", "2019-09-30")
    };
    let ind_tokyo = g.indicators(&auditor, &tokyo_luad).await.unwrap();
    independent(store, &tokyo_luad, &ind_tokyo).await;

    // Bad filters name their field; a clinician may not read indicators; all audited.
    let err = g
        .indicators(
            &admin,
            &IndicatorQuery {
                tier: Some("ministry".into()),
                ..query("2019-10-31", "2019-06-01")
            },
        )
        .await
        .unwrap_err();
    let ServiceError::Invalid(e) = err else {
        panic!("expected 422")
    };
    let fields: BTreeSet<String> = e.errors.iter().map(|e| e.field.clone()).collect();
    assert_eq!(fields, ["tier", "to"].map(String::from).into());
    let denied = g.indicators(&clinician, &core).await;
    assert!(matches!(denied, Err(ServiceError::Forbidden(_))));
    let audit = g.store().list_audit(50, None).await.unwrap();
    let reads: Vec<(&str, &str)> = audit
        .iter()
        .filter(|a| a.entry.action == "indicators.read")
        .map(|a| {
            (
                a.entry.username.as_deref().unwrap_or(""),
                a.entry.outcome.as_str(),
            )
        })
        .collect();
    assert!(reads.contains(&("ind.clinician", "denied")), "{reads:?}");
    assert!(reads.contains(&("ind.admin", "invalid")), "{reads:?}");
    assert!(reads.contains(&("ind.auditor", "ok")), "{reads:?}");

    // A case registered and shipped through the workflows counts like the generated ones.
    let hub_clin = user(g, "ind.hub", Role::Clinician, "H01").await;
    let patient = g
        .register_patient(
            &hub_clin,
            RegisterPatient {
                record_number: "IND-1".into(),
                sex: Sex::Male,
                birth_year: 1955,
                birth_month: 4,
            },
            None,
        )
        .await
        .unwrap();
    let consent = g
        .record_consent(
            &hub_clin,
            &patient.id,
            RecordConsent {
                form_version: "2019.1".into(),
                method: ConsentMethod::Paper,
                items: ConsentItems {
                    registration: true,
                    secondary_use_academia: false,
                    secondary_use_industry: false,
                    overseas_transfer: false,
                    recontact: false,
                    germline_disclosure: GermlineDisclosure::Undecided,
                },
                given_at: Timestamp::parse("2024-04-01T09:00:00+09:00").unwrap(),
            },
        )
        .await
        .unwrap();
    let (case, _) = g
        .register_case(
            &hub_clin,
            RegisterCase {
                patient_id: patient.id.clone(),
                lab_facility_id: "L01".into(),
                test_product: TestProduct::NccOncoPanel,
                specimen_type: SpecimenType::Ffpe,
                specimen_site: None,
                specimen_collected_on: None,
                tumor_content_pct: Some(40.0),
                oncotree_code: "BRCA".into(),
                stage: None,
                ecog_ps: None,
                registered_at: Some(Timestamp::parse("2024-04-01T10:00:00+09:00").unwrap()),
            },
            None,
        )
        .await
        .unwrap();
    // Shipped at 08:00 on 1 May in Japan, which is still 30 April in UTC: May's test.
    g.transition_case(
        &hub_clin,
        &case.id,
        TransitionRequest {
            to: CaseState::SpecimenShipped,
            at: Some(Timestamp::parse("2024-05-01T08:00:00+09:00").unwrap()),
            note: None,
        },
    )
    .await
    .unwrap();
    let q = query("2024-04-01", "2024-05-31");
    let ind = g.indicators(&admin, &q).await.unwrap();
    assert_eq!(series(&ind, TierGroup::HubHospital), [0, 1]);
    assert_eq!(ind.consent.registration, 1);
    assert_eq!(ind.consent.both, 0);
    assert_eq!(ind.turnaround[0].cases, 0);
    independent(store, &q, &ind).await;

    // The consent is withdrawn in May through the workflow: the next request sees it. A
    // second instance reading the store from scratch agrees with this one, which has been
    // following the change feed since the scenario was loaded.
    g.withdraw_consent(
        &hub_clin,
        &consent.id,
        Some(Timestamp::parse("2024-05-20T10:00:00+09:00").unwrap()),
    )
    .await
    .unwrap();
    let ind = g.indicators(&admin, &q).await.unwrap();
    assert_eq!(ind.consent.tested_patients, 1);
    assert_eq!(ind.consent.registration, 0);
    independent(store, &q, &ind).await;
    let dir = tempfile::tempdir().unwrap();
    let fresh = ganome(store, dir.path());
    for q in [q, query("2019-06-01", "2019-10-31"), core] {
        assert_eq!(
            fresh.indicators(&admin, &q).await.unwrap(),
            g.indicators(&admin, &q).await.unwrap()
        );
    }
}

// ---------------------------------------------------------------------------------------
// The independent computation: raw rows in, the same indicators out, written without the
// service's or the store's code (times are converted to Japanese dates here).

const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

fn parse_time(s: &str) -> OffsetDateTime {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).unwrap()
}

fn jst_day(s: &str) -> Date {
    parse_time(s).to_offset(JST).date()
}

fn ym(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

async fn rows(store: &SqlStore, sql: &str) -> Vec<sqlx::any::AnyRow> {
    sqlx::query(sql).fetch_all(store.pool()).await.unwrap()
}

fn s(r: &sqlx::any::AnyRow, c: &str) -> String {
    r.try_get::<String, _>(c).unwrap()
}

fn os(r: &sqlx::any::AnyRow, c: &str) -> Option<String> {
    r.try_get::<Option<String>, _>(c).unwrap()
}

fn b(r: &sqlx::any::AnyRow, c: &str) -> bool {
    r.try_get::<i64, _>(c).unwrap() != 0
}

async fn independent(store: &SqlStore, q: &IndicatorQuery, ind: &Indicators) {
    let from = ganome_core::parse_date(q.from.as_deref().unwrap()).unwrap();
    let to = ganome_core::parse_date(q.to.as_deref().unwrap()).unwrap();
    let in_period = |d: Date| d >= from && d <= to;
    let facilities: HashMap<String, (FacilityKind, String, bool)> = rows(
        store,
        "SELECT id, kind, prefecture_code, may_host_panel FROM facilities",
    )
    .await
    .iter()
    .map(|r| {
        (
            s(r, "id"),
            (
                s(r, "kind").parse().unwrap(),
                s(r, "prefecture_code"),
                b(r, "may_host_panel"),
            ),
        )
    })
    .collect();
    let fac_ok = |id: &str| {
        let (kind, pref, _) = &facilities[id];
        q.tier.as_deref().is_none_or(|t| t == kind.as_str())
            && q.prefecture.as_deref().is_none_or(|p| p == pref)
    };
    let mut events: HashMap<String, BTreeMap<String, String>> = HashMap::new();
    let mut shipped_all: Vec<(String, String)> = Vec::new();
    for r in rows(store, "SELECT case_id, state, at FROM case_events").await {
        let (case, state, at) = (s(&r, "case_id"), s(&r, "state"), s(&r, "at"));
        if state == "specimen_shipped" {
            shipped_all.push((case.clone(), at.clone()));
        }
        let e = events
            .entry(case)
            .or_default()
            .entry(state)
            .or_insert(at.clone());
        if at < *e {
            *e = at;
        }
    }
    struct C {
        patient: String,
        facility: String,
        code: String,
    }
    let cases: HashMap<String, C> = rows(
        store,
        "SELECT id, patient_id, ordering_facility_id, oncotree_code FROM cases",
    )
    .await
    .iter()
    .map(|r| {
        (
            s(r, "id"),
            C {
                patient: s(r, "patient_id"),
                facility: s(r, "ordering_facility_id"),
                code: s(r, "oncotree_code"),
            },
        )
    })
    .collect();
    // Tests: shipped in the period (Japanese dates), within the filters.
    let tested: Vec<(&String, Date)> = shipped_all
        .iter()
        .filter_map(|(case, at)| {
            let c = &cases[case];
            let d = jst_day(at);
            (in_period(d)
                && fac_ok(&c.facility)
                && q.oncotree.as_deref().is_none_or(|o| o == c.code))
            .then_some((case, d))
        })
        .collect();
    for group in TierGroup::ALL {
        let mut by_month: BTreeMap<String, i64> = BTreeMap::new();
        for (case, d) in &tested {
            if group.contains(facilities[&cases[*case].facility].0) {
                *by_month.entry(ym(*d)).or_default() += 1;
            }
        }
        let expected: Vec<i64> = ind
            .months
            .iter()
            .map(|m| by_month.get(m).copied().unwrap_or(0))
            .collect();
        assert_eq!(series(ind, group), expected, "tests of {group:?}");
        let testing: BTreeSet<&String> = tested
            .iter()
            .map(|(c, _)| &cases[*c].facility)
            .filter(|f| group.contains(facilities[*f].0))
            .collect();
        let got = ind
            .facilities_testing
            .iter()
            .find(|x| x.tier == group)
            .unwrap()
            .total;
        assert_eq!(got, testing.len() as i64, "facilities testing {group:?}");
    }
    // Patients, consent in force at the end of the period (latest given; withdrawn = none).
    let end = to.next_day().unwrap();
    let before_end = |at: &str| jst_day(at) < end;
    let patients: BTreeSet<&String> = tested.iter().map(|(c, _)| &cases[*c].patient).collect();
    let mut latest: HashMap<String, (String, bool, bool, bool)> = HashMap::new();
    for r in rows(
        store,
        "SELECT patient_id, registration, secondary_use_academia, secondary_use_industry, given_at, withdrawn_at FROM consents",
    )
    .await
    {
        let given = s(&r, "given_at");
        if !before_end(&given) {
            continue;
        }
        let withdrawn = os(&r, "withdrawn_at").is_some_and(|w| before_end(&w));
        let entry = (
            given.clone(),
            b(&r, "registration") && !withdrawn,
            (b(&r, "secondary_use_academia") || b(&r, "secondary_use_industry")) && !withdrawn,
            withdrawn,
        );
        let p = s(&r, "patient_id");
        if latest.get(&p).is_none_or(|e| e.0 < given) {
            latest.insert(p, entry);
        }
    }
    let (mut reg, mut sec, mut both) = (0, 0, 0);
    for p in &patients {
        if let Some((_, r, s2, _)) = latest.get(*p) {
            reg += i64::from(*r);
            sec += i64::from(*s2);
            both += i64::from(*r && *s2);
        }
    }
    assert_eq!(ind.consent.tested_patients, patients.len() as i64);
    assert_eq!(ind.consent.registration, reg, "consent to registration");
    assert_eq!(ind.consent.secondary_use, sec, "consent to secondary use");
    assert_eq!(ind.consent.both, both, "consent to both");
    // Reviews, options, germline, treatments of the tested cases.
    let tested_cases: BTreeSet<&String> = tested.iter().map(|(c, _)| *c).collect();
    let with_recs: BTreeSet<String> = rows(store, "SELECT review_id FROM recommendations")
        .await
        .iter()
        .map(|r| s(r, "review_id"))
        .collect();
    let mut reviewed = BTreeSet::new();
    let mut offered = BTreeSet::new();
    let mut referral_cases = BTreeSet::new();
    let mut confirm_cases = BTreeSet::new();
    for r in rows(
        store,
        "SELECT id, case_id, signed_off_at, germline_counselling_referral, germline_confirmatory_test FROM case_reviews",
    )
    .await
    {
        let case = s(&r, "case_id");
        let Some(signed) = os(&r, "signed_off_at") else {
            continue;
        };
        if !tested_cases.contains(&case) || !before_end(&signed) {
            continue;
        }
        let p = cases[&case].patient.clone();
        reviewed.insert(p.clone());
        if with_recs.contains(&s(&r, "id")) {
            offered.insert(p);
        }
        if b(&r, "germline_counselling_referral") {
            referral_cases.insert(case.clone());
        }
        if b(&r, "germline_confirmatory_test") {
            confirm_cases.insert(case);
        }
    }
    let mut treated = BTreeSet::new();
    for r in rows(
        store,
        "SELECT case_id, recommendation_id, started_on FROM treatments",
    )
    .await
    {
        let case = s(&r, "case_id");
        let started = ganome_core::parse_date(&s(&r, "started_on")).unwrap();
        if tested_cases.contains(&case) && os(&r, "recommendation_id").is_some() && started <= to {
            treated.insert(case);
        }
    }
    let treated_patients: BTreeSet<&String> = treated.iter().map(|c| &cases[c].patient).collect();
    assert_eq!(ind.treatment.reviewed_patients, reviewed.len() as i64);
    assert_eq!(
        ind.treatment.option_presented_patients,
        offered.len() as i64
    );
    assert_eq!(
        ind.treatment.treated_patients,
        treated_patients.len() as i64
    );
    assert_eq!(ind.germline.referrals, referral_cases.len() as i64);
    assert_eq!(ind.germline.confirmatory_tests, confirm_cases.len() as i64);
    for group in TierGroup::ALL {
        let n: BTreeSet<&String> = treated
            .iter()
            .map(|c| &cases[c].facility)
            .filter(|f| group.contains(facilities[*f].0))
            .collect();
        let got = ind
            .treatment
            .facilities_with_treated
            .iter()
            .find(|x| x.tier == group)
            .unwrap()
            .count;
        assert_eq!(got, n.len() as i64, "treating facilities {group:?}");
    }
    // Turnaround: whole days between the first events of each step, completed in time.
    for t in &ind.turnaround {
        let (a, z) = match t.step.as_str() {
            "order_to_results" => ("registered", "results_received"),
            "results_to_findings" => ("results_received", "findings_issued"),
            "findings_to_panel" => ("findings_issued", "panel_reviewed"),
            "panel_to_explanation" => ("panel_reviewed", "explained"),
            _ => ("registered", "explained"),
        };
        let mut hist: BTreeMap<i64, i64> = BTreeMap::new();
        for c in &tested_cases {
            let e = &events[*c];
            if let (Some(x), Some(y)) = (e.get(a), e.get(z))
                && before_end(x)
                && before_end(y)
            {
                let days = (parse_time(y) - parse_time(x))
                    .whole_seconds()
                    .div_euclid(86_400);
                *hist.entry(days).or_default() += 1;
            }
        }
        assert_eq!(t.cases, hist.values().sum::<i64>(), "{} cases", t.step);
        assert_eq!(t.median_days, quantile(&hist, 0.5), "{} median", t.step);
        assert_eq!(t.p25_days, quantile(&hist, 0.25), "{} p25", t.step);
    }
    // Panel meetings and reviews per tier and month (hosts within the tier/prefecture).
    let mut meetings: BTreeMap<(String, FacilityKind), (i64, i64)> = BTreeMap::new();
    let review_counts: HashMap<String, i64> = rows(store, "SELECT meeting_id FROM case_reviews")
        .await
        .iter()
        .fold(HashMap::new(), |mut m, r| {
            *m.entry(s(r, "meeting_id")).or_default() += 1;
            m
        });
    for r in rows(
        store,
        "SELECT id, panel_facility_id, held_on FROM panel_meetings",
    )
    .await
    {
        let held = ganome_core::parse_date(&s(&r, "held_on")).unwrap();
        let host = s(&r, "panel_facility_id");
        if !in_period(held) || !fac_ok(&host) {
            continue;
        }
        let e = meetings.entry((ym(held), facilities[&host].0)).or_default();
        e.0 += 1;
        e.1 += review_counts.get(&s(&r, "id")).copied().unwrap_or(0);
    }
    for pm in &ind.expert_panels {
        for t in &pm.tiers {
            let kind = match t.tier {
                TierGroup::CoreHospital => FacilityKind::CoreHospital,
                TierGroup::HubHospital => FacilityKind::HubHospital,
                _ => FacilityKind::CooperativeHospital,
            };
            let (m, r) = meetings
                .get(&(pm.month.clone(), kind))
                .copied()
                .unwrap_or((0, 0));
            assert_eq!(
                (t.meetings_total, t.reviews_total),
                (m, r),
                "{} {kind}",
                pm.month
            );
            let hosts = facilities
                .iter()
                .filter(|(id, (k, _, host))| *k == kind && *host && fac_ok(id))
                .count();
            assert_eq!(t.facilities, hosts as i64);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Random small scenarios.

fn spec_strategy() -> impl Strategy<Value = (ScenarioSpec, u64, IndicatorQuery)> {
    (
        1usize..=3,
        0u8..6,
        proptest::collection::vec(0u32..6, 3),
        proptest::collection::vec(0u32..8, 3),
        (1usize..=3, 0usize..=3, 0usize..=2),
        (0usize..=2, 0usize..=2, 0usize..=1),
        0.0f64..0.4,
        any::<u64>(),
        (0i64..20, 0i64..20, 0usize..4, 0usize..3),
    )
        .prop_map(
            |(
                months,
                start,
                core,
                hubcoop,
                fac,
                decl,
                withdraw,
                seed,
                (cut_a, cut_b, tier, code),
            )| {
                let from = Date::from_calendar_date(2019, time::Month::June, 1).unwrap();
                let from = (0..start).fold(from, |d, _| {
                    (d + time::Duration::days(32)).replace_day(1).unwrap()
                });
                let core: Vec<u32> = core[..months].to_vec();
                let hubcoop: Vec<u32> = hubcoop[..months].to_vec();
                let core_total: u32 = core.iter().sum();
                let hc_total: u32 = hubcoop.iter().sum();
                // Facilities that test must have tests to do, and vice versa.
                let core_f = if core_total == 0 {
                    0
                } else {
                    fac.0.min(core_total as usize)
                };
                let hub_f = fac.1.min(hc_total as usize);
                let coop_f = if core_f + hub_f == 0 {
                    0
                } else {
                    fac.2.min(hc_total as usize - hub_f)
                };
                let hc = if hub_f + coop_f == 0 {
                    vec![0; months]
                } else {
                    hubcoop
                };
                let tests = core_total as usize + hc.iter().sum::<u32>() as usize;
                let declines = ConsentDeclines {
                    registration_only: decl.0.min(tests),
                    secondary_use_only: decl.1.min(tests.saturating_sub(decl.0)),
                    both: decl.2.min(tests.saturating_sub(decl.0 + decl.1)),
                };
                let spec = ScenarioSpec {
                    name: "prop".into(),
                    from,
                    months,
                    test_groups: vec![
                        TestGroup {
                            kinds: vec![FacilityKind::CoreHospital],
                            monthly: core,
                        },
                        TestGroup {
                            kinds: vec![
                                FacilityKind::HubHospital,
                                FacilityKind::CooperativeHospital,
                            ],
                            monthly: hc,
                        },
                    ],
                    facilities_testing: TierTargets {
                        core: core_f,
                        hub: hub_f,
                        cooperative: coop_f,
                    },
                    consent_declines: declines,
                    treated: None,
                    panel_month: None,
                    withdrawal_rate: withdraw,
                };
                let last = spec.last_day();
                let q_from = (from + time::Duration::days(cut_a)).min(last);
                let q_to = (last - time::Duration::days(cut_b)).max(q_from);
                let q = IndicatorQuery {
                    from: Some(q_from.to_string()),
                    to: Some(q_to.to_string()),
                    tier: [
                        None,
                        Some("core_hospital"),
                        Some("hub_hospital"),
                        Some("cooperative_hospital"),
                    ][tier]
                        .map(String::from),
                    prefecture: None,
                    oncotree: [None, Some("COADREAD"), Some("PAAD")][code].map(String::from),
                };
                (spec, seed, q)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn random_scenarios_match_an_independent_count((spec, seed, q) in spec_strategy()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let outcome = rt.block_on(async {
            let t = testing::sqlite().await.unwrap();
            let dir = tempfile::tempdir().unwrap();
            let g = ganome(&t.store, dir.path());
            g.load_shipped_network().await.unwrap();
            match g.load_scenario(&spec, seed, &|_, _| {}).await {
                // Cooperative hospitals linked to none of the few testing panels: not a
                // scenario to compare.
                Err(ServiceError::Invalid(_)) => return false,
                Err(e) => panic!("{e}"),
                Ok(_) => {}
            }
            let ind = g.indicators_as_operator(&q).await.unwrap();
            independent(&t.store, &q, &ind).await;
            true
        });
        prop_assume!(outcome);
    }
}
