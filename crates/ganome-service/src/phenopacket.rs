//! One case as a GA4GH Phenopacket (schema v2.0): the patient by opaque id with sex and
//! vital status, the tumour type (OncoTree), the tested specimen, the latest findings
//! version's reported alterations as genomic interpretations (HGVS expressions, the VCF
//! position, VAF, actionability from the evidence level), and the treatments that followed
//! with their RECIST best response — for handing a case to a registry, a trial-matching
//! service or another centre in the format they read.
//!
//! Written by hand with `serde_json`, as the FHIR export is, because no maintained Rust
//! phenopacket model exists and the few messages needed are small; the shape is checked
//! against the GA4GH examples in the tests. Every CURIE prefix used is declared in
//! `metaData.resources`. Where no public ontology id is at hand here (HGNC ids, drug ids,
//! RECIST responses), the exported term uses a declared namespace (`hgnc.symbol`,
//! `ganome.regimen`, `ganome.recist`) rather than a guessed code.

use ganome_core::{RecistResponse, Sex, VitalStatus};
use ganome_report::FindingsReport;
use ganome_store::Patient;
use serde_json::{Value, json};

use crate::followup::ClinicalRecord;
use crate::{Actor, Ganome, ServiceError};

/// Phenopacket schema version written.
pub const SCHEMA_VERSION: &str = "2.0";

fn sex(s: Sex) -> &'static str {
    match s {
        Sex::Male => "MALE",
        Sex::Female => "FEMALE",
        Sex::Other => "OTHER_SEX",
        Sex::Unknown => "UNKNOWN_SEX",
    }
}

fn recist(r: RecistResponse) -> Value {
    let label = match r {
        RecistResponse::Cr => "Complete response (RECIST 1.1)",
        RecistResponse::Pr => "Partial response (RECIST 1.1)",
        RecistResponse::Sd => "Stable disease (RECIST 1.1)",
        RecistResponse::Pd => "Progressive disease (RECIST 1.1)",
        RecistResponse::Ne => "Not evaluable (RECIST 1.1)",
    };
    json!({"id": format!("ganome.recist:{}", r.as_str()), "label": label})
}

/// `chr7:55191822 T>G` → the VCF fields.
fn vcf_record(genomic: &str, assembly: &str) -> Option<Value> {
    let (chrom, rest) = genomic.split_once(':')?;
    let (pos, change) = rest.trim().split_once(' ')?;
    let (reference, alt) = change.split_once('>')?;
    pos.parse::<u64>().ok()?;
    Some(json!({
        "genomeAssembly": assembly,
        "chrom": chrom,
        "pos": pos,
        "ref": reference,
        "alt": alt,
    }))
}

fn interpretation_of(report: &FindingsReport, biosample: &str) -> Vec<Value> {
    report
        .alterations
        .iter()
        .map(|a| {
            let mut expressions = Vec::new();
            if let Some(c) = &a.hgvs_c {
                let value = match &a.transcript {
                    Some(t) if !c.contains(':') => format!("{t}:{c}"),
                    _ => c.clone(),
                };
                expressions.push(json!({"syntax": "hgvs.c", "value": value}));
            }
            if let Some(p) = &a.hgvs_p {
                expressions.push(json!({"syntax": "hgvs.p", "value": p}));
            }
            if let Some(t) = &a.transcript {
                expressions.push(json!({"syntax": "transcript_reference", "value": t}));
            }
            let mut descriptor = json!({
                "id": a.id,
                "label": a.label,
                "geneContext": {"valueId": format!("hgnc.symbol:{}", a.gene), "symbol": a.gene},
                "moleculeContext": "genomic",
            });
            if !expressions.is_empty() {
                descriptor["expressions"] = Value::Array(expressions);
            }
            if let Some(v) = a
                .genomic
                .as_deref()
                .and_then(|g| vcf_record(g, &report.test.genome_build))
            {
                descriptor["vcfRecord"] = v;
            }
            let mut extensions = Vec::new();
            if let Some(vaf) = a.vaf {
                extensions.push(
                    json!({"name": "allele-frequency", "value": format!("{:.1}%", vaf * 100.0)}),
                );
            }
            if let Some(cn) = a.copy_number {
                extensions.push(json!({"name": "copy-number", "value": format!("{cn}")}));
            }
            if let Some(level) = &a.best_level {
                extensions.push(json!({"name": "jp-evidence-level", "value": level.ed2}));
            }
            if !extensions.is_empty() {
                descriptor["extensions"] = Value::Array(extensions);
            }
            // Levels A–C are what a clinician acts on (docs/alerts.md); the rest is known
            // but not actionable on its own.
            let actionability = match a.best_level.as_ref().map(|l| l.ed2.as_str()) {
                Some("A" | "B" | "C") => "ACTIONABLE",
                Some(_) => "NOT_ACTIONABLE",
                None => "UNKNOWN_ACTIONABILITY",
            };
            let status = match a.oncogenicity.as_str() {
                "oncogenic" | "likely_oncogenic" => "CONTRIBUTORY",
                _ => "UNKNOWN_STATUS",
            };
            json!({
                "subjectOrBiosampleId": biosample,
                "interpretationStatus": status,
                "variantInterpretation": {
                    "acmgPathogenicityClassification": "NOT_PROVIDED",
                    "therapeuticActionability": actionability,
                    "variationDescriptor": descriptor,
                },
            })
        })
        .collect()
}

