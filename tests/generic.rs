//! JSON documents of shapes no typed dataset has: unusual but valid ones
//! load as generic values, keep what they hold, and encode through every
//! contender on both musli versions as musli's own allocators encode them;
//! random values round-trip through the model's encode and decode.

use std::path::PathBuf;

use musli_alloc_bench::contenders::{Kind, NextKind};
use musli_alloc_bench::datasets::generic::{Document, Json, Member, Scalar};
use musli_alloc_bench::datasets::limits::MAX_DEPTH;
use musli_alloc_bench::datasets::{Dataset, NextDataset, Shape, load_json};
use musli_alloc_bench::format::{Format, Mode, decode};
use musli_alloc_bench::names::Named;
use musli_alloc_bench::workload::{NextWorkload, Workload};
use proptest::prelude::*;

/// `text` written to a file of this test's and loaded as a user's file.
fn load(name: &str, text: &str, shape: Option<Shape>) -> Dataset {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("generic-{name}.json"));
    std::fs::write(&path, text).expect("the scratch directory is writable");
    load_json(&path, shape).unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn document(dataset: Dataset) -> Document {
    match dataset {
        Dataset::Json(document) => document,
        other => panic!("read as {:?}, not generic JSON", other.shape()),
    }
}

fn nested_arrays(depth: usize) -> String {
    "[".repeat(depth) + "1" + &"]".repeat(depth)
}

fn nested_objects(depth: usize) -> String {
    r#"{"a":"#.repeat(depth) + "null" + &"}".repeat(depth)
}

