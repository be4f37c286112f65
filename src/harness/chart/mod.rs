//! Small SVG charts, written by hand: a few dozen elements each, where a
//! plotting crate would bring fonts and a backend for no gain.
//!
//! - [`lines`]: one line per series over a log2 x axis (`sizes`: the share
//!   of encodes that spill against the buffer size).
//! - [`dots`]: one row per group, a dot per series on a log x axis with a
//!   mark at each row's target (`performance`: ratios against each
//!   contender).
//! - [`by_commit`]: one line per series over the commits of a range, its
//!   steps ringed (`history`).

mod commits;
mod dots;
mod lines;

use std::fmt::Write as _;

use html_escape::encode_text as escape;

pub use self::commits::{CommitSeries, by_commit};
pub use self::dots::{Row, dots};
pub use self::lines::{Series, lines};

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
