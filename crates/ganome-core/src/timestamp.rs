//! Timestamps as RFC 3339 UTC text with second precision, so they sort as text in any
//! database and compare equal across SQLite and PostgreSQL.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, UtcOffset, format_description::well_known::Rfc3339};

/// A point in time, always UTC, second precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// The current time, truncated to the second.
    pub fn now() -> Timestamp {
        Timestamp::from_datetime(OffsetDateTime::now_utc())
    }

    /// Wraps a date-time, converting to UTC and truncating to the second.
    pub fn from_datetime(dt: OffsetDateTime) -> Timestamp {
        let dt = dt.to_offset(UtcOffset::UTC);
        Timestamp(dt.replace_nanosecond(0).unwrap_or(dt))
    }

    /// Midnight UTC of a date.
    pub fn from_date(date: Date) -> Timestamp {
        Timestamp(date.midnight().assume_utc())
    }

    /// The wrapped date-time.
    pub fn datetime(self) -> OffsetDateTime {
        self.0
    }

    /// The UTC calendar date.
    pub fn date(self) -> Date {
        self.0.date()
    }

    /// The calendar date in Japan (JST, UTC+9; Japan keeps no daylight saving time): what
    /// a clinical date such as an explanation or treatment start is compared with.
    pub fn date_jst(self) -> Date {
        self.0
            .to_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap_or(time::UtcOffset::UTC))
            .date()
    }

    /// Parses RFC 3339 text (any offset) or a plain `YYYY-MM-DD` date (midnight UTC).
    pub fn parse(text: &str) -> Result<Timestamp, String> {
        if let Ok(dt) = OffsetDateTime::parse(text, &Rfc3339) {
            return Ok(Timestamp::from_datetime(dt));
        }
        parse_date(text).map(Timestamp::from_date).map_err(|_| {
            format!(
                "'{text}' is not an RFC 3339 time (2019-06-01T09:00:00Z) or a date (2019-06-01)"
            )
        })
    }

    /// Seconds since the Unix epoch.
    pub fn unix(self) -> i64 {
        self.0.unix_timestamp()
    }
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).map_err(|_| format!("'{text}' is not a date (YYYY-MM-DD)"))
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let format =
            time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
        match self.0.format(&format) {
            Ok(s) => f.write_str(&s),
            Err(_) => Err(std::fmt::Error),
        }
    }
}

impl std::str::FromStr for Timestamp {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::DateTime,
            )))
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japan_is_nine_hours_ahead() {
        let t = Timestamp::parse("2026-11-25T14:59:59Z").unwrap();
        assert_eq!(t.date_jst().to_string(), "2026-11-25");
        let t = Timestamp::parse("2026-11-25T15:00:00Z").unwrap();
        assert_eq!(t.date().to_string(), "2026-11-25");
        assert_eq!(t.date_jst().to_string(), "2026-11-26");
    }

    #[test]
    fn formats_utc_seconds_and_sorts_as_text() {
        let a = Timestamp::parse("2019-06-01T18:30:00+09:00").unwrap();
        assert_eq!(a.to_string(), "2019-06-01T09:30:00Z");
        let b = Timestamp::parse("2019-06-02").unwrap();
        assert_eq!(b.to_string(), "2019-06-02T00:00:00Z");
        assert!(a.to_string() < b.to_string());
        assert!(Timestamp::parse("June 1st").is_err());
    }
}