/// Unusual documents that are valid JSON, by name.
fn unusual() -> Vec<(&'static str, String)> {
    vec![
        ("deep-arrays", nested_arrays(MAX_DEPTH)),
        ("deep-objects", nested_objects(MAX_DEPTH)),
        (
            "long-string",
            format!(r#"{{"s": "{}", "t": [1]}}"#, "é".repeat(500_000)),
        ),
        ("empty-array", "[]".to_owned()),
        ("empty-object", "{}".to_owned()),
        ("empties", r#"[[], {}, [{}], {"": []}]"#.to_owned()),
        (
            "unicode-keys",
            r#"{"ключ": 1, "é\n\"q\"\\": 2, "😀": "\ud83d\ude00", "\u0000": false}"#.to_owned(),
        ),
        (
            "duplicate-keys",
            r#"{"a": 1, "a": 2, "b": [1], "a": 3}"#.to_owned(),
        ),
        (
            "numbers",
            "[-0, 1e308, 18446744073709551615, -9223372036854775808, 0.1, -1.5e-300, 0]".to_owned(),
        ),
        ("scalar-string", r#""only a string""#.to_owned()),
        ("scalar-null", "null".to_owned()),
    ]
}

#[test]
fn unusual_documents_keep_what_they_hold() {
    let numbers = document(load("numbers", &unusual()[8].1, None));
    let Document::Array(elements) = numbers else {
        panic!("an array")
    };
    let scalars: Vec<Scalar> = elements
        .into_iter()
        .map(|element| match element.value {
            Json::Scalar(leaf) => leaf.value,
            other => panic!("{other:?} is not a scalar"),
        })
        .collect();
    assert!(matches!(scalars[0], Scalar::F64(zero) if zero == 0.0 && zero.is_sign_negative()));
    assert_eq!(scalars[1], Scalar::F64(1e308));
    assert_eq!(scalars[2], Scalar::U64(u64::MAX));
    assert_eq!(scalars[3], Scalar::I64(i64::MIN));
    assert_eq!(scalars[4], Scalar::F64(0.1));
    assert_eq!(scalars[6], Scalar::U64(0));

    let duplicates = document(load("duplicate-keys", &unusual()[7].1, None));
    let Document::Object(members) = duplicates else {
        panic!("an object")
    };
    let keys: Vec<&str> = members.iter().map(|member| member.key.as_str()).collect();
    assert_eq!(keys, ["a", "a", "b", "a"], "every member, in order");

    let unicode = document(load("unicode-keys", &unusual()[6].1, None));
    let Document::Object(members) = unicode else {
        panic!("an object")
    };
    let keys: Vec<&str> = members.iter().map(|member| member.key.as_str()).collect();
    assert_eq!(keys, ["ключ", "é\n\"q\"\\", "😀", "\0"]);
    assert_eq!(
        members[2].value,
        Json::from(Scalar::String("😀".to_owned()))
    );
}

/// Every contender of both musli versions writes the bytes of musli's own
/// allocator (`System`, `Global`) for every unusual document, in every
/// format and mode, and those bytes decode back to the document.
#[test]
fn unusual_documents_encode_through_every_contender_as_musli_does() {
    for (name, text) in unusual() {
        let dataset = load(name, &text, None);
        assert_eq!(dataset.shape(), Shape::Json, "{name}");
        let next = NextDataset::of(&dataset);
        let Dataset::Json(expected) = &dataset else {
            unreachable!("checked above")
        };
        for &format in Format::ALL {
            for &mode in Mode::ALL {
                let what = format!("{name}/{format}/{mode}");
                let workload = Workload::new(&dataset, format, mode);
                let reference = workload.output().expect("System never runs out");
                let (decoded, rest) = decode::<Document>(format, mode, &reference)
                    .unwrap_or_else(|error| panic!("{what}: {error}"));
                assert!(
                    rest.is_empty() && &decoded == expected,
                    "{what}: decodes back"
                );

                let sizing = workload.sizing().expect("System never runs out");
                for &kind in Kind::ALL {
                    let mut out = Vec::new();
                    workload
                        .encode(&mut kind.build(&sizing), &mut out)
                        .unwrap_or_else(|error| panic!("{what}/{kind}: {error}"));
                    assert!(out == reference, "{what}/{kind}: bytes differ");
                }

                let workload = NextWorkload::new(&next, format, mode);
                let reference = workload.output().expect("Global never runs out");
                let sizing = workload.sizing();
                for &kind in NextKind::ALL {
                    let mut out = Vec::new();
                    workload
                        .encode(&mut kind.build(&sizing), &mut out)
                        .unwrap_or_else(|error| panic!("{what}/{kind} on musli 0.2: {error}"));
                    assert!(out == reference, "{what}/{kind} on musli 0.2: bytes differ");
                }
            }
        }
    }
}

/// A typed document read through the generic model on request, and a
/// document with a typed dataset's key that is not that dataset read as
/// generic values rather than refused.
#[test]
fn a_shape_chooses_the_model_and_a_near_miss_is_generic() {
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/geo-sample.json");
    assert_eq!(load_json(&sample, None).unwrap().shape(), Shape::Geo);
    assert_eq!(
        load_json(&sample, Some(Shape::Json)).unwrap().shape(),
        Shape::Json
    );

    // The example of another shape kept in `datasets/`.
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/events-example.json");
    assert_eq!(load_json(&example, None).unwrap().shape(), Shape::Json);

    let points = r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}}]}"#;
    assert_eq!(load("points", points, None).shape(), Shape::Json);
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generic-points.json");
    let error = load_json(&path, Some(Shape::Geo)).expect_err("not polygons");
    assert!(error.to_string().contains("\"Point\" geometry"), "{error}");
}

/// Random JSON values: scalars of every kind, nested a few levels.
fn any_json() -> impl Strategy<Value = Json> {
    let scalar = prop_oneof![
        Just(Scalar::Null),
        any::<bool>().prop_map(Scalar::Bool),
        any::<u64>().prop_map(Scalar::U64),
        (i64::MIN..0).prop_map(Scalar::I64),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |value| value.is_finite())
            .prop_map(Scalar::F64),
        any::<String>().prop_map(Scalar::String),
    ]
    .prop_map(Json::from);
    scalar.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            prop::collection::vec((any::<String>(), inner), 0..6).prop_map(|members| {
                Json::Object(
                    members
                        .into_iter()
                        .map(|(key, value)| Member { key, value })
                        .collect(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Encoded in every format and mode and decoded, a value is itself;
    /// written as JSON and read back, too.
    #[test]
    fn random_values_round_trip(value in any_json()) {
        let document = Document::from(value);
        let dataset = Dataset::Json(document.clone());
        for &format in Format::ALL {
            for &mode in Mode::ALL {
                let bytes = Workload::new(&dataset, format, mode).output().unwrap();
                let (decoded, rest) = decode::<Document>(format, mode, &bytes).unwrap();
                prop_assert!(rest.is_empty());
                prop_assert_eq!(&decoded, &document);
            }
        }
        let text = serde_json::to_string(&document).unwrap();
        let read: Document = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(read, document);
    }
}
