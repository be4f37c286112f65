//! `compare BASE [HEAD]`: criterion baselines of two revisions, side by side.

use std::path::Path;

use super::Failure;

/// Benches `base` and `head` (the working tree when `None`) and writes
/// `reports/compare/BASE..HEAD/`.
pub fn run(_root: &Path, _base: &str, _head: Option<&str>, _filter: Option<&str>) -> Result<(), Failure> {
    Err(Failure("compare is not built yet".to_owned()))
}
