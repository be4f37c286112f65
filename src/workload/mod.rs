//! A workload: one dataset's values in one format and mode, and what can be
//! measured of it without a clock.

mod next;
mod search;

use musli::Allocator;

use crate::contenders::{Contender, MusliSystem};
use crate::counters::{Counting, Counts};
use crate::datasets::{Dataset, Visitor};
use crate::format::{EncodeFailed, Format, Mode, Value};
use crate::task::{EncodeOne, Task};
use crate::trace::Trace;

pub use self::next::{NextTally, NextWorkload, fits as fits_next};
pub use self::search::fits;

/// A dataset's values to encode in `format` and `mode`, one encode call per
/// value.
#[derive(Clone, Copy)]
pub struct Workload<'a> {
    /// The values.
    pub dataset: &'a Dataset,
    /// The format.
    pub format: Format,
    /// The mode.
    pub mode: Mode,
}

impl<'a> Workload<'a> {
    /// The workload of `dataset` in `format` and `mode`.
    pub fn new(dataset: &'a Dataset, format: Format, mode: Mode) -> Self {
        Self {
            dataset,
            format,
            mode,
        }
    }

    /// Encodes every value, each on a fresh allocator from `contender`,
    /// appending to `out`. This is what the encode bench times.
    #[inline]
    pub fn encode(
        &self,
        contender: &mut impl Contender,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeFailed> {
        struct Each<'c, C> {
            contender: &'c mut C,
            format: Format,
            mode: Mode,
            out: &'c mut Vec<u8>,
        }

        impl<C: Contender> Visitor for Each<'_, C> {
            type Output = Result<(), EncodeFailed>;

            fn visit<T: Value>(self, values: &[T]) -> Self::Output {
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

    /// The encoded bytes of every value, one after another.
    pub fn output(&self) -> Result<Vec<u8>, EncodeFailed> {
        let mut out = Vec::new();
        self.encode(&mut MusliSystem::default(), &mut out)?;
        Ok(out)
    }

    /// Encodes every value on `contender` through the counting wrapper.
    /// Returns the counts over all calls and the output, or why it failed.
    pub fn count(&self, contender: &mut impl Contender) -> Result<(Counts, Vec<u8>), EncodeFailed> {
        self.counted(contender, false)
            .map(|(counts, _, out)| (counts, out))
    }

    /// The allocator calls of every value, in order, recorded on musli's
    /// `System` (which never refuses one).
    pub fn trace(&self) -> Result<Trace, EncodeFailed> {
        self.counted(&mut MusliSystem::default(), true)
            .map(|(_, trace, _)| trace)
    }

    fn counted(
        &self,
        contender: &mut impl Contender,
        record: bool,
    ) -> Result<(Counts, Trace, Vec<u8>), EncodeFailed> {
        struct Each<'c, C> {
            contender: &'c mut C,
            workload: Workload<'c>,
            record: bool,
            out: Vec<u8>,
        }

        impl<C: Contender> Visitor for Each<'_, C> {
            type Output = Result<(Counts, Trace, Vec<u8>), EncodeFailed>;

            fn visit<T: Value>(mut self, values: &[T]) -> Self::Output {
                let mut total = Counts::default();
                let mut trace = Trace::default();

                for value in values {
                    let task = CountingTask {
                        record: self.record,
                        inner: EncodeOne {
                            format: self.workload.format,
                            mode: self.workload.mode,
                            value,
                            out: &mut self.out,
                        },
                    };
                    let (result, counts, value_trace) = self.contender.run_noting_peak(task);
                    result?;
                    total.absorb(&counts);
                    trace.append(value_trace);
                }

                Ok((total, trace, self.out))
            }
        }

        self.dataset.visit(Each {
            contender,
            workload: *self,
            record,
            out: Vec::new(),
        })
    }
}

/// Runs `inner` on the counting wrapper around the allocator it is given.
struct CountingTask<T> {
    inner: T,
    record: bool,
}

impl<T: Task> Task for CountingTask<T> {
    type Output = (T::Output, Counts, Trace);

    fn run<A: Allocator>(self, alloc: &A) -> Self::Output {
        let counting = if self.record {
            Counting::recording(alloc)
        } else {
            Counting::new(alloc)
        };
        let output = self.inner.run(&counting);
        (output, counting.counts(), counting.take_trace())
    }
}
