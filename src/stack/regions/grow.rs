//! Growing a region: in place when it is last, else by moving it to the
//! end.

use super::*;

impl Regions {
    /// Makes room for `additional` more bytes in region `index`: in place
    /// when it is last, else by moving it behind the last region. Returns
    /// `false`, having changed nothing, when the slice has no such room. The
    /// region's buffer has stored its length in the header.
    pub(in crate::stack) fn reserve(&self, index: u32, additional: usize) -> bool {
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
    pub(super) fn grow_last(&self, index: u32, mut header: Header, needed: u32) -> bool {
        let Some(cap) = self.window(header.start, needed) else {
            return false;
        };
        header.cap = cap as usize;
        self.store(index, header);
        true
    }

    pub(super) fn move_to_end(&self, index: u32, header: Header, needed: u32) -> bool {
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
}
