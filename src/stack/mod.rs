//! The `Stack` allocator: musli buffers served from one caller-provided slice.
//!
//! # Layout
//!
//! ```text
//!  0                                                         slice end
//!  | gap | region A | region B | ... | last region  ->   <- | headers |
//!        ^ first.start                   frontier ^   ^ headers_low
//! ```
//!
//! Buffer bytes grow upward from the start of the slice; one fixed-size
//! header per region grows downward from its end. Regions are linked in
//! address order and tile the span from the first region to the end of the
//! last one without holes:
//!
//! * every region but the last owns `[start, start + cap)`, and the next
//!   region starts exactly at `start + cap`;
//! * the last region ends at or below the lowest header; the bytes between
//!   are the frontier, where new regions are placed;
//! * the bytes before the first region are free (the "gap"): they are what
//!   is left when the first region is freed or moves away while later
//!   regions live on.
//!
//! A buffer writes within its capacity without telling the `Stack`: it keeps
//! its length to itself, so that musli's byte-at-a-time writes hold it in a
//! register, and stores it in its header only when it calls into the `Stack`
//! (to grow, to append another buffer, or when dropped). So a new region
//! cannot start right after the last one's bytes, only after its capacity.
//! Capacities are therefore bounded: a new region gets a first window of
//! [`Stack::FIRST_WINDOW`] bytes (or half the room left, when less), and the
//! last region grows in place to twice what it needs. musli's encoders hold
//! one buffer at a time, which always starts at offset 0 and grows in place
//! to the headers if it must, so bounding costs them no memory.
//!
//! Freeing a region gives its bytes to the region before it, or to the gap
//! when it is first; freeing the last region hands its bytes back to the
//! frontier. A region that must grow past its capacity and is not last moves
//! behind the last region, and takes twice the length it needs then, so
//! buffers written in turn move a geometrically shrinking number of times.
//! `write_buffer` appends a buffer whose region comes right after this one
//! where its bytes lie when they already follow this buffer's, and otherwise
//! by one copy within the slice, never by moving either buffer. It takes
//! the neighbour's bytes after dropping it, so when that drop frees a region
//! of the same `Stack` (a `Buf` that owns a `StackBuf` and drops or merges
//! other buffers as it goes), those bytes may have been handed to another
//! buffer already: then it returns `false` and this buffer stays as it was.
//!
//! Headers that are freed go on a free list and are reused before new ones
//! are carved from the end of the slice.
//!
//! Dropping a buffer frees its region at the `Stack`'s next call, not at
//! once: the drop only puts the header on a dropped list, which keeps it to
//! a few instructions that musli's encoders can inline, and the next call
//! frees the list in the order dropped. An allocation right after the only
//! buffer was dropped takes its region over where it is.
//!
//! # Overflow policies
//!
//! What happens when the slice is full is the `Stack`'s type parameter:
//! [`Refuse`] (the default) answers with `None` or `false`, [`Spill`]
//! (named [`SpillStack`]) moves the buffer to the heap, where it stays
//! until dropped, while the slice goes on serving the others. Both share
//! every line above; see `regions/spill.rs` for what a spill does.
//!
//! All `unsafe` code of the crate lives in this module: `[lints]` in
//! Cargo.toml denies it everywhere else, and the line below allows it here.

#![allow(unsafe_code)]

mod buf;
mod buffer;
mod cold_call;
#[cfg(feature = "std")]
mod heap;
#[cfg(feature = "std")]
mod next;
#[cfg(feature = "std")]
mod observed;
mod policy;
mod regions;
mod stats;

#[cfg(test)]
mod tests;

use core::fmt;
use core::marker::PhantomData;
use core::mem::MaybeUninit;
use core::ptr::NonNull;

use musli::Allocator;

pub use self::buf::StackBuf;
pub use self::buffer::{DEFAULT_STACK_BUFFER, StackBuffer};
#[cfg(feature = "std")]
pub use self::heap::HeapBuffer;
#[cfg(feature = "std")]
pub use self::next::NextAlloc;
#[cfg(feature = "std")]
pub use self::observed::{Observed, ObservedAlloc, Observer, Resize};
#[cfg(feature = "std")]
pub use self::policy::Spill;
pub use self::policy::{Overflow, Refuse};
pub use self::stats::StackStats;

