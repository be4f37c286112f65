//! The datasets whose groups are measured, each under the name its groups
//! carry.

use std::cell::OnceCell;
use std::ffi::OsStr;
use std::path::Path;

use crate::bench_id::GroupId;
use crate::datasets::files::{self, FileError};
use crate::datasets::{DEFAULT_SEED, Dataset, Name, NextDataset, Origin, Shape, check_distinct};
use crate::format::{Format, Mode};
use crate::names::Named;
use crate::patterns::Pattern;

use super::{Group, MEASURED_FORMATS, Measures, Sweep};

/// A dataset under the name its groups carry: a built-in dataset's name,
/// or a file's stem.
pub struct Entry {
    /// The name in group IDs.
    pub label: String,
    /// The values.
    pub dataset: Dataset,
    /// Where it came from.
    pub origin: Origin,
    /// The same values as musli 0.2's types, made when first asked for.
    next: OnceCell<NextDataset>,
}

impl Entry {
    /// `dataset`, from `origin`, under `label`.
    pub fn new(label: String, dataset: Dataset, origin: Origin) -> Self {
        Self {
            label,
            dataset,
            origin,
            next: OnceCell::new(),
        }
    }

    /// The built-in dataset `name` at scale 1 with the default seed.
    pub fn builtin(name: Name) -> Self {
        let dataset = Dataset::generate(name, DEFAULT_SEED, 1.0);
        Self::new(name.name().to_owned(), dataset, Origin::Builtin(name))
    }

    /// The shape a process counting this entry must read its file in to
    /// get these values, which the file's keys may not show; `None` for a
    /// built-in dataset.
    pub fn read_in(&self) -> Option<Shape> {
        matches!(self.origin, Origin::File(_)).then(|| self.dataset.shape())
    }

    /// The dataset of `origin` at scale 1 with the default seed, a file in
    /// shape `shape` or the one its keys show, under its label.
    pub fn load(origin: Origin, shape: Option<Shape>) -> Result<Self, FileError> {
        let label = origin.label()?;
        let dataset = origin.load(DEFAULT_SEED, 1.0, shape)?;
        Ok(Self::new(label, dataset, origin))
    }

    /// The values as musli 0.2's types (see [`NextDataset`]).
    pub fn next_dataset(&self) -> &NextDataset {
        self.next.get_or_init(|| NextDataset::of(&self.dataset))
    }
}

/// The datasets whose groups are measured.
pub struct Suite {
    /// The datasets, in report order.
    pub entries: Vec<Entry>,
}

impl Suite {
    /// Every built-in dataset.
    pub fn builtin() -> Self {
        Self::of(Name::ALL.iter().map(|&name| Entry::builtin(name)).collect())
    }

    /// The datasets `entries`.
    pub fn of(entries: Vec<Entry>) -> Self {
        Self { entries }
    }

    /// The datasets of `origins`, files in shape `shape` or the one their
    /// keys show. Every file is read, and the names checked, before
    /// anything is generated, so that a bad one is refused at once.
    pub fn load(origins: &[Origin], shape: Option<Shape>) -> Result<Self, FileError> {
        let mut files = Self::check_files(origins, shape)?.into_iter();
        let entries = origins
            .iter()
            .map(|origin| match origin {
                Origin::Builtin(name) => Entry::builtin(*name),
                Origin::File(_) => files.next().expect("one loaded per file"),
            })
            .collect();
        Ok(Self { entries })
    }

    /// The datasets of the files among `origins`, read as [`Suite::load`]
    /// reads them, after a check that no two of `origins` carry one name;
    /// the built-in datasets are not generated.
    pub fn check_files(origins: &[Origin], shape: Option<Shape>) -> Result<Vec<Entry>, FileError> {
        let files = origins
            .iter()
            .filter(|origin| matches!(origin, Origin::File(_)))
            .map(|origin| Entry::load(origin.clone(), shape))
            .collect::<Result<Vec<_>, _>>()?;
        let labels = origins
            .iter()
            .map(Origin::label)
            .collect::<Result<Vec<_>, _>>()?;
        check_distinct(labels.iter().map(String::as_str).zip(origins))?;
        Ok(files)
    }

    /// What `cargo bench` measures: every built-in dataset, then each file
    /// that `MUSLI_ALLOC_BENCH_DATA` names (`data`, its value) and each
    /// JSON file in `datasets/local/` under `root` (see
    /// [`Origin::for_benches`]), in the shape `MUSLI_ALLOC_BENCH_SHAPE`
    /// names (`shape`, its value) or the one their keys show.
    pub fn for_benches(
        data: Option<&OsStr>,
        shape: Option<&OsStr>,
        root: &Path,
    ) -> Result<Self, FileError> {
        let shape = files::bench_shape(shape)?;
        Self::load(&Origin::for_benches(data, root)?, shape)
    }

