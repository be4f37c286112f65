//! Every bench group, defined once: its ID, its contenders, how its runners
//! are built, and the targets ours must meet in it.
//!
//! The criterion benches, `performance` (in turns and by instructions) and
//! `compare` all take their groups from here, so that a group measured one
//! way is the same group measured another. A [`Suite`] holds the datasets;
//! adding a dataset to it adds its groups everywhere.
//!
//! | group | what one run is |
//! |---|---|
//! | `encode/{format}/{mode}/{dataset}` | encoding the whole dataset, each value on a fresh allocator |
//! | `patterns/replay/{dataset}/{mode}` | replaying the allocator calls of the `wire` encode, without the encoder |
//! | `patterns/{pattern}` | one synthetic pattern of [`crate::patterns`] |
//! | `stack_buffer/{dataset}` | the `wire` encode at one slice size, per [`SweepPoint`] |
//! | `patterns/placement` | the `stack` encode of `geo` at two page offsets (in `benches/patterns.rs`) |

use std::cell::OnceCell;
use std::ffi::OsStr;
use std::fmt;
use std::hint::black_box;
use std::path::Path;

use crate::HeapBuffer;
use crate::bench_id::{BenchId, ContenderId, GroupId};
use crate::contenders::{Contender, Kind, NextKind, SpillStackContender, StackContender};
use crate::datasets::files::FileError;
use crate::datasets::{DEFAULT_SEED, Dataset, Name, Origin, check_distinct};
use crate::format::{EncodeFailed, Format, Mode};
use crate::names::Named;
use crate::patterns::{Pattern, TOTAL};
use crate::sizing::{Sizing, SliceAllocator};
use crate::targets;
use crate::trace::{Replay, Trace};
use crate::workload::Workload;

/// The formats `performance` and `compare` measure: the two that take
/// buffers (`storage` never allocates).
pub const MEASURED_FORMATS: [Format; 2] = [Format::Wire, Format::Descriptive];

/// The ID of the placement group.
pub const PLACEMENT: &str = "patterns/placement";

/// Slice sizes of the `stack_buffer` sweep besides the dataset's own
/// minimum: powers of two from 512 B to 64 KiB.
pub const SWEEP_SIZES: [usize; 8] = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

/// A dataset under the name its groups carry: a built-in dataset's name,
/// or a file's stem.
pub struct Entry {
    /// The name in group IDs.
    pub label: String,
    /// The values.
    pub dataset: Dataset,
    /// Where it came from.
    pub origin: Origin,
}

impl Entry {
    /// The built-in dataset `name` at scale 1 with the default seed.
    pub fn builtin(name: Name) -> Self {
        Self {
            label: name.name().to_owned(),
            dataset: Dataset::generate(name, DEFAULT_SEED, 1.0),
            origin: Origin::Builtin(name),
        }
    }

