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
//! buffer into its parent stayed out of line, a call per leaf (the figures
//! are in `docs/optimizations.md`). Every other call that reads or changes the list
//! first settles the dropped list, freeing those regions in the order their
//! buffers were dropped, so everything above holds for what it reads (only
//! `stats` counts around it instead). `alloc` reuses a dropped lone region
//! directly, which is what musli's encoders do between two leaves.

use core::cell::Cell;
use core::mem;
use core::ptr::{self, NonNull};

use super::StackStats;
use super::policy::Overflow;

mod free;
mod grow;
mod header;
mod merge;
mod peaks;
mod place;
mod slots;
#[cfg(feature = "std")]
mod spill;

pub(in crate::stack) use self::header::{HEADER_SIZE, Header, NONE};
pub(in crate::stack) use self::merge::Merge;
pub(in crate::stack) use self::place::{FIRST_WINDOW, Placed};

use self::header::*;
use self::peaks::*;

pub(in crate::stack) struct Regions {
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
    /// computation keeps musli's `encode_pack` small enough to be inlined;
    /// computed there, it went out of line (`docs/optimizations.md`).
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

impl Regions {
    /// `base` must point to `len` bytes that stay valid and unused by anyone
    /// else for as long as the `Regions` lives, aligned to 8 when `len > 0`.
    /// `spills` chooses the overflow policy; it can only be `true` where
    /// the heap is there (the `std` feature).
    pub(in crate::stack) fn new(base: NonNull<u8>, len: u32, spills: bool) -> Self {
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
    /// line, to carve the same slot: that is paid on every new `Stack`,
    /// once per message of `messages`. The counters take it as a buffer
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
    pub(in crate::stack) fn spills(&self) -> bool {
        self.spills
    }

    pub(in crate::stack) fn slice_len(&self) -> usize {
        self.slice_len as usize
    }
}
