//! Runs one contender of one bench group many times, with nothing else in
//! the process, for profilers:
//!
//! ```sh
//! cargo build --release --example profile
//! valgrind --tool=callgrind target/release/examples/profile encode/wire/default/geo stack 20
//! ```
//!
//! The group is any group ID of the benches with contenders:
//! `encode/{format}/{mode}/{dataset}`, `patterns/replay/{dataset}/{mode}`
//! or `patterns/{pattern}`. Only the dataset the group names is generated.
//!
//! It times each run by itself and prints the fastest and the median, in
//! nanoseconds, on a line of its own:
//! `per run: min 2675301 ns, median 3012044 ns`. Generating and sizing the
//! dataset stay out of it.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use musli_alloc_bench::bench_id::{ContenderId, GroupId};
use musli_alloc_bench::datasets::Name;
use musli_alloc_bench::groups::{Entry, Suite};

/// Runs one contender of one bench group many times, for profilers.
#[derive(Parser)]
#[command(name = "profile")]
struct Args {
    /// The group ID, for example `encode/wire/default/geo`,
    /// `patterns/replay/log/packed` or `patterns/churn`.
    group: String,
    /// The contender, for example `stack` or `musli-system`.
    contender: String,
    /// How many runs.
    #[arg(default_value_t = 10)]
    times: usize,
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) if !error.use_stderr() => {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(2);
        }
    };

    let group_id: GroupId = match args.group.parse() {
        Ok(group_id) => group_id,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let contender: ContenderId = match group_id.contender(&args.contender) {
        Ok(contender) => contender,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    // Generate only the dataset the group names, if it names a built-in one.
    let named = group_id
        .dataset()
        .and_then(|label| label.parse::<Name>().ok());
    let suite = Suite::of(named.map(Entry::builtin).into_iter().collect());
    let Some(group) = suite.group(&group_id) else {
        eprintln!(
            "error: unknown group {:?}; accepted: a group of a built-in dataset, as \
             `cargo bench -- --list` names them",
            args.group
        );
        return ExitCode::from(2);
    };
    let mut runner = match group.runner(contender) {
        Ok(runner) => runner,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(1);
        }
    };

    let runs = time_each(args.times, &mut runner.run);
    println!("{} x {}", runner.id, args.times);
    print_timing(runs);
    ExitCode::SUCCESS
}

/// Runs `run` `times` times and returns how long each took.
fn time_each(times: usize, run: &mut dyn FnMut()) -> Vec<Duration> {
    (0..times)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect()
}

/// The fastest and the median run, in nanoseconds.
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
