//! The region list: where every buffer's bytes live, and how that changes.
//!
//! # Invariants
//!
//! These hold between any two calls into this module; every function that
//! changes the list restores them before it returns.
//!
//! 1. A slot is named by the offset of its header from the start of the
//!    slice. The carved slots are `headers_low`, `headers_low + HEADER_SIZE`,
//!    and so on below `headers_end`, and were initialised when they were
//!    carved. A slot is on the region list, on the free list, or held by a
//!    buffer that spilled to the heap (see `spill`), and in one place only.
//! 2. The region list, followed through `prev` from `last`, is in descending
//!    address order, and the regions tile the bytes from the first region's
//!    `start` to the last region's end without holes or overlap: a region
//!    that is not last ends (`start + cap`) where its `next` starts.
//! 3. The last region ends at or below `headers_low`. The bytes between are
//!    the frontier: free, and where new regions are placed.
//! 4. The header's `len` is at most the buffer's own count of bytes written,
//!    which is at most `cap`; the first that many bytes of the region were
//!    written by the buffer. The buffer keeps its count to itself while it
//!    writes within its capacity and stores it in the header before every
//!    other call into this module but `release` and `truncate`, which are
//!    handed the count, so here the header's `len` is exact for the region
//!    of the buffer making the call and for those of dropped buffers, and a
//!    lower bound for the rest. Nothing here reads another live region's
//!    `len` as more than that: regions are placed after the last region's
//!    whole capacity, never after its length. No call shrinks a live
//!    region's `cap` (only its own buffer's calls and the merging of a freed
//!    neighbour change it, and only upward), so the buffer's count stays
//!    within it.
//! 5. Every region on the list belongs to exactly one live `StackBuf`,
//!    or to one that was dropped and is on the dropped list (see below).
//!
//! # Dropped buffers
//!
//! Dropping a buffer does not free its region: [`Regions::release`] only
//! stores the buffer's length in the header and puts the slot on the dropped
//! list, a few instructions with no branch. musli drops a leaf's buffer on
//! its error and unwinding paths too, in code the compiler inlines only if
//! it is small: with a full `free` there, the function that copies a leaf's
//! buffer into its parent stayed out of line, at a cost of about 40
//! instructions per leaf. Every other call that reads or changes the list
//! first settles the dropped list, freeing those regions in the order their
//! buffers were dropped, so everything above holds for what it reads (only
//! `stats` counts around it instead). `alloc` reuses a dropped lone region
//! directly, which is what musli's encoders do between two leaves.

use core::cell::Cell;
use core::mem;
use core::ptr::{self, NonNull};

use super::StackStats;
use super::policy::Overflow;

#[cfg(feature = "std")]
mod spill;

/// One region's bookkeeping, stored in the slice itself.
///
/// Offsets are 32 bits to keep the header small; `Stack::try_new` refuses
/// longer slices. `len` and `cap` are `usize` all the same (they never exceed
/// the slice either): the write path indexes and compares with them, and a
/// 32-bit length costs one more instruction per byte of musli's varints to
/// widen it. Aligned to 8 so that on 32-bit targets too every slot is.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(8))]
pub(super) struct Header {
    /// While the region's buffer lives, the `Regions` this header belongs
    /// to, so that a buffer needs only its header pointer to reach them
    /// (written with the rest at every allocation: the `Stack` may have moved
    /// while no buffer was alive). Once the buffer is dropped, the header
    /// dropped before it, or null: the link of the dropped list. Untyped
    /// because it is one or the other; read it through `regions` or
    /// `dropped_link`.
    pub(super) link: *const (),
    /// Bytes written, as of the buffer's last call into the `Regions`; see
    /// invariant 4.
    pub(super) len: usize,
    /// Bytes the region owns; see invariants 2 and 3.
    pub(super) cap: usize,
    /// Offset of the region's first byte from the start of the slice.
    pub(super) start: u32,
    /// Slot of the region before this one, or `NONE`.
    pub(super) prev: u32,
    /// Slot of the region after this one, or `NONE`; on the free list, the
    /// next free slot.
    pub(super) next: u32,
}

/// Bytes per header (40 on 64-bit targets). A multiple of 8, so every slot
/// stays aligned.
pub(super) const HEADER_SIZE: usize = mem::size_of::<Header>();

const _: () = assert!(HEADER_SIZE.is_multiple_of(8) && mem::align_of::<Header>() <= 8);

