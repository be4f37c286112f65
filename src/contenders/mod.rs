//! The allocators under test, behind one trait.
//!
//! A [`Contender`] runs a [`Task`] on a fresh allocator of its kind, the way
//! musli's own `encode` and `to_vec` make a fresh allocator per call.
//! Benches, tests and the harness only ever go through this trait, so adding
//! a contender is one new file here plus its line in [`Kind`].

mod backing;
mod bumpalo;
mod floor;
mod musli_stack;
mod musli_system;
mod stack;

use std::fmt;
use std::str::FromStr;

use musli::Allocator;

use crate::format::{EncodeFailed, Format, Mode, UnknownName, Value, encode};

pub use self::backing::Backing;
pub use self::bumpalo::{BumpAllocator, BumpBuf, Bumpalo};
pub use self::floor::{Floor, FloorAllocator, FloorBuf};
pub use self::musli_stack::MusliStack;
pub use self::musli_system::{MusliSystem, modelled_reserved_bytes};
pub use self::stack::{StackContender, StackFixed, StackSpill};

/// Work done with an allocator, whatever its type.
pub trait Task {
    /// What the work gives back.
    type Output;

    /// Does the work with `alloc`.
    fn run<A: Allocator>(self, alloc: &A) -> Self::Output;
}

/// An allocator under test.
pub trait Contender {
    /// Its name in bench IDs, reports and on the command line.
    fn name(&self) -> &'static str;

    /// Runs `task` on a fresh allocator of this kind. Whatever must be made
    /// beforehand (backing slices, pools) was made when the contender was,
    /// so that only the allocator's own work is inside this call.
    fn run<T: Task>(&mut self, task: T) -> T::Output;

    /// As `run`, and then notes what the allocator held at its peak, for
    /// `max_reserved_bytes`. Apart from `run` because the benches time
    /// `run`, and reading the peak is the harness's work, not the
    /// allocator's: 17 instructions per `messages` message on `stack`.
    fn run_noting_peak<T: Task>(&mut self, task: T) -> T::Output {
        self.run(task)
    }

    /// The memory this contender's allocators held at their peak over every
    /// `run_noting_peak` so far, by the contender's own accounting, when it
    /// keeps one.
    fn max_reserved_bytes(&self) -> Option<usize> {
        None
    }

    /// The buffers this contender moved to the heap over every
    /// `run_noting_peak` so far, and the bytes it copied out of its slice
    /// to do so: only `stack-spill` spills.
    fn spills(&self) -> Spills {
        Spills::default()
    }
}

/// What a spilling allocator moved to the heap; see [`Contender::spills`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spills {
    /// Buffers moved to the heap, or placed there for want of room.
    pub spills: u64,
    /// Bytes copied out of the slice by those moves.
    pub spilled_bytes: u64,
}

/// What a workload needs from an allocator, measured beforehand (see
/// `Workload::sizing`): the contenders that serve from fixed memory
/// are built to fit it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizing {
    /// The smallest slice on which `stack` serves every call.
    pub stack_slice: usize,
    /// The smallest slice on which `musli-stack` serves every call.
    pub musli_stack_slice: usize,
    /// The longest any buffer gets.
    pub max_buffer_len: usize,
    /// The most buffers alive at once.
    pub max_live_buffers: usize,
}

impl Sizing {
    /// Room for any workload of this suite at scale 1, for when exact needs
    /// are not known yet (finding them, or tests of small values).
    pub const GENEROUS: Sizing = Sizing {
        stack_slice: 8 << 20,
        musli_stack_slice: 8 << 20,
        max_buffer_len: 4 << 20,
        max_live_buffers: 64,
    };
}

/// The contenders by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Ours: [`crate::Stack`].
    Stack,
    /// Ours: [`crate::SpillStack`], on the default `StackBuffer`.
    StackSpill,
    /// musli 0.0.122's `allocator::Stack`.
    MusliStack,
    /// musli 0.0.122's `allocator::System`.
    MusliSystem,
    /// A `bumpalo::Bump` per call, each buffer a bumpalo `Vec<u8>`.
    Bumpalo,
    /// Buffers that never grow or move: the cheapest possible.
    Floor,
}

impl Kind {
    /// Every contender, in report order.
    pub const ALL: [Kind; 6] = [
        Kind::Stack,
        Kind::StackSpill,
        Kind::MusliStack,
        Kind::MusliSystem,
        Kind::Bumpalo,
        Kind::Floor,
    ];

    /// The name used in bench IDs, reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Stack => "stack",
            Kind::StackSpill => "stack-spill",
            Kind::MusliStack => "musli-stack",
            Kind::MusliSystem => "musli-system",
            Kind::Bumpalo => "bumpalo",
            Kind::Floor => "floor",
        }
    }

    /// A contender of this kind, built to serve a workload of `sizing`.
    pub fn build(self, sizing: &Sizing) -> AnyContender {
        match self {
            Kind::Stack => AnyContender::Stack(StackFixed::new(sizing.stack_slice)),
            Kind::StackSpill => AnyContender::StackSpill(StackSpill::new(sizing.stack_slice)),
            Kind::MusliStack => AnyContender::MusliStack(MusliStack::new(sizing.musli_stack_slice)),
            Kind::MusliSystem => AnyContender::MusliSystem(MusliSystem),
            Kind::Bumpalo => AnyContender::Bumpalo(Bumpalo::default()),
            Kind::Floor => {
                AnyContender::Floor(Floor::new(sizing.max_live_buffers, sizing.max_buffer_len))
            }
        }
    }
}

