//! `json`: a JSON document of any shape, as a tree of generic values.
//!
//! The typed datasets know their document's fields; this one knows only
//! JSON's kinds: null, bool, a number kept as the kind JSON's text gives it
//! (`u64` for a non-negative integer, `i64` for a negative one, `f64` for
//! one with a fraction or an exponent), string, array, and object, whose
//! members keep their order and their duplicates.
//!
//! Where it allocates, it follows the typed datasets: in the `default`
//! mode every scalar is a [`Leaf`], packed, so each takes one short-lived
//! buffer; in the `packed` mode each element of a top-level array, or
//! member of a top-level object, is packed, one buffer that grows through
//! it ([`Element`], [`Member`]).
//!
//! The JSON form ([`serde`]) is the document itself. Reading a file goes
//! through `datasets::limits` first, which bounds the nesting (this model's
//! functions recurse) and refuses numbers no kind holds.

use std::fmt;

use musli::{Decode, Encode};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::format::Packed;

/// A whole document: its top level, which the `packed` mode splits.
#[derive(Clone, Debug, PartialEq, Encode, Decode)]
#[musli(mode = Packed)]
pub enum Document {
    /// A top-level array.
    Array(Vec<Element>),
    /// A top-level object.
    Object(Vec<Member>),
    /// A document that is one scalar.
    Scalar(Json),
}

/// An element of a top-level array: packed in the `packed` mode.
#[derive(Clone, Debug, PartialEq, Encode, Decode)]
#[musli(mode = Packed, packed)]
pub struct Element {
    /// The element.
    pub value: Json,
}

/// An object's member. Packed in the `packed` mode: a top-level member is
/// one buffer, and one nested in it is encoded into that buffer.
#[derive(Clone, Debug, PartialEq, Encode, Decode)]
#[musli(mode = Packed, packed)]
pub struct Member {
    /// The key, as written (unescaped).
    pub key: String,
    /// The value.
    pub value: Json,
}

/// A scalar, packed in both modes: one buffer of its own in the `default`
/// mode, as the typed datasets' leaf types take.
#[derive(Clone, Debug, PartialEq, Encode, Decode)]
#[musli(packed)]
#[musli(mode = Packed, packed)]
pub struct Leaf {
    /// The scalar.
    pub value: Scalar,
}

/// A JSON value that holds no other.
#[derive(Clone, Debug, PartialEq, Encode, Decode)]
#[musli(mode = Packed)]
pub enum Scalar {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer from 0 to `u64::MAX`.
    U64(u64),
    /// A negative integer down to `i64::MIN`.
    I64(i64),
    /// A number with a fraction or an exponent.
    F64(f64),
    /// A string.
    String(String),
}

/// Any JSON value.
#[derive(Clone, Debug, PartialEq, Encode, Decode)]
#[musli(mode = Packed)]
pub enum Json {
    /// A scalar, in its own buffer in the `default` mode.
    Scalar(Leaf),
    /// An array.
    Array(Vec<Json>),
    /// An object, its members in order, duplicates kept.
    Object(Vec<Member>),
}

impl From<Scalar> for Json {
    fn from(value: Scalar) -> Self {
        Json::Scalar(Leaf { value })
    }
}

impl From<Json> for Document {
    fn from(value: Json) -> Self {
        match value {
            Json::Array(elements) => Document::Array(
                elements
                    .into_iter()
                    .map(|value| Element { value })
                    .collect(),
            ),
            Json::Object(members) => Document::Object(members),
            scalar => Document::Scalar(scalar),
        }
    }
}

impl From<Document> for Json {
    fn from(document: Document) -> Self {
        match document {
            Document::Array(elements) => {
                Json::Array(elements.into_iter().map(|element| element.value).collect())
            }
            Document::Object(members) => Json::Object(members),
            Document::Scalar(scalar) => scalar,
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Scalar(leaf) => match &leaf.value {
                Scalar::Null => serializer.serialize_unit(),
                Scalar::Bool(value) => serializer.serialize_bool(*value),
                Scalar::U64(value) => serializer.serialize_u64(*value),
                Scalar::I64(value) => serializer.serialize_i64(*value),
                Scalar::F64(value) => serializer.serialize_f64(*value),
                Scalar::String(value) => serializer.serialize_str(value),
            },
            Json::Array(values) => {
                let mut seq = serializer.serialize_seq(Some(values.len()))?;
                for value in values {
                    seq.serialize_element(value)?;
                }
                seq.end()
            }
            Json::Object(members) => serialize_members(members, serializer),
        }
    }
}

fn serialize_members<S: Serializer>(members: &[Member], serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(members.len()))?;
    for member in members {
        map.serialize_entry(&member.key, &member.value)?;
    }
    map.end()
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Array(elements) => {
                let mut seq = serializer.serialize_seq(Some(elements.len()))?;
                for element in elements {
                    seq.serialize_element(&element.value)?;
                }
                seq.end()
            }
            Document::Object(members) => serialize_members(members, serializer),
            Document::Scalar(scalar) => scalar.serialize(serializer),
        }
    }
}

/// Builds a [`Json`] from whatever JSON the deserializer holds. Objects are
/// read entry by entry, so duplicate keys stay, in order.
struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Scalar::Null.into())
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Scalar::Null.into())
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Json, E> {
        Ok(Scalar::Bool(value).into())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Json, E> {
        Ok(Scalar::U64(value).into())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Json, E> {
        // JSON's text has no sign on 0 and up: those are `u64`s, whatever
        // way they came.
        Ok(u64::try_from(value)
            .map_or(Scalar::I64(value), Scalar::U64)
            .into())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Json, E> {
        Ok(Scalar::F64(value).into())
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Json, E> {
        Ok(Scalar::String(value.into()).into())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Json, E> {
        Ok(Scalar::String(value).into())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(value) = seq.next_element()? {
            values.push(value);
        }
        Ok(Json::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some((key, value)) = map.next_entry()? {
            members.push(Member { key, value });
        }
        Ok(Json::Object(members))
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Json::deserialize(deserializer).map(Document::from)
    }
}