use self::regions::Regions;

/// Serves musli's buffers from one borrowed, 8-aligned slice of bytes.
///
/// With the default policy, [`Refuse`], nothing is allocated from the
/// system: when the slice is full, [`Allocator::alloc`] returns `None` and
/// [`musli::Buf::write`] returns `false`, and every buffer keeps the bytes
/// it had. [`SpillStack`] is the same allocator with the heap behind it.
///
/// # Examples
///
/// ```
/// use musli::{Allocator, Buf};
/// use musli_alloc_bench::{Stack, StackBuffer};
///
/// let mut buffer = StackBuffer::<1024>::new();
/// let stack = Stack::new(&mut buffer);
///
/// let mut greeting = stack.alloc().expect("the slice has room for a buffer");
/// assert!(greeting.write(b"hello "));
/// let mut name = stack.alloc().expect("and for another");
/// assert!(name.write(b"world"));
/// assert!(greeting.write_buffer(name));
///
/// assert_eq!(greeting.as_slice(), b"hello world");
/// // `name` was the region right after `greeting`: its bytes were copied
/// // down within the slice, and neither buffer moved.
/// assert_eq!(stack.stats().moves, 0);
/// ```
pub type Stack<'a> = StackWith<'a, Refuse>;

/// A [`Stack`] that never fails: what does not fit the slice goes to the
/// heap.
///
/// `alloc` always returns a buffer, and `write`, `push`, `write_buffer` and
/// `write_fmt` always succeed (heap exhaustion aborts, as a vector's does).
/// A buffer that cannot grow within the slice, or that finds no header
/// there, moves its bytes to the heap and grows there by doubling; once it
/// is dropped, its memory goes back to the heap at the `SpillStack`'s next
/// call, or when the `SpillStack` is dropped. The slice goes on serving the
/// other buffers. Writes that fit a buffer's capacity run the same instructions
/// as a [`Stack`]'s, and since they cannot fail, musli's encoders need no
/// error path around them.
///
/// Choose it when encodes must not fail and the slice is sized for the
/// common case; choose [`Stack`] when memory must stay within the slice.
///
/// # Examples
///
/// ```
/// use musli::{Allocator, Buf};
/// use musli_alloc_bench::{SpillStack, StackBuffer};
///
/// let mut buffer = StackBuffer::<256>::new();
/// let stack = SpillStack::new(&mut buffer);
///
/// let mut big = stack.alloc().expect("a SpillStack always gives a buffer");
/// assert!(big.write(&[7; 1000]));
/// assert_eq!(big.as_slice(), &[7; 1000][..]);
/// // 1000 bytes do not fit 256: the buffer moved to the heap.
/// assert_eq!(stack.stats().spills, 1);
/// ```
#[cfg(feature = "std")]
pub type SpillStack<'a> = StackWith<'a, Spill>;

/// The allocator behind [`Stack`] and [`SpillStack`], with its overflow
/// policy `P` ([`Refuse`] or [`Spill`]) as a parameter. Use it by those two
/// names; this one is for code generic over the policy.
pub struct StackWith<'a, P: Overflow> {
    regions: Regions,
    _slice: PhantomData<&'a mut [MaybeUninit<u8>]>,
    _policy: PhantomData<P>,
}

impl<'a, P: Overflow> StackWith<'a, P> {
    /// The largest slice a `Stack` can manage: offsets into it are 32 bits.
    pub const MAX_SLICE_LEN: usize = u32::MAX as usize;

    /// The bytes each live buffer costs in bookkeeping, taken from the end of
    /// the slice.
    pub const HEADER_SIZE: usize = regions::HEADER_SIZE;

    /// The capacity a new buffer starts with, or half the room left when
    /// that is less. Writes within a buffer's capacity never call into the
    /// `Stack`; past it, a buffer grows in place to twice what it needs when
    /// it was allocated last, and moves behind the last one otherwise.
    pub const FIRST_WINDOW: usize = regions::FIRST_WINDOW as usize;

