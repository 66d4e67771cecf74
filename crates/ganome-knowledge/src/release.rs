//! Knowledge-base releases: everything the matcher needs, built from the source files named
//! in a manifest, content-hashed, and written as one JSON file that loads in milliseconds.

use crate::approval::Approval;
use crate::error::KbError;
use crate::evidence::EvidenceItem;
use crate::import::hotspots::Hotspot;
use crate::import::{self, civic, ctgov, disease_map::DiseaseMapper};
use crate::levels::{LevelAssignment, LevelRules};
use crate::trial::Trial;
use crate::tumor_type::TumorTypeTree;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Format version of release files.
pub const FORMAT_VERSION: u32 = 1;

/// One source file that went into a release.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceVersion {
    /// Source name (`CIViC evidence`).
    pub name: String,
    /// Source version (`2024-08-01`).
    pub version: String,
    /// File path relative to the manifest.
    pub file: String,
    /// SHA-256 of the file as read.
    pub sha256: String,
}

/// The release content (everything that is hashed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseContent {
    /// Source files and versions.
    pub sources: Vec<SourceVersion>,
    /// OncoTree.
    pub tumor_types: TumorTypeTree,
    /// Evidence items and assertions, sorted by id.
    pub evidence: Vec<EvidenceItem>,
    /// Approvals, sorted by id.
    pub approvals: Vec<Approval>,
    /// Trials, sorted by id.
    pub trials: Vec<Trial>,
    /// Cancer hotspots.
    pub hotspots: Vec<Hotspot>,
    /// Gene → role (`tumor_suppressor`, `oncogene`).
    pub gene_roles: BTreeMap<String, String>,
    /// Level rules.
    pub levels: LevelRules,
    /// Exon → codon ranges for exon inference.
    #[serde(default)]
    pub exon_codons: Vec<crate::import::exons::ExonCodons>,
}

/// The file form: header + content.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ReleaseFile {
    format: u32,
    name: Option<String>,
    content_hash: String,
    content: ReleaseContent,
}

/// A loaded knowledge-base release, indexed for matching.
#[derive(Debug, Clone)]
pub struct KnowledgeRelease {
    /// Release name (`None` for an unreleased import).
    pub name: Option<String>,
    /// SHA-256 of the content's canonical JSON.
    pub content_hash: String,
    /// The content.
    pub content: ReleaseContent,
    pub(crate) index: Index,
}

/// Lookup tables built on load.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub(crate) evidence_by_gene: HashMap<String, Vec<usize>>,
    pub(crate) evidence_biomarker: Vec<usize>,
    pub(crate) approvals_by_gene: HashMap<String, Vec<usize>>,
    pub(crate) approvals_biomarker: Vec<usize>,
    pub(crate) trials_by_gene: HashMap<String, Vec<usize>>,
    pub(crate) trials_biomarker: Vec<usize>,
    pub(crate) hotspot_exact: HashMap<String, BTreeSet<String>>,
    pub(crate) hotspot_codons: HashMap<String, BTreeSet<u32>>,
    /// Gene → (exon, first codon, last codon).
    pub(crate) exons: HashMap<String, Vec<(u32, u32, u32)>>,
    /// Per evidence item, its level for each relation × match type, filled on first use.
    pub(crate) evidence_levels: Vec<OnceLock<Vec<Option<LevelAssignment>>>>,
}

/// The manifest naming a release's source files (`data/knowledge/manifest.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    /// CIViC.
    pub civic: CivicManifest,
    /// OncoTree.
    pub oncotree: FileEntry,
    /// DOID ↔ UMLS bridge.
    pub bridge: FileEntry,
    /// Curated disease overrides.
    pub disease_overrides: FileEntry,
    /// Curated approvals.
    pub approvals: FileEntry,
    /// ClinicalTrials.gov snapshot.
    pub ctgov: FileEntry,
    /// Condition keyword table.
    pub trial_conditions: FileEntry,
    /// Curated jRCT records.
    pub jrct: FileEntry,
    /// Cancer hotspots.
    pub hotspots: FileEntry,
    /// Gene roles.
    pub gene_roles: FileEntry,
    /// Level rules.
    pub levels: FileEntry,
    /// Exon → codon table (optional).
    #[serde(default)]
    pub exons: Option<FileEntry>,
}

/// One file and its version.
#[derive(Debug, Clone, Deserialize)]
pub struct FileEntry {
    /// Version label.
    pub version: String,
    /// Path relative to the manifest.
    pub path: String,
}

/// The CIViC files.
#[derive(Debug, Clone, Deserialize)]
pub struct CivicManifest {
    /// Release date.
    pub version: String,
    /// Evidence TSV.
    pub evidence: String,
    /// Variants TSV.
    pub variants: String,
    /// Molecular profiles TSV.
    pub molecular_profiles: String,
    /// Assertions TSV.
    pub assertions: String,
}

