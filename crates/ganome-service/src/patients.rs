//! Patients and their consent. The hospital's record number is turned into a pseudonym
//! (HMAC-SHA256 under the facility's secret) on arrival and never stored.

use ganome_core::{ConsentItems, ConsentMethod, Sex, Timestamp, ValidationErrors};
use ganome_store::{CaseFilter, CaseScope, Consent, NewConsent, NewPatient, Patient};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use utoipa::ToSchema;

use crate::ids::new_id;
use crate::{Actor, Ganome, ServiceError, access};

/// A patient to register at the actor's hospital.
#[derive(Clone, Deserialize, ToSchema)]
pub struct RegisterPatient {
    /// The hospital's record number (カルテ番号); pseudonymised at once, never stored.
    pub record_number: String,
    /// Sex.
    pub sex: Sex,
    /// Birth year.
    pub birth_year: i64,
    /// Birth month (1–12).
    pub birth_month: i64,
}

impl std::fmt::Debug for RegisterPatient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisterPatient")
            .field("record_number", &"<redacted>")
            .field("sex", &self.sex)
            .field("birth_year", &self.birth_year)
            .field("birth_month", &self.birth_month)
            .finish()
    }
}

/// A consent to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordConsent {
    /// Version of the form signed, e.g. `2019.1`.
    pub form_version: String,
    /// Paper or electronic.
    pub method: ConsentMethod,
    /// The answers.
    pub items: ConsentItems,
    /// When it was given.
    pub given_at: Timestamp,
}

