//! The Stack through musli's encoders, using only the public API.

use musli::allocator::System;
use musli::{Allocator, Buf, Decode, Encode};
use musli_alloc_bench::format::{Format, Mode, Packed, encode};
use musli_alloc_bench::names::Named;
use musli_alloc_bench::{DEFAULT_STACK_BUFFER, HeapBuffer, Stack, StackBuffer};

#[derive(Debug, PartialEq, Encode, Decode)]
#[musli(mode = Packed, packed)]
struct Order {
    id: u64,
    customer: Customer,
    lines: Vec<Line>,
    note: Option<String>,
}

#[derive(Debug, PartialEq, Encode, Decode)]
#[musli(mode = Packed, packed)]
struct Customer {
    name: String,
    tags: Vec<String>,
}

#[derive(Debug, PartialEq, Encode, Decode)]
#[musli(packed)]
#[musli(mode = Packed, packed)]
struct Line {
    sku: u32,
    quantity: u16,
    cents: u64,
}

fn order() -> Order {
    Order {
        id: 42,
        customer: Customer {
            name: "Zoë Okafor".to_owned(),
            tags: vec!["gold".to_owned(), "東京".to_owned()],
        },
        lines: (0..50)
            .map(|at| Line {
                sku: 1000 + at,
                quantity: (at % 7) as u16,
                cents: u64::from(at) * 199,
            })
            .collect(),
        note: Some("leave at the door 🚪".to_owned()),
    }
}

#[test]
fn the_stack_encodes_the_same_bytes_as_system() {
    let order = order();
    for format in [Format::Wire, Format::Descriptive] {
        for &mode in Mode::ALL {
            let mut expected = Vec::new();
            encode(&System::new(), format, mode, &order, &mut expected).unwrap();

            let mut buffer = StackBuffer::<DEFAULT_STACK_BUFFER>::new();
            let stack = Stack::new(&mut buffer);
            let mut out = Vec::new();
            encode(&stack, format, mode, &order, &mut out).unwrap();

            assert_eq!(out, expected, "{format}/{mode}");
            let stats = stack.stats();
            assert!(stats.allocations > 0, "{format}/{mode} buffers a pack");
            assert_eq!(stats.live_buffers, 0);
            assert_eq!(stats.moves, 0, "one buffer at a time never moves");
        }
    }
}

#[test]
fn an_encode_that_does_not_fit_fails_without_panicking() {
    let order = order();
    let mut buffer = StackBuffer::<256>::new();
    let stack = Stack::new(&mut buffer);
    let mut out = Vec::new();
    assert!(encode(&stack, Format::Wire, Mode::Packed, &order, &mut out).is_err());
    assert_eq!(stack.stats().live_buffers, 0);

    // The same Stack still serves what fits.
    let mut small = stack.alloc().unwrap();
    assert!(small.write(b"still works"));
    assert_eq!(small.as_slice(), b"still works");
}

#[test]
fn heap_buffers_start_where_they_are_asked_to() {
    for offset in [0, 8, 2056, 4088] {
        let buffer = HeapBuffer::at_page_offset(10_000, offset);
        assert_eq!(buffer.page_offset(), offset);
        assert_eq!(buffer.len(), 10_000);
    }
    assert_eq!(
        HeapBuffer::new(100).page_offset(),
        HeapBuffer::DEFAULT_PAGE_OFFSET
    );
    assert_ne!(HeapBuffer::DEFAULT_PAGE_OFFSET % 4096, 0);
}
