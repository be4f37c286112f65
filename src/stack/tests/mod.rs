//! Tests of the Stack that look inside it: its layout and counters.
//!
//! Tests that use only the public API live in `tests/`.

mod layout;
mod limits;
mod model;

use std::vec::Vec;

use super::{HeapBuffer, Stack};

/// `(start, cap)` of every region in address order, after checking the
/// region list's invariants.
fn layout(stack: &Stack<'_>) -> Vec<(u32, u32)> {
    stack.regions.layout()
}

/// An aligned heap slice of `len` bytes for tests that need more than the
/// call stack should hold.
fn heap(len: usize) -> HeapBuffer {
    HeapBuffer::new(len)
}
