//! The living network of `ganome demo`: a few dozen cases across the network's hospitals,
//! with real variants, walked through the loop by the people who would do it — clinicians
//! register and ship, the lab uploads, the data center's engine issues findings, the linked
//! panels review and sign off, clinicians explain, treat and follow up. Everything goes
//! through the services as those users, so the demo's records, audit trail and indicators are
//! what real use would leave. See `data/demo/PROVENANCE.md` for what is real and what not.

use anyhow::{Context, anyhow};
use bytes::Bytes;
use ganome_core::{
    AccessRoute, CaseState, ConsentItems, ConsentMethod, FacilityKind, GermlineDisclosure,
    JpEvidenceLevel, MeetingMode, PanelRole, RecistResponse, Role, Sex, SpecimenType, TestProduct,
    Timestamp, VitalStatus,
};
use ganome_service::{
    Actor, CaseListQuery, CreateMeeting, CreateUser, Ganome, IncomingFile, NewRecommendation,
    RecordAdverseEvent, RecordConsent, RecordExplanation, RecordOutcome, RecordResponse,
    RecordReview, RecordTreatment, RegisterCase, RegisterPatient, ServiceError, TransitionRequest,
};
use ganome_store::{Attendee, Facility, GermlineFollowUp};
use indicatif::{ProgressBar, ProgressStyle};
use time::Duration;

const HOTSPOTS: &str =
    include_str!("../../../../data/knowledge/hotspots/cancerhotspots_v2_GRCh38.tsv");
const T001_COAD_VCF: &[u8] = include_bytes!("../../../../data/demo/T001-COAD.grch38.vcf.gz");
const T001_COAD_CNA: &[u8] = include_bytes!("../../../../data/demo/T001-COAD.grch38.cna.tsv");
const T001_COAD_FUSIONS: &[u8] =
    include_bytes!("../../../../data/demo/T001-COAD.grch38.fusions.tsv");
const T001_BRCA_VCF: &[u8] = include_bytes!("../../../../data/demo/T001-BRCA.grch38.vcf.gz");
const BRCA2_VCF: &[u8] = include_bytes!("../../../../data/demo/brca2_truncating.grch38.vcf");

