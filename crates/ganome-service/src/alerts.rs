//! Re-interpretation alerts (再解析アラート): DESIGN §2's "knowledge-base release ─▶
//! re-interpretation of past cases ─▶ alerts where a new option appeared". Whenever a case
//! gets a new findings version while it already had one (a knowledge release, new result
//! files, an issue by hand), the new report is compared with the previous version's report
//! by [`new_or_improved_options`]; when it names a treatment option at an actionable level
//! that is new or stronger, one alert is stored with the version, in its transaction.
//!
//! Alerts are patient-level data: the clinicians of the ordering hospital, the members and
//! chair of the case's expert panel and the data center's administrators read them
//! ([`access::may_read_alerts`]); the clinicians and the panel acknowledge them, once per
//! alert for everyone. Every list, read and acknowledgement is audited, allowed or not.
//! The rule and its reasons are in `docs/alerts.md`.

use std::collections::BTreeMap;

use ganome_core::{JpEvidenceLevel, Timestamp, ValidationErrors};
use ganome_report::{FindingsReport, TherapyOption};
use ganome_store::{AlertFilter, AlertOption, ReinterpretationAlert};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::{Actor, Ganome, ServiceError, access};

/// Whether a clinician would act on an option at this level: A (approved or
/// guideline-recommended in this tumour type), B (strong clinical evidence in this type) and
/// C (approved or strong evidence in another type: off-label use, patient-proposed therapy
/// 患者申出療養, or a trial). D–F are too weak to change a plan on their own, and R is
/// resistance.
pub fn is_actionable(level: JpEvidenceLevel) -> bool {
    matches!(
        level,
        JpEvidenceLevel::A | JpEvidenceLevel::B | JpEvidenceLevel::C
    )
}

/// The treatment options a report lists, by (alteration label, drug), each at its best
/// (strongest) non-resistance level: alterations in report order, then TMB-H and MSI-H, as
/// the report's summary counts them.
pub fn report_options(report: &FindingsReport) -> Vec<(String, String, JpEvidenceLevel)> {
    let mut out: Vec<(String, String, JpEvidenceLevel)> = Vec::new();
    let mut add = |label: &str, therapies: &[TherapyOption]| {
        for t in therapies {
            let Ok(level) = t.level.ed2.parse::<JpEvidenceLevel>() else {
                continue;
            };
            if level == JpEvidenceLevel::R {
                continue;
            }
            match out.iter_mut().find(|(a, d, _)| a == label && *d == t.drug) {
                Some(seen) => seen.2 = seen.2.min(level),
                None => out.push((label.to_owned(), t.drug.clone(), level)),
            }
        }
    };
    for a in &report.alterations {
        add(&a.label, &a.therapies);
    }
    if let Some(t) = &report.biomarkers.tmb {
        add("TMB-H", &t.therapies);
    }
    if let Some(m) = &report.biomarkers.msi {
        add("MSI-H", &m.therapies);
    }
    out
}

/// The rule: an option of the new report raises an alert when its level is actionable
/// ([`is_actionable`]) and the previous report did not list the same drug for the same
/// alteration, or listed it at a weaker level (D → C, C → B, B → A, …). An option that kept
/// or lost strength, or that stays below C, raises nothing; options that disappeared are
/// not alerts (the new report shows what holds now). Returned in the new report's order.
pub fn new_or_improved_options(
    previous: &[(String, String, JpEvidenceLevel)],
    current: &[(String, String, JpEvidenceLevel)],
) -> Vec<AlertOption> {
    let before: BTreeMap<(&str, &str), JpEvidenceLevel> = previous
        .iter()
        .map(|(a, d, l)| ((a.as_str(), d.as_str()), *l))
        .collect();
    current
        .iter()
        .filter(|(_, _, level)| is_actionable(*level))
        .filter_map(|(alteration, drug, level)| {
            let previous_level = before.get(&(alteration.as_str(), drug.as_str())).copied();
            let raises = previous_level.is_none_or(|p| *level < p);
            raises.then(|| AlertOption {
                alteration: alteration.clone(),
                drug: drug.clone(),
                level: *level,
                previous_level,
            })
        })
        .collect()
}

