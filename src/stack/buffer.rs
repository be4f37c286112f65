//! `StackBuffer`: uninitialized, 8-aligned storage to build a `Stack` on.

use core::fmt;
use core::mem::MaybeUninit;
use core::ops::{Deref, DerefMut};

/// The size of [`StackBuffer`] when none is given: 4096 bytes, unless the
/// build sets the environment variable `DEFAULT_STACK_BUFFER` to another
/// positive multiple of 8, as in `DEFAULT_STACK_BUFFER=16384 cargo bench`.
pub const DEFAULT_STACK_BUFFER: usize =
    parse_decimal(env!("MUSLI_ALLOC_BENCH_DEFAULT_STACK_BUFFER"));

/// The build script has checked the value already; this only turns its
/// digits into a number at compile time.
const fn parse_decimal(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut value = 0usize;
    let mut at = 0;

    while at < bytes.len() {
        value = value * 10 + (bytes[at] - b'0') as usize;
        at += 1;
    }

    value
}

/// `N` uninitialized bytes, aligned to 8, to hand to [`Stack::new`].
///
/// It derefs to `[MaybeUninit<u8>]`, so `Stack::new(&mut buffer)` works.
/// Nothing is written to it until the `Stack` uses it, so making one costs
/// nothing even when it is large.
///
/// [`Stack::new`]: crate::Stack::new
#[repr(C, align(8))]
pub struct StackBuffer<const N: usize = DEFAULT_STACK_BUFFER> {
    bytes: [MaybeUninit<u8>; N],
}

impl<const N: usize> StackBuffer<N> {
    /// Uninitialized storage of `N` bytes.
    pub const fn new() -> Self {
        Self {
            bytes: [MaybeUninit::uninit(); N],
        }
    }
}

impl<const N: usize> Default for StackBuffer<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Deref for StackBuffer<N> {
    type Target = [MaybeUninit<u8>];

    fn deref(&self) -> &Self::Target {
        &self.bytes
    }
}

impl<const N: usize> DerefMut for StackBuffer<N> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.bytes
    }
}

impl<const N: usize> fmt::Debug for StackBuffer<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StackBuffer<{N}>")
    }
}
