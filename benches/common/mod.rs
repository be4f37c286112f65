//! What every bench target shares: criterion's settings and the datasets.

#![allow(dead_code)]

use std::time::Duration;

use criterion::Criterion;
use musli_alloc_bench::datasets::{DEFAULT_SEED, Dataset, Name};

/// Settings sized so that a full `cargo bench` stays under 15 minutes on two
/// cores: a short warm-up, one second of measurement in 20 samples per
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

/// Every dataset at scale 1 with the default seed, generated once.
pub fn datasets() -> Vec<Dataset> {
    Name::ALL
        .iter()
        .map(|&name| Dataset::generate(name, DEFAULT_SEED, 1.0))
        .collect()
}
