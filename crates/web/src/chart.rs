//! Charts as SVG written on the server: a measure over the months of the
//! year against its target band, last year beside it, the forecast at the
//! end; and the small trend line of the overview. Written here rather than
//! with a chart crate: two shapes, no fonts or images to embed, and the
//! text is ours (Vietnamese numbers). Figures stay decimals; only pixel
//! positions are computed in floating point.

use kehoach_domain::number::format_vi_rounded;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;

use crate::i18n::Lang;

/// What a measure chart shows.
pub(crate) struct Series {
    /// This year, January first; cumulative for flows.
    pub this_year: [Option<Decimal>; 12],
    pub last_year: [Option<Decimal>; 12],
    /// The target: one value, or a band.
    pub target: Option<(Decimal, Decimal)>,
    pub forecast: Option<Decimal>,
    pub unit: String,
    pub year: i32,
}

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The months' short names, by key.
const MONTHS: [&str; 12] = [
    "month.01", "month.02", "month.03", "month.04", "month.05", "month.06", "month.07", "month.08", "month.09",
    "month.10", "month.11", "month.12",
];

/// The measure chart, with a text description for screen readers, its
/// words in `lang`.
pub(crate) fn measure_chart(s: &Series, lang: Lang) -> String {
    let month = |m: usize| lang.t(MONTHS[m]);
    let mut all: Vec<Decimal> = s.this_year.iter().chain(&s.last_year).flatten().copied().collect();
    if let Some((lo, hi)) = s.target {
        all.extend([lo, hi]);
    }
    all.extend(s.forecast);
    let max = all.iter().copied().max().unwrap_or(Decimal::ONE);
    let min = all.iter().copied().min().unwrap_or(Decimal::ZERO).min(Decimal::ZERO);
    let (lo, hi) = (f(min), if max > min { f(max) } else { f(min) + 1.0 });
    let span = (hi - lo) * 1.1;
    let y = |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - (v - lo) / span);
    let x = |month: usize| LEFT + (W - LEFT - RIGHT) * (month as f64 + 0.5) / 12.0;
    let mut out = String::new();
    let unit = escape(&s.unit);
    let described = match s.target {
        Some((a, b)) => tr!(lang, "chart-described-target", unit = unit, year = s.year, target = band_text(a, b)),
        None => tr!(lang, "chart-described", unit = unit, year = s.year),
    };
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{described}" xmlns="http://www.w3.org/2000/svg">"#
    );
    // Grid and axis labels.
    for i in 0..=4 {
        let v = lo + span * i as f64 / 4.0;
        let yy = y(v);
        let label = Decimal::from_f64_retain(v).map(|d| format_vi_rounded(d, 1)).unwrap_or_default();
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{label}</text>"#,
            W - RIGHT,
            LEFT - 6.0,
            yy + 4.0
        );
    }
    for m in 0..12 {
        let _ = write!(
            out,
            r#"<text class="axis" x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
            x(m),
            H - 18.0,
            month(m)
        );
    }
    if let Some((a, b)) = s.target {
        let (top, bottom) = (y(f(b)), y(f(a)));
        let _ = write!(
            out,
            r#"<rect class="band" x="{LEFT}" y="{top:.1}" width="{}" height="{:.1}"/><text class="band-label" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - LEFT - RIGHT,
            (bottom - top).max(2.0),
            W - RIGHT - 4.0,
            top - 4.0,
            tr!(lang, "chart-target", target = band_text(a, b))
        );
    }
    let line = |values: &[Option<Decimal>; 12], class: &str, out: &mut String| {
        let points: Vec<String> =
            values.iter().enumerate().filter_map(|(m, v)| v.map(|v| format!("{:.1},{:.1}", x(m), y(f(v))))).collect();
        if points.len() > 1 {
            let _ = write!(out, r#"<polyline class="{class}" points="{}"/>"#, points.join(" "));
        }
        for (m, v) in values.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    out,
                    r#"<circle class="{class}-dot" cx="{:.1}" cy="{:.1}" r="3"><title>{}: {}</title></circle>"#,
                    x(m),
                    y(f(*v)),
                    month(m),
                    format_vi_rounded(*v, 2)
                );
            }
        }
    };
    line(&s.last_year, "last-year", &mut out);
    line(&s.this_year, "this-year", &mut out);
    if let Some(fc) = s.forecast {
        let _ = write!(
            out,
            r#"<circle class="forecast" cx="{:.1}" cy="{:.1}" r="5"><title>{}</title></circle>"#,
            x(11),
            y(f(fc)),
            tr!(lang, "chart-forecast", value = format_vi_rounded(fc, 2))
        );
    }
    out.push_str("</svg>");
    out
}

fn band_text(a: Decimal, b: Decimal) -> String {
    if a == b { format_vi_rounded(a, 2) } else { format!("{}–{}", format_vi_rounded(a, 2), format_vi_rounded(b, 2)) }
}

/// A small trend line of the months that have figures.
pub(crate) fn sparkline(values: &[Option<Decimal>; 12]) -> String {
    let known: Vec<(usize, Decimal)> = values.iter().enumerate().filter_map(|(m, v)| v.map(|v| (m, v))).collect();
    if known.len() < 2 {
        return String::new();
    }
    let max = known.iter().map(|(_, v)| *v).max().unwrap_or_default();
    let min = known.iter().map(|(_, v)| *v).min().unwrap_or_default();
    let span = if max > min { f(max - min) } else { 1.0 };
    let points: Vec<String> = known
        .iter()
        .map(|(m, v)| format!("{:.1},{:.1}", 2.0 + 76.0 * *m as f64 / 11.0, 20.0 - 16.0 * f(*v - min) / span))
        .collect();
    format!(
        r#"<svg class="spark" viewBox="0 0 80 22" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><polyline points="{}"/></svg>"#,
        points.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_shows_the_band_the_months_and_the_forecast() {
        let mut this_year = [None; 12];
        this_year[0] = Some(Decimal::from(150));
        this_year[1] = Some(Decimal::from(310));
        let series = Series {
            this_year,
            last_year: [Some(Decimal::from(140)); 12],
            target: Some((Decimal::from(1850), Decimal::from(1850))),
            forecast: Some(Decimal::new(19005, 1)),
            unit: "triệu USD".into(),
            year: 2025,
        };
        let svg = measure_chart(&series, Lang::Vi);
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(svg.contains("aria-label=\"Biểu đồ triệu USD năm 2025 theo tháng, chỉ tiêu 1.850\""));
        assert!(svg.contains("Chỉ tiêu 1.850"));
        assert!(svg.contains("Ước cả năm: 1.900,5"));
        assert!(svg.contains("T2: 310"));
        let en = measure_chart(&series, Lang::En);
        assert!(
            en.contains("Target 1.850") && en.contains("Year forecast: 1.900,5") && en.contains("Feb: 310"),
            "{en}"
        );
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(sparkline(&this_year).contains("polyline"));
        assert!(sparkline(&[None; 12]).is_empty());
    }
}
