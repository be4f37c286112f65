//! Both overflow policies against a model: the fuzzer's bytes are a slice
//! length and a program of allocations, writes, `write_buffer`s and drops;
//! every live buffer must hold what a `Vec<u8>` given the same calls holds.
//! `Stack` may refuse, but a refused call changes nothing; `SpillStack`
//! never refuses.

#![no_main]

use libfuzzer_sys::fuzz_target;
use musli::{Allocator, Buf};
use musli_alloc_bench::{HeapBuffer, Overflow, Refuse, Spill, StackBuf, StackWith};

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

struct Live<'a, P: Overflow> {
    buffer: StackBuf<'a, P>,
    model: Vec<u8>,
}

fn run<P: Overflow>(slice_len: usize, program: &[u8]) {
    let mut backing = HeapBuffer::new(slice_len);
    let stack = StackWith::<P>::new(&mut backing);
    let mut live: Vec<Live<'_, P>> = Vec::new();

    for step in program.chunks(3) {
        let &[op, a, b] = step else {
            break;
        };
        match op % 4 {
            0 if live.len() < MAX_LIVE => match stack.alloc() {
                Some(buffer) => live.push(Live {
                    buffer,
                    model: Vec::new(),
                }),
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
                let bytes = vec![a ^ b; len];
                let entry = &mut live[at];
                let before = entry.buffer.as_slice().as_ptr();
                if entry.buffer.write(&bytes) {
                    entry.model.extend_from_slice(&bytes);
                } else {
                    assert!(!P::SPILLS, "a SpillStack refused a write");
                    assert_eq!(entry.buffer.as_slice().as_ptr(), before);
                }
            }
            2 if live.len() >= 2 => {
                let from = usize::from(b) % live.len();
                let source = live.swap_remove(from);
                let into = usize::from(a) % live.len();
                let entry = &mut live[into];
                if entry.buffer.write_buffer(source.buffer) {
                    entry.model.extend_from_slice(&source.model);
                } else {
                    assert!(!P::SPILLS, "a SpillStack refused a write_buffer");
                }
            }
            3 if !live.is_empty() => {
                let at = usize::from(a) % live.len();
                live.swap_remove(at);
            }
            _ => {}
        }

        for entry in &live {
            assert_eq!(entry.buffer.as_slice(), entry.model.as_slice());
        }
        let stats = stack.stats();
        assert_eq!(stats.live_buffers, live.len());
        assert!(stats.high_water_bytes <= slice_len);
        if !P::SPILLS {
            assert_eq!(stats.spills, 0);
        }
    }
}
