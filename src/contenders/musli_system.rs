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

/// The bytes musli's `System` holds at its peak while serving `trace`: the
/// capacities of all its vectors, pooled ones included.
///
/// `System` keeps no count of its own and shows none, so this replays the
/// trace on a model of it: freed buffers go on a last-in first-out pool and
/// keep their capacity; a vector that must grow takes the larger of twice
/// its capacity and what it needs, and at least 8 bytes, as `Vec<u8>` does.
pub fn modelled_reserved_bytes(trace: &crate::trace::Trace) -> usize {
    use crate::trace::{MAX_SLOTS, Op};

    let mut live = [(0usize, 0usize); MAX_SLOTS];
    let mut pool: Vec<usize> = Vec::new();
    let (mut reserved, mut max_reserved) = (0, 0);

    for op in &trace.ops {
        match *op {
            Op::Alloc { slot } => live[slot as usize] = (0, pool.pop().unwrap_or(0)),
            Op::Write { slot, len } => {
                let (length, capacity) = &mut live[slot as usize];
                let needed = *length + len as usize;
                if needed > *capacity {
                    let grown = needed.max(*capacity * 2).max(8);
                    reserved += grown - *capacity;
                    *capacity = grown;
                }
                *length = needed;
                max_reserved = max_reserved.max(reserved);
            }
            Op::Drop { slot } => pool.push(live[slot as usize].1),
        }
    }

    max_reserved
}
