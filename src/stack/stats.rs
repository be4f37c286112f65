//! What a `Stack` counts about itself.

/// Counters kept by a [`Stack`](crate::Stack) as it works.
///
/// They are updated only on the slow paths (allocation, freeing, moving,
/// merging), never by a write that fits, so keeping them costs the fast path
/// nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StackStats {
    /// Buffers handed out.
    pub allocations: u64,
    /// Calls to `alloc` that returned `None`.
    pub failed_allocations: u64,
    /// Times a non-empty buffer's bytes were copied to a new address.
    pub moves: u64,
    /// Bytes copied by those moves.
    pub bytes_moved: u64,
    /// `write_buffer` calls that appended the other buffer without copying.
    pub merges: u64,
    /// Buffers alive now, in the slice and on the heap.
    pub live_buffers: usize,
    /// The most buffers alive at once.
    pub max_live_buffers: usize,
    /// The most bytes of the slice in use at once: buffer data (including
    /// the capacity of buffers that others were placed after, which no one
    /// else can use) plus headers. For buffers taken one at a time, as
    /// musli's encoders take them, a slice of this length, rounded up to 8,
    /// would have served the same calls. A live buffer counts with the
    /// length it had at its last call into the `Stack` (growing, appending a
    /// buffer, being dropped): writes within its capacity are not counted
    /// until then.
    pub high_water_bytes: usize,
    /// [`SpillStack`](crate::SpillStack) only: buffers that moved to the
    /// heap, or were placed there because the slice had no header left.
    pub spills: u64,
    /// [`SpillStack`](crate::SpillStack) only: bytes copied out of the slice
    /// by those moves.
    pub spilled_bytes: u64,
    /// [`SpillStack`](crate::SpillStack) only: the most heap bytes held at
    /// once for spilled buffers, their data and the headers allocated there.
    pub max_heap_bytes: usize,
}
