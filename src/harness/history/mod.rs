//! `history RANGE` and `bisect GOOD BAD --bench ID`: the instruction counts
//! of benches across first-parent commits, and the commit that moved one.
//!
//! A count is the same on every run of one build, so one count per commit
//! tells a step from noise, and a bisection needs one count per commit it
//! visits. Builds are `compare`'s, kept by commit ID; counts are kept by
//! commit, toolchain and `Cargo.lock` (`cache.rs`), so that a second run
//! over an overlapping range builds and counts only what is new.
//!
//! | file | job |
//! |---|---|
//! | `range.rs` | the commits of a range |
//! | `cache.rs` | the counts kept between runs |
//! | `counts.rs` | building and counting what the cache lacks |
//! | `steps.rs` | the rows per bench, the threshold and the steps |
//! | `report.rs` | `index.html`, `summary.md`, `summary.json` |
//! | `bisect.rs` | the binary search and the functions that moved |

mod bisect;
mod cache;
mod counts;
mod range;
mod report;
mod steps;

use std::path::Path;

use regex::Regex;

use crate::datasets::Origin;
use crate::harness::cli::{DatasetChoice, parse_filter};
use crate::harness::compare::Git;
use crate::harness::exit::Exit;
use crate::harness::output::write_atomically;

pub use self::bisect::bisect;
pub use self::steps::Threshold;

use self::counts::Counter;
use self::report::History;
use self::steps::{Rows, steps};

/// What `history` is asked.
pub struct Options<'a> {
    /// `BASE..HEAD`.
    pub range: &'a str,
    /// Only benches whose ID this regular expression matches.
    pub filter: Option<&'a str>,
    /// How far a count may move without it being a step.
    pub threshold: Threshold,
    /// Which datasets.
    pub datasets: &'a DatasetChoice,
}

/// Counts every selected bench in every commit of the range and writes
/// `reports/history/BASE..HEAD/`. Everything the user gave is checked
/// before the first build.
pub fn run(root: &Path, options: &Options<'_>) -> Result<(), Exit> {
    let (base, head) = range::ends(options.range)?;
    let filter = options.filter.map(parse_filter).transpose()?;
    let git = Git { root };
    let commits = range::first_parent(&git, base, head)?;
    let origins = counted_origins(root, options.datasets, filter.as_ref())?;

    let shape = options.datasets.shape()?;
    let counter = Counter::new(root, origins, shape, options.filter.map(str::to_owned))?;
    let (counts, builds) = counter.counts(&commits)?;
    let failures: Vec<Option<String>> = counts
        .iter()
        .map(|counts| counts.as_ref().err().cloned())
        .collect();
    let mut rows = Rows::new();
    for (at, counts) in counts.iter().enumerate() {
        for (bench, count) in counts.iter().flatten() {
            rows.entry(bench.clone())
                .or_insert_with(|| vec![None; commits.len()])[at] = Some(*count);
        }
    }
    let found = steps(&rows, options.threshold);
    let history = History {
        range: options.range,
        commits: &commits,
        failures: &failures,
        rows: &rows,
        steps: &found,
        threshold: options.threshold,
    };

    let dir = root
        .join("reports/history")
        .join(options.range.replace(['/', '\\'], "_"));
    let markdown = history.markdown();
    write_atomically(&dir.join("summary.md"), markdown.as_bytes())?;
    write_atomically(&dir.join("summary.json"), history.json().as_bytes())?;
    write_atomically(&dir.join("index.html"), history.html().as_bytes())?;
    print!("{markdown}");
    eprintln!(
        "{} commits, {builds} built now, {} steps; wrote {}/index.html",
        commits.len(),
        found.len(),
        dir.display()
    );
    Ok(())
}

/// The datasets with a bench that `filter` matches in this harness's
/// groups: only those are counted. Files are read and checked here.
fn counted_origins(
    root: &Path,
    datasets: &DatasetChoice,
    filter: Option<&Regex>,
) -> Result<Vec<Origin>, Exit> {
    let suite = datasets.suite(root)?;
    let groups = suite.measured_groups();
    let has_match = |label: &str| {
        groups.iter().any(|group| {
            group.id().dataset() == Some(label)
                && group
                    .benches()
                    .iter()
                    .any(|bench| filter.is_none_or(|filter| filter.is_match(&bench.to_string())))
        })
    };
    let matched: Vec<Origin> = suite
        .entries
        .iter()
        .filter(|entry| has_match(&entry.label))
        .map(|entry| entry.origin.clone())
        .collect();
    if matched.is_empty() {
        return Err(Exit::bad_input(format!(
            "--filter {:?} matches no bench of the datasets chosen; accepted: a regex over bench \
             IDs as `cargo bench -- --list` shows them",
            filter.map(Regex::as_str).unwrap_or_default()
        )));
    }
    Ok(matched)
}