/// What a demo case's lab sends.
enum Results {
    /// Hotspot variants: (gene, protein change) looked up in the hotspots table.
    Hotspots(&'static [(&'static str, &'static str)]),
    /// Real files: (name, bytes).
    Files(&'static [(&'static str, &'static [u8])]),
}

/// One demo case: tumour type, test, results, and how far along the loop it has come.
struct Template {
    oncotree: &'static str,
    site: &'static str,
    test: TestProduct,
    results: Results,
    stage: CaseState,
}

use CaseState::*;
use Results::*;

const TEMPLATES: &[Template] = &[
    t(
        "LUAD",
        "lung",
        TestProduct::FoundationOneCdx,
        Hotspots(&[("EGFR", "L858R"), ("TP53", "R273H")]),
        FollowedUp,
    ),
    t(
        "COAD",
        "colon",
        TestProduct::NccOncoPanel,
        Files(&[
            ("T001-COAD.grch38.vcf.gz", T001_COAD_VCF),
            ("T001-COAD.grch38.cna.tsv", T001_COAD_CNA),
            ("T001-COAD.grch38.fusions.tsv", T001_COAD_FUSIONS),
        ]),
        PanelReviewed,
    ),
    t(
        "SKCM",
        "skin",
        TestProduct::FoundationOneCdx,
        Hotspots(&[("BRAF", "V600E")]),
        FollowedUp,
    ),
    t(
        "BRCA",
        "breast",
        TestProduct::NccOncoPanel,
        Files(&[("T001-BRCA.grch38.vcf.gz", T001_BRCA_VCF)]),
        Explained,
    ),
    t(
        "PAAD",
        "pancreas",
        TestProduct::FoundationOneCdx,
        Files(&[("brca2_truncating.grch38.vcf", BRCA2_VCF)]),
        PanelReviewed,
    ),
    t(
        "LUAD",
        "lung",
        TestProduct::FoundationOneLiquidCdx,
        Hotspots(&[("EGFR", "T790M"), ("EGFR", "L858R")]),
        FindingsIssued,
    ),
    t(
        "COAD",
        "colon",
        TestProduct::FoundationOneCdx,
        Hotspots(&[("BRAF", "V600E"), ("TP53", "R175H"), ("PIK3CA", "E545K")]),
        FollowedUp,
    ),
    t(
        "GIST",
        "stomach",
        TestProduct::NccOncoPanel,
        Hotspots(&[("KIT", "V560D")]),
        FollowedUp,
    ),
    t(
        "IDC",
        "breast",
        TestProduct::FoundationOneCdx,
        Hotspots(&[("PIK3CA", "H1047R"), ("TP53", "R248W")]),
        Explained,
    ),
    t(
        "THPA",
        "thyroid",
        TestProduct::FoundationOneCdx,
        Hotspots(&[("BRAF", "V600E")]),
        PanelReviewed,
    ),
    t(
        "THME",
        "thyroid",
        TestProduct::NccOncoPanel,
        Hotspots(&[("RET", "M918T")]),
        FollowedUp,
    ),
    t(
        "ASTR",
        "brain",
        TestProduct::NccOncoPanel,
        Hotspots(&[("IDH1", "R132H"), ("TP53", "R273C")]),
        FindingsIssued,
    ),
    t(
        "READ",
        "rectum",
        TestProduct::Guardant360Cdx,
        Hotspots(&[("NRAS", "Q61K"), ("TP53", "R248Q")]),
        PanelReviewed,
    ),
    t(
        "UCEC",
        "endometrium",
        TestProduct::FoundationOneCdx,
        Hotspots(&[("PTEN", "R130G"), ("PIK3CA", "E542K")]),
        Explained,
    ),
    t(
        "GIST",
        "small bowel",
        TestProduct::FoundationOneCdx,
        Hotspots(&[("PDGFRA", "D842V")]),
        FindingsIssued,
    ),
    t(
        "LUAD",
        "lung",
        TestProduct::NccOncoPanel,
        Hotspots(&[("EGFR", "G719S"), ("TP53", "R175H")]),
        FollowedUp,
    ),
    t(
        "BLCA",
        "bladder",
        TestProduct::FoundationOneCdx,
        Hotspots(&[("PIK3CA", "E545K"), ("TP53", "R248W")]),
        FindingsIssued,
    ),
    t(
        "SKCM",
        "skin",
        TestProduct::NccOncoPanel,
        Hotspots(&[("NRAS", "Q61R")]),
        PanelReviewed,
    ),
    t(
        "AML",
        "bone marrow",
        TestProduct::FoundationOneCdx,
        Hotspots(&[("IDH2", "R140Q")]),
        Explained,
    ),
    t(
        "PAAD",
        "pancreas",
        TestProduct::NccOncoPanel,
        Hotspots(&[("TP53", "R273H"), ("CDKN2A", "R80*"), ("SMAD4", "R361H")]),
        PanelReviewed,
    ),
    t(
        "BRCA",
        "breast",
        TestProduct::FoundationOneLiquidCdx,
        Hotspots(&[("AKT1", "E17K")]),
        FindingsIssued,
    ),
    t(
        "NSCLC",
        "lung",
        TestProduct::FoundationOneCdx,
        Hotspots(&[("ALK", "F1174L")]),
        FindingsIssued,
    ),
    t(
        "LUAD",
        "lung",
        TestProduct::FoundationOneCdx,
        Hotspots(&[("BRAF", "V600E"), ("TP53", "R248Q")]),
        FindingsIssued,
    ),
    t(
        "COAD",
        "colon",
        TestProduct::NccOncoPanel,
        Hotspots(&[]),
        SpecimenShipped,
    ),
    t(
        "STAD",
        "stomach",
        TestProduct::FoundationOneCdx,
        Hotspots(&[]),
        SpecimenShipped,
    ),
    t(
        "OV",
        "ovary",
        TestProduct::FoundationOneCdx,
        Hotspots(&[]),
        Registered,
    ),
    t(
        "PRAD",
        "prostate",
        TestProduct::FoundationOneCdx,
        Hotspots(&[]),
        Registered,
    ),
    t(
        "CHOL",
        "bile duct",
        TestProduct::NccOncoPanel,
        Hotspots(&[]),
        SpecimenShipped,
    ),
];

const fn t(
    oncotree: &'static str,
    site: &'static str,
    test: TestProduct,
    results: Results,
    stage: CaseState,
) -> Template {
    Template {
        oncotree,
        site,
        test,
        results,
        stage,
    }
}

/// A small deterministic mix for depths and fractions (no clock, no OS randomness).
fn mix(i: usize, salt: u64) -> u64 {
    let mut x = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

/// A VCF of real hotspot variants; depths and allele fractions are assigned (see
/// `data/demo/PROVENANCE.md`).
fn hotspot_vcf(case_no: usize, picks: &[(&str, &str)]) -> anyhow::Result<String> {
    let mut out = String::from(
        "##fileformat=VCFv4.2\n##reference=GRCh38\n\
         ##source=cancerhotspots.org v2 (GRCh38), via data/knowledge/hotspots\n\
         ##ganome_demo=depths and allele fractions are assigned by the demo, not measured\n\
         ##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n\
         ##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">\n\
         ##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">\n",
    );
    let mut rows = Vec::new();
    for (k, (gene, change)) in picks.iter().enumerate() {
        let line = HOTSPOTS
            .lines()
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .find(|f| {
                f.len() >= 7
                    && f[4] == *gene
                    && f[6] == *change
                    && f[2] != "-"
                    && f[3] != "-"
                    && f[2].len() == f[3].len()
            })
            .with_context(|| format!("no {gene} {change} in the shipped hotspots table"))?;
        let depth = 300 + mix(case_no * 8 + k, 1) % 400;
        let vaf = 0.12 + (mix(case_no * 8 + k, 2) % 33) as f64 / 100.0;
        let alt = (depth as f64 * vaf).round() as u64;
        rows.push((
            line[0].to_owned(),
            line[1].parse::<u64>()?,
            format!(
                "chr{}\t{}\t.\t{}\t{}\t.\tPASS\t.\tGT:AD:DP\t0/1:{},{}:{}\n",
                line[0],
                line[1],
                line[2],
                line[3],
                depth - alt,
                alt,
                depth
            ),
        ));
    }
    rows.sort_by(|a, b| {
        (a.0.parse::<u32>().unwrap_or(99), a.1).cmp(&(b.0.parse().unwrap_or(99), b.1))
    });
    let mut contigs: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    contigs.dedup();
    for c in contigs {
        out.push_str(&format!("##contig=<ID=chr{c}>\n"));
    }
    out.push_str("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n");
    for r in rows {
        out.push_str(&r.2);
    }
    Ok(out)
}

async fn staff(
    ganome: &Ganome,
    username: &str,
    role: Role,
    facility: &str,
) -> anyhow::Result<Actor> {
    let created = ganome
        .create_user_as_operator(CreateUser {
            username: username.to_owned(),
            display_name: format!("Demo {username}"),
            password: Some(crate::commands::demo::random_password()),
            role,
            facility_id: facility.to_owned(),
        })
        .await;
    match created {
        Ok(_) | Err(ServiceError::Conflict(_)) => {}
        Err(e) => return Err(anyhow!("creating {username}: {e}")),
    }
    Ok(ganome.operator_acting_as(username).await?)
}

fn e(err: ServiceError) -> anyhow::Error {
    anyhow!("{err}")
}

/// The panel's full composition for a live meeting: names, the chair with an account.
fn attendees(chair: &Actor) -> Vec<Attendee> {
    let named = |name: &str, role| Attendee {
        name: name.to_owned(),
        panel_role: role,
        user_id: None,
    };
    vec![
        Attendee {
            name: chair.display_name.clone(),
            panel_role: PanelRole::DrugTherapyPhysician,
            user_id: Some(chair.user_id.clone()),
        },
        named("腫瘍内科 医師", PanelRole::DrugTherapyPhysician),
        named("臨床遺伝専門医", PanelRole::ClinicalGeneticsPhysician),
        named("認定遺伝カウンセラー", PanelRole::GeneticCounsellor),
        named("病理医", PanelRole::Pathologist),
        named("分子遺伝学 研究者", PanelRole::MolecularGeneticsExpert),
        named("主治医", PanelRole::AttendingPhysician),
    ]
}

fn level(s: &str) -> Option<JpEvidenceLevel> {
    match s {
        "A" => Some(JpEvidenceLevel::A),
        "B" => Some(JpEvidenceLevel::B),
        "C" => Some(JpEvidenceLevel::C),
        "D" => Some(JpEvidenceLevel::D),
        _ => None,
    }
}

/// Recommendations a panel would draw from a report: the best-levelled drugs (A–D), approved
/// ones by the approved route, others through a recruiting domestic trial when the report
/// lists one for the alteration, else off-label.
fn recommendations(report: &ganome_report::FindingsReport) -> Vec<NewRecommendation> {
    let mut options: Vec<(JpEvidenceLevel, String, String, bool, Option<String>)> = Vec::new();
    for a in &report.alterations {
        for th in &a.therapies {
            let Some(l) = level(&th.level.ed2) else {
                continue;
            };
            if options.iter().any(|o| o.1 == th.drug) {
                continue;
            }
            let trial = report
                .trials
                .domestic
                .iter()
                .chain(report.trials.overseas.iter())
                .find(|t| t.recruiting && t.alterations.contains(&a.id))
                .map(|t| t.id.clone());
            options.push((l, th.drug.clone(), a.label.clone(), th.approved_jp, trial));
        }
    }
    options.sort_by_key(|o| o.0.as_str());
    options
        .into_iter()
        .take(2)
        .map(|(l, drug, biomarker, approved, trial)| {
            let (route, trial_id) = match (approved && l == JpEvidenceLevel::A, trial) {
                (true, _) => (AccessRoute::Approved, None),
                (false, Some(t)) => (AccessRoute::ClinicalTrial, Some(t)),
                (false, None) => (AccessRoute::OffLabel, None),
            };
            NewRecommendation {
                drug,
                biomarker: Some(biomarker),
                evidence_level: l,
                access_route: route,
                trial_id,
                note: None,
            }
        })
        .collect()
}

/// Ordering hospitals: the demo clinician's cooperative hospital first (so the demo users
/// see the loop), then cooperative, hub and core hospitals across the country.
fn ordering_facilities(facilities: &[Facility], demo_coop: &str) -> Vec<Facility> {
    let mut out: Vec<Facility> = facilities
        .iter()
        .filter(|f| f.id == demo_coop)
        .cloned()
        .collect();
    let pick = |kind: FacilityKind, n: usize, skip: usize| {
        facilities
            .iter()
            .filter(move |f| f.kind == kind && f.id != demo_coop)
            .skip(skip)
            .step_by(7)
            .take(n)
            .cloned()
    };
    out.extend(pick(FacilityKind::CooperativeHospital, 3, 10));
    out.extend(pick(FacilityKind::HubHospital, 2, 3));
    out.extend(pick(FacilityKind::CoreHospital, 2, 2));
    out
}

/// Loads the living network unless cases exist already. Returns the number of cases made.
pub async fn load(ganome: &Ganome, demo_clinician: &str) -> anyhow::Result<usize> {
    let admin = ganome.operator_acting_as("admin").await?;
    if !ganome
        .list_cases(&admin, &CaseListQuery::default())
        .await
        .map_err(e)?
        .is_empty()
    {
        return Ok(0);
    }
    // The data center starts from the shipped knowledge as it stood before osimertinib's
    // first-line approvals for EGFR-mutated lung cancer (PMDA 2018-08, FDA 2018-04: those two
    // approval rows left out, nothing else changed), walks the loop, and then publishes the
    // shipped release: every case gets a new findings version, and the EGFR L858R lung cases
    // a re-interpretation alert for osimertinib at level A (DESIGN §2).
    let curator = ganome.operator_acting_as("curator").await?;
    let current = ganome.load_current_knowledge_release().await.map_err(e)?;
    let earlier = current.as_ref().and_then(before_first_line_osimertinib);
    if let Some(r) = &earlier {
        ganome
            .publish_knowledge_release(&curator, r.clone())
            .await
            .map_err(e)?;
    }
    let clinician = ganome.operator_acting_as(demo_clinician).await?;
    let lab = ganome.operator_acting_as("lab").await?;
    let facilities = ganome.store().list_facilities().await?;
    let hospitals = ordering_facilities(&facilities, &clinician.facility_id);
    let today = Timestamp::now().date_jst();
    let bar = ProgressBar::new(TEMPLATES.len() as u64).with_style(
        ProgressStyle::with_template("Living network {bar:30} {pos}/{len} cases {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut meetings: std::collections::BTreeMap<String, (Actor, String)> = Default::default();
    let mut walked: Vec<(String, usize, String)> = Vec::new();
    for (i, tpl) in TEMPLATES.iter().enumerate() {
        // Half the cases at the demo clinician's hospital, the rest spread out.
        let fac = if i % 2 == 0 {
            &hospitals[0]
        } else {
            &hospitals[1 + (i / 2) % (hospitals.len() - 1)]
        };
        let doctor = if fac.id == clinician.facility_id {
            clinician.clone()
        } else {
            staff(
                ganome,
                &format!("dr.{}", fac.id.to_lowercase()),
                Role::Clinician,
                &fac.id,
            )
            .await?
        };
        let registered = today - Duration::days(70 - 2 * i as i64);
        let patient = ganome
            .register_patient(
                &doctor,
                RegisterPatient {
                    record_number: format!("DEMO-{:04}", i + 1),
                    sex: if matches!(tpl.oncotree, "BRCA" | "IDC" | "OV" | "UCEC") || i % 3 == 0 {
                        Sex::Female
                    } else {
                        Sex::Male
                    },
                    birth_year: 1945 + (mix(i, 3) % 35) as i64,
                    birth_month: 1 + (mix(i, 4) % 12) as i64,
                },
                None,
            )
            .await
            .map_err(e)?;
        ganome
            .record_consent(
                &doctor,
                &patient.id,
                RecordConsent {
                    form_version: "2019.1".into(),
                    method: ConsentMethod::Paper,
                    items: ConsentItems {
                        registration: true,
                        secondary_use_academia: i % 11 != 5,
                        secondary_use_industry: i % 3 != 1,
                        overseas_transfer: false,
                        recontact: true,
                        germline_disclosure: if i % 4 == 3 {
                            GermlineDisclosure::Undecided
                        } else {
                            GermlineDisclosure::Disclose
                        },
                    },
                    given_at: Timestamp::from_date(registered),
                },
            )
            .await
            .map_err(e)?;
        let (case, _) = ganome
            .register_case(
                &doctor,
                RegisterCase {
                    patient_id: patient.id.clone(),
                    lab_facility_id: lab.facility_id.clone(),
                    test_product: tpl.test,
                    specimen_type: if matches!(
                        tpl.test,
                        TestProduct::FoundationOneLiquidCdx | TestProduct::Guardant360Cdx
                    ) {
                        SpecimenType::BloodPlasma
                    } else {
                        SpecimenType::Ffpe
                    },
                    specimen_site: Some(tpl.site.into()),
                    specimen_collected_on: Some(registered - Duration::days(20)),
                    tumor_content_pct: Some(30.0 + (mix(i, 5) % 50) as f64),
                    oncotree_code: tpl.oncotree.into(),
                    stage: Some("IV".into()),
                    ecog_ps: Some((mix(i, 6) % 2) as i64),
                    registered_at: Some(Timestamp::from_date(registered)),
                },
                None,
            )
            .await
            .map_err(e)?;
        bar.set_message(format!("{} {}", case.case_number, tpl.oncotree));
        if tpl.stage == Registered {
            bar.inc(1);
            continue;
        }
        ganome
            .transition_case(
                &doctor,
                &case.id,
                TransitionRequest {
                    to: SpecimenShipped,
                    at: Some(Timestamp::from_date(registered + Duration::days(2))),
                    note: None,
                },
            )
            .await
            .map_err(e)?;
        if tpl.stage == SpecimenShipped {
            bar.inc(1);
            continue;
        }
        // The lab sends results; the data center's engine issues findings on arrival.
        match &tpl.results {
            Hotspots(picks) => {
                let vcf = hotspot_vcf(i, picks)?;
                ganome
                    .upload_result_file(
                        &lab,
                        &case.id,
                        &format!("{}.vcf", case.case_number),
                        "text/vcf",
                        Bytes::from(vcf),
                    )
                    .await
                    .map_err(e)?;
            }
            Files(files) => {
                let files = files
                    .iter()
                    .map(|(name, bytes)| IncomingFile {
                        filename: (*name).to_owned(),
                        media_type: String::new(),
                        content: Bytes::from_static(bytes),
                    })
                    .collect();
                ganome
                    .upload_results(&lab, &case.id, files)
                    .await
                    .map_err(e)?;
            }
        }
        if matches!(tpl.stage, FindingsIssued) {
            bar.inc(1);
            continue;
        }
        // The linked panel reviews at its live meeting today; the chair signs off.
        let versions = ganome.list_findings(&admin, &case.id).await.map_err(e)?;
        let latest = versions
            .last()
            .context("findings were not issued (is the engine loaded?)")?;
        let doc = ganome.get_findings(&admin, &latest.id).await.map_err(e)?;
        let panel = case.panel_facility_id.clone();
        if !meetings.contains_key(&panel) {
            let chair = if panel == ganome.operator_acting_as("panel.chair").await?.facility_id {
                ganome.operator_acting_as("panel.chair").await?
            } else {
                staff(
                    ganome,
                    &format!("chair.{}", panel.to_lowercase()),
                    Role::PanelChair,
                    &panel,
                )
                .await?
            };
            let meeting = ganome
                .create_meeting(
                    &chair,
                    CreateMeeting {
                        held_on: today,
                        mode: MeetingMode::Video,
                        sequencing_in_house: false,
                        chair_user_id: Some(chair.user_id.clone()),
                        attendees: attendees(&chair),
                    },
                )
                .await
                .map_err(e)?;
            meetings.insert(panel.clone(), (chair, meeting.id));
        }
        let (chair, meeting_id) = meetings[&panel].clone();
        let recs = recommendations(&doc.report);
        let germline = doc.report.summary.germline_flag;
        ganome
            .add_review(
                &chair,
                &meeting_id,
                RecordReview {
                    case_id: case.id.clone(),
                    findings_version: latest.id.clone(),
                    discussion: if recs.is_empty() {
                        "推奨できる治療選択肢なし。臨床試験情報を継続確認。".into()
                    } else {
                        format!(
                            "{}。{}を推奨。",
                            recs.iter()
                                .filter_map(|r| r.biomarker.clone())
                                .collect::<Vec<_>>()
                                .join("、"),
                            recs.iter()
                                .map(|r| r.drug.clone())
                                .collect::<Vec<_>>()
                                .join("、")
                        )
                    },
                    germline: GermlineFollowUp {
                        counselling_referral: germline,
                        confirmatory_test: germline,
                        note: germline
                            .then(|| "生殖細胞系列由来の可能性: 遺伝カウンセリングへ紹介".into()),
                    },
                    recommendations: recs,
                },
            )
            .await
            .map_err(e)?;
        walked.push((case.id.clone(), i, doctor.username.clone()));
        bar.inc(1);
    }
    // Finalise each meeting, then sign off its reviews; then the clinicians' follow-up.
    for (chair, meeting_id) in meetings.values() {
        ganome
            .finalise_meeting(chair, meeting_id)
            .await
            .map_err(e)?;
        let detail = ganome.get_meeting(chair, meeting_id).await.map_err(e)?;
        for review in detail.agenda.iter() {
            ganome.sign_off_review(chair, &review.id).await.map_err(e)?;
        }
    }
    for (case_id, i, doctor) in &walked {
        let tpl = &TEMPLATES[*i];
        if !matches!(tpl.stage, Explained | FollowedUp) {
            continue;
        }
        let case = ganome.get_case(&admin, case_id).await.map_err(e)?.case;
        let doctor = ganome.operator_acting_as(doctor).await?;
        ganome
            .record_explanation(
                &doctor,
                &case.id,
                RecordExplanation {
                    explained_on: today,
                    explained_by: doctor.display_name.clone(),
                    note: Some("結果と推奨治療を説明".into()),
                },
            )
            .await
            .map_err(e)?;
        if tpl.stage != FollowedUp {
            continue;
        }
        let record = ganome.clinical_record(&doctor, &case.id).await.map_err(e)?;
        let rec = record
            .reviews
            .iter()
            .flat_map(|r| r.recommendations.iter())
            .next()
            .cloned();
        let treatment = ganome
            .record_treatment(
                &doctor,
                &case.id,
                RecordTreatment {
                    line: 2,
                    regimen: rec
                        .as_ref()
                        .map_or("best supportive care".into(), |r| r.drug.clone()),
                    started_on: today,
                    ended_on: None,
                    access_route: rec.as_ref().map_or(AccessRoute::None, |r| r.access_route),
                    not_given_reason: rec.is_none().then(|| "推奨治療なし".into()),
                    recommendation_id: rec.as_ref().map(|r| r.id.clone()),
                },
            )
            .await
            .map_err(e)?;
        let n = case.case_number.bytes().map(u64::from).sum::<u64>();
        ganome
            .record_response(
                &doctor,
                &treatment.id,
                RecordResponse {
                    best_response: Some(match n % 3 {
                        0 => RecistResponse::Pr,
                        1 => RecistResponse::Sd,
                        _ => RecistResponse::Pr,
                    }),
                    progression_on: None,
                    ended_on: None,
                },
            )
            .await
            .map_err(e)?;
        if n % 2 == 0 {
            ganome
                .add_adverse_event(
                    &doctor,
                    &treatment.id,
                    RecordAdverseEvent {
                        ctcae_term: "Diarrhea".into(),
                        grade: 2,
                        onset_on: Some(today),
                    },
                )
                .await
                .map_err(e)?;
        }
        ganome
            .record_outcome(
                &doctor,
                &case.id,
                RecordOutcome {
                    vital_status: VitalStatus::Alive,
                    last_contact_on: today,
                    cause_of_death: None,
                },
            )
            .await
            .map_err(e)?;
    }
    bar.finish_and_clear();
    if let (Some(_), Some(shipped)) = (earlier, current) {
        ganome
            .publish_knowledge_release(&curator, shipped)
            .await
            .map_err(e)?;
    }
    Ok(TEMPLATES.len())
}

/// Osimertinib's first-line approvals (EGFR exon 19 deletion / L858R NSCLC) in the shipped
/// curation.
const FIRST_LINE_OSIMERTINIB: [&str; 2] =
    ["JP-osimertinib-EGFR-NSCLC", "US-osimertinib-EGFR-NSCLC"];

/// `release` without osimertinib's first-line approval rows, named after it; `None` when the
/// release is unnamed or lacks them (then the demo raises no alert rather than a made-up one).
fn before_first_line_osimertinib(
    release: &ganome_knowledge::KnowledgeRelease,
) -> Option<ganome_knowledge::KnowledgeRelease> {
    let name = release.name.as_ref()?;
    let mut content = release.content.clone();
    content
        .approvals
        .retain(|a| !FIRST_LINE_OSIMERTINIB.contains(&a.id.as_str()));
    (content.approvals.len() + FIRST_LINE_OSIMERTINIB.len() == release.content.approvals.len())
        .then(|| {
            ganome_knowledge::KnowledgeRelease::from_content(
                Some(format!("{name}-before-osimertinib-1L")),
                content,
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_living_network_walks_the_whole_loop() {
        let dir = tempfile::tempdir().unwrap();
        let ganome = Ganome::open_embedded(dir.path()).await.unwrap();
        ganome.load_shipped_network().await.unwrap();
        crate::commands::demo::ensure_demo_users(&ganome, dir.path())
            .await
            .unwrap();
        crate::commands::findings::ensure_engine(&ganome)
            .await
            .unwrap();
        assert_eq!(load(&ganome, "clinician").await.unwrap(), TEMPLATES.len());
        // A second run adds nothing.
        assert_eq!(load(&ganome, "clinician").await.unwrap(), 0);

        let admin = ganome.operator_acting_as("admin").await.unwrap();
        let cases = ganome
            .list_cases(&admin, &CaseListQuery::default())
            .await
            .unwrap();
        assert_eq!(cases.len(), TEMPLATES.len());
        for state in [
            Registered,
            SpecimenShipped,
            FindingsIssued,
            PanelReviewed,
            Explained,
            FollowedUp,
        ] {
            let want = TEMPLATES.iter().filter(|t| t.stage == state).count();
            let got = cases.iter().filter(|c| c.state == state).count();
            assert_eq!(got, want, "{state}");
        }
        // Every case past results has findings; every reviewed one pins a version of its own.
        for c in cases.iter().filter(|c| c.state >= FindingsIssued) {
            let v = ganome.list_findings(&admin, &c.id).await.unwrap();
            assert!(!v.is_empty(), "{}", c.case_number);
            let record = ganome.clinical_record(&admin, &c.id).await.unwrap();
            for r in &record.reviews {
                assert!(v.iter().any(|f| f.id == r.findings_version));
            }
            if c.state == FollowedUp {
                assert!(!record.treatments.is_empty());
                // The case as a phenopacket: the latest findings' alterations and the
                // treatments with their responses, every CURIE prefix declared.
                let packet = ganome.case_phenopacket(&admin, &c.id).await.unwrap();
                let latest = v.last().unwrap();
                let interpretations =
                    &packet["interpretations"][0]["diagnosis"]["genomicInterpretations"];
                assert_eq!(packet["interpretations"][0]["id"], latest.id.as_str());
                assert_eq!(
                    interpretations.as_array().unwrap().len() as i64,
                    latest.alterations,
                    "{}",
                    c.case_number
                );
                let actions = packet["medicalActions"].as_array().unwrap();
                assert_eq!(actions.len(), record.treatments.len());
                let responses = record
                    .treatments
                    .iter()
                    .filter(|t| t.best_response.is_some())
                    .count();
                assert_eq!(
                    actions
                        .iter()
                        .filter(|a| a["responseToTreatment"]["id"]
                            .as_str()
                            .is_some_and(|id| id.starts_with("ganome.recist:")))
                        .count(),
                    responses
                );
                ganome_service::phenopacket::check_prefixes(&packet).unwrap();
            }
        }
        // The indicators see the walked loop as the workflows wrote it (the per-case facts
        // are kept by registration, state changes, sign-offs and treatments).
        let auditor = ganome.operator_acting_as("auditor").await.unwrap();
        let today = Timestamp::now().date_jst();
        let ind = ganome
            .indicators(
                &auditor,
                &ganome_service::indicators::IndicatorQuery {
                    from: Some((today - Duration::days(120)).to_string()),
                    to: Some(today.to_string()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let shipped = TEMPLATES.iter().filter(|t| t.stage != Registered).count() as i64;
        assert_eq!(ind.consent.tested_patients, shipped);
        let reviewed = TEMPLATES
            .iter()
            .filter(|t| matches!(t.stage, PanelReviewed | Explained | FollowedUp))
            .count() as i64;
        assert_eq!(ind.treatment.reviewed_patients, reviewed);
        let treated = {
            let mut n = 0;
            for c in cases.iter().filter(|c| c.state == FollowedUp) {
                let record = ganome.clinical_record(&admin, &c.id).await.unwrap();
                if record
                    .treatments
                    .iter()
                    .any(|t| t.recommendation_id.is_some())
                {
                    n += 1;
                }
            }
            n
        };
        assert!(treated > 0);
        assert_eq!(ind.treatment.treated_patients, treated);

        // The demo clinician and the linked panel see the loop; the clinician elsewhere not.
        let clinician = ganome.operator_acting_as("clinician").await.unwrap();
        let chair = ganome.operator_acting_as("panel.chair").await.unwrap();
        let elsewhere = ganome
            .operator_acting_as("clinician.elsewhere")
            .await
            .unwrap();
        let mine = ganome
            .list_cases(&clinician, &CaseListQuery::default())
            .await
            .unwrap();
        assert!(mine.len() >= 10);
        assert!(mine.iter().any(|c| c.state == FollowedUp));
        let panel = ganome
            .list_cases(&chair, &CaseListQuery::default())
            .await
            .unwrap();
        assert!(panel.len() >= mine.len());
        // The shipped release, published after the walk, raised alerts for the L858R lung
        // cases: osimertinib at level A, listed at a weaker level before.
        let alerts = ganome
            .list_alerts(
                &clinician,
                &ganome_service::AlertListQuery {
                    unacknowledged: Some(true),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(!alerts.is_empty());
        assert!(alerts.iter().all(|a| {
            a.options.iter().any(|o| {
                o.drug == "osimertinib"
                    && o.level == JpEvidenceLevel::A
                    && o.alteration.starts_with("EGFR")
            })
        }));
        let releases = ganome.list_knowledge_releases(&admin).await.unwrap();
        assert_eq!(
            releases
                .iter()
                .map(|r| (r.name.as_str(), r.is_current))
                .collect::<Vec<_>>(),
            [("shipped", true), ("shipped-before-osimertinib-1L", false)]
        );
        let theirs = ganome
            .list_cases(&elsewhere, &CaseListQuery::default())
            .await
            .unwrap();
        assert!(
            theirs
                .iter()
                .all(|c| c.ordering_facility_id == elsewhere.facility_id)
        );
    }
}
