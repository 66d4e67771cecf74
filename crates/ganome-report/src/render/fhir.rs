//! A FHIR R4 `collection` Bundle following the HL7 Genomics Reporting IG (STU3, 3.0.0):
//! a `genomic-report` DiagnosticReport, one `variant` Observation per alteration, one
//! `therapeutic-implication` per therapy option (derived from its variant or biomarker) and
//! `molecular-biomarker` Observations for TMB and MSI. Every resource has a stable
//! `urn:uuid:` derived from the report id, so a panel's recommendations (IG
//! `medication-recommendation` tasks) can reference the implications later.
//!
//! Written with serde_json values rather than a FHIR model crate: we emit a handful of
//! resources whose shape the tests check against the IG's own StructureDefinitions.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::model::{AlterationFinding, FindingsReport, Origin, TherapyOption};

const IG: &str = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/";
const TBD: &str = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs";
const LOINC: &str = "http://loinc.org";
/// Code system of the Japanese guidance's evidence levels (edition 2.x).
pub const JP_LEVEL_SYSTEM: &str = "urn:ganome:jp-evidence-level:ed2";
/// OncoTree code system.
pub const ONCOTREE: &str = "http://oncotree.info";

fn uuid(report_id: &str, local: &str) -> String {
    let d = Sha256::digest(format!("{report_id}/{local}").as_bytes());
    let h = hex::encode(&d[..16]);
    // RFC 4122 layout, version 5-like and variant bits set, so validators accept it.
    format!(
        "urn:uuid:{}-{}-5{}-{}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        ["8", "9", "a", "b"][usize::from(d[8] & 3)],
        &h[17..20],
        &h[20..32]
    )
}

fn cc(system: &str, code: &str, display: &str) -> Value {
    json!({"coding": [{"system": system, "code": code, "display": display}]})
}

fn component(code: Value, value_key: &str, value: Value) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("code".into(), code);
    m.insert(value_key.into(), value);
    Value::Object(m)
}

