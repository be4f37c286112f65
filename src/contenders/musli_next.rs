//! Contenders behind musli 0.2's allocator trait, in the replayed traces:
//! musli 0.2's own `Slice` and `Global` (`musli-0.2-slice`,
//! `musli-0.2-global`), and this crate's `Stack` and `SpillStack` through
//! that trait (`stack-0.2`, `stack-spill-0.2`, see
//! [`crate::next`]).
//!
//! musli 0.2 has another `Allocator` trait, one its encoders of 0.0.122
//! cannot take, so these run a recorded [`Trace`] and nothing else, each
//! buffer a `musli::alloc::Vec<u8>`: the same calls, on the other trait.

use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use crate::names::{Named, UnknownName, unknown};
use crate::trace::{MAX_SLOTS, Op, Trace};
use crate::{HeapBuffer, SpillStack, Stack};

/// musli 0.2's allocators by name, in report order.
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
    /// This crate's [`Stack`] through musli 0.2's trait, on the slice
    /// `stack` replays on.
    #[strum(serialize = "stack-0.2")]
    Stack,
    /// This crate's [`SpillStack`] through musli 0.2's trait, on the same
    /// slice.
    #[strum(serialize = "stack-spill-0.2")]
    StackSpill,
    /// `musli::alloc::Slice` on a heap slice sized for the trace.
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
    /// A replay of `trace` on this allocator, writing from `source` (see
    /// [`Trace::source`]), for a trace that `stack` serves in
    /// `stack_slice` bytes. Returns the number of calls that failed.
    pub fn replayer<'a>(
        self,
        trace: &'a Trace,
        source: &'a [u8],
        stack_slice: usize,
    ) -> Box<dyn FnMut() -> usize + 'a> {
        match self {
            NextKind::Stack => {
                let mut slice = HeapBuffer::new(stack_slice);
                Box::new(move || replay_next(&Stack::new(&mut slice), trace, source))
            }
            NextKind::StackSpill => {
                let mut slice = HeapBuffer::new(stack_slice);
                Box::new(move || replay_next(&SpillStack::new(&mut slice), trace, source))
            }
            NextKind::MusliSlice => {
                // Twice what `stack` needs, and a page: room for its own
                // headers and for what its exact growth leaves behind. Too
                // little shows at once: a replay whose calls fail is
                // refused before it is timed.
                let mut slice = HeapBuffer::new(2 * stack_slice + 4096);
                Box::new(move || {
                    let alloc = musli_next::alloc::Slice::new(&mut *slice);
                    replay_next(&alloc, trace, source)
                })
            }
            NextKind::MusliGlobal => {
                Box::new(move || replay_next(musli_next::alloc::Global::new(), trace, source))
            }
        }
    }
}

/// Replays a trace on a musli 0.2 allocator, each buffer a
/// `musli::alloc::Vec<u8>`. Returns the number of calls that failed.
fn replay_next<A>(alloc: A, trace: &Trace, source: &[u8]) -> usize
where
    A: musli_next::alloc::Allocator,
{
    use musli_next::alloc::Vec;

    let mut live: [Option<Vec<u8, A>>; MAX_SLOTS] = std::array::from_fn(|_| None);
    let mut failures = 0;

    for op in &trace.ops {
        match *op {
            Op::Alloc { slot } => live[slot as usize] = Some(Vec::new_in(alloc)),
            Op::Write { slot, len } => {
                let written = match &mut live[slot as usize] {
                    Some(buffer) => buffer.extend_from_slice(&source[..len as usize]).is_ok(),
                    None => false,
                };
                failures += usize::from(!written);
            }
            Op::Drop { slot } => live[slot as usize] = None,
        }
    }

    failures
}
