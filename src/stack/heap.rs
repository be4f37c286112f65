//! `HeapBuffer`: a `Stack`'s slice on the heap, at a chosen page offset.

use core::fmt;
use core::mem::MaybeUninit;
use core::ops::{Deref, DerefMut};
use core::slice;

use std::boxed::Box;

/// Bytes per page on the machines this suite targets.
const PAGE: usize = 4096;

/// An uninitialized, 8-aligned slice on the heap whose first byte sits at a
/// fixed offset within its page.
///
/// Where a buffer starts relative to the page matters for speed: copying
/// between two addresses at the same offset within their pages can run
/// much slower (4K aliasing). Building every heap slice at the same offset
/// keeps runs comparable across commits; [`HeapBuffer::DEFAULT_PAGE_OFFSET`]
/// is deliberately not 0.
pub struct HeapBuffer {
    words: Box<[MaybeUninit<u64>]>,
    first_word: usize,
    len: usize,
}

impl HeapBuffer {
    /// The page offset [`HeapBuffer::new`] uses.
    pub const DEFAULT_PAGE_OFFSET: usize = 2056;

    /// `len` bytes starting at [`HeapBuffer::DEFAULT_PAGE_OFFSET`] in a page.
    pub fn new(len: usize) -> Self {
        Self::at_page_offset(len, Self::DEFAULT_PAGE_OFFSET)
    }

    /// `len` bytes whose start is `page_offset` bytes into a page.
    ///
    /// # Panics
    ///
    /// If `page_offset` is not a multiple of 8 below 4096.
    pub fn at_page_offset(len: usize, page_offset: usize) -> Self {
        assert!(
            page_offset < PAGE && page_offset.is_multiple_of(8),
            "HeapBuffer: page offset {page_offset} must be a multiple of 8 below {PAGE}"
        );

        let words = Box::<[u64]>::new_uninit_slice(len.div_ceil(8) + PAGE / 8);
        let address = words.as_ptr() as usize;
        let first_byte = (page_offset + PAGE - address % PAGE) % PAGE;

        Self {
            words,
            first_word: first_byte / 8,
            len,
        }
    }

    /// The offset of the first byte within its page.
    pub fn page_offset(&self) -> usize {
        self.as_ptr() as usize % PAGE
    }
}

impl Deref for HeapBuffer {
    type Target = [MaybeUninit<u8>];

    fn deref(&self) -> &Self::Target {
        let words = &self.words[self.first_word..];
        // SAFETY: `words` holds at least `len.div_ceil(8)` words past
        // `first_word` (we allocated `PAGE / 8` spare words and skip fewer),
        // so `len` bytes from its start are in bounds; `MaybeUninit<u8>` has
        // no validity requirement and alignment 1, and the lifetime is tied
        // to `&self`.
        unsafe { slice::from_raw_parts(words.as_ptr().cast(), self.len) }
    }
}

impl DerefMut for HeapBuffer {
    fn deref_mut(&mut self) -> &mut Self::Target {
        let words = &mut self.words[self.first_word..];
        // SAFETY: as in `deref`, with the unique borrow of `self`.
        unsafe { slice::from_raw_parts_mut(words.as_mut_ptr().cast(), self.len) }
    }
}

impl fmt::Debug for HeapBuffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeapBuffer")
            .field("len", &self.len)
            .field("page_offset", &self.page_offset())
            .finish()
    }
}
