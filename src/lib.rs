//! A fixed-memory allocator for [musli] 0.0.122, and the suite that measures
//! it against musli's own allocators.
//!
//! The [`Stack`] allocator serves the buffers musli's encoders ask for from
//! one slice the caller provides, typically a [`StackBuffer`] on the call
//! stack. It needs no `std` and no global allocator: build with
//! `--no-default-features` to get the allocator alone.
//!
//! With the default `std` feature the crate also holds what the benches and
//! the `musli-alloc-bench` harness are built from: the contenders (one per
//! allocator under test), the datasets, and the counters.
//!
//! # Examples
//!
//! Encoding a nested value with musli's wire format on a `StackBuffer`:
//!
//! ```
//! use musli::context::Same;
//! use musli::mode::Binary;
//! use musli::{Decode, Encode};
//! use musli_alloc_bench::{Stack, StackBuffer};
//!
//! // A packed value is buffered by the wire encoder: each point takes one
//! // buffer from the Stack.
//! #[derive(Debug, PartialEq, Encode, Decode)]
//! #[musli(packed)]
//! struct Point {
//!     x: f64,
//!     y: f64,
//! }
//!
//! #[derive(Debug, PartialEq, Encode, Decode)]
//! struct Ring {
//!     name: String,
//!     points: Vec<Point>,
//! }
//!
//! let ring = Ring {
//!     name: String::from("triangle"),
//!     points: vec![
//!         Point { x: 0.0, y: 0.0 },
//!         Point { x: 1.0, y: 0.0 },
//!         Point { x: 0.0, y: 1.0 },
//!     ],
//! };
//!
//! let mut buffer = StackBuffer::<4096>::new();
//! let stack = Stack::new(&mut buffer);
//! let cx = Same::<_, Binary, musli::wire::Error>::new(&stack);
//!
//! let mut output = Vec::new();
//! musli::wire::Encoding::new()
//!     .encode_with(&cx, &mut output, &ring)
//!     .expect("4096 bytes are plenty for this value");
//!
//! let decoded: Ring = musli::wire::from_slice(&output).expect("it decodes");
//! assert_eq!(decoded, ring);
//! assert_eq!(stack.stats().allocations, 3);
//! ```
//!
//! [musli]: https://docs.rs/musli/0.0.122

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

#[cfg(all(test, not(feature = "std")))]
extern crate std;

mod stack;

pub use self::stack::{
    DEFAULT_STACK_BUFFER, Overflow, Refuse, SliceError, Stack, StackBuf, StackBuffer, StackStats,
    StackWith,
};

#[cfg(feature = "std")]
pub use self::stack::{HeapBuffer, Spill, SpillStack};

/// The same [`Stack`] and [`SpillStack`] on musli 0.2, the release in use
/// today.
///
/// A `Stack` serves both musli 0.0.122's `Allocator` (by value) and musli
/// 0.2's (`&Stack`): one allocator core, two adapters. Build it as for
/// 0.0.122 and hand musli 0.2 a reference:
///
/// ```
/// use musli_alloc_bench::next::{SpillStack, StackBuffer};
/// use musli_next::alloc::Vec;
///
/// let mut buffer = StackBuffer::<1024>::new();
/// let stack = SpillStack::new(&mut buffer);
///
/// let mut bytes = Vec::new_in(&stack);
/// bytes.extend_from_slice(&[7u8; 3000]).expect("a SpillStack never refuses");
/// assert_eq!(bytes.as_slice(), &[7u8; 3000][..]);
/// // 3000 bytes do not fit 1024: the buffer moved to the heap.
/// assert_eq!(stack.stats().spills, 1);
/// ```
///
/// musli documents its 0.2 `Allocator` trait as internal and subject to
/// change, without sealing it: this crate pins `musli = "=0.2.1"` and
/// `musli-core = "=0.2.0"`, and a musli release that changes the trait
/// needs a new adapter. Out of room, a `Stack` answers `AllocError`; a
/// `SpillStack` never does (for any `T` aligned to at most 8 bytes).
#[cfg(feature = "std")]
pub mod next {
    pub use crate::stack::NextAlloc;
    /// The wrapper by which the suite counts what any musli 0.2 allocator
    /// does; it lives beside the Stack (`src/stack/observed.rs`) for the reason given there.
    pub use crate::stack::{Observed, ObservedAlloc, Observer, Resize};
    pub use crate::{SpillStack, Stack, StackBuffer};
}

#[cfg(feature = "std")]
pub mod names;

#[cfg(feature = "std")]
pub mod bench_id;

#[cfg(feature = "std")]
pub mod format;

#[cfg(feature = "std")]
pub mod task;

#[cfg(feature = "std")]
pub mod sizing;

#[cfg(feature = "std")]
pub mod groups;

#[cfg(feature = "std")]
pub mod targets;

#[cfg(feature = "std")]
pub mod datasets;

#[cfg(feature = "std")]
pub mod contenders;

#[cfg(feature = "std")]
pub mod counters;

#[cfg(feature = "std")]
pub mod workload;

#[cfg(feature = "std")]
pub mod harness;

#[cfg(feature = "std")]
pub mod trace;

#[cfg(feature = "std")]
pub mod patterns;
