//! Every bench group, defined once: its ID, its contenders, how its runners
//! are built, and the targets ours must meet in it.
//!
//! The criterion benches, `performance` (in turns and by instructions) and
//! `compare` all take their groups from here, so that a group measured one
//! way is the same group measured another. A [`Suite`] holds the datasets;
//! adding a dataset to it adds its groups everywhere.
//!
//! | file | what |
//! |---|---|
//! | `suite.rs` | the datasets, and the groups of each |
//! | `mod.rs` | one group: its ID, its contenders, its runners, its targets |
//! | `sweep.rs` | the `stack_buffer` sweep, criterion's alone |
//! | `calls.rs` | the runs `calls` counts on a replay group, by kind of call |
//! | `unfit.rs` | why a contender has no runner |
//!
//! | group | what one run is |
//! |---|---|
//! | `encode/{format}/{mode}/{dataset}` | encoding the whole dataset, each value on a fresh allocator |
//! | `musli-0.2/encode/{format}/{mode}/{dataset}` | the same with musli 0.2, on its allocators |
//! | `patterns/replay/{dataset}/{mode}` | replaying the allocator calls of the `wire` encode, without the encoder |
//! | `patterns/{pattern}` | one synthetic pattern of [`crate::patterns`] |
//! | `stack_buffer/{dataset}` | the `wire` encode at one slice size, per [`SweepPoint`] |
//! | `patterns/placement` | the `stack` encode of `geo` at two page offsets (in `benches/patterns.rs`) |

mod calls;
mod suite;
mod sweep;
mod unfit;

use self::unfit::Unfit;

use std::cell::OnceCell;
use std::fmt;
use std::hint::black_box;

use crate::bench_id::{BenchId, ContenderId, GroupId};
use crate::contenders::{Contender, Kind, NextKind};
use crate::format::{EncodeFailed, Format, Mode};
use crate::patterns::{Pattern, TOTAL};
use crate::sizing::NextSizing;
use crate::sizing::Sizing;
use crate::targets;
use crate::trace::{Replay, Trace};
use crate::workload::NextWorkload;
use crate::workload::Workload;

pub use self::calls::CallRun;
pub use self::suite::{Entry, Suite};
pub use self::sweep::{SWEEP_SIZES, Sweep, SweepPoint};

/// The formats `performance` and `compare` measure: the two that take
/// buffers (`storage` never allocates).
pub const MEASURED_FORMATS: [Format; 2] = [Format::Wire, Format::Descriptive];

/// The ID of the placement group.
pub const PLACEMENT: &str = "patterns/placement";

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
    /// `musli-0.2/encode/{format}/{mode}/{dataset}`.
    NextEncode {
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
    next_sizing: OnceCell<NextSizing>,
    trace: OnceCell<(Trace, Vec<u8>)>,
}

impl<'d> Group<'d> {
    fn new(measures: Measures<'d>) -> Self {
        Self {
            measures,
            output: OnceCell::new(),
            sizing: OnceCell::new(),
            next_sizing: OnceCell::new(),
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
            Measures::NextEncode {
                entry,
                format,
                mode,
            } => GroupId::NextEncode {
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

    /// The musli 0.0.122 workload it encodes or replays, if it has one.
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
            Measures::NextEncode { .. } | Measures::Pattern(_) => None,
        }
    }

    /// The musli 0.2 workload it encodes, if it is a musli 0.2 group.
    pub fn next_workload(&self) -> Option<NextWorkload<'d>> {
        match self.measures {
            Measures::NextEncode {
                entry,
                format,
                mode,
            } => Some(NextWorkload::new(entry.next_dataset(), format, mode)),
            _ => None,
        }
    }

