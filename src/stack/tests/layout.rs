//! The layout after known sequences of calls.

use musli::{Allocator, Buf};
use std::prelude::rust_2024::*;
use std::vec;

use super::{heap, layout};
use crate::stack::regions::FIRST_WINDOW as WINDOW;
use crate::{Stack, StackBuf, StackBuffer, StackStats};

const HEADER: u32 = Stack::HEADER_SIZE as u32;

/// The slice most tests use: room for a few first windows.
const SLICE: usize = 4 * WINDOW as usize;

/// A length that takes a buffer past its first window.
const PAST_WINDOW: usize = WINDOW as usize + 44;

#[test]
fn a_single_buffer_grows_in_place_up_to_the_headers() {
    let mut buffer = StackBuffer::<SLICE>::new();
    let stack = Stack::new(&mut buffer);
    let room = SLICE as u32 - HEADER;
    let bytes: Vec<u8> = (0..room).map(|index| index as u8).collect();

    let mut only = stack.alloc().unwrap();
    assert_eq!(layout(&stack), [(0, WINDOW)]);

    for &byte in &bytes[..PAST_WINDOW] {
        assert!(only.push(byte));
    }
    // Past its first window it grew in place, to twice what it needed.
    assert_eq!(layout(&stack), [(0, 2 * (WINDOW + 1))]);

    for &byte in &bytes[PAST_WINDOW..] {
        assert!(only.push(byte));
    }
    assert!(!only.push(0), "the slice is full");
    assert_eq!(layout(&stack), [(0, room)]);
    assert_eq!(only.as_slice(), bytes);
    assert_eq!(stack.stats().moves, 0);

    drop(only);
    assert_eq!(stack.stats().high_water_bytes, SLICE);
}

#[test]
fn a_buffer_allocated_after_another_starts_after_its_window() {
    let mut buffer = StackBuffer::<SLICE>::new();
    let stack = Stack::new(&mut buffer);

    let mut first = stack.alloc().unwrap();
    assert!(first.write(b"abc"));
    let mut second = stack.alloc().unwrap();
    assert!(second.write(b"de"));

    // `first` may have written up to its capacity without the Stack
    // knowing, so `second` starts after all of it.
    assert_eq!(layout(&stack), [(0, WINDOW), (WINDOW, WINDOW)]);

    drop(second);
    assert_eq!(layout(&stack), [(0, WINDOW)]);
    assert_eq!(first.as_slice(), b"abc");

    // Its bytes went back to the frontier, where the next buffer goes.
    let third = stack.alloc().unwrap();
    assert_eq!(layout(&stack), [(0, WINDOW), (WINDOW, WINDOW)]);
    drop(third);
}

#[test]
fn a_buffer_that_outgrows_its_window_moves_behind_the_last() {
    let mut buffer = StackBuffer::<SLICE>::new();
    let stack = Stack::new(&mut buffer);
    let headers_low = SLICE as u32 - 2 * HEADER;

    let mut a = stack.alloc().unwrap();
    let mut b = stack.alloc().unwrap();
    assert!(a.write(b"first"));
    assert!(b.write(b"second"));
    let more = vec![7; WINDOW as usize];
    assert!(a.write(&more));

    // `a` moved behind `b` and took the room up to the headers (less than
    // twice what it needed); the window it left is the gap before `b`.
    assert_eq!(
        layout(&stack),
        [(WINDOW, WINDOW), (2 * WINDOW, headers_low - 2 * WINDOW)]
    );
    assert_eq!(&a.as_slice()[..5], b"first");
    assert_eq!(&a.as_slice()[5..], more);
    assert_eq!(b.as_slice(), b"second");

    let stats = stack.stats();
    assert_eq!((stats.moves, stats.bytes_moved), (1, 5));

    drop(b);
    assert_eq!(layout(&stack), [(2 * WINDOW, headers_low - 2 * WINDOW)]);
    drop(a);
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
fn nested_buffers_are_appended_in_place() {
    let mut buffer = StackBuffer::<{ 2 * SLICE }>::new();
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
                [(0, WINDOW), (WINDOW, WINDOW), (2 * WINDOW, WINDOW)]
            );
            assert!(inner.write_buffer(innermost));
        }
        // The region of `innermost` went back to `inner`, whose bytes it
        // follows: `inner` now reaches to the end of them.
        assert_eq!(layout(&stack), [(0, WINDOW), (WINDOW, WINDOW + 2)]);
        assert!(outer.write_buffer(inner));
    }
    assert!(outer.write(b">"));

    assert_eq!(outer.as_slice(), b"<abc12>");
    assert_eq!(layout(&stack), [(0, WINDOW + 5)]);

    let stats = stack.stats();
    assert_eq!(stats.merges, 0, "the windows' spare bytes lay between");
    assert_eq!(stats.moves, 0);
    assert_eq!(stats.live_buffers, 1);
    assert_eq!(stats.max_live_buffers, 3);
}

