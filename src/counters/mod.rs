//! Counting what an allocator does, the same way for every contender.
//!
//! [`Counting`] wraps any musli allocator and its buffers. It sees only what
//! the `Allocator` and `Buf` traits show, so its rules are the same for all:
//! a buffer *moved* when its bytes' address changed across a write; a
//! `write_buffer` *merged* when the other buffer's bytes were already where
//! they ended up. It can also record the calls as a [`Trace`] to replay
//! against any allocator without the encoder.

use std::cell::RefCell;
use std::fmt;

use musli::buf::Error;
use musli::{Allocator, Buf};

use crate::trace::Trace;

pub mod next;

/// The counters of one workload on one allocator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Buffers handed out.
    pub allocations: u64,
    /// `alloc` calls that returned `None`.
    pub failed_allocations: u64,
    /// `write` calls that succeeded (`push` included).
    pub writes: u64,
    /// Bytes those writes appended.
    pub bytes_written: u64,
    /// `write` calls that returned `false`.
    pub failed_writes: u64,
    /// `write_buffer` calls.
    pub write_buffer_calls: u64,
    /// `write_buffer` calls that appended without copying.
    pub merges: u64,
    /// Times a non-empty buffer's bytes changed address during a write.
    pub moves: u64,
    /// Bytes those moves carried.
    pub bytes_moved: u64,
    /// The most buffers alive at once.
    pub max_live_buffers: u64,
    /// The largest sum of the lengths of live buffers.
    pub max_live_bytes: u64,
    /// The longest any one buffer got.
    pub max_buffer_len: u64,
}

impl Counts {
    /// Adds the counts of a later call: sums add up, peaks take the larger.
    pub fn absorb(&mut self, later: &Counts) {
        self.allocations += later.allocations;
        self.failed_allocations += later.failed_allocations;
        self.writes += later.writes;
        self.bytes_written += later.bytes_written;
        self.failed_writes += later.failed_writes;
        self.write_buffer_calls += later.write_buffer_calls;
        self.merges += later.merges;
        self.moves += later.moves;
        self.bytes_moved += later.bytes_moved;
        self.max_live_buffers = self.max_live_buffers.max(later.max_live_buffers);
        self.max_live_bytes = self.max_live_bytes.max(later.max_live_bytes);
        self.max_buffer_len = self.max_buffer_len.max(later.max_buffer_len);
    }
}

#[derive(Default)]
struct State {
    counts: Counts,
    live_buffers: u64,
    live_bytes: u64,
    trace: Option<Trace>,
}

impl State {
    /// A buffer was handed out.
    fn allocated(&mut self) {
        self.counts.allocations += 1;
        self.live_buffers += 1;
        self.counts.max_live_buffers = self.counts.max_live_buffers.max(self.live_buffers);
    }

    /// A buffer of `len` bytes after a write grew by `added` bytes, and
    /// moved its `moved` bytes if it moved.
    fn grew(&mut self, added: u64, len: u64, moved: Option<u64>) {
        self.live_bytes += added;
        self.counts.max_live_bytes = self.counts.max_live_bytes.max(self.live_bytes);
        self.counts.max_buffer_len = self.counts.max_buffer_len.max(len);
        if let Some(moved) = moved {
            self.counts.moves += 1;
            self.counts.bytes_moved += moved;
        }
    }

    fn record(&mut self, op: impl FnOnce(&mut Trace)) {
        if let Some(trace) = &mut self.trace {
            op(trace);
        }
    }
}

/// Wraps allocator `A`, counting every call to it and its buffers.
pub struct Counting<A> {
    inner: A,
    state: RefCell<State>,
}

impl<A: Allocator> Counting<A> {
    /// Counts calls to `inner`.
    pub fn new(inner: A) -> Self {
        Self {
            inner,
            state: RefCell::new(State::default()),
        }
    }

    /// Counts calls to `inner` and records them as a trace.
    pub fn recording(inner: A) -> Self {
        let counting = Self::new(inner);
        counting.state.borrow_mut().trace = Some(Trace::default());
        counting
    }

