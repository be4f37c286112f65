//! `samples`: writes the small JSON samples of every dataset to `datasets/`.

use std::path::Path;

use crate::datasets::{self, DEFAULT_SEED, Dataset, Name};
use crate::names::Named;

use super::exit::Exit;
use super::output::write_atomically;

/// Writes `datasets/{name}.json` for every dataset under `root`.
pub fn run(root: &Path) -> Result<(), Exit> {
    for &name in Name::ALL {
        let dataset = Dataset::generate(name, DEFAULT_SEED, datasets::sample_scale(name));
        let path = root.join(datasets::sample_path(name));
        write_atomically(&path, datasets::to_json(&dataset).as_bytes())?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
