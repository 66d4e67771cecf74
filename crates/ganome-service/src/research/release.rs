//! What a de-identified release holds, and how a case is reduced to it.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use utoipa::ToSchema;

use ganome_core::{ResearchSector, Timestamp};
use ganome_store::Consent;

/// One case of a release (one line of the NDJSON file). Nothing in it names the patient, the
/// hospital or a record number; dates are year-month; ages are 5-year bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReleaseRecord {
    /// Per-release research id (研究用ID): a keyed hash of the patient under a key made for
    /// this release and then discarded, so the same patient has different ids in different
    /// releases and ids cannot be recomputed.
    pub research_id: String,
    /// OncoTree code of the case.
    pub oncotree_code: String,
    /// Year and month of registration (`2024-05`).
    pub registered_ym: String,
    /// Sex (`demographics`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// Age at registration in a 5-year band (`60-64`; `demographics`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<String>,
    /// The ordering hospital's tier (`core_hospital`, `hub_hospital`,
    /// `cooperative_hospital`; `demographics`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility_tier: Option<String>,
    /// The ordering hospital's prefecture (JIS X 0401 code; `demographics`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefecture_code: Option<String>,
    /// Reported alterations of the latest findings version (`alterations`).
    #[serde(default)]
    pub alterations: Vec<ReleaseAlteration>,
    /// Treatments and best response (`treatments`).
    #[serde(default)]
    pub treatments: Vec<ReleaseTreatment>,
}

/// One reported alteration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReleaseAlteration {
    /// HGNC symbol.
    pub gene: String,
    /// The report's label (`EGFR L858R`, `ERBB2 amplification`).
    pub label: String,
    /// Kind (`snv`, `indel`, `amplification`, `fusion`, …).
    pub kind: String,
    /// HGVS protein description.
    pub hgvs_p: Option<String>,
    /// HGVS coding description.
    pub hgvs_c: Option<String>,
    /// Best evidence level (three-society guidance, edition 2.x), if any.
    pub evidence_level: Option<String>,
}

/// One treatment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReleaseTreatment {
    /// Line of therapy.
    pub line: i64,
    /// Regimen.
    pub regimen: String,
    /// Whether it follows an expert-panel recommendation.
    pub on_recommendation: bool,
    /// Access route (`approved`, `trial`, …).
    pub access_route: String,
    /// Year and month started.
    pub started_ym: String,
    /// Best response (RECIST), if recorded.
    pub best_response: Option<String>,
}

/// Why a case in scope is not in a release (or no longer in query answers).
pub(crate) type Exclusion = &'static str;

/// The consent in force at `at`: the latest given at or before it (ties by id). A later
/// withdrawal of it means no consent is in force — an earlier consent does not revive.
pub(crate) fn consent_in_force(consents: &[Consent], at: Timestamp) -> Option<&Consent> {
    consents
        .iter()
        .filter(|c| c.given_at <= at)
        .max_by(|a, b| (a.given_at, &a.id).cmp(&(b.given_at, &b.id)))
}

/// The consent that allows the sector's use at `at`, or why none does.
pub(crate) fn eligible_consent(
    consents: &[Consent],
    sector: ResearchSector,
    at: Timestamp,
) -> Result<&Consent, Exclusion> {
    let c = consent_in_force(consents, at).ok_or("no_consent")?;
    if c.withdrawn_at.is_some_and(|w| w <= at) {
        return Err("consent_withdrawn");
    }
    if !c.items.registration || !c.items.allows_secondary_use() {
        return Err("secondary_use_declined");
    }
    if !sector.allowed_by(&c.items) {
        return Err("sector_not_consented");
    }
    Ok(c)
}

/// The research id of `patient_id` under a release's key.
pub(crate) fn research_id(key: &[u8], patient_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(patient_id.as_bytes());
    let digest = mac.finalize().into_bytes();
    format!("RID-{}", hex::encode(&digest[..10]))
}

/// Age in whole years at `(year, month)` for a birth `(year, month)`, in a 5-year band.
pub(crate) fn age_band(birth: (i64, i64), at: (i64, i64)) -> String {
    let age = at.0 - birth.0 - i64::from(at.1 < birth.1);
    let lo = age.max(0) / 5 * 5;
    format!("{lo}-{}", lo + 4)
}

