//! The payloads every measurement encodes.
//!
//! Each dataset is generated from `(name, seed, scale)` with `ChaCha8Rng`,
//! so it is the same bytes on every machine and commit. `geo`, `social` and
//! `catalog` can also be loaded from JSON files of the public formats they
//! mirror (see [`load_json`]), and a JSON document of any other shape is
//! loaded as generic JSON values ([`generic`]).
//!
//! Every dataset runs in two [`Mode`](crate::format::Mode)s: `default`, where
//! only its leaf type is packed, and `packed`, where every struct is.

pub mod catalog;
pub mod generic;
pub mod geo;
pub mod log;
pub mod mesh;
pub mod messages;
pub mod social;

pub mod files;
pub mod limits;
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

/// How a JSON file's values are modelled: as the typed dataset of that
/// name, or, as `json`, as generic JSON values ([`generic`]), which any
/// document is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, VariantArray, IntoStaticStr, Display, EnumString,
)]
#[strum(serialize_all = "lowercase", parse_err_ty = UnknownName, parse_err_fn = unknown::<Shape>)]
pub enum Shape {
    /// [`geo`].
    Geo,
    /// [`social`].
    Social,
    /// [`catalog`].
    Catalog,
    /// [`mesh`].
    Mesh,
    /// [`log`].
    Log,
    /// [`messages`].
    Messages,
    /// [`generic`]: any JSON document.
    Json,
}

impl Named for Shape {
    const WHAT: &'static str = "shape";
}

impl Shape {
    /// The typed dataset of this shape; `None` for generic JSON.
    pub fn typed(self) -> Option<Name> {
        match self {
            Shape::Geo => Some(Name::Geo),
            Shape::Social => Some(Name::Social),
            Shape::Catalog => Some(Name::Catalog),
            Shape::Mesh => Some(Name::Mesh),
            Shape::Log => Some(Name::Log),
            Shape::Messages => Some(Name::Messages),
            Shape::Json => None,
        }
    }
}

impl From<Name> for Shape {
    fn from(name: Name) -> Self {
        match name {
            Name::Geo => Shape::Geo,
            Name::Social => Shape::Social,
            Name::Catalog => Shape::Catalog,
            Name::Mesh => Shape::Mesh,
            Name::Log => Shape::Log,
            Name::Messages => Shape::Messages,
        }
    }
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
    /// A JSON document of any shape; see [`generic`].
    Json(generic::Document),
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

    /// How its values are modelled.
    pub fn shape(&self) -> Shape {
        match self {
            Dataset::Geo(_) => Shape::Geo,
            Dataset::Social(_) => Shape::Social,
            Dataset::Catalog(_) => Shape::Catalog,
            Dataset::Mesh(_) => Shape::Mesh,
            Dataset::Log(_) => Shape::Log,
            Dataset::Messages(_) => Shape::Messages,
            Dataset::Json(_) => Shape::Json,
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
            Dataset::Json(document) => visitor.visit(from_ref(document)),
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
