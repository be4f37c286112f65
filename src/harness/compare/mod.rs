//! `compare BASE [HEAD]`: the bench groups of two revisions, measured
//! paired, with a verdict per bench that holds.
//!
//! Both revisions' harnesses are built (see [`build`]), each in a worktree
//! under `target/compare/`, and kept by commit ID. Then pairs of worker
//! processes, one of each build (`serve-runs`), time every bench that
//! `--filter` picks in turns, round after round, the two builds
//! alternating within each bench, so that load which comes and goes lands
//! on both; each side's time is a low quantile of its processes' fastest
//! runs, and the change and its bootstrap interval come from those
//! ([`paired`]). Where valgrind runs, each
//! bench's instructions are counted in both builds too. `--method
//! criterion` runs criterion's baselines instead ([`criterion_method`]).
//!
//! The benches are those `performance` measures: the encode groups of
//! `wire` and `descriptive`, and the replayed traces, of the built-in
//! datasets and any file datasets (see `crate::groups`).

mod build;
mod criterion_method;
mod paired;
mod report;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use regex::Regex;

use crate::datasets::Name;
use crate::datasets::files;
use crate::groups::{Entry, Origin};
use crate::harness::instructions::{count_dataset_matching, valgrind_runs};
use crate::harness::{
    DatasetChoice, Exit, Failure, check_looks_like_a_file, parse_filter, write_atomically,
};
use crate::names::Named;

use self::build::{Git, Revision};
use self::paired::Change;
use self::report::{Heading, counter_changes, relative_link};
use crate::harness::workers::{Worker, quiet_time};

pub use self::paired::{change_of, verdict};

/// How to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// The two builds' runs alternating in rounds, and instruction counts.
    Paired,
    /// Criterion's baselines, one build after the other, with its pages.
    Criterion,
}

/// What `compare` was asked.
pub struct Options<'a> {
    /// The revision compared against.
    pub base: &'a str,
    /// The revision compared; the working tree when `None`.
    pub head: Option<&'a str>,
    /// Only the benches whose ID this matches.
    pub filter: Option<&'a str>,
    /// How.
    pub method: Method,
    /// Pairs of worker processes of the paired method.
    pub pairs: usize,
    /// The noise threshold, in percent.
    pub noise: f64,
    /// Exit with 3 when `stack` or `stack-spill` is slower by more than
    /// this many percent.
    pub fail_on_regression: Option<f64>,
    /// Criterion's quick mode, with `--method criterion`.
    pub quick: bool,
    /// The datasets.
    pub datasets: &'a DatasetChoice,
}

/// One bench in both revisions.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The bench ID, `{group}/{contender}`.
    pub bench: String,
    /// BASE's figure in nanoseconds: its fastest run (paired) or criterion's
    /// median.
    pub base: Option<f64>,
    /// HEAD's.
    pub head: Option<f64>,
    /// The change from BASE to HEAD, with its interval.
    pub change: Option<Change>,
    /// BASE's instructions per run, where counted.
    pub base_instructions: Option<f64>,
    /// HEAD's.
    pub head_instructions: Option<f64>,
    /// `faster`, `slower` or `no change`.
    pub verdict: String,
}

impl Row {
    /// The change of the instruction count, in percent.
    pub fn instruction_change(&self) -> Option<f64> {
        Some((self.head_instructions? / self.base_instructions? - 1.0) * 100.0)
    }

    /// The verdict the instruction counts give where it differs from the
    /// time's, read against the same noise threshold and by the same rule
    /// (a count is its own interval): a time that moved while the count
    /// stayed points at caches or code placement, not at work done, and a
    /// count that moved while the time stayed, at work too small to see in
    /// time. `None` where they agree or nothing was counted.
    pub fn disagreement(&self, noise: f64) -> Option<&'static str> {
        let change = self.instruction_change()?;
        let counted = paired::verdict(
            &Change {
                change,
                low: change,
                high: change,
            },
            noise,
        );
        (counted != self.verdict).then_some(counted)
    }
}

