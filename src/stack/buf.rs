//! `StackBuf`: one buffer handed out by a `Stack`.

use core::fmt;
use core::ptr::{self, NonNull};
use core::slice;

use musli::Buf;
use musli::buf::Error;

use super::regions::{Header, Regions};

/// A buffer in a [`Stack`](crate::Stack), returned by its `alloc`.
///
/// Writes that fit the buffer's capacity are a bounds check and a copy. The
/// buffer allocated last grows in place until the slice is full; an earlier
/// buffer that outgrows its capacity moves behind the last one. Dropping the
/// buffer gives its bytes back to the `Stack`.
pub struct StackBuf<'a> {
    regions: &'a Regions,
    /// This buffer's header: the only one `regions` hands to this buffer,
    /// for as long as it lives (invariant 5 of the region list).
    header: NonNull<Header>,
    /// The first byte of this buffer's region: `start` of the header, as a
    /// pointer. Only this buffer moves its region (in `write_slow`), so it
    /// stays right between writes.
    data: *mut u8,
    slot: u32,
}

impl<'a> StackBuf<'a> {
    #[inline]
    pub(super) fn new(regions: &'a Regions, slot: u32) -> Self {
        let header = regions.slot(slot);
        let mut buf = Self {
            regions,
            header,
            data: core::ptr::null_mut(),
            slot,
        };
        buf.data = regions.data(buf.read_header().start);
        buf
    }

    /// The bytes this buffer can hold before it has to grow or move.
    pub fn capacity(&self) -> usize {
        self.read_header().cap as usize
    }

    #[inline]
    fn read_header(&self) -> Header {
        // SAFETY: `header` is this buffer's slot, carved and initialised
        // (invariant 1) and aligned; no reference to it exists elsewhere.
        unsafe { self.header.read() }
    }

    /// Forgets what was written after the first `len` bytes.
    fn truncate(&mut self, len: usize) {
        // SAFETY: as in `read_header`; the header is written through the
        // same raw pointer, with no reference held across the write.
        unsafe {
            let header = self.header.as_ptr();
            if len < (*header).len as usize {
                (*header).len = len as u32;
            }
        }
    }

    /// Writes that did not fit: grow or move the region, then copy.
    #[cold]
    #[inline(never)]
    fn write_slow(&mut self, bytes: &[u8]) -> bool {
        if !self.regions.reserve(self.slot, bytes.len()) {
            return false;
        }

        let header = self.read_header();
        self.data = self.regions.data(header.start);
        // SAFETY: `reserve` made `len + bytes.len() <= cap`, so the
        // destination lies in this region's capacity, which only this buffer
        // writes. `bytes` is borrowed from elsewhere: it cannot point into
        // this buffer's spare capacity, which is never handed out.
        unsafe {
            let end = self.data.add(header.len as usize);
            ptr::copy_nonoverlapping(bytes.as_ptr(), end, bytes.len());
            (*self.header.as_ptr()).len = header.len + bytes.len() as u32;
        }

        true
    }
}

impl Buf for StackBuf<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> bool {
        let header = self.header.as_ptr();

        // SAFETY: `header` is this buffer's own initialised slot (see
        // `read_header`). When `bytes` fits between `len` and `cap`, the
        // destination lies in this region's capacity (invariant 4), which no
        // other buffer owns, and `bytes` cannot overlap it (see
        // `write_slow`).
        unsafe {
            let len = (*header).len;
            if bytes.len() <= ((*header).cap - len) as usize {
                ptr::copy_nonoverlapping(bytes.as_ptr(), self.data.add(len as usize), bytes.len());
                (*header).len = len + bytes.len() as u32;
                return true;
            }
        }

        self.write_slow(bytes)
    }

    /// Appends `other`. When `other` is the buffer allocated right after this
    /// one and nothing was written here since, its bytes already follow ours
    /// and become ours without a copy.
    fn write_buffer<B>(&mut self, other: B) -> bool
    where
        B: Buf,
    {
        let (ptr, len) = (other.as_slice().as_ptr(), other.len());
        let Some((next, from)) = self.regions.next_holding(self.slot, ptr, len) else {
            return self.write(other.as_slice());
        };

        // Dropping `other` frees the neighbour's region into ours if `other`
        // owned it. Any other `Buf` that merely shows the same bytes leaves
        // the region alive, and the bytes are copied instead.
        drop(other);
        let len = len as u32;

        if self.regions.append_freed(self.slot, from, len) {
            return true;
        }

        match self.regions.still_next(self.slot, next, from, len) {
            Some(bytes) => {
                // SAFETY: the neighbour's region is alive and holds `len`
                // written bytes at `bytes` (invariant 4). Writing here may
                // move this region behind the last one, which never touches
                // another region's bytes, so they stay valid during the call.
                let bytes = unsafe { slice::from_raw_parts(bytes, len as usize) };
                self.write(bytes)
            }
            None => false,
        }
    }

    #[inline]
    fn len(&self) -> usize {
        self.read_header().len as usize
    }

    #[inline]
    fn as_slice(&self) -> &[u8] {
        let len = self.read_header().len as usize;
        // SAFETY: `data` is the start of this buffer's region, whose first
        // `len` bytes it wrote (invariant 4). They change only through
        // `&mut self`, and the region moves or is freed only through
        // `&mut self` or by dropping the buffer, so they stay valid and
        // unchanged while `&self` is held.
        unsafe { slice::from_raw_parts(self.data, len) }
    }

    /// Formats into the buffer. If the slice runs out part way, the bytes
    /// this call wrote are taken back and the buffer is as it was.
    fn write_fmt(&mut self, arguments: fmt::Arguments<'_>) -> Result<(), Error> {
        fmt::Write::write_fmt(self, arguments).map_err(|_| Error)
    }
}

impl fmt::Write for StackBuf<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.write(s.as_bytes()) {
            Ok(())
        } else {
            Err(fmt::Error)
        }
    }

    /// As the default, but a failure leaves no partial text behind.
    fn write_fmt(&mut self, arguments: fmt::Arguments<'_>) -> fmt::Result {
        let before = Buf::len(self);
        let result = fmt::write(self, arguments);
        if result.is_err() {
            self.truncate(before);
        }
        result
    }
}

impl Drop for StackBuf<'_> {
    #[inline]
    fn drop(&mut self) {
        self.regions.free(self.slot);
    }
}

impl fmt::Debug for StackBuf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = self.read_header();
        f.debug_struct("StackBuf")
            .field("start", &header.start)
            .field("len", &header.len)
            .field("capacity", &header.cap)
            .finish()
    }
}
