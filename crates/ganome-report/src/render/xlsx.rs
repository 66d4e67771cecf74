//! The TSV rows as a workbook (rust_xlsxwriter), plus a summary sheet. The workbook's
//! creation date is fixed to the report date (or 2000-01-01) so the bytes do not depend on
//! the clock.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::model::FindingsReport;
use crate::render::tsv;

fn creation_date(r: &FindingsReport) -> Result<ExcelDateTime, XlsxError> {
    let parsed = r.case.report_date.as_deref().and_then(|d| {
        let mut it = d.get(..10)?.split('-');
        let y: u16 = it.next()?.parse().ok()?;
        let m: u8 = it.next()?.parse().ok()?;
        let day: u8 = it.next()?.parse().ok()?;
        ExcelDateTime::from_ymd(y, m, day).ok()
    });
    match parsed {
        Some(d) => Ok(d),
        None => ExcelDateTime::from_ymd(2000, 1, 1),
    }
}

/// The workbook bytes.
pub fn render(r: &FindingsReport) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(format!("Ganome findings report {}", r.report_id))
        .set_author("Ganome")
        .set_creation_datetime(&creation_date(r)?);
    wb.set_properties(&props);
    let bold = Format::new().set_bold();

    let ws = wb.add_worksheet().set_name("alterations")?;
    for (c, h) in tsv::HEADER.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, row) in tsv::rows(r).iter().enumerate() {
        let rr = (i + 1) as u32;
        for (c, v) in row.iter().enumerate() {
            ws.write_string(rr, c as u16, v)?;
        }
    }

    let ws = wb.add_worksheet().set_name("summary")?;
    let mut row = 0u32;
    let mut kv = |ws: &mut rust_xlsxwriter::Worksheet, k: &str, v: &str| -> Result<(), XlsxError> {
        ws.write_string_with_format(row, 0, k, &bold)?;
        ws.write_string(row, 1, v)?;
        row += 1;
        Ok(())
    };
    kv(ws, "report_id", &r.report_id)?;
    kv(ws, "case_id", &r.case.case_id)?;
    kv(ws, "tumor_type", &r.case.tumor_type)?;
    kv(ws, "knowledge_release", &r.provenance.knowledge_release)?;
    kv(ws, "transcript_db", &r.provenance.transcript_db)?;
    if let Some(t) = &r.biomarkers.tmb {
        kv(
            ws,
            "tmb",
            &format!("{:.1} mut/Mb ({})", t.value, t.category),
        )?;
    }
    if let Some(m) = &r.biomarkers.msi {
        kv(ws, "msi", &m.status)?;
    }
    for (level, opts) in &r.summary.options_by_level {
        kv(ws, &format!("level {level}"), &opts.join("; "))?;
    }
    kv(
        ws,
        "genetic_counselling",
        &r.germline.referral.decision.clone(),
    )?;
    wb.save_to_buffer()
}
