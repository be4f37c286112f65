//! The random source of every generator, and the few distributions they
//! draw from.
//!
//! Only `ChaCha8Rng`'s raw output is used; every distribution is computed
//! here from it, so a dataset stays the same bytes as long as this file and
//! the generators do, whatever `rand` changes in its own distributions.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A seeded stream of choices.
pub struct Random {
    rng: ChaCha8Rng,
}

impl Random {
    /// The stream for `seed`: the same on every machine and commit.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A uniform 64-bit number.
    pub fn bits(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// A uniform number in `0..bound` (`bound > 0`), without modulo bias.
    pub fn below(&mut self, bound: u64) -> u64 {
        assert!(bound > 0, "below(0)");
        // Lemire's multiply-and-reject.
        loop {
            let wide = u128::from(self.bits()) * u128::from(bound);
            let low = wide as u64;
            if low >= bound.wrapping_neg() % bound {
                return (wide >> 64) as u64;
            }
        }
    }

    /// A uniform number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    /// A uniform index into a collection of `len > 0` items.
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// A uniform float in `[0, 1)` with 53 bits of precision.
    pub fn unit(&mut self) -> f64 {
        (self.bits() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform float in `[low, high)`.
    pub fn float(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One of `items`, uniformly.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// A long-tailed count in `min..=max`: log-uniform, so each doubling of
    /// the value is about as likely as the last. Many small, few large.
    pub fn long_tail(&mut self, min: u64, max: u64) -> u64 {
        debug_assert!(0 < min && min <= max);
        let (low, high) = ((min as f64).ln(), ((max + 1) as f64).ln());
        let value = self.float(low, high).exp() as u64;
        value.clamp(min, max)
    }
}

/// `per_unit * scale` items, at least one.
pub fn scaled(per_unit: f64, scale: f64) -> usize {
    ((per_unit * scale).round() as usize).max(1)
}
