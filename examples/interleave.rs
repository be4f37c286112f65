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
//! Each workload is `DATASET:FORMAT:MODE:TIMES`. One timing runs the
//! program with `TIMES + 1` encodes and again with 1, and divides the
//! difference by `TIMES`, so generating and sizing the dataset cancel out.
//! Pick `TIMES` so that a run takes about half a second.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Rounds per workload: each round times every contender on both builds.
const ROUNDS: usize = 15;

/// The allocator compared, and the one whose code both builds share.
const CONTENDERS: [&str; 2] = ["stack", "musli-system"];

struct Workload {
    /// `DATASET FORMAT MODE`, as `profile` takes them.
    args: [String; 3],
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

    // Everything is timed before anything is printed, so that a workload
    // that fails leaves no half table behind.
    let mut rows = Vec::new();
    for workload in &workloads {
        eprintln!("timing {} ...", workload.args.join("/"));
        // times[contender][build]: microseconds per encode, one per round.
        let mut times = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]];
        for _ in 0..ROUNDS {
            for (contender, per_build) in CONTENDERS.iter().zip(&mut times) {
                for (build, samples) in builds.iter().zip(per_build.iter_mut()) {
                    samples.push(time_per_encode(build, workload, contender)?);
                }
            }
        }
        for (contender, [before, after]) in CONTENDERS.iter().zip(&mut times) {
            let (before_min, before_median) = min_and_median(before);
            let (after_min, after_median) = min_and_median(after);
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
        args: [dataset.into(), format.into(), mode.into()],
        times,
    })
}

/// Microseconds per encode of `workload` on `contender` with `build`.
fn time_per_encode(build: &Path, workload: &Workload, contender: &str) -> Result<f64, String> {
    let once = time_run(build, workload, contender, 1)?;
    let many = time_run(build, workload, contender, workload.times + 1)?;
    Ok((many - once) / f64::from(workload.times) * 1e6)
}

/// Seconds one run of `build` takes, start to exit.
fn time_run(build: &Path, workload: &Workload, contender: &str, times: u32) -> Result<f64, String> {
    let start = Instant::now();
    let output = Command::new(build)
        .args(&workload.args)
        .args([contender, &times.to_string()])
        .stdout(Stdio::null())
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
    Ok(seconds)
}

fn min_and_median(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    (samples[0], samples[samples.len() / 2])
}
