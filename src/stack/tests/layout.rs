//! The layout after known sequences of calls.

use musli::{Allocator, Buf};
use std::prelude::rust_2024::*;

use super::{heap, layout};
use crate::{Stack, StackBuffer};

const HEADER: u32 = Stack::HEADER_SIZE as u32;

#[test]
fn a_single_buffer_grows_in_place_up_to_the_headers() {
    let mut buffer = StackBuffer::<1024>::new();
    let stack = Stack::new(&mut buffer);

    let mut only = stack.alloc().unwrap();
    assert_eq!(layout(&stack), [(0, 0, 1024 - HEADER)]);

    for byte in 0..200u8 {
        assert!(only.push(byte));
    }

    assert_eq!(layout(&stack), [(0, 200, 1024 - HEADER)]);
    assert_eq!(only.as_slice(), (0..200u8).collect::<Vec<_>>());
    assert_eq!(stack.stats().moves, 0);
    assert_eq!(stack.stats().high_water_bytes, 200 + HEADER as usize);
}

#[test]
fn a_buffer_allocated_after_another_starts_right_after_its_bytes() {
    let mut buffer = StackBuffer::<1024>::new();
    let stack = Stack::new(&mut buffer);

    let mut first = stack.alloc().unwrap();
    assert!(first.write(b"abc"));
    let mut second = stack.alloc().unwrap();
    assert!(second.write(b"de"));

    let headers_low = 1024 - 2 * HEADER;
    assert_eq!(layout(&stack), [(0, 3, 3), (3, 2, headers_low - 3)]);

    drop(second);
    assert_eq!(layout(&stack), [(0, 3, headers_low)]);
    assert_eq!(first.as_slice(), b"abc");
}

#[test]
fn two_buffers_written_a_byte_at_a_time_in_turn() {
    let mut buffer = StackBuffer::<1024>::new();
    let stack = Stack::new(&mut buffer);
    let headers_low = 1024 - 2 * HEADER;

    let mut a = stack.alloc().unwrap();
    let mut b = stack.alloc().unwrap();

    for round in 0..3u8 {
        assert!(a.push(b'a' + round));
        assert!(b.push(b'A' + round));
    }

    // `a` moved behind `b` on its first byte, asking for 2; `b` moved behind
    // `a`'s 2 on its first; `a` moved again on its third byte asking for 6,
    // and `b` on its third. The 4 bytes they left at the front are the gap.
    assert_eq!(layout(&stack), [(4, 3, 6), (10, 3, headers_low - 10)]);
    assert_eq!(a.as_slice(), b"abc");
    assert_eq!(b.as_slice(), b"ABC");

    let stats = stack.stats();
    assert_eq!(stats.moves, 2);
    assert_eq!(stats.bytes_moved, 4);

    drop(a);
    assert_eq!(layout(&stack), [(10, 3, headers_low - 10)]);
    drop(b);
    assert_eq!(layout(&stack), []);
}

#[test]
fn interleaved_writes_move_at_most_twice_what_was_written() {
    for ways in [2usize, 3, 4, 8] {
        let mut backing = heap(1 << 20);
        let stack = Stack::new(&mut backing);
        let mut buffers: Vec<_> = (0..ways).map(|_| stack.alloc().unwrap()).collect();
        let mut written = 0;

        for round in 0..5000usize {
            for (way, buffer) in buffers.iter_mut().enumerate() {
                assert!(buffer.push((round + way) as u8));
                written += 1;
            }
        }

        for (way, buffer) in buffers.iter().enumerate() {
            let expected: Vec<u8> = (0..5000).map(|round: usize| (round + way) as u8).collect();
            assert_eq!(buffer.as_slice(), expected);
        }

        layout(&stack);
        let moved = stack.stats().bytes_moved;
        assert!(
            moved <= 2 * written,
            "{ways} ways: moved {moved} bytes for {written} written"
        );
    }
}

#[test]
fn nested_buffers_merge_back_without_copying() {
    let mut buffer = StackBuffer::<1024>::new();
    let stack = Stack::new(&mut buffer);

    let mut outer = stack.alloc().unwrap();
    assert!(outer.write(b"<"));
    {
        let mut inner = stack.alloc().unwrap();
        assert!(inner.write(b"abc"));
        {
            let mut innermost = stack.alloc().unwrap();
            assert!(innermost.write(b"12"));
            assert_eq!(
                layout(&stack),
                [(0, 1, 1), (1, 3, 3), (4, 2, 1024 - 3 * HEADER - 4)]
            );
            assert!(inner.write_buffer(innermost));
        }
        assert_eq!(layout(&stack), [(0, 1, 1), (1, 5, 1024 - 3 * HEADER - 1)]);
        assert!(outer.write_buffer(inner));
    }
    assert!(outer.write(b">"));

    assert_eq!(outer.as_slice(), b"<abc12>");
    assert_eq!(layout(&stack), [(0, 7, 1024 - 3 * HEADER)]);

    let stats = stack.stats();
    assert_eq!(stats.merges, 2);
    assert_eq!(stats.moves, 0);
    assert_eq!(stats.live_buffers, 1);
    assert_eq!(stats.max_live_buffers, 3);
}

#[test]
fn a_neighbour_with_a_gap_before_it_is_appended_by_one_copy_in_place() {
    let mut buffer = StackBuffer::<1024>::new();
    let stack = Stack::new(&mut buffer);

    // `a` moves once, so it keeps headroom when `c` is placed after it.
    let mut a = stack.alloc().unwrap();
    let b = stack.alloc().unwrap();
    assert!(a.write(b"xy"));
    drop(b);
    let mut c = stack.alloc().unwrap();
    assert!(c.write(b"zw"));
    assert_eq!(layout(&stack), [(0, 2, 4), (4, 2, 1024 - 2 * HEADER - 4)]);

    assert!(a.write_buffer(c));
    assert_eq!(a.as_slice(), b"xyzw");
    assert_eq!(layout(&stack), [(0, 4, 1024 - 2 * HEADER)]);
    assert_eq!(stack.stats().merges, 0);
    assert_eq!(stack.stats().moves, 0);
}

