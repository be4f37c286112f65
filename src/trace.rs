//! Allocator calls recorded from an encode, and replaying them without the
//! encoder.
//!
//! A trace names buffers by *slot*: the lowest slot free when the buffer was
//! allocated. musli's encoders keep very few buffers alive at once, so a
//! replay needs only a small fixed array of live buffers and does no
//! bookkeeping allocation of its own.

use musli::{Allocator, Buf};

use crate::task::{NextTask, Task};

/// The most buffers a trace may keep alive at once.
pub const MAX_SLOTS: usize = 64;

/// One allocator call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `alloc`, into the slot given.
    Alloc {
        /// The slot the new buffer takes.
        slot: u8,
    },
    /// A write of `len` bytes to the buffer in `slot`. A `write_buffer` is
    /// recorded as a write of the other buffer's length, then its drop.
    Write {
        /// The buffer's slot.
        slot: u8,
        /// Bytes written.
        len: u32,
    },
    /// The buffer in `slot` was dropped.
    Drop {
        /// The buffer's slot.
        slot: u8,
    },
}

/// The allocator calls of a workload, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    /// The calls.
    pub ops: Vec<Op>,
    /// Which slots hold a live buffer now.
    occupied: u64,
    /// The longest single write.
    longest_write: usize,
}

impl Trace {
    /// A trace of no calls.
    pub const fn new() -> Self {
        Self {
            ops: Vec::new(),
            occupied: 0,
            longest_write: 0,
        }
    }

    /// Records an allocation and returns the slot it takes.
    ///
    /// # Panics
    ///
    /// When more than [`MAX_SLOTS`] buffers would be alive at once.
    pub fn alloc(&mut self) -> u32 {
        let slot = (!self.occupied).trailing_zeros();
        assert!(
            (slot as usize) < MAX_SLOTS,
            "more than {MAX_SLOTS} live buffers"
        );
        self.occupied |= 1 << slot;
        self.ops.push(Op::Alloc { slot: slot as u8 });
        slot
    }

    /// Records a write of `len` bytes to the buffer in `slot`.
    pub fn write(&mut self, slot: u32, len: usize) {
        self.longest_write = self.longest_write.max(len);
        self.ops.push(Op::Write {
            slot: slot as u8,
            len: len as u32,
        });
    }

    /// Records the drop of the buffer in `slot`.
    pub fn drop(&mut self, slot: u32) {
        self.occupied &= !(1 << slot);
        self.ops.push(Op::Drop { slot: slot as u8 });
    }

    /// Appends the calls of `later`, recorded after this trace's buffers
    /// were all dropped.
    pub fn append(&mut self, later: Trace) {
        debug_assert_eq!(self.occupied, 0, "appending while buffers are alive");
        self.longest_write = self.longest_write.max(later.longest_write);
        self.occupied = later.occupied;
        self.ops.extend(later.ops);
    }

    /// Bytes a replay writes from: as long as the longest write.
    pub fn source(&self) -> Vec<u8> {
        (0..self.longest_write).map(|at| at as u8).collect()
    }

    /// The bytes written, in total.
    pub fn bytes_written(&self) -> u64 {
        self.ops
            .iter()
            .map(|op| match op {
                Op::Write { len, .. } => u64::from(*len),
                _ => 0,
            })
            .sum()
    }
}

/// Replays a trace on a musli 0.0.122 allocator ([`Task`]) or a musli 0.2
/// one ([`NextTask`], each buffer a `musli::alloc::Vec<u8>`), writing
/// bytes from `source` (see [`Trace::source`]). It stops at the first call
/// that fails and gives its index; `None` when every call succeeded.
///
/// Stopping rather than counting failures keeps no counter alive across
/// the loop: the register it took made the loop spill another value on
/// every write for some allocator types and not others, a difference of
/// harness code (`docs/optimizations.md`).
pub struct Replay<'a> {
    /// The calls.
    pub trace: &'a Trace,
    /// At least as long as the longest write.
    pub source: &'a [u8],
}

impl Replay<'_> {
    /// The index of the call `remaining` calls before the end, the one
    /// just made.
    #[cold]
    fn failed_at(&self, remaining: usize) -> Option<usize> {
        Some(self.trace.ops.len() - remaining - 1)
    }
}

