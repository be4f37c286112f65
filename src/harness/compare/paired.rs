//! Paired timing: a worker process per build (`serve-runs`), taking turns
//! bench by bench, round after round, so that load which comes and goes
//! lands on both builds alike; and the interval of their ratio.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::harness::serve::PROTOCOL;
use crate::harness::{Exit, Failure};

/// How long each build runs a bench in one turn.
pub const TURN_MILLIS: u64 = 20;

/// A build's `serve-runs` process.
pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// What to call it in messages: the revision.
    name: String,
}

impl Worker {
    /// Starts `program serve-runs` with `dataset_args` and checks that it
    /// speaks [`PROTOCOL`]. A build from before paired comparison does not:
    /// that is bad input (exit 2), with what to do instead.
    pub fn start(program: &Path, dataset_args: &[String], name: &str) -> Result<Self, Exit> {
        let mut child = Command::new(program)
            .arg("serve-runs")
            .args(dataset_args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| Exit::failed(format!("cannot run {}: {error}", program.display())))?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut worker = Self {
            child,
            stdin,
            stdout,
            name: name.to_owned(),
        };

        match worker.ask("protocol") {
            Ok(answer) if answer == PROTOCOL => Ok(worker),
            _ => {
                let stderr = worker.stop();
                if stderr.contains("unrecognized subcommand") {
                    Err(Exit::from(Failure(format!(
                        "{name} predates paired comparison (its harness has no serve-runs); \
                         accepted: revisions that have it, or --method criterion for older ones"
                    ))))
                } else {
                    Err(Exit::failed(format!(
                        "{name}'s worker did not start: {stderr}"
                    )))
                }
            }
        }
    }

    fn ask(&mut self, request: &str) -> Result<String, Exit> {
        writeln!(self.stdin, "{request}")
            .and_then(|()| self.stdin.flush())
            .map_err(|error| Exit::failed(format!("{}'s worker stopped: {error}", self.name)))?;
        let mut line = String::new();
        let read = self
            .stdout
            .read_line(&mut line)
            .map_err(|error| Exit::failed(format!("{}'s worker: {error}", self.name)))?;
        if read == 0 {
            return Err(Exit::failed(format!(
                "{}'s worker stopped answering",
                self.name
            )));
        }
        Ok(line.trim_end().to_owned())
    }

    /// Every bench ID the build can run.
    pub fn list(&mut self) -> Result<Vec<String>, Exit> {
        let mut ids = Vec::new();
        let mut line = self.ask("list")?;
        while line != "end" {
            if let Some(message) = line.strip_prefix("error ") {
                return Err(Exit::failed(format!("{}: {message}", self.name)));
            }
            ids.push(std::mem::take(&mut line));
            self.stdout
                .read_line(&mut line)
                .map_err(|error| Exit::failed(format!("{}'s worker: {error}", self.name)))?;
            line = line.trim_end().to_owned();
            if line.is_empty() {
                return Err(Exit::failed(format!(
                    "{}'s worker stopped listing",
                    self.name
                )));
            }
        }
        Ok(ids)
    }

    /// One turn of bench `id`: its fastest run in nanoseconds.
    pub fn turn(&mut self, id: &str) -> Result<f64, Exit> {
        let answer = self.ask(&format!("run {id} {TURN_MILLIS}"))?;
        let fields: Vec<&str> = answer.split_whitespace().collect();
        match fields[..] {
            ["ok", _runs, fastest, _median] => fastest
                .parse()
                .map_err(|_| Exit::failed(format!("{}'s worker answered {answer:?}", self.name))),
            _ => Err(Exit::failed(format!(
                "{} on {id}: {}",
                self.name,
                answer.strip_prefix("error ").unwrap_or(&answer)
            ))),
        }
    }

