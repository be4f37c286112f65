//! A line chart over a log2 x axis.

use std::fmt::Write as _;

use super::{axes, colour, escape, header, legend, round_step};

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

#[cfg(test)]
mod tests {
    use super::super::round_step;
    use super::{Series, lines};

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
}
