//! Where `stack` and `musli-stack` get their slice: one rule for both.

use std::mem::MaybeUninit;

use crate::{DEFAULT_STACK_BUFFER, HeapBuffer, StackBuffer};

/// A `StackBuffer<DEFAULT_STACK_BUFFER>` on the call stack, made fresh per
/// call, when the workload fits it; else a heap slice of the size it needs,
/// made once, outside any timed code.
pub struct Backing {
    heap: Option<HeapBuffer>,
}

impl Backing {
    /// Room for workloads that need `slice_len` bytes.
    pub fn new(slice_len: usize) -> Self {
        Self {
            heap: (slice_len > DEFAULT_STACK_BUFFER).then(|| HeapBuffer::new(slice_len)),
        }
    }

    /// Always `slice`, whatever its size.
    pub fn on(slice: HeapBuffer) -> Self {
        Self { heap: Some(slice) }
    }

    /// Calls `f` with the slice. Always inlined, as `format::encode` never
    /// is, so that every contender's per-call code (building its allocator,
    /// the call to the encoder, the drop) sits in the caller's loop, where
    /// the `StackBuffer`'s size is a constant.
    #[inline(always)]
    pub fn with<R>(&mut self, f: impl FnOnce(&mut [MaybeUninit<u8>]) -> R) -> R {
        match &mut self.heap {
            Some(heap) => f(heap),
            None => f(&mut StackBuffer::<DEFAULT_STACK_BUFFER>::new()),
        }
    }
}
