//! Counts the instructions of every run `performance --turns` times, under
//! valgrind's callgrind, for `performance --instructions`.
//!
//! Timings on a shared machine move from run to run; instruction counts do
//! not: the same build counts the same instructions on every run. Between
//! two builds they move where the code differs, and a little where it does
//! not, most where glibc's malloc is called (`musli-system`): likely with
//! the state the process leaves the heap in, and with where the call stack
//! lies, which decides the alignment of copies out of a `StackBuffer`
//! (the README gives sizes). What they leave out is
//! everything the memory system and the branch predictor add (caches, 4K
//! aliasing, mispredictions), which the timed reports keep.
//!
//! The command runs this program again under callgrind, once per dataset
//! (the hidden `count-instructions` command), up to one process per core.
//! That process builds the runners of the dataset's measured groups (see
//! `crate::groups`), as `--turns` does, runs each once
//! uncounted, as `--turns` does before its rounds, then once between two
//! calls of `between_counted_runs`, and prints the runner's bench ID.
//! Callgrind is told to write out its counts on every entry into that
//! function (`--dump-before`), so each counted run ends up alone in a
//! profile of its own: the second, fourth, sixth... that callgrind writes,
//! in the order of the IDs printed.

use std::collections::{HashMap, VecDeque};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use regex::Regex;

use crate::bench_id::BenchId;
use crate::datasets::{Name, Origin, Shape};
use crate::groups::{Runner, Suite};
use crate::names::Named;

use super::callgrind::total_instructions;
use super::exit::Exit;
use super::output::last_line;

/// The function callgrind dumps its counts before entering, as a pattern
/// for `--dump-before`.
pub(super) const DUMP_BEFORE: &str = "*between_counted_runs*";

/// Called right before and right after each counted run, so that callgrind
/// dumps what came before the run and then the run alone. Never inlined,
/// or callgrind would not see it; it reads its argument so that it is not
/// folded into another function with the same (empty) body.
#[inline(never)]
pub(super) fn between_counted_runs(id: &BenchId) {
    black_box(id);
}

/// `count-instructions DATASET [--shape SHAPE] [--filter REGEX]`, run under callgrind by
/// [`measure`] and by `compare`: runs every runner of the dataset's
/// measured groups (those whose bench ID `filter` matches, when given) once
/// uncounted and once counted, and prints the bench IDs of the counted
/// runs, one per line, in order.
pub fn count_in_this_process(
    origin: Origin,
    shape: Option<Shape>,
    filter: Option<&Regex>,
) -> Result<(), Exit> {
    let suite = Suite::load(&[origin], shape)?;
    for group in suite.measured_groups() {
        let benches: Vec<_> = group
            .benches()
            .into_iter()
            .filter(|bench| filter.is_none_or(|filter| filter.is_match(&bench.to_string())))
            .collect();
        // Whether a group is empty takes an encode of its dataset: asked
        // only of groups with a bench to count.
        if benches.is_empty() || group.is_empty()? {
            continue;
        }
        let mut runners = benches
            .into_iter()
            .map(|bench| group.runner(bench.contender))
            .collect::<Result<Vec<_>, _>>()?;
        count_each(&mut runners);
    }
    Ok(())
}

