//! Times every contender in turns, in one process, for
//! `performance --turns`.
//!
//! A criterion run times one contender for a second or so, then the next:
//! when the machine's load changes in between, one contender pays for it and
//! the other does not. Here the contenders of a group take turns, round
//! after round, and each keeps its fastest run: load that comes and goes
//! then slows every contender's slow runs alike and leaves the fastest runs
//! of each to compare.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::groups::{Runner, Suite};

use super::Failure;

/// How long each contender runs in one turn: long enough that the clock's
/// resolution does not matter, short enough that many turns fit.
pub(super) const TURN: Duration = Duration::from_millis(20);

/// The fastest single run of each runner over `rounds` rounds, in
/// nanoseconds, in the order given. Each round every runner runs for about
/// [`TURN`], timed run by run; the order rotates from round to round so that
/// no runner always follows the same one.
fn fastest_runs(runners: &mut [Runner<'_>], rounds: usize) -> Vec<f64> {
    // One untimed run each, so that first-touch costs stay out, and a
    // measure of how many runs fill a turn.
    let runs_per_turn: Vec<u32> = runners
        .iter_mut()
        .map(|runner| {
            let start = Instant::now();
            (runner.run)();
            let once = start.elapsed().max(Duration::from_micros(1));
            (TURN.as_nanos() / once.as_nanos()).clamp(1, 10_000) as u32
        })
        .collect();

    let mut fastest = vec![f64::INFINITY; runners.len()];
    for round in 0..rounds {
        for at in turn_order(round, runners.len()) {
            for _ in 0..runs_per_turn[at] {
                let start = Instant::now();
                (runners[at].run)();
                let nanos = start.elapsed().as_nanos() as f64;
                fastest[at] = fastest[at].min(nanos);
            }
        }
    }
    fastest
}

/// The order in which `count` runners take their turns in round `round`:
/// each round starts one runner later, so over `count` rounds every runner
/// has every place once.
fn turn_order(round: usize, count: usize) -> impl Iterator<Item = usize> {
    (0..count).map(move |place| (round + place) % count)
}

/// Every group `performance` measures (see
/// [`Suite::measured_groups`]), each contender's fastest run in nanoseconds
/// under its bench ID, for example `encode/wire/default/geo/stack` or
/// `patterns/replay/geo/default/floor`.
pub fn measure(suite: &Suite, rounds: usize) -> Result<HashMap<String, f64>, Failure> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} groups {msg}")
            .expect("the template is valid"),
    );
    let times = measure_groups(suite, &bar, &mut |runners| fastest_runs(runners, rounds))?;
    bar.finish_and_clear();
    Ok(times)
}

/// What is done with the runners of one group: one figure per runner, in
/// their order.
type Measure<'m> = dyn FnMut(&mut [Runner<'_>]) -> Vec<f64> + 'm;

/// Builds the runners of every group `suite` measures, hands each group's
/// runners to `measure`, and returns its figures under the runners' bench
/// IDs. `bar` counts the groups.
fn measure_groups(
    suite: &Suite,
    bar: &ProgressBar,
    measure: &mut Measure<'_>,
) -> Result<HashMap<String, f64>, Failure> {
    let groups = suite.measured_groups();
    bar.inc_length(groups.len() as u64);

    let mut figures = HashMap::new();
    for group in &groups {
        bar.set_message(group.id());
        if !group.is_empty()? {
            let mut runners = group.runners()?;
            let values = measure(&mut runners);
            figures.extend(runners.into_iter().map(|runner| runner.id).zip(values));
        }
        bar.inc(1);
    }
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::{Runner, fastest_runs, turn_order};

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

    #[test]
    fn the_fastest_run_is_kept_and_every_runner_runs_every_round() {
        let runs = [Cell::new(0), Cell::new(0)];
        let spin = |micros: u64| {
            let start = std::time::Instant::now();
            while start.elapsed() < std::time::Duration::from_micros(micros) {}
        };
        let mut runners = vec![
            Runner {
                id: "quick".to_owned(),
                run: Box::new(|| {
                    runs[0].set(runs[0].get() + 1);
                    spin(50);
                }),
            },
            Runner {
                id: "slow".to_owned(),
                run: Box::new(|| {
                    runs[1].set(runs[1].get() + 1);
                    spin(2_000);
                }),
            },
        ];

        let fastest = fastest_runs(&mut runners, 3);
        drop(runners);

        assert!(
            fastest[0] >= 50_000.0 && fastest[0] < fastest[1],
            "{fastest:?}"
        );
        assert!(fastest[1] >= 2_000_000.0, "{fastest:?}");
        // One untimed run, then at least one per round; the quick one fills
        // its turn with more runs.
        assert!(runs[1].get() >= 4, "{}", runs[1].get());
        assert!(runs[0].get() > runs[1].get(), "{runs:?}");
    }
}
