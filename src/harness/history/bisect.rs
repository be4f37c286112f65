//! `bisect GOOD BAD --bench ID`: the first commit after GOOD whose count of
//! one bench differs from GOOD's by more than the threshold, by binary
//! search over the first-parent commits, and the functions whose counts
//! moved most there.
//!
//! Counts are exact per build, so a commit is on GOOD's side or not by one
//! count, with no repeat: GOOD and BAD are counted, then the middle of what
//! is left, at most ceil(log2 N) + 2 builds for N commits, each one kept.

use std::collections::HashMap;
use std::path::Path;

use crate::bench_id::BenchId;
use crate::groups::Entry;
use crate::harness::callgrind::function_counts;
use crate::harness::cli::DatasetChoice;
use crate::harness::compare::{Git, Revision, build_each};
use crate::harness::exit::Exit;
use crate::harness::instructions::{count_dataset_matching, run_profile};

use super::counts::Counter;
use super::range::{self, Commit};
use super::steps::Threshold;

/// How many functions the report lists.
const FUNCTIONS: usize = 10;

/// Finds and prints the commit between `good` and `bad` where `bench`'s
/// count moved past `threshold`. Everything given is checked before the
/// first build.
pub fn bisect(
    root: &Path,
    good: &str,
    bad: &str,
    bench: &str,
    threshold: Threshold,
    datasets: &DatasetChoice,
) -> Result<(), Exit> {
    let bench: BenchId = bench.parse()?;
    let git = Git { root };
    let commits = range::first_parent(&git, good, bad)?;
    let suite = datasets.suite(root)?;
    let entry = suite
        .entries
        .iter()
        .find(|entry| bench.group.dataset() == Some(entry.label.as_str()))
        .filter(|_| {
            suite
                .measured_groups()
                .iter()
                .any(|group| group.benches().contains(&bench))
        })
        .ok_or_else(|| {
            Exit::bad_input(format!(
                "no bench {bench} among the encode and replay benches of the datasets chosen; \
                 accepted: an ID as `cargo bench -- --list` shows it (a file's with --dataset FILE)"
            ))
        })?;
    let only = format!("^{}$", regex::escape(&bench.to_string()));
    let counter = Counter::new(
        root,
        vec![entry.origin.clone()],
        entry.read_in(),
        Some(only.clone()),
    )?;

    let (mut builds, mut visited) = (0, std::collections::BTreeSet::new());
    let mut count = |at: usize| -> Result<f64, Exit> {
        let (counts, built) = counter.counts(std::slice::from_ref(&commits[at]))?;
        builds += built;
        visited.insert(at);
        let commit = &commits[at];
        match counts.into_iter().next().expect("one commit asked") {
            Err(failure) => Err(Exit::failed(format!(
                "the build of {} failed, and bisect needs a count of every commit it visits: \
                 {failure}",
                commit.short()
            ))),
            Ok(counts) => counts
                .get(&bench)
                .copied()
                .ok_or_else(|| Exit::failed(format!("{} has no bench {bench}", commit.short()))),
        }
    };

    let last = commits.len() - 1;
    let good_count = count(0)?;
    let bad_count = count(last)?;
    if !threshold.is_step(good_count, bad_count) {
        println!(
            "{bench}: {} counts {bad_count:.0}, within {}% of {}'s {good_count:.0}: nothing to find",
            commits[last].short(),
            threshold.percent(),
            commits[0].short(),
        );
        return Ok(());
    }
    // commits[low] counts as GOOD does, commits[high] does not.
    let (mut low, mut high, mut high_count) = (0, last, bad_count);
    while high - low > 1 {
        let middle = (low + high) / 2;
        let middle_count = count(middle)?;
        if threshold.is_step(good_count, middle_count) {
            (high, high_count) = (middle, middle_count);
        } else {
            low = middle;
        }
    }
    // Counted already: `low` is `high - 1` when the search ends.
    let before = count(high - 1)?;
    let bound = (commits.len() - 1).next_power_of_two().trailing_zeros() as usize + 2;

    let found = &commits[high];
    println!(
        "{bench}: first moved at {} {}\n  {before:.0} -> {high_count:.0} ({:+.2}%) against {} \
         ({}); {} commits after GOOD, counted {} (at most {bound}), {builds} built now",
        found.short(),
        found.subject,
        100.0 * (high_count / before - 1.0),
        commits[high - 1].short(),
        commits[high - 1].subject,
        commits.len() - 1,
        visited.len(),
    );
    let moved = functions_moved(root, &git, &commits[high - 1], found, entry, &only)?;
    println!(
        "\n| function | {} | {} | change |\n|---|---:|---:|---:|",
        commits[high - 1].short(),
        found.short()
    );
    for (function, parent, child) in moved.into_iter().take(FUNCTIONS) {
        println!(
            "| {function} | {parent} | {child} | {:+} |",
            child as i64 - parent as i64
        );
    }
    Ok(())
}

/// Each function's own instructions in one run of the bench `only`
/// matches, in `parent` and `child` (both built already), the functions
/// whose counts changed most first.
fn functions_moved(
    root: &Path,
    git: &Git<'_>,
    parent: &Commit,
    child: &Commit,
    entry: &Entry,
    only: &str,
) -> Result<Vec<(String, u64, u64)>, Exit> {
    let revisions = [parent, child].map(|commit| Revision::Commit(commit.id.clone()));
    let mut profiles: Vec<HashMap<String, u64>> = Vec::new();
    for (commit, program) in
        [parent, child]
            .into_iter()
            .zip(build_each(root, git, &revisions, |_| {}))
    {
        let scratch = root.join("target/history/bisect").join(commit.short());
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch)
            .map_err(|error| Exit::failed(format!("cannot make {}: {error}", scratch.display())))?;
        count_dataset_matching(
            &program?,
            &scratch,
            &entry.origin,
            entry.read_in(),
            Some(only),
        )?;
        let path = run_profile(&scratch, &entry.origin, 0);
        let text = std::fs::read_to_string(&path)
            .map_err(|error| Exit::failed(format!("cannot read {}: {error}", path.display())))?;
        profiles.push(function_counts(&text));
    }
    let (before, after) = (&profiles[0], &profiles[1]);
    let mut moved: Vec<(String, u64, u64)> = before
        .keys()
        .chain(after.keys())
        .map(|function| {
            let of = |counts: &HashMap<String, u64>| counts.get(function).copied().unwrap_or(0);
            (function.clone(), of(before), of(after))
        })
        .filter(|(_, before, after)| before != after)
        .collect();
    moved.sort_by_key(|(function, before, after)| {
        (std::cmp::Reverse(before.abs_diff(*after)), function.clone())
    });
    moved.dedup_by(|a, b| a.0 == b.0);
    Ok(moved)
}
