//! Users' JSON files in `cargo bench`: `MUSLI_ALLOC_BENCH_DATA` adds their
//! groups, and bad values are refused before anything is timed.
//!
//! These run the `encode` bench through cargo, in the dev profile that
//! `cargo test` has built already, and only list its benches.

use std::path::{Path, PathBuf};
use std::process::Output;

use musli_alloc_bench::contenders::Kind;
use musli_alloc_bench::format::{Format, Mode};
use musli_alloc_bench::names::Named;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `cargo bench --bench encode -- --list` with `MUSLI_ALLOC_BENCH_DATA`
/// set to `value`.
fn list_with(value: &str) -> Output {
    list_with_shape(value, None)
}

/// As [`list_with`], with `MUSLI_ALLOC_BENCH_SHAPE` set to `shape`, if any.
fn list_with_shape(value: &str, shape: Option<&str>) -> Output {
    let mut command = std::process::Command::new(env!("CARGO"));
    if let Some(shape) = shape {
        command.env("MUSLI_ALLOC_BENCH_SHAPE", shape);
    }
    command
        .current_dir(root())
        .args([
            "bench",
            "--profile",
            "dev",
            "--bench",
            "encode",
            "--",
            "--list",
        ])
        .env("MUSLI_ALLOC_BENCH_DATA", value)
        .output()
        .expect("cargo runs")
}

#[test]
fn the_variable_adds_every_group_of_each_file() {
    let samples = ["geo-sample", "social-sample", "catalog-sample"];
    let value: Vec<String> = samples
        .iter()
        .map(|stem| format!("datasets/{stem}.json"))
        .collect();
    let output = list_with(&value.join(":"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    for stem in samples {
        for format in Format::ALL {
            for mode in Mode::ALL {
                for kind in Kind::ALL {
                    let id = format!("encode/{format}/{mode}/{stem}/{kind}: benchmark");
                    assert!(stdout.lines().any(|line| line == id), "no {id}");
                }
            }
        }
    }
    // The built-in datasets are still there.
    assert!(stdout.contains("encode/wire/default/geo/stack: benchmark"));
}

/// A document of no typed shape is benched as generic JSON values, and the
/// shape variable reads a typed one that way too, or is refused.
#[test]
fn any_document_is_benched_and_the_shape_variable_chooses_the_model() {
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generic-files");
    std::fs::create_dir_all(&scratch).unwrap();
    let rows = scratch.join("rows.json");
    std::fs::write(&rows, r#"{"rows": [1, -2, 3.5, "four", null, [true]]}"#).unwrap();

    for (shape, file) in [
        (None, rows.to_str().unwrap()),
        (Some("json"), "datasets/geo-sample.json"),
    ] {
        let output = list_with_shape(file, shape);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stem = Path::new(file).file_stem().unwrap().to_str().unwrap();
        for id in [
            format!("encode/wire/default/{stem}/stack: benchmark"),
            format!("musli-0.2/encode/descriptive/packed/{stem}/stack-spill: benchmark"),
        ] {
            assert!(stdout.lines().any(|line| line == id), "{shape:?}: no {id}");
        }
    }

    let output = list_with_shape("datasets/geo-sample.json", Some("yaml"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("exit status: 2"), "{stderr}");
    assert!(
        stderr.contains("error: MUSLI_ALLOC_BENCH_SHAPE: unknown shape \"yaml\"; accepted: geo"),
        "{stderr}"
    );
}

#[test]
fn bad_values_are_refused_each_with_its_message() {
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bad-files");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("other")).unwrap();
    let write = |name: &str, text: &str| {
        let path = scratch.join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let sample = std::fs::read_to_string(root().join("datasets/log-sample.json")).unwrap();
    let not_json = write("notes.json", "this is not JSON");
    let too_deep = write("deep.json", &("[".repeat(100_000) + &"]".repeat(100_000)));
    let named_like_a_builtin = write("log.json", &sample);
    let first = write("entries.json", &sample);
    let second = write("other/entries.json", &sample);

    let cases = [
        ("", "holds an empty path".to_owned()),
        (
            "datasets/log-sample.json:",
            "holds an empty path".to_owned(),
        ),
        (
            "datasets/missing.json",
            "datasets/missing.json: cannot read it".to_owned(),
        ),
        (not_json.as_str(), format!("{not_json}: not valid JSON")),
        (
            too_deep.as_str(),
            format!("{too_deep}: nests arrays and objects deeper than 64 levels"),
        ),
        (
            named_like_a_builtin.as_str(),
            format!(
                "the built-in dataset log and {named_like_a_builtin} would both be named \"log\""
            ),
        ),
        (
            &*format!("{first}:{second}"),
            format!("{first} and {second} would both be named \"entries\""),
        ),
    ];
    for (value, message) in cases {
        let output = list_with(value);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|line| line.starts_with("error: "))
            .collect();
        assert!(!output.status.success(), "{value:?} was accepted");
        assert!(stderr.contains("exit status: 2"), "{value:?}: {stderr}");
        assert!(
            errors.first().is_some_and(|line| line.contains(&message)),
            "{value:?}: wanted {message:?} in {errors:?}"
        );
        assert!(!stderr.contains("panicked"), "{value:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{value:?}: listed benches anyway");
    }
}
