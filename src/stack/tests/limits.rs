//! Running out of room, and slices the Stack refuses.

use core::mem::MaybeUninit;
use std::prelude::rust_2024::*;
use std::vec;

use musli::{Allocator, Buf};

use super::{heap, layout};
use crate::stack::regions::FIRST_WINDOW;
use crate::{SliceError, Stack, StackBuffer};

const HEADER: usize = Stack::HEADER_SIZE;

#[test]
fn an_empty_slice_refuses_every_allocation() {
    let mut empty: [MaybeUninit<u8>; 0] = [];
    let stack = Stack::new(&mut empty);
    assert!(stack.alloc().is_none());
    assert!(stack.alloc().is_none());

    let stats = stack.stats();
    assert_eq!((stats.allocations, stats.failed_allocations), (0, 2));
    assert_eq!(stats.high_water_bytes, 0);
}

#[test]
fn eight_bytes_hold_no_header() {
    let mut buffer = StackBuffer::<8>::new();
    let stack = Stack::new(&mut buffer);
    assert!(stack.alloc().is_none());
    assert_eq!(stack.stats().failed_allocations, 1);
}

#[test]
fn one_header_of_room_gives_one_empty_buffer() {
    let mut buffer = StackBuffer::<HEADER>::new();
    let stack = Stack::new(&mut buffer);

    let mut only = stack.alloc().expect("one header fits");
    assert!(only.write(b""));
    assert!(!only.write(b"x"));
    assert!(!only.push(0));
    assert!(stack.alloc().is_none());
    assert!(only.is_empty());
    assert_eq!(layout(&stack), [(0, 0)]);
}

#[test]
fn a_full_slice_keeps_every_buffer_intact() {
    // Not a multiple of 8: the last 4 bytes are never used.
    let mut buffer = StackBuffer::<{ 2 * HEADER + 52 }>::new();
    let stack = Stack::new(&mut buffer);
    let room = HEADER + 48;

    let mut first = stack.alloc().unwrap();
    let fill: Vec<u8> = (0..room as u8).collect();
    assert!(first.write(&fill));
    assert!(!first.write(b"x"));
    assert!(stack.alloc().is_none(), "no room for a second header");
    assert_eq!(first.as_slice(), fill);

    // Free the room, then exhaust it from a buffer that must move. `a` gets
    // half the room as its window, `b` what is left after a second header.
    drop(first);
    let mut a = stack.alloc().unwrap();
    assert!(a.write(b"0123456789"));
    let mut b = stack.alloc().unwrap();
    assert!(b.write(b"abc"));
    let before = layout(&stack);
    assert_eq!(before, [(0, room as u32 / 2), (room as u32 / 2, 4)]);
    assert!(!a.write(&[7; 40]), "a would move behind b and not fit");
    assert_eq!(layout(&stack), before);
    assert_eq!(a.as_slice(), b"0123456789");
    assert_eq!(b.as_slice(), b"abc");
    assert!(a.write(&[7; 20]), "but this fits its window: 10 + 20");
    assert_eq!(b.as_slice(), b"abc");
}

#[test]
fn a_write_larger_than_the_slice_fails_and_changes_nothing() {
    let mut buffer = StackBuffer::<1024>::new();
    let stack = Stack::new(&mut buffer);

    let mut a = stack.alloc().unwrap();
    let mut b = stack.alloc().unwrap();
    assert!(a.write(b"kept"));
    assert!(b.write(b"also kept"));
    let before = layout(&stack);

    assert!(!a.write(&[0; 2048]));
    assert!(!b.write(&[0; 2048]));
    assert_eq!(layout(&stack), before);
    assert_eq!(a.as_slice(), b"kept");
    assert_eq!(b.as_slice(), b"also kept");
}

#[test]
fn a_write_of_more_than_two_gigabytes_fails_cleanly() {
    let huge = vec![0u8; (1 << 31) + 1];
    let mut buffer = StackBuffer::<256>::new();
    let stack = Stack::new(&mut buffer);

    let mut a = stack.alloc().unwrap();
    assert!(a.write(b"kept"));
    let mut b = stack.alloc().unwrap();
    assert!(!a.write(&huge), "a is not last");
    assert!(!b.write(&huge), "b is last");
    assert_eq!(a.as_slice(), b"kept");
    assert!(b.is_empty());
    layout(&stack);
}

