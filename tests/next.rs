//! musli 0.2 encodes on this crate's `Stack` and `SpillStack` (through
//! `next`), checked against musli 0.2's own `Global` byte for byte, on
//! slices from none at all to more than enough.

use musli_alloc_bench::next::{SpillStack, Stack, StackBuffer};
use musli_alloc_bench::{HeapBuffer, StackStats};
use musli_next::alloc::{ArrayBuffer, Global, Slice};
use musli_next::mode::Binary;
use musli_next::{Decode, Encode};

/// A leaf packed in the default mode: the wire encoder takes a buffer for
/// each one it reaches.
#[derive(Debug, PartialEq, Encode, Decode)]
#[musli(crate = musli_next, packed)]
struct Point {
    x: f64,
    y: f64,
}

#[derive(Debug, PartialEq, Encode, Decode)]
#[musli(crate = musli_next)]
struct Ring {
    name: String,
    points: Vec<Point>,
}

#[derive(Debug, PartialEq, Encode, Decode)]
#[musli(crate = musli_next)]
struct Shapes {
    rings: Vec<Ring>,
    tags: Vec<String>,
}

fn shapes() -> Shapes {
    Shapes {
        rings: (0..40)
            .map(|ring| Ring {
                name: format!("ring {ring} with a name of some length"),
                points: (0..ring * 3)
                    .map(|at| Point {
                        x: f64::from(at) * 0.5,
                        y: f64::from(ring) - f64::from(at),
                    })
                    .collect(),
            })
            .collect(),
        tags: (0..30).map(|tag| "é".repeat(tag)).collect(),
    }
}

/// The wire encoding of `value` with musli 0.2 on `alloc`.
fn encode<A: musli_next::alloc::Allocator>(alloc: A, value: &Shapes) -> Option<Vec<u8>> {
    let cx = musli_next::context::new_in(alloc);
    let mut out = Vec::new();
    musli_next::wire::Encoding::new()
        .with_mode::<Binary>()
        .encode_with(&cx, &mut out, value)
        .ok()?;
    Some(out)
}

#[test]
fn every_allocator_writes_globals_bytes() {
    let value = shapes();
    let expected = encode(Global::new(), &value).expect("Global has room");
    let decoded: Shapes = musli_next::wire::from_slice(&expected).expect("it decodes");
    assert_eq!(decoded, value);

    let mut array = ArrayBuffer::new();
    assert_eq!(
        encode(&Slice::new(&mut array), &value).as_ref(),
        Some(&expected)
    );

    let stats = |stats: StackStats| (stats.live_buffers, stats.spills);
    for len in [0, 8, 512, 4096] {
        let mut slice = HeapBuffer::new(len);
        let spilling = SpillStack::new(&mut slice);
        let out = encode(&spilling, &value).expect("a SpillStack never refuses");
        assert_eq!(out, expected, "SpillStack on {len} bytes");
        assert_eq!(stats(spilling.stats()).0, 0, "every buffer came back");

        let mut slice = HeapBuffer::new(len);
        let stack = Stack::new(&mut slice);
        match encode(&stack, &value) {
            Some(out) => assert_eq!(out, expected, "Stack on {len} bytes"),
            None => assert!(len < 64, "Stack on {len} bytes refused"),
        }
        assert_eq!(stats(stack.stats()), (0, 0));
    }

    // The wire encoder holds one buffer at a time, reused point after
    // point: a StackBuffer on the call stack does.
    let mut buffer = StackBuffer::<4096>::new();
    let stack = Stack::new(&mut buffer);
    assert_eq!(encode(&stack, &value), Some(expected));
    assert!(stack.stats().allocations >= 1000, "{:?}", stack.stats());
    assert_eq!(stack.stats().max_live_buffers, 1);
}
