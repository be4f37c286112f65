//! A musli 0.2 allocator that tells an observer what its allocations do:
//! how the suite counts musli 0.2's allocators (`crate::counters::next`).
//!
//! It is here, beside the Stack, only because musli 0.2's `Allocator` is
//! an `unsafe` trait, and all `unsafe` code of the crate lives in this
//! module. It forwards every call to the allocator it wraps and adds no
//! memory of its own; what it observes is what the `Alloc` trait shows
//! (pointers, capacities, the lengths `resize` is given).

use musli_core_next::alloc::{Alloc, AllocError, Allocator, FromAllocator, Vec};

/// What an [`Observed`] allocator tells. Every length is in bytes.
pub trait Observer: Copy {
    /// An allocation of `capacity` bytes was made.
    fn allocated(self, capacity: usize);

    /// An allocation was resized.
    fn resized(self, resize: Resize);

    /// `try_merge` was called; `merged` says whether it took the other.
    fn merge_tried(self, merged: bool);

    /// An allocation whose last `resize` left room for `written` bytes, of
    /// `capacity`, was dropped.
    fn dropped(self, written: usize, capacity: usize);
}

/// One call of `resize`, in bytes.
#[derive(Clone, Copy, Debug)]
pub struct Resize {
    /// The length the allocation's owner holds (`len`).
    pub len: usize,
    /// The room asked for past it (`additional`).
    pub additional: usize,
    /// `len + additional` of the allocation's last successful `resize`: the
    /// most its owner could have written before.
    pub written_before: usize,
    /// Whether the bytes changed address, or `None` if the allocator
    /// refused.
    pub moved: Option<bool>,
    /// Its capacity before and after.
    pub capacity: (usize, usize),
}

/// The musli 0.2 allocator `A`, telling `O` what it does.
#[derive(Clone, Copy)]
pub struct Observed<A, O> {
    inner: A,
    observer: O,
}

impl<A, O> Observed<A, O> {
    /// `inner`, observed by `observer`.
    pub fn new(inner: A, observer: O) -> Self {
        Self { inner, observer }
    }
}

/// An allocation of an [`Observed`] allocator.
pub struct ObservedAlloc<T, B: Alloc<T>, O: Observer> {
    inner: B,
    observer: O,
    /// Bytes the owner may have written: `len + additional` of the last
    /// successful `resize`, in bytes.
    written: usize,
    _element: core::marker::PhantomData<T>,
}

impl<T, B: Alloc<T>, O: Observer> Alloc<T> for ObservedAlloc<T, B, O> {
    #[inline]
    fn as_ptr(&self) -> *const T {
        self.inner.as_ptr()
    }

    #[inline]
    fn as_mut_ptr(&mut self) -> *mut T {
        self.inner.as_mut_ptr()
    }

    #[inline]
    fn capacity(&self) -> usize {
        self.inner.capacity()
    }

    fn resize(&mut self, len: usize, additional: usize) -> Result<(), AllocError> {
        let size = size_of::<T>();
        let (address, capacity) = (self.inner.as_ptr(), self.inner.capacity());
        let result = self.inner.resize(len, additional);
        self.observer.resized(Resize {
            len: len * size,
            additional: additional * size,
            written_before: self.written,
            moved: result
                .as_ref()
                .ok()
                .map(|()| len > 0 && self.inner.as_ptr() != address),
            capacity: (capacity * size, self.inner.capacity() * size),
        });
        if result.is_ok() {
            self.written = (len + additional) * size;
        }
        result
    }

    fn try_merge<C>(&mut self, this_len: usize, other: C, other_len: usize) -> Result<(), C>
    where
        C: Alloc<T>,
    {
        let result = self.inner.try_merge(this_len, other, other_len);
        self.observer.merge_tried(result.is_ok());
        result
    }
}

impl<T, B: Alloc<T>, O: Observer> Drop for ObservedAlloc<T, B, O> {
    fn drop(&mut self) {
        let capacity = self.inner.capacity() * size_of::<T>();
        self.observer.dropped(self.written, capacity);
    }
}

impl<A: Allocator, O: Observer> FromAllocator<Observed<A, O>> for Observed<A, O> {
    #[inline]
    fn from_allocator(alloc: Observed<A, O>) -> Self {
        alloc
    }

    #[inline]
    fn __from_vec<T>(vec: Vec<T, Self>) -> Result<Vec<T, Self>, Vec<T, Self>> {
        Ok(vec)
    }
}

// SAFETY: every `Alloc` handed out is the wrapped allocator's, whose
// pointers, capacities and lifetimes are passed through unchanged: what
// musli 0.2 asks of an allocator holds because it holds for `A`. The
// wrapper keeps no memory of its own. `IS_GLOBAL` is false, so musli never
// hands the wrapped memory to the global allocator through it, whatever
// `A` is.
unsafe impl<A: Allocator, O: Observer> Allocator for Observed<A, O> {
    #[inline]
    fn __do_not_implement() {}

    const IS_GLOBAL: bool = false;

    type Alloc<T> = ObservedAlloc<T, A::Alloc<T>, O>;

    fn alloc_empty<T>(self) -> Self::Alloc<T> {
        let inner = self.inner.alloc_empty::<T>();
        self.observer.allocated(inner.capacity() * size_of::<T>());
        ObservedAlloc {
            inner,
            observer: self.observer,
            written: 0,
            _element: core::marker::PhantomData,
        }
    }

    fn alloc<T>(self, value: T) -> Result<Self::Alloc<T>, AllocError> {
        let inner = self.inner.alloc(value)?;
        self.observer.allocated(0);
        let size = size_of::<T>();
        self.observer.resized(Resize {
            len: 0,
            additional: size,
            written_before: 0,
            moved: Some(false),
            capacity: (0, inner.capacity() * size),
        });
        Ok(ObservedAlloc {
            inner,
            observer: self.observer,
            written: size,
            _element: core::marker::PhantomData,
        })
    }
}