/// The query of the alert list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertListQuery {
    /// Only alerts nobody has acknowledged yet.
    pub unacknowledged: Option<bool>,
    /// Only this case's alerts.
    pub case: Option<String>,
    /// At most this many, newest first (1–1000, default 200).
    pub limit: Option<i64>,
}

impl Ganome {
    /// Alerts within the actor's scope, newest first (clinicians: their hospital's cases;
    /// panel members and chairs: the cases referred to their panel; the data center's
    /// administrators: all). With a case, the case must be one the actor may read alerts of.
    pub async fn list_alerts(
        &self,
        actor: &Actor,
        q: &AlertListQuery,
    ) -> Result<Vec<ReinterpretationAlert>, ServiceError> {
        let result = async {
            let scope = access::alert_scope(actor).ok_or_else(|| {
                ServiceError::Forbidden("your role does not read re-interpretation alerts".into())
            })?;
            let mut errors = ValidationErrors::new();
            let limit = q.limit.unwrap_or(200);
            errors.check((1..=1000).contains(&limit), "limit", "must be 1 to 1000");
            errors.into_result()?;
            if let Some(case) = &q.case {
                self.load_case_if(actor, case, access::may_read_alerts)
                    .await?;
            }
            let mut filter = AlertFilter::scoped(scope);
            filter.case_id = q.case.clone();
            filter.unacknowledged_only = q.unacknowledged.unwrap_or(false);
            filter.limit = limit;
            Ok(self.store.list_alerts(&filter).await?)
        }
        .await;
        let mut entry = actor.audit(
            "alert.list",
            if q.case.is_some() { "case" } else { "alert" },
            q.case.as_deref(),
        );
        if let Ok(alerts) = &result {
            entry.detail = Some(format!("alerts listed: {}", alerts.len()));
        }
        self.audited(entry, result).await
    }

