//! The datasets stay the same across commits and machines, and their JSON
//! samples load back as the values they were written from.

use std::path::Path;

use musli_alloc_bench::datasets::{self, DEFAULT_SEED, Dataset, Name};
use musli_alloc_bench::format::{Format, Mode};
use musli_alloc_bench::names::Named;
use musli_alloc_bench::workload::Workload;

/// 64-bit FNV-1a: tiny, and fixed forever.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The FNV-1a hash of each dataset's `wire` encoding at scale 1 with
/// [`DEFAULT_SEED`], in the `default` and `packed` modes. A change here
/// changes every measurement: make it on purpose, and say so.
const PINNED: [(Name, u64, u64); 6] = [
    (Name::Geo, 0xb930856c41b94d55, 0xcbec36b0bd8187b1),
    (Name::Social, 0xf89aac0648df5465, 0x0f1b8055f284674d),
    (Name::Catalog, 0x1709fe8ef1b91af3, 0x7e8ba3f840c872eb),
    (Name::Mesh, 0x7bbb2bf92e18fb2d, 0x9225fcfbf07c1061),
    (Name::Log, 0x5e1e4e72eeaff7b0, 0x06169ec2eac0058b),
    (Name::Messages, 0xecaf467371d31a00, 0x23601f7f7955f706),
];

#[test]
fn the_datasets_have_not_changed() {
    let mut found = Vec::new();
    for (name, default, packed) in PINNED {
        let dataset = Dataset::generate(name, DEFAULT_SEED, 1.0);
        let hash = |mode| {
            fnv1a(
                &Workload::new(&dataset, Format::Wire, mode)
                    .output()
                    .unwrap(),
            )
        };
        found.push((
            (name, default, packed),
            (name, hash(Mode::Default), hash(Mode::Packed)),
        ));
    }

    let changed: Vec<_> = found
        .iter()
        .filter(|(pinned, now)| pinned != now)
        .map(|(_, (name, default, packed))| {
            format!("    (Name::{name:?}, {default:#018x}, {packed:#018x}),")
        })
        .collect();
    assert!(
        changed.is_empty(),
        "datasets changed; now:\n{}",
        changed.join("\n")
    );
}

#[test]
fn generating_is_deterministic_and_seeded() {
    for &name in Name::ALL {
        let one = Dataset::generate(name, 7, 0.05);
        assert_eq!(one, Dataset::generate(name, 7, 0.05), "{name}");
        assert_ne!(
            one,
            Dataset::generate(name, 8, 0.05),
            "{name}: the seed must matter"
        );
    }
}

#[test]
fn the_samples_are_current_and_load_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for &name in Name::ALL {
        let generated = Dataset::generate(name, DEFAULT_SEED, datasets::sample_scale(name));
        let path = root.join(datasets::sample_path(name));
        let written = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert!(
            written == datasets::to_json(&generated),
            "{} is stale: run `cargo run --release -- samples`",
            path.display()
        );

        let loaded = datasets::load_json(&path, None).unwrap();
        assert_eq!(loaded, generated, "{name}: loading the sample");
        let forced = datasets::load_json(&path, Some(name.into())).unwrap();
        assert_eq!(forced, generated, "{name}: loading the sample by name");
    }
}

#[test]
fn the_samples_show_the_promised_variety() {
    let Dataset::Social(social) = Dataset::generate(Name::Social, DEFAULT_SEED, 1.0) else {
        unreachable!()
    };
    let texts: String = social
        .statuses
        .iter()
        .map(|status| status.text.as_str())
        .collect();
    assert!(
        texts
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "CJK"
    );
    assert!(texts.chars().any(|c| c as u32 >= 0x1f300), "emoji");
    assert!(texts.contains('é') || texts.contains('ü'), "accents");
    assert!(
        social
            .statuses
            .iter()
            .any(|status| status.retweeted_status.is_some())
    );
    assert!(
        social
            .statuses
            .iter()
            .any(|status| status.in_reply_to_status_id.is_none())
    );
    assert!(
        social
            .statuses
            .iter()
            .any(|status| status.entities.hashtags.is_empty())
    );

    for status in &social.statuses {
        let chars: Vec<char> = status.text.chars().collect();
        for tag in &status.entities.hashtags {
            let shown: String = chars[tag.indices.start as usize..tag.indices.end as usize]
                .iter()
                .collect();
            assert_eq!(shown, format!("#{}", tag.text), "indices place the hashtag");
        }
    }

    let Dataset::Messages(messages) = Dataset::generate(Name::Messages, DEFAULT_SEED, 1.0) else {
        unreachable!()
    };
    let sizes: Vec<usize> = messages
        .iter()
        .map(|message| {
            let one = Dataset::Messages(vec![message.clone()]);
            Workload::new(&one, Format::Wire, Mode::Default)
                .output()
                .unwrap()
                .len()
        })
        .collect();
    let largest = *sizes.iter().max().unwrap();
    let median = {
        let mut sorted = sizes.clone();
        sorted.sort();
        sorted[sorted.len() / 2]
    };
    assert!(largest < 3000, "every message stays under 3 KB: {largest}");
    assert!(
        largest > 4 * median,
        "a long tail: median {median}, largest {largest}"
    );
}
