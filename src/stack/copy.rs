//! Copying a write's bytes into its buffer.
//!
//! A write whose length the compiler knows (musli's encoders write a tag
//! or a fixed-size number so) becomes a few moves whatever is called here.
//! One whose length it does not know (a string's bytes, a replayed trace's
//! writes, a buffer copied into its parent) would call `memcpy`, which for
//! the few bytes most such writes carry costs more than the copy: the call,
//! and the library's dispatch on length and alignment. Up to
//! [`INLINE_MAX`] bytes are copied here instead, by at most two loads and
//! two stores of one width that overlap in the middle; longer ones still go
//! to `memcpy`. `docs/optimizations.md` has the counts.

use core::ptr;

/// The longest copy made without calling `memcpy`.
pub(super) const INLINE_MAX: usize = 16;

/// Copies `len` bytes from `src` to `dst`.
///
/// # Safety
///
/// As [`ptr::copy_nonoverlapping`]: `src` valid for reads and `dst` for
/// writes of `len` bytes, the two ranges not overlapping.
#[inline(always)]
pub(super) unsafe fn copy_bytes(src: *const u8, dst: *mut u8, len: usize) {
    // SAFETY (every block below): each access lies within the first `len`
    // bytes of its range, which the caller vouches for: the widths are
    // chosen so that `len - width` does not underflow and `offset + width
    // <= len`. Unaligned reads and writes need no alignment, and the ranges
    // do not overlap, so every byte read is one the caller's range holds.
    unsafe {
        if len == 1 {
            // What musli writes most: a byte of a varint or a tag.
            dst.write(src.read());
        } else if len > INLINE_MAX {
            ptr::copy_nonoverlapping(src, dst, len);
        } else if len >= 8 {
            let head = src.cast::<u64>().read_unaligned();
            let tail = src.add(len - 8).cast::<u64>().read_unaligned();
            dst.cast::<u64>().write_unaligned(head);
            dst.add(len - 8).cast::<u64>().write_unaligned(tail);
        } else if len >= 4 {
            let head = src.cast::<u32>().read_unaligned();
            let tail = src.add(len - 4).cast::<u32>().read_unaligned();
            dst.cast::<u32>().write_unaligned(head);
            dst.add(len - 4).cast::<u32>().write_unaligned(tail);
        } else if len >= 2 {
            let head = src.cast::<u16>().read_unaligned();
            let tail = src.add(len - 2).cast::<u16>().read_unaligned();
            dst.cast::<u16>().write_unaligned(head);
            dst.add(len - 2).cast::<u16>().write_unaligned(tail);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_length_around_the_widths_copies_exactly_its_bytes() {
        let source: std::vec::Vec<u8> = (1..=40).collect();
        for len in 0..=INLINE_MAX + 8 {
            let mut target = [0u8; 48];
            // SAFETY: `source` has 40 bytes and `target` 48 from offset 3;
            // `len` is at most 24; they are two arrays.
            unsafe { copy_bytes(source.as_ptr(), target.as_mut_ptr().add(3), len) };
            assert_eq!(&target[3..3 + len], &source[..len], "{len} bytes");
            assert!(target[..3].iter().all(|&byte| byte == 0), "{len}: before");
            assert!(
                target[3 + len..].iter().all(|&byte| byte == 0),
                "{len}: after"
            );
        }
    }
}