// `alloc` reads `prev` and `next` as one word.
const _: () = assert!(mem::offset_of!(Header, next) == mem::offset_of!(Header, prev) + 4);

impl Header {
    /// The `Regions` of a live buffer's header.
    pub(super) fn regions(&self) -> *const Regions {
        self.link.cast()
    }

    /// The next header on the dropped list, of a dropped buffer's header:
    /// the one dropped before it (after it, while `settle_dropped` runs).
    fn dropped_link(&self) -> Option<NonNull<Header>> {
        NonNull::new(self.link.cast_mut().cast())
    }

    /// The written bytes' length as an offset: it fits in 32 bits, as every
    /// offset in the slice does, since `len <= cap` (invariant 4).
    fn len32(&self) -> u32 {
        self.len as u32
    }

    /// The capacity as an offset; see `len32`.
    fn cap32(&self) -> u32 {
        self.cap as u32
    }

    /// The offset where the written bytes end.
    fn written_end(&self) -> u32 {
        self.start + self.len32()
    }

    /// The offset where the region ends, past its capacity.
    fn end(&self) -> u32 {
        self.start + self.cap32()
    }
}

/// The `link` of a dropped header whose next on the dropped list is `next`.
/// Always inlined: `release` must stay a few instructions.
#[inline(always)]
fn dropped_link_to(next: Option<NonNull<Header>>) -> *const () {
    next.map_or(ptr::null(), |header| header.as_ptr().cast_const().cast())
}

/// The header of a dropped buffer: a carved slot's, or a spilled buffer's
/// on the heap, initialised either way.
#[inline]
fn read_dropped(slot: NonNull<Header>) -> Header {
    // SAFETY: headers on the dropped list belong to dropped buffers; their
    // slots were carved (invariant 1) or, for a spilled buffer without one,
    // allocated whole on the heap, and are freed only by `free_dropped`
    // after this read. Aligned either way, and no reference is held.
    unsafe { slot.read() }
}

/// A region just placed by [`Regions::alloc`]: empty, its bytes starting at
/// `data`.
pub(super) struct Placed {
    pub(super) header: NonNull<Header>,
    pub(super) data: NonNull<u8>,
}

/// The capacity a region is placed with, room allowing. musli's default mode
/// takes one short-lived buffer per leaf value, and the largest leaf of every
/// dataset here fits many times over, so leaves never take the slow path. In
/// packed mode a `messages` encode is one buffer of the whole message (the
/// `sizes` command gives p50 304 bytes, p90 824 with the header): with 256
/// the slow path ran 515 times per 1,000 messages, with 1024 49 times
/// (callgrind's call counts; see the README's first-window paragraph). A
/// larger window costs nothing to encoders that hold one buffer at a time,
/// whose region grows in place anyway; buffers alive side by side may each
/// keep up to a window they do not fill.
pub(super) const FIRST_WINDOW: u32 = 1024;

/// The "no slot" marker. No header starts at it: a slice has at most
/// `u32::MAX` bytes, and a header takes `HEADER_SIZE` of them.
pub(super) const NONE: u32 = u32::MAX;

/// `prev` and `next` read as one word (see `alloc`) when both are `NONE`:
/// the same on either byte order, since the two halves are equal.
const NO_NEIGHBOURS: u64 = ((NONE as u64) << 32) | NONE as u64;

pub(super) struct Regions {
    /// Start of the slice; 8-aligned unless the slice is empty. Valid for
    /// reads and writes of `headers_end` bytes for the `Stack`'s lifetime.
    base: NonNull<u8>,
    slice_len: u32,
    /// The slice length rounded down to 8: where the header slots begin.
    headers_end: u32,
    /// Where the lowest header slot begins, the ceiling of the data. Slots
    /// carved are never given back to the data.
    headers_low: Cell<u32>,
    /// `first_window(0)`, the capacity of a region placed at the start of
    /// the slice, kept up to date as slots are carved: `alloc` gives it on
    /// every reuse of a lone region, and one load there instead of the
    /// computation keeps musli's `encode_pack` small enough to be inlined
    /// (computed, it went out of line: callgrind, 23.00M against 21.89M
    /// instructions per mesh/wire/default encode).
    window_at_start: Cell<u32>,
    /// First slot of the free list, or `NONE`.
    free_slot: Cell<u32>,
    /// The header of the buffer dropped last: the head of the dropped list,
    /// linked through `link` back to the first one dropped since the list
    /// was last settled.
    dropped: Cell<Option<NonNull<Header>>>,
    /// The last region, or `NONE` when no buffer is alive.
    last: Cell<u32>,
    /// The most bytes the data and headers covered together at any moment
    /// before the lowest header slot was carved.
    max_used_before_carve: Cell<u32>,
    /// The furthest the data reached since then, up to the last allocation,
    /// free or move: the peak is this plus the header bytes, which have not
    /// changed since. Kept apart so that noting a data end is one compare.
    max_data_end: Cell<u32>,
    /// Whether a buffer that finds no room moves to the heap (a
    /// `SpillStack`) rather than being refused. Read on the slow paths only.
    spills: bool,
    counters: Counters,
}