    /// The counts so far.
    pub fn counts(&self) -> Counts {
        self.state.borrow().counts
    }

    /// The trace recorded so far (empty unless built with `recording`).
    pub fn take_trace(&self) -> Trace {
        self.state.borrow_mut().trace.take().unwrap_or_default()
    }
}

impl<A: Allocator> Allocator for Counting<A> {
    type Buf<'this>
        = CountingBuf<'this, A::Buf<'this>>
    where
        Self: 'this;

    fn alloc(&self) -> Option<Self::Buf<'_>> {
        let inner = self.inner.alloc();
        let mut state = self.state.borrow_mut();

        let Some(inner) = inner else {
            state.counts.failed_allocations += 1;
            return None;
        };

        state.allocated();
        let mut slot = 0;
        state.record(|trace| slot = trace.alloc());

        Some(CountingBuf {
            inner,
            state: &self.state,
            slot,
        })
    }
}

/// A buffer of a [`Counting`] allocator.
pub struct CountingBuf<'a, B: Buf> {
    inner: B,
    state: &'a RefCell<State>,
    /// This buffer's slot in the trace, when one is recorded.
    slot: u32,
}

impl<B: Buf> CountingBuf<'_, B> {
    fn note_growth(&self, len_before: usize, address_before: *const u8, added: usize) {
        let moved = len_before > 0 && self.inner.as_slice().as_ptr() != address_before;
        self.state.borrow_mut().grew(
            added as u64,
            self.inner.len() as u64,
            moved.then_some(len_before as u64),
        );
    }
}

impl<B: Buf> Buf for CountingBuf<'_, B> {
    fn write(&mut self, bytes: &[u8]) -> bool {
        let (len_before, address_before) = (self.inner.len(), self.inner.as_slice().as_ptr());

        if !self.inner.write(bytes) {
            self.state.borrow_mut().counts.failed_writes += 1;
            return false;
        }

        {
            let mut state = self.state.borrow_mut();
            state.counts.writes += 1;
            state.counts.bytes_written += bytes.len() as u64;
            state.record(|trace| trace.write(self.slot, bytes.len()));
        }
        self.note_growth(len_before, address_before, bytes.len());
        true
    }

    fn write_buffer<O: Buf>(&mut self, other: O) -> bool {
        let (len_before, address_before) = (self.inner.len(), self.inner.as_slice().as_ptr());
        let (other_len, other_address) = (other.len(), other.as_slice().as_ptr());
        // Where the other bytes are already, if they need no copy.
        let in_place = address_before.wrapping_add(len_before) == other_address;

        self.state.borrow_mut().counts.write_buffer_calls += 1;
        // Recorded as a write of the other's length, followed by its drop.
        self.state
            .borrow_mut()
            .record(|trace| trace.write(self.slot, other_len));

        if !self.inner.write_buffer(other) {
            self.state.borrow_mut().counts.failed_writes += 1;
            return false;
        }

        let merged = other_len > 0 && in_place && self.inner.as_slice().as_ptr() == address_before;
        {
            let mut state = self.state.borrow_mut();
            state.counts.merges += u64::from(merged);
            state.counts.bytes_written += other_len as u64;
        }
        self.note_growth(len_before, address_before, other_len);
        true
    }

    fn len(&self) -> usize {
        self.inner.len()
    }

    fn as_slice(&self) -> &[u8] {
        self.inner.as_slice()
    }

    fn write_fmt(&mut self, arguments: fmt::Arguments<'_>) -> Result<(), Error> {
        fmt::write(self, arguments).map_err(|_| Error)
    }
}

impl<B: Buf> fmt::Write for CountingBuf<'_, B> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.write(s.as_bytes()) {
            Ok(())
        } else {
            Err(fmt::Error)
        }
    }
}

impl<B: Buf> Drop for CountingBuf<'_, B> {
    fn drop(&mut self) {
        let mut state = self.state.borrow_mut();
        state.live_buffers -= 1;
        state.live_bytes -= self.inner.len() as u64;
        state.record(|trace| trace.drop(self.slot));
    }
}