    /// Ends the worker, returning what it wrote on stderr.
    fn stop(&mut self) -> String {
        let _ = self.child.kill();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
        }
        let _ = self.child.wait();
        stderr.trim().to_owned()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A change and its interval, in percent of BASE.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// The estimate: HEAD's fastest run over BASE's, as a change.
    pub change: f64,
    /// The low end of its 95% bootstrap interval.
    pub low: f64,
    /// The high end.
    pub high: f64,
}

/// The change from the rounds' fastest runs, `(base, head)` per round: the
/// ratio of HEAD's fastest run over all rounds to BASE's, and the 2.5th and
/// 97.5th percentiles of that ratio over `resamples` resamples of the
/// rounds (a percentile bootstrap; the two runs of a round stay together),
/// seeded so that the same runs give the same interval.
///
/// Why the fastest runs: load on a shared machine only ever slows a run
/// down, by amounts that differ from turn to turn, so a mean of the
/// rounds' ratios moves with it; each side's fastest run is what it does
/// when nothing got in its way.
pub fn change_of(rounds: &[(f64, f64)], resamples: usize) -> Change {
    let ratio = |picked: &mut dyn Iterator<Item = (f64, f64)>| {
        let (base, head) = picked.fold((f64::INFINITY, f64::INFINITY), |(b, h), (base, head)| {
            (b.min(base), h.min(head))
        });
        (head / base - 1.0) * 100.0
    };

    let mut rng = ChaCha8Rng::seed_from_u64(0x006d_7573_6c69);
    let mut resampled: Vec<f64> = (0..resamples)
        .map(|_| ratio(&mut (0..rounds.len()).map(|_| rounds[rng.random_range(0..rounds.len())])))
        .collect();
    resampled.sort_by(f64::total_cmp);
    let at = |quantile: f64| resampled[((resampled.len() - 1) as f64 * quantile).round() as usize];
    Change {
        change: ratio(&mut rounds.iter().copied()),
        low: at(0.025),
        high: at(0.975),
    }
}

/// `faster`, `slower` or `no change`: a change is only a change when its
/// whole interval lies beyond the noise threshold, `noise` percent.
pub fn verdict(change: &Change, noise: f64) -> &'static str {
    if change.low > noise {
        "slower"
    } else if change.high < -noise {
        "faster"
    } else {
        "no change"
    }
}

#[cfg(test)]
mod tests {
    use super::{Change, change_of, verdict};

    #[test]
    fn the_change_is_of_the_fastest_runs_and_load_does_not_move_it() {
        let steady = change_of(&[(100.0, 110.0); 12], 500);
        assert!((steady.change - 10.0).abs() < 1e-9, "{steady:?}");
        assert!((steady.low - 10.0).abs() < 1e-9 && (steady.high - 10.0).abs() < 1e-9);

        // The same code, HEAD's turns hit by load in half the rounds.
        let loaded: Vec<(f64, f64)> = (0..16)
            .map(|round| {
                let jitter = f64::from(round % 3);
                let head = if round % 2 == 0 {
                    150.0
                } else {
                    100.0 + jitter
                };
                (100.0 + jitter, head)
            })
            .collect();
        let change = change_of(&loaded, 2000);
        assert!(change.change.abs() < 1e-9, "{change:?}");
        assert!(change.low <= 0.0 && change.high >= 0.0, "{change:?}");
        assert!(change.high < 3.0, "{change:?}");
        assert_eq!(change, change_of(&loaded, 2000), "seeded");
    }

    #[test]
    fn a_verdict_needs_the_whole_interval_beyond_the_noise() {
        let change = |low, high| Change {
            change: (low + high) / 2.0,
            low,
            high,
        };
        assert_eq!(verdict(&change(2.5, 9.0), 2.0), "slower");
        assert_eq!(verdict(&change(1.0, 9.0), 2.0), "no change");
        assert_eq!(verdict(&change(-9.0, -2.5), 2.0), "faster");
        assert_eq!(verdict(&change(-9.0, 3.0), 2.0), "no change");
        assert_eq!(verdict(&change(-1.0, 1.0), 0.0), "no change");
    }
}
