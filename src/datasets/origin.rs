//! Where a dataset comes from: a built-in name or a JSON file. Every
//! command-line argument and every bench run decides which it is here, and
//! only here.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::names::Named;

use super::files::{self, FileError};
use super::{Dataset, Name, Shape, load_json};

/// Where a dataset comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Generated: a built-in dataset.
    Builtin(Name),
    /// Loaded from a JSON file.
    File(PathBuf),
}

impl Origin {
    /// What a `--dataset` argument names: a built-in dataset's name, or
    /// else the path of a JSON file. A word that is neither a name nor
    /// looks like a path (no extension, no separator, no such file) is
    /// refused with the names accepted, rather than read as a missing file.
    pub fn parse(given: &str) -> Result<Self, FileError> {
        if let Ok(dataset) = given.parse::<Name>() {
            return Ok(Origin::Builtin(dataset));
        }
        let path = Path::new(given);
        let looks_like_a_file =
            path.extension().is_some() || given.contains(std::path::MAIN_SEPARATOR);
        if !looks_like_a_file && !path.exists() {
            return Err(FileError(format!(
                "unknown dataset {given:?}; accepted: {}, or a path to a JSON file",
                names()
            )));
        }
        Ok(Origin::File(path.to_owned()))
    }

    /// What `cargo bench` measures when no dataset is named: every
    /// built-in dataset, then each file that `MUSLI_ALLOC_BENCH_DATA` names
    /// (`variable`, its value) and each JSON file in `datasets/local/`
    /// under `root` (see [`files::bench_files`]).
    pub fn for_benches(variable: Option<&OsStr>, root: &Path) -> Result<Vec<Self>, FileError> {
        let mut origins: Vec<Origin> = Name::ALL
            .iter()
            .map(|&name| Origin::Builtin(name))
            .collect();
        origins.extend(
            files::bench_files(variable, root)?
                .into_iter()
                .map(Origin::File),
        );
        Ok(origins)
    }

    /// The name its groups carry: the dataset's, or the file's stem.
    pub fn label(&self) -> Result<String, FileError> {
        match self {
            Origin::Builtin(dataset) => Ok(dataset.name().to_owned()),
            Origin::File(path) => files::label(path),
        }
    }

    /// How the command line names it: the dataset's name or the file's
    /// path.
    pub fn argument(&self) -> String {
        match self {
            Origin::Builtin(dataset) => dataset.name().to_owned(),
            Origin::File(path) => path.display().to_string(),
        }
    }

    /// The values: generated from `seed` at `scale`, or read from the file,
    /// in shape `shape` or the one its keys show.
    pub fn load(&self, seed: u64, scale: f64, shape: Option<Shape>) -> Result<Dataset, FileError> {
        match self {
            Origin::Builtin(dataset) => Ok(Dataset::generate(*dataset, seed, scale)),
            Origin::File(path) => Ok(load_json(path, shape)?),
        }
    }

    /// How an error message names it.
    fn describe(&self) -> String {
        match self {
            Origin::Builtin(dataset) => format!("the built-in dataset {dataset}"),
            Origin::File(path) => path.display().to_string(),
        }
    }
}

/// Refuses two datasets that would carry the same name in bench IDs,
/// naming both. `labelled` gives each origin with the label it carries.
pub fn check_distinct<'a>(
    labelled: impl IntoIterator<Item = (&'a str, &'a Origin)>,
) -> Result<(), FileError> {
    let mut seen: BTreeMap<&str, &Origin> = BTreeMap::new();
    for (label, origin) in labelled {
        if let Some(earlier) = seen.insert(label, origin) {
            return Err(FileError(format!(
                "{} and {} would both be named {label:?} in bench IDs; accepted: files whose \
                 stems differ from each other and from the built-in datasets ({})",
                earlier.describe(),
                origin.describe(),
                names()
            )));
        }
    }
    Ok(())
}

/// The built-in datasets' names, for error messages.
fn names() -> String {
    let names: Vec<&str> = Name::ALL.iter().map(|dataset| dataset.name()).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_a_dataset_a_path_is_a_file_and_a_word_is_refused() {
        assert_eq!(Origin::parse("geo"), Ok(Origin::Builtin(Name::Geo)));
        assert_eq!(
            Origin::parse("orders.json"),
            Ok(Origin::File(PathBuf::from("orders.json")))
        );
        assert_eq!(
            Origin::parse("data/orders"),
            Ok(Origin::File(PathBuf::from("data/orders")))
        );
        let error = Origin::parse("nope").expect_err("neither").0;
        assert!(error.contains("unknown dataset \"nope\""), "{error}");
        assert!(error.contains("geo, social, catalog"), "{error}");
    }

    #[test]
    fn two_origins_of_one_label_are_refused_naming_both() {
        let log = Origin::Builtin(Name::Log);
        let file = Origin::File(PathBuf::from("some/dir/log.json"));
        let error = check_distinct([("log", &log), ("log", &file)])
            .expect_err("a clash")
            .0;
        assert!(
            error.contains("the built-in dataset log and some/dir/log.json"),
            "{error}"
        );
        assert!(check_distinct([("log", &log), ("geo", &file)]).is_ok());
    }
}
