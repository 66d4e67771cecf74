//! `/indicators`: the national indicators as a page with charts drawn on the server as
//! SVG (no script, prints as it shows), a filter form and a CSV download link. Japanese by
//! default, English with `?lang=en`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use ganome_service::indicators::{IndicatorQuery, Indicators, TierGroup, TierSeries};
use serde::Deserialize;

use super::i18n::Lang;
use super::page::{Nav, error_page, render};
use super::session::WebUser;
use crate::AppState;

/// The page's query: the indicator filters plus the language.
#[derive(Debug, Deserialize, Default)]
pub(super) struct PageQuery {
    lang: Option<String>,
    from: Option<String>,
    to: Option<String>,
    tier: Option<String>,
    prefecture: Option<String>,
    oncotree: Option<String>,
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct IndicatorsPage {
    l: Lang,
    nav: Option<Nav>,
    en: bool,
    ind: Indicators,
    tier: String,
    prefecture: String,
    oncotree: String,
    csv_href: String,
    tests_chart: String,
    facilities_chart: String,
    turnaround_chart: String,
}

impl IndicatorsPage {
    fn tier_label(&self, t: &TierGroup) -> &'static str {
        if self.en { t.label_en() } else { t.label_ja() }
    }

    fn step_label(&self, step: &str) -> &'static str {
        step_label(step, self.en)
    }

    fn days(&self, v: &Option<f64>) -> String {
        v.map(|d| format!("{d:.1}")).unwrap_or_else(|| "–".into())
    }

    fn percent(&self, v: &Option<f64>) -> String {
        v.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "–".into())
    }

    fn bin_label(&self, bin: &str) -> String {
        match (bin, self.en) {
            ("not_started", true) => "not started".into(),
            ("not_started", false) => "（その他※）".into(),
            ("not_held", true) => "none held".into(),
            ("not_held", false) => "（未開催）".into(),
            (b, true) => b.to_owned(),
            (b, false) => b.to_owned(),
        }
    }
}

fn step_label(step: &str, en: bool) -> &'static str {
    match (step, en) {
        ("order_to_results", false) => "検査申込→結果受領",
        ("results_to_findings", false) => "結果受領→調査結果",
        ("findings_to_panel", false) => "調査結果→エキスパートパネル",
        ("panel_to_explanation", false) => "エキスパートパネル→結果説明",
        ("order_to_explanation", false) => "検査申込→結果説明",
        ("order_to_results", true) => "Order → results",
        ("results_to_findings", true) => "Results → findings",
        ("findings_to_panel", true) => "Findings → panel",
        ("panel_to_explanation", true) => "Panel → explanation",
        (_, true) => "Order → explanation",
        (_, false) => "検査申込→結果説明",
    }
}

const COLOURS: [&str; 5] = ["#123b5d", "#2f7fb8", "#7fb8e0", "#e07f2f", "#555"];