/// `YYYY-MM` of a date.
pub(crate) fn year_month(d: time::Date) -> String {
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

/// The CSV file: one row per (case, alteration); cases without an alteration get one row
/// with empty alteration fields.
pub(crate) fn to_csv(records: &[ReleaseRecord]) -> String {
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    }
    let mut out = ALTERATION_COLUMNS.join(",");
    out.push('\n');
    for row in alteration_rows(records) {
        let line: Vec<String> = row.iter().map(|v| field(v.unwrap_or(""))).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// The columns of the per-alteration tables (CSV and Parquet), in order.
const ALTERATION_COLUMNS: [&str; 13] = [
    "research_id",
    "oncotree_code",
    "registered_ym",
    "sex",
    "age_band",
    "facility_tier",
    "prefecture_code",
    "gene",
    "label",
    "kind",
    "hgvs_p",
    "hgvs_c",
    "evidence_level",
];

/// The rows of the per-alteration tables: one per (case, alteration), a case without an
/// alteration as one row with empty alteration fields; `None` for a value not released.
fn alteration_rows(records: &[ReleaseRecord]) -> Vec<[Option<&str>; 13]> {
    let mut rows: Vec<[Option<&str>; 13]> = Vec::new();
    for r in records {
        let head = [
            Some(r.research_id.as_str()),
            Some(r.oncotree_code.as_str()),
            Some(r.registered_ym.as_str()),
            r.sex.as_deref(),
            r.age_band.as_deref(),
            r.facility_tier.as_deref(),
            r.prefecture_code.as_deref(),
        ];
        let tails: Vec<[Option<&str>; 6]> = if r.alterations.is_empty() {
            vec![[None; 6]]
        } else {
            r.alterations
                .iter()
                .map(|a| {
                    [
                        Some(a.gene.as_str()),
                        Some(a.label.as_str()),
                        Some(a.kind.as_str()),
                        a.hgvs_p.as_deref(),
                        a.hgvs_c.as_deref(),
                        a.evidence_level.as_deref(),
                    ]
                })
                .collect()
        };
        for tail in tails {
            let mut row = [None; 13];
            row[..7].copy_from_slice(&head);
            row[7..].copy_from_slice(&tail);
            rows.push(row);
        }
    }
    rows
}

/// The Parquet file (DESIGN §4: readable as it is by DuckDB, Spark, Trino or pandas): the
/// CSV's table, one row per (case, alteration), every column an optional UTF-8 string,
/// Snappy-compressed, one row group.
pub(crate) fn to_parquet(
    records: &[ReleaseRecord],
) -> Result<Vec<u8>, parquet::errors::ParquetError> {
    use std::sync::Arc;

    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    let fields: String = ALTERATION_COLUMNS
        .iter()
        .map(|c| format!("OPTIONAL BYTE_ARRAY {c} (UTF8); "))
        .collect();
    let schema = Arc::new(parse_message_type(&format!(
        "message ganome_release_alterations {{ {fields}}}"
    ))?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("ganome {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let rows = alteration_rows(records);
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, props)?;
    let mut group = writer.next_row_group()?;
    let mut column = 0;
    while let Some(mut col) = group.next_column()? {
        let mut values = Vec::with_capacity(rows.len());
        let mut levels = Vec::with_capacity(rows.len());
        for row in &rows {
            match row[column] {
                Some(v) => {
                    values.push(ByteArray::from(v));
                    levels.push(1);
                }
                None => levels.push(0),
            }
        }
        col.typed::<ByteArrayType>()
            .write_batch(&values, Some(&levels), None)?;
        col.close()?;
        column += 1;
    }
    group.close()?;
    writer.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ganome_core::{ConsentItems, ConsentMethod, GermlineDisclosure};

    fn consent(id: &str, given: &str, withdrawn: Option<&str>, a: bool, i: bool) -> Consent {
        Consent {
            id: id.into(),
            patient_id: "p".into(),
            form_version: "1".into(),
            method: ConsentMethod::Paper,
            items: ConsentItems {
                registration: true,
                secondary_use_academia: a,
                secondary_use_industry: i,
                overseas_transfer: false,
                recontact: false,
                germline_disclosure: GermlineDisclosure::Undecided,
            },
            given_at: Timestamp::parse(given).unwrap(),
            withdrawn_at: withdrawn.map(|w| Timestamp::parse(w).unwrap()),
            recorded_by: "u".into(),
        }
    }

    #[test]
    fn the_latest_consent_decides_and_a_withdrawal_is_final() {
        let at = Timestamp::parse("2025-01-01").unwrap();
        let academia = ResearchSector::Academia;
        let cs = [
            consent("a", "2024-01-01", None, true, true),
            consent("b", "2024-06-01", Some("2024-09-01"), true, true),
        ];
        assert_eq!(
            eligible_consent(&cs, academia, at),
            Err("consent_withdrawn")
        );
        // Before the withdrawal, the later consent was in force.
        let before = Timestamp::parse("2024-08-01").unwrap();
        assert_eq!(eligible_consent(&cs, academia, before).unwrap().id, "b");
        let narrow = [consent("c", "2024-01-01", None, true, false)];
        assert_eq!(
            eligible_consent(&narrow, ResearchSector::Industry, at),
            Err("sector_not_consented")
        );
        let none = [consent("d", "2024-01-01", None, false, false)];
        assert_eq!(
            eligible_consent(&none, academia, at),
            Err("secondary_use_declined")
        );
        assert_eq!(eligible_consent(&[], academia, at), Err("no_consent"));
    }

    #[test]
    fn research_ids_depend_on_the_key() {
        let a = research_id(b"release one key", "patient");
        let b = research_id(b"release two key", "patient");
        assert_ne!(a, b);
        assert_eq!(a, research_id(b"release one key", "patient"));
        assert_eq!(a.len(), 4 + 20);
    }

    #[test]
    fn ages_fall_in_five_year_bands() {
        assert_eq!(age_band((1962, 5), (2024, 5)), "60-64"); // 62
        assert_eq!(age_band((1962, 5), (2027, 4)), "60-64"); // 64, birthday not reached
        assert_eq!(age_band((1962, 5), (2027, 5)), "65-69");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let r = ReleaseRecord {
            research_id: "RID-1".into(),
            oncotree_code: "LUAD".into(),
            registered_ym: "2024-05".into(),
            sex: None,
            age_band: None,
            facility_tier: None,
            prefecture_code: None,
            alterations: vec![ReleaseAlteration {
                gene: "EGFR".into(),
                label: "EGFR L858R, \"hot\"".into(),
                kind: "snv".into(),
                hgvs_p: Some("p.(Leu858Arg)".into()),
                hgvs_c: None,
                evidence_level: Some("A".into()),
            }],
            treatments: vec![],
        };
        let csv = to_csv(&[r]);
        assert!(
            csv.ends_with(
                "RID-1,LUAD,2024-05,,,,,EGFR,\"EGFR L858R, \"\"hot\"\"\",snv,p.(Leu858Arg),,A\n"
            ),
            "{csv}"
        );
    }

    #[test]
    fn parquet_holds_the_csv_table_with_nulls() {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        use parquet::record::RowAccessor;

        let alteration = |gene: &str, p: Option<&str>| ReleaseAlteration {
            gene: gene.into(),
            label: format!("{gene} x"),
            kind: "snv".into(),
            hgvs_p: p.map(Into::into),
            hgvs_c: None,
            evidence_level: Some("B".into()),
        };
        let records = vec![
            ReleaseRecord {
                research_id: "RID-1".into(),
                oncotree_code: "LUAD".into(),
                registered_ym: "2024-05".into(),
                sex: Some("female".into()),
                age_band: Some("60-64".into()),
                facility_tier: None,
                prefecture_code: Some("13".into()),
                alterations: vec![
                    alteration("EGFR", Some("p.(Leu858Arg)")),
                    alteration("TP53", None),
                ],
                treatments: vec![],
            },
            ReleaseRecord {
                research_id: "RID-2".into(),
                oncotree_code: "COAD".into(),
                registered_ym: "2024-06".into(),
                sex: None,
                age_band: None,
                facility_tier: None,
                prefecture_code: None,
                alterations: vec![],
                treatments: vec![],
            },
        ];
        let bytes = to_parquet(&records).unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
        let meta = reader.metadata();
        assert_eq!(
            meta.file_metadata().num_rows(),
            3,
            "two alterations, one bare case"
        );
        let names: Vec<&str> = meta
            .file_metadata()
            .schema_descr()
            .columns()
            .iter()
            .map(|c| c.name())
            .collect();
        assert_eq!(names, ALTERATION_COLUMNS);
        let rows: Vec<_> = reader
            .get_row_iter(None)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows[0].get_string(0).unwrap(), "RID-1");
        assert_eq!(rows[0].get_string(10).unwrap(), "p.(Leu858Arg)");
        assert!(
            rows[1].get_string(10).is_err(),
            "no p. description is a null"
        );
        assert_eq!(rows[1].get_string(7).unwrap(), "TP53");
        assert_eq!(rows[2].get_string(1).unwrap(), "COAD");
        assert!(
            rows[2].get_string(7).is_err(),
            "a case without alterations has no gene"
        );
        // The CSV has the same rows.
        assert_eq!(to_csv(&records).lines().count(), 1 + 3);
    }
}