/// Runs the comparison, writes its reports, and applies the gate.
pub fn run(root: &Path, options: &Options<'_>) -> Result<(), Exit> {
    // Bad input is refused before anything is built.
    let filter = options.filter.map(parse_filter).transpose()?;
    if !(options.noise >= 0.0 && options.noise < 100.0) {
        return Err(Failure(format!(
            "--noise {} is out of range; accepted: a percentage from 0 up to 100",
            options.noise
        ))
        .into());
    }
    let origins = origins(root, options.datasets)?;
    let git = Git { root };
    let base_commit = git.resolve(options.base)?;
    let head = match options.head {
        Some(head) => Revision::Commit(git.resolve(head)?),
        None if git.is_dirty()? => Revision::WorkingTree,
        None => Revision::Commit(git.resolve("HEAD")?),
    };
    let head_label = match (&head, options.head) {
        (Revision::Commit(commit), Some(head)) => format!("{head} ({})", &commit[..12]),
        (Revision::Commit(commit), None) => format!("the working tree ({})", &commit[..12]),
        (Revision::WorkingTree, _) => "the working tree, with its changes".to_owned(),
    };
    let base_label = format!("{} ({})", options.base, &base_commit[..12]);
    let out = root.join("reports/compare").join(format!(
        "{}..{}",
        file_name(options.base),
        file_name(options.head.unwrap_or("working-tree"))
    ));

    let (rows, how, criterion_home) = match options.method {
        Method::Paired => {
            let rows = paired_rows(
                root,
                &git,
                &[Revision::Commit(base_commit.clone()), head.clone()],
                filter.as_ref(),
                options,
                &origins,
            )?;
            let how = format!(
                "Paired: {} pairs of worker processes (up to {} times as many for a bench \
                 whose interval stays wider than twice the noise threshold), one per build, each pair run from \
                 fresh copies of the programs for {} rounds, the two builds alternating bench \
                 by bench in turns of about {} ms. A side's time is the lower quartile over \
                 its processes of each one's fastest run; the change is HEAD's over BASE's, \
                 with its 95% interval from a bootstrap over each side's processes. \
                 Instructions per run by callgrind, where valgrind runs.",
                options.pairs,
                MORE_PAIRS_AT_MOST,
                ROUNDS_PER_PAIR,
                paired::TURN_MILLIS
            );
            (rows, how, crate::harness::criterion::home(root).ok())
        }
        Method::Criterion => {
            let rows = criterion_method::run(
                root,
                &git,
                &base_commit,
                &head,
                options.filter,
                options.quick,
            )?;
            let how = "Criterion: medians of BASE's run and HEAD's after it, criterion's \
                       interval of the change and its verdict."
                .to_owned();
            (rows, how, Some(criterion_method::home(root)))
        }
    };
    if rows.is_empty() {
        return Err(Failure(format!(
            "no bench matched --filter {:?}; `cargo bench -- --list` shows the IDs",
            options.filter.unwrap_or("")
        ))
        .into());
    }

    let base_counters = git.show(&base_commit, "reports/counters.json");
    let head_counters = match &head {
        Revision::Commit(commit) => git.show(commit, "reports/counters.json"),
        Revision::WorkingTree => std::fs::read_to_string(root.join("reports/counters.json")).ok(),
    };
    let changes = counter_changes(base_counters.as_deref(), head_counters.as_deref());
    let heading = Heading {
        base: &base_label,
        head: &head_label,
        method: match options.method {
            Method::Paired => "paired",
            Method::Criterion => "criterion",
        },
        how: &how,
        noise: options.noise,
    };
    let criterion_page = |bench: &str| {
        let home = criterion_home.as_ref()?;
        let page = home
            .join(crate::harness::criterion::criterion_dir(bench))
            .join("report/index.html");
        page.is_file().then(|| relative_link(&out, &page))
    };
    let summary = report::summary(&heading, &rows, &changes);
    write_atomically(&out.join("summary.md"), summary.as_bytes())?;
    write_atomically(
        &out.join("summary.json"),
        report::summary_json(&heading, &rows).as_bytes(),
    )?;
    write_atomically(
        &out.join("index.html"),
        report::page(&heading, &rows, &changes, &criterion_page).as_bytes(),
    )?;
    print!("{summary}");
    eprintln!(
        "wrote {}/{{index.html,summary.md,summary.json}}",
        out.display()
    );

    gate(&rows, options.fail_on_regression)
}

