//! A line chart over the commits of a range: one line per series, its
//! steps ringed, the commits whose build failed shaded.

use std::fmt::Write as _;

use super::{axes, colour, escape, header, legend};

/// A series of a chart over commits.
pub struct CommitSeries {
    /// Its name in the legend.
    pub name: String,
    /// Its value at each commit, `None` where it has none.
    pub values: Vec<Option<f64>>,
    /// The commits (indices) where it steps.
    pub steps: Vec<usize>,
}

/// A line chart of `series` over the commits `labels` (oldest first),
/// `failed` marking those whose build failed. The y axis spans the values,
/// in millions, with a little room around them.
pub fn by_commit(
    title: &str,
    labels: &[String],
    failed: &[bool],
    series: &[CommitSeries],
) -> String {
    // Room on the left for the first commit's slanted label.
    let (left, right, top, bottom) = (160.0, 190.0, 40.0, 170.0);
    let step_x = 56.0;
    let width = (left + right + step_x * labels.len() as f64).max(760.0);
    let height = 420.0;
    let values = series
        .iter()
        .flat_map(|series| series.values.iter().flatten());
    let (low, high) = values.fold((f64::INFINITY, 0.0f64), |(low, high), &value| {
        (low.min(value), high.max(value))
    });
    let (low, high) = if low > high { (0.0, 1.0) } else { (low, high) };
    // A flat series still gets an axis: a percent either way.
    let room = ((high - low) * 0.1).max(high * 0.01).max(1.0);
    let (y_min, y_max) = (low - room, high + room);
    let plot_width = width - left - right;
    let x = |at: usize| {
        left + step_x / 2.0 + at as f64 * (plot_width - step_x) / (labels.len().max(2) - 1) as f64
    };
    let y = |value: f64| top + (1.0 - (value - y_min) / (y_max - y_min)) * (height - top - bottom);

    let mut svg = header(width, height, title);
    for (at, _) in failed.iter().enumerate().filter(|(_, failed)| **failed) {
        let _ = writeln!(
            svg,
            "<rect x=\"{:.1}\" y=\"{top}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#fdd\">\
             <title>{}: the build failed</title></rect>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#c00\">build failed</text>",
            x(at) - step_x / 2.0,
            step_x,
            height - top - bottom,
            escape(&labels[at]),
            x(at),
            top + 14.0,
        );
    }
    axes(&mut svg, left, top, width - right, height - bottom);
    for tick in 0..=4 {
        let value = y_min + (y_max - y_min) * f64::from(tick) / 4.0;
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{:.3}M</text>\n\
             <line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#eee\"/>",
            left - 6.0,
            y(value) + 4.0,
            value / 1e6,
            width - right,
            y = y(value),
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"90\" y=\"{:.1}\" transform=\"rotate(-90 90 {:.1})\" text-anchor=\"middle\">\
         instructions per run</text>",
        (top + height - bottom) / 2.0,
        (top + height - bottom) / 2.0,
    );
    for (at, label) in labels.iter().enumerate() {
        let (label_x, label_y) = (x(at), height - bottom + 14.0);
        let shown: String = label.chars().take(30).collect();
        let _ = writeln!(
            svg,
            "<text x=\"{label_x:.1}\" y=\"{label_y:.1}\" text-anchor=\"end\" \
             transform=\"rotate(-40 {label_x:.1} {label_y:.1})\">{}<title>{}</title></text>",
            escape(&shown),
            escape(label),
        );
    }

    for (series_at, series) in series.iter().enumerate() {
        let colour = colour(series_at);
        // A line through each run of commits that have a value.
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, svg: &mut String| {
            if run.len() > 1 {
                let _ = writeln!(
                    svg,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                    run.join(" ")
                );
            }
            run.clear();
        };
        for (at, value) in series.values.iter().enumerate() {
            match value {
                Some(value) => run.push(format!("{:.1},{:.1}", x(at), y(*value))),
                None => flush(&mut run, &mut svg),
            }
        }
        flush(&mut run, &mut svg);
        for (at, value) in series.values.iter().enumerate() {
            let Some(value) = value else { continue };
            let _ = writeln!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\">\
                 <title>{} at {}: {value:.0}</title></circle>",
                x(at),
                y(*value),
                escape(&series.name),
                escape(&labels[at]),
            );
            if series.steps.contains(&at) {
                let _ = writeln!(
                    svg,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"8\" fill=\"none\" stroke=\"{colour}\" \
                     stroke-width=\"2\"><title>step of {}</title></circle>",
                    x(at),
                    y(*value),
                    escape(&series.name),
                );
            }
        }
        legend(
            &mut svg,
            width - right + 16.0,
            top + 14.0 + 20.0 * series_at as f64,
            series_at,
            &series.name,
        );
    }
    let _ = writeln!(
        svg,
        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"6\" fill=\"none\" stroke=\"#333\" stroke-width=\"2\"/>\n\
         <text x=\"{:.1}\" y=\"{:.1}\">a step</text>",
        width - right + 22.0,
        top + 30.0 + 20.0 * series.len() as f64,
        width - right + 34.0,
        top + 34.0 + 20.0 * series.len() as f64,
    );
    svg + "</svg>\n"
}

#[cfg(test)]
mod tests {
    use super::{CommitSeries, by_commit};

    #[test]
    fn a_commit_chart_rings_steps_breaks_lines_and_shades_failures() {
        let labels: Vec<String> = ["a one", "b two", "c <three>", "d four"]
            .map(str::to_owned)
            .to_vec();
        let svg = by_commit(
            "t",
            &labels,
            &[false, false, true, false],
            &[CommitSeries {
                name: "stack".to_owned(),
                values: vec![Some(1e6), Some(1e6), None, Some(1.2e6)],
                steps: vec![3],
            }],
        );
        // Two runs of values: only the first has two points to join.
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("r=\"8\"").count(), 1, "one step ringed");
        assert_eq!(svg.matches("build failed</text>").count(), 1);
        assert!(svg.contains("c &lt;three&gt;"));
        assert!(svg.ends_with("</svg>\n"));
    }
}
