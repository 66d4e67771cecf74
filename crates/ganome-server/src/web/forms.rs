//! Form posts: reading `application/x-www-form-urlencoded` fields into the service's request
//! types, and the state a form is shown again with when the service refuses it.
//!
//! Inputs are named by the service's field paths (`recommendations[0].drug`), so the
//! [`ValidationErrors`] the service returns land next to the input that caused them without a
//! mapping table; errors found while reading the form (a date that is not a date) use the
//! same paths. A refused form keeps what the user typed.

use std::collections::HashMap;
use std::str::FromStr;

use ganome_core::{Timestamp, ValidationErrors, parse_date};
use ganome_service::ServiceError;
use time::Date;

use super::i18n::Lang;

/// The fields of one submitted form, in order (a name may repeat).
#[derive(Debug, Clone, Default)]
pub(crate) struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The trimmed value of `name`, `None` when absent or blank.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The value of `name` as owned text (empty when absent).
    pub(crate) fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_owned()
    }

    /// The value, or `None` when blank.
    pub(crate) fn opt_text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    /// Whether a checkbox was ticked.
    pub(crate) fn checked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// A required value parsed as `T` (an enum option, a number); records the error.
    pub(crate) fn required<T: FromStr>(
        &self,
        errors: &mut ValidationErrors,
        name: &str,
        what: &'static str,
    ) -> Option<T> {
        match self.get(name) {
            None => {
                errors.add(name, "required");
                None
            }
            Some(v) => self.parse_value(errors, name, v, what),
        }
    }

    /// An optional value parsed as `T`; records the error when present but unreadable.
    pub(crate) fn optional<T: FromStr>(
        &self,
        errors: &mut ValidationErrors,
        name: &str,
        what: &'static str,
    ) -> Option<T> {
        self.get(name)
            .and_then(|v| self.parse_value(errors, name, v, what))
    }

    fn parse_value<T: FromStr>(
        &self,
        errors: &mut ValidationErrors,
        name: &str,
        v: &str,
        what: &'static str,
    ) -> Option<T> {
        match v.parse() {
            Ok(x) => Some(x),
            Err(_) => {
                errors.add(name, what);
                None
            }
        }
    }

    /// A required date (`YYYY-MM-DD`, as date inputs send it).
    pub(crate) fn required_date(&self, errors: &mut ValidationErrors, name: &str) -> Option<Date> {
        match self.get(name) {
            None => {
                errors.add(name, "required");
                None
            }
            Some(v) => date(errors, name, v),
        }
    }

    /// An optional date.
    pub(crate) fn optional_date(&self, errors: &mut ValidationErrors, name: &str) -> Option<Date> {
        self.get(name).and_then(|v| date(errors, name, v))
    }

    /// An optional time from a `datetime-local` input, read as Japan time.
    pub(crate) fn optional_local_time(
        &self,
        errors: &mut ValidationErrors,
        name: &str,
    ) -> Option<Timestamp> {
        let v = self.get(name)?;
        let with_seconds = if v.len() == 16 {
            format!("{v}:00")
        } else {
            v.to_owned()
        };
        match Timestamp::parse(&format!("{with_seconds}+09:00")) {
            Ok(t) => Some(t),
            Err(_) => {
                errors.add(name, "not a date and time");
                None
            }
        }
    }
}

fn date(errors: &mut ValidationErrors, name: &str, v: &str) -> Option<Date> {
    match parse_date(v) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(name, "not a date (YYYY-MM-DD)");
            None
        }
    }
}

/// A form shown again: its DOM id, the values typed, the errors by field path and a message
/// for the whole form (a refusal that names no field).
#[derive(Debug, Clone, Default)]
pub(crate) struct FormState {
    /// The form's DOM id (`form-explain`, `form-response-<id>`).
    pub id: String,
    values: HashMap<String, String>,
    checked: Vec<String>,
    errors: HashMap<String, Vec<String>>,
    /// A message for the whole form.
    pub general: Option<String>,
    lang: Lang,
}

impl FormState {
    /// The state of form `id` after the service answered `error` to `data`.
    pub(crate) fn refused(id: &str, data: &FormData, error: &ServiceError, lang: Lang) -> Self {
        let mut s = FormState {
            id: id.to_owned(),
            lang,
            ..FormState::default()
        };
        for (k, v) in &data.0 {
            if !v.trim().is_empty() {
                s.checked.push(k.clone());
            }
            s.values.entry(k.clone()).or_insert_with(|| v.clone());
        }
        match error {
            ServiceError::Invalid(v) => {
                for e in &v.errors {
                    s.errors
                        .entry(e.field.clone())
                        .or_default()
                        .push(lang.message(&e.message));
                }
                s.general = Some(lang.error_invalid().to_owned());
            }
            ServiceError::Forbidden(m) | ServiceError::Conflict(m) | ServiceError::NotFound(m) => {
                s.general = Some(lang.message(m));
            }
            ServiceError::Engine(m) => {
                s.general = Some(format!("{} ({})", lang.error_engine(), m));
            }
            ServiceError::Unauthenticated => {
                s.general = Some(lang.log_in().to_owned());
            }
            ServiceError::SecondFactorRequired => {
                s.general = Some(lang.second_factor_required().to_owned());
            }
            ServiceError::Throttled { .. } => {
                s.general = Some(lang.login_throttled().to_owned());
            }
            ServiceError::Store(_) => s.general = Some(lang.error_internal().to_owned()),
        }
        s
    }

