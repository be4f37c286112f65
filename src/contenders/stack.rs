//! `stack`: ours.

use crate::{DEFAULT_STACK_BUFFER, HeapBuffer, Stack, StackBuffer};

use super::{Contender, Task};

/// [`Stack`] on a `StackBuffer<DEFAULT_STACK_BUFFER>` on the call stack when
/// the workload fits it, else on a heap slice of the size it needs, made
/// once.
pub struct StackContender {
    heap: Option<HeapBuffer>,
    max_reserved_bytes: usize,
}

impl StackContender {
    /// A contender for workloads that need `slice_len` bytes.
    pub fn new(slice_len: usize) -> Self {
        Self {
            heap: (slice_len > DEFAULT_STACK_BUFFER).then(|| HeapBuffer::new(slice_len)),
            max_reserved_bytes: 0,
        }
    }

    /// A contender on `slice`, whatever its size.
    pub fn on(slice: HeapBuffer) -> Self {
        Self {
            heap: Some(slice),
            max_reserved_bytes: 0,
        }
    }
}

impl Contender for StackContender {
    fn name(&self) -> &'static str {
        "stack"
    }

    #[inline]
    fn run<T: Task>(&mut self, task: T) -> T::Output {
        let run = |stack: &Stack<'_>, max: &mut usize| {
            let output = task.run(stack);
            *max = (*max).max(stack.stats().high_water_bytes);
            output
        };

        match &mut self.heap {
            Some(heap) => run(&Stack::new(heap), &mut self.max_reserved_bytes),
            None => {
                let mut buffer = StackBuffer::<DEFAULT_STACK_BUFFER>::new();
                run(&Stack::new(&mut buffer), &mut self.max_reserved_bytes)
            }
        }
    }

    /// The Stack's high-water mark: data plus headers.
    fn max_reserved_bytes(&self) -> Option<usize> {
        Some(self.max_reserved_bytes)
    }
}
