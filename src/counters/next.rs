//! Counting musli 0.2's allocators by the rules of [`super::Counting`].
//!
//! musli 0.2 hands out typed allocations that its `Vec` drives: before
//! every write it calls `resize(len, additional)`, then writes through the
//! pointer. So here a *write* is a successful `resize` (a refused one a
//! failed write), the bytes written its `additional`, and a buffer *moved*
//! when its address changed across one while it held bytes. The wrapper
//! that sees the calls is [`crate::next::Observed`]; this is what it tells.

use std::cell::RefCell;

use musli_next::alloc::Allocator;

use super::{Counts, State};
use crate::next::{Observed, Observer, Resize};
use crate::task::NextTask;

/// The counts, and the bytes held in the allocations' capacities.
#[derive(Default)]
struct NextState {
    state: State,
    live_capacity: u64,
    max_live_capacity: u64,
}

impl Observer for &RefCell<NextState> {
    fn allocated(self, capacity: usize) {
        let mut next = self.borrow_mut();
        next.state.allocated();
        next.live_capacity += capacity as u64;
        next.max_live_capacity = next.max_live_capacity.max(next.live_capacity);
    }

    fn resized(self, resize: Resize) {
        let mut next = self.borrow_mut();
        let Some(moved) = resize.moved else {
            next.state.counts.failed_writes += 1;
            return;
        };
        let written = (resize.len + resize.additional) as u64;
        let state = &mut next.state;
        state.counts.writes += 1;
        state.counts.bytes_written += resize.additional as u64;
        // The owner's length can only have grown to `len` by the last
        // write, so what it holds now is `written`.
        state.live_bytes -= resize.written_before as u64;
        let moved = moved.then_some(resize.len as u64);
        state.grew(written, written, moved);

        let (before, after) = resize.capacity;
        next.live_capacity = next.live_capacity + after as u64 - before as u64;
        next.max_live_capacity = next.max_live_capacity.max(next.live_capacity);
    }

    fn merge_tried(self, merged: bool) {
        let counts = &mut self.borrow_mut().state.counts;
        counts.write_buffer_calls += 1;
        counts.merges += u64::from(merged);
    }

    fn dropped(self, written: usize, capacity: usize) {
        let mut next = self.borrow_mut();
        next.state.live_buffers -= 1;
        next.state.live_bytes -= written as u64;
        next.live_capacity -= capacity as u64;
    }
}

/// What [`CountingNext`] gives besides the task's output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NextCounts {
    /// The counts, by the rules above.
    pub counts: Counts,
    /// The most bytes the live allocations' capacities held at once.
    pub max_live_capacity: u64,
}

/// Runs `inner` on the allocator it is given, wrapped to count.
pub struct CountingNext<T>(pub T);

impl<T: NextTask> NextTask for CountingNext<T> {
    type Output = (T::Output, NextCounts);

    fn run<A: Allocator>(self, alloc: A) -> Self::Output {
        let next = RefCell::new(NextState::default());
        let output = self.0.run(Observed::new(alloc, &next));
        let next = next.into_inner();
        let counts = NextCounts {
            counts: next.state.counts,
            max_live_capacity: next.max_live_capacity,
        };
        (output, counts)
    }
}

#[cfg(test)]
mod tests {
    use musli_next::alloc::{Global, Vec};

    use super::*;

    /// Writes that fit, one that moves the buffer, a refused one, a drop:
    /// each counted as the rules say.
    #[test]
    fn writes_moves_and_drops_are_counted() {
        struct Program;

        impl NextTask for Program {
            type Output = ();

            fn run<A: Allocator>(self, alloc: A) {
                let mut first = Vec::new_in(alloc);
                first.extend_from_slice(&[1u8; 10]).unwrap();
                let mut second = Vec::<u8, A>::new_in(alloc);
                second.extend_from_slice(&[2u8; 3]).unwrap();
                first.extend_from_slice(&[1u8; 4000]).unwrap();
                drop(second);
                let mut words = Vec::<u32, A>::new_in(alloc);
                words.push(7).unwrap();
            }
        }

        // On our Stack an allocation has room before its first write: the
        // capacities are counted from the start.
        let mut slice = crate::HeapBuffer::new(1 << 16);
        let stack = crate::next::Stack::new(&mut slice);
        let ((), on_stack) = CountingNext(Program).run(&stack);
        assert!(on_stack.max_live_capacity >= on_stack.counts.max_live_bytes);
        assert_eq!(on_stack.counts.moves, stack.stats().moves);

        let ((), counts) = CountingNext(Program).run(Global::new());
        assert!(counts.max_live_capacity >= counts.counts.max_live_bytes);
        let counts = counts.counts;
        assert_eq!(counts.allocations, 3);
        assert_eq!(counts.writes, 4);
        assert_eq!(counts.bytes_written, 10 + 3 + 4000 + 4);
        assert_eq!(counts.max_live_buffers, 2);
        assert_eq!(counts.max_live_bytes, 4010 + 4, "after the drop");
        assert_eq!(counts.max_buffer_len, 4010);
        assert_eq!(counts.failed_writes, 0);
        assert!(counts.moves <= 1, "Global moves at most the one growth");
        if counts.moves == 1 {
            assert_eq!(counts.bytes_moved, 10);
        }
    }
}
