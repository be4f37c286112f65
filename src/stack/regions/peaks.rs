//! The counters `stats` reports, and the peak of the memory used.

use super::*;

/// What `StackStats` reports, each in its own cell so that an update is one
/// add and store, on the slow paths only.
#[derive(Default)]
pub(super) struct Counters {
    pub(super) allocations: Cell<u64>,
    pub(super) failed_allocations: Cell<u64>,
    pub(super) moves: Cell<u64>,
    pub(super) bytes_moved: Cell<u64>,
    pub(super) merges: Cell<u64>,
    /// Regions on the list, dropped ones included until they are settled.
    pub(super) live_buffers: Cell<u32>,
    pub(super) max_live_buffers: Cell<u32>,
    /// Buffers moved to the heap, or placed there for want of a header.
    pub(super) spills: Cell<u64>,
    /// Bytes copied out of the slice by those moves.
    pub(super) spilled_bytes: Cell<u64>,
    /// Buffers on the heap now. Not in `live_buffers`, which counts regions.
    pub(super) live_spilled: Cell<u32>,
    /// Heap bytes held now for spilled buffers: their data and the headers
    /// allocated there.
    #[cfg(feature = "std")]
    pub(super) heap_bytes: Cell<usize>,
    pub(super) max_heap_bytes: Cell<usize>,
}

pub(super) fn add(cell: &Cell<u64>, amount: u64) {
    cell.set(cell.get() + amount);
}

impl Regions {
    /// Records that data reaches `data_end` while the headers take what they
    /// take now. Called with the start of every region placed at the end,
    /// which lies past every byte of the regions before it, and with the end
    /// of the last region's bytes when it is freed: between those moments
    /// only the last region's length grows, so no peak is missed (`stats`
    /// adds the live last region's length as its header has it).
    ///
    /// A branch, not a `max`: the peak rarely moves, and a store only when
    /// it does is one instruction fewer on `alloc`'s path of the lone region.
    #[inline]
    pub(super) fn note_data_end(&self, data_end: u32) {
        if data_end > self.max_data_end.get() {
            self.max_data_end.set(data_end);
        }
    }

    /// The counters, read without settling the dropped list, so that
    /// reading them changes nothing; the dropped are taken off the live
    /// count.
    pub(in crate::stack) fn stats(&self) -> StackStats {
        let counters = &self.counters;

        StackStats {
            allocations: counters.allocations.get(),
            failed_allocations: counters.failed_allocations.get(),
            moves: counters.moves.get(),
            bytes_moved: counters.bytes_moved.get(),
            merges: counters.merges.get(),
            // The dropped list holds regions and spilled buffers alike.
            live_buffers: (counters.live_buffers.get() + counters.live_spilled.get()
                - self.dropped_count()) as usize,
            // No more than were handed out: the region a new `Stack` starts
            // with counts as live until the first allocation takes it.
            max_live_buffers: (u64::from(counters.max_live_buffers.get())
                .min(counters.allocations.get())) as usize,
            high_water_bytes: self.high_water_bytes(),
            spills: counters.spills.get(),
            spilled_bytes: counters.spilled_bytes.get(),
            max_heap_bytes: counters.max_heap_bytes.get(),
        }
    }

    /// The most bytes of the slice in use at once, data and headers: a
    /// harness reads it after every encode, so it is a few loads. A dropped
    /// last region's header has its buffer's final length, so the peak comes
    /// out as after settling the dropped list.
    pub(in crate::stack) fn high_water_bytes(&self) -> usize {
        // Before the first allocation only the header of the region a new
        // `Stack` starts with is carved, for no buffer yet.
        if self.counters.allocations.get() == 0 {
            return 0;
        }
        let data_end = match self.last.get() {
            NONE => 0,
            last => self.load(last).written_end(),
        };
        self.max_used_before_carve
            .get()
            .max(self.max_data_end.get().max(data_end) + self.header_bytes()) as usize
    }

    /// How many regions were freed so far, a lone region taken again by
    /// `alloc` counting as freed: every other allocation adds one live
    /// buffer and every free takes one off. While it stays the same, no
    /// region's bytes went to another one.
    pub(in crate::stack) fn frees(&self) -> u64 {
        // Wrapping: before the first allocation the region a new `Stack`
        // starts with counts as live, one more than were handed out.
        (self.counters.allocations.get()).wrapping_sub(u64::from(self.counters.live_buffers.get()))
    }

    /// How many buffers are on the dropped list.
    pub(super) fn dropped_count(&self) -> u32 {
        let mut count = 0;
        let mut dropped = self.dropped.get();
        while let Some(slot) = dropped {
            count += 1;
            // SAFETY: a dropped buffer's header is a carved slot's, so in
            // bounds, aligned and initialised (invariant 1).
            dropped = unsafe { slot.read() }.dropped_link();
        }
        count
    }

    pub(super) fn count_allocation(&self) {
        let counters = &self.counters;
        add(&counters.allocations, 1);
        let live = counters.live_buffers.get() + 1;
        counters.live_buffers.set(live);
        self.note_live(live + counters.live_spilled.get());
    }

    /// Notes that `live` buffers are alive, in the slice and on the heap.
    pub(super) fn note_live(&self, live: u32) {
        let max = &self.counters.max_live_buffers;
        if live > max.get() {
            max.set(live);
        }
    }
}
