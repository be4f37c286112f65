//! The `musli-alloc-bench` command line: `report`, `sizes`, `compare` and
//! `samples`.

mod samples;

use std::fmt;
use std::path::Path;

/// What went wrong, in one line for the user. The process exits with 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure(error.to_string())
    }
}

/// Writes `bytes` to `path` through a temporary file beside it, so a reader
/// never sees half a file and a failure leaves the old one in place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail = |error: std::io::Error| Failure(format!("cannot write {}: {error}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes).map_err(fail)?;
    std::fs::rename(&temporary, path).map_err(fail)
}

pub use samples::run as samples;