/// A round step for a value axis reaching `max`.
fn nice_step(max: f64) -> f64 {
    let raw = (max / 4.0).max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Grouped bars: one group per month, one bar per series.
fn bar_chart(title: &str, months: &[String], series: &[(&str, &[i64])]) -> String {
    let (w, h, left, bottom, top) = (640.0, 260.0, 48.0, 36.0, 28.0);
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let step = nice_step(max);
    let axis_max = (max / step).ceil() * step;
    let plot_w = w - left - 10.0;
    let plot_h = h - bottom - top;
    let y = |v: f64| top + plot_h - v / axis_max * plot_h;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" class="chart"><title>{t}</title>"#,
        t = esc(title)
    );
    let mut tick = 0.0;
    while tick <= axis_max + 0.5 {
        s.push_str(&format!(
            r##"<line x1="{left}" x2="{x2}" y1="{yy:.1}" y2="{yy:.1}" stroke="#dde3ea"/><text x="{tx}" y="{ty:.1}" font-size="11" text-anchor="end">{tick}</text>"##,
            x2 = w - 10.0,
            yy = y(tick),
            tx = left - 4.0,
            ty = y(tick) + 4.0,
        ));
        tick += step;
    }
    let groups = months.len().max(1) as f64;
    let group_w = plot_w / groups;
    let bar_w = (group_w * 0.8) / series.len().max(1) as f64;
    for (mi, m) in months.iter().enumerate() {
        let gx = left + group_w * mi as f64 + group_w * 0.1;
        for (si, (_, values)) in series.iter().enumerate() {
            let v = values.get(mi).copied().unwrap_or(0) as f64;
            let x = gx + bar_w * si as f64;
            s.push_str(&format!(
                r#"<rect x="{x:.1}" y="{yy:.1}" width="{bw:.1}" height="{bh:.1}" fill="{c}"><title>{v}</title></rect>"#,
                yy = y(v),
                bw = (bar_w - 1.0).max(1.0),
                bh = (y(0.0) - y(v)).max(0.0),
                c = COLOURS[si % COLOURS.len()],
            ));
        }
        s.push_str(&format!(
            r#"<text x="{x:.1}" y="{yy}" font-size="11" text-anchor="middle">{label}</text>"#,
            x = gx + group_w * 0.4,
            yy = h - bottom + 14.0,
            label = esc(m)
        ));
    }
    let mut lx = left;
    for (si, (name, _)) in series.iter().enumerate() {
        s.push_str(&format!(
            r#"<rect x="{lx}" y="6" width="10" height="10" fill="{c}"/><text x="{tx}" y="15" font-size="11">{n}</text>"#,
            c = COLOURS[si % COLOURS.len()],
            tx = lx + 14.0,
            n = esc(name)
        ));
        lx += 14.0 + 12.0 * name.chars().count() as f64 + 16.0;
    }
    s.push_str("</svg>");
    s
}

/// One row of the quartile chart: label, first quartile, median, third quartile.
type QuartileRow = (String, Option<f64>, Option<f64>, Option<f64>);

/// Horizontal boxes: quartiles with the median marked, one row per step.
fn quartile_chart(title: &str, rows: &[QuartileRow]) -> String {
    let (w, left, row_h) = (640.0, 200.0, 26.0);
    let h = 30.0 + row_h * rows.len() as f64;
    let max = rows.iter().filter_map(|r| r.3).fold(1.0f64, f64::max);
    let step = nice_step(max);
    let axis_max = (max / step).ceil() * step;
    let plot_w = w - left - 20.0;
    let x = |d: f64| left + d / axis_max * plot_w;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" class="chart"><title>{t}</title>"#,
        t = esc(title)
    );
    let mut tick = 0.0;
    while tick <= axis_max + 0.5 {
        s.push_str(&format!(
            r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="4" y2="{y2}" stroke="#dde3ea"/><text x="{xx:.1}" y="{ty}" font-size="11" text-anchor="middle">{tick}</text>"##,
            xx = x(tick),
            y2 = h - 18.0,
            ty = h - 4.0,
        ));
        tick += step;
    }
    for (i, (label, p25, median, p75)) in rows.iter().enumerate() {
        let cy = 10.0 + row_h * i as f64;
        s.push_str(&format!(
            r#"<text x="{lx}" y="{ty:.1}" font-size="12" text-anchor="end">{l}</text>"#,
            lx = left - 8.0,
            ty = cy + 12.0,
            l = esc(label)
        ));
        if let (Some(a), Some(m), Some(b)) = (p25, median, p75) {
            s.push_str(&format!(
                r##"<rect x="{xa:.1}" y="{cy}" width="{bw:.1}" height="16" fill="#7fb8e0"/><line x1="{xm:.1}" x2="{xm:.1}" y1="{cy}" y2="{y2}" stroke="#123b5d" stroke-width="3"/><title>{a} / {m} / {b}</title>"##,
                xa = x(*a),
                bw = (x(*b) - x(*a)).max(1.0),
                xm = x(*m),
                y2 = cy + 16.0,
            ));
        }
    }
    s.push_str("</svg>");
    s
}

fn pick(series: &[TierSeries], tier: TierGroup) -> &[i64] {
    series
        .iter()
        .find(|s| s.tier == tier)
        .map(|s| s.counts.as_slice())
        .unwrap_or(&[])
}

