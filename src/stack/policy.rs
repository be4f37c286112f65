//! What a `Stack` does when its slice has no room: refuse, or spill.
//!
//! The policy is a type parameter, so that each policy's `write` is
//! compiled on its own: with [`Refuse`] a write that finds no room returns
//! `false`, and musli's encoders keep their error path around every write;
//! with [`Spill`] the buffer moves to the heap, the write cannot fail, and
//! the compiler drops that path. The region list below is the same code for
//! both; it learns the policy once, when the `Stack` is built.

mod sealed {
    pub trait Sealed {}
}

/// How a [`Stack`](crate::Stack) answers when its slice is full: [`Refuse`]
/// or [`Spill`]. Sealed: the region list knows these two only.
pub trait Overflow: sealed::Sealed {
    /// Whether a buffer that finds no room moves to the heap.
    const SPILLS: bool;
}

/// Out of room is an answer: `alloc` returns `None`, `write` returns
/// `false`, and nothing else changes. The policy of [`Stack`](crate::Stack)
/// by default; needs no heap.
#[derive(Debug)]
pub enum Refuse {}

impl sealed::Sealed for Refuse {}

impl Overflow for Refuse {
    const SPILLS: bool = false;
}

/// Out of room moves the buffer to the heap: `alloc` always gives a buffer
/// and writes always succeed. The policy of [`SpillStack`](crate::SpillStack).
#[cfg(feature = "std")]
#[derive(Debug)]
pub enum Spill {}

#[cfg(feature = "std")]
impl sealed::Sealed for Spill {}

#[cfg(feature = "std")]
impl Overflow for Spill {
    const SPILLS: bool = true;
}

/// Where a spilling buffer would have failed: it never does, as the slow
/// paths spill instead of refusing. A call that does not return, so that
/// the code around a write need keep nothing alive across it.
#[cold]
#[inline(never)]
pub(super) fn spilling_never_refuses() -> ! {
    unreachable!("a SpillStack spills to the heap instead of refusing")
}