    /// One alert.
    pub async fn get_alert(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<ReinterpretationAlert, ServiceError> {
        let result = self.load_alert(actor, id).await.map(|(a, _)| a);
        self.audit_result(actor, "alert.read", "alert", Some(id), result)
            .await
    }

    /// Acknowledges an alert for everyone (a clinician of the ordering hospital, or a member
    /// or chair of the case's panel); `Conflict` when it already is.
    pub async fn acknowledge_alert(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<ReinterpretationAlert, ServiceError> {
        let result = async {
            let (alert, case) = self.load_alert(actor, id).await?;
            if !access::may_acknowledge_alert(actor, &case) {
                return Err(ServiceError::Forbidden(
                    "alerts are acknowledged by the case's clinicians and expert panel".into(),
                ));
            }
            if let Some(by) = &alert.acknowledged_by {
                return Err(ServiceError::Conflict(format!(
                    "alert {id} was already acknowledged by {by}"
                )));
            }
            Ok(self
                .store
                .acknowledge_alert(id, &actor.user_id, Timestamp::now())
                .await?)
        }
        .await;
        self.audit_result(actor, "alert.acknowledge", "alert", Some(id), result)
            .await
    }

    /// An alert and its case, if the actor may read the case's alerts.
    async fn load_alert(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(ReinterpretationAlert, ganome_store::Case), ServiceError> {
        let alert = self
            .store
            .get_alert(id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("alert {id}")))?;
        let case = self
            .load_case_if(actor, &alert.case_id, access::may_read_alerts)
            .await?;
        Ok((alert, case))
    }

    /// The alert a new report raises against the case's latest stored version, if any
    /// (`findings_id` is the new version's id; its number is assigned by the store).
    pub(crate) async fn alert_for(
        &self,
        previous: &ganome_store::FindingsVersion,
        findings_id: &str,
        report: &FindingsReport,
        reason: &str,
        at: Timestamp,
    ) -> Result<Option<ReinterpretationAlert>, ServiceError> {
        let Some(before) = self.stored_findings(&previous.id).await? else {
            return Ok(None);
        };
        let options =
            new_or_improved_options(&report_options(&before.report), &report_options(report));
        if options.is_empty() {
            return Ok(None);
        }
        Ok(Some(ReinterpretationAlert {
            id: crate::ids::new_id(),
            case_id: previous.case_id.clone(),
            case_number: String::new(),
            findings_id: findings_id.to_owned(),
            findings_version: previous.version + 1,
            previous_findings_id: previous.id.clone(),
            previous_version: previous.version,
            knowledge_release: report.provenance.knowledge_release.clone(),
            previous_knowledge_release: previous.knowledge_release.clone(),
            reason: reason.to_owned(),
            options,
            raised_at: at,
            acknowledged_by: None,
            acknowledged_at: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use JpEvidenceLevel::*;

    fn opts(list: &[(&str, &str, JpEvidenceLevel)]) -> Vec<(String, String, JpEvidenceLevel)> {
        list.iter()
            .map(|(a, d, l)| ((*a).to_owned(), (*d).to_owned(), *l))
            .collect()
    }

    fn alerted(
        before: &[(&str, &str, JpEvidenceLevel)],
        after: &[(&str, &str, JpEvidenceLevel)],
    ) -> Vec<String> {
        new_or_improved_options(&opts(before), &opts(after))
            .iter()
            .map(|o| {
                format!(
                    "{}: {} {}←{}",
                    o.alteration,
                    o.drug,
                    o.level,
                    o.previous_level.map_or("none", |l| l.as_str())
                )
            })
            .collect()
    }

    #[test]
    fn only_actionable_levels_count() {
        let actionable: Vec<_> = JpEvidenceLevel::ALL
            .iter()
            .filter(|l| is_actionable(**l))
            .map(|l| l.as_str())
            .collect();
        assert_eq!(actionable, ["A", "B", "C"]);
    }

    #[test]
    fn a_new_option_alerts() {
        let before = [("EGFR L858R", "gefitinib", A)];
        let after = [
            ("EGFR L858R", "gefitinib", A),
            ("EGFR L858R", "osimertinib", A),
        ];
        assert_eq!(alerted(&before, &after), ["EGFR L858R: osimertinib A←none"]);
        // The same drug for another alteration is another option.
        let after = [("EGFR L858R", "gefitinib", A), ("TMB-H", "gefitinib", C)];
        assert_eq!(alerted(&before, &after), ["TMB-H: gefitinib C←none"]);
    }

    #[test]
    fn an_improved_level_alerts_up_to_actionable() {
        let before = [
            ("KRAS G12C", "sotorasib", C),
            ("BRAF V600E", "dabrafenib", D),
            ("ERBB2 amplification", "trastuzumab", E),
        ];
        let after = [
            ("KRAS G12C", "sotorasib", A),
            ("BRAF V600E", "dabrafenib", C),
            ("ERBB2 amplification", "trastuzumab", D),
        ];
        assert_eq!(
            alerted(&before, &after),
            ["KRAS G12C: sotorasib A←C", "BRAF V600E: dabrafenib C←D"]
        );
    }

    #[test]
    fn unchanged_worsened_or_weak_options_do_not_alert() {
        let before = [
            ("EGFR L858R", "osimertinib", A),
            ("KRAS G12C", "sotorasib", B),
        ];
        // Unchanged.
        assert!(alerted(&before, &before).is_empty());
        // Worsened, and a removed option.
        assert!(alerted(&before, &[("EGFR L858R", "osimertinib", C)]).is_empty());
        // New, but below the actionable levels.
        assert!(alerted(&before, &[("PIK3CA H1047R", "alpelisib", D)]).is_empty());
        assert!(alerted(&[], &[("PIK3CA H1047R", "alpelisib", E)]).is_empty());
    }
}
