//! Work done with an allocator, whatever its type: what a contender runs.
//!
//! A [`Task`] is generic over musli's `Allocator`, so that the contenders
//! (`src/contenders/`), the counting wrapper and the replays can all hand
//! it theirs without knowing of each other. A [`NextTask`] is the same
//! over musli 0.2's `Allocator`, which is another trait.

use musli::Allocator;

use crate::format::next::NextValue;
use crate::format::{EncodeFailed, Format, Mode, Value, encode};

/// Work done with an allocator, whatever its type.
pub trait Task {
    /// What the work gives back.
    type Output;

    /// Does the work with `alloc`.
    fn run<A: Allocator>(self, alloc: &A) -> Self::Output;
}

/// Encodes one value on the allocator it is given.
pub struct EncodeOne<'a, T: ?Sized> {
    /// The format.
    pub format: Format,
    /// The mode.
    pub mode: Mode,
    /// What to encode.
    pub value: &'a T,
    /// Where the bytes go (appended).
    pub out: &'a mut Vec<u8>,
}

impl<T: Value> Task for EncodeOne<'_, T> {
    type Output = Result<(), EncodeFailed>;

    #[inline]
    fn run<A: Allocator>(self, alloc: &A) -> Self::Output {
        encode(alloc, self.format, self.mode, self.value, self.out)
    }
}

/// Work done with a musli 0.2 allocator, whatever its type.
pub trait NextTask {
    /// What the work gives back.
    type Output;

    /// Does the work with `alloc` (musli 0.2 takes allocators by value:
    /// `Global`, or a reference to a `Slice` or a `Stack`).
    fn run<A: musli_next::alloc::Allocator>(self, alloc: A) -> Self::Output;
}

impl<T: NextValue> NextTask for EncodeOne<'_, T> {
    type Output = Result<(), EncodeFailed>;

    #[inline]
    fn run<A: musli_next::alloc::Allocator>(self, alloc: A) -> Self::Output {
        crate::format::next::encode(alloc, self.format, self.mode, self.value, self.out)
    }
}
