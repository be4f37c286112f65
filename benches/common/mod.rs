//! What every bench target shares: criterion's settings, the datasets, and
//! how a group of the registry (`musli_alloc_bench::groups`) is benched.

#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use musli_alloc_bench::datasets::files::{DATA_VARIABLE, SHAPE_VARIABLE};
use musli_alloc_bench::groups::{Group, Suite};

/// Settings sized for a full `cargo bench` of the length the README gives: a short warm-up, one second of measurement in 20 samples per
/// bench, and fewer bootstrap resamples than criterion's default. Flags on
/// the command line (`--measurement-time`, ...) override them.
///
/// `--quick` is criterion's own quick mode (each bench stops once its
/// estimate is stable, here after at most half a second); it also skips the
/// plots, which would take as long as the measurements, so that
/// `cargo bench -- --quick` stays under 3 minutes.
pub fn criterion() -> Criterion {
    let criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(20)
        .nresamples(20_000);

    let quick = std::env::args().any(|arg| arg == "--quick");
    if quick {
        criterion
            .measurement_time(Duration::from_millis(500))
            .without_plots()
            .configure_from_args()
    } else {
        criterion.configure_from_args()
    }
}

/// Every built-in dataset, generated once, and the files
/// `MUSLI_ALLOC_BENCH_DATA` names or `datasets/local/` holds, in the shape
/// `MUSLI_ALLOC_BENCH_SHAPE` names or the one their keys show. A file that
/// cannot be benched ends the run before anything is timed, with exit
/// code 2.
pub fn suite() -> Suite {
    let data = std::env::var_os(DATA_VARIABLE);
    let shape = std::env::var_os(SHAPE_VARIABLE);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match Suite::for_benches(data.as_deref(), shape.as_deref(), root) {
        Ok(suite) => suite,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(2);
        }
    }
}

/// One criterion group: every contender of `group`, each bench one run of
/// its runner. A runner is built (and its output checked) only when
/// criterion's filter selects its bench, since building one sizes the
/// workload.
pub fn bench_group(criterion: &mut Criterion, group: &Group<'_>) {
    let throughput = group.throughput().expect("musli's System never runs out");
    let Some(bytes) = throughput else {
        return;
    };
    let mut benches = criterion.benchmark_group(group.id().to_string());
    benches.throughput(Throughput::Bytes(bytes));
    for contender in group.contenders() {
        let mut runner = None;
        benches.bench_function(contender.name(), |bencher| {
            let runner = runner.get_or_insert_with(|| {
                group
                    .runner(contender)
                    .unwrap_or_else(|error| panic!("{error}"))
            });
            bencher.iter(|| (runner.run)());
        });
    }
    benches.finish();
}