    /// Its contenders, in report order (see [`GroupId::contenders`]).
    pub fn contenders(&self) -> Vec<ContenderId> {
        self.id().contenders()
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
            Measures::Encode { .. } | Measures::NextEncode { .. } => {
                Some(self.output()?.len() as u64)
            }
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

    /// What every contender must write: musli's `System`'s output, or on
    /// musli 0.2 its `Global`'s.
    fn output(&self) -> Result<&[u8], GroupError> {
        if self.output.get().is_none() {
            let output = match (self.workload(), self.next_workload()) {
                (Some(workload), _) => workload.output()?,
                (None, Some(workload)) => workload.output()?,
                (None, None) => unreachable!("only workloads have an output"),
            };
            let _ = self.output.set(output);
        }
        Ok(self.output.get().expect("set above"))
    }

    fn next_sizing(&self) -> NextSizing {
        *self.next_sizing.get_or_init(|| {
            let workload = self.next_workload().expect("only musli 0.2 groups");
            workload.sizing()
        })
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
    /// run that checks it: an encode must write the reference's bytes
    /// (musli's `System`'s, or on musli 0.2 its `Global`'s), a replay must
    /// have every call succeed, a pattern must write its total.
    pub fn runner(&self, contender: ContenderId) -> Result<Runner<'_>, GroupError> {
        let id = self.id().bench(contender);
        let run = match contender {
            _ if !self.contenders().contains(&contender) => Err(Unfit::NotHere),
            ContenderId::Kind(kind) => self.kind_run(kind),
            ContenderId::Next(next) => self.next_replay_run(next),
            ContenderId::OnNext(next) => self.next_encode_run(next),
        };
        match run {
            Ok(run) => Ok(Runner { id, run }),
            Err(Unfit::Group(error)) => Err(error),
            Err(unfit) => Err(GroupError(format!("{id}: {unfit}"))),
        }
    }

    /// One run of musli 0.0.122's or our contender `kind`.
    fn kind_run(&self, kind: Kind) -> Result<Box<dyn FnMut() + '_>, Unfit> {
        let mut contender = kind.build(&self.sizing()?);
        Ok(match self.measures {
            Measures::Encode { .. } => {
                let workload = self.workload().expect("an encode group has one");
                let expected = self.output()?;
                let mut out = Vec::with_capacity(expected.len());
                workload.encode(&mut contender, &mut out)?;
                if out != expected {
                    return Err(Unfit::OtherBytes);
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
                if contender.run(replay()).is_some() {
                    return Err(Unfit::CallsFailed);
                }
                Box::new(move || assert_eq!(contender.run(replay()), None, "sized to fit"))
            }
            Measures::Pattern(pattern) => {
                if contender.run(pattern) != TOTAL {
                    return Err(Unfit::Pattern);
                }
                Box::new(move || assert_eq!(contender.run(black_box(pattern)), TOTAL))
            }
            Measures::NextEncode { .. } => unreachable!("checked by the caller"),
        })
    }

    /// One replay of the trace on musli 0.2's allocator `next`, sized as
    /// `stack` is (musli's `Slice` gets room for its own headers and for
    /// what its exact growth leaves behind).
    fn next_replay_run(&self, next: NextKind) -> Result<Box<dyn FnMut() + '_>, Unfit> {
        let (trace, source) = self.trace()?;
        let stack_slice = self.sizing()?.stack_slice;
        let sizing = NextSizing {
            stack_slice,
            musli_slice: 2 * stack_slice + 4096,
        };
        let mut contender = next.build(&sizing);
        let replay = move || Replay { trace, source };
        if contender.run(replay()).is_some() {
            return Err(Unfit::CallsFailed);
        }
        Ok(Box::new(move || {
            assert_eq!(contender.run(replay()), None, "sized to fit")
        }))
    }

    /// One encode of the musli 0.2 workload on `next`.
    fn next_encode_run(&self, next: NextKind) -> Result<Box<dyn FnMut() + '_>, Unfit> {
        let workload = self.next_workload().expect("a musli 0.2 group has one");
        let expected = self.output()?;
        let mut contender = next.build(&self.next_sizing());
        let mut out = Vec::with_capacity(expected.len());
        workload.encode(&mut contender, &mut out)?;
        if out != expected {
            return Err(Unfit::OtherBytes);
        }
        Ok(Box::new(move || {
            out.clear();
            workload
                .encode(&mut contender, &mut out)
                .expect("sized to fit");
            black_box(&out);
        }))
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
            Measures::Encode { entry, .. } => targets::limit(ours, other, entry.dataset.shape()),
            Measures::NextEncode { .. } | Measures::Replay { .. } | Measures::Pattern(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::{DEFAULT_SEED, Dataset, Name, Origin};

    /// A suite of one small dataset, for the tests of groups and sweeps.
    pub(super) fn small_suite() -> Suite {
        Suite::of(vec![Entry::new(
            "tiny".to_owned(),
            Dataset::generate(Name::Catalog, DEFAULT_SEED, 0.01),
            Origin::Builtin(Name::Catalog),
        )])
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
                "musli-0.2/encode/wire/default/tiny",
                "musli-0.2/encode/wire/packed/tiny",
                "musli-0.2/encode/descriptive/default/tiny",
                "musli-0.2/encode/descriptive/packed/tiny",
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
    fn a_contender_runs_only_in_its_groups() {
        let suite = small_suite();
        let encode = &suite.encode_groups(&[Format::Wire])[0];
        let next_encode = &suite.next_encode_groups(&[Format::Wire])[0];
        for (group, stranger) in [
            (encode, ContenderId::Next(NextKind::MusliSlice)),
            (encode, ContenderId::OnNext(NextKind::Stack)),
            (next_encode, ContenderId::Kind(Kind::Stack)),
            (next_encode, ContenderId::Next(NextKind::Stack)),
        ] {
            assert!(!group.contenders().contains(&stranger));
            let error = group.runner(stranger).err().expect("not in this group");
            assert!(error.0.contains("not a contender of this group"), "{error}");
        }
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
