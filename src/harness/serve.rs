//! `serve-runs`: the worker `compare` starts in each build, so that the two
//! builds' runs can alternate while each keeps its datasets and runners.
//!
//! It reads one request per line on stdin and answers on stdout, one line
//! each (`list` answers with many, then `end`):
//!
//! | request | answer |
//! |---|---|
//! | `protocol` | `paired 1` |
//! | `list` | every bench ID it can run, one per line, then `end` |
//! | `run ID MILLIS` | `ok RUNS FASTEST_NS MEDIAN_NS`: runs of bench `ID` for about `MILLIS` ms, each timed |
//! | anything that fails | `error MESSAGE` |
//!
//! A bench's runner is built at its first `run`, after one run that checks
//! its output (see [`crate::groups::Group::runner`]); that is the warm-up.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

use crate::bench_id::{BenchId, GroupId};
use crate::groups::{Group, Runner, Suite};

use super::exit::Exit;

/// What `protocol` answers: which requests and answers this worker speaks.
pub const PROTOCOL: &str = "paired 1";

/// Serves requests from stdin until it closes.
pub fn serve(suite: &Suite) -> Result<(), Exit> {
    let groups: Vec<Group<'_>> = suite.measured_groups();
    let by_id: HashMap<GroupId, &Group<'_>> =
        groups.iter().map(|group| (group.id(), group)).collect();
    let mut runners: HashMap<BenchId, Runner<'_>> = HashMap::new();

    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = line.map_err(|error| Exit::failed(format!("cannot read a request: {error}")))?;
        let answer = match line.split_whitespace().collect::<Vec<_>>()[..] {
            ["protocol"] => PROTOCOL.to_owned(),
            ["list"] => {
                let mut ids = Vec::new();
                for group in &groups {
                    if group.is_empty()? {
                        continue;
                    }
                    ids.extend(group.benches().iter().map(BenchId::to_string));
                }
                ids.push("end".to_owned());
                ids.join("\n")
            }
            ["run", id, millis] => match run(&by_id, &mut runners, id, millis) {
                Ok(answer) => answer,
                Err(error) => format!("error {error}"),
            },
            _ => format!("error unknown request {line:?}; accepted: protocol, list, run ID MILLIS"),
        };
        writeln!(stdout, "{answer}")
            .and_then(|()| stdout.flush())
            .map_err(|error| Exit::failed(format!("cannot answer: {error}")))?;
    }
    Ok(())
}

/// Times bench `id` for about `millis` ms, building its runner first if
/// this is its first turn.
fn run<'g>(
    by_id: &HashMap<GroupId, &'g Group<'g>>,
    runners: &mut HashMap<BenchId, Runner<'g>>,
    id: &str,
    millis: &str,
) -> Result<String, String> {
    let millis: u64 = millis
        .parse()
        .map_err(|_| format!("{millis:?} is not a number of milliseconds"))?;
    let id: BenchId = id
        .parse()
        .map_err(|error: crate::bench_id::BadId| error.to_string())?;
    if !runners.contains_key(&id) {
        let group = by_id
            .get(&id.group)
            .ok_or_else(|| format!("no group {} here", id.group))?;
        let runner = group
            .runner(id.contender)
            .map_err(|error| error.to_string())?;
        runners.insert(id.clone(), runner);
    }
    let runner = runners.get_mut(&id).expect("inserted above");

    let turn = Duration::from_millis(millis);
    let start = Instant::now();
    let mut times = Vec::new();
    while times.is_empty() || start.elapsed() < turn {
        let run_start = Instant::now();
        (runner.run)();
        times.push(run_start.elapsed().as_nanos() as u64);
    }
    times.sort_unstable();
    Ok(format!(
        "ok {} {} {}",
        times.len(),
        times[0],
        times[times.len() / 2]
    ))
}
