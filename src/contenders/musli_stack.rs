//! `musli-stack`: musli 0.0.122's own `allocator::Stack`.

use crate::{DEFAULT_STACK_BUFFER, HeapBuffer, StackBuffer};

use super::{Contender, Task};

/// `musli::allocator::Stack`, placed like [`super::StackContender`]: on the
/// call stack when the workload fits `DEFAULT_STACK_BUFFER`, else on a heap
/// slice made once.
pub struct MusliStack {
    heap: Option<HeapBuffer>,
}

impl MusliStack {
    /// A contender for workloads that need `slice_len` bytes.
    pub fn new(slice_len: usize) -> Self {
        Self {
            heap: (slice_len > DEFAULT_STACK_BUFFER).then(|| HeapBuffer::new(slice_len)),
        }
    }
}

impl Contender for MusliStack {
    fn name(&self) -> &'static str {
        "musli-stack"
    }

    #[inline]
    fn run<T: Task>(&mut self, task: T) -> T::Output {
        match &mut self.heap {
            Some(heap) => task.run(&musli::allocator::Stack::new(heap)),
            None => {
                let mut buffer = StackBuffer::<DEFAULT_STACK_BUFFER>::new();
                task.run(&musli::allocator::Stack::new(&mut buffer))
            }
        }
    }
}