    /// Form `id` shown with values (a filter form showing the filters in force).
    pub(crate) fn filled(id: &str, data: &FormData, lang: Lang) -> Self {
        let mut s = FormState {
            id: id.to_owned(),
            lang,
            ..FormState::default()
        };
        for (k, v) in &data.0 {
            s.values.entry(k.clone()).or_insert_with(|| v.clone());
        }
        s
    }

    /// This state when it is form `id`'s, else an empty state for form `id`.
    pub(crate) fn for_id(&self, id: &str) -> FormState {
        if self.id == id {
            self.clone()
        } else {
            FormState {
                id: id.to_owned(),
                lang: self.lang,
                ..FormState::default()
            }
        }
    }

    /// Whether this form was refused (so its `<details>` opens).
    pub(crate) fn refused_here(&self) -> bool {
        self.general.is_some() || !self.errors.is_empty()
    }

    /// The value typed into `name`, else `default`.
    pub(crate) fn v(&self, name: &str, default: &str) -> String {
        self.values
            .get(name)
            .cloned()
            .unwrap_or_else(|| default.to_owned())
    }

    /// Whether the value of select `name` is `option` (or, on first show, `default`).
    pub(crate) fn sel(&self, name: &str, option: &str, default: &str) -> bool {
        match self.values.get(name) {
            Some(v) => v == option,
            None => option == default,
        }
    }

    /// Whether checkbox `name` is ticked (or, on first show, `default`).
    pub(crate) fn ck(&self, name: &str, default: impl std::borrow::Borrow<bool>) -> bool {
        if self.values.is_empty() {
            *default.borrow()
        } else {
            self.checked.iter().any(|c| c == name)
        }
    }

    /// Whether `name` has an error.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.errors.contains_key(name)
    }

    /// The errors of `name`, joined.
    pub(crate) fn err(&self, name: &str) -> String {
        self.errors
            .get(name)
            .map(|v| v.join(" / "))
            .unwrap_or_default()
    }

    /// A DOM id for input `name` of this form (unique on the page).
    pub(crate) fn dom(&self, name: &str) -> String {
        let clean: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        format!("{}-{clean}", self.id)
    }

    /// Errors on fields the form does not show (so no error is ever lost).
    pub(crate) fn other_errors<'a, S: AsRef<[&'a str]> + ?Sized>(&self, shown: &S) -> Vec<String> {
        let shown = shown.as_ref();
        let mut v: Vec<String> = self
            .errors
            .iter()
            .filter(|(k, _)| !shown.contains(&k.as_str()))
            .map(|(k, m)| format!("{k}: {}", m.join(" / ")))
            .collect();
        v.sort();
        v
    }

    /// The page language (so form fragments can label themselves).
    pub(crate) fn lang(&self) -> Lang {
        self.lang
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn reading_records_errors_by_field_path() {
        let f = form(&[
            ("line", "x"),
            ("started_on", "2024-13-01"),
            ("recommendations[0].drug", " sotorasib "),
            ("at", "2024-04-02T10:30"),
        ]);
        let mut e = ValidationErrors::new();
        assert_eq!(
            f.required::<i64>(&mut e, "line", "not a whole number"),
            None
        );
        assert_eq!(f.required_date(&mut e, "started_on"), None);
        assert_eq!(f.required_date(&mut e, "ended_on"), None);
        assert_eq!(f.text("recommendations[0].drug"), "sotorasib");
        assert_eq!(
            f.optional_local_time(&mut e, "at").unwrap().to_string(),
            "2024-04-02T01:30:00Z"
        );
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["line", "started_on", "ended_on"]);
    }

    #[test]
    fn a_refused_form_keeps_input_and_places_errors() {
        let f = form(&[("grade", "0"), ("ctcae_term", "Nausea")]);
        let err = ServiceError::invalid("grade", "must be a CTCAE grade 1 to 5");
        let s = FormState::refused("form-ae", &f, &err, Lang::default());
        assert_eq!(s.v("ctcae_term", ""), "Nausea");
        assert!(s.has("grade") && !s.has("ctcae_term"));
        assert_eq!(s.err("grade"), "CTCAE グレード 1〜5 を指定してください");
        assert!(s.for_id("form-other").v("ctcae_term", "").is_empty());
        assert_eq!(
            s.dom("recommendations[0].drug"),
            "form-ae-recommendations-0--drug"
        );
    }
}
