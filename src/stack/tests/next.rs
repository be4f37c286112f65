//! The `Stack` behind musli 0.2's trait: random programs of typed `Vec`s
//! of musli 0.2 against `std` vectors given the same pushes, under either
//! policy, with buffers of musli 0.0.122's trait alive beside them.

use musli::Buf;
use musli_next::alloc::{Alloc, AllocError, Allocator, Vec as NextVec};
use proptest::prelude::*;
use std::prelude::rust_2024::*;
use std::vec;

use super::{heap, layout, proptest_cases, settled_heap_bytes, slice_len};
use crate::{Overflow, Refuse, Spill, StackBuf, StackWith};

/// The most vectors a program keeps alive at once.
const MAX_LIVE: usize = 48;

/// An element of odd size and alignment 1.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Triple([u8; 3]);

/// A live vector of one element type, and its model.
enum Live<'a, P: Overflow> {
    Bytes(NextVec<u8, &'a StackWith<'a, P>>, Vec<u8>),
    Halves(NextVec<u16, &'a StackWith<'a, P>>, Vec<u16>),
    Words(NextVec<u64, &'a StackWith<'a, P>>, Vec<u64>),
    Triples(NextVec<Triple, &'a StackWith<'a, P>>, Vec<Triple>),
    /// A buffer of musli 0.0.122's trait on the same `Stack`.
    Old(StackBuf<'a, P>, Vec<u8>),
}

#[derive(Clone, Debug)]
enum Step {
    Alloc { kind: u8 },
    Push { pick: usize, count: usize, seed: u8 },
    Drop { pick: usize },
}

fn step() -> impl Strategy<Value = Step> {
    let count = prop_oneof![
        6 => 0usize..16,
        3 => 16usize..400,
        1 => 400usize..20_000,
    ];
    prop_oneof![
        3 => (0u8..5).prop_map(|kind| Step::Alloc { kind }),
        8 => (any::<usize>(), count, any::<u8>())
            .prop_map(|(pick, count, seed)| Step::Push { pick, count, seed }),
        2 => any::<usize>().prop_map(|pick| Step::Drop { pick }),
    ]
}

/// Extends `vec` by `items`, checks what the policy promises, and keeps
/// `model` in step.
fn push<T, P>(vec: &mut NextVec<T, &StackWith<'_, P>>, model: &mut Vec<T>, items: &[T])
where
    T: Copy + PartialEq + core::fmt::Debug,
    P: Overflow,
{
    let before = vec.as_slice().as_ptr();
    match vec.extend_from_slice(items) {
        Ok(()) => model.extend_from_slice(items),
        Err(AllocError) => {
            assert!(!P::SPILLS, "a SpillStack refused {} elements", items.len());
            // An empty vector may have taken a region on the way.
            if !model.is_empty() {
                assert_eq!(vec.as_slice().as_ptr(), before, "a refused resize moved");
            }
        }
    }
    assert_eq!(vec.as_slice(), model.as_slice());
    assert!(
        vec.as_slice().as_ptr().is_aligned(),
        "a misaligned {}",
        core::any::type_name::<T>()
    );
    assert!(vec.len() <= vec.capacity());
}

fn check<P: Overflow>(stack: &StackWith<'_, P>, live: &[Live<'_, P>]) {
    layout(stack);
    assert!(stack.stats().live_buffers <= live.len());
    for entry in live {
        match entry {
            Live::Bytes(vec, model) => assert_eq!(vec.as_slice(), model.as_slice()),
            Live::Halves(vec, model) => assert_eq!(vec.as_slice(), model.as_slice()),
            Live::Words(vec, model) => assert_eq!(vec.as_slice(), model.as_slice()),
            Live::Triples(vec, model) => assert_eq!(vec.as_slice(), model.as_slice()),
            Live::Old(buffer, model) => assert_eq!(buffer.as_slice(), model.as_slice()),
        }
    }
}