/// The phenopacket of a case: its record, patient, latest findings (id and report) and the
/// OncoTree release the tumour type was named from.
pub fn case_phenopacket(
    record: &ClinicalRecord,
    patient: &Patient,
    findings: Option<(&str, &FindingsReport)>,
    created: ganome_core::Timestamp,
) -> Value {
    let case = &record.case;
    let tumour_name = findings
        .map(|(_, r)| r.case.tumor_type_name.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| case.oncotree_code.clone());
    let disease = json!({"id": format!("oncotree:{}", case.oncotree_code), "label": tumour_name});
    let biosample_id = format!("specimen-{}", case.id);

    let mut subject = json!({"id": patient.id, "sex": sex(patient.sex)});
    if let Some(o) = record.outcomes.iter().max_by_key(|o| o.last_contact_on) {
        subject["vitalStatus"] = json!({"status": match o.vital_status {
            VitalStatus::Alive => "ALIVE",
            VitalStatus::Dead => "DECEASED",
        }});
    }

    let mut biosample = json!({
        "id": biosample_id,
        "individualId": patient.id,
        "description": format!("{} specimen", case.specimen_type.as_str()),
        "taxonomy": {"id": "NCBITaxon:9606", "label": "Homo sapiens"},
        "histologicalDiagnosis": disease,
    });
    if let Some(date) = case.specimen_collected_on {
        biosample["timeOfCollection"] = json!({"timestamp": format!("{date}T00:00:00Z")});
    }

    let mut packet = json!({
        "id": format!("ganome-case-{}", case.id),
        "subject": subject,
        "diseases": [{"term": disease}],
        "biosamples": [biosample],
    });

    let mut resources = vec![
        json!({"id": "oncotree", "name": "OncoTree", "url": "https://oncotree.mskcc.org",
               "version": findings.map_or("unknown".to_owned(), |(_, r)| r.provenance.knowledge_release.clone()),
               "namespacePrefix": "oncotree", "iriPrefix": "https://oncotree.mskcc.org/api/tumorTypes/search/code/"}),
        json!({"id": "ncbitaxon", "name": "NCBI organismal classification", "url": "http://purl.obolibrary.org/obo/ncbitaxon.owl",
               "version": "2023-02-21", "namespacePrefix": "NCBITaxon", "iriPrefix": "http://purl.obolibrary.org/obo/NCBITaxon_"}),
    ];

    if let Some((findings_id, report)) = findings {
        packet["interpretations"] = json!([{
            "id": findings_id,
            "progressStatus": "COMPLETED",
            "diagnosis": {
                "disease": disease,
                "genomicInterpretations": interpretation_of(report, &biosample_id),
            },
            "summary": format!("Ganome findings report {} (knowledge release {})",
                report.report_id, report.provenance.knowledge_release),
        }]);
        resources.push(json!({"id": "hgnc.symbol", "name": "HGNC gene symbol", "url": "https://www.genenames.org",
            "version": "as reported", "namespacePrefix": "hgnc.symbol", "iriPrefix": "https://www.genenames.org/tools/search/#!/?query="}));
    }

    let actions: Vec<Value> = record
        .treatments
        .iter()
        .map(|t| {
            let mut regimen = json!({
                "externalReference": {
                    "id": format!("ganome.regimen:{}", t.id),
                    "description": format!("line {}: {}", t.line, t.regimen),
                },
                "startTime": {"timestamp": format!("{}T00:00:00Z", t.started_on)},
                "regimenStatus": if t.ended_on.is_some() { "COMPLETED" } else { "STARTED" },
            });
            if let Some(end) = t.ended_on {
                regimen["endTime"] = json!({"timestamp": format!("{end}T00:00:00Z")});
            }
            let mut action = json!({"therapeuticRegimen": regimen, "treatmentTarget": disease});
            if let Some(r) = t.best_response {
                action["responseToTreatment"] = recist(r);
            }
            action
        })
        .collect();
    if !actions.is_empty() {
        packet["medicalActions"] = Value::Array(actions);
        resources.push(json!({"id": "ganome.regimen", "name": "Ganome treatment records", "url": "urn:ganome:treatment",
            "version": "1", "namespacePrefix": "ganome.regimen", "iriPrefix": "urn:ganome:treatment:"}));
        resources.push(json!({"id": "ganome.recist", "name": "RECIST 1.1 best overall response (Ganome codes CR, PR, SD, PD, NE)",
            "url": "https://recist.eortc.org/recist-1-1-2/", "version": "1.1", "namespacePrefix": "ganome.recist",
            "iriPrefix": "urn:ganome:recist:"}));
    }

    packet["metaData"] = json!({
        "created": created.to_string(),
        "createdBy": "Ganome",
        "phenopacketSchemaVersion": SCHEMA_VERSION,
        "resources": resources,
    });
    packet
}

