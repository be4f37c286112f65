//! The search for what a workload needs from the allocators that serve
//! from one slice: the smallest slice each value fits, exact to 8 bytes.

use crate::contenders::MusliSystem;
use crate::datasets::Visitor;
use crate::format::{EncodeFailed, Format, Mode, Value, encode};
use crate::sizing::{Sizing, SliceAllocator};
use crate::{HeapBuffer, Stack};

use super::Workload;

impl Workload<'_> {
    /// For every value, the smallest slice on which `allocator` encodes
    /// it: that size works and 8 bytes less fails.
    pub fn min_slices(&self, allocator: SliceAllocator) -> Vec<usize> {
        struct Each<'c> {
            workload: Workload<'c>,
            allocator: SliceAllocator,
        }

        impl Visitor for Each<'_> {
            type Output = Vec<usize>;

            fn visit<T: Value>(self, values: &[T]) -> Vec<usize> {
                values
                    .iter()
                    .map(|value| {
                        min_slice(
                            self.allocator,
                            self.workload.format,
                            self.workload.mode,
                            value,
                        )
                    })
                    .collect()
            }
        }

        self.dataset.visit(Each {
            workload: *self,
            allocator,
        })
    }

    /// What the contenders that serve from fixed memory need for this
    /// workload.
    pub fn sizing(&self) -> Result<Sizing, EncodeFailed> {
        let (counts, _) = self.count(&mut MusliSystem::default())?;
        let largest = |allocator| self.min_slices(allocator).into_iter().max().unwrap_or(0);

        Ok(Sizing {
            stack_slice: largest(SliceAllocator::Stack),
            musli_stack_slice: largest(SliceAllocator::MusliStack),
            max_buffer_len: counts.max_buffer_len as usize,
            max_live_buffers: counts.max_live_buffers.max(1) as usize,
        })
    }
}

/// Whether `allocator` encodes `value` on a slice of `len` bytes.
pub fn fits<T: Value>(
    allocator: SliceAllocator,
    format: Format,
    mode: Mode,
    value: &T,
    len: usize,
) -> bool {
    let mut slice = HeapBuffer::new(len);
    let mut out = Vec::new();
    match allocator {
        SliceAllocator::Stack => {
            encode(&Stack::new(&mut slice), format, mode, value, &mut out).is_ok()
        }
        SliceAllocator::MusliStack => encode(
            &musli::allocator::Stack::new(&mut slice),
            format,
            mode,
            value,
            &mut out,
        )
        .is_ok(),
    }
}

/// The smallest multiple of 8 on which `allocator` encodes `value`.
fn min_slice<T: Value>(allocator: SliceAllocator, format: Format, mode: Mode, value: &T) -> usize {
    // Our Stack's high-water mark on a roomy slice is the answer whenever
    // the layout does not depend on the slice's size, and close otherwise;
    // musli's Stack needs about as much.
    let hint = {
        let mut roomy = HeapBuffer::new(Sizing::GENEROUS.stack_slice);
        let stack = Stack::new(&mut roomy);
        let _ = encode(&stack, format, mode, value, &mut Vec::new());
        stack.stats().high_water_bytes
    };
    smallest_fitting(hint, |len| fits(allocator, format, mode, value, len))
        .unwrap_or_else(|| panic!("{allocator} cannot encode this value on any slice"))
}

/// The smallest multiple of 8 that `fits`, searched from `hint` outward
/// (galloping, then bisecting), for a `fits` that holds from some length
/// on. `None` if nothing up to 4 GiB fits.
pub(super) fn smallest_fitting(hint: usize, fits: impl Fn(usize) -> bool) -> Option<usize> {
    let hint = hint.next_multiple_of(8);
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
            fitting = fitting.checked_add(step).filter(|len| *len <= 1 << 32)?;
        }
    }

    // Bisect between the last failure and the first fit.
    let Some(mut failing) = failing else {
        return Some(fitting);
    };
    while fitting - failing > 8 {
        let middle = (failing + fitting) / 2 / 8 * 8;
        if fits(middle) {
            fitting = middle;
        } else {
            failing = middle;
        }
    }

    Some(fitting)
}