#[test]
fn a_failed_format_leaves_no_partial_text() {
    let mut buffer = StackBuffer::<64>::new();
    let stack = Stack::new(&mut buffer);
    let mut text = stack.alloc().unwrap();

    assert!(core::fmt::Write::write_fmt(&mut text, format_args!("{}-{}", 12, "ab")).is_ok());
    assert_eq!(text.as_slice(), b"12-ab");

    // 64 - 40 = 24 bytes of room: "12-ab" and the first piece fit, the
    // second does not.
    let long = "x".repeat(10);
    assert!(core::fmt::Write::write_fmt(&mut text, format_args!("{long}{long}")).is_err());
    assert_eq!(text.as_slice(), b"12-ab");
    assert!(Buf::write_fmt(&mut text, format_args!("{long}{long}")).is_err());
    assert_eq!(text.as_slice(), b"12-ab");
    assert!(Buf::write_fmt(&mut text, format_args!("!{}", 7)).is_ok());
    assert_eq!(text.as_slice(), b"12-ab!7");
}

#[test]
fn sixty_five_thousand_live_buffers_each_keep_their_bytes() {
    const COUNT: usize = 65_535;
    let window = FIRST_WINDOW as usize;
    // Room for every header and a first window each.
    let mut backing = heap(COUNT * (HEADER + window));
    let stack = Stack::new(&mut backing);

    let mut buffers = Vec::with_capacity(COUNT);
    for index in 0..COUNT {
        let mut buffer = stack.alloc().expect("room for every buffer");
        assert!(buffer.write(&(index as u16).to_le_bytes()));
        buffers.push(buffer);
    }
    assert_eq!(stack.stats().live_buffers, COUNT);

    for (index, buffer) in buffers.iter().enumerate() {
        assert_eq!(buffer.as_slice(), (index as u16).to_le_bytes());
    }

    // Dropping every other buffer gives its bytes to the one before it,
    // which can then grow past its window in place. (The last one has no
    // neighbour after it.)
    let mut kept: Vec<_> = buffers
        .into_iter()
        .enumerate()
        .filter_map(|(index, buffer)| index.is_multiple_of(2).then_some(buffer))
        .collect();
    let more = vec![0xee; window];
    let last = kept.len() - 1;
    for (half, buffer) in kept[..last].iter_mut().enumerate() {
        assert!(buffer.write(&more));
        assert_eq!(buffer.as_slice()[..2], ((half * 2) as u16).to_le_bytes());
        assert_eq!(buffer.as_slice()[2..], more);
    }
    assert_eq!(stack.stats().moves, 0);
    layout(&stack);
}

#[test]
fn a_misaligned_slice_is_refused_with_the_reason() {
    let mut buffer = StackBuffer::<64>::new();
    let misaligned = &mut buffer[1..];
    let address = misaligned.as_ptr() as usize;

    let error = Stack::try_new(misaligned).unwrap_err();
    assert_eq!(error, SliceError::Misaligned { address });
    assert!(error.to_string().contains("not 8-aligned"));

    let panic = std::panic::catch_unwind(|| {
        let mut buffer = StackBuffer::<64>::new();
        Stack::new(&mut buffer[4..]);
    })
    .unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with("Stack::new: the slice starts at"),
        "{message}"
    );
}

#[test]
fn an_oversized_slice_is_refused_with_the_reason() {
    let mut backing = heap(Stack::MAX_SLICE_LEN + 1);
    let error = Stack::try_new(&mut backing).unwrap_err();
    assert_eq!(
        error,
        SliceError::TooLong {
            len: Stack::MAX_SLICE_LEN + 1
        }
    );
    assert!(error.to_string().contains("at most 4294967295 bytes"));

    // The largest slice accepted works.
    let stack = Stack::try_new(&mut backing[..Stack::MAX_SLICE_LEN]).unwrap();
    let mut buffer = stack.alloc().unwrap();
    assert!(buffer.write(b"fine"));
    assert_eq!(buffer.capacity(), FIRST_WINDOW as usize);
}