impl FromStr for Kind {
    type Err = UnknownName;

    fn from_str(given: &str) -> Result<Self, Self::Err> {
        UnknownName::find("contender", given, &Kind::ALL, Kind::name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Any contender of [`Kind`], for code that picks them by name.
pub enum AnyContender {
    /// See [`StackFixed`].
    Stack(StackFixed),
    /// See [`StackSpill`].
    StackSpill(StackSpill),
    /// See [`MusliStack`].
    MusliStack(MusliStack),
    /// See [`MusliSystem`].
    MusliSystem(MusliSystem),
    /// See [`Bumpalo`].
    Bumpalo(Bumpalo),
    /// See [`Floor`].
    Floor(Floor),
}

impl Contender for AnyContender {
    fn name(&self) -> &'static str {
        match self {
            AnyContender::Stack(contender) => contender.name(),
            AnyContender::StackSpill(contender) => contender.name(),
            AnyContender::MusliStack(contender) => contender.name(),
            AnyContender::MusliSystem(contender) => contender.name(),
            AnyContender::Bumpalo(contender) => contender.name(),
            AnyContender::Floor(contender) => contender.name(),
        }
    }

    fn run<T: Task>(&mut self, task: T) -> T::Output {
        match self {
            AnyContender::Stack(contender) => contender.run(task),
            AnyContender::StackSpill(contender) => contender.run(task),
            AnyContender::MusliStack(contender) => contender.run(task),
            AnyContender::MusliSystem(contender) => contender.run(task),
            AnyContender::Bumpalo(contender) => contender.run(task),
            AnyContender::Floor(contender) => contender.run(task),
        }
    }

    fn run_noting_peak<T: Task>(&mut self, task: T) -> T::Output {
        match self {
            AnyContender::Stack(contender) => contender.run_noting_peak(task),
            AnyContender::StackSpill(contender) => contender.run_noting_peak(task),
            AnyContender::MusliStack(contender) => contender.run_noting_peak(task),
            AnyContender::MusliSystem(contender) => contender.run_noting_peak(task),
            AnyContender::Bumpalo(contender) => contender.run_noting_peak(task),
            AnyContender::Floor(contender) => contender.run_noting_peak(task),
        }
    }

    fn max_reserved_bytes(&self) -> Option<usize> {
        match self {
            AnyContender::Stack(contender) => contender.max_reserved_bytes(),
            AnyContender::StackSpill(contender) => contender.max_reserved_bytes(),
            AnyContender::MusliStack(contender) => contender.max_reserved_bytes(),
            AnyContender::MusliSystem(contender) => contender.max_reserved_bytes(),
            AnyContender::Bumpalo(contender) => contender.max_reserved_bytes(),
            AnyContender::Floor(contender) => contender.max_reserved_bytes(),
        }
    }

    fn spills(&self) -> Spills {
        match self {
            AnyContender::Stack(contender) => contender.spills(),
            AnyContender::StackSpill(contender) => contender.spills(),
            AnyContender::MusliStack(contender) => contender.spills(),
            AnyContender::MusliSystem(contender) => contender.spills(),
            AnyContender::Bumpalo(contender) => contender.spills(),
            AnyContender::Floor(contender) => contender.spills(),
        }
    }
}

/// Encodes one value on the allocator it is given.
pub struct EncodeOne<'a, T: ?Sized> {
    /// The format.
    pub format: Format,
    /// The mode.
    pub mode: Mode,
    /// What to encode.
    pub value: &'a T,
    /// Where the bytes go (appended).
    pub out: &'a mut Vec<u8>,
}

impl<T: Value> Task for EncodeOne<'_, T> {
    type Output = Result<(), EncodeFailed>;

    #[inline]
    fn run<A: Allocator>(self, alloc: &A) -> Self::Output {
        encode(alloc, self.format, self.mode, self.value, self.out)
    }
}

/// Encodes every value, each on a fresh allocator from `contender`,
/// appending the bytes to `out`.
#[inline]
pub fn encode_each<C: Contender, T: Value>(
    contender: &mut C,
    format: Format,
    mode: Mode,
    values: &[T],
    out: &mut Vec<u8>,
) -> Result<(), EncodeFailed> {
    for value in values {
        contender.run(EncodeOne {
            format,
            mode,
            value,
            out: &mut *out,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::{Pattern, SIZING};

    #[test]
    fn only_runs_that_note_the_peak_change_max_reserved_bytes() {
        for kind in Kind::ALL {
            let mut contender = kind.build(&SIZING);
            let before = contender.max_reserved_bytes();
            contender.run(Pattern::Churn);
            assert_eq!(contender.max_reserved_bytes(), before, "{kind}: run");

            contender.run_noting_peak(Pattern::Churn);
            if let Some(after) = contender.max_reserved_bytes() {
                assert!(after > 0, "{kind}: run_noting_peak");
            }
        }
    }
}
