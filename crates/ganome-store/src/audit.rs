//! The audit log: append-only and hash-chained, so that altering or deleting any row breaks
//! the chain at that row and `verify` names it.

use ganome_core::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// The `prev_hash` of the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What to append: who did what to which entity, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// Acting user's id (none for a failed login with an unknown name).
    pub user_id: Option<String>,
    /// Acting user's login name, as given.
    pub username: Option<String>,
    /// Acting user's role.
    pub role: Option<String>,
    /// Acting user's facility.
    pub facility_id: Option<String>,
    /// What was done, e.g. `case.read`, `patient.register`, `file.upload`.
    pub action: String,
    /// Kind of entity, e.g. `case`.
    pub entity_type: String,
    /// Its id.
    pub entity_id: Option<String>,
    /// `ok`, `denied`, `not_found`, `invalid` or `error`.
    pub outcome: String,
    /// Extra context (never patient identifiers in clear).
    pub detail: Option<String>,
}

/// Which audit rows to list (auditors' questions: who did what, who touched this case, what
/// was refused); every field narrows, none means all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The acting user's login name, exactly.
    pub username: Option<String>,
    /// Actions starting with this (`case.` for every case action, `auth.login`).
    pub action_prefix: Option<String>,
    /// The entity's id, exactly (a case, patient, findings version, …).
    pub entity_id: Option<String>,
    /// The outcome, exactly (`ok`, `denied`, …).
    pub outcome: Option<String>,
    /// At or after this time.
    pub from: Option<Timestamp>,
    /// Before this time.
    pub until: Option<Timestamp>,
}

/// A stored audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AuditRecord {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// The entry.
    #[serde(flatten)]
    pub entry: AuditEntry,
    /// Hash of the previous row ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

/// Hash of a row: SHA-256 over the previous hash and every field, each length-prefixed so
/// that no two different rows serialise alike.
pub fn chain_hash(seq: i64, entry: &AuditEntry, prev_hash: &str) -> String {
    let mut h = Sha256::new();
    let mut field = |s: Option<&str>| {
        match s {
            Some(s) => {
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        };
    };
    field(Some(prev_hash));
    field(Some(&seq.to_string()));
    field(Some(&entry.at.to_string()));
    field(entry.user_id.as_deref());
    field(entry.username.as_deref());
    field(entry.role.as_deref());
    field(entry.facility_id.as_deref());
    field(Some(&entry.action));
    field(Some(&entry.entity_type));
    field(entry.entity_id.as_deref());
    field(Some(&entry.outcome));
    field(entry.detail.as_deref());
    hex::encode(h.finalize())
}

/// The first row at which the chain is broken, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChainBreak {
    /// The row's sequence number.
    pub seq: i64,
    /// What is wrong.
    pub reason: String,
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChainReport {
    /// Rows checked.
    pub rows: i64,
    /// The first broken link, if any.
    pub broken: Option<ChainBreak>,
}

/// Checks rows in sequence order; stops at the first broken link.
pub(crate) fn verify_rows(rows: impl IntoIterator<Item = AuditRecord>) -> ChainReport {
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut count = 0;
    for (expected_seq, row) in (1..).zip(rows) {
        count = expected_seq;
        let broken = if row.seq != expected_seq {
            Some(format!(
                "expected row {expected_seq} here, found {} (a row was removed)",
                row.seq
            ))
        } else if row.prev_hash != expected_prev {
            Some("prev_hash does not match the previous row's hash".to_owned())
        } else if chain_hash(row.seq, &row.entry, &row.prev_hash) != row.hash {
            Some("row content does not match its hash (the row was altered)".to_owned())
        } else {
            None
        };
        if let Some(reason) = broken {
            return ChainReport {
                rows: count,
                broken: Some(ChainBreak {
                    seq: row.seq,
                    reason,
                }),
            };
        }
        expected_prev = row.hash;
    }
    ChainReport {
        rows: count,
        broken: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str) -> AuditEntry {
        AuditEntry {
            at: Timestamp::parse("2026-01-01T00:00:00Z").unwrap(),
            user_id: Some("u1".into()),
            username: Some("alice".into()),
            role: Some("clinician".into()),
            facility_id: Some("K001".into()),
            action: action.into(),
            entity_type: "case".into(),
            entity_id: Some("c1".into()),
            outcome: "ok".into(),
            detail: None,
        }
    }

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let e = entry(&format!("case.read.{seq}"));
                let hash = chain_hash(seq, &e, &prev);
                let r = AuditRecord {
                    seq,
                    entry: e,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                r
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies() {
        let report = verify_rows(chain(5));
        assert_eq!(
            report,
            ChainReport {
                rows: 5,
                broken: None
            }
        );
    }

    #[test]
    fn altered_row_is_named() {
        let mut rows = chain(5);
        rows[2].entry.outcome = "denied".into();
        let report = verify_rows(rows);
        assert_eq!(report.broken.unwrap().seq, 3);
    }

    #[test]
    fn removed_row_is_named() {
        let mut rows = chain(5);
        rows.remove(1);
        assert_eq!(verify_rows(rows).broken.unwrap().seq, 3);
    }

    #[test]
    fn none_and_empty_hash_differently() {
        let mut a = entry("x");
        let mut b = entry("x");
        a.detail = None;
        b.detail = Some(String::new());
        assert_ne!(
            chain_hash(1, &a, GENESIS_HASH),
            chain_hash(1, &b, GENESIS_HASH)
        );
    }
}
