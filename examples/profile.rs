//! Encodes one workload on one contender many times, with nothing else in
//! the process, for profilers:
//!
//! ```sh
//! cargo build --release --example profile
//! valgrind --tool=callgrind target/release/examples/profile geo wire default stack 20
//! ```
//!
//! With `replay` for the format, it replays the allocator calls of the
//! dataset's `wire` encode instead, as `patterns/replay/...` does. And
//! `profile pattern NAME CONTENDER TIMES` runs one of the synthetic patterns
//! of `patterns/...` (`tail_growth`, `churn`, `nested_merge`,
//! `interleaved_k2`, `interleaved_k4`, `interleaved_k8`).
//!
//! It times each run (encode or replay) by itself and prints the fastest and
//! the median, in nanoseconds, on a line of its own:
//! `per run: min 2675301 ns, median 3012044 ns`. The `interleave` example
//! reads that line; generating and sizing the dataset stay out of it.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use musli_alloc_bench::contenders::{Contender, Kind};
use musli_alloc_bench::datasets::{DEFAULT_SEED, Dataset, Name};
use musli_alloc_bench::format::{Format, Mode};
use musli_alloc_bench::patterns::{Pattern, SIZING};
use musli_alloc_bench::trace::Replay;
use musli_alloc_bench::workload::Workload;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|first| first == "pattern") {
        return pattern(&args[1..]);
    }
    let [dataset, format, mode, contender, times] = &args[..] else {
        eprintln!(
            "usage: profile DATASET FORMAT|replay MODE CONTENDER TIMES, \
             or profile pattern NAME CONTENDER TIMES"
        );
        return ExitCode::from(2);
    };
    let replay = format == "replay";
    let format = if replay { "wire" } else { format };

    let parsed = (|| -> Result<_, String> {
        let name: Name = dataset.parse().map_err(|e| format!("{e}"))?;
        let format: Format = format.parse().map_err(|e| format!("{e}, or replay"))?;
        let mode: Mode = mode.parse().map_err(|e| format!("{e}"))?;
        let kind: Kind = contender.parse().map_err(|e| format!("{e}"))?;
        Ok((name, format, mode, kind, parse_times(times)?))
    })();
    let (name, format, mode, kind, times) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };

    let dataset = Dataset::generate(name, DEFAULT_SEED, 1.0);
    let workload = Workload::new(&dataset, format, mode);
    let sizing = workload.sizing().expect("sizing runs on System");
    let mut contender = kind.build(&sizing);

    if replay {
        let trace = workload.trace().expect("System never runs out");
        let source = trace.source();
        let mut failures = 0;
        let runs = time_each(times, || {
            failures += contender.run(Replay {
                trace: &trace,
                source: &source,
            });
        });
        println!(
            "{} calls x {times} on {}, {failures} failed",
            trace.ops.len(),
            contender.name()
        );
        print_timing(runs);
        return ExitCode::SUCCESS;
    }

    let mut out = Vec::with_capacity(workload.output().expect("System never runs out").len());
    let runs = time_each(times, || {
        out.clear();
        workload
            .encode(&mut contender, &mut out)
            .expect("sized to fit");
    });
    println!("{} bytes x {times} on {}", out.len(), contender.name());
    print_timing(runs);
    ExitCode::SUCCESS
}

/// `profile pattern NAME CONTENDER TIMES`: a synthetic pattern, on the
/// slice size its bench gives every contender.
fn pattern(args: &[String]) -> ExitCode {
    let [name, contender, times] = args else {
        eprintln!("usage: profile pattern NAME CONTENDER TIMES");
        return ExitCode::from(2);
    };
    let parsed = (|| -> Result<_, String> {
        let pattern: Pattern = name.parse().map_err(|e| format!("{e}"))?;
        let kind: Kind = contender.parse().map_err(|e| format!("{e}"))?;
        Ok((pattern, kind, parse_times(times)?))
    })();
    let (pattern, kind, times) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };

    let mut contender = kind.build(&SIZING);
    let mut written = 0;
    let runs = time_each(times, || written = contender.run(black_box(pattern)));
    println!("{written} bytes x {times} on {}", contender.name());
    print_timing(runs);
    ExitCode::SUCCESS
}

/// The TIMES argument.
fn parse_times(times: &str) -> Result<usize, String> {
    times
        .parse()
        .map_err(|_| format!("TIMES {times:?} is not a whole number"))
}

/// Runs `run` `times` times and returns how long each took.
fn time_each(times: usize, mut run: impl FnMut()) -> Vec<Duration> {
    (0..times)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect()
}

/// The line `interleave` reads: fastest and median run, in nanoseconds.
fn print_timing(mut runs: Vec<Duration>) {
    runs.sort_unstable();
    if let (Some(min), Some(median)) = (runs.first(), runs.get(runs.len() / 2)) {
        println!(
            "per run: min {} ns, median {} ns",
            min.as_nanos(),
            median.as_nanos()
        );
    }
}
