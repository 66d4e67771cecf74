//! The account page: who is signed in, and their second factor (二要素認証). Enrolment shows
//! the fresh secret as a QR code (inline SVG, drawn here from the `otpauth://` URI), as
//! base32 in groups of four and as the URI itself; a code from the app confirms it, and a
//! current code turns it off. Every form carries the session's token.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use ganome_service::{SecondFactorStatus, ServiceError};

use super::i18n::{Lang, LangQuery};
use super::page::{Nav, error_page, render, see_other};
use super::session::WebUser;
use crate::AppState;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    l: Lang,
    nav: Option<Nav>,
    status: SecondFactorStatus,
    /// The pending enrolment's QR code, as an `<svg>` element.
    qr_svg: Option<String>,
    csrf: String,
    /// Why the last form was refused.
    error: Option<&'static str>,
}

/// The QR code of an `otpauth://` URI as an inline `<svg>` element (no XML prolog), or none
/// if the URI is too long for a QR code (it never is).
fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    svg.find("<svg").map(|at| svg[at..].to_owned())
}

async fn page(
    state: &AppState,
    user: &WebUser,
    l: Lang,
    headers: &HeaderMap,
    error: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let nav = Nav::at(user, "/account", None, l, "account");
    let second_factor = match state.ganome.second_factor_status(&user.actor).await {
        Ok(s) => s,
        Err(e) => return error_page(e, l, Some(nav), headers),
    };
    let qr_svg = second_factor
        .pending
        .as_ref()
        .and_then(|p| qr_svg(&p.otpauth_uri));
    render(
        &AccountPage {
            l,
            nav: Some(nav),
            status: second_factor,
            qr_svg,
            csrf: user.csrf.clone(),
            error,
        },
        status,
    )
}

pub(crate) async fn show(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
) -> Response {
    page(&state, &user, q.lang(), &headers, None, StatusCode::OK).await
}

/// What a refused second-factor form shows.
async fn refused(
    state: &AppState,
    user: &WebUser,
    l: Lang,
    headers: &HeaderMap,
    e: ServiceError,
) -> Response {
    match e {
        ServiceError::Invalid(_) => {
            page(
                state,
                user,
                l,
                headers,
                Some(l.second_factor_wrong_code()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        ServiceError::Throttled { .. } => {
            page(
                state,
                user,
                l,
                headers,
                Some(l.login_throttled()),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await
        }
        e => {
            let nav = Nav::at(user, "/account", None, l, "account");
            error_page(e, l, Some(nav), headers)
        }
    }
}

pub(crate) async fn enrol(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, _) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    match state.ganome.enrol_second_factor(&user.actor).await {
        Ok(_) => see_other(&format!("/account{}", l.q()), &headers),
        Err(e) => refused(&state, &user, l, &headers, e).await,
    }
}

pub(crate) async fn confirm(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, data) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let code = data.get("code").unwrap_or_default().to_owned();
    match state.ganome.confirm_second_factor(&user.actor, &code).await {
        Ok(()) => see_other(&format!("/account{}", l.q()), &headers),
        Err(e) => refused(&state, &user, l, &headers, e).await,
    }
}

pub(crate) async fn disable(
    State(state): State<AppState>,
    user: WebUser,
    headers: HeaderMap,
    Query(q): Query<LangQuery>,
    Form(data): Form<Vec<(String, String)>>,
) -> Response {
    let (l, data) = match user.read_post(&headers, &q, data) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let code = data.get("code").unwrap_or_default().to_owned();
    match state.ganome.disable_second_factor(&user.actor, &code).await {
        Ok(()) => see_other(&format!("/account{}", l.q()), &headers),
        Err(e) => refused(&state, &user, l, &headers, e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_code_is_an_inline_svg_element() {
        let svg = qr_svg("otpauth://totp/Ganome:clinician?secret=JBSWY3DPEHPK3PXP&issuer=Ganome")
            .unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
