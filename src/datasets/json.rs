//! Datasets as JSON: loading users' documents, of the public formats or of
//! any other shape, and writing the samples in `datasets/`.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use super::generic::Document;
use super::{Dataset, Name, Shape, limits};

/// Why a JSON file could not be used as a dataset.
#[derive(Debug)]
pub struct LoadError {
    /// The file.
    pub path: PathBuf,
    /// What was wrong.
    pub reason: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for LoadError {}

/// The typed shapes a JSON file may have, the key that tells each apart,
/// and what each is.
const SHAPES: &[(Name, &str, &str)] = &[
    (
        Name::Geo,
        "features",
        "a GeoJSON FeatureCollection of Polygons",
    ),
    (
        Name::Social,
        "statuses",
        "a Twitter search response (statuses, search_metadata)",
    ),
    (
        Name::Catalog,
        "performances",
        "a CITM catalog (camelCase: events, performances, ...)",
    ),
    (Name::Mesh, "triangles", "a mesh sample of this suite"),
    (Name::Log, "entries", "a log sample of this suite"),
    (Name::Messages, "header", "a messages sample of this suite"),
];

/// Loads the JSON file at `path` as shape `shape`, or as the shape its
/// top-level keys show when `shape` is `None`: a typed dataset, or generic
/// JSON values when no typed one fits. Unknown fields are ignored by the
/// typed datasets.
pub fn load_json(path: &Path, shape: Option<Shape>) -> Result<Dataset, LoadError> {
    let fail = |reason: String| LoadError {
        path: path.to_owned(),
        reason,
    };

    let bytes = std::fs::metadata(path)
        .map_err(|error| fail(format!("cannot read it: {error}")))?
        .len();
    limits::check_size(bytes).map_err(fail)?;
    let text =
        std::fs::read_to_string(path).map_err(|error| fail(format!("cannot read it: {error}")))?;
    limits::check_text(&text).map_err(fail)?;
    let not_json = |error: serde_json::Error| {
        fail(format!(
            "not valid JSON: {error}; accepted: a JSON document (RFC 8259)"
        ))
    };

    // Generic values are read from the text: `serde_json`'s map, which the
    // typed datasets and the detection read, keeps one member of each key.
    let generic = || {
        serde_json::from_str::<Document>(&text)
            .map(Dataset::Json)
            .map_err(not_json)
    };
    if shape == Some(Shape::Json) {
        return generic();
    }
    let json: Json = serde_json::from_str(&text).map_err(not_json)?;
    match shape.and_then(Shape::typed) {
        Some(name) => typed(json, name).map_err(fail),
        // A document with a typed dataset's key that is not that dataset
        // is a document of another shape.
        None => match detect(&json) {
            Some(name) => typed(json, name).or_else(|_| generic()),
            None => generic(),
        },
    }
}

/// The typed dataset `name` from `json`, or why it is not one.
fn typed(json: Json, name: Name) -> Result<Dataset, String> {
    let describe = SHAPES
        .iter()
        .find(|(shape, ..)| *shape == name)
        .map_or("", |shape| shape.2);

    Ok(match name {
        Name::Geo => {
            if json["type"] != "FeatureCollection" {
                return Err(
                    "not a GeoJSON FeatureCollection: its \"type\" is not \"FeatureCollection\""
                        .to_owned(),
                );
            }
            // Checked before parsing, which would fail on the other shapes'
            // coordinates with a less helpful message.
            if let Some(kind) = geometry_kinds(&json).find(|kind| *kind != "Polygon") {
                return Err(format!(
                    "a feature has a {kind:?} geometry; only \"Polygon\" (or null) is accepted"
                ));
            }
            Dataset::Geo(from_json(json, describe)?)
        }
        Name::Social => Dataset::Social(from_json(json, describe)?),
        Name::Catalog => Dataset::Catalog(from_json(json, describe)?),
        Name::Mesh => Dataset::Mesh(from_json(json, describe)?),
        Name::Log => Dataset::Log(from_json(json, describe)?),
        Name::Messages => Dataset::Messages(from_json(json, describe)?),
    })
}

/// The `type` of every feature's geometry that is not `null`.
fn geometry_kinds(json: &Json) -> impl Iterator<Item = &str> {
    json["features"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|feature| feature["geometry"]["type"].as_str())
}

fn detect(json: &Json) -> Option<Name> {
    let probe = match json {
        Json::Array(items) => items.first()?,
        other => other,
    };
    let keys = probe.as_object()?;
    SHAPES
        .iter()
        .find(|(_, key, _)| keys.contains_key(*key))
        .map(|(name, ..)| *name)
}

fn from_json<T: DeserializeOwned>(json: Json, what: &str) -> Result<T, String> {
    serde_json::from_value(json).map_err(|error| format!("not {what}: {error}"))
}

/// The dataset as pretty-printed JSON in the format [`load_json`] reads.
pub fn to_json(dataset: &Dataset) -> String {
    let json = match dataset {
        Dataset::Geo(value) => serde_json::to_string_pretty(value),
        Dataset::Social(value) => serde_json::to_string_pretty(value),
        Dataset::Catalog(value) => serde_json::to_string_pretty(value),
        Dataset::Mesh(value) => serde_json::to_string_pretty(value),
        Dataset::Log(value) => serde_json::to_string_pretty(value),
        Dataset::Messages(value) => serde_json::to_string_pretty(value),
        Dataset::Json(value) => serde_json::to_string_pretty(value),
    };
    json.expect("datasets are plain data and always serialize") + "\n"
}