impl Task for Replay<'_> {
    type Output = Option<usize>;

    #[inline]
    fn run<A: Allocator>(self, alloc: &A) -> Option<usize> {
        let mut live: [Option<A::Buf<'_>>; MAX_SLOTS] = std::array::from_fn(|_| None);
        let mut ops = self.trace.ops.iter();

        while let Some(op) = ops.next() {
            let succeeded = match *op {
                Op::Alloc { slot } => {
                    live[slot as usize] = alloc.alloc();
                    live[slot as usize].is_some()
                }
                Op::Write { slot, len } => match &mut live[slot as usize] {
                    Some(buffer) => buffer.write(&self.source[..len as usize]),
                    None => false,
                },
                Op::Drop { slot } => {
                    live[slot as usize] = None;
                    true
                }
            };
            if !succeeded {
                return self.failed_at(ops.len());
            }
        }

        None
    }
}

impl NextTask for Replay<'_> {
    type Output = Option<usize>;

    #[inline]
    fn run<A: musli_next::alloc::Allocator>(self, alloc: A) -> Option<usize> {
        use musli_next::alloc::Vec;

        let mut live: [Option<Vec<u8, A>>; MAX_SLOTS] = std::array::from_fn(|_| None);
        let mut ops = self.trace.ops.iter();

        while let Some(op) = ops.next() {
            let succeeded = match *op {
                Op::Alloc { slot } => {
                    live[slot as usize] = Some(Vec::new_in(alloc));
                    true
                }
                Op::Write { slot, len } => match &mut live[slot as usize] {
                    Some(buffer) => buffer
                        .extend_from_slice(&self.source[..len as usize])
                        .is_ok(),
                    None => false,
                },
                Op::Drop { slot } => {
                    live[slot as usize] = None;
                    true
                }
            };
            if !succeeded {
                return self.failed_at(ops.len());
            }
        }

        None
    }
}

/// [`Replay`], each kind of call made through a function of its own that
/// is never inlined, so that a profiler counts each kind apart
/// (`calls`, `src/harness/calls.rs`): [`call_alloc`], [`call_write`],
/// [`call_drop`]. The calls cost a few instructions more than inlined ones;
/// what is measured is the allocator's code inside them.
///
/// Its loop repeats [`Replay`]'s instead of sharing it: one loop generic
/// over how calls are made compiled the bench's replay otherwise, and
/// moved `stack`'s counts on the replays by +2% to +4% with no allocator
/// code changed (`docs/optimizations.md`).
pub struct ReplayByCall<'a>(pub Replay<'a>);

impl Task for ReplayByCall<'_> {
    type Output = Option<usize>;

    fn run<A: Allocator>(self, alloc: &A) -> Option<usize> {
        let replay = self.0;
        let mut live: [Option<A::Buf<'_>>; MAX_SLOTS] = std::array::from_fn(|_| None);
        let mut ops = replay.trace.ops.iter();

        while let Some(op) = ops.next() {
            let succeeded = match *op {
                Op::Alloc { slot } => call_alloc(alloc, &mut live[slot as usize]),
                Op::Write { slot, len } => {
                    call_write(&mut live[slot as usize], &replay.source[..len as usize])
                }
                Op::Drop { slot } => {
                    call_drop(&mut live[slot as usize]);
                    true
                }
            };
            if !succeeded {
                return replay.failed_at(ops.len());
            }
        }

        None
    }
}

/// `alloc` into `slot`; whether it gave a buffer.
#[inline(never)]
pub fn call_alloc<'a, A: Allocator>(alloc: &'a A, slot: &mut Option<A::Buf<'a>>) -> bool {
    *slot = alloc.alloc();
    slot.is_some()
}

/// A write of `bytes` to the buffer in `slot`; whether it succeeded.
#[inline(never)]
pub fn call_write<B: Buf>(slot: &mut Option<B>, bytes: &[u8]) -> bool {
    slot.as_mut().is_some_and(|buffer| buffer.write(bytes))
}

/// Drops the buffer in `slot`.
#[inline(never)]
pub fn call_drop<B: Buf>(slot: &mut Option<B>) {
    *slot = None;
}
