//! CIViC monthly TSV releases: variants, molecular profiles (including multi-variant
//! profiles such as `EGFR L858R AND EGFR T790M`), evidence items and assertions.

use crate::alteration::AlterationSpec;
use crate::error::KbError;
use crate::evidence::{Citation, EvidenceItem, MolecularProfile, ProfileExpr, ProfileVariant};
use crate::import::Tsv;
use crate::import::disease_map::DiseaseMapper;
use crate::tumor_type::TumorTypeTree;
use std::collections::BTreeMap;
use std::path::Path;

/// Paths of one CIViC release's files.
#[derive(Debug, Clone)]
pub struct CivicFiles<'a> {
    /// `*-VariantSummaries.tsv`.
    pub variants: &'a Path,
    /// `*-MolecularProfileSummaries.tsv`.
    pub molecular_profiles: &'a Path,
    /// `*-ClinicalEvidenceSummaries.tsv`.
    pub evidence: &'a Path,
    /// `*-AssertionSummaries.tsv`.
    pub assertions: &'a Path,
}

struct Variant {
    gene: String,
    name: String,
}

/// Reads evidence items and assertions (assertions become items with source
/// `CIViC assertion`). Only accepted items are kept.
pub fn read(
    files: &CivicFiles<'_>,
    tree: &TumorTypeTree,
    diseases: &DiseaseMapper,
) -> Result<Vec<EvidenceItem>, KbError> {
    let variants = read_variants(files.variants)?;
    let profiles = read_profiles(files.molecular_profiles, &variants)?;
    let mut out = Vec::new();

    let ev = Tsv::read(files.evidence)?;
    ev.require(&[
        "molecular_profile_id",
        "disease",
        "doid",
        "therapies",
        "evidence_type",
        "evidence_direction",
        "evidence_level",
        "significance",
        "evidence_id",
        "evidence_status",
    ])?;
    for row in ev.rows() {
        if row.get("evidence_status") != "accepted" {
            continue;
        }
        let id = row.req("evidence_id")?;
        let mp = profile_for(&row, &profiles)?;
        let rating = row.opt("rating").and_then(|r| r.parse().ok());
        let citation = Citation {
            source_type: row.get("source_type").to_owned(),
            id: row.get("citation_id").to_owned(),
            text: row.get("citation").to_owned(),
        };
        out.push(EvidenceItem {
            id: format!("CIViC:EID{id}"),
            source: "CIViC evidence".into(),
            profile: mp,
            evidence_type: row.req("evidence_type")?.to_owned(),
            direction: row.get("evidence_direction").to_owned(),
            significance: row.get("significance").to_owned(),
            therapies: split_list(row.get("therapies")),
            therapy_interaction: row.opt("therapy_interaction_type"),
            disease: diseases.resolve(tree, row.get("disease"), row.opt("doid").as_deref()),
            source_level: row.req("evidence_level")?.to_owned(),
            amp_category: None,
            regulatory_approval: None,
            rating,
            citations: vec![citation],
            nct_ids: split_list(row.get("nct_ids")),
            status: "accepted".into(),
            variant_origin: row.get("variant_origin").to_owned(),
            statement: row.get("evidence_statement").to_owned(),
        });
    }

    let asr = Tsv::read(files.assertions)?;
    asr.require(&[
        "molecular_profile_id",
        "assertion_id",
        "amp_category",
        "assertion_type",
    ])?;
    for row in asr.rows() {
        let id = row.req("assertion_id")?;
        let mp = profile_for(&row, &profiles)?;
        let amp = row.opt("amp_category");
        out.push(EvidenceItem {
            id: format!("CIViC:AID{id}"),
            source: "CIViC assertion".into(),
            profile: mp,
            evidence_type: row.req("assertion_type")?.to_owned(),
            direction: row.get("assertion_direction").to_owned(),
            significance: row.get("significance").to_owned(),
            therapies: split_list(row.get("therapies")),
            therapy_interaction: None,
            disease: diseases.resolve(tree, row.get("disease"), row.opt("doid").as_deref()),
            source_level: amp.clone().unwrap_or_default(),
            amp_category: amp,
            regulatory_approval: Some(row.get("regulatory_approval") == "true"),
            rating: None,
            citations: split_list(row.get("evidence_item_ids"))
                .into_iter()
                .map(|e| Citation {
                    source_type: "CIViC evidence".into(),
                    id: format!("CIViC:EID{e}"),
                    text: String::new(),
                })
                .collect(),
            nct_ids: Vec::new(),
            status: "accepted".into(),
            variant_origin: String::new(),
            statement: row.get("assertion_summary").to_owned(),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

fn profile_for(
    row: &crate::import::Row<'_>,
    profiles: &BTreeMap<u32, MolecularProfile>,
) -> Result<MolecularProfile, KbError> {
    let mp_id: u32 = row
        .req("molecular_profile_id")?
        .parse()
        .map_err(|_| row.error("molecular_profile_id", "not a number"))?;
    Ok(profiles
        .get(&mp_id)
        .cloned()
        .unwrap_or_else(|| MolecularProfile {
            id: format!("CIViC:MP{mp_id}"),
            name: row.get("molecular_profile").to_owned(),
            expr: ProfileExpr::Unparsed(row.get("molecular_profile").to_owned()),
        }))
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

fn read_variants(path: &Path) -> Result<BTreeMap<u32, Variant>, KbError> {
    let t = Tsv::read(path)?;
    t.require(&["variant_id", "gene", "variant"])?;
    let mut out = BTreeMap::new();
    for row in t.rows() {
        let id: u32 = row
            .req("variant_id")?
            .parse()
            .map_err(|_| row.error("variant_id", "not a number"))?;
        out.insert(
            id,
            Variant {
                gene: row.req("gene")?.to_owned(),
                name: row.req("variant")?.to_owned(),
            },
        );
    }
    Ok(out)
}

fn read_profiles(
    path: &Path,
    variants: &BTreeMap<u32, Variant>,
) -> Result<BTreeMap<u32, MolecularProfile>, KbError> {
    let t = Tsv::read(path)?;
    t.require(&["name", "molecular_profile_id", "variant_ids"])?;
    let mut out = BTreeMap::new();
    for row in t.rows() {
        let id: u32 = row
            .req("molecular_profile_id")?
            .parse()
            .map_err(|_| row.error("molecular_profile_id", "not a number"))?;
        let name = row.req("name")?.to_owned();
        let mut members = Vec::new();
        let mut missing = false;
        for v in split_list(row.get("variant_ids")) {
            let vid: u32 = v
                .parse()
                .map_err(|_| row.error("variant_ids", "not a number"))?;
            // Profiles may name variants that are not in the accepted-variant file; such a
            // profile cannot be evaluated and is kept as unparsed.
            let Some(var) = variants.get(&vid) else {
                missing = true;
                continue;
            };
            members.push(ProfileVariant {
                id: format!("CIViC:VID{vid}"),
                name: var.name.clone(),
                spec: AlterationSpec::parse(&var.gene, &var.name),
            });
        }
        let expr = if missing {
            ProfileExpr::Unparsed(name.clone())
        } else if members.len() == 1 {
            ProfileExpr::Variant(members.remove(0))
        } else {
            parse_profile_name(&name, &members)
        };
        out.insert(
            id,
            MolecularProfile {
                id: format!("CIViC:MP{id}"),
                name,
                expr,
            },
        );
    }
    Ok(out)
}

/// Parses a multi-variant profile name: fragments `GENE VARIANT` joined by `AND`, `OR`,
/// `NOT` and parentheses; each fragment is resolved against the profile's own variants.
fn parse_profile_name(name: &str, members: &[ProfileVariant]) -> ProfileExpr {
    let spaced = name.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut p = Parser {
        tokens: &tokens,
        pos: 0,
        members,
    };
    match p.or() {
        Some(e) if p.pos == tokens.len() => e,
        _ => ProfileExpr::Unparsed(name.to_owned()),
    }
}

struct Parser<'a> {
    tokens: &'a [&'a str],
    pos: usize,
    members: &'a [ProfileVariant],
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).copied()
    }

    fn or(&mut self) -> Option<ProfileExpr> {
        let mut xs = vec![self.and()?];
        while self.peek() == Some("OR") {
            self.pos += 1;
            xs.push(self.and()?);
        }
        Some(if xs.len() == 1 {
            xs.remove(0)
        } else {
            ProfileExpr::Or(xs)
        })
    }

    fn and(&mut self) -> Option<ProfileExpr> {
        let mut xs = vec![self.unary()?];
        while self.peek() == Some("AND") {
            self.pos += 1;
            xs.push(self.unary()?);
        }
        Some(if xs.len() == 1 {
            xs.remove(0)
        } else {
            ProfileExpr::And(xs)
        })
    }

    fn unary(&mut self) -> Option<ProfileExpr> {
        match self.peek()? {
            "NOT" => {
                self.pos += 1;
                Some(ProfileExpr::Not(Box::new(self.unary()?)))
            }
            "(" => {
                self.pos += 1;
                let e = self.or()?;
                (self.peek() == Some(")")).then(|| {
                    self.pos += 1;
                    e
                })
            }
            _ => {
                let start = self.pos;
                while let Some(t) = self.peek() {
                    if matches!(t, "AND" | "OR" | "NOT" | "(" | ")") {
                        break;
                    }
                    self.pos += 1;
                }
                let fragment = self.tokens[start..self.pos].join(" ");
                let (gene, rest) = fragment.split_once(' ')?;
                self.members
                    .iter()
                    .find(|m| {
                        m.spec.gene().is_some_and(|g| g.eq_ignore_ascii_case(gene))
                            && m.name.eq_ignore_ascii_case(rest.trim())
                    })
                    .map(|m| ProfileExpr::Variant(m.clone()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(gene: &str, name: &str) -> ProfileVariant {
        ProfileVariant {
            id: format!("{gene}-{name}"),
            name: name.into(),
            spec: AlterationSpec::parse(gene, name),
        }
    }

    #[test]
    fn parses_multi_variant_profiles() {
        let m = vec![member("EGFR", "L858R"), member("EGFR", "T790M")];
        let e = parse_profile_name("EGFR L858R AND EGFR T790M", &m);
        assert!(matches!(e, ProfileExpr::And(ref xs) if xs.len() == 2));
        let m = vec![
            member("RB1", "Wildtype"),
            member("CDKN2A", "Loss"),
            member("CDKN2A", "Mutation"),
        ];
        let e = parse_profile_name("RB1 Wildtype AND ( CDKN2A Loss OR CDKN2A Mutation )", &m);
        assert!(matches!(e, ProfileExpr::And(ref xs) if matches!(xs[1], ProfileExpr::Or(_))));
        let e = parse_profile_name("EGFR L858R AND KRAS G12C", &m);
        assert!(matches!(e, ProfileExpr::Unparsed(_)));
    }
}
