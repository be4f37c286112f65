//! Times every contender in turns, in worker processes, for
//! `performance --turns`.
//!
//! A criterion run times one contender for a second or so, then the next:
//! when the machine's load changes in between, one contender pays for it and
//! the other does not. Here the contenders of a group take turns, round
//! after round, and each keeps its fastest run: load that comes and goes
//! then slows every contender's slow runs alike and leaves the fastest runs
//! of each to compare. The rounds are spread over worker processes of this
//! build, five each, and a contender's time is the [`quiet_time`] of its
//! fastest runs in them: one process can run one contender slow for as
//! long as it lives.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::Exit;
use super::workers::{Worker, quiet_time};

/// How long each contender runs in one turn: long enough that the clock's
/// resolution does not matter, short enough that many turns fit.
pub(super) const TURN: Duration = Duration::from_millis(20);

/// Rounds each worker process runs before the next one starts.
pub(super) const ROUNDS_PER_PROCESS: usize = 5;

/// The order in which `count` runners take their turns in round `round`:
/// each round starts one runner later, so over `count` rounds every runner
/// has every place once.
fn turn_order(round: usize, count: usize) -> impl Iterator<Item = usize> {
    (0..count).map(move |place| (round + place) % count)
}

/// Every bench of the groups `performance` measures (a worker's `list`:
/// see `Suite::measured_groups`), each contender's time in nanoseconds
/// under its bench ID, for example `encode/wire/default/geo/stack` or
/// `patterns/replay/geo/default/floor`. The workers are this program,
/// given `dataset_args`.
pub fn measure(dataset_args: &[String], rounds: usize) -> Result<HashMap<String, f64>, Exit> {
    let program = std::env::current_exe()
        .map_err(|error| Exit::failed(format!("cannot find this program: {error}")))?;
    let start = || Worker::start(&program, dataset_args, "this build");

    let mut worker = start()?;
    // The benches, group by group: a group's contenders take turns.
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for id in worker.list()? {
        let group = id.rsplit_once('/').map_or("", |(group, _)| group);
        groups.entry(group.to_owned()).or_default().push(id);
    }

    let bar = ProgressBar::new((rounds * groups.len()) as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} turns of groups {msg}")
            .expect("the template is valid"),
    );
    // Per bench, the fastest run of each process.
    let mut fastest: HashMap<String, Vec<f64>> = HashMap::new();
    for round in 0..rounds {
        if round % ROUNDS_PER_PROCESS == 0 {
            bar.set_message(format!("process {}", round / ROUNDS_PER_PROCESS + 1));
            if round > 0 {
                worker = start()?;
            }
            for ids in groups.values() {
                for id in ids {
                    fastest.entry(id.clone()).or_default().push(f64::INFINITY);
                }
            }
        }
        for ids in groups.values() {
            for at in turn_order(round, ids.len()) {
                let time = worker.turn(&ids[at], TURN.as_millis() as u64)?;
                let of_this_process = fastest
                    .get_mut(&ids[at])
                    .and_then(|runs| runs.last_mut())
                    .expect("pushed when the process started");
                *of_this_process = of_this_process.min(time);
            }
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    Ok(fastest
        .into_iter()
        .map(|(id, fastest)| (id, quiet_time(&fastest)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::turn_order;

    #[test]
    fn every_runner_takes_every_place_once_in_as_many_rounds() {
        let count = 5;
        for place in 0..count {
            let mut seen: Vec<usize> = (0..count)
                .map(|round| turn_order(round, count).nth(place).expect("a place"))
                .collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..count).collect::<Vec<_>>(), "place {place}");
        }
        for round in 0..count {
            let mut order: Vec<usize> = turn_order(round, count).collect();
            order.sort_unstable();
            assert_eq!(order, (0..count).collect::<Vec<_>>(), "round {round}");
        }
    }
}
