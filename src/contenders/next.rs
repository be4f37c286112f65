//! The contenders behind musli 0.2's allocator trait: this crate's `Stack`
//! and `SpillStack` through that trait ([`crate::next`]), and musli 0.2's
//! own `Slice` and `Global`.
//!
//! They run in two kinds of group, under two spellings of one name: in the
//! `musli-0.2/encode/...` groups, where every contender is musli 0.2's,
//! as `stack`, `stack-spill`, `musli-slice` and `musli-global`; in the
//! replayed traces, beside musli 0.0.122's, qualified by version
//! (`stack-0.2`, `musli-0.2-slice`, ...).

use musli_next::alloc::{ArrayBuffer, DEFAULT_ARRAY_BUFFER, Global, Slice};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use super::Backing;
use crate::names::{Named, UnknownName, unknown};
use crate::next::{SpillStack, Stack};
use crate::sizing::NextSizing;
use crate::task::NextTask;
use crate::{HeapBuffer, StackStats};

/// musli 0.2's allocators by name, in report order. The names are those
/// of the replayed traces; [`NextKind::plain_name`] gives the names in
/// musli 0.2's own groups.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    VariantArray,
    IntoStaticStr,
    Display,
    EnumString,
)]
#[strum(parse_err_ty = UnknownName, parse_err_fn = unknown::<NextKind>)]
pub enum NextKind {
    /// This crate's [`Stack`] through musli 0.2's trait.
    #[strum(serialize = "stack-0.2")]
    Stack,
    /// This crate's [`SpillStack`] through musli 0.2's trait, on the same
    /// slice as `Stack`.
    #[strum(serialize = "stack-spill-0.2")]
    StackSpill,
    /// `musli::alloc::Slice`.
    #[strum(serialize = "musli-0.2-slice")]
    MusliSlice,
    /// `musli::alloc::Global`.
    #[strum(serialize = "musli-0.2-global")]
    MusliGlobal,
}

impl Named for NextKind {
    const WHAT: &'static str = "musli 0.2 contender";
}

impl NextKind {
    /// Its name in the `musli-0.2/` groups, where no version needs saying.
    pub fn plain_name(self) -> &'static str {
        match self {
            NextKind::Stack => "stack",
            NextKind::StackSpill => "stack-spill",
            NextKind::MusliSlice => "musli-slice",
            NextKind::MusliGlobal => "musli-global",
        }
    }

    /// A contender of this kind, built to serve a workload of `sizing`:
    /// the slice allocators get a slice on the call stack per call where
    /// the workload fits their default size (`DEFAULT_STACK_BUFFER`,
    /// musli's `DEFAULT_ARRAY_BUFFER`), else a heap slice of the size it
    /// needs, made once.
    pub fn build(self, sizing: &NextSizing) -> NextContender {
        match self {
            NextKind::Stack => NextContender::Stack(Backing::new(sizing.stack_slice)),
            NextKind::StackSpill => NextContender::StackSpill(Backing::new(sizing.stack_slice)),
            NextKind::MusliSlice => NextContender::MusliSlice(
                (sizing.musli_slice > DEFAULT_ARRAY_BUFFER)
                    .then(|| HeapBuffer::new(sizing.musli_slice)),
            ),
            NextKind::MusliGlobal => NextContender::MusliGlobal,
        }
    }
}

/// A musli 0.2 allocator under test, ready to run [`NextTask`]s, each on a
/// fresh allocator: [`super::Contender`] for musli 0.2.
pub enum NextContender {
    /// [`NextKind::Stack`].
    Stack(Backing),
    /// [`NextKind::StackSpill`].
    StackSpill(Backing),
    /// [`NextKind::MusliSlice`]: its heap slice, or `None` for an
    /// `ArrayBuffer` on the call stack.
    MusliSlice(Option<HeapBuffer>),
    /// [`NextKind::MusliGlobal`].
    MusliGlobal,
}

impl NextContender {
    /// Which contender this is.
    pub fn kind(&self) -> NextKind {
        match self {
            NextContender::Stack(_) => NextKind::Stack,
            NextContender::StackSpill(_) => NextKind::StackSpill,
            NextContender::MusliSlice(_) => NextKind::MusliSlice,
            NextContender::MusliGlobal => NextKind::MusliGlobal,
        }
    }

    /// Runs `task` on a fresh allocator of this kind.
    #[inline]
    pub fn run<T: NextTask>(&mut self, task: T) -> T::Output {
        match self {
            NextContender::Stack(backing) => backing.with(|slice| task.run(&Stack::new(slice))),
            NextContender::StackSpill(backing) => {
                backing.with(|slice| task.run(&SpillStack::new(slice)))
            }
            NextContender::MusliSlice(Some(heap)) => task.run(&Slice::new(&mut **heap)),
            NextContender::MusliSlice(None) => {
                task.run(&Slice::new(&mut ArrayBuffer::<DEFAULT_ARRAY_BUFFER>::new()))
            }
            NextContender::MusliGlobal => task.run(Global::new()),
        }
    }

    /// As `run`, with the counters of ours (`None` for musli's) after it:
    /// the harness's, not the benches', so apart from `run`.
    pub fn run_noting_stats<T: NextTask>(&mut self, task: T) -> (T::Output, Option<StackStats>) {
        match self {
            NextContender::Stack(backing) => backing.with(|slice| {
                let stack = Stack::new(slice);
                (task.run(&stack), Some(stack.stats()))
            }),
            NextContender::StackSpill(backing) => backing.with(|slice| {
                let stack = SpillStack::new(slice);
                (task.run(&stack), Some(stack.stats()))
            }),
            NextContender::MusliSlice(_) | NextContender::MusliGlobal => (self.run(task), None),
        }
    }
}
