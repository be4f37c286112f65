//! Tests of the Stack that look inside it: its layout and counters.
//!
//! Tests that use only the public API live in `tests/`.

mod layout;
mod limits;
mod model;
#[cfg(feature = "std")]
mod next;
mod spill;

use std::vec::Vec;

use super::{HeapBuffer, Overflow, StackWith};

/// `(start, cap)` of every region in address order, after checking the
/// region list's invariants.
fn layout<P: Overflow>(stack: &StackWith<'_, P>) -> Vec<(u32, u32)> {
    stack.regions.layout()
}

/// The heap bytes a spilling `Stack` holds once its dropped list is
/// settled, as its next call or its own drop would settle it.
fn settled_heap_bytes<P: Overflow>(stack: &StackWith<'_, P>) -> usize {
    stack.regions.settle();
    stack.regions.heap_bytes()
}

/// An aligned heap slice of `len` bytes for tests that need more than the
/// call stack should hold.
fn heap(len: usize) -> HeapBuffer {
    HeapBuffer::new(len)
}