/// The pseudonym of a record number under a facility secret.
pub(crate) fn pseudonym(secret: &[u8], record_number: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(record_number.trim().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

impl Ganome {
    /// Registers a patient at the actor's hospital. With an idempotency key, a repeat
    /// returns the first patient; a second registration of the same record number is a
    /// conflict.
    pub async fn register_patient(
        &self,
        actor: &Actor,
        req: RegisterPatient,
        idempotency_key: Option<&str>,
    ) -> Result<Patient, ServiceError> {
        let result = async {
            if !access::may_register(actor) {
                return Err(ServiceError::Forbidden(
                    "only clinicians at a hospital register patients".into(),
                ));
            }
            let mut errors = ValidationErrors::new();
            errors.check(
                !req.record_number.trim().is_empty(),
                "record_number",
                "must not be empty",
            );
            let this_year = Timestamp::now().date().year() as i64;
            errors.check(
                (1900..=this_year).contains(&req.birth_year),
                "birth_year",
                format!("must be between 1900 and {this_year}"),
            );
            errors.check(
                (1..=12).contains(&req.birth_month),
                "birth_month",
                "must be 1 to 12",
            );
            errors.into_result()?;
            let secret = self.store.facility_secret(&actor.facility_id).await?;
            let patient = Patient {
                id: new_id(),
                facility_id: actor.facility_id.clone(),
                pseudonym: pseudonym(&secret, &req.record_number),
                sex: req.sex,
                birth_year: req.birth_year,
                birth_month: req.birth_month,
                created_at: Timestamp::now(),
            };
            let new = NewPatient {
                patient,
                created_by: actor.user_id.clone(),
            };
            Ok(self.store.insert_patient(&new, idempotency_key).await?)
        }
        .await;
        let id = result.as_ref().ok().map(|p| p.id.clone());
        self.audit_result(actor, "patient.register", "patient", id.as_deref(), result)
            .await
    }

    pub(crate) async fn load_patient_for_read(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<Patient, ServiceError> {
        let patient = self
            .store
            .get_patient(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("patient {id}")))?;
        let mut filter = CaseFilter::scoped(CaseScope::All);
        filter.patient_id = Some(patient.id.clone());
        filter.limit = 1000;
        let panels: Vec<String> = self
            .store
            .list_cases(&filter)
            .await?
            .into_iter()
            .map(|c| c.panel_facility_id)
            .collect();
        if !access::may_read_patient(actor, &patient, &panels) {
            return Err(ServiceError::Forbidden(format!(
                "patient {id} is outside your facility's scope"
            )));
        }
        Ok(patient)
    }

    /// One patient, if within the actor's scope.
    pub async fn get_patient(&self, actor: &Actor, id: &str) -> Result<Patient, ServiceError> {
        let result = self.load_patient_for_read(actor, id).await;
        self.audit_result(actor, "patient.read", "patient", Some(id), result)
            .await
    }

    /// Finds a patient of the actor's hospital by record number (pseudonymised first).
    pub async fn find_patient_by_record_number(
        &self,
        actor: &Actor,
        record_number: &str,
    ) -> Result<Patient, ServiceError> {
        let result = async {
            if !access::may_register(actor) {
                return Err(ServiceError::Forbidden(
                    "only clinicians look up record numbers".into(),
                ));
            }
            let secret = self.store.facility_secret(&actor.facility_id).await?;
            self.store
                .find_patient(&actor.facility_id, &pseudonym(&secret, record_number))
                .await?
                .ok_or_else(|| ServiceError::NotFound("no patient with that record number".into()))
        }
        .await;
        let id = result.as_ref().ok().map(|p| p.id.clone());
        self.audit_result(actor, "patient.lookup", "patient", id.as_deref(), result)
            .await
    }

    /// The patients of the actor's facility (data-center administrators: all).
    pub async fn list_patients(
        &self,
        actor: &Actor,
        limit: i64,
    ) -> Result<Vec<Patient>, ServiceError> {
        let result = async {
            match actor.role {
                ganome_core::Role::Clinician
                | ganome_core::Role::PanelMember
                | ganome_core::Role::PanelChair => Ok(self
                    .store
                    .list_patients(Some(&actor.facility_id), limit)
                    .await?),
                ganome_core::Role::Administrator if actor.is_data_center_admin() => {
                    Ok(self.store.list_patients(None, limit).await?)
                }
                _ => Err(ServiceError::Forbidden(
                    "your role does not list patients".into(),
                )),
            }
        }
        .await;
        self.audit_result(actor, "patient.list", "patient", None, result)
            .await
    }

    /// Records a consent for a patient of the actor's hospital.
    pub async fn record_consent(
        &self,
        actor: &Actor,
        patient_id: &str,
        req: RecordConsent,
    ) -> Result<Consent, ServiceError> {
        let result = async {
            let patient = self
                .store
                .get_patient(patient_id)
                .await?
                .ok_or_else(|| ServiceError::NotFound(format!("patient {patient_id}")))?;
            if !access::may_record_consent(actor, &patient) {
                return Err(ServiceError::Forbidden(
                    "consent is recorded by a clinician of the patient's hospital".into(),
                ));
            }
            let mut errors = ValidationErrors::new();
            errors.check(
                !req.form_version.trim().is_empty(),
                "form_version",
                "must not be empty",
            );
            errors.check(
                req.given_at <= Timestamp::now(),
                "given_at",
                "must not be in the future",
            );
            errors.into_result()?;
            let consent = Consent {
                id: new_id(),
                patient_id: patient.id,
                form_version: req.form_version.clone(),
                method: req.method,
                items: req.items,
                given_at: req.given_at,
                withdrawn_at: None,
                recorded_by: actor.user_id.clone(),
            };
            Ok(self.store.insert_consent(&NewConsent { consent }).await?)
        }
        .await;
        let id = result.as_ref().ok().map(|c| c.id.clone());
        let mut entry = actor.audit("consent.record", "consent", id.as_deref());
        entry.detail = Some(format!("patient {patient_id}"));
        self.audited(entry, result).await
    }

    /// Withdraws a consent; the record is kept with its withdrawal time.
    pub async fn withdraw_consent(
        &self,
        actor: &Actor,
        consent_id: &str,
        at: Option<Timestamp>,
    ) -> Result<Consent, ServiceError> {
        let result = async {
            let consent = self
                .store
                .get_consent(consent_id)
                .await?
                .ok_or_else(|| ServiceError::NotFound(format!("consent {consent_id}")))?;
            let patient = self
                .store
                .get_patient(&consent.patient_id)
                .await?
                .ok_or_else(|| ServiceError::NotFound(format!("patient {}", consent.patient_id)))?;
            if !access::may_record_consent(actor, &patient) {
                return Err(ServiceError::Forbidden(
                    "consent is withdrawn by a clinician of the patient's hospital".into(),
                ));
            }
            let at = at.unwrap_or_else(Timestamp::now);
            if at < consent.given_at {
                return Err(ServiceError::invalid(
                    "withdrawn_at",
                    "must not precede given_at",
                ));
            }
            if at.date_jst() > Timestamp::now().date_jst() {
                return Err(ServiceError::invalid(
                    "withdrawn_at",
                    "must not be in the future",
                ));
            }
            Ok(self
                .store
                .withdraw_consent(consent_id, at, &actor.user_id)
                .await?)
        }
        .await;
        self.audit_result(
            actor,
            "consent.withdraw",
            "consent",
            Some(consent_id),
            result,
        )
        .await
    }

    /// A patient's consents, withdrawn ones included.
    pub async fn list_consents(
        &self,
        actor: &Actor,
        patient_id: &str,
    ) -> Result<Vec<Consent>, ServiceError> {
        let result = async {
            self.load_patient_for_read(actor, patient_id).await?;
            Ok(self.store.list_consents(patient_id).await?)
        }
        .await;
        self.audit_result(actor, "consent.list", "patient", Some(patient_id), result)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_depend_on_secret_and_number() {
        let a = pseudonym(b"secret-a", "12345");
        assert_eq!(a.len(), 64);
        assert_eq!(a, pseudonym(b"secret-a", " 12345 "));
        assert_ne!(a, pseudonym(b"secret-b", "12345"));
        assert_ne!(a, pseudonym(b"secret-a", "12346"));
        assert!(!a.contains("12345"));
    }
}
