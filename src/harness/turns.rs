//! Times every contender in turns, in worker processes, for
//! `performance --turns`.
//!
//! A criterion run times one contender for a second or so, then the next:
//! when the machine's load changes in between, one contender pays for it and
//! the other does not. Here the contenders of a group take turns, round
//! after round (see [`super::rounds`]), and each keeps its fastest run:
//! load that comes and goes then slows every contender's slow runs alike
//! and leaves the fastest runs of each to compare. The rounds are spread
//! over worker processes of this build, and a contender's time is the
//! [`quiet_time`] of its fastest runs in them: one process can run one
//! contender slow for as long as it lives.

use std::collections::{BTreeMap, HashMap};

use indicatif::{ProgressBar, ProgressStyle};

use crate::bench_id::{BenchId, GroupId};

use super::exit::Exit;
use super::rounds::{Fastest, ROUNDS_PER_PROCESS, Turn, run_pass};
use super::workers::{Worker, quiet_time};

/// Every bench of the groups `performance` measures (a worker's `list`:
/// see `Suite::measured_groups`), each contender's time in nanoseconds.
/// The workers are this program, given `dataset_args`.
pub fn measure(dataset_args: &[String], rounds: usize) -> Result<HashMap<BenchId, f64>, Exit> {
    let program = std::env::current_exe()
        .map_err(|error| Exit::failed(format!("cannot find this program: {error}")))?;
    let start = || Worker::start(&program, dataset_args, "this build");

    let mut worker = start()?;
    // A group's contenders take turns with each other.
    let mut groups: BTreeMap<GroupId, Vec<Turn>> = BTreeMap::new();
    for bench in worker.list()? {
        let turns = groups.entry(bench.group.clone()).or_default();
        turns.push(Turn { worker: 0, bench });
    }
    let sets: Vec<Vec<Turn>> = groups.into_values().collect();

    let bar = ProgressBar::new((rounds * sets.len()) as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} turns of groups {msg}")
            .expect("the template is valid"),
    );
    let mut fastest = Fastest::new();
    for first_round in (0..rounds).step_by(ROUNDS_PER_PROCESS) {
        bar.set_message(format!("process {}", first_round / ROUNDS_PER_PROCESS + 1));
        if first_round > 0 {
            worker = start()?;
        }
        let of_pass = ROUNDS_PER_PROCESS.min(rounds - first_round);
        run_pass(
            std::slice::from_mut(&mut worker),
            &sets,
            first_round,
            of_pass,
            &mut fastest,
            &bar,
        )?;
    }
    bar.finish_and_clear();
    Ok(fastest
        .into_iter()
        .map(|(turn, fastest)| (turn.bench, quiet_time(&fastest)))
        .collect())
}
