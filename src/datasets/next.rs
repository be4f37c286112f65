//! The datasets as musli 0.2 encodes them.
//!
//! The types are the same modules compiled against musli 0.2 (the
//! `next-datasets` crate, `crates/next-datasets/`). Their values are this
//! suite's, carried over through their JSON form, so that a dataset
//! loaded from a file and one generated are measured on musli 0.2 with
//! the same values as on 0.0.122, by one path.

use serde::Serialize;
use serde::de::DeserializeOwned;

use next_datasets::{catalog, generic, geo, log, mesh, messages, social};

use super::{Dataset, Shape};
use crate::format::next::NextValue;

/// A dataset's values, of the types compiled against musli 0.2.
#[derive(Clone, Debug, PartialEq)]
pub enum NextDataset {
    /// See [`super::geo`].
    Geo(geo::FeatureCollection),
    /// See [`super::social`].
    Social(social::SearchResponse),
    /// See [`super::catalog`].
    Catalog(catalog::Catalog),
    /// See [`super::mesh`].
    Mesh(mesh::Mesh),
    /// See [`super::log`].
    Log(log::Log),
    /// See [`super::messages`].
    Messages(Vec<messages::Message>),
    /// See [`super::generic`].
    Json(generic::Document),
}

/// Something done with a musli 0.2 dataset's values, whatever their type:
/// [`super::Visitor`] for musli 0.2.
pub trait NextVisitor {
    /// What it gives back.
    type Output;

    /// Called with the values to encode one by one.
    fn visit<T: NextValue>(self, values: &[T]) -> Self::Output;
}

impl NextDataset {
    /// The values of `dataset`, as musli 0.2's types.
    pub fn of(dataset: &Dataset) -> Self {
        match dataset {
            Dataset::Geo(value) => NextDataset::Geo(carried(value)),
            Dataset::Social(value) => NextDataset::Social(carried(value)),
            Dataset::Catalog(value) => NextDataset::Catalog(carried(value)),
            Dataset::Mesh(value) => NextDataset::Mesh(carried(value)),
            Dataset::Log(value) => NextDataset::Log(carried(value)),
            Dataset::Messages(values) => NextDataset::Messages(carried(values)),
            Dataset::Json(document) => NextDataset::Json(carried(document)),
        }
    }

    /// How its values are modelled.
    pub fn shape(&self) -> Shape {
        match self {
            NextDataset::Geo(_) => Shape::Geo,
            NextDataset::Social(_) => Shape::Social,
            NextDataset::Catalog(_) => Shape::Catalog,
            NextDataset::Mesh(_) => Shape::Mesh,
            NextDataset::Log(_) => Shape::Log,
            NextDataset::Messages(_) => Shape::Messages,
            NextDataset::Json(_) => Shape::Json,
        }
    }

    /// Hands the values to `visitor`.
    pub fn visit<V: NextVisitor>(&self, visitor: V) -> V::Output {
        use std::slice::from_ref;

        match self {
            NextDataset::Geo(value) => visitor.visit(from_ref(value)),
            NextDataset::Social(value) => visitor.visit(from_ref(value)),
            NextDataset::Catalog(value) => visitor.visit(from_ref(value)),
            NextDataset::Mesh(value) => visitor.visit(from_ref(value)),
            NextDataset::Log(value) => visitor.visit(from_ref(value)),
            NextDataset::Messages(values) => visitor.visit(values),
            NextDataset::Json(document) => visitor.visit(from_ref(document)),
        }
    }
}

/// `value` as the type of the same name compiled against musli 0.2. Both
/// have the same fields and serde attributes, so their JSON is one
/// language; every value the suite makes goes through it (a test checks
/// each dataset's).
fn carried<T: Serialize, U: DeserializeOwned>(value: &T) -> U {
    let json = serde_json::to_value(value).expect("a dataset's values are JSON");
    serde_json::from_value(json).expect("the same type, compiled against musli 0.2")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::{DEFAULT_SEED, Name};
    use crate::names::Named;

    /// The generators compiled against musli 0.2 give the values carried
    /// over from this suite's: the carrying loses nothing, and the two
    /// compilations of one module agree.
    #[test]
    fn carried_values_equal_the_generated_ones() {
        let (seed, scale) = (DEFAULT_SEED, 0.02);
        for &name in Name::ALL {
            let generated = match name {
                Name::Geo => NextDataset::Geo(geo::generate(seed, scale)),
                Name::Social => NextDataset::Social(social::generate(seed, scale)),
                Name::Catalog => NextDataset::Catalog(catalog::generate(seed, scale)),
                Name::Mesh => NextDataset::Mesh(mesh::generate(seed, scale)),
                Name::Log => NextDataset::Log(log::generate(seed, scale)),
                Name::Messages => NextDataset::Messages(messages::generate(seed, scale)),
            };
            let carried = NextDataset::of(&Dataset::generate(name, seed, scale));
            assert_eq!(carried.shape(), Shape::from(name));
            assert!(carried == generated, "{name}: the values differ");
        }
    }
}
