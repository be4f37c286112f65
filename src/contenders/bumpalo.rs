//! `bumpalo`: a bump arena per call, each buffer a bumpalo `Vec<u8>` in it.

use std::fmt;

use bumpalo::Bump;
use musli::Buf;
use musli::buf::Error;

use super::{Contender, Kind};
use crate::task::Task;

/// A fresh [`BumpAllocator`] per call.
#[derive(Default)]
pub struct Bumpalo {
    max_reserved_bytes: usize,
}

impl Contender for Bumpalo {
    fn kind(&self) -> Kind {
        Kind::Bumpalo
    }

    #[inline]
    fn run<T: Task>(&mut self, task: T) -> T::Output {
        task.run(&BumpAllocator { bump: Bump::new() })
    }

    fn run_noting_peak<T: Task>(&mut self, task: T) -> T::Output {
        let alloc = BumpAllocator { bump: Bump::new() };
        let output = task.run(&alloc);
        self.max_reserved_bytes = self.max_reserved_bytes.max(alloc.allocated_bytes());
        output
    }

    /// The arena's chunks, at the end of the call that held the most.
    fn max_reserved_bytes(&self) -> usize {
        self.max_reserved_bytes
    }
}

/// A musli allocator over one `bumpalo::Bump`. Buffers grow in place when
/// they were allocated last, else copy themselves to the arena's end; the
/// arena frees everything when it is dropped.
pub struct BumpAllocator {
    bump: Bump,
}

impl BumpAllocator {
    /// Bytes the arena holds from the system.
    pub fn allocated_bytes(&self) -> usize {
        self.bump.allocated_bytes()
    }
}

impl musli::Allocator for BumpAllocator {
    type Buf<'this>
        = BumpBuf<'this>
    where
        Self: 'this;

    #[inline]
    fn alloc(&self) -> Option<Self::Buf<'_>> {
        Some(BumpBuf {
            bytes: bumpalo::collections::Vec::new_in(&self.bump),
        })
    }
}

/// A buffer of a [`BumpAllocator`].
pub struct BumpBuf<'bump> {
    bytes: bumpalo::collections::Vec<'bump, u8>,
}

impl Buf for BumpBuf<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> bool {
        self.bytes.extend_from_slice_copy(bytes);
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
        fmt::write(self, arguments).map_err(|_| Error)
    }
}

impl fmt::Write for BumpBuf<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.bytes.extend_from_slice_copy(s.as_bytes());
        Ok(())
    }
}
