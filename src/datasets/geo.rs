//! `geo`: a GeoJSON FeatureCollection of polygons.
//!
//! The leaf type is [`Point`], a longitude/latitude pair: in the `default`
//! mode every point takes one buffer of 16 bytes.
//!
//! # Distributions
//!
//! * 120 features per unit of scale.
//! * Each feature: a `properties` map of 3 to 6 string entries (a title of 1
//!   to 3 words, an ISO-like code, a population, sometimes a place name and
//!   a website).
//! * Geometry: one outer ring of 4 to 4,000 points, log-uniform (many small
//!   shapes, a few detailed coastlines), and with probability 0.2 one to
//!   three holes of 4 to 200 points. Rings are closed (last point equals
//!   first), as GeoJSON requires. One feature in 50 has a `null` geometry.
//! * Points walk around a centre with steps of up to 0.05 degrees and are
//!   rounded to 6 decimals, as GIS exports commonly are.

use std::collections::BTreeMap;

use musli::{Decode, Encode};
use serde::{Deserialize, Serialize};

use super::random::Random;
use super::text;
use crate::format::Packed;

/// A GeoJSON `FeatureCollection`.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct FeatureCollection {
    /// Always `"FeatureCollection"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The features.
    pub features: Vec<Feature>,
}

/// One GeoJSON `Feature`.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Feature {
    /// Always `"Feature"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The feature's properties. Numbers and booleans in a loaded file are
    /// kept as their JSON text; `null` values are left out.
    #[serde(default, deserialize_with = "properties::deserialize")]
    pub properties: BTreeMap<String, String>,
    /// The shape, or `None` for a feature without one (`null`).
    pub geometry: Option<Polygon>,
}

/// A GeoJSON `Polygon`: an outer ring and its holes.
#[derive(Clone, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(mode = Packed, packed)]
pub struct Polygon {
    /// Always `"Polygon"`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Rings of points; the first is the outer boundary.
    pub coordinates: Vec<Vec<Point>>,
}

/// A position: longitude then latitude. An altitude in a loaded file is
/// dropped.
#[derive(Clone, Copy, Debug, PartialEq, Encode, Decode, Serialize, Deserialize)]
#[musli(packed)]
#[musli(mode = Packed, packed)]
#[serde(try_from = "Vec<f64>", into = "[f64; 2]")]
pub struct Point {
    /// Longitude in degrees.
    pub x: f64,
    /// Latitude in degrees.
    pub y: f64,
}

impl TryFrom<Vec<f64>> for Point {
    type Error = String;

    fn try_from(position: Vec<f64>) -> Result<Self, Self::Error> {
        match position[..] {
            [x, y, ..] => Ok(Point { x, y }),
            _ => Err(format!(
                "a position needs at least 2 numbers, found {}",
                position.len()
            )),
        }
    }
}

impl From<Point> for [f64; 2] {
    fn from(point: Point) -> Self {
        [point.x, point.y]
    }
}

mod properties {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    /// Keeps strings, writes numbers and booleans as text, drops nulls,
    /// and writes nested arrays and objects as their JSON text.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, String>, D::Error> {
        let map: Option<BTreeMap<String, Value>> = Option::deserialize(deserializer)?;
        Ok(map
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(key, value)| match value {
                Value::Null => None,
                Value::String(text) => Some((key, text)),
                other => Some((key, other.to_string())),
            })
            .collect())
    }
}

/// Features per unit of scale.
const FEATURES: f64 = 120.0;

/// Generates the dataset for `seed` at `scale`.
pub fn generate(seed: u64, scale: f64) -> FeatureCollection {
    let mut random = Random::new(seed);
    let count = super::random::scaled(FEATURES, scale);

    FeatureCollection {
        kind: "FeatureCollection".to_owned(),
        features: (0..count).map(|_| feature(&mut random)).collect(),
    }
}

fn feature(random: &mut Random) -> Feature {
    let mut properties = BTreeMap::new();
    let words = random.between(1, 3) as usize;
    properties.insert("name".to_owned(), text::title(random, words));
    properties.insert(
        "code".to_owned(),
        format!(
            "{}-{:03}",
            (b'A' + random.below(26) as u8) as char,
            random.below(1000)
        ),
    );
    properties.insert(
        "population".to_owned(),
        random.long_tail(10, 20_000_000).to_string(),
    );
    if random.chance(0.5) {
        properties.insert("capital".to_owned(), text::place(random).to_owned());
    }
    if random.chance(0.3) {
        properties.insert("website".to_owned(), text::url(random));
    }

    let geometry = (!random.chance(0.02)).then(|| polygon(random));

    Feature {
        kind: "Feature".to_owned(),
        properties,
        geometry,
    }
}

fn polygon(random: &mut Random) -> Polygon {
    let centre = Point {
        x: random.float(-180.0, 180.0),
        y: random.float(-80.0, 80.0),
    };

    let outer = random.long_tail(4, 4000) as usize;
    let mut rings = vec![ring(random, centre, outer)];
    if random.chance(0.2) {
        for _ in 0..random.between(1, 3) {
            let hole = random.long_tail(4, 200) as usize;
            rings.push(ring(random, centre, hole));
        }
    }

    Polygon {
        kind: "Polygon".to_owned(),
        coordinates: rings,
    }
}

fn ring(random: &mut Random, centre: Point, len: usize) -> Vec<Point> {
    let round = |degrees: f64| (degrees * 1e6).round() / 1e6;
    let mut at = centre;
    let mut points: Vec<Point> = (1..len)
        .map(|_| {
            at.x = (at.x + random.float(-0.05, 0.05)).clamp(-180.0, 180.0);
            at.y = (at.y + random.float(-0.05, 0.05)).clamp(-90.0, 90.0);
            Point {
                x: round(at.x),
                y: round(at.y),
            }
        })
        .collect();
    points.push(points[0]);
    points
}
