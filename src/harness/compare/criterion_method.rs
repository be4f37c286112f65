//! `compare --method criterion`: criterion's own baselines. BASE's encode
//! benches save the baseline `base`, HEAD's are compared against it, one
//! after the other; the pages are criterion's, under
//! `target/compare/criterion/`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value as Json;

use super::build::{Git, Revision};
use super::paired::{Change, Verdict};
use super::row::Row;
use crate::bench_id::BenchId;
use crate::harness::criterion::{criterion_dir, median_in};
use crate::harness::exit::Exit;
use crate::harness::output::last_line;

/// Benches BASE and then HEAD with criterion, only the benches `filter`
/// matches, quickly with `quick`; returns a row per bench compared.
pub fn run(
    root: &Path,
    git: &Git<'_>,
    base: &str,
    head: &Revision,
    filter: Option<&str>,
    quick: bool,
) -> Result<Vec<Row>, Exit> {
    let mut options: Vec<&str> = filter.into_iter().collect();
    if quick {
        options.push("--quick");
    }
    let scratch = root.join("target/compare");
    let target = scratch.join("target");
    let criterion_home = home(root);
    // Stale results of an earlier comparison must not be read as this one's.
    let _ = std::fs::remove_dir_all(&criterion_home);

    let base_tree = git.worktree(&scratch, base)?;
    bench(
        &base_tree,
        &target,
        &criterion_home,
        &["--save-baseline", "base"],
        &options,
    )?;
    let head_tree = match head {
        Revision::Commit(commit) => git.worktree(&scratch, commit)?,
        Revision::WorkingTree => root.to_owned(),
    };
    let log = bench(
        &head_tree,
        &target,
        &criterion_home,
        &["--baseline", "base"],
        &options,
    )?;
    Ok(rows(&criterion_home, &verdicts(&log)))
}

/// Where this method's criterion results go.
pub fn home(root: &Path) -> std::path::PathBuf {
    root.join("target/compare/criterion")
}

/// Runs the encode benches in `tree`, returning criterion's output.
fn bench(
    tree: &Path,
    target: &Path,
    criterion_home: &Path,
    baseline: &[&str],
    options: &[&str],
) -> Result<String, Exit> {
    eprintln!("benching {} ...", tree.display());
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .current_dir(tree)
        .args(["bench", "--bench", "encode", "--"])
        .args(baseline)
        .args(options)
        .env("CARGO_TARGET_DIR", target)
        .env("CRITERION_HOME", criterion_home);

    let output = command
        .output()
        .map_err(|error| Exit::failed(format!("cannot run cargo: {error}")))?;
    if !output.status.success() {
        return Err(Exit::failed(format!(
            "cargo bench --bench encode failed in {}: {}",
            tree.display(),
            last_line(&output.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Criterion's verdict on each bench in its output, in the words of the
/// paired method. Lines that name no bench of ours are passed over.
pub fn verdicts(log: &str) -> BTreeMap<BenchId, Verdict> {
    const VERDICTS: [(&str, Verdict); 4] = [
        ("Performance has regressed.", Verdict::Slower),
        ("Performance has improved.", Verdict::Faster),
        ("No change in performance detected.", Verdict::NoChange),
        ("Change within noise threshold.", Verdict::NoChange),
    ];

    let mut verdicts = BTreeMap::new();
    let mut current: Option<BenchId> = None;
    for line in log.lines() {
        if !line.starts_with(char::is_whitespace)
            && !line.starts_with("Benchmarking")
            && line.contains('/')
        {
            current = line.trim().parse().ok();
            continue;
        }
        let line = line.trim();
        if let (Some(id), Some((_, verdict))) =
            (&current, VERDICTS.iter().find(|(text, _)| *text == line))
        {
            verdicts.insert(id.clone(), *verdict);
        }
    }
    verdicts
}

/// A row for every bench criterion compared: its medians, its change with
/// criterion's interval of it (`change/estimates.json`), and its verdict.
fn rows(criterion_home: &Path, verdicts: &BTreeMap<BenchId, Verdict>) -> Vec<Row> {
    verdicts
        .iter()
        .map(|(id, &verdict)| {
            let dir = criterion_home.join(criterion_dir(id));
            let base = median_in(&dir.join("base/estimates.json"));
            let head = median_in(&dir.join("new/estimates.json"));
            let change = change_in(&dir.join("change/estimates.json")).or_else(|| {
                let change = (head? / base? - 1.0) * 100.0;
                Some(Change {
                    change,
                    low: change,
                    high: change,
                })
            });
            Row {
                bench: id.clone(),
                base,
                head,
                change,
                base_instructions: None,
                head_instructions: None,
                verdict,
            }
        })
        .collect()
}

/// Criterion's estimate of the change of the median, with its interval.
fn change_in(path: &Path) -> Option<Change> {
    let json: Json = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let median = &json["median"];
    let percent = |value: &Json| Some(value.as_f64()? * 100.0);
    Some(Change {
        change: percent(&median["point_estimate"])?,
        low: percent(&median["confidence_interval"]["lower_bound"])?,
        high: percent(&median["confidence_interval"]["upper_bound"])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_are_read_from_criterions_output() {
        let log = "\
Benchmarking encode/wire/default/geo/stack: Analyzing
encode/wire/default/geo/stack
                        time:   [4.1 ms 4.2 ms 4.3 ms]
                 change:
                        time:   [-12.1% -10.0% -8.2%] (p = 0.00 < 0.05)
                        Performance has improved.
encode/wire/default/geo/floor
                        time:   [4.1 ms 4.2 ms 4.3 ms]
                        No change in performance detected.
";
        let verdicts = verdicts(log);
        let id = |text: &str| text.parse::<BenchId>().expect("an ID");
        assert_eq!(
            verdicts[&id("encode/wire/default/geo/stack")],
            Verdict::Faster
        );
        assert_eq!(
            verdicts[&id("encode/wire/default/geo/floor")],
            Verdict::NoChange
        );
        assert_eq!(verdicts.len(), 2);
    }
}
