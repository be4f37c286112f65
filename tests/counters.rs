//! The counting wrapper agrees with the Stack's own counters, and
//! `min_stack_buffer` is exact.

use musli::{Allocator, Buf};
use musli_alloc_bench::counters::Counting;
use musli_alloc_bench::datasets::{DEFAULT_SEED, Dataset, Name, Visitor};
use musli_alloc_bench::format::{Format, Mode, Value};
use musli_alloc_bench::names::Named;
use musli_alloc_bench::sizing::SliceAllocator;
use musli_alloc_bench::workload::Workload;
use musli_alloc_bench::workload::fits;
use musli_alloc_bench::{HeapBuffer, Stack};

#[test]
fn the_wrapper_and_the_stack_count_the_same_moves_and_merges() {
    let mut slice = HeapBuffer::new(1 << 20);
    let stack = Stack::new(&mut slice);
    let counting = Counting::new(&stack);

    // Buffers written in turn move; a buffer placed right after one that
    // filled its first window merges back into it.
    {
        let mut buffers: Vec<_> = (0..4).map(|_| counting.alloc().unwrap()).collect();
        for round in 0..2000usize {
            assert!(buffers[round % 4].write(&[round as u8; 3]));
        }
    }
    let full = vec![b'o'; Stack::FIRST_WINDOW];
    for _ in 0..10 {
        let mut outer = counting.alloc().unwrap();
        assert!(outer.write(&full));
        let mut inner = counting.alloc().unwrap();
        assert!(inner.write(b"inner"));
        assert!(outer.write_buffer(inner));
        assert_eq!(outer.as_slice(), [&full[..], b"inner"].concat());
    }

    let (counted, own) = (counting.counts(), stack.stats());
    assert!(own.moves > 0 && own.merges == 10, "{own:?}");
    assert_eq!(counted.moves, own.moves);
    assert_eq!(counted.bytes_moved, own.bytes_moved);
    assert_eq!(counted.merges, own.merges);
    assert_eq!(counted.allocations, own.allocations);
    assert_eq!(counted.max_live_buffers, own.max_live_buffers as u64);
}

/// Checks the exactness of the minimum of the value that needs the most.
struct Exact {
    format: Format,
    mode: Mode,
    minimums: Vec<usize>,
}

impl Visitor for Exact {
    type Output = ();

    fn visit<T: Value>(self, values: &[T]) {
        let (at, &minimum) = self
            .minimums
            .iter()
            .enumerate()
            .max_by_key(|(_, minimum)| **minimum)
            .unwrap();
        let value = &values[at];
        assert!(
            fits(
                SliceAllocator::Stack,
                self.format,
                self.mode,
                value,
                minimum
            ),
            "{minimum} fits"
        );
        if minimum >= 8 {
            assert!(
                !fits(
                    SliceAllocator::Stack,
                    self.format,
                    self.mode,
                    value,
                    minimum - 8
                ),
                "{minimum} - 8 fails"
            );
        }
    }
}

#[test]
fn min_stack_buffer_is_exact_for_every_dataset() {
    for &name in Name::ALL {
        let dataset = Dataset::generate(name, DEFAULT_SEED, 1.0);
        for &mode in Mode::ALL {
            let format = Format::Wire;
            let workload = Workload::new(&dataset, format, mode);
            let minimums = workload.min_slices(SliceAllocator::Stack);
            assert!(minimums.iter().all(|minimum| minimum.is_multiple_of(8)));
            dataset.visit(Exact {
                format,
                mode,
                minimums,
            });
        }
    }
}
