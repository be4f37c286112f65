//! What a workload needs from the contenders that serve from fixed memory.
//!
//! The `stack`, `musli-stack` and `floor` contenders are built to fit their
//! workload exactly, so that the benches time them where they succeed. This
//! is the data alone; the search that finds it is the workload's
//! (`crate::workload::search`), and the `min_stack_buffer` counter and
//! `sizes` come from the same search.

use strum::Display;

/// The allocators whose whole memory is one slice of a chosen length: the
/// ones a workload's smallest slice can be searched for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Display)]
#[strum(serialize_all = "kebab-case")]
pub enum SliceAllocator {
    /// Ours, [`crate::Stack`].
    Stack,
    /// musli 0.0.122's `allocator::Stack`.
    MusliStack,
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

    /// Room for every synthetic pattern. musli 0.0.122's Stack leaves a hole
    /// behind every buffer it moves and reuses few of them: written in turn, 4
    /// buffers of 16 KiB each need 64 MiB of it.
    pub const PATTERNS: Sizing = Sizing {
        stack_slice: 4 * crate::patterns::TOTAL,
        musli_stack_slice: 128 << 20,
        max_buffer_len: crate::patterns::TOTAL,
        max_live_buffers: 17,
    };
}

/// The allocators behind musli 0.2's trait whose whole memory is one slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Display)]
#[strum(serialize_all = "kebab-case")]
pub enum NextSliceAllocator {
    /// Ours, [`crate::next::Stack`].
    Stack,
    /// musli 0.2's `alloc::Slice`.
    MusliSlice,
}

/// What a musli 0.2 workload needs from the allocators that serve from one
/// slice (see `NextWorkload::sizing`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextSizing {
    /// The smallest slice on which our `Stack` serves every call.
    pub stack_slice: usize,
    /// The smallest `ArrayBuffer` on which musli 0.2's `Slice` does.
    pub musli_slice: usize,
}
