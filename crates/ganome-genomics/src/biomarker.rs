//! Sample-level biomarkers as laboratories send them: TMB (腫瘍遺伝子変異量) and MSI
//! (マイクロサテライト不安定性) values in a small key/value file.
//!
//! Accepted layouts: a JSON object, or one `key<TAB|:|=>value` pair per line. Keys are matched
//! case-insensitively: `tmb` (`tumor_mutational_burden`, `tmb_value`), `tmb_unit`, `msi`
//! (`msi_status`), `msi_score` (`msisensor`), `msi_method`. Values may carry their unit or
//! status wording (`12.4 mut/Mb`, `MSI-H`, `MSS`, `25.3%`). There is no standard file format for
//! these, hence a small hand-written reader.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::variant::{Biomarkers, Msi, MsiStatus, Tmb, TmbUnit};

/// An error reading biomarker values.
#[derive(Debug, Error)]
pub enum BiomarkerError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// File path.
        path: PathBuf,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A value is invalid.
    #[error("{path}:{line}: field {field}: {message}")]
    Field {
        /// File path.
        path: PathBuf,
        /// 1-based line (1 for JSON input).
        line: u64,
        /// Key.
        field: String,
        /// What was wrong.
        message: String,
    },
}

impl BiomarkerError {
    /// The key that was wrong, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Field { field, .. } => Some(field),
            Self::Io { .. } => None,
        }
    }
}

/// Parses a TMB value with an optional unit: `12.4`, `12.4 mut/Mb`, `350 mutations`.
///
/// A bare number is taken as mutations per megabase.
pub fn parse_tmb(text: &str) -> Result<Tmb, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{t:?} does not start with a number"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("{t:?} is not a non-negative number"));
    }
    let unit = parse_tmb_unit(unit)?;
    Ok(Tmb { value, unit })
}

fn parse_tmb_unit(text: &str) -> Result<TmbUnit, String> {
    let u = text
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '_', '(', ')'], "");
    match u.as_str() {
        ""
        | "mut/mb"
        | "muts/mb"
        | "mutations/mb"
        | "mutations/megabase"
        | "/mb"
        | "mutationspermegabase"
        | "mutpermb" => Ok(TmbUnit::MutationsPerMegabase),
        "mutations" | "muts" | "count" | "mutationcount" => Ok(TmbUnit::MutationCount),
        other => Err(format!("unknown TMB unit {other:?}")),
    }
}

/// Parses an MSI status word: `MSI-H`, `MSI-high`, `MSI-L`, `MSS`, `stable`, `indeterminate`.
pub fn parse_msi_status(text: &str) -> Result<MsiStatus, String> {
    let t = text
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-', '_'], "");
    match t.as_str() {
        "msih" | "msihigh" | "high" | "unstable" | "instable" | "dmmr" => Ok(MsiStatus::MsiHigh),
        "msil" | "msilow" | "low" => Ok(MsiStatus::MsiLow),
        "mss" | "stable" | "microsatellitestable" | "pmmr" => Ok(MsiStatus::Mss),
        "indeterminate" | "unknown" | "equivocal" | "failed" | "qns" => {
            Ok(MsiStatus::Indeterminate)
        }
        _ => Err(format!("unknown MSI status {text:?}")),
    }
}

fn parse_score(text: &str) -> Result<f64, String> {
    let t = text.trim().trim_end_matches('%').trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("{text:?} is not a non-negative score")),
    }
}

/// Reads biomarker values from a file (JSON object or key/value lines).
pub fn read_biomarkers(path: impl AsRef<Path>) -> Result<Biomarkers, BiomarkerError> {
    let path = path.as_ref().to_path_buf();
    let text = std::fs::read_to_string(&path).map_err(|source| BiomarkerError::Io {
        path: path.clone(),
        source,
    })?;
    parse_biomarkers(&text, &path)
}

/// Parses biomarker values held in memory.
pub fn parse_biomarkers_str(text: &str) -> Result<Biomarkers, BiomarkerError> {
    parse_biomarkers(text, Path::new("<memory>"))
}

