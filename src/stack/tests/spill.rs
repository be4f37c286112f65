//! A `SpillStack`: what moves to the heap, when, and what it gives back.

use core::mem::MaybeUninit;
use std::prelude::rust_2024::*;
use std::vec;

use musli::{Allocator, Buf};

use super::{layout, settled_heap_bytes};
use crate::stack::regions::FIRST_WINDOW as WINDOW;
use crate::{SpillStack, Stack, StackBuffer};

const HEADER: usize = Stack::HEADER_SIZE;

/// A slice with room for three first windows and two headers.
const SLICE: usize = 3 * WINDOW as usize + 2 * HEADER;

#[test]
fn a_buffer_that_outgrows_the_slice_moves_to_the_heap_and_the_slice_serves_on() {
    let mut buffer = StackBuffer::<SLICE>::new();
    let stack = SpillStack::new(&mut buffer);
    let bytes: Vec<u8> = (0..3 * SLICE).map(|index| index as u8).collect();

    let mut big = stack.alloc().unwrap();
    assert!(big.write(&bytes[..100]));
    let mut small = stack.alloc().unwrap();
    assert!(small.write(b"small"));
    assert_eq!(layout(&stack), [(0, WINDOW), (WINDOW, WINDOW)]);

    // `big` is not last and the slice has no room behind `small`.
    assert!(big.write(&bytes[100..]));
    assert_eq!(big.as_slice(), bytes);
    let stats = stack.stats();
    assert_eq!((stats.spills, stats.spilled_bytes), (1, 100));
    assert_eq!((stats.moves, stats.bytes_moved), (1, 100));
    assert_eq!(stats.live_buffers, 2);
    assert!(stats.max_heap_bytes >= bytes.len());

    // Its region went to the gap before `small`, which kept its place.
    assert_eq!(layout(&stack), [(WINDOW, WINDOW)]);
    assert_eq!(small.as_slice(), b"small");

    // Its slot stays its own: a new buffer takes a new one.
    let next = stack.alloc().unwrap();
    assert_eq!(layout(&stack)[..1], [(WINDOW, WINDOW)]);
    assert_eq!(layout(&stack)[1].0, 2 * WINDOW);
    assert_eq!(stack.stats().spills, 1);
    drop(next);

    // Dropped, it gives back its heap memory and its slot.
    drop(big);
    assert_eq!(settled_heap_bytes(&stack), 0);
    assert_eq!(stack.stats().live_buffers, 1);
    let reused = stack.alloc().unwrap();
    assert_eq!(stack.stats().spills, 1, "the freed slot serves again");
    drop(reused);
    drop(small);
}

#[test]
fn an_empty_slice_puts_every_buffer_on_the_heap() {
    let mut empty: [MaybeUninit<u8>; 0] = [];
    let stack = SpillStack::new(&mut empty);

    let mut first = stack.alloc().expect("a SpillStack always gives a buffer");
    let mut second = stack.alloc().expect("a SpillStack always gives a buffer");
    assert!(first.write(b"one"));
    assert!(second.write(&[2; 5000]));
    assert!(first.write_buffer(second));
    assert_eq!(first.as_slice(), [&b"one"[..], &[2; 5000]].concat());

    let stats = stack.stats();
    assert_eq!(stats.allocations, 2);
    assert_eq!(stats.failed_allocations, 0);
    assert_eq!(stats.spills, 2);
    assert_eq!(stats.spilled_bytes, 0, "nothing was in the slice");
    assert_eq!(stats.high_water_bytes, 0);
    assert_eq!(stats.max_live_buffers, 2);

    drop(first);
    assert_eq!(settled_heap_bytes(&stack), 0);
    assert_eq!(stack.stats().live_buffers, 0);
}

