//! What the harness writes and reads beside its measurements: report
//! files, written whole or not at all, and the last word of a tool that
//! failed.

use std::path::Path;

use super::exit::Exit;

/// The last line of `stderr` that is not blank: what a failed tool said
/// last, usually why it failed.
pub fn last_line(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("no message")
        .trim()
        .to_owned()
}

/// Writes `bytes` to `path` through a temporary file beside it, so a reader
/// never sees half a file and a failure leaves the old one in place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Exit> {
    let fail =
        |error: std::io::Error| Exit::failed(format!("cannot write {}: {error}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes).map_err(fail)?;
    std::fs::rename(&temporary, path).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        fail(error)
    })
}
