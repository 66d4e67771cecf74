//! `ganome hgvs`: HGVS description tools.
//!
//! `ganome hgvs normalize --reference-dir DIR [DESCRIPTION]` normalises one description
//! (or one per line on stdin) against references stored as `DIR/<accession>.gff3` +
//! `DIR/<accession>.fasta` and prints one JSON object per description:
//! `{"input", "normalized", "genomic", "protein", "error"}`. Parse errors name the byte
//! offset and character at fault; a caret under it is also written to stderr.

use std::{
    io::{self, BufRead, Write},
    path::PathBuf,
};

use ganome_genomics::hgvs::{DirectoryReferences, NormalizeError, normalize};

/// Arguments of `ganome hgvs`.
#[derive(Debug, clap::Args)]
pub struct HgvsArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: HgvsCommand,
}

/// `ganome hgvs` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum HgvsCommand {
    /// Normalise descriptions (3' shift, dup/repeat, delins simplification) and predict p.
    Normalize {
        /// Folder holding `<accession>.gff3` + `<accession>.fasta` (or LRG XML records).
        #[arg(long)]
        reference_dir: PathBuf,
        /// One description; without it, descriptions are read one per line from stdin.
        description: Option<String>,
    },
}

/// Runs `ganome hgvs`.
pub fn run(args: HgvsArgs) -> anyhow::Result<()> {
    match args.command {
        HgvsCommand::Normalize {
            reference_dir,
            description,
        } => {
            let mut refs = DirectoryReferences::new(reference_dir);
            let stdout = io::stdout();
            let mut out = stdout.lock();
            let mut emit = |d: &str| -> anyhow::Result<()> {
                let line = normalize_one(d, &mut refs);
                writeln!(out, "{line}")?;
                Ok(())
            };
            match description {
                Some(d) => emit(d.trim())?,
                None => {
                    for line in io::stdin().lock().lines() {
                        let line = line?;
                        let d = line.trim();
                        if !d.is_empty() {
                            emit(d)?;
                        }
                    }
                }
            }
            Ok(())
        }
    }
}

/// One output line, keys in the documented order: input, normalized, genomic, protein, error.
fn normalize_one(description: &str, refs: &mut DirectoryReferences) -> String {
    let (normalized, genomic, protein, error) = match normalize(description, refs) {
        Ok(n) => (n.normalized, n.genomic, n.protein, None),
        Err(e) => {
            if let NormalizeError::Parse(p) = &e {
                eprintln!("{}", p.pointer(description));
            }
            (None, None, None, Some(e.to_string()))
        }
    };
    let json = |v: &Option<String>| serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned());
    format!(
        "{{\"input\":{},\"normalized\":{},\"genomic\":{},\"protein\":{},\"error\":{}}}",
        serde_json::to_string(description).unwrap_or_else(|_| "\"\"".to_owned()),
        json(&normalized),
        json(&genomic),
        json(&protein),
        json(&error),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_against_the_mutalyzer_references() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/hgvs/mutalyzer/references");
        let mut refs = DirectoryReferences::new(dir);
        let line = normalize_one("NG_012337.1(SDHD_v001):c.274G>T", &mut refs);
        assert_eq!(
            line,
            "{\"input\":\"NG_012337.1(SDHD_v001):c.274G>T\",\
             \"normalized\":\"NG_012337.1(NM_003002.2):c.274G>T\",\
             \"genomic\":\"NG_012337.1:g.7125G>T\",\
             \"protein\":\"NG_012337.1(NP_002993.1):p.(Asp92Tyr)\",\"error\":null}"
        );
    }

    #[test]
    fn invalid_description_reports_the_offending_byte() {
        let mut refs = DirectoryReferences::new("/nonexistent");
        let line = normalize_one("NM_000143.3:c.45deluinsATC", &mut refs);
        assert!(line.starts_with("{\"input\":"), "{line}");
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        let err = v["error"].as_str().unwrap_or_default();
        assert!(err.contains("byte 19"), "{err}");
        assert!(err.contains("'u'"), "{err}");
        assert!(v["normalized"].is_null());
    }
}
