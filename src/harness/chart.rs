//! Two small SVG charts, written by hand: a few dozen elements each, where
//! a plotting crate would bring fonts and a backend for no gain.
//!
//! - [`lines`]: one line per series over a log2 x axis (`sizes`: the share
//!   of encodes that spill against the buffer size).
//! - [`dots`]: one row per group, a dot per series on a log x axis with a
//!   mark at each row's target (`performance`: ratios against each
//!   contender).

use std::fmt::Write as _;

use html_escape::encode_text as escape;

/// Colours of the series, in order; they repeat past the last.
const COLOURS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
];

/// A round step for a percentage axis up to `max` (a fraction), at most
/// six steps, and `max` raised to a whole number of them: ticks at 0, 5,
/// 10, 15, 20, 25%, never at 6.25%.
fn round_step(max: f64) -> (f64, f64) {
    const STEPS: [f64; 8] = [0.01, 0.02, 0.05, 0.10, 0.20, 0.25, 0.50, 1.00];
    let step = STEPS
        .into_iter()
        .find(|step| max / step <= 6.0 + 1e-9)
        .unwrap_or(1.0);
    (step, ((max / step - 1e-9).ceil() * step).max(step))
}

fn colour(at: usize) -> &'static str {
    COLOURS[at % COLOURS.len()]
}

/// A series of a line chart: its name and its `(x, y)` points.
pub struct Series {
    /// Its name in the legend.
    pub name: String,
    /// The points, `x` above 0.
    pub points: Vec<(f64, f64)>,
}

/// A line chart of `series` over a log2 `x` axis (ticks at `x_ticks`) and a
/// linear `y` axis from 0 to at least `y_max`, `y` shown as a percentage
/// with ticks at round values.
pub fn lines(
    title: &str,
    x_label: &str,
    y_label: &str,
    x_ticks: &[f64],
    y_max: f64,
    series: &[Series],
) -> String {
    let (width, height) = (760.0, 420.0);
    let (left, right, top, bottom) = (70.0, 230.0, 40.0, 60.0);
    let (y_step, y_max) = round_step(y_max);
    let (x_min, x_max) = (x_ticks[0].log2(), x_ticks[x_ticks.len() - 1].log2());
    let x = |value: f64| left + (value.log2() - x_min) / (x_max - x_min) * (width - left - right);
    let y = |value: f64| top + (1.0 - value / y_max) * (height - top - bottom);

    let mut svg = header(width, height, title);
    axes(&mut svg, left, top, width - right, height - bottom);
    for &tick in x_ticks {
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(tick),
            height - bottom + 16.0,
            tick
        );
    }
    let steps = (y_max / y_step).round() as u32;
    for step in 0..=steps {
        let value = y_step * f64::from(step);
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{:.0}%</text>\n\
             <line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#eee\"/>",
            left - 6.0,
            y(value) + 4.0,
            value * 100.0,
            width - right,
            y = y(value),
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n\
         <text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
        (left + width - right) / 2.0,
        height - 16.0,
        escape(x_label),
        (top + height - bottom) / 2.0,
        escape(y_label)
    );
    for (at, series) in series.iter().enumerate() {
        let points: Vec<String> = series
            .points
            .iter()
            .map(|&(px, py)| format!("{:.1},{:.1}", x(px), y(py)))
            .collect();
        let _ = writeln!(
            svg,
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>",
            colour(at),
            points.join(" ")
        );
        legend(
            &mut svg,
            width - right + 16.0,
            top + 18.0 * at as f64,
            at,
            &series.name,
        );
    }
    svg + "</svg>\n"
}

/// A row of a dot chart: its label, a value per series (`None`: not
/// measured), and the target of each series (`None`: none).
pub struct Row {
    /// The row's label.
    pub label: String,
    /// One per series.
    pub values: Vec<Option<f64>>,
    /// One per series.
    pub targets: Vec<Option<f64>>,
}

