//! The audit trail as auditors read it (監査): search by user, action, entity, outcome and
//! period, page backwards, and check the hash chain. Reading the trail is itself audited.

use ganome_core::Timestamp;
use ganome_store::{AuditFilter, AuditRecord, ChainReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{Actor, Ganome, ServiceError, access};

/// An auditor's question. Every field narrows; none lists the newest rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditSearch {
    /// The acting user's login name.
    pub user: Option<String>,
    /// Actions starting with this (`case.` for every case action, `auth.login`).
    pub action: Option<String>,
    /// An entity id (a case, patient, findings version, …): everything done to it.
    pub entity: Option<String>,
    /// `ok`, `denied`, `not_found`, `invalid`, `unauthenticated` or `error`.
    pub outcome: Option<String>,
    /// From this Japanese calendar day (`YYYY-MM-DD`, JST), inclusive.
    pub from: Option<String>,
    /// To this Japanese calendar day (`YYYY-MM-DD`, JST), inclusive.
    pub to: Option<String>,
    /// Rows before this sequence number (the next page).
    pub before: Option<i64>,
    /// At most this many rows (default 100, at most 1,000).
    pub limit: Option<i64>,
}

/// Outcomes the trail records (`ServiceError::audit_outcome`, and the login's own).
pub const OUTCOMES: [&str; 10] = [
    "ok",
    "denied",
    "not_found",
    "invalid",
    "conflict",
    "unauthenticated",
    "second_factor_required",
    "throttled",
    "locked",
    "error",
];

/// Midnight JST of a `YYYY-MM-DD` day; 422 naming `field` otherwise.
fn jst_midnight(field: &str, text: &str) -> Result<time::OffsetDateTime, ServiceError> {
    let day = ganome_core::parse_date(text).map_err(|m| ServiceError::invalid(field, m))?;
    Ok(crate::indicators::jst_start_of(day).datetime())
}

impl AuditSearch {
    /// The store's filter; 422 naming the field for a bad day, outcome or period.
    pub fn filter(&self) -> Result<AuditFilter, ServiceError> {
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let outcome = text(&self.outcome);
        if let Some(o) = &outcome
            && !OUTCOMES.contains(&o.as_str())
        {
            return Err(ServiceError::invalid(
                "outcome",
                format!("'{o}' is not an outcome ({})", OUTCOMES.join(", ")),
            ));
        }
        let from = text(&self.from)
            .map(|d| jst_midnight("from", &d))
            .transpose()?;
        let until = text(&self.to)
            .map(|d| jst_midnight("to", &d).map(|t| t + time::Duration::days(1)))
            .transpose()?;
        if let (Some(f), Some(u)) = (from, until)
            && u <= f
        {
            return Err(ServiceError::invalid("to", "must not be before 'from'"));
        }
        Ok(AuditFilter {
            username: text(&self.user),
            action_prefix: text(&self.action),
            entity_id: text(&self.entity),
            outcome,
            from: from.map(Timestamp::from_datetime),
            until: until.map(Timestamp::from_datetime),
        })
    }
}

impl Ganome {
    /// The audit rows that answer `search`, newest first (auditors and administrators).
    pub async fn search_audit(
        &self,
        actor: &Actor,
        search: &AuditSearch,
    ) -> Result<Vec<AuditRecord>, ServiceError> {
        let result = async {
            if !access::may_audit(actor) {
                return Err(ServiceError::Forbidden(
                    "only auditors and administrators read the audit trail".into(),
                ));
            }
            let filter = search.filter()?;
            let limit = search.limit.unwrap_or(100).clamp(1, 1000);
            Ok(self
                .store
                .search_audit(&filter, limit, search.before)
                .await?)
        }
        .await;
        let mut entry = actor.audit("audit.read", "audit_log", None);
        entry.detail = serde_json::to_string(search).ok();
        self.audited(entry, result).await
    }

    /// Checks the whole hash chain for an auditor (the check is audited, its answer kept in
    /// the detail).
    pub async fn verify_audit_as(&self, actor: &Actor) -> Result<ChainReport, ServiceError> {
        let result = async {
            if !access::may_audit(actor) {
                return Err(ServiceError::Forbidden(
                    "only auditors and administrators check the audit trail".into(),
                ));
            }
            Ok(self.store.verify_audit_chain().await?)
        }
        .await;
        let mut entry = actor.audit("audit.verify", "audit_log", None);
        if let Ok(r) = &result {
            entry.detail = serde_json::to_string(r).ok();
        }
        self.audited(entry, result).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_japanese_and_bad_fields_are_named() {
        let s = AuditSearch {
            user: Some(" dr.a ".into()),
            action: Some("case.".into()),
            entity: Some(String::new()),
            from: Some("2026-12-01".into()),
            to: Some("2026-12-01".into()),
            ..AuditSearch::default()
        };
        let f = s.filter().unwrap();
        assert_eq!(f.username.as_deref(), Some("dr.a"));
        assert_eq!(f.entity_id, None, "an empty field does not narrow");
        // 2026-12-01 JST is 2026-11-30T15:00Z to 2026-12-01T15:00Z.
        assert_eq!(f.from.unwrap().to_string(), "2026-11-30T15:00:00Z");
        assert_eq!(f.until.unwrap().to_string(), "2026-12-01T15:00:00Z");
        let bad = |s: AuditSearch, field: &str| match s.filter() {
            Err(ServiceError::Invalid(e)) => assert!(format!("{e:?}").contains(field), "{e:?}"),
            other => panic!("{other:?}"),
        };
        bad(
            AuditSearch {
                from: Some("12/01/2026".into()),
                ..AuditSearch::default()
            },
            "from",
        );
        bad(
            AuditSearch {
                from: Some("2026-12-02".into()),
                to: Some("2026-12-01".into()),
                ..AuditSearch::default()
            },
            "to",
        );
        bad(
            AuditSearch {
                outcome: Some("maybe".into()),
                ..AuditSearch::default()
            },
            "outcome",
        );
    }
}
