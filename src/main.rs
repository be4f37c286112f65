//! `musli-alloc-bench`: counters, buffer sizes and commit comparisons. See
//! `musli-alloc-bench --help`.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match musli_alloc_bench::harness::run(std::env::args_os(), root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(exit) => {
            eprintln!("error: {}", exit.message);
            ExitCode::from(exit.code as u8)
        }
    }
}
