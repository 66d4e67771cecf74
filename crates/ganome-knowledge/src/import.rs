//! Importers: each reads one source format into the knowledge model.
//!
//! Every importer reports errors with file, line and field, and never panics on bad input.

pub mod approvals;
pub mod civic;
pub mod ctgov;
pub mod ctml;
pub mod disease_map;
pub mod exons;
pub mod gene_roles;
pub mod hotspots;
pub mod jrct;
pub mod oncotree;

use crate::error::KbError;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Reads a file as bytes, gunzipping `.gz` files.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, KbError> {
    let raw = std::fs::read(path).map_err(|e| KbError::io(path, e))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| KbError::io(path, e))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// A tab-separated file with a header, read without quoting (CIViC TSVs contain bare
/// quotes), skipping lines that start with `#`.
pub struct Tsv {
    path: std::path::PathBuf,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, Vec<String>)>,
}

impl Tsv {
    /// Reads and splits the file.
    pub fn read(path: &Path) -> Result<Self, KbError> {
        let bytes = read_bytes(path)?;
        let text = String::from_utf8(bytes)
            .map_err(|e| KbError::format(path, format!("not UTF-8: {e}")))?;
        let mut columns = HashMap::new();
        let mut rows = Vec::new();
        let mut header_seen = false;
        for (i, line) in text.lines().enumerate() {
            let line_no = i as u64 + 1;
            let line = line.trim_end_matches('\r');
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<String> = line.split('\t').map(str::to_owned).collect();
            if !header_seen {
                for (j, f) in fields.iter().enumerate() {
                    columns.insert(f.trim().to_owned(), j);
                }
                header_seen = true;
            } else {
                rows.push((line_no, fields));
            }
        }
        if !header_seen {
            return Err(KbError::format(path, "no header line"));
        }
        Ok(Self {
            path: path.to_owned(),
            columns,
            rows,
        })
    }

    /// Data rows with their 1-based line numbers.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(move |(line, fields)| Row {
            tsv: self,
            line: *line,
            fields,
        })
    }

    /// Checks that the named columns exist.
    pub fn require(&self, names: &[&str]) -> Result<(), KbError> {
        for n in names {
            if !self.columns.contains_key(*n) {
                return Err(KbError::field(
                    &self.path,
                    1,
                    n,
                    "column missing from header",
                ));
            }
        }
        Ok(())
    }
}

/// One data row.
pub struct Row<'a> {
    tsv: &'a Tsv,
    /// 1-based line number.
    pub line: u64,
    fields: &'a [String],
}

impl Row<'_> {
    /// The trimmed value of a column (empty when the row is short).
    pub fn get(&self, name: &str) -> &str {
        self.tsv
            .columns
            .get(name)
            .and_then(|&i| self.fields.get(i))
            .map_or("", |s| s.trim())
    }

    /// The value, or `None` when empty or `N/A`/`NA`.
    pub fn opt(&self, name: &str) -> Option<String> {
        let v = self.get(name);
        (!v.is_empty() && v != "N/A" && v != "NA").then(|| v.to_owned())
    }

    /// A required non-empty value.
    pub fn req(&self, name: &str) -> Result<&str, KbError> {
        let v = self.get(name);
        if v.is_empty() {
            Err(self.error(name, "required value is empty"))
        } else {
            Ok(v)
        }
    }

    /// An error about this row's field.
    pub fn error(&self, field: &str, message: impl Into<String>) -> KbError {
        KbError::field(&self.tsv.path, self.line, field, message)
    }
}
