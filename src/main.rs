//! `musli-alloc-bench`: counters, buffer sizes and commit comparisons.

use std::path::Path;
use std::process::ExitCode;

use musli_alloc_bench::harness;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match harness::samples(root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(2)
        }
    }
}
