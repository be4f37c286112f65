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

/// Every dataset, both modes, `wire` and `descriptive`, each value encoded
/// with musli 0.2 on our `SpillStack` and `Stack` over slices of 0 B,
/// 512 B, 4 KiB and the value's own minimum: the `SpillStack` always writes
/// `Global`'s bytes, the `Stack` wherever the slice is at least the
/// minimum, and refuses (never panics, never writes other bytes) below it.
#[test]
fn every_dataset_encodes_on_our_stacks_as_on_global() {
    use musli_alloc_bench::datasets::{
        DEFAULT_SEED, Dataset, Name, NextDataset, NextVisitor, sample_scale,
    };
    use musli_alloc_bench::format::next::{NextValue, encode};
    use musli_alloc_bench::format::{Format, Mode};
    use musli_alloc_bench::names::Named;
    use musli_alloc_bench::sizing::NextSliceAllocator;
    use musli_alloc_bench::workload::NextWorkload;

    struct Check {
        what: String,
        format: Format,
        mode: Mode,
        minimums: Vec<usize>,
    }

    impl NextVisitor for Check {
        type Output = usize;

        /// Returns how many encodes the `Stack` refused.
        fn visit<T: NextValue>(self, values: &[T]) -> usize {
            let mut refused = 0;
            for (value, &minimum) in values.iter().zip(&self.minimums) {
                let expected =
                    encoded(Global::new(), self.format, self.mode, value).expect("Global has room");
                for len in [0, 512, 4096, minimum] {
                    let what = format!("{} on {len} bytes (minimum {minimum})", self.what);
                    let mut slice = HeapBuffer::new(len);
                    let spilling = SpillStack::new(&mut slice);
                    let out = encoded(&spilling, self.format, self.mode, value)
                        .expect("a SpillStack never refuses");
                    assert_eq!(out, expected, "SpillStack: {what}");
                    assert_eq!(spilling.stats().live_buffers, 0, "{what}");

                    let mut slice = HeapBuffer::new(len);
                    match encoded(&Stack::new(&mut slice), self.format, self.mode, value) {
                        Some(out) => assert_eq!(out, expected, "Stack: {what}"),
                        None => {
                            assert!(len < minimum, "Stack refused {what}");
                            refused += 1;
                        }
                    }
                }
            }
            refused
        }
    }

    /// `value` encoded with musli 0.2 on `alloc`.
    fn encoded<A, T>(alloc: A, format: Format, mode: Mode, value: &T) -> Option<Vec<u8>>
    where
        A: musli_next::alloc::Allocator,
        T: NextValue,
    {
        let mut out = Vec::new();
        encode(alloc, format, mode, value, &mut out).ok()?;
        Some(out)
    }

    let mut refused = 0;
    for &name in Name::ALL {
        let dataset = NextDataset::of(&Dataset::generate(name, DEFAULT_SEED, sample_scale(name)));
        for &mode in Mode::ALL {
            for format in [Format::Wire, Format::Descriptive] {
                let workload = NextWorkload::new(&dataset, format, mode);
                refused += dataset.visit(Check {
                    what: format!("{name}/{format}/{mode}"),
                    format,
                    mode,
                    minimums: workload.min_slices(NextSliceAllocator::Stack),
                });
            }
        }
    }
    assert!(
        refused > 0,
        "no slice was too small: the sizes tested nothing"
    );
}
