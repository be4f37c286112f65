//! A workload: one dataset's values in one format and mode, and what can be
//! measured of it without a clock.

use musli::Allocator;

use crate::contenders::{Contender, EncodeOne, Kind, Sizing, Task, encode_each};
use crate::counters::{Counting, Counts};
use crate::datasets::{Dataset, Visitor};
use crate::format::{EncodeFailed, Format, Mode, Value, encode};
use crate::trace::Trace;
use crate::{HeapBuffer, Stack};

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
                encode_each(self.contender, self.format, self.mode, values, self.out)
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
        self.encode(&mut crate::contenders::MusliSystem, &mut out)?;
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
        self.counted(&mut crate::contenders::MusliSystem, true)
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

    /// For every value, the smallest slice on which `kind` (`stack` or
    /// `musli-stack`) encodes it: that size works and 8 bytes less fails.
    /// `None` for the other contenders, which do not serve from a slice.
    pub fn min_slices(&self, kind: Kind) -> Option<Vec<usize>> {
        struct Each<'c> {
            workload: Workload<'c>,
            kind: Kind,
        }

        impl Visitor for Each<'_> {
            type Output = Vec<usize>;

            fn visit<T: Value>(self, values: &[T]) -> Vec<usize> {
                values
                    .iter()
                    .map(|value| {
                        min_slice(self.kind, self.workload.format, self.workload.mode, value)
                    })
                    .collect()
            }
        }

        matches!(kind, Kind::Stack | Kind::MusliStack).then(|| {
            self.dataset.visit(Each {
                workload: *self,
                kind,
            })
        })
    }

    /// What the contenders that serve from fixed memory need for this
    /// workload.
    pub fn sizing(&self) -> Result<Sizing, EncodeFailed> {
        let (counts, _) = self.count(&mut crate::contenders::MusliSystem)?;
        let largest = |kind| {
            self.min_slices(kind)
                .and_then(|sizes| sizes.into_iter().max())
                .unwrap_or(0)
        };

        Ok(Sizing {
            stack_slice: largest(Kind::Stack),
            musli_stack_slice: largest(Kind::MusliStack),
            max_buffer_len: counts.max_buffer_len as usize,
            max_live_buffers: counts.max_live_buffers.max(1) as usize,
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

/// Whether `kind` encodes `value` on a slice of `len` bytes.
pub fn fits<T: Value>(kind: Kind, format: Format, mode: Mode, value: &T, len: usize) -> bool {
    let mut slice = HeapBuffer::new(len);
    let mut out = Vec::new();
    match kind {
        Kind::Stack => encode(&Stack::new(&mut slice), format, mode, value, &mut out).is_ok(),
        Kind::MusliStack => encode(
            &musli::allocator::Stack::new(&mut slice),
            format,
            mode,
            value,
            &mut out,
        )
        .is_ok(),
        _ => true,
    }
}

/// The smallest multiple of 8 on which `kind` encodes `value`.
fn min_slice<T: Value>(kind: Kind, format: Format, mode: Mode, value: &T) -> usize {
    let fits = |len: usize| fits(kind, format, mode, value, len);

    // Our Stack's high-water mark on a roomy slice is the answer whenever
    // the layout does not depend on the slice's size, and close otherwise;
    // musli's Stack needs about as much. Start there and gallop outward.
    let hint = {
        let mut roomy = HeapBuffer::new(Sizing::GENEROUS.stack_slice);
        let stack = Stack::new(&mut roomy);
        let _ = encode(&stack, format, mode, value, &mut Vec::new());
        stack.stats().high_water_bytes.next_multiple_of(8)
    };

    let (mut failing, mut fitting);
    if fits(hint) {
        fitting = hint;
        let mut step = 8;
        loop {
            let Some(below) = fitting.checked_sub(step) else {
                failing = None;
                break;
            };
            if !fits(below) {
                failing = Some(below);
                break;
            }
            fitting = below;
            step *= 2;
        }
    } else {
        failing = Some(hint);
        let mut step = 8;
        fitting = hint + step;
        while !fits(fitting) {
            failing = Some(fitting);
            step *= 2;
            fitting = fitting
                .checked_add(step)
                .filter(|len| *len <= 1 << 32)
                .unwrap_or_else(|| panic!("{kind} cannot encode this value on any slice"));
        }
    }

    // Bisect between the last failure and the first fit.
    let Some(mut failing) = failing else {
        return fitting;
    };
    while fitting - failing > 8 {
        let middle = (failing + fitting) / 2 / 8 * 8;
        if fits(middle) {
            fitting = middle;
        } else {
            failing = middle;
        }
    }

    fitting
}