#[test]
fn a_neighbour_right_after_a_full_window_merges_without_copying() {
    let mut buffer = StackBuffer::<SLICE>::new();
    let stack = Stack::new(&mut buffer);

    let mut a = stack.alloc().unwrap();
    let full = vec![1; WINDOW as usize];
    assert!(a.write(&full));
    let mut b = stack.alloc().unwrap();
    assert!(b.write(b"tail"));
    let tail_at = b.as_slice().as_ptr();

    assert!(a.write_buffer(b));
    assert_eq!(&a.as_slice()[..WINDOW as usize], full);
    assert_eq!(&a.as_slice()[WINDOW as usize..], b"tail");
    assert_eq!(a.as_slice()[WINDOW as usize..].as_ptr(), tail_at);
    assert_eq!(layout(&stack), [(0, WINDOW + 4)]);
    assert_eq!(stack.stats().merges, 1);
    assert_eq!(stack.stats().moves, 0);
}

#[test]
fn write_buffer_of_a_buffer_that_is_not_the_next_copies() {
    let mut buffer = StackBuffer::<SLICE>::new();
    let stack = Stack::new(&mut buffer);

    let mut a = stack.alloc().unwrap();
    let mut b = stack.alloc().unwrap();
    let mut c = stack.alloc().unwrap();
    assert!(c.write(b"c"));
    assert!(b.write(b"b"));
    assert!(a.write(b"a"));

    // `c` comes after `b`, not after `a`.
    assert!(a.write_buffer(c));
    assert_eq!(a.as_slice(), b"ac");
    assert_eq!(b.as_slice(), b"b");
    assert_eq!(stack.stats().merges, 0);
    assert_eq!(layout(&stack), [(0, WINDOW), (WINDOW, WINDOW)]);
}