fn sha256_file(path: &Path) -> Result<String, KbError> {
    let bytes = std::fs::read(path).map_err(|e| KbError::io(path, e))?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

impl KnowledgeRelease {
    /// The directory of the shipped knowledge data: `$GANOME_SHIPPED_DATA/knowledge` when
    /// that is set (an installed binary with Ganome's `data/` folder copied beside it), else
    /// the source tree's `data/knowledge`.
    pub fn shipped_data_dir() -> PathBuf {
        match std::env::var_os("GANOME_SHIPPED_DATA") {
            Some(dir) => PathBuf::from(dir).join("knowledge"),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/knowledge"),
        }
    }

    /// Builds a release from the data shipped in the repository.
    pub fn default_from_shipped_data() -> Result<Self, KbError> {
        Self::build(&Self::shipped_data_dir().join("manifest.toml"))
    }

    /// Builds an (unnamed) release from a manifest.
    pub fn build(manifest_path: &Path) -> Result<Self, KbError> {
        let text =
            std::fs::read_to_string(manifest_path).map_err(|e| KbError::io(manifest_path, e))?;
        let m: Manifest =
            toml::from_str(&text).map_err(|e| KbError::format(manifest_path, e.to_string()))?;
        let base = manifest_path.parent().unwrap_or(Path::new("."));
        let p = |rel: &str| base.join(rel);
        let mut sources = Vec::new();
        let mut record = |name: &str, version: &str, rel: &str| -> Result<(), KbError> {
            sources.push(SourceVersion {
                name: name.to_owned(),
                version: version.to_owned(),
                file: rel.to_owned(),
                sha256: sha256_file(&base.join(rel))?,
            });
            Ok(())
        };
        record("CIViC evidence", &m.civic.version, &m.civic.evidence)?;
        record("CIViC variants", &m.civic.version, &m.civic.variants)?;
        record(
            "CIViC molecular profiles",
            &m.civic.version,
            &m.civic.molecular_profiles,
        )?;
        record("CIViC assertions", &m.civic.version, &m.civic.assertions)?;
        for (name, e) in [
            ("OncoTree", &m.oncotree),
            ("DOID-UMLS bridge (PCGR)", &m.bridge),
            ("disease overrides (curated)", &m.disease_overrides),
            ("approvals (curated)", &m.approvals),
            ("ClinicalTrials.gov snapshot", &m.ctgov),
            ("trial condition keywords (curated)", &m.trial_conditions),
            ("jRCT records (curated)", &m.jrct),
            ("cancer hotspots", &m.hotspots),
            ("gene roles (curated)", &m.gene_roles),
            ("level rules", &m.levels),
        ] {
            record(name, &e.version, &e.path)?;
        }
        if let Some(e) = &m.exons {
            record("exon codon table", &e.version, &e.path)?;
        }

        let tree = import::oncotree::read(&p(&m.oncotree.path), &m.oncotree.version)?;
        let diseases =
            DiseaseMapper::load(&tree, &p(&m.disease_overrides.path), &p(&m.bridge.path))?;
        let evidence = civic::read(
            &civic::CivicFiles {
                variants: &p(&m.civic.variants),
                molecular_profiles: &p(&m.civic.molecular_profiles),
                evidence: &p(&m.civic.evidence),
                assertions: &p(&m.civic.assertions),
            },
            &tree,
            &diseases,
        )?;
        let approvals = import::approvals::read(&p(&m.approvals.path), &tree)?;
        let mut genes: BTreeSet<String> = evidence
            .iter()
            .flat_map(|e| e.profile.expr.genes())
            .collect();
        genes.extend(
            approvals
                .iter()
                .filter(|a| !a.gene.is_empty())
                .map(|a| a.gene.clone()),
        );
        let conditions = ctgov::ConditionTable::read(&p(&m.trial_conditions.path), &tree)?;
        let mut trials = ctgov::read(&p(&m.ctgov.path), &genes, &conditions)?;
        trials.extend(import::jrct::read(&p(&m.jrct.path), false)?);
        trials.sort_by(|a, b| a.id.cmp(&b.id));
        let content = ReleaseContent {
            sources,
            tumor_types: tree,
            evidence,
            approvals,
            trials,
            hotspots: import::hotspots::read(&p(&m.hotspots.path))?,
            gene_roles: import::gene_roles::read(&p(&m.gene_roles.path))?,
            levels: LevelRules::read(&p(&m.levels.path))?,
            exon_codons: match &m.exons {
                Some(e) => import::exons::read(&p(&e.path))?,
                None => Vec::new(),
            },
        };
        Ok(Self::from_content(None, content))
    }

    /// Wraps content, computing its hash and indexes.
    pub fn from_content(name: Option<String>, content: ReleaseContent) -> Self {
        let json = serde_json::to_vec(&content).unwrap_or_default();
        let content_hash = hex::encode(Sha256::digest(&json));
        let index = Index::build(&content);
        Self {
            name,
            content_hash,
            content,
            index,
        }
    }

    /// Short id for reports: the name, or `import-<hash prefix>`.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => format!(
                "{n} ({})",
                &self.content_hash[..12.min(self.content_hash.len())]
            ),
            None => format!(
                "import-{}",
                &self.content_hash[..12.min(self.content_hash.len())]
            ),
        }
    }

    /// Writes the release file. Refuses to overwrite an existing file: releases are immutable.
    pub fn save(&self, path: &Path) -> Result<(), KbError> {
        if path.exists() {
            return Err(KbError::ReleaseExists(path.display().to_string()));
        }
        self.write(path)
    }

    /// The release file's bytes (what [`KnowledgeRelease::write`] stores).
    pub fn to_bytes(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(&ReleaseFile {
            format: FORMAT_VERSION,
            name: self.name.clone(),
            content_hash: self.content_hash.clone(),
            content: self.content.clone(),
        })
    }

    /// A release from a release file's bytes, checking its format and content hash.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KbError> {
        Self::from_bytes_at(bytes, Path::new("<memory>"))
    }

    fn from_bytes_at(bytes: &[u8], path: &Path) -> Result<Self, KbError> {
        let file: ReleaseFile = serde_json::from_slice(bytes)
            .map_err(|e| KbError::format(path, format!("not a release file: {e}")))?;
        if file.format != FORMAT_VERSION {
            return Err(KbError::format(
                path,
                format!("format {} (expected {FORMAT_VERSION})", file.format),
            ));
        }
        let release = Self::from_content(file.name, file.content);
        if release.content_hash != file.content_hash {
            return Err(KbError::HashMismatch {
                path: path.to_owned(),
                recorded: file.content_hash,
                computed: release.content_hash,
            });
        }
        Ok(release)
    }

    /// Writes the file, replacing any previous one (for the mutable staging import).
    pub fn write(&self, path: &Path) -> Result<(), KbError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| KbError::io(dir, e))?;
        }
        let json = self
            .to_bytes()
            .map_err(|e| KbError::format(path, e.to_string()))?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json).map_err(|e| KbError::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| KbError::io(path, e))
    }

    /// Loads a release file and checks its content hash.
    pub fn load(path: &Path) -> Result<Self, KbError> {
        let bytes = std::fs::read(path).map_err(|e| KbError::io(path, e))?;
        Self::from_bytes_at(&bytes, path)
    }

    /// A copy under a release name (the content and hash are unchanged).
    pub fn named(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }
}

