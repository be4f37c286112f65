//! `musli-system`: musli 0.0.122's `allocator::System`.

use super::{Contender, Task};

/// A fresh `musli::allocator::System` per call: each buffer a `Vec<u8>`
/// from the global allocator, pooled for reuse within the call.
pub struct MusliSystem;

impl Contender for MusliSystem {
    fn name(&self) -> &'static str {
        "musli-system"
    }

    #[inline]
    fn run<T: Task>(&mut self, task: T) -> T::Output {
        task.run(&musli::allocator::System::new())
    }
}
