//! `musli-next-slice` and `musli-next-global`: musli 0.2's allocators, in
//! the replayed traces only.
//!
//! musli 0.2 has another `Allocator` trait, one its encoders of 0.0.122
//! cannot take, so these run a recorded [`Trace`] and nothing else, each
//! buffer a `musli::alloc::Vec<u8>`.

use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use crate::HeapBuffer;
use crate::names::{Named, UnknownName, unknown};
use crate::trace::{MAX_SLOTS, Op, Trace};

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
#[strum(serialize_all = "kebab-case", parse_err_ty = UnknownName, parse_err_fn = unknown::<NextKind>)]
pub enum NextKind {
    /// `musli::alloc::Slice` on a heap slice sized for the trace.
    MusliNextSlice,
    /// `musli::alloc::Global`.
    MusliNextGlobal,
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
            NextKind::MusliNextSlice => {
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
            NextKind::MusliNextGlobal => {
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
