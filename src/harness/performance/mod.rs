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
//!
//! The targets the report holds the ratios to are `crate::targets`'.

mod markdown;
mod ratios;
mod source;

use std::path::{Path, PathBuf};

use crate::bench_id::BenchId;
use crate::groups::Suite;

use super::exit::Exit;
use super::output::write_atomically;
use super::{criterion, instructions, turns};

pub use self::markdown::render;
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
    let (text, ratios, figures) = match source {
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
            let text = render(suite, &per_run, source)
                .map_err(|_| no_results(std::slice::from_ref(&home)))?;
            (text, ratios(suite, &per_run), figures(suite, &per_run))
        }
        Source::Turns { rounds } => {
            let times = turns::measure(dataset_args, rounds)?;
            let per_run = |id: &BenchId| times.get(id).copied();
            let text = render(suite, &per_run, source)?;
            (text, ratios(suite, &per_run), figures(suite, &per_run))
        }
        Source::Instructions => {
            let counts = instructions::measure(suite, &root.join("target/instructions"))?;
            let per_run = |id: &BenchId| counts.get(id).copied();
            let text = render(suite, &per_run, source)?;
            (text, ratios(suite, &per_run), figures(suite, &per_run))
        }
    };
    let markdown = out.join(source.file_name());
    write_atomically(&markdown, text.as_bytes())?;
    write_atomically(
        &markdown.with_extension("json"),
        to_json(source, &ratios, &figures).as_bytes(),
    )?;
    write_atomically(
        &markdown.with_extension("svg"),
        chart(&ratios, source.chart_title()).as_bytes(),
    )?;
    print!("{text}");
    Ok(())
}
