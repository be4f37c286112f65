//! `floor`: the cheapest allocator possible for a known workload.

use std::cell::RefCell;
use std::fmt;

use musli::Buf;
use musli::buf::Error;

use super::{Contender, Kind};
use crate::task::Task;

/// Buffers reserved up front for the workload's largest need, that never
/// grow or move: a write is a bounds check and a copy. Nothing a general
/// allocator can do is cheaper, so it is the reference the others are
/// measured against.
pub struct Floor {
    /// Empty vectors of the reserved capacity, one per buffer that can be
    /// alive at once. Made once, outside any timed code.
    pool: RefCell<Vec<Vec<u8>>>,
}

impl Floor {
    /// Room for `buffers` live buffers of `capacity` bytes each.
    pub fn new(buffers: usize, capacity: usize) -> Self {
        Self {
            pool: RefCell::new((0..buffers).map(|_| Vec::with_capacity(capacity)).collect()),
        }
    }
}

impl Contender for Floor {
    fn kind(&self) -> Kind {
        Kind::Floor
    }

    #[inline]
    fn run<T: Task>(&mut self, task: T) -> T::Output {
        task.run(&FloorAllocator { pool: &self.pool })
    }

    /// Everything reserved up front.
    fn max_reserved_bytes(&self) -> usize {
        self.pool.borrow().iter().map(Vec::capacity).sum()
    }
}

/// The allocator a [`Floor`] hands to each call.
pub struct FloorAllocator<'a> {
    pool: &'a RefCell<Vec<Vec<u8>>>,
}

impl musli::Allocator for FloorAllocator<'_> {
    type Buf<'this>
        = FloorBuf<'this>
    where
        Self: 'this;

    #[inline]
    fn alloc(&self) -> Option<Self::Buf<'_>> {
        let bytes = self.pool.borrow_mut().pop()?;
        Some(FloorBuf {
            bytes,
            pool: self.pool,
        })
    }
}

/// A buffer of a [`Floor`]: a reserved vector, given back on drop.
pub struct FloorBuf<'a> {
    bytes: Vec<u8>,
    pool: &'a RefCell<Vec<Vec<u8>>>,
}

impl Buf for FloorBuf<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> bool {
        if bytes.len() > self.bytes.capacity() - self.bytes.len() {
            return false;
        }
        self.bytes.extend_from_slice(bytes);
        true
    }

    #[inline]
    fn len(&self) -> usize {
        self.bytes.len()
    }

    #[inline]
    fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    fn write_fmt(&mut self, arguments: fmt::Arguments<'_>) -> Result<(), Error> {
        let before = self.bytes.len();
        fmt::write(self, arguments).map_err(|_| {
            self.bytes.truncate(before);
            Error
        })
    }
}

impl fmt::Write for FloorBuf<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.write(s.as_bytes()) {
            Ok(())
        } else {
            Err(fmt::Error)
        }
    }
}

impl Drop for FloorBuf<'_> {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.bytes);
        bytes.clear();
        self.pool.borrow_mut().push(bytes);
    }
}
