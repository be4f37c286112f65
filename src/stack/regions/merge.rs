//! `write_buffer`: taking over the next region's bytes without copying
//! them, when the other buffer is that region.

use musli::Buf;

use super::*;

/// What [`Regions::write_buffer`] made of the other buffer.
pub(in crate::stack) enum Merge<B> {
    /// Its region was given to ours, and these bytes of it appended without
    /// a copy, or with one copy within our region.
    Appended(usize),
    /// It is not the next region: the caller copies its bytes as a write.
    NotNext(B),
    /// Its region is still next, but ours could not take it over: the
    /// caller writes these `len` bytes from its start, which stay valid
    /// until the next call into the `Regions`.
    CopyFrom {
        /// The first byte.
        bytes: *const u8,
        /// How many.
        len: usize,
    },
    /// `other`'s drop freed a region on the way, or its region is gone:
    /// nothing was written.
    Refused,
}

impl Regions {
    /// Every step of `write_buffer(other)` on the buffer of region `index`
    /// that concerns the list: whether `other` is the next region, dropping
    /// it, and taking its region over. The caller has stored its length in
    /// its header (invariant 4) and is not spilled.
    ///
    /// Dropping `other` frees the neighbour's region into ours if `other`
    /// owned it. Any other `Buf` that merely shows the same bytes leaves the
    /// region alive, and the bytes are copied instead. A `Buf` whose drop
    /// calls into this `Stack` and frees a region before ours could take
    /// the neighbour's is refused: another buffer may have been placed over
    /// the bytes `other` showed, and they can no longer be told apart from
    /// its own.
    pub(in crate::stack) fn write_buffer<B: Buf>(&self, index: u32, other: B) -> Merge<B> {
        let (ptr, len) = (other.as_slice().as_ptr(), other.len());
        let Some((next, from)) = self.next_holding(index, ptr, len) else {
            return Merge::NotNext(other);
        };

        let frees = self.frees();
        drop(other);
        if self.frees() != frees {
            return Merge::Refused;
        }
        let len = len as u32;

        if self.append_freed(index, from, len) {
            return Merge::Appended(len as usize);
        }
        match self.still_next(index, next, from, len) {
            Some(bytes) => Merge::CopyFrom {
                bytes,
                len: len as usize,
            },
            None => Merge::Refused,
        }
    }

    /// The region after `index`, if the `len > 0` bytes at `ptr` are its
    /// first ones: live regions never overlap, so they are that region's.
    /// Returns its slot and start. Its header's `len` may trail its buffer's
    /// (invariant 4), so the bytes are checked against its capacity.
    fn next_holding(&self, index: u32, ptr: *const u8, len: usize) -> Option<(u32, u32)> {
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
    fn append_freed(&self, index: u32, from: u32, len: u32) -> bool {
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
    fn still_next(&self, index: u32, slot: u32, from: u32, len: u32) -> Option<*const u8> {
        self.settle();
        if self.load(index).next != slot {
            return None;
        }

        let header = self.load(slot);
        (header.start == from && len as usize <= header.cap)
            .then(|| self.data(from).as_ptr().cast_const())
    }
}
