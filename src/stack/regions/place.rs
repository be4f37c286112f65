//! Placing regions: `alloc`, and the capacity a new region gets.

use super::*;

/// A region just placed by [`Regions::alloc`]: empty, its bytes starting at
/// `data`.
pub(in crate::stack) struct Placed {
    pub(in crate::stack) header: NonNull<Header>,
    pub(in crate::stack) data: NonNull<u8>,
}

/// The capacity a region is placed with, room allowing. musli's default mode
/// takes one short-lived buffer per leaf value, and the largest leaf of every
/// dataset here fits many times over, so leaves never take the slow path. In
/// packed mode a `messages` encode is one buffer of the whole message, and
/// most messages fit this window, where a smaller one sent about half of
/// them down the slow path (`docs/optimizations.md`, "first window"; the
/// `sizes` command gives the messages' sizes). A larger window costs nothing
/// to encoders that hold one buffer at a time, whose region grows in place
/// anyway; buffers alive side by side may each keep up to a window they do
/// not fill.
pub(in crate::stack) const FIRST_WINDOW: u32 = 1024;

impl Regions {
    /// The header of a region placed last, at `start` after `prev`.
    #[inline]
    pub(super) fn region_at_end(&self, start: u32, len: usize, cap: u32, prev: u32) -> Header {
        Header {
            link: (self as *const Self).cast(),
            start,
            len,
            cap: cap as usize,
            prev,
            next: NONE,
        }
    }

    /// The capacity of a new region at `start`: [`FIRST_WINDOW`], or half
    /// the room left when that is less, so that a small slice still has room
    /// for another buffer after it.
    pub(super) fn first_window(&self, start: u32) -> u32 {
        FIRST_WINDOW.min((self.headers_low() - start) / 2)
    }

    /// The capacity to give a region at `start` that must hold `needed`
    /// bytes and is, or becomes, the last one: twice `needed`, at least
    /// [`FIRST_WINDOW`], but not past the headers. `None` when `needed`
    /// itself does not fit.
    ///
    /// Why a bounded window and not everything up to the headers: a buffer
    /// that writes within its capacity does not store its length in the
    /// header (invariant 4), so a region placed after it cannot start right
    /// after its bytes, only after its capacity. Doubling keeps the slow
    /// path to a few calls for a growing buffer, and bounds the bytes moved
    /// by buffers that outgrow their windows in turn.
    pub(super) fn window(&self, start: u32, needed: u32) -> Option<u32> {
        let room = self.headers_low() - start;
        (needed <= room).then(|| needed.saturating_mul(2).max(FIRST_WINDOW).min(room))
    }

    /// Carves one more header slot from the data's ceiling and returns it,
    /// data reaching `data_end` at that moment. The caller has checked that
    /// the bytes are free.
    pub(super) fn carve_slot(&self, data_end: u32) -> u32 {
        let used = self.max_data_end.get().max(data_end) + self.header_bytes();
        if used > self.max_used_before_carve.get() {
            self.max_used_before_carve.set(used);
        }
        self.max_data_end.set(0);

        let index = self.headers_low() - HEADER_SIZE as u32;
        self.headers_low.set(index);
        self.window_at_start.set(self.first_window(0));
        index
    }

