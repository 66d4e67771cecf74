//! Tumour types: the OncoTree hierarchy and how a case's tumour type relates to the tumour
//! type a piece of knowledge is about.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One OncoTree node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TumorType {
    /// OncoTree code (`LUAD`).
    pub code: String,
    /// Name (`Lung Adenocarcinoma`).
    pub name: String,
    /// Main type (`Non-Small Cell Lung Cancer`), if any.
    pub main_type: Option<String>,
    /// Tissue (`Lung`), if any.
    pub tissue: Option<String>,
    /// Parent code (`TISSUE` for tissues; none for the root).
    pub parent: Option<String>,
    /// UMLS concept ids.
    pub umls: Vec<String>,
}

/// The OncoTree hierarchy, by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TumorTypeTree {
    /// Nodes by code.
    pub nodes: BTreeMap<String, TumorType>,
    /// Release (`oncotree_2025_10_03`).
    pub version: String,
}

/// How a case's tumour type relates to the tumour type of a piece of knowledge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiseaseRelation {
    /// The same OncoTree code.
    SameType,
    /// The case's tumour type is a subtype of the knowledge's (LUAD under NSCLC).
    Subtype,
    /// The knowledge is tumour-agnostic (any solid tumour, any cancer).
    TumorAgnostic,
    /// The case's tumour type is a parent of the knowledge's (NSCLC for a LUAD finding).
    Parent,
    /// Another tumour type, or a disease we could not place in OncoTree.
    OtherType,
}

impl DiseaseRelation {
    /// Words for a report (`same tumour type`).
    pub fn phrase(self) -> &'static str {
        match self {
            Self::SameType => "same tumour type",
            Self::Subtype => "case tumour is a subtype",
            Self::TumorAgnostic => "tumour-agnostic",
            Self::Parent => "knowledge is about a subtype of the case tumour",
            Self::OtherType => "other tumour type",
        }
    }

    /// The snake-case key used in level rules (`same_type`).
    pub fn key(self) -> &'static str {
        match self {
            Self::SameType => "same_type",
            Self::Subtype => "subtype",
            Self::TumorAgnostic => "tumor_agnostic",
            Self::Parent => "parent",
            Self::OtherType => "other_type",
        }
    }
}

/// Which tumours a piece of knowledge is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "scope", content = "codes")]
pub enum TumorScope {
    /// These OncoTree codes (and their subtypes).
    Types(Vec<String>),
    /// Any solid tumour.
    AnySolid,
    /// Any cancer.
    Any,
    /// A disease we could not place in OncoTree.
    Unmapped,
}

/// Tissues whose tumours are not solid tumours.
const LIQUID_TISSUES: [&str; 2] = ["MYELOID", "LYMPH"];

impl TumorTypeTree {
    /// Whether the code is known.
    pub fn contains(&self, code: &str) -> bool {
        self.nodes.contains_key(code)
    }

    /// The code's ancestors, nearest first (excluding the root `TISSUE`).
    pub fn ancestors(&self, code: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut cur = self.nodes.get(code).and_then(|n| n.parent.as_deref());
        while let Some(c) = cur {
            if c == "TISSUE" || out.len() > 32 {
                break;
            }
            out.push(c);
            cur = self.nodes.get(c).and_then(|n| n.parent.as_deref());
        }
        out
    }

    /// True when `code` is at or below `ancestor`.
    pub fn is_within(&self, code: &str, ancestor: &str) -> bool {
        code == ancestor || self.ancestors(code).contains(&ancestor)
    }

    /// True for tumours outside the myeloid and lymphoid tissues.
    pub fn is_solid(&self, code: &str) -> bool {
        !LIQUID_TISSUES.iter().any(|t| self.is_within(code, t))
    }

    /// The relation of the case's tumour type to a scope.
    pub fn relation(&self, case_code: &str, scope: &TumorScope) -> DiseaseRelation {
        match scope {
            TumorScope::Any => DiseaseRelation::TumorAgnostic,
            TumorScope::AnySolid if self.is_solid(case_code) => DiseaseRelation::TumorAgnostic,
            TumorScope::AnySolid | TumorScope::Unmapped => DiseaseRelation::OtherType,
            TumorScope::Types(codes) => codes
                .iter()
                .map(|k| {
                    if k == case_code {
                        DiseaseRelation::SameType
                    } else if self.is_within(case_code, k) {
                        DiseaseRelation::Subtype
                    } else if self.is_within(k, case_code) {
                        DiseaseRelation::Parent
                    } else {
                        DiseaseRelation::OtherType
                    }
                })
                .min()
                .unwrap_or(DiseaseRelation::OtherType),
        }
    }

    /// Finds a node by name (case-insensitive), main type or code.
    pub fn find_by_name(&self, name: &str) -> Option<&str> {
        let n = name.trim();
        if let Some(node) = self.nodes.get(&n.to_ascii_uppercase()) {
            return Some(&node.code);
        }
        self.nodes
            .values()
            .find(|t| t.name.eq_ignore_ascii_case(n))
            .or_else(|| {
                self.nodes.values().find(|t| {
                    t.main_type
                        .as_deref()
                        .is_some_and(|m| m.eq_ignore_ascii_case(n))
                })
            })
            .map(|t| t.code.as_str())
    }

    /// Name of a code, or the code itself when unknown.
    pub fn name_of<'a>(&'a self, code: &'a str) -> &'a str {
        self.nodes.get(code).map_or(code, |n| n.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(code: &str, parent: &str) -> TumorType {
        TumorType {
            code: code.into(),
            name: code.into(),
            main_type: None,
            tissue: None,
            parent: Some(parent.into()),
            umls: vec![],
        }
    }

    #[test]
    fn relations() {
        let mut t = TumorTypeTree::default();
        for (c, p) in [
            ("LUNG", "TISSUE"),
            ("NSCLC", "LUNG"),
            ("LUAD", "NSCLC"),
            ("BOWEL", "TISSUE"),
            ("MYELOID", "TISSUE"),
            ("AML", "MYELOID"),
        ] {
            t.nodes.insert(c.into(), node(c, p));
        }
        let s = |c: &str| TumorScope::Types(vec![c.into()]);
        assert_eq!(t.relation("LUAD", &s("LUAD")), DiseaseRelation::SameType);
        assert_eq!(t.relation("LUAD", &s("NSCLC")), DiseaseRelation::Subtype);
        assert_eq!(t.relation("NSCLC", &s("LUAD")), DiseaseRelation::Parent);
        assert_eq!(t.relation("BOWEL", &s("LUAD")), DiseaseRelation::OtherType);
        assert_eq!(
            t.relation("BOWEL", &TumorScope::AnySolid),
            DiseaseRelation::TumorAgnostic
        );
        assert_eq!(
            t.relation("AML", &TumorScope::AnySolid),
            DiseaseRelation::OtherType
        );
        assert_eq!(
            t.relation("AML", &TumorScope::Any),
            DiseaseRelation::TumorAgnostic
        );
    }
}
