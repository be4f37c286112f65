//! Random programs against a model: every live buffer must always hold
//! exactly what a `Vec<u8>` given the same writes holds, under either
//! overflow policy. A spilling `Stack` must never refuse, and must give
//! back all its heap memory once its buffers are gone.

use musli::{Allocator, Buf};
use proptest::prelude::*;
use std::prelude::rust_2024::*;
use std::vec;

use super::{heap, layout, proptest_cases, settled_heap_bytes, slice_len};
use crate::{Overflow, Refuse, Spill, StackBuf, StackWith};

/// The most buffers a program keeps alive at once.
const MAX_LIVE: usize = 64;

#[derive(Clone, Debug)]
enum Step {
    Alloc,
    /// Write `len` copies of `byte` to the live buffer picked by `pick`.
    Write {
        pick: usize,
        len: usize,
        byte: u8,
    },
    /// `write_buffer` from one live buffer into another.
    WriteBuffer {
        into: usize,
        from: usize,
    },
    Drop {
        pick: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let len = prop_oneof![
        6 => 0usize..16,
        3 => 16usize..512,
        1 => 512usize..70_000,
    ];

    prop_oneof![
        3 => Just(Step::Alloc),
        8 => (any::<usize>(), len, any::<u8>())
            .prop_map(|(pick, len, byte)| Step::Write { pick, len, byte }),
        2 => (any::<usize>(), any::<usize>())
            .prop_map(|(into, from)| Step::WriteBuffer { into, from }),
        2 => any::<usize>().prop_map(|pick| Step::Drop { pick }),
    ]
}

struct Live<'a, P: Overflow> {
    buffer: StackBuf<'a, P>,
    model: Vec<u8>,
}

fn check<P: Overflow>(stack: &StackWith<'_, P>, live: &[Live<'_, P>]) {
    layout(stack);
    assert_eq!(stack.stats().live_buffers, live.len());
    for entry in live {
        assert_eq!(entry.buffer.as_slice(), entry.model.as_slice());
        assert!(entry.buffer.len() <= entry.buffer.capacity());
    }
}

/// Asserts that a write or `write_buffer` that returned `succeeded` kept
/// its promises: under the spilling policy it always succeeds, and a
/// refused one leaves the buffer where it was.
fn check_write<P: Overflow>(succeeded: bool, buffer: &StackBuf<'_, P>, address: *const u8) {
    if P::SPILLS {
        assert!(succeeded, "a SpillStack refused a write");
    } else if !succeeded {
        assert_eq!(buffer.as_slice().as_ptr(), address, "a refused write moved");
    }
}

fn run<P: Overflow>(len: usize, steps: &[Step]) {
    let mut backing = heap(len);
    let stack = StackWith::<P>::new(&mut backing);
    let mut live: Vec<Live<'_, P>> = Vec::new();
    let mut moves_seen = 0u64;
    let mut high_water_before = 0;

    for step in steps {
        match *step {
            Step::Alloc => {
                if live.len() == MAX_LIVE {
                    continue;
                }
                let failed_before = stack.stats().failed_allocations;
                match stack.alloc() {
                    Some(buffer) => {
                        assert!(buffer.is_empty());
                        live.push(Live {
                            buffer,
                            model: Vec::new(),
                        });
                    }
                    None => {
                        assert!(!P::SPILLS, "a SpillStack refused an allocation");
                        assert_eq!(stack.stats().failed_allocations, failed_before + 1);
                    }
                }
            }
            Step::Write { pick, len, byte } => {
                if live.is_empty() {
                    continue;
                }
                let at = pick % live.len();
                let entry = &mut live[at];
                let address = entry.buffer.as_slice().as_ptr();
                let bytes = vec![byte; len];
                let written = entry.buffer.write(&bytes);
                check_write(written, &entry.buffer, address);
                if written {
                    if !entry.model.is_empty() && entry.buffer.as_slice().as_ptr() != address {
                        moves_seen += 1;
                    }
                    entry.model.extend_from_slice(&bytes);
                }
            }
            Step::WriteBuffer { into, from } => {
                if live.len() < 2 {
                    continue;
                }
                let into = into % live.len();
                let mut from = from % live.len();
                if from == into {
                    from = (from + 1) % live.len();
                }
                let source = live.remove(from);
                let into = if from < into { into - 1 } else { into };
                let entry = &mut live[into];
                let address = entry.buffer.as_slice().as_ptr();
                let written = entry.buffer.write_buffer(source.buffer);
                check_write(written, &entry.buffer, address);
                if written {
                    if !entry.model.is_empty() && entry.buffer.as_slice().as_ptr() != address {
                        moves_seen += 1;
                    }
                    entry.model.extend_from_slice(&source.model);
                }
            }
            Step::Drop { pick } => {
                if !live.is_empty() {
                    let at = pick % live.len();
                    live.swap_remove(at);
                }
            }
        }

        check(&stack, &live);

        // A peak never comes down, and never passes the slice.
        let high_water = stack.high_water_bytes();
        assert!(
            high_water >= high_water_before,
            "the high-water mark went down"
        );
        assert!(high_water <= stack.capacity());
        high_water_before = high_water;
    }

    // The Stack's own count of moves agrees with what the buffers showed.
    let stats = stack.stats();
    assert_eq!(stats.moves, moves_seen);
    if P::SPILLS {
        assert_eq!(stats.failed_allocations, 0);
        assert!(stats.spilled_bytes <= stats.bytes_moved);
    } else {
        assert_eq!((stats.spills, stats.max_heap_bytes), (0, 0));
    }

    drop(live);
    assert_eq!(stack.stats().live_buffers, 0);
    assert_eq!(
        settled_heap_bytes(&stack),
        0,
        "heap memory kept after the drops"
    );
}

// 400 programs of 250 to 350 steps: at least 100,000 steps per run.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(400)))]

    #[test]
    fn every_live_buffer_matches_its_model(
        len in slice_len(1 << 20),
        steps in prop::collection::vec(step(), 250..=350),
    ) {
        run::<Refuse>(len, &steps);
    }

    #[test]
    fn every_live_buffer_of_a_spill_stack_matches_its_model(
        len in slice_len(1 << 20),
        steps in prop::collection::vec(step(), 250..=350),
    ) {
        run::<Spill>(len, &steps);
    }
}

/// A short, fixed program of every kind of step, for runs under valgrind
/// where the random one is cut down.
#[test]
fn a_fixed_program_matches_its_model() {
    let mut steps = Vec::new();
    for round in 0..200usize {
        steps.push(Step::Alloc);
        steps.push(Step::Write {
            pick: round * 7,
            len: round % 37,
            byte: round as u8,
        });
        if round.is_multiple_of(3) {
            steps.push(Step::WriteBuffer {
                into: round,
                from: round * 5 + 1,
            });
        }
        if round % 4 == 1 {
            steps.push(Step::Drop { pick: round * 3 });
        }
    }
    for len in [0, 24, 100, 1000, 4096, 65_536] {
        run::<Refuse>(len, &steps);
        run::<Spill>(len, &steps);
    }
}
