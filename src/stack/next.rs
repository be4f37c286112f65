//! The same `Stack` behind musli 0.2's allocator trait.
//!
//! musli 0.2 asks for typed allocations (`Alloc<T>`) that a `Vec<T, A>` of
//! musli's own drives: the `Vec` keeps the length, calls
//! `resize(len, additional)` and then `as_mut_ptr()` before every write,
//! and drops the allocation without saying how much it wrote. So a
//! [`NextAlloc`] keeps what the write path needs in itself (the data
//! pointer and the capacity in elements), and `resize` within the capacity
//! is a compare and a store, as `StackBuf::write`'s check is. Everything
//! else goes to the region list through the calls `StackBuf` makes: the
//! adapter holds one region, or none, and adds no state to the list.
//!
//! Alignment: regions start anywhere in the slice, and a spilled buffer's
//! heap memory is byte-aligned. An allocation of `T` with an alignment of
//! 2 to 8 keeps its elements at the first aligned address of its region,
//! `pad` bytes in, asks for `align - 1` bytes more than it needs whenever
//! it grows, and after a move that changed the padding shifts its bytes to
//! the new one. The region's length in its header counts the padding, so a
//! move copies it along. Larger alignments get `AllocError`, never a
//! misaligned pointer. Zero-sized types take no region.
//!
//! musli documents its `Allocator` trait as internal ("do not implement")
//! without sealing it; the crate pins `musli = "=0.2.1"` and
//! `musli-core = "=0.2.0"` for that reason.

use core::marker::PhantomData;
use core::mem::{align_of, size_of};
use core::ptr::{self, NonNull};

use musli_next::alloc::{Alloc, AllocError, Allocator, FromAllocator, Vec};

use super::StackWith;
use super::buf::make_room;
use super::policy::{Overflow, spilling_never_refuses};
use super::regions::{Header, Regions};

/// The largest alignment an allocation can have: that of the slice.
const MAX_ALIGN: usize = 8;

/// One allocation of a [`Stack`](crate::Stack) or
/// [`SpillStack`](crate::SpillStack) used through musli 0.2's trait: a
/// region of the slice (or, spilled, of the heap), or none yet.
///
/// # Invariants
///
/// 1. `header`, when set, is the header of a region this allocation alone
///    holds (invariant 5 of the region list); its `regions` link is
///    `regions`.
/// 2. `data` is `pad` bytes past the start of that region, aligned for
///    `T`; with no room for one element (no region, or one too small) it
///    is dangling, and aligned too, and `cap` is 0 (or `usize::MAX` for a
///    zero-sized `T`, which needs no memory).
/// 3. `pad + cap * size_of::<T>()` is at most the region's capacity as
///    last read; the list only ever raises a live region's capacity
///    (invariant 4 of the list), so it stays within it.
/// 4. `written <= cap` elements: what the last `resize` made room for, an
///    upper bound on what the `Vec` wrote. The header's `len` is
///    `pad + len * size_of::<T>()` as of the last call into the list, or 0
///    when there were no elements then.
pub struct NextAlloc<'a, T, P: Overflow> {
    regions: &'a Regions,
    header: Option<NonNull<Header>>,
    data: NonNull<T>,
    pad: usize,
    cap: usize,
    written: usize,
    _owns: PhantomData<(T, P)>,
}

impl<'a, T, P: Overflow> NextAlloc<'a, T, P> {
    /// An allocation with no region, over `regions`.
    fn unplaced(regions: &'a Regions) -> Self {
        Self {
            regions,
            header: None,
            data: NonNull::dangling(),
            pad: 0,
            cap: if size_of::<T>() == 0 { usize::MAX } else { 0 },
            written: 0,
            _owns: PhantomData,
        }
    }

    /// A new allocation: a region placed now, or none when `T` needs no
    /// memory, is aligned beyond the slice, or (refusing) finds no room.
    fn place(regions: &'a Regions) -> Self {
        let mut alloc = Self::unplaced(regions);
        if size_of::<T>() != 0
            && align_of::<T>() <= MAX_ALIGN
            && let Some(placed) = regions.alloc::<P>()
        {
            alloc.header = Some(placed.header);
            alloc.take_region(placed.header, placed.data);
        }
        alloc
    }

    /// Points this allocation at its region's bytes, which start at
    /// `start`: aligns `data`, and reads the capacity. The caller has
    /// shifted the elements to the padding `start` gives, if it changed.
    fn take_region(&mut self, header: NonNull<Header>, start: NonNull<u8>) {
        let pad = start.as_ptr().align_offset(align_of::<T>());
        // SAFETY: `header` is this allocation's live region's header
        // (invariant 1): carved and initialised; read with no reference held.
        let region_cap = unsafe { (*header.as_ptr()).cap };
        self.pad = pad;
        self.cap = region_cap.saturating_sub(pad) / size_of::<T>();
        self.data = if self.cap == 0 {
            // Too small for one element after the padding: an empty slice
            // of it must still be aligned.
            NonNull::dangling()
        } else {
            // SAFETY: `pad` plus at least one element lies within the
            // region, which lies within the slice or its heap block.
            unsafe { start.add(pad).cast() }
        };
    }

