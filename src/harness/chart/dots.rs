//! A dot chart: a row per group, a dot per series, a mark per target.

use std::fmt::Write as _;

use super::{axes, colour, escape, header, legend};

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

#[cfg(test)]
mod tests {
    use super::{Row, dots};

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