/// Parses biomarker text read from `path` (named in errors).
pub fn parse_biomarkers(text: &str, path: &Path) -> Result<Biomarkers, BiomarkerError> {
    let mut pairs: Vec<(u64, String, String)> = Vec::new();
    if text.trim_start().starts_with('{') {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| BiomarkerError::Field {
                path: path.to_path_buf(),
                line: u64::try_from(e.line()).unwrap_or(0),
                field: "json".into(),
                message: e.to_string(),
            })?;
        if let serde_json::Value::Object(map) = value {
            for (k, v) in map {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => continue,
                    other => other.to_string(),
                };
                pairs.push((1, k, v));
            }
        }
    } else {
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((k, v)) = line.split_once(['\t', ':', '=']) else {
                return Err(BiomarkerError::Field {
                    path: path.to_path_buf(),
                    line: i as u64 + 1,
                    field: line.chars().take(40).collect(),
                    message: "expected key and value separated by tab, ':' or '='".into(),
                });
            };
            pairs.push((i as u64 + 1, k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let mut out = Biomarkers::default();
    let mut tmb_unit: Option<(u64, String)> = None;
    let mut msi_score: Option<f64> = None;
    let mut msi_method: Option<String> = None;
    for (line, key, value) in pairs {
        let err = |message: String| BiomarkerError::Field {
            path: path.to_path_buf(),
            line,
            field: key.clone(),
            message,
        };
        let k = key.to_ascii_lowercase().replace([' ', '-'], "_");
        match k.as_str() {
            "tmb" | "tmb_value" | "tumor_mutational_burden" | "tumour_mutational_burden" => {
                out.tmb = Some(parse_tmb(&value).map_err(err)?);
            }
            "tmb_unit" => tmb_unit = Some((line, value)),
            "msi" | "msi_status" | "microsatellite_instability" => {
                let status = parse_msi_status(&value).map_err(err)?;
                out.msi = Some(Msi {
                    status,
                    score: None,
                    method: None,
                });
            }
            "msi_score" | "msisensor" | "msisensor_score" => {
                msi_score = Some(parse_score(&value).map_err(err)?);
            }
            "msi_method" => msi_method = Some(value),
            _ => {}
        }
    }
    if let (Some(tmb), Some((line, unit))) = (out.tmb.as_mut(), tmb_unit) {
        tmb.unit = parse_tmb_unit(&unit).map_err(|message| BiomarkerError::Field {
            path: path.to_path_buf(),
            line,
            field: "tmb_unit".into(),
            message,
        })?;
    }
    if msi_score.is_some() || msi_method.is_some() {
        let msi = out.msi.get_or_insert(Msi {
            status: MsiStatus::Indeterminate,
            score: None,
            method: None,
        });
        msi.score = msi_score;
        msi.method = msi_method;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fhir_example_values() {
        // Values of the HL7 Genomics Reporting IG examples Observation-TMBExample (29.8 /Mb,
        // LOINC 94076-7) and Observation-MSIExample (LA26203-2 "MSI-H").
        let b = parse_biomarkers_str("TMB\t29.8 mutations/Mb\nMSI\tMSI-H\n").expect("parse");
        assert_eq!(
            b.tmb,
            Some(Tmb {
                value: 29.8,
                unit: TmbUnit::MutationsPerMegabase
            })
        );
        assert_eq!(b.msi.map(|m| m.status), Some(MsiStatus::MsiHigh));
        let j = parse_biomarkers_str(
            r#"{"tmb": 29.8, "msi_status": "MSS", "msi_score": "3.1%", "msi_method": "MSIsensor"}"#,
        )
        .expect("json");
        assert_eq!(j.tmb.map(|t| t.value), Some(29.8));
        let m = j.msi.expect("msi");
        assert_eq!(
            (m.status, m.score, m.method.as_deref()),
            (MsiStatus::Mss, Some(3.1), Some("MSIsensor"))
        );
    }

    #[test]
    fn bad_values_name_the_key() {
        let e = parse_biomarkers_str("TMB: high\n").expect_err("tmb");
        assert_eq!(e.field(), Some("TMB"));
        let e = parse_biomarkers_str("MSI=sort of\n").expect_err("msi");
        assert_eq!(e.field(), Some("MSI"));
        let e = parse_biomarkers_str("TMB\t10\ntmb_unit\tparsecs\n").expect_err("unit");
        assert_eq!(e.field(), Some("tmb_unit"));
        assert_eq!(
            parse_tmb("350 mutations").map(|t| t.unit),
            Ok(TmbUnit::MutationCount)
        );
    }
}
