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

/// How many random programs a model test runs: `default`, unless
/// `PROPTEST_CASES` lowers it for slow runs, such as under valgrind.
fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}

/// Slice lengths for the model tests, from none to `max` bytes, small ones
/// most often.
fn slice_len(max: usize) -> impl proptest::strategy::Strategy<Value = usize> {
    use proptest::prelude::*;
    prop_oneof![
        1 => Just(0usize),
        3 => 0usize..256,
        3 => 256usize..8192,
        2 => 8192usize..=max,
    ]
}

/// An aligned heap slice of `len` bytes for tests that need more than the
/// call stack should hold.
fn heap(len: usize) -> HeapBuffer {
    HeapBuffer::new(len)
}