/// Exit 3 when a row of ours is `slower` with even the low end of its
/// interval above `limit` percent.
fn gate(rows: &[Row], limit: Option<f64>) -> Result<(), Exit> {
    let Some(limit) = limit else {
        return Ok(());
    };
    let ours = |bench: &str| bench.ends_with("/stack") || bench.ends_with("/stack-spill");
    let regressed: Vec<String> = rows
        .iter()
        .filter(|row| ours(&row.bench) && row.verdict == "slower")
        .filter(|row| row.change.is_some_and(|change| change.low > limit))
        .map(|row| {
            let change = row.change.expect("filtered on it");
            format!(
                "{} {:+.1}% (at least {:+.1}%)",
                row.bench, change.change, change.low
            )
        })
        .collect();
    if regressed.is_empty() {
        Ok(())
    } else {
        Err(Exit {
            message: format!("slower by more than {limit}%: {}", regressed.join(", ")),
            code: 3,
        })
    }
}

/// Where each dataset comes from, as `performance` takes them (see
/// [`DatasetChoice`]). Every file is read once here, so that a bad one, or
/// two datasets of one name, is refused before anything is built.
fn origins(root: &Path, choice: &DatasetChoice) -> Result<Vec<Origin>, Failure> {
    let mut origins = Vec::new();
    if choice.datasets.is_empty() {
        origins.extend(Name::ALL.iter().map(|&name| Origin::Builtin(name)));
        let variable = std::env::var_os(files::DATA_VARIABLE);
        let found = files::bench_files(variable.as_deref(), root)?;
        origins.extend(found.into_iter().map(Origin::File));
    } else {
        for given in &choice.datasets {
            origins.push(match given.parse::<Name>() {
                Ok(name) => Origin::Builtin(name),
                Err(_) => {
                    check_looks_like_a_file(given)?;
                    Origin::File(PathBuf::from(given))
                }
            });
        }
    }

    let mut labels = BTreeSet::new();
    for origin in &origins {
        if let Origin::File(path) = origin {
            Entry::load(path, choice.shape)?;
        }
        let label = origin.label()?;
        if !labels.insert(label.clone()) {
            return Err(Failure(format!(
                "two datasets would both be named {label:?} in bench IDs; accepted: files \
                 whose stems differ from each other and from the built-in datasets"
            )));
        }
    }
    Ok(origins)
}

/// Bootstrap resamples behind each interval.
const RESAMPLES: usize = 2000;

/// Rounds each pair of worker processes runs: enough that each side
/// likely has a quiet turn per bench, few enough for many pairs.
const ROUNDS_PER_PAIR: usize = 5;

/// How many times the pairs asked a bench may get when its interval stays
/// wider than twice the noise threshold: on a busy machine whole stretches
/// of processes run slow, and more of them find the quiet ones.
const MORE_PAIRS_AT_MOST: usize = 4;

/// A worker of each build, each started from a fresh copy of its program.
///
/// A program's code is shared by all its processes, in the physical pages
/// its file got; an A/A run once found every process of one side slower,
/// with byte-identical code (docs/measuring.md). A copy per pair makes
/// that placement, too, one sample per pair rather than one per side.
fn start_workers(
    root: &Path,
    programs: &[PathBuf],
    dataset_args: &[String],
    names: [&str; 2],
) -> Result<[Worker; 2], Exit> {
    let start = |side: usize| -> Result<Worker, Exit> {
        let copy = root
            .join("target/compare/workers")
            .join(["base", "head"][side])
            .join(programs[side].file_name().expect("a program has a name"));
        let copied = std::fs::create_dir_all(copy.parent().expect("joined above")).and_then(|()| {
            match std::fs::remove_file(&copy) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
                _ => std::fs::copy(&programs[side], &copy),
            }
        });
        copied.map_err(|error| {
            Exit::failed(format!(
                "cannot copy {} to {}: {error}",
                programs[side].display(),
                copy.display()
            ))
        })?;
        Worker::start(&copy, dataset_args, names[side])
    };
    Ok([start(0)?, start(1)?])
}

