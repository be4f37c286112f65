//! Reading criterion's results: where it keeps them, and a bench's median.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::bench_id::BenchId;

/// Where criterion keeps a bench's results under its home: its group's
/// name with each `/` turned into `_`, then its function's name.
pub fn criterion_dir(id: &BenchId) -> String {
    format!(
        "{}/{}",
        id.group.to_string().replace('/', "_"),
        id.contender
    )
}

/// The median of the estimates in `path` (an `estimates.json`), in
/// nanoseconds.
pub fn median_in(path: &Path) -> Option<f64> {
    let json: Json = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// The median of bench `id` in the last run whose results are under
/// `home`, in nanoseconds.
pub fn median(home: &Path, id: &BenchId) -> Option<f64> {
    median_in(&home.join(criterion_dir(id)).join("new/estimates.json"))
}

/// The places criterion may have written to, most specific first:
/// `CRITERION_HOME`, `criterion/` in `CARGO_TARGET_DIR`, in the target
/// directory this program was built in (which is where `cargo bench` of
/// the same checkout writes, whatever set it), and `target/criterion`
/// under `root`.
pub fn homes(root: &Path) -> Vec<PathBuf> {
    let mut homes = Vec::new();
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        homes.push(PathBuf::from(home));
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        homes.push(Path::new(&target).join("criterion"));
    }
    // target/release/musli-alloc-bench: two levels up is the target dir.
    if let Some(target) = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.to_path_buf()))
    {
        homes.push(target.join("criterion"));
    }
    homes.push(root.join("target/criterion"));
    homes.dedup();
    homes
}

/// The first of [`homes`] that exists, or `Err` with the places searched.
pub fn home(root: &Path) -> Result<PathBuf, Vec<PathBuf>> {
    let homes = homes(root);
    homes
        .iter()
        .find(|home| home.is_dir())
        .cloned()
        .ok_or(homes)
}

#[cfg(test)]
mod tests {
    use super::{criterion_dir, homes};

    #[test]
    fn a_bench_id_maps_to_criterions_directory() {
        let id = "encode/wire/default/geo/stack".parse().expect("an ID");
        assert_eq!(criterion_dir(&id), "encode_wire_default_geo/stack");
    }

    #[test]
    fn the_checkouts_own_target_is_searched_last() {
        let root = std::path::Path::new("/some/checkout");
        let homes = homes(root);
        assert_eq!(
            homes.last().map(|home| home.as_path()),
            Some(root.join("target/criterion").as_path())
        );
    }
}
