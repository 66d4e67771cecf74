//! The national facility network shipped with Ganome: the seed's 11 core, 34 hub and 122
//! cooperative hospitals (data/facilities/hospitals.tsv), the data center and labs
//! (data/facilities/others.tsv). Both files are compiled in, so the binary needs no data
//! folder; their provenance is in data/facilities/PROVENANCE.md.

use ganome_core::{FacilityKind, Prefecture, parse_date};
use ganome_store::NewFacility;
use thiserror::Error;
use time::Date;

use crate::{Ganome, ServiceError};

const HOSPITALS_TSV: &str = include_str!("../../../data/facilities/hospitals.tsv");
const OTHERS_TSV: &str = include_str!("../../../data/facilities/others.tsv");

/// The cooperative→core/hub links in the seed are assigned by region (the document does
/// not give them); they are taken as in force from the start of the network so that
/// cases from 2019 onwards route to a panel.
pub const LINKS_VALID_FROM: &str = "2018-04-01";

/// A row of a network file that cannot be read.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{file} line {line}, field {field}: {message}")]
pub struct NetworkError {
    /// File name.
    pub file: &'static str,
    /// 1-based line.
    pub line: usize,
    /// Column name.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// One facility of the shipped network with its designation and link.
#[derive(Debug, Clone)]
pub struct NetworkFacility {
    /// The facility.
    pub facility: NewFacility,
    /// Start of the designation, when known.
    pub designated_from: Option<Date>,
    /// The core or hub hospital a cooperative hospital is linked to, and the link's source.
    pub linked_to: Option<(String, String)>,
}

struct Table<'a> {
    file: &'static str,
    header: Vec<&'a str>,
    rows: Vec<(usize, Vec<&'a str>)>,
}

impl<'a> Table<'a> {
    fn parse(file: &'static str, text: &'a str) -> Table<'a> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let header = lines
            .next()
            .map(|(_, h)| h.split('\t').collect())
            .unwrap_or_default();
        let rows = lines
            .map(|(i, l)| (i + 1, l.split('\t').collect()))
            .collect();
        Table { file, header, rows }
    }

    fn get(&self, line: usize, row: &[&'a str], field: &str) -> Result<&'a str, NetworkError> {
        let err = |message: &str| NetworkError {
            file: self.file,
            line,
            field: field.to_owned(),
            message: message.to_owned(),
        };
        let i = self
            .header
            .iter()
            .position(|h| *h == field)
            .ok_or_else(|| err("no such column"))?;
        row.get(i)
            .map(|v| v.trim())
            .ok_or_else(|| err("missing value"))
    }

    fn error(&self, line: usize, field: &str, message: String) -> NetworkError {
        NetworkError {
            file: self.file,
            line,
            field: field.to_owned(),
            message,
        }
    }
}

/// Reads the shipped network.
pub fn shipped_network() -> Result<Vec<NetworkFacility>, NetworkError> {
    let mut out = Vec::new();
    for (file, text) in [("hospitals.tsv", HOSPITALS_TSV), ("others.tsv", OTHERS_TSV)] {
        let t = Table::parse(file, text);
        for (line, row) in &t.rows {
            let (line, row) = (*line, row.as_slice());
            let kind_text = t.get(line, row, "kind")?;
            let kind = match kind_text {
                "sequencing_lab" => FacilityKind::Lab,
                other => other.parse().map_err(|e: ganome_core::UnknownVariant| {
                    t.error(line, "kind", e.to_string())
                })?,
            };
            let prefecture_code = t.get(line, row, "prefecture_code")?.to_owned();
            if !prefecture_code.is_empty() && Prefecture::by_code(&prefecture_code).is_none() {
                return Err(t.error(
                    line,
                    "prefecture_code",
                    format!("'{prefecture_code}' is not 01–47"),
                ));
            }
            let name_en = t.get(line, row, "name_en")?;
            let may_host_panel = if file == "hospitals.tsv" {
                match t.get(line, row, "may_host_panel")? {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(t.error(
                            line,
                            "may_host_panel",
                            format!("'{other}' is not true/false"),
                        ));
                    }
                }
            } else {
                false
            };
            let designated_from = if file == "hospitals.tsv" {
                match t.get(line, row, "designated_from")? {
                    "" => None,
                    d => Some(parse_date(d).map_err(|m| t.error(line, "designated_from", m))?),
                }
            } else {
                None
            };
            let linked_to = if file == "hospitals.tsv" {
                match t.get(line, row, "linked_to")? {
                    "" => None,
                    parent => Some((
                        parent.to_owned(),
                        t.get(line, row, "link_source")?.to_owned(),
                    )),
                }
            } else {
                None
            };
            if kind == FacilityKind::CooperativeHospital && linked_to.is_none() {
                return Err(t.error(
                    line,
                    "linked_to",
                    "a cooperative hospital needs its core or hub hospital".into(),
                ));
            }
            out.push(NetworkFacility {
                facility: NewFacility {
                    id: t.get(line, row, "code")?.to_owned(),
                    kind,
                    name_ja: t.get(line, row, "name_ja")?.to_owned(),
                    name_en: (!name_en.is_empty()).then(|| name_en.to_owned()),
                    prefecture_code,
                    may_host_panel,
                },
                designated_from,
                linked_to,
            });
        }
    }
    Ok(out)
}

/// How many facilities of each kind were loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkCounts {
    /// Core hospitals.
    pub core: usize,
    /// Hub hospitals.
    pub hub: usize,
    /// Cooperative hospitals.
    pub cooperative: usize,
    /// Labs.
    pub labs: usize,
    /// Data centers.
    pub data_centers: usize,
}

