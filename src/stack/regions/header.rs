//! A region's header: its layout in the slice, and reading it.

use super::*;

/// One region's bookkeeping, stored in the slice itself.
///
/// Offsets are 32 bits to keep the header small; `Stack::try_new` refuses
/// longer slices. `len` and `cap` are `usize` all the same (they never exceed
/// the slice either): the write path indexes and compares with them, and a
/// 32-bit length costs one more instruction per byte of musli's varints to
/// widen it. Aligned to 8 so that on 32-bit targets too every slot is.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(8))]
pub(in crate::stack) struct Header {
    /// While the region's buffer lives, the `Regions` this header belongs
    /// to, so that a buffer needs only its header pointer to reach them
    /// (written with the rest at every allocation: the `Stack` may have moved
    /// while no buffer was alive). Once the buffer is dropped, the header
    /// dropped before it, or null: the link of the dropped list. Untyped
    /// because it is one or the other; read it through `regions` or
    /// `dropped_link`.
    pub(in crate::stack) link: *const (),
    /// Bytes written, as of the buffer's last call into the `Regions`; see
    /// invariant 4.
    pub(in crate::stack) len: usize,
    /// Bytes the region owns; see invariants 2 and 3.
    pub(in crate::stack) cap: usize,
    /// Offset of the region's first byte from the start of the slice.
    pub(in crate::stack) start: u32,
    /// Slot of the region after this one, or `NONE`; on the free list, the
    /// next free slot.
    pub(in crate::stack) next: u32,
    /// Slot of the region before this one, or `NONE`.
    pub(in crate::stack) prev: u32,
}

/// Bytes per header (40 on 64-bit targets). A multiple of 8, so every slot
/// stays aligned.
pub(in crate::stack) const HEADER_SIZE: usize = mem::size_of::<Header>();

const _: () = assert!(HEADER_SIZE.is_multiple_of(8) && mem::align_of::<Header>() <= 8);

// `alloc` reads `start` and `next` as one word; a spilled header keeps a
// pointer in `next` and `prev`.
const _: () = assert!(mem::offset_of!(Header, next) == mem::offset_of!(Header, start) + 4);
const _: () = assert!(mem::offset_of!(Header, prev) == mem::offset_of!(Header, next) + 4);

impl Header {
    /// The `Regions` of a live buffer's header.
    pub(in crate::stack) fn regions(&self) -> *const Regions {
        self.link.cast()
    }

    /// The next header on the dropped list, of a dropped buffer's header:
    /// the one dropped before it (after it, while `settle_dropped` runs).
    pub(super) fn dropped_link(&self) -> Option<NonNull<Header>> {
        NonNull::new(self.link.cast_mut().cast())
    }

    /// The written bytes' length as an offset: it fits in 32 bits, as every
    /// offset in the slice does, since `len <= cap` (invariant 4).
    pub(super) fn len32(&self) -> u32 {
        self.len as u32
    }

    /// The capacity as an offset; see `len32`.
    pub(super) fn cap32(&self) -> u32 {
        self.cap as u32
    }

    /// The offset where the written bytes end.
    pub(super) fn written_end(&self) -> u32 {
        self.start + self.len32()
    }

    /// The offset where the region ends, past its capacity.
    pub(super) fn end(&self) -> u32 {
        self.start + self.cap32()
    }
}

/// The `link` of a dropped header whose next on the dropped list is `next`.
/// Always inlined: `release` must stay a few instructions.
#[inline(always)]
pub(super) fn dropped_link_to(next: Option<NonNull<Header>>) -> *const () {
    next.map_or(ptr::null(), |header| header.as_ptr().cast_const().cast())
}

/// The header of a dropped buffer: a carved slot's, or a spilled buffer's
/// on the heap, initialised either way.
#[inline]
pub(super) fn read_dropped(slot: NonNull<Header>) -> Header {
    // SAFETY: headers on the dropped list belong to dropped buffers; their
    // slots were carved (invariant 1) or, for a spilled buffer without one,
    // allocated whole on the heap, and are freed only by `free_dropped`
    // after this read. Aligned either way, and no reference is held.
    unsafe { slot.read() }
}

/// The "no slot" marker. No header starts at it: a slice has at most
/// `u32::MAX` bytes, and a header takes `HEADER_SIZE` of them.
pub(in crate::stack) const NONE: u32 = u32::MAX;

/// `start` and `next` read as one word (see `alloc`) when the region starts
/// the slice and has no region after it: `start` 0, then `next` `NONE`, in
/// memory order, whatever the target's byte order.
pub(super) const LONE_AT_START: u64 = u64::from_ne_bytes([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);

const _: () = assert!(NONE == u32::MAX);
