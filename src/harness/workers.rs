//! Timing across worker processes: `serve-runs` processes (see
//! [`crate::harness::serve`]) driven over a pipe, and the statistic that
//! makes one time of many processes' runs.
//!
//! Why several processes: on these machines a process runs a given bench
//! either at its quiet speed or, in some processes, far slower for as long
//! as it lives (`docs/measuring.md`, "Comparing two builds" has the
//! figures); so one process's fastest run is one draw, and a time is a
//! statistic over several.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use crate::bench_id::BenchId;

use crate::harness::exit::Exit;
use crate::harness::serve::PROTOCOL;

/// A `serve-runs` process of some build of the harness.
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
                    Err(Exit::bad_input(format!(
                        "{name} predates paired comparison (its harness has no serve-runs); \
                         accepted: revisions that have it, or --method criterion for older ones"
                    )))
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

    /// Every bench the build can run whose ID this build reads: another
    /// build may name contenders this one does not know, and those it
    /// cannot compare anyway.
    pub fn list(&mut self) -> Result<Vec<BenchId>, Exit> {
        let mut ids = Vec::new();
        let mut line = self.ask("list")?;
        while line != "end" {
            if let Some(message) = line.strip_prefix("error ") {
                return Err(Exit::failed(format!("{}: {message}", self.name)));
            }
            if let Ok(id) = line.parse() {
                ids.push(id);
            }
            line.clear();
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

    /// One turn of bench `id`, about `turn` long: its fastest run in
    /// nanoseconds.
    pub fn turn(&mut self, id: &BenchId, turn: Duration) -> Result<f64, Exit> {
        let answer = self.ask(&format!("run {id} {}", turn.as_millis()))?;
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

/// Which quantile of the processes' fastest runs is the quiet time.
const QUIET_QUANTILE: f64 = 0.25;

/// The time of a bench from `fastest`, its fastest run in each of several
/// worker processes of one build: their lower quartile.
///
/// Why the fastest run of a process: load only ever slows a run down, so
/// it is what the process does when nothing got in its way. Why not the
/// fastest of all processes: the fastest process is an extreme that a
/// bootstrap resample catches or misses; and not the median: it lands
/// among the processes that run slow all their life (see the module) when
/// they are many, as in a busy stretch. The lower quartile is a typical
/// process that ran at its quiet speed.
///
/// Panics when `fastest` is empty: every caller has one process at least.
pub fn quiet_time(fastest: &[f64]) -> f64 {
    let mut sorted = fastest.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = (sorted.len() - 1) as f64 * QUIET_QUANTILE;
    let below = at.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    sorted[below] + (sorted[above] - sorted[below]) * (at - below as f64)
}

#[cfg(test)]
mod tests {
    use super::quiet_time;

    #[test]
    fn the_quiet_time_is_the_lower_quartile() {
        assert_eq!(quiet_time(&[5.0, 1.0, 3.0, 2.0, 4.0]), 2.0);
        assert_eq!(quiet_time(&[7.0]), 7.0);
        // Between two samples it interpolates: of [0, 4, 100, 100], three
        // quarters of the way from the first to the second.
        assert_eq!(quiet_time(&[100.0, 4.0, 0.0, 100.0]), 3.0);
    }
}
