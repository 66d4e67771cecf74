//! Renderers: each takes a [`FindingsReport`](crate::FindingsReport) and returns bytes. None
//! reads the clock or the environment, so rendering twice gives identical bytes.

pub mod fhir;
pub mod html;
pub mod json;
pub mod tsv;
pub mod xlsx;

/// A file name and its bytes, as written by `ganome annotate --out DIR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// File name (`report.json`, …).
    pub name: &'static str,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Errors while rendering.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The HTML template failed.
    #[error("html: {0}")]
    Html(#[from] askama::Error),
    /// The workbook could not be written.
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// JSON serialisation failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

/// All six report files: JSON, HTML (ja, en), FHIR, TSV, XLSX.
pub fn render_all(r: &crate::FindingsReport) -> Result<Vec<RenderedFile>, RenderError> {
    use crate::Lang;
    Ok(vec![
        RenderedFile {
            name: "report.json",
            bytes: json::render(r)?,
        },
        RenderedFile {
            name: "report.ja.html",
            bytes: html::render(r, Lang::Ja)?.into_bytes(),
        },
        RenderedFile {
            name: "report.en.html",
            bytes: html::render(r, Lang::En)?.into_bytes(),
        },
        RenderedFile {
            name: "report.fhir.json",
            bytes: fhir::render(r)?,
        },
        RenderedFile {
            name: "report.tsv",
            bytes: tsv::render(r).into_bytes(),
        },
        RenderedFile {
            name: "report.xlsx",
            bytes: xlsx::render(r)?,
        },
    ])
}
