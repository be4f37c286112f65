//! `stack`: ours.

use crate::{HeapBuffer, Stack};

use super::{Backing, Contender, Task};

/// [`Stack`] on its [`Backing`], keeping the highest high-water mark seen
/// by `run_noting_peak`.
pub struct StackContender {
    backing: Backing,
    max_reserved_bytes: usize,
}

impl StackContender {
    /// A contender for workloads that need `slice_len` bytes.
    pub fn new(slice_len: usize) -> Self {
        Self {
            backing: Backing::new(slice_len),
            max_reserved_bytes: 0,
        }
    }

    /// A contender on `slice`, whatever its size.
    pub fn on(slice: HeapBuffer) -> Self {
        Self {
            backing: Backing::on(slice),
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
        self.backing.with(|slice| task.run(&Stack::new(slice)))
    }

    fn run_noting_peak<T: Task>(&mut self, task: T) -> T::Output {
        let max = &mut self.max_reserved_bytes;
        self.backing.with(|slice| {
            let stack = Stack::new(slice);
            let output = task.run(&stack);
            *max = (*max).max(stack.high_water_bytes());
            output
        })
    }

    /// The Stack's high-water mark: data plus headers.
    fn max_reserved_bytes(&self) -> Option<usize> {
        Some(self.max_reserved_bytes)
    }
}
