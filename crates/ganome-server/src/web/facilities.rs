//! The national network of facilities: kind, prefecture, whether it hosts an expert panel,
//! and the core or hub hospital a cooperative hospital is linked to.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use ganome_store::Facility;

use super::i18n::{Lang, LangQuery};
use super::page::{Nav, error_page, render};
use super::session::WebUser;
use crate::AppState;

#[derive(Template)]
#[template(path = "facilities.html")]
struct FacilitiesPage {
    l: Lang,
    nav: Option<Nav>,
    facilities: Vec<Facility>,
}

impl FacilitiesPage {
    fn linked_to(&self, f: &Facility) -> String {
        f.links
            .last()
            .map(|l| l.parent_id.clone())
            .unwrap_or_default()
    }
}

pub(crate) async fn list(
    State(state): State<AppState>,
    user: WebUser,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    let l = q.lang();
    let nav = Nav::new(&user, &uri, l, "facilities");
    match state.ganome.list_facilities(&user.actor).await {
        Ok(facilities) => render(
            &FacilitiesPage {
                l,
                nav: Some(nav),
                facilities,
            },
            StatusCode::OK,
        ),
        Err(e) => error_page(e, l, Some(nav), &headers),
    }
}
