//! `performance`: the Stack's ratios against every contender, from the last
//! criterion run into `reports/performance.md`, from timing the contenders
//! in turns (`--turns`) into `reports/performance-turns.md`, or from
//! counting their instructions (`--instructions`) into
//! `reports/performance-instructions.md`; each with its ratios as JSON and
//! their chart as SVG beside it.
//!
//! | file | job |
//! |---|---|
//! | `source.rs` | where the figures come from, and how the report words them |
//! | `ratios.rs` | the ratios, their statistics, the JSON and the chart |
//! | `markdown.rs` | the Markdown report |
//! | `control.rs` | its control line, from the `storage` groups |
//! | `next.rs` | its musli 0.2 section, with its ratios and chart |
//!
//! The targets the report holds the ratios to are `crate::targets`'.

mod control;
mod markdown;
mod next;
mod ratios;
mod source;

use std::path::{Path, PathBuf};

use crate::bench_id::BenchId;
use crate::groups::Suite;

use super::exit::Exit;
use super::output::write_atomically;
use super::{criterion, instructions, turns};

pub use self::markdown::render;
pub use self::next::{NextRatio, next_chart, next_from_json, next_ratios};
pub use self::ratios::{Figure, Ratio, chart, figures, from_json, ratios, to_json};
pub use self::source::{Figures, Source};

/// Writes `reports/performance.md` (or `performance-turns.md`, or
/// `performance-instructions.md`) under `out` and prints it, with its
/// ratios as `.json` and their chart as `.svg` beside it.
pub fn run(
    root: &Path,
    suite: &Suite,
    dataset_args: &[String],
    source: Source,
    out: &Path,
) -> Result<(), Exit> {
    let report = match source {
        Source::Criterion => {
            // Nothing to read is the user's to fix, by running the benches
            // first: bad input.
            let no_results = |searched: &[PathBuf]| {
                let searched: Vec<String> = searched
                    .iter()
                    .map(|home| home.display().to_string())
                    .collect();
                Exit::bad_input(format!(
                    "no bench results under {}; run `cargo bench --bench encode` first, \
                     or `performance --turns` to time the contenders now",
                    searched.join(" or ")
                ))
            };
            let home = criterion::home(root).map_err(|searched| no_results(&searched))?;
            let per_run = |id: &BenchId| criterion::median(&home, id);
            Report::of(suite, &per_run, source)
                .map_err(|_| no_results(std::slice::from_ref(&home)))?
        }
        Source::Turns { rounds } => {
            let times = turns::measure(dataset_args, rounds)?;
            let per_run = |id: &BenchId| times.get(id).copied();
            Report::of(suite, &per_run, source)?
        }
        Source::Instructions => {
            let counts = instructions::measure(suite, &root.join("target/instructions"))?;
            let per_run = |id: &BenchId| counts.get(id).copied();
            Report::of(suite, &per_run, source)?
        }
    };
    let markdown = out.join(source.file_name());
    write_atomically(&markdown, report.text.as_bytes())?;
    write_atomically(
        &markdown.with_extension("json"),
        to_json(source, &report.ratios, &report.next_ratios, &report.figures).as_bytes(),
    )?;
    write_atomically(
        &markdown.with_extension("svg"),
        chart(&report.ratios, &source.chart_title()).as_bytes(),
    )?;
    if !report.next_ratios.is_empty() {
        let stem = source.file_name().trim_end_matches(".md");
        write_atomically(
            &out.join(format!("{stem}-0.2.svg")),
            next_chart(&report.next_ratios, &source.next_chart_title()).as_bytes(),
        )?;
    }
    print!("{}", report.text);
    Ok(())
}

/// A report's Markdown and what its JSON and charts are made of.
struct Report {
    text: String,
    ratios: Vec<Ratio>,
    next_ratios: Vec<NextRatio>,
    figures: Vec<Figure>,
}

impl Report {
    fn of(suite: &Suite, per_run: &Figures<'_>, source: Source) -> Result<Self, Exit> {
        Ok(Self {
            text: render(suite, per_run, source)?,
            ratios: ratios(suite, per_run),
            next_ratios: next_ratios(suite, per_run),
            figures: figures(suite, per_run),
        })
    }
}
