//! Datasets as JSON: loading users' documents of the public formats, and
//! writing the samples in `datasets/`.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use super::{Dataset, Name};

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

/// The shapes a JSON file may have, and the key that tells each apart.
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

fn expected() -> String {
    SHAPES
        .iter()
        .map(|(name, _, what)| format!("{what} ({name})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Loads the JSON file at `path` as dataset `shape`, or as the shape its
/// top-level keys show when `shape` is `None`. Unknown fields are ignored.
pub fn load_json(path: &Path, shape: Option<Name>) -> Result<Dataset, LoadError> {
    let fail = |reason: String| LoadError {
        path: path.to_owned(),
        reason,
    };

    let text =
        std::fs::read_to_string(path).map_err(|error| fail(format!("cannot read it: {error}")))?;
    let json: Json =
        serde_json::from_str(&text).map_err(|error| fail(format!("not valid JSON: {error}")))?;

    let shape = match shape {
        Some(shape) => shape,
        None => detect(&json).ok_or_else(|| {
            fail(format!(
                "not a dataset this suite knows; expected one of: {}",
                expected()
            ))
        })?,
    };

    let parse = |what: &str| fail(format!("not {what}"));
    let describe = |name| SHAPES.iter().find(|(n, ..)| *n == name).map_or("", |s| s.2);

    let dataset = match shape {
        Name::Geo => {
            if json["type"] != "FeatureCollection" {
                return Err(parse(
                    "a GeoJSON FeatureCollection: its \"type\" is not \"FeatureCollection\"",
                ));
            }
            // Checked before parsing, which would fail on the other shapes'
            // coordinates with a less helpful message.
            if let Some(kind) = geometry_kinds(&json).find(|kind| *kind != "Polygon") {
                return Err(fail(format!(
                    "a feature has a {kind:?} geometry; only \"Polygon\" (or null) is accepted"
                )));
            }
            Dataset::Geo(from_json(json, describe(shape)).map_err(fail)?)
        }
        Name::Social => Dataset::Social(from_json(json, describe(shape)).map_err(fail)?),
        Name::Catalog => Dataset::Catalog(from_json(json, describe(shape)).map_err(fail)?),
        Name::Mesh => Dataset::Mesh(from_json(json, describe(shape)).map_err(fail)?),
        Name::Log => Dataset::Log(from_json(json, describe(shape)).map_err(fail)?),
        Name::Messages => Dataset::Messages(from_json(json, describe(shape)).map_err(fail)?),
    };

    Ok(dataset)
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
    };
    json.expect("datasets are plain data and always serialize") + "\n"
}