impl Index {
    fn build(c: &ReleaseContent) -> Self {
        let mut ix = Self {
            evidence_levels: c.evidence.iter().map(|_| OnceLock::new()).collect(),
            ..Self::default()
        };
        for (i, e) in c.evidence.iter().enumerate() {
            if !e
                .profile
                .expr
                .variants()
                .iter()
                .any(|v| v.spec.is_supported())
            {
                continue;
            }
            let genes = e.profile.expr.genes();
            if genes.is_empty() {
                ix.evidence_biomarker.push(i);
            }
            for g in genes {
                ix.evidence_by_gene.entry(g).or_default().push(i);
            }
        }
        for (i, a) in c.approvals.iter().enumerate() {
            match a.spec.gene() {
                Some(g) => ix
                    .approvals_by_gene
                    .entry(g.to_owned())
                    .or_default()
                    .push(i),
                None => ix.approvals_biomarker.push(i),
            }
        }
        for (i, t) in c.trials.iter().enumerate() {
            if !t.criteria.has_genomic() {
                continue;
            }
            let mut genes = t.criteria.genes();
            genes.sort();
            genes.dedup();
            if genes.is_empty() || t.criteria.has_biomarker() {
                ix.trials_biomarker.push(i);
            }
            for g in genes {
                ix.trials_by_gene.entry(g).or_default().push(i);
            }
        }
        for e in &c.exon_codons {
            ix.exons
                .entry(e.gene.clone())
                .or_default()
                .push((e.exon, e.first_codon, e.last_codon));
        }
        for h in &c.hotspots {
            if let Ok(p) = crate::protein::ProteinChange::parse(&h.protein_change) {
                ix.hotspot_exact
                    .entry(h.gene.clone())
                    .or_default()
                    .insert(p.to_string());
                ix.hotspot_codons
                    .entry(h.gene.clone())
                    .or_default()
                    .insert(p.start);
            }
        }
        ix
    }
}
