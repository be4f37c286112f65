//! Freeing regions: dropping a buffer, settling the dropped list, and
//! unlinking a region so its bytes go to a neighbour (invariants 2 and 5).

use super::*;

impl Regions {
    /// Gives back the region of `slot`, a live buffer's header, whose
    /// buffer wrote `len` bytes and is being dropped: puts it on the dropped
    /// list, for the next call to free (see the module's docs). Kept to a few
    /// stores, with no branch, on purpose.
    #[inline]
    pub(in crate::stack) fn release(&self, slot: NonNull<Header>, len: usize) {
        // SAFETY: the slot is carved (invariant 1); two fields are written
        // through the raw pointer, with no reference held.
        unsafe {
            (*slot.as_ptr()).len = len;
            (*slot.as_ptr()).link = dropped_link_to(self.dropped.get());
        }
        self.dropped.set(Some(slot));
    }

    /// Lowers the length of the live region of `slot`, whose buffer had
    /// written `written` bytes, to `len`. The peak is noted first: otherwise
    /// it would be read from the lowered length, and come down.
    pub(in crate::stack) fn truncate(&self, slot: NonNull<Header>, written: usize, len: usize) {
        // SAFETY: the slot is carved (invariant 1); its fields are read and
        // written through the raw pointer, with no reference held.
        unsafe {
            self.note_data_end((*slot.as_ptr()).start + written as u32);
            (*slot.as_ptr()).len = len;
        }
    }

    /// Frees what the dropped list holds, if anything: regions, and the heap
    /// memory of spilled buffers. The `Stack` calls it as it is dropped.
    #[inline]
    pub(in crate::stack) fn settle(&self) {
        if self.dropped.get().is_some() {
            self.settle_dropped();
        }
    }

    /// Frees the regions on the dropped list in the order their buffers
    /// were dropped, which gives the layout that freeing each at once would
    /// have: a region dropped after its neighbour finds it gone.
    #[inline(never)]
    pub(super) fn settle_dropped(&self) {
        let Some(newest) = self.dropped.take() else {
            return;
        };
        // One buffer dropped, as after a `write_buffer` that takes its
        // neighbour's region: nothing to put in order.
        let header = read_dropped(newest);
        if header.dropped_link().is_none() {
            self.free_dropped(newest, header);
            return;
        }

        // The list runs from the last dropped to the first: reverse it.
        let mut oldest_first = None;
        let mut newer = Some(newest);
        while let Some(slot) = newer {
            newer = read_dropped(slot).dropped_link();
            // SAFETY: as in `read_dropped`; one field is written through
            // the raw pointer, with no reference held.
            unsafe { (*slot.as_ptr()).link = dropped_link_to(oldest_first) };
            oldest_first = Some(slot);
        }

        // Now `link` leads to the one dropped after.
        while let Some(slot) = oldest_first {
            let header = read_dropped(slot);
            oldest_first = header.dropped_link();
            self.free_dropped(slot, header);
        }
    }

    /// Frees the dropped buffer of `slot`, whose header is `header`: its
    /// region, or what it holds on the heap when it spilled.
    #[inline]
    pub(super) fn free_dropped(&self, slot: NonNull<Header>, header: Header) {
        #[cfg(feature = "std")]
        if self.spills && header.is_spilled() {
            self.free_spilled(slot, header.cap);
            return;
        }
        self.free(self.slot_of(slot), header);
    }

    /// Takes region `index`, with this `header`, off the list and its slot
    /// back to the free list. Its bytes go to the region before it, or to the
    /// frontier when it is last, or to the gap when it is first. Its header's
    /// `len` is what its buffer wrote.
    pub(super) fn free(&self, index: u32, header: Header) {
        self.unlink(&header);
        self.set_next(index, self.free_slot.get());
        self.free_slot.set(index);
    }

    /// Takes region `header` off the list, its bytes going where `free`
    /// says; its slot is the caller's to reuse.
    pub(super) fn unlink(&self, header: &Header) {
        if header.next == NONE {
            self.note_data_end(header.written_end());
            self.last.set(header.prev);
            if header.prev != NONE {
                self.set_next(header.prev, NONE);
            }
        } else {
            self.unlink_inner(header);
        }

        let live = &self.counters.live_buffers;
        live.set(live.get() - 1);
    }

    /// Takes a region that is not last off the list: its bytes go to the
    /// region before it, or to the gap when it is first.
    pub(super) fn unlink_inner(&self, header: &Header) {
        self.set_prev(header.next, header.prev);
        if header.prev != NONE {
            let prev = self.load(header.prev);
            self.set_next(header.prev, header.next);
            self.set_cap(header.prev, prev.cap + header.cap);
        }
    }
}
