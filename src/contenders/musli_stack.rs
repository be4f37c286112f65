//! `musli-stack`: musli 0.0.122's own `allocator::Stack`.

use super::{Backing, Contender, Kind};
use crate::task::Task;

/// `musli::allocator::Stack` on its [`Backing`], placed as `stack` is.
pub struct MusliStack {
    backing: Backing,
    slice_len: usize,
}

impl MusliStack {
    /// A contender for workloads that need `slice_len` bytes.
    pub fn new(slice_len: usize) -> Self {
        Self {
            backing: Backing::new(slice_len),
            slice_len,
        }
    }
}

impl Contender for MusliStack {
    fn kind(&self) -> Kind {
        Kind::MusliStack
    }

    #[inline]
    fn run<T: Task>(&mut self, task: T) -> T::Output {
        self.backing
            .with(|slice| task.run(&musli::allocator::Stack::new(slice)))
    }

    /// The slice it was sized for: the smallest on which it serves the
    /// workload, so its high-water mark. musli's Stack shows no count of
    /// its own.
    fn max_reserved_bytes(&self) -> usize {
        self.slice_len
    }
}
