//! `StackBuf`: one buffer handed out by a `Stack`.

use core::fmt;
use core::marker::PhantomData;
use core::ptr::{self, NonNull};
use core::slice;

use musli::Buf;
use musli::buf::Error;

use super::cold_call::make_room_cold;
use super::policy::{Overflow, Refuse, spilling_never_refuses};
use super::regions::{Header, Merge, Placed, Regions};

/// A buffer in a [`Stack`](crate::Stack), returned by its `alloc`.
///
/// Writes that fit the buffer's capacity are a bounds check and a copy. The
/// buffer allocated last grows in place until the slice is full; an earlier
/// buffer that outgrows its capacity moves behind the last one. Dropping the
/// buffer gives its bytes back to the `Stack`. In a
/// [`SpillStack`](crate::SpillStack) (policy [`Spill`](crate::Spill)), a
/// buffer that finds no room in the slice moves to the heap and stays there.
///
/// It is three words, like a vector's handle: the `Regions` and the slot
/// number are found from the header.
pub struct StackBuf<'a, P: Overflow = Refuse> {
    /// This buffer's header: the only one the `Regions` hand to this buffer,
    /// for as long as it lives (invariant 5 of the region list).
    header: NonNull<Header>,
    /// The first byte of this buffer's region: `start` of the header, as a
    /// pointer. Only this buffer moves its region (in `make_room`), so it
    /// stays right between writes.
    data: *mut u8,
    /// Bytes written. The header's `len` is set from it before every call
    /// into the `Regions` (invariant 4), not on every write: musli writes
    /// varints a byte at a time, and behind `&mut self` the compiler knows
    /// nothing else changes this field, so through such a loop it stays in a
    /// register. Read back from the header, which the error path of musli's
    /// writer could reach, each byte would wait for the store of the one
    /// before.
    len: usize,
    _regions: PhantomData<(&'a Regions, P)>,
}

impl<'a, P: Overflow> StackBuf<'a, P> {
    /// The buffer of a region just placed, which is empty.
    #[inline]
    pub(super) fn new(placed: Placed) -> Self {
        Self {
            header: placed.header,
            data: placed.data.as_ptr(),
            len: 0,
            _regions: PhantomData,
        }
    }

    /// The `Regions` this buffer's header belongs to.
    #[inline]
    fn regions(&self) -> &'a Regions {
        // SAFETY: while this buffer lives, its header's `link` is the
        // `Regions` inside the `Stack` this buffer borrows for `'a`, set when
        // its region was placed or taken over for this buffer: the `Stack`
        // cannot move or go away before `'a` ends. Only `release`, called as
        // the buffer is dropped, changes it.
        unsafe { &*self.read_header().regions() }
    }

    /// The bytes this buffer can hold before it has to grow or move.
    pub fn capacity(&self) -> usize {
        self.read_header().cap
    }

    /// This buffer's header, for tests that call the slow path directly.
    #[cfg(test)]
    pub(super) fn header(&self) -> NonNull<Header> {
        self.header
    }

    /// Stores the length in the header, for a call into the `Regions`.
    #[inline]
    fn publish_len(&self) {
        // SAFETY: as in `read_header`; the header is written through the
        // same raw pointer, with no reference held across the write.
        unsafe { (*self.header.as_ptr()).len = self.len };
    }

    #[inline]
    fn read_header(&self) -> Header {
        // SAFETY: `header` is this buffer's slot, carved and initialised
        // (invariant 1) and aligned; no reference to it exists elsewhere.
        unsafe { self.header.read() }
    }

    /// Whether this buffer moved to the heap. Always `false` under the
    /// refusing policy, where no header is ever spilled.
    #[inline]
    fn is_spilled(&self) -> bool {
        #[cfg(feature = "std")]
        if P::SPILLS {
            return self.read_header().is_spilled();
        }
        false
    }

    /// Forgets what was written after the first `len` bytes. The bytes
    /// were there, so the `Stack`'s peak still counts them.
    fn truncate(&mut self, len: usize) {
        if len < self.len {
            if !self.is_spilled() {
                self.regions().truncate(self.header, self.len, len);
            }
            self.len = len;
        }
    }
}

/// Makes room for `additional` more bytes in the region of `header`, which
/// holds `len` written bytes, by growing it or moving it behind the last one,
/// and returns where its bytes now start: after a `Some`, the region has room
/// for `additional` bytes after `len`. `None`, with nothing changed but the
/// header's `len` set, when the slice has no such room; on a spilling
/// `Stack` never `None`: the buffer grows or moves on the heap instead.
///
/// Not a method: a call that is not handed the `StackBuf` cannot change its
/// fields, so in a loop of writes (musli writes a varint a byte at a time)
/// the compiler keeps the header and data pointers in registers instead of
/// reading them back after every byte. `write` calls it through
/// [`make_room_cold`], which keeps that loop's registers too.
///
/// # Safety
///
/// `header` must be the header of a live `StackBuf`.
#[inline]
pub(super) unsafe fn make_room(
    header: NonNull<Header>,
    len: usize,
    additional: usize,
) -> Option<NonNull<u8>> {
    // SAFETY: the header of a live buffer is initialised and its `regions`
    // outlive the buffer (see `StackBuf::regions`); no reference to the
    // header is held.
    let regions = unsafe {
        (*header.as_ptr()).len = len;
        &*header.read().regions()
    };
    #[cfg(feature = "std")]
    if regions.spills() {
        return Some(regions.make_room_spilling(header, additional));
    }
    if !regions.reserve(regions.slot_of(header), additional) {
        return None;
    }
    // SAFETY: as above.
    let start = unsafe { header.read().start };
    Some(regions.data(start))
}

