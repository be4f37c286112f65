//! Rounds of turns in worker processes: the one loop that both
//! `performance --turns` and `compare` time with.
//!
//! A *turn* is one worker running one bench for about [`TURN`] and
//! answering with its fastest run. Turns that are to be compared with each
//! other form a *set* (the contenders of a group; or one bench in the two
//! builds) and run one right after another, so that load which comes and
//! goes lands on all of them; the order within a set rotates by one each
//! round, so that none always goes first. A process runs a few rounds and
//! keeps, per turn, its fastest run: what that process does when nothing
//! got in its way. Callers start new processes between calls and make one
//! time of the processes' fastest runs ([`super::workers::quiet_time`]).

use std::collections::HashMap;
use std::time::Duration;

use indicatif::ProgressBar;

use crate::bench_id::BenchId;

use super::exit::Exit;
use super::workers::Worker;

/// How long a worker runs a bench in one turn: long enough that the
/// clock's resolution does not matter, short enough for many turns.
pub const TURN: Duration = Duration::from_millis(10);

/// Rounds each worker process runs before the next one starts.
pub const ROUNDS_PER_PROCESS: usize = 5;

/// One turn: which worker (an index into the workers given), which bench.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Turn {
    /// The worker's index: 0 with one build; 0 for BASE, 1 for HEAD.
    pub worker: usize,
    /// The bench it runs.
    pub bench: BenchId,
}

/// Per turn, the fastest run of each process so far, in nanoseconds, in
/// the order the processes ran.
pub type Fastest = HashMap<Turn, Vec<f64>>;

/// The order in which a set of `count` turns runs in round `round`: each
/// round starts one later, so over `count` rounds every turn has every
/// place once.
pub fn turn_order(round: usize, count: usize) -> impl Iterator<Item = usize> {
    (0..count).map(move |place| (round + place) % count)
}

/// Runs `rounds` rounds of every set of `sets` on `workers` (the
/// processes of one pass, just started), and appends each turn's fastest
/// run of this pass to `fastest`. `first_round` numbers the rounds across
/// passes, so that the rotation goes on where the last pass left it.
/// `bar` advances by one per set and round.
pub fn run_pass(
    workers: &mut [Worker],
    sets: &[Vec<Turn>],
    first_round: usize,
    rounds: usize,
    fastest: &mut Fastest,
    bar: &ProgressBar,
) -> Result<(), Exit> {
    let mut of_this_pass: HashMap<&Turn, f64> = HashMap::new();
    for round in first_round..first_round + rounds {
        for (at, set) in sets.iter().enumerate() {
            for place in turn_order(round + at, set.len()) {
                let turn = &set[place];
                let time = workers[turn.worker].turn(&turn.bench, TURN)?;
                let best = of_this_pass.entry(turn).or_insert(f64::INFINITY);
                *best = best.min(time);
            }
            bar.inc(1);
        }
    }
    for (turn, time) in of_this_pass {
        fastest.entry(turn.clone()).or_default().push(time);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::turn_order;

    #[test]
    fn every_turn_takes_every_place_once_in_as_many_rounds() {
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
