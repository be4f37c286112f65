//! The paired method's measuring: both builds, their workers, the
//! instruction counts and the rounds, phase by phase.
//!
//! Pairs of worker processes, one of each build (`serve-runs`), time every
//! bench `--filter` picks in turns, round after round (see
//! [`crate::harness::rounds`]): each bench is a set of two turns, one per
//! build, so that load which comes and goes lands on both. Each pair of
//! processes starts from fresh copies of the two programs. A bench whose
//! interval is still wider than twice the noise threshold after the pairs
//! asked gets more pairs, up to [`MORE_PAIRS_AT_MOST`] times as many.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use regex::Regex;

use crate::bench_id::BenchId;
use crate::datasets::{Origin, Shape};
use crate::harness::cli::dataset_arguments;
use crate::harness::exit::Exit;
use crate::harness::instructions::{count_dataset_matching, valgrind_runs};
use crate::harness::rounds::{Fastest, ROUNDS_PER_PROCESS, Turn, run_pass};
use crate::harness::workers::{Worker, quiet_time};

use super::build::{self, Git, Revision};
use super::options::Options;
use super::paired::{self, Change};
use super::row::Row;

/// Bootstrap resamples behind each interval.
const RESAMPLES: usize = 2000;

/// How many times the pairs asked a bench may get when its interval stays
/// wider than twice the noise threshold: on a busy machine whole stretches
/// of processes run slow, and more of them find the quiet ones.
pub const MORE_PAIRS_AT_MOST: usize = 4;

/// BASE and HEAD, in the order of the workers' indices.
const SIDES: [&str; 2] = ["base", "head"];

/// The paired rows of every bench both builds have that `filter` matches.
pub fn paired_rows(
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

    let shape = options.datasets.shape()?;
    let dataset_args = dataset_arguments(origins, shape);
    let start = || start_workers(root, &programs, &dataset_args, names);

    bar.set_message("starting the workers (generating the datasets)");
    let mut workers = start()?;
    let benches = common_benches(&mut workers, filter)?;
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
            shape,
            &benches,
            options.filter,
        )?)
    } else {
        None
    };

    let fastest = time_in_pairs(&mut workers, &start, &benches, options, &bar)?;
    bar.finish_and_clear();

    Ok(benches
        .iter()
        .map(|bench| {
            let [base, head] = sides(&fastest, bench);
            let change = paired::change_of(base, head, RESAMPLES);
            let instructions = |side: usize| {
                counts
                    .as_ref()
                    .and_then(|counts| counts[side].get(bench))
                    .copied()
            };
            Row {
                bench: bench.clone(),
                base: Some(quiet_time(base)),
                head: Some(quiet_time(head)),
                change: Some(change),
                base_instructions: instructions(0),
                head_instructions: instructions(1),
                verdict: paired::verdict(&change, options.noise),
            }
        })
        .collect())
}

/// The benches both builds list that `filter` matches, in BASE's order.
fn common_benches(workers: &mut [Worker; 2], filter: Option<&Regex>) -> Result<Vec<BenchId>, Exit> {
    let head: BTreeSet<BenchId> = workers[1].list()?.into_iter().collect();
    Ok(workers[0]
        .list()?
        .into_iter()
        .filter(|bench| head.contains(bench))
        .filter(|bench| filter.is_none_or(|filter| filter.is_match(&bench.to_string())))
        .collect())
}

/// BASE's and HEAD's fastest run of each process, for `bench`.
fn sides<'a>(fastest: &'a Fastest, bench: &BenchId) -> [&'a [f64]; 2] {
    [0, 1].map(|worker| {
        let turn = Turn {
            worker,
            bench: bench.clone(),
        };
        fastest.get(&turn).map_or(&[][..], Vec::as_slice)
    })
}

/// Times `benches` in pairs of processes: the pairs asked, then more for
/// the benches whose interval is still too wide to decide on. `workers`
/// is the first pair, already started; `start` starts the next.
fn time_in_pairs(
    workers: &mut [Worker; 2],
    start: &dyn Fn() -> Result<[Worker; 2], Exit>,
    benches: &[BenchId],
    options: &Options<'_>,
    bar: &ProgressBar,
) -> Result<Fastest, Exit> {
    let set = |bench: &BenchId| -> Vec<Turn> {
        (0..2)
            .map(|worker| Turn {
                worker,
                bench: bench.clone(),
            })
            .collect()
    };
    let mut measured: Vec<&BenchId> = benches.iter().collect();
    bar.set_length(2 + (options.pairs * ROUNDS_PER_PROCESS * benches.len()) as u64);
    let most_pairs = options.pairs * MORE_PAIRS_AT_MOST;
    let mut fastest = Fastest::new();
    for pair in 0..most_pairs {
        if pair >= options.pairs {
            measured.retain(|bench| {
                let [base, head] = sides(&fastest, bench);
                let change: Change = paired::change_of(base, head, RESAMPLES);
                change.high - change.low > 2.0 * options.noise
            });
            if measured.is_empty() {
                break;
            }
            bar.inc_length((ROUNDS_PER_PROCESS * measured.len()) as u64);
            bar.set_message(format!(
                "pair {} (up to {most_pairs}) for {} benches whose interval is wider than {}%",
                pair + 1,
                measured.len(),
                2.0 * options.noise
            ));
        } else {
            bar.set_message(format!("pair {} of {}", pair + 1, options.pairs));
        }
        if pair > 0 {
            *workers = start()?;
        }
        let sets: Vec<Vec<Turn>> = measured.iter().map(|bench| set(bench)).collect();
        run_pass(
            workers,
            &sets,
            pair * ROUNDS_PER_PROCESS,
            ROUNDS_PER_PROCESS,
            &mut fastest,
            bar,
        )?;
    }
    Ok(fastest)
}

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
            .join(SIDES[side])
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

/// Instructions per run of `benches` in both builds, one callgrind process
/// per build and dataset, the builds side by side.
fn count_both(
    root: &Path,
    programs: &[PathBuf],
    origins: &[Origin],
    shape: Option<Shape>,
    benches: &[BenchId],
    filter: Option<&str>,
) -> Result<[HashMap<BenchId, f64>; 2], Exit> {
    // Only the datasets some bench belongs to.
    let wanted: Vec<&Origin> = origins
        .iter()
        .filter(|origin| {
            origin.label().is_ok_and(|label| {
                benches
                    .iter()
                    .any(|bench| bench.group.dataset() == Some(label.as_str()))
            })
        })
        .collect();

    let count = |side: usize| -> Result<HashMap<BenchId, f64>, Exit> {
        let scratch = root.join(format!("target/compare/instructions-{}", SIDES[side]));
        std::fs::create_dir_all(&scratch)
            .map_err(|error| Exit::failed(format!("cannot make {}: {error}", scratch.display())))?;
        let mut counts = HashMap::new();
        for origin in &wanted {
            counts.extend(count_dataset_matching(
                &programs[side],
                &scratch,
                origin,
                shape,
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
    Ok([base?, head?])
}