fn categories(biomarker: bool) -> Value {
    let mut c = vec![
        json!({"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}),
    ];
    if biomarker {
        c.push(json!({"coding": [{"system": TBD, "code": "biomarker-category"}]}));
    }
    c.push(json!({"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "GE"}]}));
    Value::Array(c)
}

struct Ctx<'a> {
    r: &'a FindingsReport,
    patient: String,
}

impl Ctx<'_> {
    fn base(&self, profile: &str, code: Value, biomarker: bool) -> serde_json::Map<String, Value> {
        let mut m = serde_json::Map::new();
        m.insert("resourceType".into(), json!("Observation"));
        m.insert(
            "meta".into(),
            json!({"profile": [format!("{IG}{profile}")]}),
        );
        m.insert("status".into(), json!("final"));
        m.insert("category".into(), categories(biomarker));
        m.insert("code".into(), code);
        m.insert("subject".into(), json!({"reference": self.patient}));
        if let Some(d) = &self.r.case.report_date {
            m.insert("effectiveDateTime".into(), json!(d));
        }
        m
    }

    fn variant(&self, a: &AlterationFinding) -> Value {
        let mut m = self.base(
            "variant",
            cc(LOINC, "69548-6", "Genetic variant assessment"),
            false,
        );
        m.insert(
            "valueCodeableConcept".into(),
            cc(LOINC, "LA9633-4", "Present"),
        );
        let mut comps = vec![component(
            cc(LOINC, "48018-6", "Gene studied [ID]"),
            "valueCodeableConcept",
            json!({"text": a.gene}),
        )];
        if let (Some(t), Some(c)) = (&a.transcript, &a.hgvs_c) {
            let code = if c.contains(':') {
                c.clone()
            } else {
                format!("{t}:{c}")
            };
            comps.push(component(
                cc(LOINC, "48004-6", "DNA change (c.HGVS)"),
                "valueCodeableConcept",
                json!({"coding": [{"system": "http://varnomen.hgvs.org", "code": code, "display": code}]}),
            ));
            comps.push(component(
                cc(LOINC, "51958-7", "Transcript reference sequence [ID]"),
                "valueCodeableConcept",
                json!({"text": t}),
            ));
        }
        if let Some(p) = a.hgvs_p.as_ref().filter(|p| p.contains(':')) {
            comps.push(component(
                cc(LOINC, "48005-3", "Amino acid change (pHGVS)"),
                "valueCodeableConcept",
                json!({"coding": [{"system": "http://varnomen.hgvs.org", "code": p, "display": p}]}),
            ));
        }
        if let Some((pos, (r, alt))) = a
            .genomic
            .as_deref()
            .and_then(|g| g.split_once(' '))
            .and_then(|(pos, change)| change.split_once('>').map(|x| (pos, x)))
        {
            let start: Option<u64> = pos.rsplit(':').next().and_then(|p| p.parse().ok());
            comps.push(component(
                cc(LOINC, "92822-6", "Genomic coordinate system [Type]"),
                "valueCodeableConcept",
                cc(LOINC, "LA30102-0", "1-based character counting"),
            ));
            if let Some(s) = start {
                comps.push(component(
                    cc(LOINC, "81254-5", "Genomic allele start-end"),
                    "valueRange",
                    json!({"low": {"value": s}, "high": {"value": s + r.len() as u64 - 1}}),
                ));
            }
            comps.push(component(
                cc(LOINC, "69547-8", "Genomic ref allele [ID]"),
                "valueString",
                json!(r),
            ));
            comps.push(component(
                cc(LOINC, "69551-0", "Genomic alt allele [ID]"),
                "valueString",
                json!(alt),
            ));
        }
        if a.kind == "fusion" {
            comps.push(component(
                cc(LOINC, "81252-9", "Discrete genetic variant"),
                "valueCodeableConcept",
                json!({"text": a.label}),
            ));
        }
        if let Some(v) = a.vaf {
            comps.push(component(
                cc(LOINC, "81258-6", "Sample VAF"),
                "valueQuantity",
                json!({"value": (v * 10000.0).round() / 10000.0, "system": "http://unitsofmeasure.org", "code": "1"}),
            ));
        }
        if let Some(d) = a.depth.filter(|_| a.kind != "fusion") {
            comps.push(component(
                cc(LOINC, "82121-5", "Allelic read depth"),
                "valueQuantity",
                json!({"value": d, "system": "http://unitsofmeasure.org", "code": "1"}),
            ));
        }
        if let Some(cn) = a.copy_number {
            comps.push(component(
                cc(LOINC, "82155-3", "Genomic structural variant copy number"),
                "valueQuantity",
                json!({"value": cn, "system": "http://unitsofmeasure.org", "code": "1"}),
            ));
        }
        match a.origin {
            Origin::Somatic => comps.push(component(
                cc(LOINC, "48002-0", "Genomic source class [Type]"),
                "valueCodeableConcept",
                cc(LOINC, "LA6684-0", "Somatic"),
            )),
            Origin::Germline => comps.push(component(
                cc(LOINC, "48002-0", "Genomic source class [Type]"),
                "valueCodeableConcept",
                cc(LOINC, "LA6683-2", "Germline"),
            )),
            Origin::Unknown => {}
        }
        m.insert("component".into(), Value::Array(comps));
        if let Some(p) = &a.hgvs_p {
            m.insert(
                "note".into(),
                json!([{"text": format!("{} {p} ({})", a.gene, a.oncogenicity)}]),
            );
        }
        Value::Object(m)
    }

    fn implication(&self, t: &TherapyOption, from: &str) -> Value {
        let mut m = self.base(
            "therapeutic-implication",
            cc(TBD, "therapeutic-implication", "Therapeutic Implication"),
            false,
        );
        m.insert("derivedFrom".into(), json!([{"reference": from}]));
        let (code, display) = if t.level.ed2 == "R" {
            ("LA6676-6", "Resistant")
        } else {
            ("LA6677-4", "Responsive")
        };
        let approvals: Vec<&str> = [(t.approved_jp, "JP"), (t.approved_us, "US")]
            .into_iter()
            .filter_map(|(b, j)| b.then_some(j))
            .collect();
        m.insert(
            "component".into(),
            json!([
                component(cc(TBD, "therapeutic-implication", "Therapeutic Implication"), "valueCodeableConcept", cc(LOINC, code, display)),
                component(cc(LOINC, "93044-6", "Level of evidence"), "valueCodeableConcept",
                    json!({"coding": [{"system": JP_LEVEL_SYSTEM, "code": t.level.ed2, "display": t.level.reason}], "text": format!("{} ({}) [{}]", t.level.ed2, t.level.ed1, t.level.rule)})),
                component(cc(LOINC, "81259-4", "Associated phenotype"), "valueCodeableConcept",
                    json!({"coding": [{"system": ONCOTREE, "code": self.r.case.tumor_type, "display": self.r.case.tumor_type_name}]})),
                component(cc(LOINC, "51963-7", "Medication assessed [ID]"), "valueCodeableConcept", json!({"text": t.drug})),
            ]),
        );
        if !approvals.is_empty() {
            m.insert(
                "note".into(),
                json!([{"text": format!("approved: {}", approvals.join(", "))}]),
            );
        }
        Value::Object(m)
    }
}

/// The bundle as pretty JSON bytes.
pub fn render(r: &FindingsReport) -> Result<Vec<u8>, serde_json::Error> {
    let mut v = serde_json::to_vec_pretty(&bundle(r))?;
    v.push(b'\n');
    Ok(v)
}

/// The bundle.
pub fn bundle(r: &FindingsReport) -> Value {
    let id = &r.report_id;
    let patient = uuid(id, "patient");
    let ctx = Ctx {
        r,
        patient: patient.clone(),
    };
    let mut entries = vec![json!({
        "fullUrl": patient,
        "resource": {"resourceType": "Patient", "identifier": [{"system": "urn:ganome:case-id", "value": r.case.case_id}]}
    })];
    let mut results = Vec::new();
    let mut push = |entries: &mut Vec<Value>, url: String, res: Value| {
        results.push(json!({"reference": url}));
        entries.push(json!({"fullUrl": url, "resource": res}));
    };
    if let Some(t) = &r.biomarkers.tmb {
        let url = uuid(id, "tmb");
        let mut m = ctx.base(
            "molecular-biomarker",
            cc(LOINC, "94076-7", "Mutations/Megabase [# Ratio] in Tumor"),
            true,
        );
        m.insert("valueQuantity".into(), json!({"value": (t.value * 100.0).round() / 100.0, "unit": "mutations per megabase", "system": "http://unitsofmeasure.org", "code": "1/1000000"}));
        m.insert("component".into(), json!([component(cc(TBD, "biomarker-category", "Biomarker category"), "valueCodeableConcept",
            json!({"coding": [{"system": "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/molecular-biomarker-ontology-cs", "code": "molgen", "display": "molecular sequence adjacent category"}]}))]));
        push(&mut entries, url.clone(), Value::Object(m));
        for (i, o) in t.therapies.iter().enumerate() {
            push(
                &mut entries,
                uuid(id, &format!("tmb/{i}")),
                ctx.implication(o, &url),
            );
        }
    }
    if let Some(s) = &r.biomarkers.msi {
        let url = uuid(id, "msi");
        let mut m = ctx.base(
            "molecular-biomarker",
            cc(
                LOINC,
                "81695-9",
                "Microsatellite instability [Interpretation] in Cancer specimen Qualitative",
            ),
            true,
        );
        let value = match s.status.as_str() {
            "msi_high" => cc(LOINC, "LA26203-2", "Unstable"),
            "mss" => cc(LOINC, "LA14122-8", "Stable"),
            _ => json!({"text": s.status}),
        };
        m.insert("valueCodeableConcept".into(), value);
        m.insert("component".into(), json!([component(cc(TBD, "biomarker-category", "Biomarker category"), "valueCodeableConcept",
            json!({"coding": [{"system": "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/molecular-biomarker-ontology-cs", "code": "molgen", "display": "molecular sequence adjacent category"}]}))]));
        push(&mut entries, url.clone(), Value::Object(m));
        for (i, o) in s.therapies.iter().enumerate() {
            push(
                &mut entries,
                uuid(id, &format!("msi/{i}")),
                ctx.implication(o, &url),
            );
        }
    }
    for a in r.alterations.iter().chain(&r.vus) {
        let url = uuid(id, &a.id);
        push(&mut entries, url.clone(), ctx.variant(a));
        for (i, o) in a.therapies.iter().enumerate() {
            push(
                &mut entries,
                uuid(id, &format!("{}/{i}", a.id)),
                ctx.implication(o, &url),
            );
        }
    }
    let mut conclusion = Vec::new();
    for (level, opts) in &r.summary.options_by_level {
        conclusion.push(format!("{level}: {}", opts.join("; ")));
    }
    if r.germline.referral.flagged {
        conclusion.push(r.germline.referral.action.en.clone());
    }
    let mut report = json!({
        "resourceType": "DiagnosticReport",
        "meta": {"profile": [format!("{IG}genomic-report")]},
        "identifier": [{"system": "urn:ganome:report-id", "value": r.report_id}],
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "GE"}]}],
        "code": {"coding": [{"system": LOINC, "code": "51969-4", "display": "Genetic analysis report"}]},
        "subject": {"reference": patient},
        "result": results,
        "conclusion": if conclusion.is_empty() { "No treatment option at levels A–E.".to_owned() } else { conclusion.join("\n") },
    });
    if let (Some(d), Some(o)) = (&r.case.report_date, report.as_object_mut()) {
        o.insert("effectiveDateTime".into(), json!(d));
        o.insert("issued".into(), json!(format!("{d}T00:00:00Z")));
    }
    entries.insert(
        1,
        json!({"fullUrl": uuid(id, "report"), "resource": report}),
    );
    json!({
        "resourceType": "Bundle",
        "identifier": {"system": "urn:ganome:report-id", "value": r.report_id},
        "type": "collection",
        "entry": entries,
    })
}
