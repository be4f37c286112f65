//! `musli-system`: musli 0.0.122's `allocator::System`.

use super::{Contender, Kind};
use crate::counters::Counting;
use crate::task::Task;
use crate::trace::{MAX_SLOTS, Op, Trace};

/// A fresh `musli::allocator::System` per call: each buffer a `Vec<u8>`
/// from the global allocator, pooled for reuse within the call.
#[derive(Default)]
pub struct MusliSystem {
    reserved: ReservedModel,
}

impl Contender for MusliSystem {
    fn kind(&self) -> Kind {
        Kind::MusliSystem
    }

    #[inline]
    fn run<T: Task>(&mut self, task: T) -> T::Output {
        task.run(&musli::allocator::System::new())
    }

    /// Records the call's allocator calls and plays them on the model of
    /// what `System` holds, since it shows no count of its own.
    fn run_noting_peak<T: Task>(&mut self, task: T) -> T::Output {
        let system = musli::allocator::System::new();
        let recording = Counting::recording(&system);
        let output = task.run(&recording);
        self.reserved.play(&recording.take_trace());
        output
    }

    /// By [`ReservedModel`]: the capacities of all its vectors, pooled ones
    /// included.
    fn max_reserved_bytes(&self) -> usize {
        self.reserved.max_reserved_bytes
    }
}

/// A model of the bytes musli's `System` holds: freed buffers go on a
/// last-in first-out pool and keep their capacity; a vector that must grow
/// takes the larger of twice its capacity and what it needs, and at least 8
/// bytes, as `Vec<u8>` does.
///
/// One model plays every call of a workload, its pool kept from call to
/// call: for workloads of many calls (`messages`) that is an upper bound on
/// what any one fresh `System` holds.
#[derive(Clone, Debug)]
pub(crate) struct ReservedModel {
    /// Length and capacity of the buffer in each slot.
    live: Vec<(usize, usize)>,
    /// Capacities of the freed buffers, the last freed last.
    pool: Vec<usize>,
    /// Capacities of every vector, live or pooled.
    reserved: usize,
    /// The most `reserved` has been.
    pub max_reserved_bytes: usize,
}

impl Default for ReservedModel {
    fn default() -> Self {
        Self {
            live: vec![(0, 0); MAX_SLOTS],
            pool: Vec::new(),
            reserved: 0,
            max_reserved_bytes: 0,
        }
    }
}

impl ReservedModel {
    /// Plays `trace`'s calls on the model.
    pub fn play(&mut self, trace: &Trace) {
        for op in &trace.ops {
            match *op {
                Op::Alloc { slot } => {
                    self.live[slot as usize] = (0, self.pool.pop().unwrap_or(0));
                }
                Op::Write { slot, len } => {
                    let (length, capacity) = &mut self.live[slot as usize];
                    let needed = *length + len as usize;
                    if needed > *capacity {
                        let grown = needed.max(*capacity * 2).max(8);
                        self.reserved += grown - *capacity;
                        *capacity = grown;
                    }
                    *length = needed;
                    self.max_reserved_bytes = self.max_reserved_bytes.max(self.reserved);
                }
                Op::Drop { slot } => self.pool.push(self.live[slot as usize].1),
            }
        }
    }
}