/// musli 0.0.122's Stack merges by address alone; with empty neighbours
/// sharing an address, it appends the wrong region and `d` loses its bytes.
#[test]
fn an_empty_neighbour_is_never_mistaken_for_a_region() {
    let mut buffer = StackBuffer::<SLICE>::new();
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

    let mut buffer = StackBuffer::<SLICE>::new();
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

/// A `Buf` that owns a buffer of the same `Stack` and, as it is dropped,
/// takes the place its buffer left for other bytes.
struct Meddling<'s, 'a> {
    buffer: Option<StackBuf<'s>>,
    stack: &'s Stack<'a>,
}

impl Buf for Meddling<'_, '_> {
    fn write(&mut self, _: &[u8]) -> bool {
        false
    }
    fn len(&self) -> usize {
        self.buffer.as_ref().map_or(0, Buf::len)
    }
    fn as_slice(&self) -> &[u8] {
        self.buffer.as_ref().map_or(&[], Buf::as_slice)
    }
    fn write_fmt(&mut self, _: core::fmt::Arguments<'_>) -> Result<(), musli::buf::Error> {
        Err(musli::buf::Error)
    }
}

impl Drop for Meddling<'_, '_> {
    fn drop(&mut self) {
        drop(self.buffer.take());
        let mut intruder = self.stack.alloc().unwrap();
        assert!(intruder.write(b"XXXX"));
    }
}

#[test]
fn a_neighbour_whose_drop_overwrites_its_bytes_is_refused() {
    let mut buffer = StackBuffer::<SLICE>::new();
    let stack = Stack::new(&mut buffer);

    let mut a = stack.alloc().unwrap();
    assert!(a.write(b"a"));
    let mut b = stack.alloc().unwrap();
    assert!(b.write(b"bbbb"));

    // The bytes `b` showed are gone by the time they could be appended:
    // the call says it failed, and `a` keeps what it had.
    let meddling = Meddling {
        buffer: Some(b),
        stack: &stack,
    };
    assert!(!a.write_buffer(meddling));
    assert_eq!(a.as_slice(), b"a");
    assert_eq!(layout(&stack), [(0, WINDOW)]);
}

#[test]
fn freed_headers_are_reused() {
    let mut buffer = StackBuffer::<256>::new();
    let stack = Stack::new(&mut buffer);
    // A small slice: the first buffer's window is half the room, so that
    // the second fits after it.
    let first_window = (256 - HEADER) / 2;

    for _ in 0..100 {
        let mut a = stack.alloc().unwrap();
        assert!(a.write(b"a"));
        let mut b = stack.alloc().unwrap();
        assert!(b.write(b"b"));
    }

    // Two headers were ever carved, and every region was given back.
    assert_eq!(
        stack.stats().high_water_bytes,
        (2 * HEADER + first_window + 1) as usize
    );
    assert_eq!(layout(&stack), []);
}

#[test]
fn a_new_stack_reports_nothing_and_its_first_buffer_starts_the_slice() {
    let mut buffer = StackBuffer::<SLICE>::new();
    let slice_start = buffer.as_ptr().cast::<u8>();
    let stack = Stack::new(&mut buffer);
    assert_eq!(stack.stats(), StackStats::default());
    assert_eq!(stack.high_water_bytes(), 0);

    let mut first = stack.alloc().unwrap();
    assert_eq!(first.as_slice().as_ptr(), slice_start);
    assert_eq!(first.capacity(), WINDOW as usize);
    assert!(first.write(b"abc"));
    let stats = stack.stats();
    assert_eq!(
        (
            stats.allocations,
            stats.live_buffers,
            stats.max_live_buffers
        ),
        (1, 1, 1)
    );
    drop(first);
    assert_eq!(stack.high_water_bytes(), 3 + HEADER as usize);
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
    let mut buffer = StackBuffer::<SLICE>::new();
    let stack = Stack::new(&mut buffer);
    let (header, window) = (HEADER as usize, WINDOW as usize);

    let mut a = stack.alloc().unwrap();
    assert!(a.write(&[1; PAST_WINDOW]));
    drop(a);
    assert_eq!(stack.stats().high_water_bytes, PAST_WINDOW + header);

    // Two buffers need a second header; the first one's window is in use
    // while the second lives.
    let mut b = stack.alloc().unwrap();
    assert!(b.write(&[2; 100]));
    let mut c = stack.alloc().unwrap();
    assert!(c.write(&[3; 10]));
    drop(c);
    drop(b);
    assert_eq!(stack.stats().high_water_bytes, window + 10 + 2 * header);

    // A lone buffer again, now with both headers carved. The peak is what
    // data and headers took at one moment (`d`'s bytes and two headers),
    // not the most data (`a`'s) plus the most headers (two) at different
    // moments.
    let mut d = stack.alloc().unwrap();
    assert!(d.write(&[4; PAST_WINDOW - 10]));
    drop(d);

    let stats = stack.stats();
    assert_eq!(stats.high_water_bytes, PAST_WINDOW - 10 + 2 * header);
    assert_eq!((stats.allocations, stats.max_live_buffers), (4, 2));
}

#[test]
fn a_lone_buffer_taken_again_keeps_its_place_and_a_first_window() {
    let mut buffer = StackBuffer::<SLICE>::new();
    let stack = Stack::new(&mut buffer);

    let mut starts = Vec::new();
    for round in 0..4 {
        let mut only = stack.alloc().unwrap();
        starts.push(only.as_slice().as_ptr());
        assert_eq!(only.capacity(), WINDOW as usize, "round {round}");
        // The second round grows past the window; the next starts afresh.
        let len = if round == 1 {
            PAST_WINDOW
        } else {
            10 * round + 1
        };
        assert!(only.write(&vec![round as u8; len]));
    }
    assert!(starts.iter().all(|&start| start == starts[0]));

    let stats = stack.stats();
    assert_eq!(
        (
            stats.allocations,
            stats.live_buffers,
            stats.max_live_buffers
        ),
        (4, 0, 1)
    );
    assert_eq!(stats.high_water_bytes, PAST_WINDOW + HEADER as usize);

    // A reused region leaves the room after its window to the next buffer.
    let first = stack.alloc().unwrap();
    let second = stack.alloc().unwrap();
    assert_eq!(layout(&stack), [(0, WINDOW), (WINDOW, WINDOW)]);
    drop((first, second));
}

#[test]
fn buffers_dropped_one_after_another_are_freed_in_that_order() {
    // Freed at once, the last region's bytes go to the frontier and one
    // before it merges into its neighbour; the layout must come out the same
    // when the frees wait for the next call.
    for inner_first in [true, false] {
        let mut buffer = StackBuffer::<{ 2 * SLICE }>::new();
        let stack = Stack::new(&mut buffer);

        let kept = stack.alloc().unwrap();
        let outer = stack.alloc().unwrap();
        let inner = stack.alloc().unwrap();
        if inner_first {
            drop(inner);
            drop(outer);
        } else {
            drop(outer);
            drop(inner);
        }
        let next = stack.alloc().unwrap();

        let expected = if inner_first {
            // Both went to the frontier, in turn.
            [(0, WINDOW), (WINDOW, WINDOW)]
        } else {
            // `outer` merged into `kept`, then `inner` went to the frontier.
            [(0, 2 * WINDOW), (2 * WINDOW, WINDOW)]
        };
        assert_eq!(layout(&stack), expected, "inner first: {inner_first}");
        assert_eq!(stack.stats().live_buffers, 2);
        drop((kept, next));
    }
}

#[test]
fn a_buffer_grows_in_place_over_a_neighbour_dropped_before() {
    let mut buffer = StackBuffer::<{ 2 * SLICE }>::new();
    let stack = Stack::new(&mut buffer);

    let mut a = stack.alloc().unwrap();
    let b = stack.alloc().unwrap();
    assert!(a.write(b"abc"));
    drop(b);
    // `a` is the last region again, so it grows where it is.
    assert!(a.write(&[7; WINDOW as usize]));

    assert_eq!(&a.as_slice()[..3], b"abc");
    assert_eq!(layout(&stack), [(0, 2 * (WINDOW + 3))]);
    assert_eq!(stack.stats().moves, 0);
}

#[test]
fn the_peak_keeps_the_bytes_of_a_format_that_ran_out() {
    let mut buffer = StackBuffer::<SLICE>::new();
    let stack = Stack::new(&mut buffer);
    let mut only = stack.alloc().unwrap();
    let half = "x".repeat(SLICE / 2 + 100);

    // The first half fits after growing, the second does not: the format
    // fails and takes back what it wrote.
    let result = core::fmt::Write::write_fmt(&mut only, format_args!("{half}{half}"));
    assert!(result.is_err());
    assert!(only.is_empty());
    // The first half was in the slice for a while, and the peak says so.
    assert_eq!(stack.high_water_bytes(), half.len() + HEADER as usize);
}