    /// `encode/{format}/{mode}/{dataset}` for each of `formats`, by format,
    /// then mode, then dataset.
    pub fn encode_groups(&self, formats: &[Format]) -> Vec<Group<'_>> {
        self.by_format(formats, |entry, format, mode| Measures::Encode {
            entry,
            format,
            mode,
        })
    }

    /// `musli-0.2/encode/{format}/{mode}/{dataset}` for each of `formats`,
    /// in the same order.
    pub fn next_encode_groups(&self, formats: &[Format]) -> Vec<Group<'_>> {
        self.by_format(formats, |entry, format, mode| Measures::NextEncode {
            entry,
            format,
            mode,
        })
    }

    /// A group of each dataset in each of `formats` and every mode, by
    /// format, then mode, then dataset.
    fn by_format<'d>(
        &'d self,
        formats: &[Format],
        measures: impl Fn(&'d Entry, Format, Mode) -> Measures<'d>,
    ) -> Vec<Group<'d>> {
        let mut groups = Vec::new();
        for &format in formats {
            for &mode in Mode::ALL {
                for entry in &self.entries {
                    groups.push(Group::new(measures(entry, format, mode)));
                }
            }
        }
        groups
    }

    /// `patterns/replay/{dataset}/{mode}`, by dataset, then mode.
    pub fn replay_groups(&self) -> Vec<Group<'_>> {
        let mut groups = Vec::new();
        for entry in &self.entries {
            for &mode in Mode::ALL {
                groups.push(Group::new(Measures::Replay { entry, mode }));
            }
        }
        groups
    }

    /// What `performance` and `compare` measure: the encode groups of
    /// [`MEASURED_FORMATS`], the replayed traces, then the encode groups on
    /// musli 0.2.
    pub fn measured_groups(&self) -> Vec<Group<'_>> {
        let mut groups = self.encode_groups(&MEASURED_FORMATS);
        groups.extend(self.replay_groups());
        groups.extend(self.next_encode_groups(&MEASURED_FORMATS));
        groups
    }

    /// `patterns/{pattern}` for every synthetic pattern.
    pub fn pattern_groups() -> Vec<Group<'static>> {
        Pattern::ALL
            .iter()
            .map(|&pattern| Group::new(Measures::Pattern(pattern)))
            .collect()
    }

    /// The group with ID `id` among every encode, replay and pattern group
    /// of this suite.
    pub fn group(&self, id: &GroupId) -> Option<Group<'_>> {
        self.encode_groups(Format::ALL)
            .into_iter()
            .chain(self.next_encode_groups(Format::ALL))
            .chain(self.replay_groups())
            .chain(Self::pattern_groups())
            .find(|group| group.id() == *id)
    }

    /// `stack_buffer/{dataset}` for every dataset.
    pub fn sweep_groups(&self) -> Vec<Sweep<'_>> {
        self.entries.iter().map(|entry| Sweep { entry }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shape_variable_reads_every_file_in_that_shape() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let data = std::ffi::OsStr::new("datasets/geo-sample.json");
        let shape_of = |shape: Option<&str>| {
            let suite = Suite::for_benches(Some(data), shape.map(std::ffi::OsStr::new), root)
                .expect("the sample loads");
            let file = suite.entries.last().expect("the file comes last");
            assert_eq!(file.label, "geo-sample");
            // A worker reads the file as the suite did; a built-in needs no shape.
            assert_eq!(file.read_in(), Some(file.dataset.shape()));
            assert_eq!(suite.entries[0].read_in(), None);
            file.dataset.shape()
        };
        assert_eq!(shape_of(None), Shape::Geo);
        assert_eq!(shape_of(Some("json")), Shape::Json);
        assert!(Suite::for_benches(Some(data), Some("nope".as_ref()), root).is_err());
    }

    #[test]
    fn a_file_that_would_share_a_name_is_refused_naming_both() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sample = |name: &str| root.join(format!("datasets/{name}-sample.json"));
        let geo = Entry::load(Origin::File(sample("geo")), None).expect("the sample loads");
        assert_eq!(geo.label, "geo-sample");
        assert_eq!(geo.dataset.shape(), Shape::Geo);

        let clash =
            |origins: &[Origin]| Suite::check_files(origins, None).err().expect("a clash").0;
        // A file whose stem is a built-in dataset's name.
        let dir = std::env::temp_dir().join(format!("suite-clash-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("log-sample.json");
        std::fs::copy(sample("log"), dir.join("log.json")).unwrap();
        std::fs::copy(sample("log"), &log).unwrap();
        let error = clash(&[
            Origin::Builtin(Name::Log),
            Origin::File(dir.join("log.json")),
        ]);
        assert!(
            error.contains("the built-in dataset log") && error.contains("log.json"),
            "{error}"
        );
        let error = clash(&[
            Origin::File(sample("catalog")),
            Origin::File(sample("catalog")),
        ]);
        assert!(error.contains("catalog-sample.json and "), "{error}");
        assert!(
            Suite::check_files(&[Origin::File(sample("geo")), Origin::File(log)], None).is_ok()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
