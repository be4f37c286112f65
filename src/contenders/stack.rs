//! `stack` and `stack-spill`: ours, with either overflow policy.

use crate::{HeapBuffer, Overflow, Refuse, Spill, StackWith};

use super::{Backing, Contender, Kind, Spills};
use crate::task::Task;

/// Our allocator with overflow policy `P` on its [`Backing`], keeping the
/// most memory seen held by `run_noting_peak`.
pub struct OursContender<P: Overflow> {
    backing: Backing,
    max_reserved_bytes: usize,
    spills: Spills,
    _policy: std::marker::PhantomData<P>,
}

/// `stack`: [`crate::Stack`], on a slice that fits the workload.
pub type StackContender = OursContender<Refuse>;

/// `stack-spill`: [`crate::SpillStack`] on the same slice as `stack`, so
/// that the two differ in their policy alone. What it costs to spill, on
/// slices smaller than the workload needs, is the `stack_buffer` bench's
/// to show.
pub type SpillStackContender = OursContender<Spill>;

impl<P: Overflow> OursContender<P> {
    /// A contender for workloads that need `slice_len` bytes.
    pub fn new(slice_len: usize) -> Self {
        Self::on_backing(Backing::new(slice_len))
    }

    /// A contender on `slice`, whatever its size.
    pub fn on(slice: HeapBuffer) -> Self {
        Self::on_backing(Backing::on(slice))
    }

    fn on_backing(backing: Backing) -> Self {
        Self {
            backing,
            max_reserved_bytes: 0,
            spills: Spills::default(),
            _policy: std::marker::PhantomData,
        }
    }
}

impl<P: Overflow> Contender for OursContender<P> {
    fn kind(&self) -> Kind {
        if P::SPILLS {
            Kind::StackSpill
        } else {
            Kind::Stack
        }
    }

    #[inline]
    fn run<T: Task>(&mut self, task: T) -> T::Output {
        self.backing
            .with(|slice| task.run(&StackWith::<P>::new(slice)))
    }

    fn run_noting_peak<T: Task>(&mut self, task: T) -> T::Output {
        let (max, spills) = (&mut self.max_reserved_bytes, &mut self.spills);
        self.backing.with(|slice| {
            let stack = StackWith::<P>::new(slice);
            let output = task.run(&stack);
            let stats = stack.stats();
            *max = (*max).max(stats.high_water_bytes + stats.max_heap_bytes);
            spills.spills += stats.spills;
            spills.spilled_bytes += stats.spilled_bytes;
            output
        })
    }

    /// The slice's high-water mark, data plus headers, and for
    /// `stack-spill` the heap's peak added to it (an upper bound: the two
    /// peaks may come at different moments).
    fn max_reserved_bytes(&self) -> usize {
        self.max_reserved_bytes
    }

    fn spills(&self) -> Spills {
        self.spills
    }
}
