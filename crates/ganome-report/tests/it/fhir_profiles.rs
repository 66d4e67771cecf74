//! Checks FHIR resources against the Genomics Reporting IG 3.0.0 StructureDefinitions copied
//! into testdata/fhir (see its PROVENANCE.md): required elements (min ≥ 1), fixed/pattern
//! codes (LOINC and IG codes), pattern URIs, and the value-set bindings whose value sets are
//! in the package (HGVS system, therapeutic-implication codes, variant confidence status).
//! The checker is first run on the IG's own oncology example bundle, so a checker that
//! accepts nothing or everything fails.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::root;

/// Loaded profiles and value sets.
pub struct Profiles {
    sds: BTreeMap<String, Value>,
    value_sets: BTreeMap<String, Value>,
}

fn load(name: &str) -> Value {
    let p = root().join("testdata/fhir").join(name);
    serde_json::from_slice(&std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .expect("json")
}

impl Profiles {
    /// Loads every StructureDefinition and ValueSet in testdata/fhir.
    pub fn load() -> Self {
        let mut sds = BTreeMap::new();
        let mut value_sets = BTreeMap::new();
        for e in std::fs::read_dir(root().join("testdata/fhir")).expect("dir") {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            if name.starts_with("StructureDefinition-") {
                let v = load(&name);
                sds.insert(v["url"].as_str().unwrap_or_default().to_owned(), v);
            } else if name.starts_with("ValueSet-") {
                let v = load(&name);
                value_sets.insert(v["url"].as_str().unwrap_or_default().to_owned(), v);
            }
        }
        Self { sds, value_sets }
    }

    fn chain(&self, url: &str) -> Vec<&Value> {
        let mut out = Vec::new();
        let mut cur = self.sds.get(url);
        while let Some(sd) = cur {
            out.push(sd);
            cur = sd["baseDefinition"].as_str().and_then(|b| self.sds.get(b));
        }
        out
    }

    /// Problems of one resource against its declared IG profiles (empty = passes).
    pub fn check(&self, res: &Value) -> Vec<String> {
        let mut errs = Vec::new();
        let profiles: Vec<&str> = res["meta"]["profile"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for p in profiles {
            let chain = self.chain(p);
            if chain.is_empty() {
                continue;
            }
            for sd in chain {
                let elems = sd["differential"]["element"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let by_id: BTreeMap<&str, &Value> = elems
                    .iter()
                    .filter_map(|e| e["id"].as_str().map(|i| (i, e)))
                    .collect();
                for e in &elems {
                    let id = e["id"].as_str().unwrap_or_default();
                    self.check_element(res, id, e, &by_id, &mut errs);
                }
            }
        }
        errs
    }

    fn check_element(
        &self,
        res: &Value,
        id: &str,
        e: &Value,
        by_id: &BTreeMap<&str, &Value>,
        errs: &mut Vec<String>,
    ) {
        let min = e["min"].as_u64().unwrap_or(0);
        let parts: Vec<&str> = id.split('.').collect();
        // Plain top-level elements: Observation.derivedFrom, Observation.category, …
        if parts.len() == 2 && !id.contains(':') {
            let key = parts[1].trim_end_matches("[x]");
            let present = match &res[key] {
                Value::Null => 0,
                Value::Array(a) => a.len() as u64,
                _ => 1,
            };
            if present < min {
                errs.push(format!("{id}: {present} < min {min}"));
            }
            if let Some(pat) = e.get("patternCodeableConcept")
                && !cc_matches(&res[key], pat)
            {
                errs.push(format!("{id}: pattern {pat} not met"));
            }
            return;
        }
        // Category slices: X.category:slice.coding with a patternCoding.
        if let Some(rest) = id.split_once(".category:").map(|x| x.1) {
            if let Some((slice, "coding")) = rest.split_once('.') {
                let slice_min = by_id
                    .get(format!("{}.category:{slice}", parts[0]).as_str())
                    .and_then(|s| s["min"].as_u64())
                    .unwrap_or(0);
                if let (Some(pat), true) = (e.get("patternCoding"), slice_min >= 1) {
                    let ok = res["category"].as_array().is_some_and(|cats| {
                        cats.iter().any(|c| {
                            c["coding"]
                                .as_array()
                                .is_some_and(|cs| cs.iter().any(|x| coding_matches(x, pat)))
                        })
                    });
                    if !ok {
                        errs.push(format!("{id}: no category with {pat}"));
                    }
                }
            }
            return;
        }
        // Component slices: identify components by the slice's code pattern.
        if let Some(rest) = id.split_once(".component:").map(|x| x.1) {
            let Some((slice, field)) = rest.split_once('.') else {
                return;
            };
            let Some(code_pat) = by_id
                .get(format!("{}.component:{slice}.code", parts[0]).as_str())
                .and_then(|c| c.get("patternCodeableConcept"))
            else {
                return;
            };
            let comps: Vec<&Value> = res["component"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter(|c| cc_matches(&c["code"], code_pat))
                        .collect()
                })
                .unwrap_or_default();
            for c in comps {
                if field == "value[x]" {
                    let value = c.as_object().and_then(|o| {
                        o.iter()
                            .find(|(k, _)| k.starts_with("value"))
                            .map(|(k, v)| (k.clone(), v))
                    });
                    if value.is_none() && min >= 1 {
                        errs.push(format!("{id}: component without a value"));
                    }
                    if let (Some((_, v)), Some(b)) = (value, e.get("binding")) {
                        self.check_binding(id, v, b, errs);
                    }
                } else if field == "value[x].system"
                    && let Some(pat) = e.get("patternUri")
                {
                    let sys = c
                        .as_object()
                        .and_then(|o| o.iter().find(|(k, _)| k.starts_with("value")))
                        .map(|(_, v)| &v["system"]);
                    if sys != Some(pat) {
                        errs.push(format!("{id}: system {sys:?} != {pat}"));
                    }
                }
            }
        }
    }

    fn check_binding(&self, id: &str, v: &Value, b: &Value, errs: &mut Vec<String>) {
        let strength = b["strength"].as_str().unwrap_or_default();
        let Some(vs) = b["valueSet"].as_str().and_then(|u| self.value_sets.get(u)) else {
            return; // value set not in the package (LOINC answer lists): not checkable here
        };
        let Some(codings) = v["coding"].as_array() else {
            if strength == "required" {
                errs.push(format!("{id}: required binding but no coding"));
            }
            return;
        };
        let includes = vs["compose"]["include"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let in_vs = |c: &Value| {
            includes.iter().any(|inc| {
                inc["system"] == c["system"]
                    && match inc["concept"].as_array() {
                        Some(list) => list.iter().any(|k| k["code"] == c["code"]),
                        None => inc.get("filter").is_none() || c["code"].is_string(),
                    }
            })
        };
        let ok = codings.iter().any(in_vs);
        // Extensible bindings may use other codes only when none in the set fits; our
        // codes are chosen from the set, so hold them to it too.
        if !ok && (strength == "required" || strength == "extensible") {
            errs.push(format!("{id}: {v} not in {}", vs["url"]));
        }
    }
}

fn coding_matches(c: &Value, pat: &Value) -> bool {
    pat.as_object()
        .is_some_and(|p| p.iter().all(|(k, v)| &c[k] == v))
}

fn cc_matches(cc: &Value, pat: &Value) -> bool {
    pat["coding"].as_array().is_some_and(|pcs| {
        pcs.iter().all(|p| {
            cc["coding"]
                .as_array()
                .is_some_and(|cs| cs.iter().any(|c| coding_matches(c, p)))
        })
    })
}

/// Checks every entry of a bundle; returns (checked resources, problems).
pub fn check_bundle(p: &Profiles, bundle: &Value) -> (usize, Vec<String>) {
    let mut n = 0;
    let mut errs = Vec::new();
    for e in bundle["entry"].as_array().cloned().unwrap_or_default() {
        let r = &e["resource"];
        if r["meta"]["profile"].is_array() {
            n += 1;
            for x in p.check(r) {
                errs.push(format!("{}: {x}", e["fullUrl"]));
            }
        }
    }
    (n, errs)
}

#[test]
fn checker_accepts_the_ig_example_and_rejects_broken_copies() {
    let p = Profiles::load();
    let ex = load("Bundle-bundle-oncologyexamples-r4.json");
    let (n, errs) = check_bundle(&p, &ex);
    assert!(n >= 10, "{n}");
    assert!(errs.is_empty(), "{errs:#?}");
    // Break a variant: drop its categories and change its LOINC code.
    let mut broken = ex.clone();
    for e in broken["entry"].as_array_mut().unwrap() {
        let r = &mut e["resource"];
        if r["code"]["coding"][0]["code"] == "69548-6" {
            r["code"]["coding"][0]["code"] = Value::from("00000-0");
            r["category"] = Value::Array(vec![]);
        }
        if r["resourceType"] == "Observation" && r["derivedFrom"].is_array() {
            r.as_object_mut().unwrap().remove("derivedFrom");
        }
    }
    let (_, errs) = check_bundle(&p, &broken);
    assert!(
        errs.iter().any(|e| e.contains("Observation.code")),
        "{errs:#?}"
    );
    assert!(errs.iter().any(|e| e.contains("Observation.category")));
    assert!(errs.iter().any(|e| e.contains("derivedFrom")));
}