    /// Places a new, empty region after the last one. Under the spilling
    /// policy `P` (whose `Stack` built this list with `spills` set) it
    /// never returns `None`: what the slice cannot hold goes to the heap.
    #[inline]
    pub(in crate::stack) fn alloc<P: Overflow>(&self) -> Option<Placed> {
        // What musli's encoders do nearly every time: the buffer dropped
        // last was the only one and started the slice. Its region is
        // settled and handed out again in one step, with the same slot. A
        // new `Stack`'s first allocation comes here too (see
        // `start_with_a_dropped_region`).
        if let Some(slot) = self.dropped.get() {
            // SAFETY: a dropped buffer's header is a carved slot's (invariant
            // 1) or a spilled buffer's own on the heap, initialised either
            // way; the fields are read and written through the raw pointer,
            // with no reference held. `start` and `next` are neighbours
            // (asserted at `Header`), so the eight bytes from `start` are
            // the two of them, read as one unaligned word: one compare.
            let (start_and_next, len, dropped_before) = unsafe {
                let header = slot.as_ptr();
                (
                    ptr::addr_of!((*header).start)
                        .cast::<u64>()
                        .read_unaligned(),
                    (*header).len,
                    (*header).link,
                )
            };
            // Starting the slice, it is the first region (invariant 2: no
            // region lies before offset 0), so it has none before it; with
            // none after it either, it is the only region, so the only
            // region dropped, too (dropped regions stay on the list until
            // they are settled). A spilled buffer's header never matches:
            // its `start` is `SPILLED`. Every instruction here counts
            // against inlining musli's `encode_pack`, which this is part of.
            if start_and_next == LONE_AT_START {
                // As `free` would note it, the region being last.
                self.note_data_end(len as u32);
                // Under the spilling policy, buffers dropped before it may
                // still be on the list: spilled ones, which are not regions.
                // They stay there, to be freed when it is next settled.
                // Under the refusing policy it was the only one dropped.
                if P::SPILLS {
                    self.dropped
                        .set(NonNull::new(dropped_before.cast_mut().cast()));
                } else {
                    self.dropped.set(None);
                }
                // Its start and links are already those of a lone region.
                // SAFETY: as above.
                unsafe {
                    let header = slot.as_ptr();
                    (*header).link = (self as *const Self).cast();
                    (*header).len = 0;
                    (*header).cap = self.window_at_start.get() as usize;
                }
                // One buffer went and one came: the live count stays.
                add(&self.counters.allocations, 1);
                return Some(Placed {
                    header: slot,
                    data: self.base,
                });
            }
        }

        // Its own slow path, which never fails and returns the whole
        // `Placed` (two registers): with the refusing path's tail and a
        // fallback to the heap after it, musli's `encode_pack` grew too
        // large to be inlined.
        #[cfg(feature = "std")]
        if P::SPILLS {
            return Some(self.alloc_slow_spilling());
        }

        let header = self.alloc_slow()?;
        // SAFETY: the slot was just carved or reused and written whole.
        let start = unsafe { (*header.as_ptr()).start };
        Some(Placed {
            header,
            data: self.data(start),
        })
    }

    /// Every other allocation, out of line so that the path above stays
    /// small where it is inlined. It returns the header alone, one word:
    /// returning a whole `Placed` from here cost more instructions on every
    /// encode that takes it.
    #[inline(never)]
    pub(super) fn alloc_slow(&self) -> Option<NonNull<Header>> {
        self.settle();
        let index = self.alloc_after_last(self.free_slot.get())?;
        Some(self.slot(index))
    }

    /// Places a region after the last one, in slot `reused` if that is not
    /// `NONE` (the head of the free list), else in a newly carved one.
    pub(super) fn alloc_after_last(&self, reused: u32) -> Option<u32> {
        let header_cost = if reused == NONE {
            HEADER_SIZE as u32
        } else {
            0
        };

        // After the last region's whole capacity: its buffer may have
        // written up to there without saying so (invariant 4).
        let last = self.last.get();
        let start = if last == NONE {
            0
        } else {
            self.load(last).end()
        };

        // Room for the new region (which may be empty) and its header.
        if self.headers_low() - start < header_cost {
            // A spilling `Stack` places the buffer on the heap instead, and
            // counts it as a spill.
            if !self.spills {
                add(&self.counters.failed_allocations, 1);
            }
            return None;
        }

        let index = if reused == NONE {
            self.carve_slot(start)
        } else {
            self.free_slot.set(self.load(reused).next);
            reused
        };

        if last != NONE {
            self.set_next(last, index);
        }

        let cap = self.first_window(start);
        self.store(index, self.region_at_end(start, 0, cap, last));
        self.last.set(index);

        self.note_data_end(start);
        self.count_allocation();
        Some(index)
    }
}
