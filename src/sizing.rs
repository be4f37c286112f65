//! What a workload needs from the contenders that serve from fixed memory,
//! and the search that finds it.
//!
//! The `stack`, `musli-stack` and `floor` contenders are built to fit their
//! workload exactly, so that the benches time them where they succeed; the
//! `min_stack_buffer` counter and `sizes` come from the same search.

use crate::contenders::{Kind, MusliSystem};
use crate::datasets::Visitor;
use crate::format::{EncodeFailed, Format, Mode, Value, encode};
use crate::workload::Workload;
use crate::{HeapBuffer, Stack};

/// What a workload needs from an allocator, measured beforehand (see
/// `Workload::sizing`): the contenders that serve from fixed memory
/// are built to fit it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizing {
    /// The smallest slice on which `stack` serves every call.
    pub stack_slice: usize,
    /// The smallest slice on which `musli-stack` serves every call.
    pub musli_stack_slice: usize,
    /// The longest any buffer gets.
    pub max_buffer_len: usize,
    /// The most buffers alive at once.
    pub max_live_buffers: usize,
}

impl Sizing {
    /// Room for any workload of this suite at scale 1, for when exact needs
    /// are not known yet (finding them, or tests of small values).
    pub const GENEROUS: Sizing = Sizing {
        stack_slice: 8 << 20,
        musli_stack_slice: 8 << 20,
        max_buffer_len: 4 << 20,
        max_live_buffers: 64,
    };

    /// Room for every synthetic pattern. musli 0.0.122's Stack leaves a hole
    /// behind every buffer it moves and reuses few of them: written in turn, 4
    /// buffers of 16 KiB each need 64 MiB of it.
    pub const PATTERNS: Sizing = Sizing {
        stack_slice: 4 * crate::patterns::TOTAL,
        musli_stack_slice: 128 << 20,
        max_buffer_len: crate::patterns::TOTAL,
        max_live_buffers: 17,
    };
}

impl Workload<'_> {
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
        let (counts, _) = self.count(&mut MusliSystem::default())?;
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
