//! A workload on musli 0.2: one dataset's values, compiled against musli
//! 0.2, in one format and mode. What [`super::Workload`] is for musli
//! 0.0.122, for the `musli-0.2/encode/...` groups.

use musli_next::alloc::Slice;

use super::search::smallest_fitting;
use crate::HeapBuffer;
use crate::contenders::{NextContender, Spills};
use crate::counters::Counts;
use crate::counters::next::CountingNext;
use crate::datasets::{NextDataset, NextVisitor};
use crate::format::next::{NextValue, encode};
use crate::format::{EncodeFailed, Format, Mode};
use crate::next::Stack;
use crate::sizing::{NextSizing, NextSliceAllocator, Sizing};
use crate::task::EncodeOne;

/// What [`NextWorkload::count`] found over every encode call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NextTally {
    /// By the counting wrapper.
    pub counts: Counts,
    /// The most bytes the live allocations' capacities held at once.
    pub max_live_capacity: u64,
    /// For ours, the slice's high-water mark plus the heap's peak (as
    /// `stack`'s `max_reserved_bytes`); 0 for musli's.
    pub max_stack_bytes: usize,
    /// What ours moved to the heap.
    pub spills: Spills,
}

/// A musli 0.2 dataset's values to encode in `format` and `mode`, one
/// encode call per value.
#[derive(Clone, Copy)]
pub struct NextWorkload<'a> {
    /// The values.
    pub dataset: &'a NextDataset,
    /// The format.
    pub format: Format,
    /// The mode.
    pub mode: Mode,
}

impl<'a> NextWorkload<'a> {
    /// The workload of `dataset` in `format` and `mode`.
    pub fn new(dataset: &'a NextDataset, format: Format, mode: Mode) -> Self {
        Self {
            dataset,
            format,
            mode,
        }
    }

    /// Encodes every value, each on a fresh allocator from `contender`,
    /// appending to `out`. This is what the `musli-0.2/encode` bench times.
    #[inline]
    pub fn encode(
        &self,
        contender: &mut NextContender,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeFailed> {
        struct Each<'c> {
            contender: &'c mut NextContender,
            format: Format,
            mode: Mode,
            out: &'c mut Vec<u8>,
        }

        impl NextVisitor for Each<'_> {
            type Output = Result<(), EncodeFailed>;

            fn visit<T: NextValue>(self, values: &[T]) -> Self::Output {
                for value in values {
                    self.contender.run(EncodeOne {
                        format: self.format,
                        mode: self.mode,
                        value,
                        out: &mut *self.out,
                    })?;
                }
                Ok(())
            }
        }

        self.dataset.visit(Each {
            contender,
            format: self.format,
            mode: self.mode,
            out,
        })
    }

    /// The encoded bytes of every value on musli 0.2's `Global`: what
    /// every contender must write.
    pub fn output(&self) -> Result<Vec<u8>, EncodeFailed> {
        let mut out = Vec::new();
        self.encode(&mut NextContender::MusliGlobal, &mut out)?;
        Ok(out)
    }

    /// Encodes every value on `contender` through the counting wrapper
    /// (`crate::counters::next`). Returns what it counted over all calls,
    /// and the output.
    pub fn count(
        &self,
        contender: &mut NextContender,
    ) -> Result<(NextTally, Vec<u8>), EncodeFailed> {
        struct Each<'c> {
            contender: &'c mut NextContender,
            format: Format,
            mode: Mode,
        }

        impl NextVisitor for Each<'_> {
            type Output = Result<(NextTally, Vec<u8>), EncodeFailed>;

            fn visit<T: NextValue>(self, values: &[T]) -> Self::Output {
                let mut tally = NextTally::default();
                let mut out = Vec::new();
                for value in values {
                    let task = CountingNext(EncodeOne {
                        format: self.format,
                        mode: self.mode,
                        value,
                        out: &mut out,
                    });
                    let ((result, counts), stats) = self.contender.run_noting_stats(task);
                    result?;
                    tally.counts.absorb(&counts.counts);
                    tally.max_live_capacity = tally.max_live_capacity.max(counts.max_live_capacity);
                    if let Some(stats) = stats {
                        let held = stats.high_water_bytes + stats.max_heap_bytes;
                        tally.max_stack_bytes = tally.max_stack_bytes.max(held);
                        tally.spills.spills += stats.spills;
                        tally.spills.spilled_bytes += stats.spilled_bytes;
                    }
                }
                Ok((tally, out))
            }
        }

        self.dataset.visit(Each {
            contender,
            format: self.format,
            mode: self.mode,
        })
    }

    /// For every value, the smallest slice on which `allocator` encodes
    /// it: that size works and 8 bytes less fails.
    pub fn min_slices(&self, allocator: NextSliceAllocator) -> Vec<usize> {
        struct Each {
            allocator: NextSliceAllocator,
            format: Format,
            mode: Mode,
        }

        impl NextVisitor for Each {
            type Output = Vec<usize>;

            fn visit<T: NextValue>(self, values: &[T]) -> Vec<usize> {
                let Each {
                    allocator,
                    format,
                    mode,
                } = self;
                values
                    .iter()
                    .map(|value| {
                        let fits = |len| fits(allocator, format, mode, value, len);
                        smallest_fitting(high_water(format, mode, value), fits).unwrap_or_else(
                            || panic!("{allocator} cannot encode this value on any slice"),
                        )
                    })
                    .collect()
            }
        }

        self.dataset.visit(Each {
            allocator,
            format: self.format,
            mode: self.mode,
        })
    }

    /// What the contenders that serve from one slice need for this
    /// workload.
    pub fn sizing(&self) -> NextSizing {
        let largest = |allocator| self.min_slices(allocator).into_iter().max().unwrap_or(0);
        NextSizing {
            stack_slice: largest(NextSliceAllocator::Stack),
            musli_slice: largest(NextSliceAllocator::MusliSlice),
        }
    }
}

/// Our Stack's high-water mark for `value` on a roomy slice: where the
/// search for its smallest slice starts.
fn high_water<T: NextValue>(format: Format, mode: Mode, value: &T) -> usize {
    let mut roomy = HeapBuffer::new(Sizing::GENEROUS.stack_slice);
    let stack = Stack::new(&mut roomy);
    let _ = encode(&stack, format, mode, value, &mut Vec::new());
    stack.stats().high_water_bytes
}

/// Whether `allocator` encodes `value` with musli 0.2 on a slice of `len`
/// bytes.
pub fn fits<T: NextValue>(
    allocator: NextSliceAllocator,
    format: Format,
    mode: Mode,
    value: &T,
    len: usize,
) -> bool {
    let mut slice = HeapBuffer::new(len);
    let mut out = Vec::new();
    match allocator {
        NextSliceAllocator::Stack => {
            encode(&Stack::new(&mut slice), format, mode, value, &mut out).is_ok()
        }
        NextSliceAllocator::MusliSlice => {
            encode(&Slice::new(&mut *slice), format, mode, value, &mut out).is_ok()
        }
    }
}
