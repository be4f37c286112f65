//! Times two builds of the `profile` example against each other, taking
//! turns, for a before/after comparison on a noisy machine.
//!
//! `compare` benches one revision after the other, so load that changes over
//! minutes moves one side and not the other. This runs the two builds in
//! alternation, round after round, and reports each side's fastest and
//! median time per encode. `musli-system` runs too: its code is the same in
//! both builds, so its after/before ratio shows how far the method itself
//! strays.
//!
//! ```sh
//! git worktree add target/before HEAD~1
//! cargo build --release --example profile --manifest-path target/before/Cargo.toml
//! cargo build --release --example profile
//! cargo run --release --example interleave -- \
//!     target/before/target/release/examples/profile target/release/examples/profile \
//!     geo:wire:default:150 catalog:wire:default:1500
//! ```
//!
//! Each workload is `DATASET:FORMAT:MODE:TIMES`: one run of `profile` per
//! build, contender and round encodes `TIMES` times and reports its fastest
//! and median encode. The table gives the fastest over all rounds and the
//! median of the rounds' medians. If either build of `profile` is from
//! before it reported its own timing, both are timed from outside instead,
//! so that the two sides are measured alike: `TIMES` encodes less one,
//! divided by `TIMES - 1`, so that generating and sizing the dataset cancel
//! out (noisier: two processes' start-up differ). Pick `TIMES` so that a run
//! takes about half a second.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Rounds per workload: each round times every contender on both builds.
const ROUNDS: usize = 15;

/// The allocator compared, and the one whose code both builds share.
const CONTENDERS: [&str; 2] = ["stack", "musli-system"];

struct Workload {
    /// The encode group `encode/FORMAT/MODE/DATASET`, as `profile` takes it.
    args: [String; 1],
    times: u32,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [before, after, workloads @ ..] = &args[..] else {
        return Err(
            "usage: interleave BEFORE AFTER DATASET:FORMAT:MODE:TIMES... \
             (BEFORE and AFTER are builds of the profile example)"
                .into(),
        );
    };
    if workloads.is_empty() {
        return Err("no workload given: expected DATASET:FORMAT:MODE:TIMES".into());
    }
    let builds = [PathBuf::from(before), PathBuf::from(after)];
    let workloads = workloads
        .iter()
        .map(|spec| parse(spec))
        .collect::<Result<Vec<_>, _>>()?;

    let mut from_outside = false;
    for build in &builds {
        let (_, stdout) = run_profile(build, &workloads[0], CONTENDERS[0], 1)?;
        if reported_timing(&stdout).is_none() {
            eprintln!(
                "{} prints no timing of its own; timing both builds from outside",
                build.display()
            );
            from_outside = true;
        }
    }

    // Everything is timed before anything is printed, so that a workload
    // that fails leaves no half table behind.
    let mut rows = Vec::new();
    for workload in &workloads {
        eprintln!("timing {} ...", workload.args.join("/"));
        // rounds[contender][build]: one `Round` per round.
        let mut rounds = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]];
        for _ in 0..ROUNDS {
            for (contender, per_build) in CONTENDERS.iter().zip(&mut rounds) {
                for (build, samples) in builds.iter().zip(per_build.iter_mut()) {
                    samples.push(time_round(build, workload, contender, from_outside)?);
                }
            }
        }
        for (contender, [before, after]) in CONTENDERS.iter().zip(&rounds) {
            let (before_min, before_median) = summarize(before);
            let (after_min, after_median) = summarize(after);
            rows.push(format!(
                "| {} | {contender} | {before_min:.1} µs | {after_min:.1} µs | {:.3} | {before_median:.1} µs | {after_median:.1} µs | {:.3} |",
                workload.args.join("/"),
                after_min / before_min,
                after_median / before_median,
            ));
        }
    }

    println!(
        "| workload | contender | before min | after min | after/before | before median | after median | after/before |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        println!("{row}");
    }
    Ok(())
}

fn parse(spec: &str) -> Result<Workload, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let [dataset, format, mode, times] = parts[..] else {
        return Err(format!(
            "workload {spec:?} is not DATASET:FORMAT:MODE:TIMES, for example geo:wire:default:150"
        ));
    };
    let times = match times.parse() {
        Ok(times) if times > 0 => times,
        _ => {
            return Err(format!(
                "TIMES {times:?} in {spec:?} is not a whole number above 0"
            ));
        }
    };
    Ok(Workload {
        args: [format!("encode/{format}/{mode}/{dataset}")],
        times,
    })
}

/// One round of one contender on one build, in microseconds per encode.
struct Round {
    fastest: f64,
    median: f64,
}

/// Times `workload` on `contender` with `build`: from the timing line the
/// build prints, or from outside.
fn time_round(
    build: &Path,
    workload: &Workload,
    contender: &str,
    from_outside: bool,
) -> Result<Round, String> {
    let (seconds, stdout) = run_profile(build, workload, contender, workload.times)?;
    if !from_outside {
        return reported_timing(&stdout).ok_or_else(|| {
            format!(
                "{} printed no `per run:` line for {} {contender}",
                build.display(),
                workload.args.join(" ")
            )
        });
    }
    let (once, _) = run_profile(build, workload, contender, 1)?;
    let per_encode = (seconds - once) / f64::from(workload.times - 1).max(1.0) * 1e6;
    Ok(Round {
        fastest: per_encode,
        median: per_encode,
    })
}

/// The `per run: min N ns, median M ns` line of `profile`'s output.
fn reported_timing(stdout: &str) -> Option<Round> {
    let line = stdout
        .lines()
        .find_map(|line| line.strip_prefix("per run: min "))?;
    let (min, rest) = line.split_once(" ns, median ")?;
    let median = rest.strip_suffix(" ns")?;
    Some(Round {
        fastest: min.parse::<f64>().ok()? / 1e3,
        median: median.parse::<f64>().ok()? / 1e3,
    })
}

/// Runs `build` once with `times` encodes: seconds from start to exit, and
/// what it printed.
fn run_profile(
    build: &Path,
    workload: &Workload,
    contender: &str,
    times: u32,
) -> Result<(f64, String), String> {
    let start = Instant::now();
    let output = Command::new(build)
        .args(&workload.args)
        .args([contender, &times.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|error| format!("cannot run {}: {error}", build.display()))?;
    let seconds = start.elapsed().as_secs_f64();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "{} {} {contender} failed: {}",
            build.display(),
            workload.args.join(" "),
            stderr.trim()
        ));
    }
    Ok((
        seconds,
        String::from_utf8_lossy(&output.stdout).into_owned(),
    ))
}

/// The fastest encode over all rounds, and the median of the rounds'
/// medians.
fn summarize(rounds: &[Round]) -> (f64, f64) {
    let fastest = rounds
        .iter()
        .map(|round| round.fastest)
        .fold(f64::INFINITY, f64::min);
    let mut medians: Vec<f64> = rounds.iter().map(|round| round.median).collect();
    medians.sort_by(f64::total_cmp);
    (fastest, medians[medians.len() / 2])
}
