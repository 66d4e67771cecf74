//! CIViC level-A assertions with AMP Tier I map to JP level A where the tumour type matches.

use crate::shipped;
use ganome_knowledge::CaseQuery;
use ganome_knowledge::diff::{probe_alteration, probe_tumors};
use ganome_knowledge::evidence::ProfileExpr;

#[test]
fn tier_one_level_a_assertions_are_level_a_in_their_tumour_type() {
    let r = shipped();
    let mut checked = 0;
    let mut failures = Vec::new();
    for e in r.content.evidence.iter().filter(|e| {
        e.source == "CIViC assertion"
            && e.amp_category.as_deref() == Some("Tier I - Level A")
            && e.is_sensitivity()
    }) {
        let ProfileExpr::Variant(v) = &e.profile.expr else {
            continue;
        };
        let Some(q) = probe_alteration(&v.spec) else {
            continue;
        };
        for code in &probe_tumors(&e.disease.scope) {
            let m = r.match_case(&CaseQuery {
                tumor_type: code.clone(),
                alterations: vec![q.clone()],
            });
            checked += 1;
            let level = m.alterations[0].best_level.as_ref().map(|l| l.ed2.clone());
            if level.as_deref() != Some("A") {
                failures.push(format!("{} {} in {code}: {level:?}", e.id, e.profile.name));
            }
        }
    }
    assert!(checked >= 14, "only {checked} assertions checked");
    assert!(failures.is_empty(), "{failures:#?}");
}
