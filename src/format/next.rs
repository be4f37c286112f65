//! Encoding with musli 0.2.1, in the same formats and modes as
//! [`super::encode`] encodes with musli 0.0.122.
//!
//! The values are the datasets compiled against musli 0.2
//! ([`crate::datasets::NextDataset`]); the allocator is any of musli 0.2's
//! (its `Slice` and `Global`, or this crate's [`crate::next`] Stack).

use std::fmt;

use musli_next::Encode;
use musli_next::alloc::Allocator;
use musli_next::mode::Binary;
pub use next_datasets::format::Packed;

use super::{EncodeFailed, Format, Mode};

/// A value that musli 0.2 encodes in both modes: what every dataset
/// compiled against it is made of.
pub trait NextValue: Encode<Binary> + Encode<Packed> + PartialEq + fmt::Debug {}

impl<T> NextValue for T where T: Encode<Binary> + Encode<Packed> + PartialEq + fmt::Debug {}

/// Encodes `value` with musli 0.2, `alloc` as the context's allocator,
/// appending to `out`.
///
/// Never inlined, for the reason [`super::encode`] is not: every
/// contender's harness then has the same shape, a call per encode.
#[inline(never)]
pub fn encode<A, T>(
    alloc: A,
    format: Format,
    mode: Mode,
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), EncodeFailed>
where
    A: Allocator,
    T: ?Sized + Encode<Binary> + Encode<Packed>,
{
    match mode {
        Mode::Default => encode_in::<Binary, A, T>(alloc, format, value, out),
        Mode::Packed => encode_in::<Packed, A, T>(alloc, format, value, out),
    }
}

/// [`encode`] in the mode `M`.
#[inline]
fn encode_in<M, A, T>(
    alloc: A,
    format: Format,
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), EncodeFailed>
where
    M: 'static,
    A: Allocator,
    T: ?Sized + Encode<M>,
{
    use musli_next::{descriptive, storage, wire};

    let cx = musli_next::context::new_in(alloc);
    // The context keeps no error message (musli 0.2's default): in this
    // suite an encode fails only when the allocator ran out.
    let failed = |_| EncodeFailed("musli 0.2's allocator ran out".to_owned());
    match format {
        Format::Wire => wire::Encoding::new()
            .with_mode::<M>()
            .encode_with(&cx, out, value)
            .map_err(failed),
        Format::Descriptive => descriptive::Encoding::new()
            .with_mode::<M>()
            .encode_with(&cx, out, value)
            .map_err(failed),
        Format::Storage => storage::Encoding::new()
            .with_mode::<M>()
            .encode_with(&cx, out, value)
            .map_err(failed),
    }
}