/// Runs every runner once, then each again between two marks, printing its
/// ID after it.
fn count_each(runners: &mut [Runner<'_>]) {
    for runner in runners.iter_mut() {
        (runner.run)();
    }
    for runner in runners {
        between_counted_runs(&runner.id);
        (runner.run)();
        between_counted_runs(&runner.id);
        println!("{}", runner.id);
    }
}

/// Instructions per run of every runner of every dataset's groups, under
/// the runners' bench IDs, counted by callgrind in `scratch` (a directory
/// this makes and removes).
pub fn measure(suite: &Suite, scratch: &Path) -> Result<HashMap<BenchId, f64>, Exit> {
    if !valgrind_runs() {
        return Err(Exit::failed(
            "performance --instructions needs valgrind, which did not run \
             (`valgrind --version`); install valgrind, or use --turns to time \
             the contenders instead"
                .to_owned(),
        ));
    }
    let program = std::env::current_exe().map_err(|error| {
        Exit::failed(format!("cannot find this program to run it again: {error}"))
    })?;
    std::fs::create_dir_all(scratch)
        .map_err(|error| Exit::failed(format!("cannot make {}: {error}", scratch.display())))?;

    // The two largest datasets first, so that they do not finish last.
    // Each file in the shape it was read in, which its keys may not show.
    let mut origins: Vec<(Origin, Option<Shape>)> = suite
        .entries
        .iter()
        .map(|entry| (entry.origin.clone(), entry.read_in()))
        .collect();
    origins.sort_by_key(|(origin, _)| {
        !matches!(
            origin,
            Origin::Builtin(Name::Geo) | Origin::Builtin(Name::Mesh)
        )
    });
    let queue = Mutex::new(VecDeque::from(origins));
    let counts = Mutex::new(HashMap::new());
    let first_failure = Mutex::new(None);
    let bar = ProgressBar::new(queue.lock().expect("not poisoned").len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} datasets under callgrind")
            .expect("the template is valid"),
    );
    let workers = std::thread::available_parallelism().map_or(1, |cores| cores.get());
    // A function, so that the lock is let go before the dataset runs.
    let next_dataset = || queue.lock().expect("not poisoned").pop_front();

    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((origin, shape)) = next_dataset() {
                    match count_dataset(&program, scratch, &origin, shape) {
                        Ok(of_dataset) => counts.lock().expect("not poisoned").extend(of_dataset),
                        Err(failure) => {
                            first_failure
                                .lock()
                                .expect("not poisoned")
                                .get_or_insert(failure);
                            queue.lock().expect("not poisoned").clear();
                        }
                    }
                    bar.inc(1);
                }
            });
        }
    });
    bar.finish_and_clear();
    let _ = std::fs::remove_dir_all(scratch);

    match first_failure.into_inner().expect("not poisoned") {
        Some(failure) => Err(failure),
        None => Ok(counts.into_inner().expect("not poisoned")),
    }
}

/// Whether `valgrind --version` runs here.
pub fn valgrind_runs() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Runs `program count-instructions NAME` under callgrind, its profiles in
/// `scratch` (which must exist), and reads back the count of each run it
/// names. A file is read in `shape`, or the one its keys show. `program`
/// is this program; a test passes its path.
pub fn count_dataset(
    program: &Path,
    scratch: &Path,
    origin: &Origin,
    shape: Option<Shape>,
) -> Result<HashMap<BenchId, f64>, Exit> {
    count_dataset_matching(program, scratch, origin, shape, None)
}

/// As [`count_dataset`], only the runs whose bench ID `filter` matches.
pub fn count_dataset_matching(
    program: &Path,
    scratch: &Path,
    origin: &Origin,
    shape: Option<Shape>,
    filter: Option<&str>,
) -> Result<HashMap<BenchId, f64>, Exit> {
    // Files may share a stem in different directories; their profiles
    // must not.
    let profile = scratch.join(format!("{}.callgrind", profile_name(origin)));
    let name = origin.argument();
    let mut arguments = vec!["count-instructions", &name];
    arguments.extend(shape.iter().flat_map(|shape| ["--shape", shape.name()]));
    arguments.extend(filter.iter().flat_map(|filter| ["--filter", filter]));
    let stdout = run_under_callgrind(program, &profile, &arguments, "the instructions")?;

    let ids: Vec<BenchId> = stdout
        .lines()
        .map(|line| {
            line.parse()
                .map_err(|error| Exit::failed(format!("{name} under callgrind printed {error}")))
        })
        .collect::<Result<_, _>>()?;
    counts_of_runs(&ids, |part| {
        let path = part_path(&profile, part);
        let text = std::fs::read_to_string(&path)
            .map_err(|error| Exit::failed(format!("cannot read {}: {error}", path.display())))?;
        total_instructions(&text).ok_or_else(|| {
            Exit::failed(format!(
                "{} has no instruction total (`totals:` line)",
                path.display()
            ))
        })
    })
}