/// What `StackStats` reports, each in its own cell so that an update is one
/// add and store, on the slow paths only.
#[derive(Default)]
struct Counters {
    allocations: Cell<u64>,
    failed_allocations: Cell<u64>,
    moves: Cell<u64>,
    bytes_moved: Cell<u64>,
    merges: Cell<u64>,
    /// Regions on the list, dropped ones included until they are settled.
    live_buffers: Cell<u32>,
    max_live_buffers: Cell<u32>,
    /// Buffers moved to the heap, or placed there for want of a header.
    spills: Cell<u64>,
    /// Bytes copied out of the slice by those moves.
    spilled_bytes: Cell<u64>,
    /// Buffers on the heap now. Not in `live_buffers`, which counts regions.
    live_spilled: Cell<u32>,
    /// Heap bytes held now for spilled buffers: their data and the headers
    /// allocated there.
    #[cfg(feature = "std")]
    heap_bytes: Cell<usize>,
    max_heap_bytes: Cell<usize>,
}

fn add(cell: &Cell<u64>, amount: u64) {
    cell.set(cell.get() + amount);
}

impl Regions {
    /// `base` must point to `len` bytes that stay valid and unused by anyone
    /// else for as long as the `Regions` lives, aligned to 8 when `len > 0`.
    /// `spills` chooses the overflow policy; it can only be `true` where
    /// the heap is there (the `std` feature).
    pub(super) fn new(base: NonNull<u8>, len: u32, spills: bool) -> Self {
        let regions = Self {
            base,
            slice_len: len,
            headers_end: len & !7,
            headers_low: Cell::new(len & !7),
            window_at_start: Cell::new(FIRST_WINDOW.min((len & !7) / 2)),
            free_slot: Cell::new(NONE),
            dropped: Cell::new(None),
            last: Cell::new(NONE),
            max_used_before_carve: Cell::new(0),
            max_data_end: Cell::new(0),
            spills: cfg!(feature = "std") && spills,
            counters: Counters::default(),
        };
        if regions.headers_end >= HEADER_SIZE as u32 {
            regions.start_with_a_dropped_region();
        }
        regions
    }

    /// Carves the first slot for an empty region at the start of the slice
    /// and puts it on the dropped list, as if a buffer had been taken and
    /// dropped: the first `alloc` then hands it out on the inlined path of
    /// the lone region, where it would have taken the general one, out of
    /// line, to carve the same slot (68 instructions per `messages`
    /// message, each on a new `Stack`). The counters take it as a buffer
    /// alive and then dropped, the one way their sums stay right after
    /// that `alloc`, which counts one buffer going and one coming; `stats`
    /// and `high_water_bytes` report nothing of it until then.
    fn start_with_a_dropped_region(&self) {
        let index = self.carve_slot(0);
        let mut header = self.region_at_end(0, 0, 0, NONE);
        header.link = dropped_link_to(None);
        self.store(index, header);
        self.last.set(index);
        self.dropped.set(Some(self.slot(index)));
        self.counters.live_buffers.set(1);
        self.counters.max_live_buffers.set(1);
    }

    /// Whether this is a spilling `Stack`'s list.
    #[cfg(feature = "std")]
    #[inline]
    pub(super) fn spills(&self) -> bool {
        self.spills
    }

    pub(super) fn slice_len(&self) -> usize {
        self.slice_len as usize
    }

    /// Where the lowest header slot begins: the ceiling of the data.
    fn headers_low(&self) -> u32 {
        self.headers_low.get()
    }

