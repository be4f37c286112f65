//! Buffers that left the slice for the heap: the spilling policy's slow
//! paths.
//!
//! A spilled buffer keeps a header, so that its `StackBuf` stays the same
//! three words and its writes the same instructions: the fast path compares
//! with the header's `cap` and copies to `data` whether these are in the
//! slice or on the heap. Only the slow paths and the drop ask where they
//! are, by the header's `start`, which is [`SPILLED`] for a spilled buffer.
//!
//! * A buffer whose region cannot grow leaves its region to the list (its
//!   bytes go where a freed region's go) and keeps its slot: the slot is
//!   then neither on the region list nor on the free list, and goes back to
//!   the free list when the buffer is dropped.
//! * A buffer for which the slice has no header gets one on the heap.
//!
//! The heap data of a spilled header is addressed by its `next` and `prev`
//! fields, read as one pointer: a spilled region is on no list, so it has
//! no neighbours to link. Its capacity doubles as it grows, as a vector's.

use core::alloc::Layout;
use core::ptr::{self, NonNull};

use std::alloc::{alloc, dealloc, handle_alloc_error, realloc};
use std::boxed::Box;

use super::{HEADER_SIZE, Header, NONE, Placed, Regions, add};

/// The `start` of a spilled buffer's header. No region starts there: every
/// region starts below the headers, which end at most at `u32::MAX & !7`.
pub(in crate::stack) const SPILLED: u32 = u32::MAX;

/// The least capacity a buffer gets on the heap, so that a buffer placed
/// there empty does not reallocate for each of its first few bytes.
const MIN_HEAP_CAPACITY: usize = 64;

// A heap pointer fits in `next` and `prev`, which are adjacent (asserted at
// `Header`).
const _: () = assert!(size_of::<*mut u8>() <= 2 * size_of::<u32>());

impl Header {
    /// Whether this header's buffer lives on the heap.
    pub(in crate::stack) fn is_spilled(&self) -> bool {
        self.start == SPILLED
    }
}

/// The heap data of spilled header `header`: dangling while its `cap` is 0.
fn heap_data(header: NonNull<Header>) -> NonNull<u8> {
    // SAFETY: `header` is a spilled header (initialised, aligned, no
    // reference held to it), whose `next` and `prev` hold a pointer written
    // by `set_heap_data`; being adjacent, they are the eight bytes read.
    unsafe {
        ptr::addr_of!((*header.as_ptr()).next)
            .cast::<NonNull<u8>>()
            .read_unaligned()
    }
}

/// Makes `data` the heap data of spilled header `header`.
fn set_heap_data(header: NonNull<Header>, data: NonNull<u8>) {
    // SAFETY: as in `heap_data`; the write covers `next` and `prev` only.
    unsafe {
        ptr::addr_of_mut!((*header.as_ptr()).next)
            .cast::<NonNull<u8>>()
            .write_unaligned(data)
    }
}

/// Twice the old capacity, at least what is needed and at least
/// [`MIN_HEAP_CAPACITY`]. Aborts, as a vector does, past what a layout can
/// describe.
fn grown(cap: usize, needed: usize) -> usize {
    let cap = cap.saturating_mul(2).max(needed).max(MIN_HEAP_CAPACITY);
    if cap > isize::MAX as usize {
        capacity_overflow();
    }
    cap
}

#[cold]
fn capacity_overflow() -> ! {
    panic!("a SpillStack buffer cannot grow past isize::MAX bytes")
}

fn bytes(cap: usize) -> Layout {
    Layout::array::<u8>(cap).unwrap_or_else(|_| capacity_overflow())
}

/// `cap` bytes from the global allocator; aborts if it has none.
fn allocate(cap: usize) -> NonNull<u8> {
    let layout = bytes(cap);
    // SAFETY: `grown` never returns 0, so the layout has a non-zero size.
    let data = unsafe { alloc(layout) };
    NonNull::new(data).unwrap_or_else(|| handle_alloc_error(layout))
}

impl Regions {
    /// Whether any spilled buffer is alive or waits on the dropped list:
    /// one load, for the `Stack`'s drop.
    pub(in crate::stack) fn holds_heap_memory(&self) -> bool {
        self.counters.live_spilled.get() > 0
    }

    /// Heap bytes held now for spilled buffers.
    #[cfg(test)]
    pub(in crate::stack) fn heap_bytes(&self) -> usize {
        self.counters.heap_bytes.get()
    }

    /// Whether `header` is one of this slice's slots (rather than a header
    /// on the heap).
    fn holds_slot(&self, header: NonNull<Header>) -> bool {
        let address = header.as_ptr() as usize;
        let base = self.base.as_ptr() as usize;
        (base + self.headers_low() as usize..base + self.headers_end as usize).contains(&address)
    }

    fn add_heap_bytes(&self, amount: usize) {
        let counters = &self.counters;
        let held = counters.heap_bytes.get() + amount;
        counters.heap_bytes.set(held);
        if held > counters.max_heap_bytes.get() {
            counters.max_heap_bytes.set(held);
        }
    }

    fn count_spill(&self, bytes: usize) {
        add(&self.counters.spills, 1);
        add(&self.counters.spilled_bytes, bytes as u64);
        let spilled = &self.counters.live_spilled;
        spilled.set(spilled.get() + 1);
    }

