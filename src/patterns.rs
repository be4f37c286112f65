//! Synthetic allocator workloads, without an encoder: the tasks behind the
//! `patterns/{tail_growth,churn,nested_merge,interleaved_k*}` benches, here
//! so that the `profile` example can run them under a profiler too.
//!
//! Each writes [`TOTAL`] bytes in all and returns how many it wrote.

use musli::{Allocator, Buf};

use crate::names::{Named, UnknownName, unknown};
use crate::task::Task;
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// Bytes every synthetic pattern writes in all.
pub const TOTAL: usize = 64 * 1024;

/// A synthetic workload, by the name of its bench.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    VariantArray,
    IntoStaticStr,
    Display,
    EnumString,
)]
#[strum(serialize_all = "snake_case", parse_err_ty = UnknownName, parse_err_fn = unknown::<Pattern>)]
pub enum Pattern {
    /// [`TailGrowth`].
    TailGrowth,
    /// [`Churn`].
    Churn,
    /// [`NestedMerge`].
    NestedMerge,
    /// [`Interleaved`], 2 ways.
    InterleavedK2,
    /// [`Interleaved`], 4 ways.
    InterleavedK4,
    /// [`Interleaved`], 8 ways.
    InterleavedK8,
}

impl Named for Pattern {
    const WHAT: &'static str = "pattern";
}

impl Task for Pattern {
    type Output = usize;

    #[inline]
    fn run<A: Allocator>(self, alloc: &A) -> usize {
        match self {
            Pattern::TailGrowth => TailGrowth.run(alloc),
            Pattern::Churn => Churn.run(alloc),
            Pattern::NestedMerge => NestedMerge.run(alloc),
            Pattern::InterleavedK2 => Interleaved { ways: 2 }.run(alloc),
            Pattern::InterleavedK4 => Interleaved { ways: 4 }.run(alloc),
            Pattern::InterleavedK8 => Interleaved { ways: 8 }.run(alloc),
        }
    }
}

/// One buffer, grown by small writes.
#[derive(Clone, Copy)]
pub struct TailGrowth;

impl Task for TailGrowth {
    type Output = usize;

    fn run<A: Allocator>(self, alloc: &A) -> usize {
        let source = [7u8; 16];
        let mut buffer = alloc.alloc().expect("room");
        let mut step = 0;
        while buffer.len() < TOTAL {
            let len = (step % 16 + 1).min(TOTAL - buffer.len());
            assert!(buffer.write(&source[..len]));
            step += 1;
        }
        buffer.len()
    }
}

/// Many buffers that live briefly, one at a time.
#[derive(Clone, Copy)]
pub struct Churn;

impl Task for Churn {
    type Output = usize;

    fn run<A: Allocator>(self, alloc: &A) -> usize {
        let piece = [3u8; TOTAL / 3_000];
        let mut written = 0;
        while written + 3 * piece.len() <= TOTAL {
            let mut buffer = alloc.alloc().expect("room");
            for _ in 0..3 {
                assert!(buffer.write(&piece));
            }
            written += buffer.len();
        }
        let mut last = alloc.alloc().expect("room");
        assert!(last.write(&vec![3u8; TOTAL - written]));
        written + last.len()
    }
}

/// Nested buffers merged back in LIFO order.
#[derive(Clone, Copy)]
pub struct NestedMerge;

/// How deep the buffers nest.
const DEPTH: usize = 16;

impl NestedMerge {
    /// Writes a buffer `depth` levels deep and returns it, its children
    /// merged into it.
    fn nest<'a, A: Allocator>(alloc: &'a A, depth: usize, piece: &[u8]) -> A::Buf<'a> {
        let mut buffer = alloc.alloc().expect("room");
        assert!(buffer.write(piece));
        if depth > 1 {
            let child = Self::nest(alloc, depth - 1, piece);
            assert!(buffer.write_buffer(child));
        }
        buffer
    }
}

impl Task for NestedMerge {
    type Output = usize;

    fn run<A: Allocator>(self, alloc: &A) -> usize {
        const ROUNDS: usize = 64;
        let piece = [5u8; TOTAL / (ROUNDS * DEPTH)];
        (0..ROUNDS)
            .map(|_| Self::nest(alloc, DEPTH, &piece).len())
            .sum()
    }
}

/// `ways` buffers written in turn.
#[derive(Clone, Copy)]
pub struct Interleaved {
    /// How many buffers take turns.
    pub ways: usize,
}

impl Task for Interleaved {
    type Output = usize;

    fn run<A: Allocator>(self, alloc: &A) -> usize {
        let piece = [9u8; 8];
        let mut buffers: Vec<_> = (0..self.ways)
            .map(|_| alloc.alloc().expect("room"))
            .collect();
        for round in 0..TOTAL / piece.len() {
            assert!(buffers[round % self.ways].write(&piece));
        }
        buffers.iter().map(|buffer| buffer.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contenders::{Contender, Kind};

    #[test]
    fn every_pattern_writes_its_total_on_every_contender() {
        for &pattern in Pattern::ALL {
            for &kind in Kind::ALL {
                let mut contender = kind.build(&crate::sizing::Sizing::PATTERNS);
                assert_eq!(
                    contender.run(pattern),
                    TOTAL,
                    "{} on {}",
                    pattern.name(),
                    kind.name()
                );
            }
        }
    }
}