    /// The header of slot `index`, which must be a carved slot.
    #[inline]
    pub(super) fn slot(&self, index: u32) -> NonNull<Header> {
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
    pub(super) fn slot_of(&self, header: NonNull<Header>) -> u32 {
        let index = (header.as_ptr() as usize - self.base.as_ptr() as usize) as u32;
        debug_assert_eq!(self.slot(index), header);
        index
    }

    #[inline]
    fn load(&self, index: u32) -> Header {
        // SAFETY: the slot is carved (invariant 1), so it is in bounds and
        // initialised; it is aligned to 8 because `base` is, `headers_end` is
        // a multiple of 8 and so is `HEADER_SIZE`. Nothing holds a reference
        // to a header: `StackBuf` keeps a raw pointer only.
        unsafe { self.slot(index).read() }
    }

    #[inline]
    fn store(&self, index: u32, header: Header) {
        // SAFETY: as in `load`; writing a whole `Header` leaves the slot
        // initialised.
        unsafe { self.slot(index).write(header) }
    }

    // The setters below change one field of a header where `store` would
    // write all five words back: the list's updates touch a field or two of
    // each neighbour.

    /// Sets the `next` of slot `index`, which must be carved.
    #[inline]
    fn set_next(&self, index: u32, next: u32) {
        // SAFETY: as in `load`; one field of the initialised slot is written
        // through the raw pointer, with no reference held.
        unsafe { (*self.slot(index).as_ptr()).next = next }
    }

    /// Sets the `prev` of slot `index`, which must be carved.
    #[inline]
    fn set_prev(&self, index: u32, prev: u32) {
        // SAFETY: as in `set_next`.
        unsafe { (*self.slot(index).as_ptr()).prev = prev }
    }

    /// Sets the `cap` of slot `index`, which must be carved.
    #[inline]
    fn set_cap(&self, index: u32, cap: usize) {
        // SAFETY: as in `set_next`.
        unsafe { (*self.slot(index).as_ptr()).cap = cap }
    }

    /// Sets the `len` of slot `index`, which must be carved.
    #[inline]
    fn set_len(&self, index: u32, len: usize) {
        // SAFETY: as in `set_next`.
        unsafe { (*self.slot(index).as_ptr()).len = len }
    }

    /// A pointer to byte `offset` of the slice, which must be at most
    /// `headers_end`.
    pub(super) fn data(&self, offset: u32) -> NonNull<u8> {
        debug_assert!(offset <= self.headers_end);
        // SAFETY: `offset <= headers_end <= slice_len`, so the pointer stays
        // within (or one past) the slice.
        unsafe { self.base.add(offset as usize) }
    }

    /// The bytes the headers take now.
    fn header_bytes(&self) -> u32 {
        self.headers_end - self.headers_low()
    }

    /// The header of a region placed last, at `start` after `prev`.
    #[inline]
    fn region_at_end(&self, start: u32, len: usize, cap: u32, prev: u32) -> Header {
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
    fn first_window(&self, start: u32) -> u32 {
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
    fn window(&self, start: u32, needed: u32) -> Option<u32> {
        let room = self.headers_low() - start;
        (needed <= room).then(|| needed.saturating_mul(2).max(FIRST_WINDOW).min(room))
    }

    /// Records that data reaches `data_end` while the headers take what they
    /// take now. Called with the start of every region placed at the end,
    /// which lies past every byte of the regions before it, and with the end
    /// of the last region's bytes when it is freed: between those moments
    /// only the last region's length grows, so no peak is missed (`stats`
    /// adds the live last region's length as its header has it).
    #[inline]
    fn note_data_end(&self, data_end: u32) {
        self.max_data_end.set(self.max_data_end.get().max(data_end));
    }

    /// Carves one more header slot from the data's ceiling and returns it,
    /// data reaching `data_end` at that moment. The caller has checked that
    /// the bytes are free.
    fn carve_slot(&self, data_end: u32) -> u32 {
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

    /// The counters, read without settling the dropped list, so that
    /// reading them changes nothing; the dropped are taken off the live
    /// count.
    pub(super) fn stats(&self) -> StackStats {
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
    pub(super) fn high_water_bytes(&self) -> usize {
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
    pub(super) fn frees(&self) -> u64 {
        // Wrapping: before the first allocation the region a new `Stack`
        // starts with counts as live, one more than were handed out.
        (self.counters.allocations.get()).wrapping_sub(u64::from(self.counters.live_buffers.get()))
    }

    /// How many buffers are on the dropped list.
    fn dropped_count(&self) -> u32 {
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

    fn count_allocation(&self) {
        let counters = &self.counters;
        add(&counters.allocations, 1);
        let live = counters.live_buffers.get() + 1;
        counters.live_buffers.set(live);
        self.note_live(live + counters.live_spilled.get());
    }

    /// Notes that `live` buffers are alive, in the slice and on the heap.
    fn note_live(&self, live: u32) {
        let max = &self.counters.max_live_buffers;
        if live > max.get() {
            max.set(live);
        }
    }

    /// Places a new, empty region after the last one. Under the spilling
    /// policy `P` (whose `Stack` built this list with `spills` set) it
    /// never returns `None`: what the slice cannot hold goes to the heap.
    #[inline]
    pub(super) fn alloc<P: Overflow>(&self) -> Option<Placed> {
        // What musli's encoders do nearly every time: the buffer dropped
        // last was the only one and started the slice. Its region is
        // settled and handed out again in one step, with the same slot. A
        // new `Stack`'s first allocation comes here too (see
        // `start_with_a_dropped_region`).
        if let Some(slot) = self.dropped.get() {
            // SAFETY: a dropped buffer's header is a carved slot's (invariant
            // 1) or a spilled buffer's own on the heap, initialised either
            // way; the fields are read and written through the raw pointer,
            // with no reference held. `prev` and `next` are neighbours
            // (asserted at `Header`), so the eight bytes from `prev` are the
            // two of them, read as one unaligned word: one compare instead
            // of four instructions.
            let (start, len, prev_and_next, dropped_before) = unsafe {
                let header = slot.as_ptr();
                (
                    (*header).start,
                    (*header).len,
                    ptr::addr_of!((*header).prev).cast::<u64>().read_unaligned(),
                    (*header).link,
                )
            };
            // No region before or after it (both links `NONE`): it is the
            // only region, so the only region dropped, too (dropped regions
            // stay on the list until they are settled). Every instruction
            // here counts against inlining musli's `encode_pack`, which
            // this is part of.
            if (start == 0) & (prev_and_next == NO_NEIGHBOURS) {
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
    /// returning a whole `Placed` from here cost more instructions per
    /// geo/wire/default encode (callgrind).
    #[inline(never)]
    fn alloc_slow(&self) -> Option<NonNull<Header>> {
        self.settle();
        let index = self.alloc_after_last(self.free_slot.get())?;
        Some(self.slot(index))
    }

    /// Places a region after the last one, in slot `reused` if that is not
    /// `NONE` (the head of the free list), else in a newly carved one.
    fn alloc_after_last(&self, reused: u32) -> Option<u32> {
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

    /// Gives back the region of `slot`, a live buffer's header, whose
    /// buffer wrote `len` bytes and is being dropped: puts it on the dropped
    /// list, for the next call to free (see the module's docs). Kept to a few
    /// stores, with no branch, on purpose.
    #[inline]
    pub(super) fn release(&self, slot: NonNull<Header>, len: usize) {
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
    pub(super) fn truncate(&self, slot: NonNull<Header>, written: usize, len: usize) {
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
    fn settle_dropped(&self) {
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
    fn free_dropped(&self, slot: NonNull<Header>, header: Header) {
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
    fn free(&self, index: u32, header: Header) {
        self.unlink(&header);
        self.set_next(index, self.free_slot.get());
        self.free_slot.set(index);
    }

    /// Takes region `header` off the list, its bytes going where `free`
    /// says; its slot is the caller's to reuse.
    fn unlink(&self, header: &Header) {
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
    fn unlink_inner(&self, header: &Header) {
        self.set_prev(header.next, header.prev);
        if header.prev != NONE {
            let prev = self.load(header.prev);
            self.set_next(header.prev, header.next);
            self.set_cap(header.prev, prev.cap + header.cap);
        }
    }

    /// Makes room for `additional` more bytes in region `index`: in place
    /// when it is last, else by moving it behind the last region. Returns
    /// `false`, having changed nothing, when the slice has no such room. The
    /// region's buffer has stored its length in the header.
    pub(super) fn reserve(&self, index: u32, additional: usize) -> bool {
        self.settle();
        let header = self.load(index);

        let Some(needed) = header
            .len
            .checked_add(additional)
            .and_then(|needed| u32::try_from(needed).ok())
        else {
            return false;
        };

        if needed as usize <= header.cap {
            return true;
        }

        if header.next == NONE {
            return self.grow_last(index, header, needed);
        }

        self.move_to_end(index, header, needed)
    }

    /// Grows the last region into the frontier.
    fn grow_last(&self, index: u32, mut header: Header, needed: u32) -> bool {
        let Some(cap) = self.window(header.start, needed) else {
            return false;
        };
        header.cap = cap as usize;
        self.store(index, header);
        true
    }

    fn move_to_end(&self, index: u32, header: Header, needed: u32) -> bool {
        let last = self.last.get();
        let start = self.load(last).end();
        let Some(cap) = self.window(start, needed) else {
            return false;
        };

        // The region is not last, so it has a `next`.
        self.unlink_inner(&header);

        self.set_next(last, index);

        // SAFETY: the source is the region's `len` written bytes (invariant
        // 4, exact since its buffer is the caller); the destination is
        // `[start, start + len)`, in the frontier (`len <= needed <= cap`,
        // checked by `window`), so the two do not overlap and no buffer owns
        // the destination.
        unsafe {
            ptr::copy_nonoverlapping(
                self.data(header.start).as_ptr(),
                self.data(start).as_ptr(),
                header.len,
            );
        }

        self.store(index, self.region_at_end(start, header.len, cap, last));
        self.last.set(index);

        self.note_data_end(start);
        if header.len > 0 {
            add(&self.counters.moves, 1);
            add(&self.counters.bytes_moved, header.len as u64);
        }

        true
    }

    /// The region after `index`, if the `len > 0` bytes at `ptr` are its
    /// first ones: live regions never overlap, so they are that region's.
    /// Returns its slot and start. Its header's `len` may trail its buffer's
    /// (invariant 4), so the bytes are checked against its capacity.
    pub(super) fn next_holding(
        &self,
        index: u32,
        ptr: *const u8,
        len: usize,
    ) -> Option<(u32, u32)> {
        self.settle();
        let next = self.load(index).next;
        if next == NONE || len == 0 {
            return None;
        }

        let header = self.load(next);
        let holds = len <= header.cap && ptr::eq(self.data(header.start).as_ptr(), ptr);
        holds.then_some((next, header.start))
    }

    /// After the buffer of region `slot` was dropped: if the `len` bytes it
    /// held at `from` now lie in the spare capacity of region `index` (its
    /// region was freed into `index`), appends them to `index`, without
    /// copying when they already follow its bytes, and returns `true`.
    pub(super) fn append_freed(&self, index: u32, from: u32, len: u32) -> bool {
        self.settle();
        let header = self.load(index);
        let to = header.written_end();
        // A freed last region's bytes went to the frontier; the region
        // before it, now last, takes them back.
        let end = if header.next == NONE {
            self.headers_low()
        } else {
            header.end()
        };
        let owned = to <= from && from + len <= end;
        if !owned {
            return false;
        }
        if from + len > header.end() {
            self.set_cap(index, (from + len - header.start) as usize);
        }

        if to == from {
            add(&self.counters.merges, 1);
        } else {
            // SAFETY: both ranges lie in the region's capacity past its
            // length, and the buffer that wrote the source was dropped, so no
            // other buffer owns or borrows either range. They may overlap,
            // which `copy` allows.
            unsafe {
                ptr::copy(
                    self.data(from).as_ptr(),
                    self.data(to).as_ptr(),
                    len as usize,
                )
            }
        }

        self.set_len(index, header.len + len as usize);
        true
    }

    /// If `slot` is still the region after `index`, starting at `from` with
    /// room for `len` bytes, a pointer to those bytes. They stay valid until
    /// that region's buffer writes, moves or drops.
    pub(super) fn still_next(
        &self,
        index: u32,
        slot: u32,
        from: u32,
        len: u32,
    ) -> Option<*const u8> {
        self.settle();
        if self.load(index).next != slot {
            return None;
        }

        let header = self.load(slot);
        (header.start == from && len as usize <= header.cap)
            .then(|| self.data(from).as_ptr().cast_const())
    }

    /// Every region's `(start, cap)` in address order, checking the
    /// invariants on the way. Lengths are left out: a live buffer's header
    /// may not have it yet (invariant 4).
    #[cfg(test)]
    pub(super) fn layout(&self) -> std::vec::Vec<(u32, u32)> {
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
