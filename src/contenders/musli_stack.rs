//! `musli-stack`: musli 0.0.122's own `allocator::Stack`.

use super::{Backing, Contender, Task};

/// `musli::allocator::Stack` on its [`Backing`], placed as `stack` is.
pub struct MusliStack {
    backing: Backing,
}

impl MusliStack {
    /// A contender for workloads that need `slice_len` bytes.
    pub fn new(slice_len: usize) -> Self {
        Self {
            backing: Backing::new(slice_len),
        }
    }
}

impl Contender for MusliStack {
    fn name(&self) -> &'static str {
        "musli-stack"
    }

    #[inline]
    fn run<T: Task>(&mut self, task: T) -> T::Output {
        self.backing
            .with(|slice| task.run(&musli::allocator::Stack::new(slice)))
    }
}
