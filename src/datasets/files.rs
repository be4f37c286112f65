//! Users' own documents as datasets: which files the benches pick up, and
//! the name each one's groups carry.
//!
//! `MUSLI_ALLOC_BENCH_DATA=a.json:b.json cargo bench` benches `a.json` and
//! `b.json` beside the built-in datasets, and so does every JSON file in
//! `datasets/local/` (which git ignores). A file's groups carry its stem:
//! `canada.json` gives `encode/wire/default/canada`. Each file is read in
//! the shape its keys show, or generic JSON when none fits;
//! `MUSLI_ALLOC_BENCH_SHAPE` chooses one for all of them, as `--shape`
//! does on the command line (`json` measures a typed document through the
//! generic model, to see what typing it changes).

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

use super::Shape;

/// The environment variable that names files to bench, `:`-separated.
pub const DATA_VARIABLE: &str = "MUSLI_ALLOC_BENCH_DATA";

/// The environment variable that chooses the shape every file is read in.
pub const SHAPE_VARIABLE: &str = "MUSLI_ALLOC_BENCH_SHAPE";

/// Where JSON files are picked up without naming them, under the crate's
/// root.
pub const LOCAL_DIR: &str = "datasets/local";

/// A file that cannot be benched, or a name that two datasets would share.
#[derive(Debug, PartialEq, Eq)]
pub struct FileError(pub String);

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FileError {}

impl From<super::LoadError> for FileError {
    fn from(error: super::LoadError) -> Self {
        FileError(error.to_string())
    }
}

/// The files to bench: those `variable` (the value of [`DATA_VARIABLE`],
/// if set) names, in its order, then the `*.json` files of [`LOCAL_DIR`]
/// under `root` by name. An empty path in the variable is an error; the
/// files themselves are read later, by whoever loads them.
pub fn bench_files(variable: Option<&OsStr>, root: &Path) -> Result<Vec<PathBuf>, FileError> {
    let mut files = Vec::new();
    if let Some(variable) = variable {
        for path in std::env::split_paths(variable) {
            if path.as_os_str().is_empty() {
                return Err(FileError(format!(
                    "{DATA_VARIABLE} holds an empty path ({variable:?}); accepted: paths of \
                     JSON files separated by ':', none of them empty"
                )));
            }
            files.push(path);
        }
    }

    let local = root.join(LOCAL_DIR);
    if let Ok(entries) = std::fs::read_dir(&local) {
        let mut found: Vec<PathBuf> = entries
            .filter_map(|entry| Some(entry.ok()?.path()))
            .filter(|path| path.extension() == Some(OsStr::new("json")) && path.is_file())
            .collect();
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

/// The shape `variable` (the value of [`SHAPE_VARIABLE`], if set) names:
/// `None` when it is not set, which leaves each file's shape to its keys.
pub fn bench_shape(variable: Option<&OsStr>) -> Result<Option<Shape>, FileError> {
    let Some(variable) = variable else {
        return Ok(None);
    };
    let given = variable.to_string_lossy();
    given
        .parse::<Shape>()
        .map(Some)
        .map_err(|error| FileError(format!("{SHAPE_VARIABLE}: {error}")))
}

/// The name a file's groups carry: its stem.
pub fn label(path: &Path) -> Result<String, FileError> {
    path.file_stem()
        .and_then(OsStr::to_str)
        .filter(|stem| !stem.is_empty() && !stem.contains('/'))
        .map(str::to_owned)
        .ok_or_else(|| {
            FileError(format!(
                "{}: has no name to give its groups; accepted: a file with a UTF-8 stem, \
                 such as canada.json",
                path.display()
            ))
        })
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;
    use std::path::{Path, PathBuf};

    use super::{Shape, bench_files, bench_shape, label};

    #[test]
    fn the_variable_names_files_in_order_and_refuses_an_empty_path() {
        let root = Path::new("/no/such/root");
        let files = bench_files(Some(OsStr::new("b.json:dir/a.json")), root).unwrap();
        assert_eq!(
            files,
            [PathBuf::from("b.json"), PathBuf::from("dir/a.json")]
        );
        assert!(bench_files(None, root).unwrap().is_empty());
        for bad in ["", "a.json:", ":a.json", "a.json::b.json"] {
            let error = bench_files(Some(OsStr::new(bad)), root).expect_err(bad);
            assert!(error.0.contains("empty path"), "{bad:?}: {error}");
        }
    }

    #[test]
    fn json_files_in_the_local_directory_are_picked_up_by_name() {
        let root = std::env::temp_dir().join(format!("files-local-{}", std::process::id()));
        let local = root.join(super::LOCAL_DIR);
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&local).unwrap();
        for name in ["b.json", "a.json", "notes.txt"] {
            std::fs::write(local.join(name), "{}").unwrap();
        }
        let files = bench_files(Some(OsStr::new("z.json")), &root).unwrap();
        assert_eq!(
            files,
            [
                PathBuf::from("z.json"),
                local.join("a.json"),
                local.join("b.json")
            ]
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn the_shape_variable_names_a_shape_or_is_refused() {
        assert_eq!(bench_shape(None), Ok(None));
        assert_eq!(bench_shape(Some(OsStr::new("json"))), Ok(Some(Shape::Json)));
        assert_eq!(bench_shape(Some(OsStr::new("geo"))), Ok(Some(Shape::Geo)));
        let error = bench_shape(Some(OsStr::new("yaml")))
            .expect_err("no such shape")
            .0;
        assert!(
            error.contains("MUSLI_ALLOC_BENCH_SHAPE: unknown shape \"yaml\"")
                && error.contains("messages, json"),
            "{error}"
        );
    }

    #[test]
    fn a_file_is_named_by_its_stem() {
        assert_eq!(label(Path::new("data/canada.json")).unwrap(), "canada");
        assert!(label(Path::new("/")).is_err());
    }
}