#[test]
fn write_buffer_of_a_buffer_that_is_not_the_next_copies() {
    let mut buffer = StackBuffer::<1024>::new();
    let stack = Stack::new(&mut buffer);

    let mut a = stack.alloc().unwrap();
    let mut b = stack.alloc().unwrap();
    let mut c = stack.alloc().unwrap();
    assert!(c.write(b"c"));
    assert!(b.write(b"b"));
    assert!(a.write(b"a"));
    // `b` and then `a` moved behind `c`: `c` now lies before `b`.
    assert_eq!(layout(&stack)[..2], [(0, 1, 1), (1, 1, 2)]);

    assert!(b.write_buffer(c));
    assert_eq!(b.as_slice(), b"bc");
    assert_eq!(a.as_slice(), b"a");
    assert_eq!(stack.stats().merges, 0);
    layout(&stack);
}

/// musli 0.0.122's Stack merges by address alone; with empty neighbours
/// sharing an address, it appends the wrong region and `d` loses its bytes.
#[test]
fn an_empty_neighbour_is_never_mistaken_for_a_region() {
    let mut buffer = StackBuffer::<1024>::new();
    let stack = Stack::new(&mut buffer);

    let a = stack.alloc().unwrap();
    let mut b = stack.alloc().unwrap();
    let c = stack.alloc().unwrap();
    let mut d = stack.alloc().unwrap();
    drop(c);
    assert!(d.write(b"twelve bytes"));
    assert!(b.write_buffer(a));

    assert_eq!(d.as_slice(), b"twelve bytes");
    assert!(b.is_empty());
    assert_eq!(stack.stats().merges, 0);
    layout(&stack);
}

#[test]
fn a_borrowed_neighbour_is_copied_not_taken() {
    /// A `Buf` that shows another buffer's bytes without owning them.
    struct Borrowed<'a, B>(&'a B);

    impl<B: Buf> Buf for Borrowed<'_, B> {
        fn write(&mut self, _: &[u8]) -> bool {
            false
        }
        fn len(&self) -> usize {
            self.0.len()
        }
        fn as_slice(&self) -> &[u8] {
            self.0.as_slice()
        }
        fn write_fmt(&mut self, _: core::fmt::Arguments<'_>) -> Result<(), musli::buf::Error> {
            Err(musli::buf::Error)
        }
    }

    let mut buffer = StackBuffer::<1024>::new();
    let stack = Stack::new(&mut buffer);

    let mut a = stack.alloc().unwrap();
    assert!(a.write(b"a"));
    let mut b = stack.alloc().unwrap();
    assert!(b.write(b"bb"));

    let shown = b.as_slice();
    assert!(a.write_buffer(Borrowed(&b)));
    assert_eq!(shown, b"bb");
    assert_eq!(a.as_slice(), b"abb");
    assert_eq!(b.as_slice(), b"bb");
    assert_eq!(stack.stats().merges, 0);
    layout(&stack);
}

#[test]
fn freed_headers_are_reused() {
    let mut buffer = StackBuffer::<256>::new();
    let stack = Stack::new(&mut buffer);

    for _ in 0..100 {
        let mut a = stack.alloc().unwrap();
        assert!(a.write(b"a"));
        let mut b = stack.alloc().unwrap();
        assert!(b.write(b"b"));
    }

    // Two headers were ever carved, and every region was given back.
    assert_eq!(stack.stats().high_water_bytes, 2 * HEADER as usize + 2);
    assert_eq!(layout(&stack), []);
}

#[test]
fn buffers_taken_one_at_a_time_count_one_live_at_most() {
    let mut buffer = StackBuffer::<256>::new();
    let stack = Stack::new(&mut buffer);

    for round in 0..3u8 {
        let mut only = stack.alloc().unwrap();
        assert!(only.push(round));
        assert_eq!(stack.stats().live_buffers, 1);
    }

    let stats = stack.stats();
    assert_eq!(
        (
            stats.allocations,
            stats.live_buffers,
            stats.max_live_buffers
        ),
        (3, 0, 1)
    );
    assert_eq!(stats.high_water_bytes, 1 + HEADER as usize);
}

#[test]
fn the_peak_adds_the_data_and_the_headers_of_the_same_moment() {
    let mut buffer = StackBuffer::<1024>::new();
    let stack = Stack::new(&mut buffer);
    let header = HEADER as usize;

    let mut a = stack.alloc().unwrap();
    assert!(a.write(&[1; 300]));
    drop(a);

    // Two buffers need a second header, but together they reach less far
    // than `a` did with one.
    let mut b = stack.alloc().unwrap();
    assert!(b.write(&[2; 100]));
    let mut c = stack.alloc().unwrap();
    assert!(c.write(&[3; 10]));
    assert_eq!(stack.stats().high_water_bytes, 300 + header);
    drop(c);
    drop(b);

    // A lone buffer again, now with both headers carved.
    let mut d = stack.alloc().unwrap();
    assert!(d.write(&[4; 290]));
    assert_eq!(stack.stats().high_water_bytes, 290 + 2 * header);
    drop(d);

    let stats = stack.stats();
    assert_eq!(stats.high_water_bytes, 290 + 2 * header);
    assert_eq!((stats.allocations, stats.max_live_buffers), (4, 2));
}
