//! TOML local dates (`2026-09-03`, unquoted) as chrono dates.
//!
//! The `toml` crate hands dates to serde as its own datetime type, which
//! chrono cannot read; data files (term dates, the demo caseload) use this
//! wrapper instead. A quoted "2026-09-03" is accepted too.

use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, Deserializer};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TomlDate(pub NaiveDate);

impl<'de> Deserialize<'de> for TomlDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let text = match Either::deserialize(deserializer)? {
            Either::Toml(datetime) => match (datetime.date, datetime.time) {
                (Some(date), None) => date.to_string(),
                _ => return Err(de::Error::custom(NotADate(datetime.to_string()))),
            },
            Either::Text(text) => text,
        };
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(TomlDate)
            .map_err(|_| de::Error::custom(NotADate(text)))
    }
}

struct NotADate(String);

impl fmt::Display for NotADate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a date (expected YYYY-MM-DD)", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Holder {
        on: TomlDate,
    }

    fn read(text: &str) -> Result<NaiveDate, String> {
        toml::from_str::<Holder>(text)
            .map(|holder| holder.on.0)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn reads_bare_and_quoted_dates() {
        let expected = NaiveDate::from_ymd_opt(2026, 9, 3);
        assert_eq!(read("on = 2026-09-03").ok(), expected);
        assert_eq!(read("on = \"2026-09-03\"").ok(), expected);
    }

    #[test]
    fn refuses_times_and_impossible_dates() {
        assert!(read("on = 2026-09-03T10:00:00").is_err_and(|e| e.contains("is not a date")));
        assert!(
            read("on = \"2026-02-30\"").is_err_and(|e| e.contains("\"2026-02-30\" is not a date"))
        );
    }
}