    /// The dataset of `origin` at scale 1 with the default seed, a file in
    /// shape `shape` or the one its keys show, under its label.
    pub fn load(origin: Origin, shape: Option<Name>) -> Result<Self, FileError> {
        Ok(Self {
            label: origin.label()?,
            dataset: origin.load(DEFAULT_SEED, 1.0, shape)?,
            origin,
        })
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

    /// The datasets `entries`, unless two of them carry the same name: then
    /// an error naming both.
    pub fn checked(entries: Vec<Entry>) -> Result<Self, FileError> {
        check_distinct(
            entries
                .iter()
                .map(|entry| (entry.label.as_str(), &entry.origin)),
        )?;
        Ok(Self { entries })
    }

    /// The datasets of `origins`, files in shape `shape` or the one their
    /// keys show. Every file is read, and the names checked, before
    /// anything is generated, so that a bad one is refused at once.
    pub fn load(origins: &[Origin], shape: Option<Name>) -> Result<Self, FileError> {
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
    pub fn check_files(origins: &[Origin], shape: Option<Name>) -> Result<Vec<Entry>, FileError> {
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
    /// that `MUSLI_ALLOC_BENCH_DATA` names (`variable`, its value) and each
    /// JSON file in `datasets/local/` under `root` (see
    /// [`Origin::for_benches`]).
    pub fn for_benches(variable: Option<&OsStr>, root: &Path) -> Result<Self, FileError> {
        Self::load(&Origin::for_benches(variable, root)?, None)
    }

    /// `encode/{format}/{mode}/{dataset}` for each of `formats`, by format,
    /// then mode, then dataset.
    pub fn encode_groups(&self, formats: &[Format]) -> Vec<Group<'_>> {
        let mut groups = Vec::new();
        for &format in formats {
            for &mode in Mode::ALL {
                for entry in &self.entries {
                    groups.push(Group::new(Measures::Encode {
                        entry,
                        format,
                        mode,
                    }));
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
    /// [`MEASURED_FORMATS`], then the replayed traces.
    pub fn measured_groups(&self) -> Vec<Group<'_>> {
        let mut groups = self.encode_groups(&MEASURED_FORMATS);
        groups.extend(self.replay_groups());
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
            .chain(self.replay_groups())
            .chain(Self::pattern_groups())
            .find(|group| group.id() == *id)
    }

    /// `stack_buffer/{dataset}` for every dataset.
    pub fn sweep_groups(&self) -> Vec<Sweep<'_>> {
        self.entries.iter().map(|entry| Sweep { entry }).collect()
    }
}

/// What a group measures.
#[derive(Clone, Copy)]
pub enum Measures<'d> {
    /// `encode/{format}/{mode}/{dataset}`.
    Encode {
        /// The dataset.
        entry: &'d Entry,
        /// The format.
        format: Format,
        /// The mode.
        mode: Mode,
    },
    /// `patterns/replay/{dataset}/{mode}`: the `wire` encode's calls.
    Replay {
        /// The dataset.
        entry: &'d Entry,
        /// The mode.
        mode: Mode,
    },
    /// `patterns/{pattern}`.
    Pattern(Pattern),
}

/// A group failed to give a runner: its workload did not encode, or a
/// contender did not do what the reference did.
#[derive(Debug)]
pub struct GroupError(pub String);

impl fmt::Display for GroupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GroupError {}

impl From<EncodeFailed> for GroupError {
    fn from(error: EncodeFailed) -> Self {
        GroupError(error.to_string())
    }
}

/// One contender of a group, ready to run once more: one run is what the
/// bench times. Its ID is a [`BenchId`], or for a [`Sweep`]'s the text of
/// criterion's ID.
pub struct Runner<'a, Id = BenchId> {
    /// The bench's ID.
    pub id: Id,
    /// One run.
    pub run: Box<dyn FnMut() + 'a>,
}

/// One bench group. What its runners need (the reference output, the
/// sizing, the trace) is worked out once, when the first runner asks.
pub struct Group<'d> {
    /// What it measures.
    pub measures: Measures<'d>,
    output: OnceCell<Vec<u8>>,
    sizing: OnceCell<Sizing>,
    trace: OnceCell<(Trace, Vec<u8>)>,
}

impl<'d> Group<'d> {
    fn new(measures: Measures<'d>) -> Self {
        Self {
            measures,
            output: OnceCell::new(),
            sizing: OnceCell::new(),
            trace: OnceCell::new(),
        }
    }

    /// The group's ID.
    pub fn id(&self) -> GroupId {
        match self.measures {
            Measures::Encode {
                entry,
                format,
                mode,
            } => GroupId::Encode {
                format,
                mode,
                dataset: entry.label.clone(),
            },
            Measures::Replay { entry, mode } => GroupId::Replay {
                dataset: entry.label.clone(),
                mode,
            },
            Measures::Pattern(pattern) => GroupId::Pattern(pattern),
        }
    }

    /// The workload it encodes or replays, if it has one.
    pub fn workload(&self) -> Option<Workload<'d>> {
        match self.measures {
            Measures::Encode {
                entry,
                format,
                mode,
            } => Some(Workload::new(&entry.dataset, format, mode)),
            Measures::Replay { entry, mode } => {
                Some(Workload::new(&entry.dataset, Format::Wire, mode))
            }
            Measures::Pattern(_) => None,
        }
    }

    /// Its contenders, in report order: every [`Kind`], and musli 0.2's
    /// allocators in the replayed traces.
    pub fn contenders(&self) -> Vec<ContenderId> {
        let ours = Kind::ALL.iter().map(|&kind| ContenderId::Kind(kind));
        match self.measures {
            Measures::Replay { .. } => ours
                .chain(NextKind::ALL.iter().map(|&next| ContenderId::Next(next)))
                .collect(),
            Measures::Encode { .. } | Measures::Pattern(_) => ours.collect(),
        }
    }

