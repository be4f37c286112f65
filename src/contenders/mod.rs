//! The allocators under test, behind one trait.
//!
//! A [`Contender`] runs a [`Task`] on a fresh allocator of its kind, the way
//! musli's own `encode` and `to_vec` make a fresh allocator per call.
//! Benches, tests and the harness only ever go through this trait.
//!
//! Adding a contender is one new file here, a variant of [`AnyContender`]
//! (which names it: [`Kind`] is derived from it) and its line in
//! [`Kind::build`].

mod backing;

pub use self::backing::Backing;
mod bumpalo;
mod floor;
mod musli_stack;
mod musli_system;
mod next;
mod stack;

use enum_dispatch::enum_dispatch;
use strum::{Display, EnumDiscriminants, EnumString, IntoStaticStr, VariantArray};

use crate::names::{Named, UnknownName, unknown};
use crate::sizing::Sizing;
use crate::task::Task;

pub use self::bumpalo::{BumpAllocator, BumpBuf, Bumpalo};
pub use self::floor::{Floor, FloorAllocator, FloorBuf};
pub use self::musli_stack::MusliStack;
pub use self::musli_system::MusliSystem;
pub use self::next::{NextContender, NextKind};
pub use self::stack::{OursContender, SpillStackContender, StackContender};

/// An allocator under test.
#[enum_dispatch]
pub trait Contender {
    /// Which contender this is; its name comes from there.
    fn kind(&self) -> Kind;

    /// Its name in bench IDs, reports and on the command line.
    fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// Runs `task` on a fresh allocator of this kind. Whatever must be made
    /// beforehand (backing slices, pools) was made when the contender was,
    /// so that only the allocator's own work is inside this call.
    fn run<T: Task>(&mut self, task: T) -> T::Output;

    /// As `run`, and then notes what the allocator held at its peak, for
    /// `max_reserved_bytes`. Apart from `run` because the benches time
    /// `run`, and reading the peak is the harness's work, not the
    /// allocator's.
    fn run_noting_peak<T: Task>(&mut self, task: T) -> T::Output {
        self.run(task)
    }

    /// The memory this contender's allocators held for buffers at their
    /// peak over every `run_noting_peak` so far, by the contender's own
    /// accounting (each one's doc says what it counts).
    fn max_reserved_bytes(&self) -> usize;

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

/// Any contender, for code that picks them by name. Its variants, in
/// report order, make [`Kind`], the contenders' names.
#[enum_dispatch(Contender)]
#[derive(EnumDiscriminants)]
#[strum_discriminants(
    name(Kind),
    doc = "The contenders by name, in report order.",
    derive(Hash, PartialOrd, Ord, VariantArray, IntoStaticStr, Display, EnumString),
    strum(serialize_all = "kebab-case", parse_err_ty = UnknownName, parse_err_fn = unknown::<Kind>)
)]
pub enum AnyContender {
    /// Ours: [`crate::Stack`] ([`StackContender`]).
    Stack(StackContender),
    /// Ours: [`crate::SpillStack`] ([`SpillStackContender`]).
    StackSpill(SpillStackContender),
    /// musli 0.0.122's `allocator::Stack` ([`MusliStack`]).
    MusliStack(MusliStack),
    /// musli 0.0.122's `allocator::System` ([`MusliSystem`]).
    MusliSystem(MusliSystem),
    /// A `bumpalo::Bump` per call, each buffer a bumpalo `Vec<u8>`
    /// ([`Bumpalo`]).
    Bumpalo(Bumpalo),
    /// Buffers that never grow or move: the cheapest possible ([`Floor`]).
    Floor(Floor),
}

impl Named for Kind {
    const WHAT: &'static str = "contender";
}

/// A contender is written by its name, as in bench IDs.
impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

impl Kind {
    /// A contender of this kind, built to serve a workload of `sizing`.
    pub fn build(self, sizing: &Sizing) -> AnyContender {
        match self {
            Kind::Stack => StackContender::new(sizing.stack_slice).into(),
            Kind::StackSpill => SpillStackContender::new(sizing.stack_slice).into(),
            Kind::MusliStack => MusliStack::new(sizing.musli_stack_slice).into(),
            Kind::MusliSystem => MusliSystem::default().into(),
            Kind::Bumpalo => Bumpalo::default().into(),
            Kind::Floor => Floor::new(sizing.max_live_buffers, sizing.max_buffer_len).into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::Pattern;
    use crate::sizing::Sizing;

    #[test]
    fn only_runs_that_note_the_peak_change_max_reserved_bytes() {
        for &kind in Kind::ALL {
            let mut contender = kind.build(&Sizing::PATTERNS);
            assert_eq!(Kind::from(&contender), kind);
            assert_eq!(contender.kind(), kind);
            let before = contender.max_reserved_bytes();
            contender.run(Pattern::Churn);
            assert_eq!(contender.max_reserved_bytes(), before, "{kind}: run");

            contender.run_noting_peak(Pattern::Churn);
            assert!(
                contender.max_reserved_bytes() > 0,
                "{kind}: run_noting_peak"
            );
        }
    }
}