    /// Builds a `Stack` over `slice`.
    ///
    /// # Panics
    ///
    /// When [`Stack::try_new`] would return an error: a non-empty slice that
    /// does not start at an 8-aligned address, or one longer than
    /// [`Stack::MAX_SLICE_LEN`]. [`StackBuffer`] is always aligned.
    pub fn new(slice: &'a mut [MaybeUninit<u8>]) -> Self {
        match Self::try_new(slice) {
            Ok(stack) => stack,
            Err(error) => panic!("{}::new: {error}", Self::NAME),
        }
    }

    /// Builds a `Stack` over `slice`, or says why the slice cannot be used.
    pub fn try_new(slice: &'a mut [MaybeUninit<u8>]) -> Result<Self, SliceError> {
        if !slice.is_empty() && slice.as_ptr().align_offset(8) != 0 {
            return Err(SliceError::Misaligned {
                address: slice.as_ptr() as usize,
            });
        }

        let Ok(len) = u32::try_from(slice.len()) else {
            return Err(SliceError::TooLong { len: slice.len() });
        };

        Ok(Self {
            regions: Regions::new(NonNull::from(slice).cast(), len, P::SPILLS),
            _slice: PhantomData,
            _policy: PhantomData,
        })
    }

    /// The name of this policy's allocator, for messages.
    const NAME: &'static str = if P::SPILLS { "SpillStack" } else { "Stack" };

    /// The counters this allocator keeps about itself.
    pub fn stats(&self) -> StackStats {
        self.regions.stats()
    }

    /// The most bytes of the slice this `Stack` has used at once, buffer data
    /// and headers: [`StackStats::high_water_bytes`] without the rest of the
    /// counters, cheap enough to read after every use. Heap memory of a
    /// [`SpillStack`] is not in it.
    pub fn high_water_bytes(&self) -> usize {
        self.regions.high_water_bytes()
    }

    /// The length of the slice this `Stack` was built on.
    pub fn capacity(&self) -> usize {
        self.regions.slice_len()
    }
}

impl<P: Overflow> Allocator for StackWith<'_, P> {
    type Buf<'this>
        = StackBuf<'this, P>
    where
        Self: 'this;

    #[inline]
    fn alloc(&self) -> Option<Self::Buf<'_>> {
        let placed = self.regions.alloc::<P>();
        if P::SPILLS {
            // Lets the compiler drop musli's check of the answer, and the
            // error path behind it, from every encoder that allocates: it
            // cannot see through the slow path's call, and left a test of
            // the header after the inlined path too.
            // SAFETY: under the spilling policy both paths of
            // `Regions::alloc` return `Some`: the lone region's, and the
            // spilling slow path, which places the buffer on the heap when
            // the slice has no room.
            unsafe { core::hint::assert_unchecked(placed.is_some()) };
        }
        Some(StackBuf::new(placed?))
    }
}

/// A spilled buffer's heap memory is freed when the dropped list is
/// settled: what the last buffers dropped left there goes now. A `Stack`
/// that refuses holds no heap memory, and this is nothing.
impl<P: Overflow> Drop for StackWith<'_, P> {
    #[inline]
    fn drop(&mut self) {
        #[cfg(feature = "std")]
        if P::SPILLS && self.regions.holds_heap_memory() {
            self.regions.settle();
        }
    }
}

impl<P: Overflow> fmt::Debug for StackWith<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(Self::NAME)
            .field("capacity", &self.capacity())
            .field("stats", &self.stats())
            .finish()
    }
}

/// Why [`Stack::try_new`] refused a slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceError {
    /// The slice does not start at an 8-aligned address.
    Misaligned {
        /// Where the slice starts.
        address: usize,
    },
    /// The slice is longer than [`Stack::MAX_SLICE_LEN`].
    TooLong {
        /// The slice's length.
        len: usize,
    },
}

impl fmt::Display for SliceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            SliceError::Misaligned { address } => write!(
                f,
                "the slice starts at {address:#x}, which is not 8-aligned; \
                 use a StackBuffer or another 8-aligned slice"
            ),
            SliceError::TooLong { len } => write!(
                f,
                "the slice is {len} bytes long; at most {} bytes are accepted",
                Stack::MAX_SLICE_LEN
            ),
        }
    }
}

impl core::error::Error for SliceError {}