    /// The bench IDs of its contenders, in report order.
    pub fn benches(&self) -> Vec<BenchId> {
        let id = self.id();
        self.contenders()
            .into_iter()
            .map(|contender| id.bench(contender))
            .collect()
    }

    /// Bytes one run handles, for criterion's throughput: the output of an
    /// encode, the bytes written by a replay or a pattern. `None` for a
    /// replay of a workload that never allocates.
    pub fn throughput(&self) -> Result<Option<u64>, GroupError> {
        Ok(match self.measures {
            Measures::Encode { .. } => Some(self.output()?.len() as u64),
            Measures::Replay { .. } => {
                let (trace, _) = self.trace()?;
                (!trace.ops.is_empty()).then(|| trace.bytes_written())
            }
            Measures::Pattern(_) => Some(TOTAL as u64),
        })
    }

    /// Whether the group has anything to run: a replayed trace of a
    /// workload that never allocates has not.
    pub fn is_empty(&self) -> Result<bool, GroupError> {
        Ok(self.throughput()?.is_none())
    }

    /// musli's `System`'s output, which every contender must match.
    fn output(&self) -> Result<&[u8], GroupError> {
        if self.output.get().is_none() {
            let workload = self.workload().expect("only workloads have an output");
            let _ = self.output.set(workload.output()?);
        }
        Ok(self.output.get().expect("set above"))
    }

    fn sizing(&self) -> Result<Sizing, GroupError> {
        if self.sizing.get().is_none() {
            let sizing = match self.workload() {
                Some(workload) => workload.sizing()?,
                None => Sizing::PATTERNS,
            };
            let _ = self.sizing.set(sizing);
        }
        Ok(*self.sizing.get().expect("set above"))
    }

    /// The `wire` encode's allocator calls, and the bytes a replay writes
    /// from.
    fn trace(&self) -> Result<(&Trace, &[u8]), GroupError> {
        if self.trace.get().is_none() {
            let workload = self.workload().expect("only workloads have a trace");
            let trace = workload.trace()?;
            let source = trace.source();
            let _ = self.trace.set((trace, source));
        }
        let (trace, source) = self.trace.get().expect("set above");
        Ok((trace, source))
    }

    /// The runner of `contender`, one of [`Group::contenders`], after one
    /// run that checks it: an encode must write musli's `System`'s bytes, a
    /// replay must have every call succeed, a pattern must write its total.
    pub fn runner(&self, contender: ContenderId) -> Result<Runner<'_>, GroupError> {
        let id = self.id().bench(contender);
        let fail = |what: &str| Err(GroupError(format!("{id}: {what}")));

        let kind = match contender {
            ContenderId::Kind(kind) => kind,
            ContenderId::Next(_) if !matches!(self.measures, Measures::Replay { .. }) => {
                return fail("musli 0.2's allocators only replay traces");
            }
            ContenderId::Next(next) => {
                let (trace, source) = self.trace()?;
                let mut replay = next.replayer(trace, source, self.sizing()?.stack_slice);
                if replay() != 0 {
                    return fail("calls failed");
                }
                return Ok(Runner {
                    id,
                    run: Box::new(move || assert_eq!(replay(), 0, "sized to fit")),
                });
            }
        };

        let mut contender = kind.build(&self.sizing()?);
        let run: Box<dyn FnMut() + '_> = match self.measures {
            Measures::Encode { .. } => {
                let workload = self.workload().expect("an encode group has one");
                let expected = self.output()?;
                let mut out = Vec::with_capacity(expected.len());
                workload.encode(&mut contender, &mut out)?;
                if out != expected {
                    return fail("wrote other bytes than musli's System");
                }
                Box::new(move || {
                    out.clear();
                    workload
                        .encode(&mut contender, &mut out)
                        .expect("sized to fit");
                    black_box(&out);
                })
            }
            Measures::Replay { .. } => {
                let (trace, source) = self.trace()?;
                let replay = move || Replay { trace, source };
                if contender.run(replay()) != 0 {
                    return fail("calls failed");
                }
                Box::new(move || assert_eq!(contender.run(replay()), 0, "sized to fit"))
            }
            Measures::Pattern(pattern) => {
                if contender.run(pattern) != TOTAL {
                    return fail("wrote other than the pattern's total");
                }
                Box::new(move || assert_eq!(contender.run(black_box(pattern)), TOTAL))
            }
        };
        Ok(Runner { id, run })
    }

    /// The runners of every contender, in report order.
    pub fn runners(&self) -> Result<Vec<Runner<'_>>, GroupError> {
        self.contenders()
            .into_iter()
            .map(|contender| self.runner(contender))
            .collect()
    }

    /// The most `ours` may take of `other`'s time or instructions in this
    /// group, if a target is set: see [`crate::targets`].
    pub fn target(&self, ours: Kind, other: Kind) -> Option<f64> {
        match self.measures {
            Measures::Encode { entry, .. } => targets::limit(ours, other, entry.dataset.name()),
            Measures::Replay { .. } | Measures::Pattern(_) => None,
        }
    }
}