fn href_query(q: &PageQuery) -> String {
    // Values reaching here passed validation: dates, tier names, digits, OncoTree codes.
    let mut parts = Vec::new();
    for (k, v) in [
        ("from", &q.from),
        ("to", &q.to),
        ("tier", &q.tier),
        ("prefecture", &q.prefecture),
        ("oncotree", &q.oncotree),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!(
                "{k}={}",
                v.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect::<String>()
            ));
        }
    }
    parts.join("&")
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: WebUser,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let en = q.lang.as_deref() == Some("en");
    let l = Lang { en };
    let nav = Nav::new(&user, &uri, l, "indicators");
    let query = IndicatorQuery {
        from: q.from.clone(),
        to: q.to.clone(),
        tier: q.tier.clone(),
        prefecture: q.prefecture.clone(),
        oncotree: q.oncotree.clone(),
    };
    let ind = match state.ganome.indicators(&user.actor, &query).await {
        Ok(i) => i,
        Err(e) => return error_page(e, l, Some(nav), &headers),
    };
    let label = |t: TierGroup| if en { t.label_en() } else { t.label_ja() };
    let tests_chart = bar_chart(
        if en {
            "Panel tests per month"
        } else {
            "遺伝子パネル検査の実施件数の推移"
        },
        &ind.months,
        &[
            (
                label(TierGroup::CoreHospital),
                pick(&ind.tests, TierGroup::CoreHospital),
            ),
            (
                label(TierGroup::HubHospital),
                pick(&ind.tests, TierGroup::HubHospital),
            ),
            (
                label(TierGroup::CooperativeHospital),
                pick(&ind.tests, TierGroup::CooperativeHospital),
            ),
        ],
    );
    let facilities_chart = bar_chart(
        if en {
            "Facilities that have started testing"
        } else {
            "検査を実施した施設数（累計）"
        },
        &ind.months,
        &[
            (
                label(TierGroup::CoreHospital),
                pick(&ind.facilities_testing, TierGroup::CoreHospital),
            ),
            (
                label(TierGroup::HubHospital),
                pick(&ind.facilities_testing, TierGroup::HubHospital),
            ),
            (
                label(TierGroup::CooperativeHospital),
                pick(&ind.facilities_testing, TierGroup::CooperativeHospital),
            ),
        ],
    );
    let rows: Vec<_> = ind
        .turnaround
        .iter()
        .map(|t| {
            (
                step_label(&t.step, en).to_owned(),
                t.p25_days,
                t.median_days,
                t.p75_days,
            )
        })
        .collect();
    let turnaround_chart = quartile_chart(
        if en {
            "Turnaround (days, quartiles and median)"
        } else {
            "所要日数（四分位と中央値）"
        },
        &rows,
    );
    let qs = href_query(&q);
    let csv_href = if qs.is_empty() {
        "/api/v1/indicators.csv".to_owned()
    } else {
        format!("/api/v1/indicators.csv?{qs}")
    };
    render(
        &IndicatorsPage {
            l,
            nav: Some(nav),
            en,
            tier: q.tier.clone().unwrap_or_default(),
            prefecture: q.prefecture.clone().unwrap_or_default(),
            oncotree: q.oncotree.clone().unwrap_or_default(),
            csv_href,
            tests_chart,
            facilities_chart,
            turnaround_chart,
            ind,
        },
        StatusCode::OK,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(nice_step(399.0), 100.0);
        assert_eq!(nice_step(30.0), 10.0);
        assert_eq!(nice_step(3.0), 1.0);
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let months = ["2019-06".to_owned(), "2019-07".to_owned()];
        let svg = bar_chart("t", &months, &[("a", &[0, 400]), ("b", &[2, 20])]);
        assert!(svg.starts_with("<svg"));
        assert_eq!(
            svg.matches("<rect").count(),
            4 + 2,
            "4 bars and 2 legend keys"
        );
        assert!(svg.contains("<title>400</title>"));
        assert!(svg.contains(">2019-07<"));
    }
}
