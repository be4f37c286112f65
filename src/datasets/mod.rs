//! The payloads every measurement encodes.
//!
//! Each dataset is generated from `(name, seed, scale)` with `ChaCha8Rng`,
//! so it is the same bytes on every machine and commit. `geo`, `social` and
//! `catalog` can also be loaded from JSON files of the public formats they
//! mirror (see [`load_json`]).
//!
//! Every dataset runs in two [`Mode`](crate::format::Mode)s: `default`, where
//! only its leaf type is packed, and `packed`, where every struct is.

pub mod catalog;
pub mod geo;
pub mod log;
pub mod mesh;
pub mod messages;
pub mod social;

pub mod files;
mod next;
mod origin;

mod json;
mod random;
mod text;

use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use crate::format::Value;
use crate::names::{Named, UnknownName, unknown};

pub use self::json::{LoadError, load_json, to_json};
pub use self::next::{NextDataset, NextVisitor};
pub use self::origin::{Origin, check_distinct};

/// The seed every bench and report uses unless told otherwise.
pub const DEFAULT_SEED: u64 = 0x006d_7573_6c69;

/// The datasets by name.
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
#[strum(serialize_all = "lowercase", parse_err_ty = UnknownName, parse_err_fn = unknown::<Name>)]
pub enum Name {
    /// A GeoJSON FeatureCollection of polygons ([`geo`]).
    Geo,
    /// A Twitter search response ([`social`]).
    Social,
    /// A CITM ticketing catalog ([`catalog`]).
    Catalog,
    /// A triangle mesh ([`mesh`]).
    Mesh,
    /// A web server access log ([`log`]).
    Log,
    /// Many small messages, each encoded on its own ([`messages`]).
    Messages,
}

impl Named for Name {
    const WHAT: &'static str = "dataset";
}

/// A dataset's values.
#[derive(Clone, Debug, PartialEq)]
pub enum Dataset {
    /// See [`geo`].
    Geo(geo::FeatureCollection),
    /// See [`social`].
    Social(social::SearchResponse),
    /// See [`catalog`].
    Catalog(catalog::Catalog),
    /// See [`mesh`].
    Mesh(mesh::Mesh),
    /// See [`log`].
    Log(log::Log),
    /// See [`messages`].
    Messages(Vec<messages::Message>),
}

/// Something done with a dataset's values, whatever their type.
pub trait Visitor {
    /// What it gives back.
    type Output;

    /// Called with the values to encode one by one: a single value for
    /// every dataset but `messages`, which has one per message.
    fn visit<T: Value>(self, values: &[T]) -> Self::Output;
}

impl Dataset {
    /// Generates dataset `name` from `seed` at `scale` (1.0 is the size
    /// documented in `datasets/README.md`).
    pub fn generate(name: Name, seed: u64, scale: f64) -> Dataset {
        match name {
            Name::Geo => Dataset::Geo(geo::generate(seed, scale)),
            Name::Social => Dataset::Social(social::generate(seed, scale)),
            Name::Catalog => Dataset::Catalog(catalog::generate(seed, scale)),
            Name::Mesh => Dataset::Mesh(mesh::generate(seed, scale)),
            Name::Log => Dataset::Log(log::generate(seed, scale)),
            Name::Messages => Dataset::Messages(messages::generate(seed, scale)),
        }
    }

    /// Which dataset this is.
    pub fn name(&self) -> Name {
        match self {
            Dataset::Geo(_) => Name::Geo,
            Dataset::Social(_) => Name::Social,
            Dataset::Catalog(_) => Name::Catalog,
            Dataset::Mesh(_) => Name::Mesh,
            Dataset::Log(_) => Name::Log,
            Dataset::Messages(_) => Name::Messages,
        }
    }

    /// Hands the values to `visitor`.
    pub fn visit<V: Visitor>(&self, visitor: V) -> V::Output {
        use std::slice::from_ref;

        match self {
            Dataset::Geo(value) => visitor.visit(from_ref(value)),
            Dataset::Social(value) => visitor.visit(from_ref(value)),
            Dataset::Catalog(value) => visitor.visit(from_ref(value)),
            Dataset::Mesh(value) => visitor.visit(from_ref(value)),
            Dataset::Log(value) => visitor.visit(from_ref(value)),
            Dataset::Messages(values) => visitor.visit(values),
        }
    }
}

/// The scale of the sample of each dataset kept in `datasets/`: small
/// enough to read, large enough to show every kind of field.
pub fn sample_scale(name: Name) -> f64 {
    match name {
        Name::Geo => 0.025,
        Name::Social => 0.02,
        Name::Catalog => 0.03,
        Name::Mesh => 0.002,
        Name::Log => 0.004,
        Name::Messages => 0.005,
    }
}

/// Where the sample of `name` is kept, relative to the crate's root. Not
/// `{name}.json`: a file dataset takes its file's stem as its name, and a
/// sample benched as a file must not clash with the built-in dataset.
pub fn sample_path(name: Name) -> std::path::PathBuf {
    std::path::Path::new("datasets").join(format!("{name}-sample.json"))
}
