//! The audit trail for auditors and administrators (監査ログ): the same search as
//! `GET /api/v1/audit`, a table with links to the cases it names, paging backwards, and the
//! hash-chain check on request. Reading the page is itself audited by the service.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use ganome_service::{AuditSearch, ServiceError};
use ganome_store::{AuditRecord, ChainReport};
use serde::Deserialize;

use super::i18n::Lang;
use super::page::{Nav, error_page, render};
use super::session::WebUser;
use crate::AppState;

/// The page's query: the search, `verify=1` to check the chain, and the language.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct AuditPageQuery {
    #[serde(flatten)]
    search: AuditSearch,
    verify: Option<String>,
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Lang,
    nav: Option<Nav>,
    search: AuditSearch,
    rows: Vec<AuditRecord>,
    errors: Vec<String>,
    chain: Option<ChainReport>,
    outcomes: &'static [&'static str],
    older: Option<String>,
}

impl AuditPage {
    fn v<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }

    /// Whether `o` is the outcome searched for.
    fn is_outcome(&self, o: &str) -> bool {
        self.search.outcome.as_deref() == Some(o)
    }

    /// Where the entity of a row is shown, if it has a page.
    fn entity_link(&self, r: &AuditRecord) -> Option<String> {
        let id = r.entry.entity_id.as_deref()?;
        let path = match r.entry.entity_type.as_str() {
            "case" => "cases",
            "patient" => "patients",
            "meeting" => "panel/meetings",
            _ => return None,
        };
        Some(format!("/{path}/{id}{}", self.l.q()))
    }

    /// A link that narrows the search to this entity.
    fn entity_search(&self, id: &str) -> String {
        format!("/audit?entity={id}{}", self.l.amp())
    }
}

/// The query string of `search` with `before`, for the next page.
fn page_query(search: &AuditSearch, before: i64, l: Lang) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("user", &search.user),
        ("action", &search.action),
        ("entity", &search.entity),
        ("outcome", &search.outcome),
        ("from", &search.from),
        ("to", &search.to),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            pairs.append_pair(k, v);
        }
    }
    pairs.append_pair("before", &before.to_string());
    if l.en {
        pairs.append_pair("lang", "en");
    }
    format!("/audit?{}", pairs.finish())
}

pub(crate) async fn page(
    State(state): State<AppState>,
    user: WebUser,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<AuditPageQuery>,
) -> Response {
    let l = Lang {
        en: q.lang.as_deref() == Some("en"),
    };
    let nav = Nav::new(&user, &uri, l, "audit");
    let limit = 100;
    let search = AuditSearch {
        limit: Some(limit),
        ..q.search
    };
    let chain = if q.verify.is_some() {
        match state.ganome.verify_audit_as(&user.actor).await {
            Ok(r) => Some(r),
            Err(e) => return error_page(e, l, Some(nav), &headers),
        }
    } else {
        None
    };
    let (rows, errors, status) = match state.ganome.search_audit(&user.actor, &search).await {
        Ok(rows) => (rows, Vec::new(), StatusCode::OK),
        Err(ServiceError::Invalid(v)) => (
            Vec::new(),
            v.errors
                .iter()
                .map(|e| format!("{}: {}", e.field, l.message(&e.message)))
                .collect(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => return error_page(e, l, Some(nav), &headers),
    };
    let older = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|r| page_query(&search, r.seq, l)))
        .flatten();
    render(
        &AuditPage {
            l,
            nav: Some(nav),
            search,
            rows,
            errors,
            chain,
            outcomes: &ganome_service::AUDIT_OUTCOMES,
            older,
        },
        status,
    )
}