    /// Makes room for `additional` elements after `len`, by the region
    /// list's slow path: placing a region if there is none, growing or
    /// moving it, or spilling it. Out of line: the `Vec`'s write path only
    /// calls it.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, len: usize, additional: usize) -> Result<(), AllocError> {
        let size = size_of::<T>();
        if size == 0 || align_of::<T>() > MAX_ALIGN {
            return if size == 0 { Ok(()) } else { Err(AllocError) };
        }
        let needed = additional
            .checked_mul(size)
            .and_then(|bytes| bytes.checked_add(align_of::<T>() - 1))
            .ok_or(AllocError)?;
        let header = match self.header {
            Some(header) => header,
            None => {
                let placed = self.regions.alloc::<P>().ok_or(AllocError)?;
                self.header = Some(placed.header);
                self.take_region(placed.header, placed.data);
                if additional <= self.cap - len {
                    self.written = len + additional;
                    return Ok(());
                }
                placed.header
            }
        };
        let len_bytes = len * size;
        let old_pad = self.pad;
        // What the region must keep: the padding and the elements, or
        // nothing while there are none (a region placed too small for its
        // padding must not be told a length past its capacity).
        let kept = if len_bytes == 0 {
            0
        } else {
            old_pad + len_bytes
        };
        // SAFETY: `header` is the header of this allocation's live region
        // (invariant 1), whose first `kept` bytes hold the padding and the
        // elements (invariant 4: `len <= written <= cap`).
        let start = unsafe { make_room(header, kept, needed) }.ok_or(AllocError)?;
        let new_pad = start.as_ptr().align_offset(align_of::<T>());
        if new_pad != old_pad && len_bytes > 0 {
            // SAFETY: the region now starts at `start` and holds at least
            // `old_pad + len_bytes + needed` bytes, the first
            // `old_pad + len_bytes` of them ours, copied along by the move;
            // `new_pad <= align - 1 <= needed - additional * size`, so the
            // shifted elements stay within it. The ranges may overlap:
            // `copy` is a memmove.
            unsafe {
                ptr::copy(
                    start.as_ptr().add(old_pad),
                    start.as_ptr().add(new_pad),
                    len_bytes,
                );
            }
        }
        // SAFETY: as above; the length is the list's to copy on the next
        // move (invariant 4).
        unsafe {
            (*header.as_ptr()).len = if len_bytes == 0 {
                0
            } else {
                new_pad + len_bytes
            }
        };
        self.take_region(header, start);
        debug_assert!(additional <= self.cap - len);
        self.written = len + additional;
        Ok(())
    }
}

impl<T, P: Overflow> Alloc<T> for NextAlloc<'_, T, P> {
    #[inline]
    fn as_ptr(&self) -> *const T {
        self.data.as_ptr()
    }

    #[inline]
    fn as_mut_ptr(&mut self) -> *mut T {
        self.data.as_ptr()
    }

    #[inline]
    fn capacity(&self) -> usize {
        self.cap
    }

    #[inline]
    fn resize(&mut self, len: usize, additional: usize) -> Result<(), AllocError> {
        // The `Vec` never passes a length past the capacity it was given.
        if additional <= self.cap - len {
            self.written = len + additional;
            return Ok(());
        }
        match self.grow(len, additional) {
            Ok(()) => Ok(()),
            // Under the spilling policy only an alignment beyond the
            // slice's or a size past the address space is refused: telling
            // the compiler so lets musli drop its error path for bytes.
            Err(_) if P::SPILLS && align_of::<T>() <= MAX_ALIGN && size_of::<T>() == 1 => {
                spilling_never_refuses()
            }
            Err(error) => Err(error),
        }
    }

    /// Never merges: musli's encoders copy a finished buffer into their
    /// output rather than merging it (`Vec::extend` falls back to a copy).
    #[inline]
    fn try_merge<B>(&mut self, _this_len: usize, other: B, _other_len: usize) -> Result<(), B>
    where
        B: Alloc<T>,
    {
        Err(other)
    }
}

/// Hands the region to the list's dropped list, as `StackBuf` does, with
/// the most the `Vec` can have written: the list's peak counts what its
/// last `resize` made room for.
impl<T, P: Overflow> Drop for NextAlloc<'_, T, P> {
    #[inline]
    fn drop(&mut self) {
        if let Some(header) = self.header {
            // Nothing written, not even the padding: a region placed too
            // small for it must not be told a length past its capacity.
            let written = match self.written {
                0 => 0,
                elements => self.pad + elements * size_of::<T>(),
            };
            self.regions.release(header, written);
        }
    }
}

impl<'a, 'buf, P: Overflow> FromAllocator<&'a StackWith<'buf, P>> for &'a StackWith<'buf, P> {
    #[inline]
    fn from_allocator(alloc: &'a StackWith<'buf, P>) -> Self {
        alloc
    }

    #[inline]
    fn __from_vec<T>(vec: Vec<T, Self>) -> Result<Vec<T, Self>, Vec<T, Self>> {
        Ok(vec)
    }
}

// SAFETY: what musli 0.2 asks of an allocator: every `Alloc` it hands out
// points at memory that only it uses (invariant 1 of `NextAlloc`, 5 of the
// region list), aligned for `T` (invariant 2), with room for `capacity()`
// elements (invariant 3), which stays valid until the `Alloc` is dropped
// or resized (regions move only in `resize`). `IS_GLOBAL` is false: the
// memory is never the global allocator's to take over.
unsafe impl<'a, P: Overflow> Allocator for &'a StackWith<'_, P> {
    #[inline]
    fn __do_not_implement() {}

    const IS_GLOBAL: bool = false;

    type Alloc<T> = NextAlloc<'a, T, P>;

    #[inline]
    fn alloc_empty<T>(self) -> Self::Alloc<T> {
        NextAlloc::place(&self.regions)
    }

    #[inline]
    fn alloc<T>(self, value: T) -> Result<Self::Alloc<T>, AllocError> {
        let mut alloc = NextAlloc::<T, P>::place(&self.regions);
        alloc.resize(0, 1)?;
        // SAFETY: `resize` made room for one element at `data`, aligned for
        // `T` (invariant 2).
        unsafe { alloc.as_mut_ptr().write(value) };
        Ok(alloc)
    }
}
