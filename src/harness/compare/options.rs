//! What `compare` was asked, as the command line gave it.

use crate::harness::cli::{DatasetChoice, Method};

/// What `compare` was asked.
pub struct Options<'a> {
    /// The revision compared against.
    pub base: &'a str,
    /// The revision compared; the working tree when `None`.
    pub head: Option<&'a str>,
    /// Only the benches whose ID this matches.
    pub filter: Option<&'a str>,
    /// How.
    pub method: Method,
    /// Pairs of worker processes of the paired method.
    pub pairs: usize,
    /// The noise threshold, in percent.
    pub noise: f64,
    /// Exit with 3 when `stack` or `stack-spill` is slower by more than
    /// this many percent.
    pub fail_on_regression: Option<f64>,
    /// Criterion's quick mode, with `--method criterion`.
    pub quick: bool,
    /// The datasets.
    pub datasets: &'a DatasetChoice,
}