impl Ganome {
    /// Loads (or refreshes) the shipped network: facilities, designations and links.
    /// Idempotent.
    pub async fn load_shipped_network(&self) -> Result<NetworkCounts, ServiceError> {
        let network =
            shipped_network().map_err(|e| ServiceError::invalid("network", e.to_string()))?;
        let links_from =
            parse_date(LINKS_VALID_FROM).map_err(|m| ServiceError::invalid("network", m))?;
        let mut counts = NetworkCounts::default();
        for f in &network {
            self.store.upsert_facility(&f.facility).await?;
            if let Some(from) = f.designated_from {
                self.store
                    .add_designation(&f.facility.id, from, None)
                    .await?;
            }
            match f.facility.kind {
                FacilityKind::CoreHospital => counts.core += 1,
                FacilityKind::HubHospital => counts.hub += 1,
                FacilityKind::CooperativeHospital => counts.cooperative += 1,
                FacilityKind::Lab => counts.labs += 1,
                FacilityKind::DataCenter => counts.data_centers += 1,
                FacilityKind::ResearchAcademia | FacilityKind::ResearchIndustry => {}
            }
        }
        for f in &network {
            if let Some((parent, source)) = &f.linked_to {
                self.store
                    .add_facility_link(&f.facility.id, parent, links_from, source)
                    .await?;
            }
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_network_has_the_seed_counts_and_valid_links() {
        let net = shipped_network().unwrap();
        let count = |k| net.iter().filter(|f| f.facility.kind == k).count();
        assert_eq!(count(FacilityKind::CoreHospital), 11);
        assert_eq!(count(FacilityKind::HubHospital), 34);
        assert_eq!(count(FacilityKind::CooperativeHospital), 122);
        assert_eq!(count(FacilityKind::DataCenter), 1);
        assert!(count(FacilityKind::Lab) >= 2);
        for f in &net {
            if let Some((parent, _)) = &f.linked_to {
                let p = net
                    .iter()
                    .find(|p| &p.facility.id == parent)
                    .expect("link target exists");
                assert!(
                    p.facility.kind.may_be_linked_to(),
                    "{} links to {}",
                    f.facility.id,
                    parent
                );
            }
        }
        let ids: std::collections::HashSet<_> = net.iter().map(|f| &f.facility.id).collect();
        assert_eq!(ids.len(), net.len(), "codes are unique");
    }
}