impl<P: Overflow> Buf for StackBuf<'_, P> {
    // Kept as small as it is for musli's sake: every encoder function that
    // writes inlines this, and its size decides whether LLVM inlines those
    // functions in turn. A second bounds check after `make_room`, or
    // `make_room` returning `Option<*mut u8>` (two registers), pushed the
    // storage encoder's `encode_string` over LLVM's inlining threshold, so
    // that every string in a pack became a call. `docs/optimizations.md`
    // has the inline costs, and `docs/profiling.md` how to read them.
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> bool {
        let len = self.len;
        // SAFETY: `header` is this buffer's own initialised slot (see
        // `read_header`).
        let cap = unsafe { (*self.header.as_ptr()).cap };
        if bytes.len() > cap - len {
            // SAFETY: this buffer is alive.
            match unsafe { make_room_cold(self.header, len, bytes.len()) } {
                Some(data) => self.data = data.as_ptr(),
                // A spilling `Stack` never refuses: telling the compiler so
                // lets it drop the caller's error path.
                None if P::SPILLS => spilling_never_refuses(),
                None => return false,
            }
            debug_assert!(bytes.len() <= self.read_header().cap - len);
        }
        // SAFETY: the region is this buffer's (invariant 5) and starts at
        // `data`; it had room for `bytes` after `len` (invariant 4: `len <=
        // cap`), or `make_room` just made that room. `bytes` is borrowed from
        // elsewhere: it cannot point into this buffer's spare capacity, which
        // is never handed out.
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), self.data.add(len), bytes.len()) };
        self.len = len + bytes.len();
        true
    }

    /// Appends `other`. When `other` is the buffer whose region comes right
    /// after this one, its region is given back to this one and its bytes
    /// stay in the slice: where they lie, when this buffer had filled its
    /// capacity so that they already follow ours, or else by one copy down
    /// to our end. Neither buffer moves.
    ///
    /// Returns `false`, this buffer unchanged, when the slice has no room
    /// (never in a `SpillStack`, where this buffer moves to the heap), and
    /// also when `other` is a `Buf` type of the caller's whose drop frees a
    /// region of this `Stack` (by allocating from it, which settles the
    /// neighbour just dropped, or by dropping or merging buffers of it): the
    /// bytes it showed may have been given to another buffer by then.
    /// Buffers of musli and of this crate never do that.
    fn write_buffer<B>(&mut self, other: B) -> bool
    where
        B: Buf,
    {
        // On the heap it has no neighbour to take over.
        if self.is_spilled() {
            return self.write(other.as_slice());
        }
        self.publish_len();
        let regions = self.regions();
        match regions.write_buffer(regions.slot_of(self.header), other) {
            Merge::Appended(len) => {
                self.len += len;
                true
            }
            Merge::NotNext(other) => self.write(other.as_slice()),
            Merge::CopyFrom { bytes, len } => {
                // SAFETY: the other buffer showed these `len` bytes, at the
                // start of the neighbour's region, as its own just before it
                // was dropped, and that region is still alive at the same
                // place, so they are initialised bytes of it; its buffer
                // cannot write while this call runs. Writing here may move
                // this region behind the last one, which never touches
                // another region's bytes, so they stay valid during the
                // call.
                let bytes = unsafe { slice::from_raw_parts(bytes, len) };
                self.write(bytes)
            }
            Merge::Refused => false,
        }
    }

    #[inline]
    fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn as_slice(&self) -> &[u8] {
        let len = self.len;
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

impl<P: Overflow> fmt::Write for StackBuf<'_, P> {
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

/// Hands the region to the `Stack`'s dropped list, which its next call
/// frees: two stores and a link, so that musli's encoders can inline it. A
/// spilled buffer goes on the same list; its heap memory is given back when
/// the list is settled, at the latest when the `Stack` is dropped.
impl<P: Overflow> Drop for StackBuf<'_, P> {
    #[inline]
    fn drop(&mut self) {
        self.regions().release(self.header, self.len);
    }
}

impl<P: Overflow> fmt::Debug for StackBuf<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = self.read_header();
        f.debug_struct("StackBuf")
            .field("spilled", &self.is_spilled())
            .field("start", &header.start)
            .field("len", &self.len)
            .field("capacity", &header.cap)
            .finish()
    }
}