/// `stack_buffer/{dataset}`: the `wire` encode at slice sizes from 512 B to
/// 64 KiB and the dataset's exact minimum, in both modes. `stack-spill`
/// runs at every size (below the minimum it spills), `stack` where it fits.
pub struct Sweep<'d> {
    /// The dataset.
    pub entry: &'d Entry,
}

/// One bench of a [`Sweep`]: a contender at one size in one mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SweepPoint {
    /// `stack` or `stack-spill`.
    pub contender: Kind,
    /// The mode.
    pub mode: Mode,
    /// The slice's length in bytes.
    pub size: usize,
}

impl SweepPoint {
    /// The bench function's name, before the size: `{contender}/{mode}`.
    pub fn function(&self) -> String {
        format!("{}/{}", self.contender, self.mode)
    }
}

impl<'d> Sweep<'d> {
    /// The group's ID.
    pub fn id(&self) -> String {
        format!("stack_buffer/{}", self.entry.label)
    }

    /// The workload of `mode`.
    pub fn workload(&self, mode: Mode) -> Workload<'d> {
        Workload::new(&self.entry.dataset, Format::Wire, mode)
    }

    /// Every bench of the sweep, in order: per mode, `stack-spill` at each
    /// size, then `stack` at each size it fits.
    pub fn points(&self) -> Vec<SweepPoint> {
        let mut points = Vec::new();
        for &mode in Mode::ALL {
            let minimum = self
                .workload(mode)
                .min_slices(SliceAllocator::Stack)
                .into_iter()
                .max()
                .unwrap_or(0);
            let mut sizes = SWEEP_SIZES.to_vec();
            sizes.push(minimum);
            sizes.sort_unstable();
            sizes.dedup();

            for &size in &sizes {
                points.push(SweepPoint {
                    contender: Kind::StackSpill,
                    mode,
                    size,
                });
            }
            for &size in sizes.iter().filter(|&&size| size >= minimum) {
                points.push(SweepPoint {
                    contender: Kind::Stack,
                    mode,
                    size,
                });
            }
        }
        points
    }

    /// The runner of `point`, after one run that checks its output.
    pub fn runner(&self, point: SweepPoint) -> Result<Runner<'d, String>, GroupError> {
        let id = format!("{}/{}/{}", self.id(), point.function(), point.size);
        let slice = HeapBuffer::new(point.size);
        let workload = self.workload(point.mode);
        match point.contender {
            Kind::Stack => sweep_runner(id, workload, StackContender::on(slice)),
            Kind::StackSpill => sweep_runner(id, workload, SpillStackContender::on(slice)),
            other => Err(GroupError(format!(
                "{id}: {other} does not serve from a slice of a chosen size"
            ))),
        }
    }
}