fn run<P: Overflow>(len: usize, steps: &[Step]) {
    let mut backing = heap(len);
    let stack = StackWith::<P>::new(&mut backing);
    let mut live: Vec<Live<'_, P>> = Vec::new();

    for step in steps {
        match *step {
            Step::Alloc { kind } => {
                if live.len() == MAX_LIVE {
                    continue;
                }
                live.push(match kind {
                    0 => Live::Bytes(NextVec::new_in(&stack), Vec::new()),
                    1 => Live::Halves(NextVec::new_in(&stack), Vec::new()),
                    2 => Live::Words(NextVec::new_in(&stack), Vec::new()),
                    3 => Live::Triples(NextVec::new_in(&stack), Vec::new()),
                    _ => match musli::Allocator::alloc(&stack) {
                        Some(buffer) => Live::Old(buffer, Vec::new()),
                        None => continue,
                    },
                });
            }
            Step::Push { pick, count, seed } => {
                if live.is_empty() {
                    continue;
                }
                let at = pick % live.len();
                let value = |at: usize| seed.wrapping_add(at as u8);
                match &mut live[at] {
                    Live::Bytes(vec, model) => {
                        let items: Vec<u8> = (0..count).map(value).collect();
                        push(vec, model, &items);
                    }
                    Live::Halves(vec, model) => {
                        let items: Vec<u16> =
                            (0..count).map(|at| u16::from(value(at)) * 257).collect();
                        push(vec, model, &items);
                    }
                    Live::Words(vec, model) => {
                        let items: Vec<u64> = (0..count)
                            .map(|at| u64::from(value(at)) << 40 | at as u64)
                            .collect();
                        push(vec, model, &items);
                    }
                    Live::Triples(vec, model) => {
                        let items: Vec<Triple> = (0..count)
                            .map(|at| Triple([value(at), seed, value(at + 1)]))
                            .collect();
                        push(vec, model, &items);
                    }
                    Live::Old(buffer, model) => {
                        let bytes = vec![seed; count];
                        if buffer.write(&bytes) {
                            model.extend_from_slice(&bytes);
                        } else {
                            assert!(!P::SPILLS, "a SpillStack refused a write");
                        }
                    }
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
        assert!(stack.high_water_bytes() <= stack.capacity());
    }

    drop(live);
    assert_eq!(stack.stats().live_buffers, 0);
    assert_eq!(settled_heap_bytes(&stack), 0, "heap memory kept");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(200)))]

    #[test]
    fn every_musli_0_2_vector_matches_its_model(
        len in slice_len(1 << 18),
        steps in prop::collection::vec(step(), 150..=250),
    ) {
        run::<Refuse>(len, &steps);
    }

    #[test]
    fn every_musli_0_2_vector_of_a_spill_stack_matches_its_model(
        len in slice_len(1 << 18),
        steps in prop::collection::vec(step(), 150..=250),
    ) {
        run::<Spill>(len, &steps);
    }
}

/// A fixed program of every kind of step, for runs under valgrind.
#[test]
fn a_fixed_program_of_musli_0_2_vectors_matches_its_model() {
    let mut steps = Vec::new();
    for round in 0..120usize {
        steps.push(Step::Alloc {
            kind: (round % 5) as u8,
        });
        steps.push(Step::Push {
            pick: round * 7,
            count: (round * 13) % 300,
            seed: round as u8,
        });
        if round % 4 == 1 {
            steps.push(Step::Drop { pick: round * 3 });
        }
    }
    for len in [0, 24, 100, 1000, 4096, 65_536] {
        run::<Refuse>(len, &steps);
        run::<Spill>(len, &steps);
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(align(16))]
struct Wide(u64);

#[test]
fn an_alignment_beyond_the_slices_is_refused_and_never_misaligned() {
    for len in [0, 4096] {
        let mut backing = heap(len);
        let stack = StackWith::<Refuse>::new(&mut backing);
        assert!(Allocator::alloc(&stack, Wide(1)).is_err());
        let mut vec = NextVec::<Wide, _>::new_in(&stack);
        assert_eq!(vec.push(Wide(2)), Err(AllocError));
        assert!(vec.as_slice().as_ptr().is_aligned());

        let mut backing = heap(len);
        let spilling = StackWith::<Spill>::new(&mut backing);
        let mut vec = NextVec::<Wide, _>::new_in(&spilling);
        assert_eq!(vec.push(Wide(2)), Err(AllocError), "even a SpillStack");
        assert_eq!(spilling.stats().live_buffers, 0, "no region taken");
    }
}

#[test]
fn alloc_places_a_value_and_its_region_comes_back() {
    let mut backing = heap(256);
    let stack = StackWith::<Refuse>::new(&mut backing);
    {
        let value = Allocator::alloc(&stack, 0x0102_0304_0506_0708u64).expect("room");
        assert!(value.as_ptr().is_aligned());
        // SAFETY: `alloc` wrote the value there.
        assert_eq!(unsafe { value.as_ptr().read() }, 0x0102_0304_0506_0708);
        assert_eq!(stack.stats().live_buffers, 1);
    }
    let zero_sized = Allocator::alloc(&stack, ()).expect("no memory needed");
    assert_eq!(zero_sized.capacity(), usize::MAX);
    drop(zero_sized);
    settled_heap_bytes(&stack);
    assert_eq!(stack.stats().live_buffers, 0);

    // A slice with no room for a header: refused, and nothing is broken.
    let mut tiny = heap(16);
    let stack = StackWith::<Refuse>::new(&mut tiny);
    assert!(Allocator::alloc(&stack, 7u8).is_err());
    let mut bytes = NextVec::new_in(&stack);
    assert_eq!(bytes.extend_from_slice(b"abc"), Err(AllocError));
    assert!(bytes.is_empty());
}

#[test]
fn a_vector_that_outgrows_the_slice_spills_and_keeps_its_elements() {
    let mut backing = heap(512);
    let stack = StackWith::<Spill>::new(&mut backing);
    let mut words = NextVec::new_in(&stack);
    let items: Vec<u64> = (0..1000).collect();
    for chunk in items.chunks(7) {
        words.extend_from_slice(chunk).expect("never refused");
    }
    assert_eq!(words.as_slice(), items.as_slice());
    assert!(words.as_slice().as_ptr().is_aligned());
    assert_eq!(stack.stats().spills, 1);
    drop(words);
    assert_eq!(settled_heap_bytes(&stack), 0);
}
