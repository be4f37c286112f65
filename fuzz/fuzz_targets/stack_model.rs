//! Both overflow policies against a model: the fuzzer's bytes are a slice
//! length and a program of allocations, writes, `write_buffer`s and drops,
//! through musli 0.0.122's trait and, on the same `Stack`, through musli
//! 0.2's (typed vectors of `u8`, `u32` and `u64`); every live buffer must
//! hold what a `Vec` given the same calls holds, its elements aligned.
//! `Stack` may refuse, but a refused call changes nothing; `SpillStack`
//! never refuses.

#![no_main]

use libfuzzer_sys::fuzz_target;
use musli::{Allocator, Buf};
use musli_alloc_bench::{HeapBuffer, Overflow, Refuse, Spill, StackBuf, StackWith};
use musli_next::alloc::Vec as NextVec;

/// The most buffers a program keeps alive at once.
const MAX_LIVE: usize = 64;

fuzz_target!(|data: &[u8]| {
    let Some((&[high, low], program)) = data.split_first_chunk::<2>() else {
        return;
    };
    // Up to 64 KiB, in steps of 8 bytes, so that small slices are common.
    let slice_len = usize::from(u16::from_be_bytes([high, low])) & 0x1fff;
    let slice_len = slice_len * 8;
    run::<Refuse>(slice_len, program);
    run::<Spill>(slice_len, program);
});

/// A live buffer and its model.
enum Live<'a, P: Overflow> {
    /// Through musli 0.0.122's trait.
    Old(StackBuf<'a, P>, Vec<u8>),
    /// Through musli 0.2's, of bytes.
    Bytes(NextVec<u8, &'a StackWith<'a, P>>, Vec<u8>),
    /// Through musli 0.2's, of 4-byte elements.
    Words(NextVec<u32, &'a StackWith<'a, P>>, Vec<u32>),
    /// Through musli 0.2's, of 8-byte elements.
    Longs(NextVec<u64, &'a StackWith<'a, P>>, Vec<u64>),
}

/// Extends a musli 0.2 vector and its model by `items`, checking what the
/// policy promises.
fn extend<T: Copy + PartialEq + std::fmt::Debug, P: Overflow>(
    vec: &mut NextVec<T, &StackWith<'_, P>>,
    model: &mut Vec<T>,
    items: &[T],
) {
    let before = vec.as_slice().as_ptr();
    if vec.extend_from_slice(items).is_ok() {
        model.extend_from_slice(items);
    } else {
        assert!(!P::SPILLS, "a SpillStack refused a resize");
        if !model.is_empty() {
            assert_eq!(vec.as_slice().as_ptr(), before, "a refused resize moved");
        }
    }
}

fn run<P: Overflow>(slice_len: usize, program: &[u8]) {
    let mut backing = HeapBuffer::new(slice_len);
    let stack = StackWith::<P>::new(&mut backing);
    let mut live: Vec<Live<'_, P>> = Vec::new();

    for step in program.chunks(3) {
        let &[op, a, b] = step else {
            break;
        };
        match op % 7 {
            0 if live.len() < MAX_LIVE => match stack.alloc() {
                Some(buffer) => live.push(Live::Old(buffer, Vec::new())),
                None => assert!(!P::SPILLS, "a SpillStack refused an allocation"),
            },
            1 if !live.is_empty() => {
                let at = usize::from(a) % live.len();
                // Mostly short writes, now and then one of kilobytes.
                let len = if b & 0x80 == 0 {
                    usize::from(b)
                } else {
                    usize::from(b & 0x7f) * 97
                };
                match &mut live[at] {
                    Live::Old(buffer, model) => {
                        let bytes = vec![a ^ b; len];
                        let before = buffer.as_slice().as_ptr();
                        if buffer.write(&bytes) {
                            model.extend_from_slice(&bytes);
                        } else {
                            assert!(!P::SPILLS, "a SpillStack refused a write");
                            assert_eq!(buffer.as_slice().as_ptr(), before);
                        }
                    }
                    Live::Bytes(vec, model) => extend(vec, model, &vec![a ^ b; len]),
                    Live::Words(vec, model) => {
                        let items: Vec<u32> =
                            (0..len / 4).map(|at| at as u32 ^ u32::from(b)).collect();
                        extend(vec, model, &items);
                    }
                    Live::Longs(vec, model) => {
                        let items: Vec<u64> = (0..len / 8)
                            .map(|at| (at as u64) << 33 | u64::from(a))
                            .collect();
                        extend(vec, model, &items);
                    }
                }
            }
            2 if live.len() >= 2 => {
                let from = usize::from(b) % live.len();
                let into = usize::from(a) % (live.len() - 1);
                // `write_buffer` is musli 0.0.122's alone; with any other
                // pair this is a drop of the first.
                let source = live.swap_remove(from);
                match (&mut live[into], source) {
                    (Live::Old(buffer, model), Live::Old(other, other_model)) => {
                        if buffer.write_buffer(other) {
                            model.extend_from_slice(&other_model);
                        } else {
                            assert!(!P::SPILLS, "a SpillStack refused a write_buffer");
                        }
                    }
                    (_, source) => drop(source),
                }
            }
            3 if !live.is_empty() => {
                let at = usize::from(a) % live.len();
                live.swap_remove(at);
            }
            4 if live.len() < MAX_LIVE => {
                live.push(Live::Bytes(NextVec::new_in(&stack), Vec::new()))
            }
            5 if live.len() < MAX_LIVE => {
                live.push(Live::Words(NextVec::new_in(&stack), Vec::new()))
            }
            6 if live.len() < MAX_LIVE => {
                live.push(Live::Longs(NextVec::new_in(&stack), Vec::new()))
            }
            _ => {}
        }

        let mut old_buffers = 0;
        for entry in &live {
            match entry {
                Live::Old(buffer, model) => {
                    old_buffers += 1;
                    assert_eq!(buffer.as_slice(), model.as_slice());
                }
                Live::Bytes(vec, model) => assert_eq!(vec.as_slice(), model.as_slice()),
                Live::Words(vec, model) => {
                    assert_eq!(vec.as_slice(), model.as_slice());
                    assert!(vec.as_slice().as_ptr().is_aligned());
                }
                Live::Longs(vec, model) => {
                    assert_eq!(vec.as_slice(), model.as_slice());
                    assert!(vec.as_slice().as_ptr().is_aligned());
                }
            }
        }
        let stats = stack.stats();
        // A musli 0.2 vector of a `Stack` may hold no region yet.
        assert!(stats.live_buffers >= old_buffers && stats.live_buffers <= live.len());
        if P::SPILLS {
            assert_eq!(stats.live_buffers, live.len());
        }
        assert!(stats.high_water_bytes <= slice_len);
        if !P::SPILLS {
            assert_eq!(stats.spills, 0);
        }
    }
}