/// The runner of `contender` encoding `workload`, under `id`, after one
/// run that checks its output.
fn sweep_runner<'d>(
    id: String,
    workload: Workload<'d>,
    mut contender: impl Contender + 'd,
) -> Result<Runner<'d, String>, GroupError> {
    let expected = workload.output()?;
    let mut out = Vec::with_capacity(expected.len());
    workload.encode(&mut contender, &mut out)?;
    if out != expected {
        return Err(GroupError(format!("{id}: wrote other bytes")));
    }
    Ok(Runner {
        id,
        run: Box::new(move || {
            out.clear();
            workload
                .encode(&mut contender, &mut out)
                .expect("stack runs where it fits, stack-spill everywhere");
            black_box(&out);
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small_suite() -> Suite {
        Suite::of(vec![Entry {
            label: "tiny".to_owned(),
            dataset: Dataset::generate(Name::Catalog, DEFAULT_SEED, 0.01),
            origin: Origin::Builtin(Name::Catalog),
        }])
    }

    #[test]
    fn group_ids_carry_the_label_and_every_contender_runs() {
        let suite = small_suite();
        let groups = suite.measured_groups();
        let ids: Vec<String> = groups.iter().map(|group| group.id().to_string()).collect();
        assert_eq!(
            ids,
            [
                "encode/wire/default/tiny",
                "encode/wire/packed/tiny",
                "encode/descriptive/default/tiny",
                "encode/descriptive/packed/tiny",
                "patterns/replay/tiny/default",
                "patterns/replay/tiny/packed",
            ]
        );
        for group in &groups {
            let mut runners = group.runners().expect("every contender fits");
            let ids: Vec<BenchId> = runners.iter().map(|runner| runner.id.clone()).collect();
            assert_eq!(ids, group.benches(), "{}", group.id());
            for runner in &mut runners {
                (runner.run)();
            }
        }
    }

    #[test]
    fn only_replays_have_musli_next() {
        let suite = small_suite();
        let encode = &suite.encode_groups(&[Format::Wire])[0];
        let slice = ContenderId::Next(NextKind::MusliNextSlice);
        assert!(!encode.contenders().contains(&slice));
        let error = encode.runner(slice).err().expect("not in an encode group");
        assert!(error.0.contains("only replay"), "{error}");
    }

    #[test]
    fn a_sweep_runs_stack_only_where_it_fits() {
        let suite = small_suite();
        let sweep = &suite.sweep_groups()[0];
        let points = sweep.points();
        for &mode in Mode::ALL {
            let minimum = sweep
                .workload(mode)
                .min_slices(SliceAllocator::Stack)
                .into_iter()
                .max()
                .expect("the dataset has values");
            let of = |kind| {
                points
                    .iter()
                    .filter(|point| point.mode == mode && point.contender == kind)
                    .map(|point| point.size)
                    .collect::<Vec<_>>()
            };
            let spilling = of(Kind::StackSpill);
            assert!(spilling.contains(&minimum) && spilling.contains(&512));
            assert!(of(Kind::Stack).iter().all(|&size| size >= minimum));
            assert_eq!(of(Kind::Stack)[0], minimum);
        }
        for point in points.iter().filter(|point| point.size == 512) {
            let mut runner = sweep.runner(*point).expect("spills where it must");
            (runner.run)();
        }
    }

    #[test]
    fn a_file_that_would_share_a_name_is_refused_naming_both() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sample = |name: &str| root.join(format!("datasets/{name}-sample.json"));
        let geo = Entry::load(Origin::File(sample("geo")), None).expect("the sample loads");
        assert_eq!(geo.label, "geo-sample");
        assert_eq!(geo.dataset.name(), Name::Geo);

        let clash = |entries| Suite::checked(entries).err().expect("a clash").0;
        let renamed = |label: &str, entry: Entry| Entry {
            label: label.to_owned(),
            ..entry
        };
        let error = clash(vec![
            Entry::builtin(Name::Log),
            renamed(
                "log",
                Entry::load(Origin::File(sample("log")), None).unwrap(),
            ),
        ]);
        assert!(
            error.contains("the built-in dataset log") && error.contains("log-sample.json"),
            "{error}"
        );
        let error = clash(vec![
            Entry::load(Origin::File(sample("catalog")), None).unwrap(),
            Entry::load(Origin::File(sample("catalog")), None).unwrap(),
        ]);
        assert!(error.contains("catalog-sample.json and "), "{error}");
        assert!(Suite::checked(vec![geo]).is_ok());
    }

    #[test]
    fn targets_are_set_on_encode_groups_only() {
        let suite = Suite::of(vec![Entry::builtin(Name::Messages)]);
        let groups = suite.measured_groups();
        let encode = &groups[0];
        assert_eq!(encode.target(Kind::Stack, Kind::MusliSystem), Some(0.65));
        assert_eq!(
            encode.target(Kind::StackSpill, Kind::MusliSystem),
            Some(0.60)
        );
        assert_eq!(encode.target(Kind::Stack, Kind::MusliStack), None);
        let replay = groups.last().expect("replays come last");
        assert_eq!(replay.target(Kind::Stack, Kind::MusliSystem), None);
    }
}
