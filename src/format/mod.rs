//! The formats and modes every measurement runs in, and one function that
//! encodes a value with a chosen allocator in any of them: musli 0.0.122's
//! here, musli 0.2's in [`next`].

use std::fmt;

use musli::context::Same;
use musli::mode::Binary;
use musli::{Allocator, Decode, Encode};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use crate::names::{Named, UnknownName, unknown};

pub mod next;

/// The mode in which every struct of a dataset is packed: one buffer per
/// top-level value in `wire` and `descriptive`, grown by many small writes.
pub enum Packed {}

/// A musli format under test.
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
#[strum(serialize_all = "lowercase", parse_err_ty = UnknownName, parse_err_fn = unknown::<Format>)]
pub enum Format {
    /// `musli::wire`: buffers every packed value it reaches.
    Wire,
    /// `musli::descriptive`: buffers like `wire`, with richer type tags.
    Descriptive,
    /// `musli::storage`: never allocates; the encoder's cost alone.
    Storage,
}

impl Named for Format {
    const WHAT: &'static str = "format";
}

/// How a dataset's types are packed.
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
#[strum(serialize_all = "lowercase", parse_err_ty = UnknownName, parse_err_fn = unknown::<Mode>)]
pub enum Mode {
    /// musli's `Binary` mode: only leaf types are packed, so every leaf value
    /// takes one short-lived buffer.
    Default,
    /// The [`Packed`] mode: every struct is packed, so each top-level value
    /// takes one buffer that grows through the whole value.
    Packed,
}

impl Named for Mode {
    const WHAT: &'static str = "mode";
}

/// A value that can be encoded and decoded in both modes: what every
/// dataset is made of.
pub trait Value:
    Encode<Binary>
    + Encode<Packed>
    + for<'de> Decode<'de, Binary>
    + for<'de> Decode<'de, Packed>
    + PartialEq
    + fmt::Debug
{
}

impl<T> Value for T where
    T: Encode<Binary>
        + Encode<Packed>
        + for<'de> Decode<'de, Binary>
        + for<'de> Decode<'de, Packed>
        + PartialEq
        + fmt::Debug
{
}

/// Encoding failed: in this suite that means the allocator ran out.
#[derive(Debug)]
pub struct EncodeFailed(pub String);

impl fmt::Display for EncodeFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "encoding failed: {}", self.0)
    }
}

impl std::error::Error for EncodeFailed {}

/// Encodes `value` with `alloc` as the context's allocator, appending to
/// `out`.
///
/// Never inlined, so that every contender's harness has the same shape: a
/// call per encode, with the allocator built and dropped around it where
/// the slice is made. Left to LLVM, whether the encoder went inline into
/// the contender's closure differed from one allocator type to the next,
/// and with it whether building a `Stack` on a `StackBuffer` of known size
/// was folded to constants: a difference of harness code, not of
/// allocators, in every per-message count (`docs/optimizations.md`).
#[inline(never)]
pub fn encode<A, T>(
    alloc: &A,
    format: Format,
    mode: Mode,
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), EncodeFailed>
where
    A: Allocator,
    T: ?Sized + Encode<Binary> + Encode<Packed>,
{
    match mode {
        Mode::Default => encode_in::<Binary, A, T>(alloc, format, value, out),
        Mode::Packed => encode_in::<Packed, A, T>(alloc, format, value, out),
    }
}

/// [`encode`] in the mode `M`.
#[inline]
fn encode_in<M, A, T>(
    alloc: &A,
    format: Format,
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), EncodeFailed>
where
    A: Allocator,
    T: ?Sized + Encode<M>,
{
    use musli::{descriptive, storage, wire};

    let failed = |error: &dyn fmt::Display| EncodeFailed(error.to_string());
    match format {
        Format::Wire => {
            let cx = Same::<&A, M, wire::Error>::new(alloc);
            let encoding = wire::Encoding::new().with_mode::<M>();
            encoding
                .encode_with(&cx, out, value)
                .map_err(|e| failed(&e))
        }
        Format::Descriptive => {
            let cx = Same::<&A, M, descriptive::Error>::new(alloc);
            let encoding = descriptive::Encoding::new().with_mode::<M>();
            encoding
                .encode_with(&cx, out, value)
                .map_err(|e| failed(&e))
        }
        Format::Storage => {
            let cx = Same::<&A, M, storage::Error>::new(alloc);
            let encoding = storage::Encoding::new().with_mode::<M>();
            encoding
                .encode_with(&cx, out, value)
                .map_err(|e| failed(&e))
        }
    }
}

/// Decodes one value encoded by [`encode`], using musli's `System`
/// allocator. Returns the value and the bytes left after it.
pub fn decode<T: Value>(format: Format, mode: Mode, bytes: &[u8]) -> Result<(T, &[u8]), String> {
    let mut rest = bytes;
    let value = match mode {
        Mode::Default => decode_in::<Binary, T>(format, &mut rest),
        Mode::Packed => decode_in::<Packed, T>(format, &mut rest),
    }?;
    Ok((value, rest))
}

/// [`decode`] in the mode `M`, advancing `rest` past the value.
fn decode_in<M, T>(format: Format, rest: &mut &[u8]) -> Result<T, String>
where
    T: for<'de> Decode<'de, M>,
{
    use musli::{descriptive, storage, wire};

    let alloc = musli::allocator::System::new();
    match format {
        Format::Wire => {
            let cx = Same::<_, M, wire::Error>::new(&alloc);
            let encoding = wire::Encoding::new().with_mode::<M>();
            encoding.decode_with(&cx, rest).map_err(|e| e.to_string())
        }
        Format::Descriptive => {
            let cx = Same::<_, M, descriptive::Error>::new(&alloc);
            let encoding = descriptive::Encoding::new().with_mode::<M>();
            encoding.decode_with(&cx, rest).map_err(|e| e.to_string())
        }
        Format::Storage => {
            let cx = Same::<_, M, storage::Error>::new(&alloc);
            let encoding = storage::Encoding::new().with_mode::<M>();
            encoding.decode_with(&cx, rest).map_err(|e| e.to_string())
        }
    }
}