/// A dot chart: a row per `rows`, a dot per series on a log `x` axis around
/// 1, a line at 1 and a tick at each target.
pub fn dots(title: &str, x_label: &str, series: &[String], rows: &[Row]) -> String {
    let line = 18.0;
    let (left, right, top, bottom) = (230.0, 170.0, 40.0, 50.0);
    let width = 900.0;
    let height = top + bottom + line * rows.len() as f64;
    let values = rows
        .iter()
        .flat_map(|row| row.values.iter().chain(&row.targets))
        .flatten();
    let (low, high) = values.fold((1.0f64, 1.0f64), |(low, high), &value| {
        (low.min(value), high.max(value))
    });
    // Whole powers of two around every value.
    let (x_min, x_max) = (low.log2().floor().min(-1.0), high.log2().ceil().max(1.0));
    let x = |value: f64| left + (value.log2() - x_min) / (x_max - x_min) * (width - left - right);

    let mut svg = header(width, height, title);
    axes(&mut svg, left, top, width - right, height - bottom);
    let mut power = x_min;
    while power <= x_max {
        let value = power.exp2();
        let _ = writeln!(
            svg,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{}\"/>\n\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{value}</text>",
            height - bottom,
            if power == 0.0 { "#333" } else { "#eee" },
            height - bottom + 16.0,
            x = x(value),
        );
        power += 1.0;
    }
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
        (left + width - right) / 2.0,
        height - 12.0,
        escape(x_label)
    );
    for (at, row) in rows.iter().enumerate() {
        let y = top + line * at as f64 + line / 2.0;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + 4.0,
            escape(&row.label)
        );
        for (series_at, (value, target)) in row.values.iter().zip(&row.targets).enumerate() {
            if let Some(target) = target {
                let _ = writeln!(
                    svg,
                    "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"2\" opacity=\"0.5\"/>",
                    y - 7.0,
                    y + 7.0,
                    colour(series_at),
                    x = x(*target),
                );
            }
            if let Some(value) = value {
                let _ = writeln!(
                    svg,
                    "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{}\"><title>{} {}: {value:.2}</title></circle>",
                    x(*value),
                    colour(series_at),
                    escape(&row.label),
                    escape(&series[series_at]),
                );
            }
        }
    }
    for (at, name) in series.iter().enumerate() {
        legend(
            &mut svg,
            width - right + 16.0,
            top + 18.0 * at as f64,
            at,
            name,
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\">| target</text>",
        width - right + 16.0,
        top + 18.0 * series.len() as f64 + 10.0
    );
    svg + "</svg>\n"
}

fn header(width: f64, height: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n\
         <text x=\"{:.1}\" y=\"22\" font-size=\"15\" text-anchor=\"middle\">{}</text>\n",
        width / 2.0,
        escape(title)
    )
}

fn axes(svg: &mut String, left: f64, top: f64, right: f64, bottom: f64) {
    let _ = writeln!(
        svg,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#999\"/>",
        right - left,
        bottom - top
    );
}

fn legend(svg: &mut String, x: f64, y: f64, at: usize, name: &str) {
    let _ = writeln!(
        svg,
        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n\
         <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
        y - 10.0,
        colour(at),
        x + 18.0,
        y,
        escape(name)
    );
}

#[cfg(test)]
mod tests {
    use super::{Row, Series, dots, lines, round_step};

    #[test]
    fn percentage_ticks_fall_on_round_values() {
        let ticks = |max: f64| {
            let (step, max) = round_step(max);
            let steps = (max / step).round() as u32;
            (0..=steps)
                .map(|at| (f64::from(at) * step * 100.0).round() as u32)
                .collect::<Vec<_>>()
        };
        assert_eq!(ticks(0.25), [0, 5, 10, 15, 20, 25]);
        assert_eq!(ticks(0.5), [0, 10, 20, 30, 40, 50]);
        assert_eq!(ticks(1.0), [0, 20, 40, 60, 80, 100]);
        assert_eq!(ticks(0.03), [0, 1, 2, 3]);
        assert_eq!(ticks(0.07), [0, 2, 4, 6, 8]);
        assert_eq!(ticks(0.75), [0, 20, 40, 60, 80]);
    }

    #[test]
    fn a_line_chart_has_a_line_per_series_and_escapes_names() {
        let svg = lines(
            "t",
            "x",
            "y",
            &[512.0, 1024.0, 2048.0],
            1.0,
            &[
                Series {
                    name: "a<b".to_owned(),
                    points: vec![(512.0, 1.0), (2048.0, 0.0)],
                },
                Series {
                    name: "c".to_owned(),
                    points: vec![(512.0, 0.5), (1024.0, 0.0)],
                },
            ],
        );
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("a&lt;b"));
        // (512, 100%) sits at the top left of the plot.
        assert!(svg.contains("points=\"70.0,40.0"), "{svg}");
    }

    #[test]
    fn a_dot_chart_marks_values_and_targets() {
        let svg = dots(
            "t",
            "ratio",
            &["/ a".to_owned(), "/ b".to_owned()],
            &[Row {
                label: "g".to_owned(),
                values: vec![Some(0.5), None],
                targets: vec![Some(1.0), None],
            }],
        );
        assert_eq!(svg.matches("<circle").count(), 1);
        assert!(svg.contains("g / a: 0.50"));
        assert!(svg.contains("opacity=\"0.5\""), "the target's mark");
    }
}