/// The paired rows of every bench both builds have that `filter` matches.
fn paired_rows(
    root: &Path,
    git: &Git<'_>,
    revisions: &[Revision; 2],
    filter: Option<&Regex>,
    options: &Options<'_>,
    origins: &[Origin],
) -> Result<Vec<Row>, Exit> {
    let bar = ProgressBar::new(2);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").expect("the template is valid"),
    );
    let names = [options.base, options.head.unwrap_or("working tree")];

    bar.set_message(format!("building {} and {}", names[0], names[1]));
    let programs = build::build_both(root, git, revisions)?;
    bar.inc(2);

    let mut dataset_args: Vec<String> = origins
        .iter()
        .flat_map(|origin| ["--dataset".to_owned(), origin.argument()])
        .collect();
    if let Some(shape) = options.datasets.shape {
        dataset_args.extend(["--shape".to_owned(), shape.to_string()]);
    }
    bar.set_message("starting the workers (generating the datasets)");
    let mut workers = start_workers(root, &programs, &dataset_args, names)?;
    let head_ids: BTreeSet<String> = workers[1].list()?.into_iter().collect();
    let benches: Vec<String> = workers[0]
        .list()?
        .into_iter()
        .filter(|id| head_ids.contains(id))
        .filter(|id| filter.is_none_or(|filter| filter.is_match(id)))
        .collect();
    if benches.is_empty() {
        return Ok(Vec::new());
    }

    // Instructions first, while the timing has not begun: callgrind takes
    // both cores.
    let counts = if valgrind_runs() {
        bar.set_message("counting instructions under callgrind");
        Some(count_both(
            root,
            &programs,
            origins,
            &benches,
            options.filter,
        )?)
    } else {
        None
    };

    bar.set_length(2 + (options.pairs * ROUNDS_PER_PAIR * benches.len()) as u64);
    // Per bench, per pair, per round: each side's fastest run of its turn.
    let mut turns: HashMap<&str, Vec<Vec<(f64, f64)>>> = HashMap::new();
    // The benches still measured: all of them for the pairs asked, then
    // those whose interval is still too wide to decide on.
    let mut measured: Vec<&str> = benches.iter().map(String::as_str).collect();
    let most_pairs = options.pairs * MORE_PAIRS_AT_MOST;
    for pair in 0..most_pairs {
        if pair >= options.pairs {
            measured.retain(|bench| {
                let change = change_of(&turns[bench], RESAMPLES);
                change.high - change.low > 2.0 * options.noise
            });
            if measured.is_empty() {
                break;
            }
            bar.inc_length((ROUNDS_PER_PAIR * measured.len()) as u64);
        }
        let of = if pair < options.pairs {
            format!("pair {} of {}", pair + 1, options.pairs)
        } else {
            format!(
                "pair {} (up to {most_pairs}) for {} benches whose interval is wider than {}%",
                pair + 1,
                measured.len(),
                2.0 * options.noise
            )
        };
        bar.set_message(format!("{of}: new workers"));
        if pair > 0 {
            workers = start_workers(root, &programs, &dataset_args, names)?;
        }
        for round in 0..ROUNDS_PER_PAIR {
            bar.set_message(format!("{of}, round {} of {ROUNDS_PER_PAIR}", round + 1));
            for (at, &bench) in measured.iter().enumerate() {
                // Each build goes first in every other turn.
                let first = (pair + round + at) % 2;
                let mut times = [0.0; 2];
                for side in [first, 1 - first] {
                    times[side] = workers[side].turn(bench, paired::TURN_MILLIS)?;
                }
                let pairs = turns.entry(bench).or_default();
                if round == 0 {
                    pairs.push(Vec::new());
                }
                pairs.last_mut().expect("pushed").push((times[0], times[1]));
                bar.inc(1);
            }
        }
    }
    bar.finish_and_clear();

    Ok(benches
        .iter()
        .map(|bench| {
            let pairs = &turns[bench.as_str()];
            let change = change_of(pairs, RESAMPLES);
            let [base, head] =
                paired::fastest_of_each_process(pairs).map(|fastest| quiet_time(&fastest));
            let instructions = |side: usize| {
                counts
                    .as_ref()
                    .and_then(|counts: &[HashMap<String, f64>; 2]| counts[side].get(bench))
                    .copied()
            };
            Row {
                bench: bench.clone(),
                base: Some(base),
                head: Some(head),
                change: Some(change),
                base_instructions: instructions(0),
                head_instructions: instructions(1),
                verdict: verdict(&change, options.noise).to_owned(),
            }
        })
        .collect())
}

