//! The panel's recommendations and the treatments that followed as a FHIR R4 Bundle, per the
//! HL7 Genomics Reporting IG 3.0.0: each recommendation is a `Task` with the
//! `medication-recommendation` profile whose `focus` is an intended `MedicationStatement`;
//! each germline follow-up is a `Task` with the `followup-recommendation` profile; each
//! treatment is a `MedicationStatement` pointing back at the recommendation it followed.
//!
//! Written by hand with `serde_json` because the few resources needed do not justify a FHIR
//! model crate, and the shapes are checked against the IG's profiles in the tests.
//!
//! Two deliberate choices, both for conformance to R4:
//! - `Task.code` is omitted: the profiles bind it (required) to LOINC answer lists LL4049-4
//!   and LL1037-2, and none of their answers says "start this targeted drug"; the
//!   recommendation is carried in `description` and `focus` instead.
//! - A treatment points to its recommendation through `MedicationStatement.derivedFrom`
//!   (Reference(Any)) *and* `basedOn` is left out: R4 restricts `basedOn` to
//!   MedicationRequest, CarePlan and ServiceRequest, so a `basedOn` to a `Task` would not
//!   validate.

use ganome_core::AccessRoute;
use serde_json::{Value, json};

use crate::followup::ClinicalRecord;
use crate::{Actor, Ganome, ServiceError};

/// Profile of a medication recommendation.
pub const MEDICATION_RECOMMENDATION: &str =
    "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/medication-recommendation";
/// Profile of a follow-up recommendation.
pub const FOLLOWUP_RECOMMENDATION: &str =
    "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/followup-recommendation";

fn full_url(kind: &str, id: &str) -> String {
    format!("urn:ganome:{kind}:{id}")
}

fn route_text(route: AccessRoute, trial: Option<&str>) -> String {
    match (route, trial) {
        (AccessRoute::ClinicalTrial, Some(t)) => format!("{} {t}", route.label_ja()),
        _ => route.label_ja().to_owned(),
    }
}

/// The Bundle (type `collection`) for one case's clinical record.
pub fn recommendations_bundle(record: &ClinicalRecord) -> Value {
    let patient = json!({"reference": format!("Patient/{}", record.case.patient_id)});
    // The patient by its opaque id only: no demographics leave in this export.
    let mut entries = vec![json!({
        "fullUrl": full_url("Patient", &record.case.patient_id),
        "resource": {"resourceType": "Patient", "id": record.case.patient_id},
    })];
    for review in &record.reviews {
        // Only signed-off reviews recommend anything; the profiles fix status `requested`.
        let Some(signed_off_at) = review.signed_off_at else {
            continue;
        };
        let authored = signed_off_at.to_string();
        for rec in &review.recommendations {
            let ms_id = format!("rec-{}", rec.id);
            entries.push(json!({
                "fullUrl": full_url("MedicationStatement", &ms_id),
                "resource": {
                    "resourceType": "MedicationStatement",
                    "id": ms_id,
                    "status": "intended",
                    "medicationCodeableConcept": {"text": rec.drug},
                    "subject": patient,
                }
            }));
            let mut description = format!(
                "{} — エビデンスレベル {} — {}",
                rec.drug,
                rec.evidence_level.as_str(),
                route_text(rec.access_route, rec.trial_id.as_deref())
            );
            if let Some(b) = &rec.biomarker {
                description.push_str(&format!(" — {b}"));
            }
            let mut task = json!({
                "resourceType": "Task",
                "id": rec.id,
                "meta": {"profile": [MEDICATION_RECOMMENDATION]},
                "identifier": [{"system": "urn:ganome:recommendation", "value": rec.id}],
                "status": "requested",
                "intent": "proposal",
                "description": description,
                "for": patient,
                "focus": {"reference": format!("MedicationStatement/{ms_id}"), "display": rec.drug},
                "authoredOn": authored,
                "note": [{"text": format!("findings report {}; review {}", review.findings_version, review.id)}],
            });
            if let Some(note) = &rec.note
                && let Some(notes) = task["note"].as_array_mut()
            {
                notes.push(json!({"text": note}));
            }
            entries.push(json!({"fullUrl": full_url("Task", &rec.id), "resource": task}));
        }
        let g = &review.germline;
        let followups = [
            (
                g.counselling_referral,
                "counselling",
                "遺伝カウンセリングへの紹介 (genetic counselling referral)",
            ),
            (
                g.confirmatory_test,
                "confirmatory-test",
                "生殖細胞系列の確認検査 (confirmatory germline test)",
            ),
        ];
        for (wanted, kind, text) in followups {
            if !wanted {
                continue;
            }
            let id = format!("{}-{kind}", review.id);
            let mut description = text.to_owned();
            if let Some(n) = &g.note {
                description.push_str(&format!(" — {n}"));
            }
            entries.push(json!({
                "fullUrl": full_url("Task", &id),
                "resource": {
                    "resourceType": "Task",
                    "id": id,
                    "meta": {"profile": [FOLLOWUP_RECOMMENDATION]},
                    "status": "requested",
                    "intent": "proposal",
                    "description": description,
                    "for": patient,
                    "authoredOn": authored,
                }
            }));
        }
    }
    for t in &record.treatments {
        let id = format!("tx-{}", t.id);
        let mut ms = json!({
            "resourceType": "MedicationStatement",
            "id": id,
            "status": if t.ended_on.is_some() { "completed" } else { "active" },
            "medicationCodeableConcept": {"text": t.regimen},
            "subject": patient,
            "effectivePeriod": {"start": t.started_on.to_string()},
            "dateAsserted": t.recorded_at.to_string(),
        });
        if let Some(end) = t.ended_on {
            ms["effectivePeriod"]["end"] = json!(end.to_string());
        }
        if let Some(rid) = &t.recommendation_id {
            ms["derivedFrom"] = json!([{"reference": format!("Task/{rid}")}]);
        }
        if let Some(reason) = &t.not_given_reason {
            ms["note"] = json!([{"text": reason}]);
        }
        entries.push(json!({"fullUrl": full_url("MedicationStatement", &id), "resource": ms}));
    }
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": ganome_core::Timestamp::now().to_string(),
        "entry": entries,
    })
}

impl Ganome {
    /// The case's signed-off recommendations, follow-up tasks and treatments as a FHIR Bundle.
    pub async fn fhir_recommendations(
        &self,
        actor: &Actor,
        case_id: &str,
    ) -> Result<Value, ServiceError> {
        let result = self
            .clinical_record_inner(actor, case_id)
            .await
            .map(|r| recommendations_bundle(&r));
        self.audit_result(
            actor,
            "case.fhir.recommendations",
            "case",
            Some(case_id),
            result,
        )
        .await
    }
}
