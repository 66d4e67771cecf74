//! `case_facts`: one row per case holding what the national indicators read (see the
//! migrations), recomputed from the records themselves — never patched — by every write
//! that can change it, inside that write's transaction, and for all cases that lack one
//! after migrations and bulk loads.
//!
//! The facts are a change feed: a transaction that writes facts or consents first advances
//! `facts_clock` ([`advance_clock`]) and stamps its rows with the new value ([`CLOCK`]).
//! On PostgreSQL the clock row's lock orders those transactions, so when a reader sees the
//! clock at `n`, every row stamped `n` or less is committed; a reader that keeps the facts
//! in memory asks only for rows stamped after the value it last saw.

use super::{Backend, epoch_sql};

/// The current value of the facts clock, as an SQL expression for `INSERT`/`UPDATE`.
pub(crate) const CLOCK: &str = "(SELECT seq FROM facts_clock WHERE id = 1)";

/// Advances the facts clock inside a transaction, before it writes facts or consents.
pub(crate) async fn advance_clock(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE facts_clock SET seq = seq + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// `INSERT … SELECT` recomputing the facts of the cases chosen by `filter` (a condition on
/// the cases table aliased `c`, e.g. `c.id = $1`), stamped with the clock.
pub(crate) fn refresh_sql(backend: Backend, filter: &str) -> String {
    let first_event = |state: &str| {
        epoch_sql(
            backend,
            &format!(
                "(SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.state = '{state}')"
            ),
        )
    };
    let first_review = |cond: &str| {
        epoch_sql(
            backend,
            &format!(
                "(SELECT MIN(cr.signed_off_at) FROM case_reviews cr WHERE cr.case_id = c.id \
                 AND cr.signed_off_at IS NOT NULL{cond})"
            ),
        )
    };
    format!(
        "INSERT INTO case_facts (case_id, patient_id, ordering_facility_id, panel_facility_id, \
         oncotree_code, registered_at, shipped_at, registered_s, results_s, findings_s, \
         reviewed_s, explained_s, signed_s, option_s, referral_s, confirmatory_s, treated_on, seq) \
         SELECT c.id, c.patient_id, c.ordering_facility_id, c.panel_facility_id, c.oncotree_code, \
         c.registered_at, \
         (SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.state = 'specimen_shipped'), \
         {}, {}, {}, {}, {}, {}, {}, {}, {}, \
         (SELECT MIN(x.started_on) FROM treatments x WHERE x.case_id = c.id AND x.recommendation_id IS NOT NULL), \
         {CLOCK} \
         FROM cases c WHERE {filter}",
        first_event("registered"),
        first_event("results_received"),
        first_event("findings_issued"),
        first_event("panel_reviewed"),
        first_event("explained"),
        first_review(""),
        first_review(" AND EXISTS (SELECT 1 FROM recommendations r WHERE r.review_id = cr.id)"),
        first_review(" AND cr.germline_counselling_referral = 1"),
        first_review(" AND cr.germline_confirmatory_test = 1"),
    )
}

/// Recomputes one case's facts inside a transaction (advancing the clock).
pub(crate) async fn refresh_case(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    case_id: &str,
) -> Result<(), sqlx::Error> {
    advance_clock(tx).await?;
    sqlx::query("DELETE FROM case_facts WHERE case_id = $1")
        .bind(case_id.to_owned())
        .execute(&mut **tx)
        .await?;
    sqlx::query(&refresh_sql(backend, "c.id = $1"))
        .bind(case_id.to_owned())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Fills the facts of every case that has none (after migrations and bulk loads); the
/// caller has advanced the clock in the same transaction.
pub(crate) fn missing_sql(backend: Backend) -> String {
    refresh_sql(
        backend,
        "NOT EXISTS (SELECT 1 FROM case_facts f WHERE f.case_id = c.id)",
    )
}