#[test]
fn a_write_buffer_that_does_not_fit_spills_and_keeps_both_buffers_bytes() {
    let mut buffer = StackBuffer::<{ 2 * WINDOW as usize + 2 * HEADER }>::new();
    let stack = SpillStack::new(&mut buffer);

    let mut outer = stack.alloc().unwrap();
    assert!(outer.write(&[1; WINDOW as usize]));
    let mut inner = stack.alloc().unwrap();
    assert!(inner.write(&[2; WINDOW as usize]));
    assert!(inner.write(&[3; 200]), "the last region spills when full");

    // `inner` is on the heap now: `outer` copies its bytes, and must grow
    // past its window with the slice full of it: it spills too.
    let mut after = stack.alloc().unwrap();
    assert!(after.write(b"after"));
    assert!(outer.write_buffer(inner));
    let expected = [
        vec![1; WINDOW as usize],
        vec![2; WINDOW as usize],
        vec![3; 200],
    ]
    .concat();
    assert_eq!(outer.as_slice(), expected);
    assert_eq!(after.as_slice(), b"after");
    assert_eq!(stack.stats().spills, 2);
}

#[test]
fn formatting_never_fails_and_past_the_slice_moves_to_the_heap() {
    let mut buffer = StackBuffer::<128>::new();
    let stack = SpillStack::new(&mut buffer);
    let mut text = stack.alloc().unwrap();

    for line in 0..40 {
        Buf::write_fmt(&mut text, format_args!("line {line}; "))
            .expect("a SpillStack never refuses");
    }
    let expected: String = (0..40).map(|line| format!("line {line}; ")).collect();
    assert_eq!(text.as_slice(), expected.as_bytes());
    assert_eq!(stack.stats().spills, 1);
}

#[test]
fn a_spilled_buffer_grows_by_doubling() {
    let mut empty: [MaybeUninit<u8>; 0] = [];
    let stack = SpillStack::new(&mut empty);
    let mut buffer = stack.alloc().unwrap();

    let mut capacities = vec![buffer.capacity()];
    for _ in 0..10_000 {
        assert!(buffer.push(7));
        if buffer.capacity() != *capacities.last().unwrap() {
            capacities.push(buffer.capacity());
        }
    }
    assert_eq!(capacities[0], 0);
    for pair in capacities[1..].windows(2) {
        assert_eq!(pair[1], 2 * pair[0], "{capacities:?}");
    }
    assert!(capacities.len() < 12, "{capacities:?}");
}

#[test]
fn many_buffers_beyond_the_headers_all_keep_their_bytes() {
    let mut buffer = StackBuffer::<{ 4 * HEADER }>::new();
    let stack = SpillStack::new(&mut buffer);

    let mut buffers: Vec<_> = (0..100u8)
        .map(|index| {
            let mut buffer = stack.alloc().unwrap();
            assert!(buffer.write(&[index; 3]));
            buffer
        })
        .collect();
    for (index, buffer) in buffers.iter_mut().enumerate() {
        assert!(buffer.write(&[index as u8; 2]));
        assert_eq!(buffer.as_slice(), [index as u8; 5]);
    }
    assert_eq!(stack.stats().live_buffers, 100);
    assert_eq!(stack.stats().failed_allocations, 0);
    drop(buffers);
    assert_eq!(settled_heap_bytes(&stack), 0);
}

#[test]
fn a_lone_region_taken_again_leaves_the_spilled_buffers_dropped_before_it_to_be_freed() {
    let mut buffer = StackBuffer::<SLICE>::new();
    let stack = SpillStack::new(&mut buffer);

    let first = stack.alloc().unwrap();
    let mut big = stack.alloc().unwrap();
    assert!(big.write(&[1; 4 * SLICE]));
    assert_eq!(stack.stats().spills, 1);
    // `first` is now the only region, and it is dropped after `big`.
    drop(big);
    drop(first);

    let again = stack.alloc().unwrap();
    assert_eq!(stack.stats().live_buffers, 1);
    drop(again);
    assert_eq!(settled_heap_bytes(&stack), 0);
    assert_eq!(stack.stats().live_buffers, 0);
}