/// Runs `program` with `arguments` (a hidden command and its dataset first)
/// under callgrind, which writes `profile` and dumps a part of it before
/// every entry into [`between_counted_runs`]; returns what the program
/// printed. `what` says what was counted, for the error.
pub(super) fn run_under_callgrind(
    program: &Path,
    profile: &Path,
    arguments: &[&str],
    what: &str,
) -> Result<String, Exit> {
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--quiet")
        .arg(format!("--dump-before={DUMP_BEFORE}"))
        .arg(format!("--callgrind-out-file={}", profile.display()))
        .arg(program)
        .args(arguments)
        .output()
        .map_err(|error| Exit::failed(format!("cannot run valgrind: {error}")))?;
    if !output.status.success() {
        let dataset = arguments.get(1).copied().unwrap_or_default();
        return Err(Exit::failed(format!(
            "counting {what} of {dataset} under callgrind failed ({}): {}",
            output.status,
            last_line(&output.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Where [`count_dataset_matching`] left the profile of the `run`th (from
/// 0) counted run of `origin`, in `scratch`.
pub fn run_profile(scratch: &Path, origin: &Origin, run: usize) -> PathBuf {
    let profile = scratch.join(format!("{}.callgrind", profile_name(origin)));
    part_path(&profile, 2 * run + 2)
}

/// A file name for the profile of `origin`: its name, or its path with
/// every character a file name cannot hold replaced.
fn profile_name(origin: &Origin) -> String {
    origin
        .argument()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Where callgrind writes its `part`th dump (from 1) of `profile`.
pub(super) fn part_path(profile: &Path, part: usize) -> PathBuf {
    let mut path = profile.as_os_str().to_owned();
    path.push(format!(".{part}"));
    path.into()
}

/// The count of each run named in `ids`, the `k`th (from 0) being dump
/// `2k + 2`: dumps alternate between what came before a run and the run.
fn counts_of_runs(
    ids: &[BenchId],
    total_of_part: impl Fn(usize) -> Result<u64, Exit>,
) -> Result<HashMap<BenchId, f64>, Exit> {
    ids.iter()
        .enumerate()
        .map(|(run, id)| Ok((id.clone(), total_of_part(2 * run + 2)? as f64)))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::{Exit, counts_of_runs};
    use crate::bench_id::BenchId;
    use crate::groups::Runner;

    #[test]
    fn each_run_takes_every_second_dump_from_the_second() {
        let id = |text: &str| text.parse::<BenchId>().expect("an ID");
        let ids = [id("patterns/churn/stack"), id("patterns/churn/floor")];
        let asked = RefCell::new(Vec::new());
        let counts = counts_of_runs(&ids, |part| {
            asked.borrow_mut().push(part);
            Ok(part as u64 * 100)
        })
        .expect("every part has a total");

        assert_eq!(*asked.borrow(), [2, 4]);
        assert_eq!(counts[&ids[0]], 200.0);
        assert_eq!(counts[&ids[1]], 400.0);

        let missing = counts_of_runs(&ids, |part| {
            if part == 4 {
                Err(Exit::failed("no part 4"))
            } else {
                Ok(1)
            }
        });
        assert_eq!(missing.expect_err("part 4 is missing").message, "no part 4");
    }

    #[test]
    fn every_runner_runs_once_before_the_counted_runs_and_once_counted() {
        let log = RefCell::new(Vec::new());
        let mut runners: Vec<Runner<'_>> = ["x", "y"]
            .into_iter()
            .map(|id| Runner {
                id: format!(
                    "patterns/churn/{}",
                    ["stack", "floor"][usize::from(id == "y")]
                )
                .parse()
                .expect("an ID"),
                run: Box::new({
                    let log = &log;
                    move || log.borrow_mut().push(id)
                }),
            })
            .collect();

        super::count_each(&mut runners);
        drop(runners);

        assert_eq!(*log.borrow(), ["x", "y", "x", "y"]);
    }
}