    /// Makes room for `additional` more bytes in the buffer of `header`,
    /// which has stored its length there, as `make_room` does, and returns
    /// where its bytes are now; on a spilling `Stack` this never fails:
    /// what cannot grow in the slice moves to the heap, and what is on the
    /// heap grows there.
    pub(in crate::stack) fn make_room_spilling(
        &self,
        header: NonNull<Header>,
        additional: usize,
    ) -> NonNull<u8> {
        // SAFETY: the header of a live buffer is initialised and aligned,
        // and no reference to it is held.
        let current = unsafe { header.read() };
        if current.is_spilled() {
            return self.grow_spilled(header, current, additional);
        }
        let index = self.slot_of(header);
        if self.reserve(index, additional) {
            return self.data(self.load(index).start);
        }
        self.spill(index, additional)
    }

    /// Moves the buffer of slot `index`, whose region cannot hold
    /// `additional` more bytes, to the heap. `reserve` has settled the
    /// dropped list and changed nothing.
    fn spill(&self, index: u32, additional: usize) -> NonNull<u8> {
        let header = self.load(index);
        let needed = header.len.saturating_add(additional);
        let cap = grown(header.cap, needed);
        let data = allocate(cap);
        // SAFETY: the source is the region's `len` written bytes (invariant
        // 4, exact since its buffer is the caller); the destination is a new
        // heap block of `cap >= len` bytes, so the two do not overlap.
        unsafe {
            ptr::copy_nonoverlapping(self.data(header.start).as_ptr(), data.as_ptr(), header.len)
        };

        self.unlink(&header);
        let slot = self.slot(index);
        self.store(
            index,
            Header {
                start: SPILLED,
                cap,
                ..header
            },
        );
        set_heap_data(slot, data);

        self.count_spill(header.len);
        if header.len > 0 {
            add(&self.counters.moves, 1);
            add(&self.counters.bytes_moved, header.len as u64);
        }
        self.add_heap_bytes(cap);
        data
    }

    /// Grows the heap data of spilled header `header`, now `current`, to
    /// hold `additional` more bytes.
    fn grow_spilled(
        &self,
        header: NonNull<Header>,
        current: Header,
        additional: usize,
    ) -> NonNull<u8> {
        let needed = current.len.saturating_add(additional);
        if needed <= current.cap {
            return heap_data(header);
        }
        let cap = grown(current.cap, needed);
        let data = if current.cap == 0 {
            allocate(cap)
        } else {
            let old = heap_data(header);
            // SAFETY: `old` was allocated by this module with the layout of
            // `current.cap` bytes and is still held by this buffer; `cap` is
            // non-zero and a valid layout's size (`grown` checked it).
            let data = unsafe { realloc(old.as_ptr(), bytes(current.cap), cap) };
            let data = NonNull::new(data).unwrap_or_else(|| handle_alloc_error(bytes(cap)));
            if data != old && current.len > 0 {
                add(&self.counters.moves, 1);
                add(&self.counters.bytes_moved, current.len as u64);
            }
            data
        };

        // SAFETY: as in `heap_data`; `cap` is written through the raw
        // pointer, with no reference held.
        unsafe { (*header.as_ptr()).cap = cap };
        set_heap_data(header, data);
        self.add_heap_bytes(cap - current.cap);
        data
    }

    /// Every allocation of a spilling `Stack` but the lone region's: as
    /// `alloc_slow`, and on the heap when the slice has no header to give.
    /// Cold: musli's encoders hold one buffer at a time and nearly always
    /// take the lone region's path, which then falls through without a jump
    /// around this call.
    #[cold]
    #[inline(never)]
    pub(super) fn alloc_slow_spilling(&self) -> Placed {
        self.settle();
        match self.alloc_after_last(self.free_slot.get()) {
            Some(index) => Placed {
                header: self.slot(index),
                data: self.data(self.load(index).start),
            },
            None => self.alloc_on_heap(),
        }
    }

    /// A buffer on the heap, for when the slice has no header to give: an
    /// empty spilled header of its own, with no data until it writes.
    #[cold]
    fn alloc_on_heap(&self) -> Placed {
        let header = NonNull::from(Box::leak(Box::new(Header {
            link: (self as *const Self).cast(),
            len: 0,
            cap: 0,
            start: SPILLED,
            prev: NONE,
            next: NONE,
        })));
        set_heap_data(header, NonNull::dangling());

        add(&self.counters.allocations, 1);
        self.count_spill(0);
        self.note_live(self.counters.live_buffers.get() + self.counters.live_spilled.get());
        self.add_heap_bytes(HEADER_SIZE);
        Placed {
            header,
            data: NonNull::dangling(),
        }
    }

    /// Gives back what a dropped spilled buffer held, `cap` bytes of heap
    /// data, and its header: to the free list when it is a slot of the
    /// slice, to the heap when it came from there. Called as the dropped
    /// list is settled, like the freeing of any dropped region, so that the
    /// drop itself stays the same few stores under both policies.
    pub(super) fn free_spilled(&self, header: NonNull<Header>, cap: usize) {
        if cap > 0 {
            // SAFETY: the data was allocated by this module with the layout
            // of `cap` bytes, and its buffer was dropped.
            unsafe { dealloc(heap_data(header).as_ptr(), bytes(cap)) };
        }
        let mut freed = cap;

        if self.holds_slot(header) {
            let index = self.slot_of(header);
            self.set_next(index, self.free_slot.get());
            self.free_slot.set(index);
        } else {
            // SAFETY: a spilled header outside the slice was made by
            // `alloc_on_heap` from a `Box`, its buffer was dropped, and it
            // was just taken off the dropped list: nothing uses it after
            // this.
            drop(unsafe { Box::from_raw(header.as_ptr()) });
            freed += HEADER_SIZE;
        }

        let counters = &self.counters;
        counters.heap_bytes.set(counters.heap_bytes.get() - freed);
        counters.live_spilled.set(counters.live_spilled.get() - 1);
    }
}
