//! Header slots: naming them by offset, reading and writing them, and the
//! region bytes they point to (invariant 1).

use super::*;

impl Regions {
    /// Where the lowest header slot begins: the ceiling of the data.
    pub(super) fn headers_low(&self) -> u32 {
        self.headers_low.get()
    }

    /// The header of slot `index`, which must be a carved slot.
    #[inline]
    pub(in crate::stack) fn slot(&self, index: u32) -> NonNull<Header> {
        debug_assert!(
            (self.headers_low()..self.headers_end).contains(&index)
                && (self.headers_end - index).is_multiple_of(HEADER_SIZE as u32)
        );
        // SAFETY: by invariant 1 a carved slot lies inside the first
        // `headers_end` bytes of the slice, so the offset stays in bounds of
        // the allocation `base` points into.
        unsafe { self.base.add(index as usize).cast() }
    }

    /// The slot of `header`, which must be a carved slot's header.
    #[inline]
    pub(in crate::stack) fn slot_of(&self, header: NonNull<Header>) -> u32 {
        let index = (header.as_ptr() as usize - self.base.as_ptr() as usize) as u32;
        debug_assert_eq!(self.slot(index), header);
        index
    }

    #[inline]
    pub(super) fn load(&self, index: u32) -> Header {
        // SAFETY: the slot is carved (invariant 1), so it is in bounds and
        // initialised; it is aligned to 8 because `base` is, `headers_end` is
        // a multiple of 8 and so is `HEADER_SIZE`. Nothing holds a reference
        // to a header: `StackBuf` keeps a raw pointer only.
        unsafe { self.slot(index).read() }
    }

    #[inline]
    pub(super) fn store(&self, index: u32, header: Header) {
        // SAFETY: as in `load`; writing a whole `Header` leaves the slot
        // initialised.
        unsafe { self.slot(index).write(header) }
    }

    // The setters below change one field of a header where `store` would
    // write all five words back: the list's updates touch a field or two of
    // each neighbour.

    /// Sets the `next` of slot `index`, which must be carved.
    #[inline]
    pub(super) fn set_next(&self, index: u32, next: u32) {
        // SAFETY: as in `load`; one field of the initialised slot is written
        // through the raw pointer, with no reference held.
        unsafe { (*self.slot(index).as_ptr()).next = next }
    }

    /// Sets the `prev` of slot `index`, which must be carved.
    #[inline]
    pub(super) fn set_prev(&self, index: u32, prev: u32) {
        // SAFETY: as in `set_next`.
        unsafe { (*self.slot(index).as_ptr()).prev = prev }
    }

    /// Sets the `cap` of slot `index`, which must be carved.
    #[inline]
    pub(super) fn set_cap(&self, index: u32, cap: usize) {
        // SAFETY: as in `set_next`.
        unsafe { (*self.slot(index).as_ptr()).cap = cap }
    }

    /// Sets the `len` of slot `index`, which must be carved.
    #[inline]
    pub(super) fn set_len(&self, index: u32, len: usize) {
        // SAFETY: as in `set_next`.
        unsafe { (*self.slot(index).as_ptr()).len = len }
    }

    /// A pointer to byte `offset` of the slice, which must be at most
    /// `headers_end`.
    pub(in crate::stack) fn data(&self, offset: u32) -> NonNull<u8> {
        debug_assert!(offset <= self.headers_end);
        // SAFETY: `offset <= headers_end <= slice_len`, so the pointer stays
        // within (or one past) the slice.
        unsafe { self.base.add(offset as usize) }
    }

    /// The bytes the headers take now.
    pub(super) fn header_bytes(&self) -> u32 {
        self.headers_end - self.headers_low()
    }

    /// Every region's `(start, cap)` in address order, checking the
    /// invariants on the way. Lengths are left out: a live buffer's header
    /// may not have it yet (invariant 4).
    #[cfg(test)]
    pub(in crate::stack) fn layout(&self) -> std::vec::Vec<(u32, u32)> {
        self.settle();
        let mut regions = std::vec::Vec::new();
        let mut index = self.last.get();
        let mut expected_end = None;
        let mut expected_next = NONE;

        while index != NONE {
            let header = self.load(index);
            assert_eq!(header.next, expected_next, "links out of order");
            match expected_end {
                None => assert!(
                    header.end() <= self.headers_low(),
                    "last region past the headers"
                ),
                Some(end) => assert_eq!(header.end(), end, "regions must tile"),
            }
            assert!(header.len <= header.cap, "length past capacity");
            regions.push((header.start, header.cap32()));
            expected_end = Some(header.start);
            expected_next = index;
            index = header.prev;
        }

        assert_eq!(regions.len(), self.counters.live_buffers.get() as usize);
        regions.reverse();
        regions
    }
}