impl Ganome {
    /// The case as a GA4GH Phenopacket v2 (who may read its clinical record; audited).
    pub async fn case_phenopacket(
        &self,
        actor: &Actor,
        case_id: &str,
    ) -> Result<Value, ServiceError> {
        let result = async {
            let record = self.clinical_record_inner(actor, case_id).await?;
            let patient = self
                .store
                .get_patient(&record.case.patient_id)
                .await?
                .ok_or_else(|| ServiceError::NotFound(format!("patient of case {case_id}")))?;
            let findings = self.latest_findings(case_id).await?;
            Ok(case_phenopacket(
                &record,
                &patient,
                findings
                    .as_ref()
                    .map(|d| (d.version.id.as_str(), &d.report)),
                ganome_core::Timestamp::now(),
            ))
        }
        .await;
        self.audit_result(actor, "case.phenopacket", "case", Some(case_id), result)
            .await
    }
}

/// Checks that every ontology term (`{id, label}`), gene context and external reference in
/// `packet` uses a CURIE prefix declared in `metaData.resources` (as phenopacket validators
/// require). Returns the first undeclared id.
pub fn check_prefixes(packet: &Value) -> Result<(), String> {
    let declared: Vec<&str> = packet["metaData"]["resources"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|x| x["namespacePrefix"].as_str())
                .collect()
        })
        .unwrap_or_default();
    fn walk<'a>(v: &'a Value, ids: &mut Vec<&'a str>) {
        match v {
            Value::Object(m) => {
                let term = m.contains_key("id")
                    && m.keys()
                        .all(|k| k == "id" || k == "label" || k == "description");
                if term && let Some(id) = m["id"].as_str() {
                    ids.push(id);
                }
                if let Some(id) = m.get("valueId").and_then(Value::as_str) {
                    ids.push(id);
                }
                for (k, x) in m {
                    if k != "metaData" {
                        walk(x, ids);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, ids)),
            _ => {}
        }
    }
    let mut ids = Vec::new();
    walk(packet, &mut ids);
    for id in ids {
        let Some((prefix, _)) = id.split_once(':') else {
            return Err(format!("'{id}' is not a CURIE"));
        };
        if !declared.contains(&prefix) {
            return Err(format!(
                "prefix of '{id}' is not declared in metaData.resources"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcf_positions_are_read_from_the_report() {
        assert_eq!(
            vcf_record("chr7:55191822 T>G", "GRCh38").unwrap(),
            json!({"genomeAssembly": "GRCh38", "chrom": "chr7", "pos": "55191822", "ref": "T", "alt": "G"})
        );
        assert!(vcf_record("chr7:55191822", "GRCh38").is_none());
        assert!(vcf_record("chr7:x T>G", "GRCh38").is_none());
    }

    #[test]
    fn every_term_needs_a_declared_prefix() {
        let mut p = json!({
            "diseases": [{"term": {"id": "oncotree:LUAD", "label": "Lung Adenocarcinoma"}}],
            "medicalActions": [{"responseToTreatment": recist(RecistResponse::Pr)}],
            "metaData": {"resources": [{"namespacePrefix": "oncotree"}]},
        });
        assert_eq!(
            check_prefixes(&p).unwrap_err(),
            "prefix of 'ganome.recist:PR' is not declared in metaData.resources"
        );
        p["metaData"]["resources"]
            .as_array_mut()
            .unwrap()
            .push(json!({"namespacePrefix": "ganome.recist"}));
        check_prefixes(&p).unwrap();
    }
}