/// Instructions per run of `benches` in both builds, one callgrind process
/// per build and dataset, the builds side by side.
fn count_both(
    root: &Path,
    programs: &[PathBuf],
    origins: &[Origin],
    benches: &[String],
    filter: Option<&str>,
) -> Result<[HashMap<String, f64>; 2], Exit> {
    // Only the datasets some bench belongs to.
    let wanted: Vec<&Origin> = origins
        .iter()
        .filter(|origin| {
            let label = origin.label().unwrap_or_default();
            benches
                .iter()
                .any(|bench| bench.split('/').any(|part| part == label))
        })
        .collect();

    let count = |side: usize| -> Result<HashMap<String, f64>, Failure> {
        let scratch = root.join(format!("target/compare/instructions-{side}"));
        std::fs::create_dir_all(&scratch)
            .map_err(|error| Failure(format!("cannot make {}: {error}", scratch.display())))?;
        let mut counts = HashMap::new();
        for origin in &wanted {
            counts.extend(count_dataset_matching(
                &programs[side],
                &scratch,
                origin,
                filter,
            )?);
        }
        let _ = std::fs::remove_dir_all(&scratch);
        Ok(counts)
    };
    let (base, head) = std::thread::scope(|scope| {
        let base = scope.spawn(|| count(0));
        let head = count(1);
        (base.join().expect("counting does not panic"), head)
    });
    // A failure under callgrind is a run that failed, not bad input.
    let fail = |failure: Failure| Exit::failed(failure.0);
    Ok([base.map_err(fail)?, head.map_err(fail)?])
}

/// `revision` as part of a directory name.
fn file_name(revision: &str) -> String {
    revision.replace(['/', '\\', ':'], "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(bench: &str, low: f64, verdict: &str) -> Row {
        Row {
            bench: bench.to_owned(),
            base: Some(1.0),
            head: Some(1.1),
            change: Some(Change {
                change: low + 1.0,
                low,
                high: low + 2.0,
            }),
            base_instructions: None,
            head_instructions: None,
            verdict: verdict.to_owned(),
        }
    }

    #[test]
    fn the_gate_stops_on_our_rows_alone_and_beyond_its_limit() {
        let rows = [
            row("encode/wire/default/geo/musli-system", 50.0, "slower"),
            row("encode/wire/default/geo/stack", 4.0, "slower"),
        ];
        assert!(gate(&rows, None).is_ok());
        assert!(gate(&rows, Some(5.0)).is_ok(), "stack's low end is 4%");
        let stop = gate(&rows, Some(3.0)).expect_err("stack is slower by 4% or more");
        assert_eq!(stop.code, 3);
        assert!(
            stop.message.contains("encode/wire/default/geo/stack"),
            "{}",
            stop.message
        );
        assert!(!stop.message.contains("musli-system"), "{}", stop.message);

        let spill = [row("encode/wire/default/geo/stack-spill", 9.0, "slower")];
        assert_eq!(gate(&spill, Some(3.0)).expect_err("slower").code, 3);
    }

    #[test]
    fn a_row_says_when_time_and_instructions_disagree() {
        let mut slower = row("x/stack", 5.0, "slower");
        slower.base_instructions = Some(100.0);
        slower.head_instructions = Some(90.0);
        assert_eq!(slower.disagreement(2.0), Some("faster"), "opposite ways");
        slower.head_instructions = Some(101.0);
        assert_eq!(
            slower.disagreement(2.0),
            Some("no change"),
            "time moved, count within the noise"
        );
        slower.head_instructions = Some(110.0);
        assert_eq!(slower.disagreement(2.0), None, "both slower");

        let mut same = row("x/stack", -1.0, "no change");
        same.base_instructions = Some(100.0);
        same.head_instructions = Some(101.0);
        assert_eq!(same.disagreement(2.0), None, "both within the noise");
        same.head_instructions = Some(95.0);
        assert_eq!(
            same.disagreement(2.0),
            Some("faster"),
            "count moved, time did not"
        );

        let mut uncounted = row("x/stack", 5.0, "slower");
        uncounted.base_instructions = None;
        assert_eq!(
            uncounted.disagreement(2.0),
            None,
            "nothing to disagree with"
        );
    }
}
