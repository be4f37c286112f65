//! The statistics of paired timing: from the fastest run of each worker
//! process of the two builds (see [`super::measure`]), the change, its
//! interval, and the verdict.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::harness::workers::quiet_time;

/// A change and its interval, in percent of BASE.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// The estimate: HEAD's [`quiet_time`] over BASE's.
    pub change: f64,
    /// The low end of its 95% bootstrap interval.
    pub low: f64,
    /// The high end.
    pub high: f64,
}

/// The change from BASE's and HEAD's fastest run of each of their worker
/// processes: HEAD's [`quiet_time`] over BASE's, and the 2.5th and 97.5th
/// percentiles of that change over `resamples` resamples of each side's
/// processes (a percentile bootstrap), seeded so that the same runs give
/// the same interval.
///
/// The two sides' processes take turns, so load that comes and goes lands
/// on both; but a process's placement is its own, so the sides are
/// resampled apart.
pub(crate) fn change_of(base: &[f64], head: &[f64], resamples: usize) -> Change {
    let change = |base: &[f64], head: &[f64]| (quiet_time(head) / quiet_time(base) - 1.0) * 100.0;

    let mut rng = ChaCha8Rng::seed_from_u64(0x006d_7573_6c69);
    let mut resample = |of: &[f64]| -> Vec<f64> {
        (0..of.len())
            .map(|_| of[rng.random_range(0..of.len())])
            .collect()
    };
    let mut resampled: Vec<f64> = (0..resamples)
        .map(|_| {
            let base = resample(base);
            change(&base, &resample(head))
        })
        .collect();
    resampled.sort_by(f64::total_cmp);
    let at = |quantile: f64| resampled[((resampled.len() - 1) as f64 * quantile).round() as usize];
    Change {
        change: change(base, head),
        low: at(0.025),
        high: at(0.975),
    }
}

/// What a comparison says of one bench, in the words the reports use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::Display)]
pub enum Verdict {
    /// HEAD takes less: the whole interval lies below the noise threshold.
    #[strum(serialize = "faster")]
    Faster,
    /// HEAD takes more: the whole interval lies above it.
    #[strum(serialize = "slower")]
    Slower,
    /// Neither.
    #[strum(serialize = "no change")]
    NoChange,
}

impl serde::Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.into())
    }
}

/// The verdict on `change`: a change is only a change when its whole
/// interval lies beyond the noise threshold, `noise` percent.
pub(crate) fn verdict(change: &Change, noise: f64) -> Verdict {
    if change.low > noise {
        Verdict::Slower
    } else if change.high < -noise {
        Verdict::Faster
    } else {
        Verdict::NoChange
    }
}

#[cfg(test)]
mod tests {
    use super::{Change, Verdict, verdict};

    /// The change from `pairs`, `(base, head)` per round of each pair of
    /// processes.
    fn change_of(pairs: &[Vec<(f64, f64)>], resamples: usize) -> Change {
        let fastest = |side: fn(&(f64, f64)) -> f64| -> Vec<f64> {
            pairs
                .iter()
                .map(|rounds| rounds.iter().map(side).fold(f64::INFINITY, f64::min))
                .collect()
        };
        super::change_of(
            &fastest(|round| round.0),
            &fastest(|round| round.1),
            resamples,
        )
    }

    #[test]
    fn a_process_counts_its_fastest_run_and_load_within_it_does_not() {
        // HEAD 10% slower; in every pair, load hits one side's turns in
        // some rounds, by amounts that differ.
        let pairs: Vec<Vec<(f64, f64)>> = (0..12)
            .map(|pair| {
                (0..5)
                    .map(|round| {
                        let load = f64::from((pair * 7 + round * 3) % 5) * 20.0;
                        if round % 2 == 0 {
                            (100.0 + load, 110.0)
                        } else {
                            (100.0, 110.0 + load)
                        }
                    })
                    .collect()
            })
            .collect();
        let change = change_of(&pairs, 500);
        assert!((change.change - 10.0).abs() < 1e-9, "{change:?}");
        assert!((change.low - 10.0).abs() < 1e-9, "{change:?}");
        assert!((change.high - 10.0).abs() < 1e-9, "{change:?}");
        assert_eq!(change, change_of(&pairs, 500), "seeded");
    }

    #[test]
    fn processes_placed_slow_do_not_move_the_verdict() {
        // No change, processes within 1% of each other, but in a third of
        // them one side runs 40% slower for the process's whole life.
        let pairs: Vec<Vec<(f64, f64)>> = (0..12)
            .map(|pair| {
                let spread = f64::from(pair % 5) * 0.25;
                let (base, head) = match pair % 6 {
                    1 => (140.0, 100.0 + spread),
                    4 => (100.0 + spread, 140.0),
                    _ => (100.0 + spread, 100.0 + f64::from((pair + 2) % 5) * 0.25),
                };
                vec![(base, head); 5]
            })
            .collect();
        let change = change_of(&pairs, 2000);
        assert!(change.low >= -1.0 && change.high <= 1.0, "{change:?}");
        assert_eq!(verdict(&change, 2.0), Verdict::NoChange);

        // The same processes around a 20% slowdown say slower.
        let slower: Vec<Vec<(f64, f64)>> = pairs
            .iter()
            .map(|rounds| {
                rounds
                    .iter()
                    .map(|&(base, head)| (base, head * 1.2))
                    .collect()
            })
            .collect();
        let change = change_of(&slower, 2000);
        assert!(change.low > 18.0 && change.high < 22.0, "{change:?}");
        assert_eq!(verdict(&change, 5.0), Verdict::Slower);
    }

    #[test]
    fn a_verdict_needs_the_whole_interval_beyond_the_noise() {
        let change = |low, high| Change {
            change: (low + high) / 2.0,
            low,
            high,
        };
        assert_eq!(verdict(&change(2.5, 9.0), 2.0), Verdict::Slower);
        assert_eq!(verdict(&change(1.0, 9.0), 2.0), Verdict::NoChange);
        assert_eq!(verdict(&change(-9.0, -2.5), 2.0), Verdict::Faster);
        assert_eq!(verdict(&change(-9.0, 3.0), 2.0), Verdict::NoChange);
        assert_eq!(verdict(&change(-1.0, 1.0), 0.0), Verdict::NoChange);
    }
}
