//! `compare BASE [HEAD]`: the encode benches of two revisions, side by side.
//!
//! BASE (and HEAD, when given) is checked out in a git worktree under
//! `target/compare/worktrees/`; without HEAD the working tree itself is
//! benched, uncommitted changes and all. Both runs share one criterion
//! directory, `target/compare/criterion/`: BASE saves the baseline `base`,
//! HEAD is compared against it with criterion's own `--baseline`, and the
//! medians, changes and verdicts go to `reports/compare/BASE..HEAD/`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use html_escape::encode_text as html;
use serde_json::Value as Json;

use super::criterion::{criterion_dir, median_in};
use super::{Failure, last_line, write_atomically};

/// One bench ID in both runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The bench ID, `encode/{format}/{mode}/{dataset}/{contender}`.
    pub id: String,
    /// BASE's median, in nanoseconds.
    pub base_median: Option<f64>,
    /// HEAD's median, in nanoseconds.
    pub head_median: Option<f64>,
    /// Criterion's verdict on HEAD against BASE.
    pub verdict: String,
}

impl Comparison {
    /// The change of the median, in percent.
    pub fn change(&self) -> Option<f64> {
        Some((self.head_median? / self.base_median? - 1.0) * 100.0)
    }
}

/// A counter whose value differs between the two revisions.
#[derive(Clone, Debug, PartialEq)]
pub struct CounterChange {
    /// `dataset/mode/format/contender`.
    pub row: String,
    /// The counter.
    pub counter: String,
    /// BASE's value (`None`: the row or counter did not exist).
    pub base: Option<String>,
    /// HEAD's value.
    pub head: Option<String>,
}

/// Runs the comparison and writes its reports.
pub fn run(
    root: &Path,
    base: &str,
    head: Option<&str>,
    filter: Option<&str>,
    quick: bool,
) -> Result<(), Failure> {
    let mut options: Vec<&str> = filter.into_iter().collect();
    if quick {
        options.push("--quick");
    }

    let git = Git { root };
    let base_commit = git.resolve(base)?;
    let head_commit = head.map(|head| git.resolve(head)).transpose()?;
    let head_label = match head {
        Some(head) => head.to_owned(),
        None if git.is_dirty()? => "working-tree-dirty".to_owned(),
        None => "working-tree".to_owned(),
    };

    let scratch = root.join("target/compare");
    let criterion_home = scratch.join("criterion");
    let out = root.join("reports/compare").join(format!(
        "{}..{}",
        file_name(base),
        file_name(&head_label)
    ));

    // Stale results of an earlier comparison must not be read as this one's.
    let _ = std::fs::remove_dir_all(&criterion_home);

    let base_tree = git.worktree(&scratch, &base_commit)?;
    bench(
        &base_tree,
        &scratch,
        &criterion_home,
        &["--save-baseline", "base"],
        &options,
    )?;

    let head_tree = match &head_commit {
        Some(commit) => git.worktree(&scratch, commit)?,
        None => root.to_owned(),
    };
    let log = bench(
        &head_tree,
        &scratch,
        &criterion_home,
        &["--baseline", "base"],
        &options,
    )?;

    let comparisons = comparisons(&criterion_home, &verdicts(&log));
    if comparisons.is_empty() {
        return Err(Failure(format!(
            "no bench matched --filter {:?}; `cargo bench --bench encode -- --list` shows the IDs",
            filter.unwrap_or("")
        )));
    }
    let base_counters = git.show(&base_commit, "reports/counters.json");
    let head_counters = match &head_commit {
        Some(commit) => git.show(commit, "reports/counters.json"),
        None => std::fs::read_to_string(root.join("reports/counters.json")).ok(),
    };
    let changes = counter_changes(base_counters.as_deref(), head_counters.as_deref());

    let title = format!("{base} ({}) .. {head_label}", &base_commit[..12]);
    let criterion_link = relative_link(&out, &criterion_home);
    write_atomically(
        &out.join("summary.md"),
        summary(&title, &comparisons, &changes).as_bytes(),
    )?;
    write_atomically(
        &out.join("index.html"),
        page(&title, &comparisons, &changes, &criterion_link).as_bytes(),
    )?;

    eprintln!("wrote {}/index.html and summary.md", out.display());
    Ok(())
}

struct Git<'a> {
    root: &'a Path,
}

impl Git<'_> {
    fn command(&self) -> Command {
        let mut command = Command::new("git");
        command.arg("-C").arg(self.root);
        command
    }

    fn output(&self, args: &[&str]) -> Result<std::process::Output, Failure> {
        self.command().args(args).output().map_err(|error| {
            Failure(format!(
                "cannot run git: {error}; compare needs git on the PATH"
            ))
        })
    }

    /// The commit `revision` names.
    fn resolve(&self, revision: &str) -> Result<String, Failure> {
        let output = self.output(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ])?;
        if !output.status.success() {
            return Err(Failure(format!(
                "unknown revision {revision:?}; accepted: a commit, branch or tag git knows here (for example HEAD~1)"
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    fn is_dirty(&self) -> Result<bool, Failure> {
        let output = self.output(&["status", "--porcelain", "--untracked-files=no"])?;
        Ok(!output.stdout.is_empty())
    }

    /// A file as committed, if it exists there.
    fn show(&self, commit: &str, path: &str) -> Option<String> {
        let output = self.output(&["show", &format!("{commit}:{path}")]).ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// A fresh worktree of `commit` under `scratch`. A leftover one of an
    /// earlier comparison is removed first, changes and all: it is ours.
    fn worktree(&self, scratch: &Path, commit: &str) -> Result<PathBuf, Failure> {
        let path = scratch.join("worktrees").join(&commit[..12]);
        let path_text = path.to_string_lossy().into_owned();
        if path.exists() {
            let _ = self.output(&["worktree", "remove", "--force", &path_text]);
            let _ = std::fs::remove_dir_all(&path);
        }
        let _ = self.output(&["worktree", "prune"]);

        let output =
            self.output(&["worktree", "add", "--detach", "--force", &path_text, commit])?;
        if !output.status.success() {
            return Err(Failure(format!(
                "git worktree add {path_text} failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(path)
    }
}

/// Runs the encode benches in `tree`, returning criterion's output.
fn bench(
    tree: &Path,
    target: &Path,
    criterion_home: &Path,
    baseline: &[&str],
    options: &[&str],
) -> Result<String, Failure> {
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
        .map_err(|error| Failure(format!("cannot run cargo: {error}")))?;
    if !output.status.success() {
        return Err(Failure(format!(
            "cargo bench --bench encode failed in {}: {}",
            tree.display(),
            last_line(&output.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Criterion's verdict for each bench ID in its output.
pub fn verdicts(log: &str) -> BTreeMap<String, String> {
    const VERDICTS: [(&str, &str); 4] = [
        ("Performance has regressed.", "regressed"),
        ("Performance has improved.", "improved"),
        ("No change in performance detected.", "no change"),
        ("Change within noise threshold.", "no change (within noise)"),
    ];

    let mut verdicts = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in log.lines() {
        if !line.starts_with(char::is_whitespace)
            && !line.starts_with("Benchmarking")
            && line.contains('/')
        {
            current = Some(line.trim().to_owned());
            continue;
        }
        let line = line.trim();
        if let (Some(id), Some((_, verdict))) =
            (&current, VERDICTS.iter().find(|(text, _)| *text == line))
        {
            verdicts.insert(id.clone(), (*verdict).to_owned());
        }
    }
    verdicts
}

/// The medians criterion saved for every bench it compared.
fn comparisons(criterion_home: &Path, verdicts: &BTreeMap<String, String>) -> Vec<Comparison> {
    verdicts
        .iter()
        .map(|(id, verdict)| {
            let dir = criterion_home.join(criterion_dir(id));
            Comparison {
                id: id.clone(),
                base_median: median_in(&dir.join("base/estimates.json")),
                head_median: median_in(&dir.join("new/estimates.json")),
                verdict: verdict.clone(),
            }
        })
        .collect()
}

/// The counters that differ between two `counters.json` files.
pub fn counter_changes(base: Option<&str>, head: Option<&str>) -> Vec<CounterChange> {
    let rows = |text: Option<&str>| -> BTreeMap<String, serde_json::Map<String, Json>> {
        let json: Json = text
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default();
        json["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|row| {
                let row = row.as_object()?.clone();
                let key = ["dataset", "mode", "format", "contender"]
                    .iter()
                    .map(|key| row.get(*key).and_then(Json::as_str).unwrap_or("?"))
                    .collect::<Vec<_>>()
                    .join("/");
                Some((key, row))
            })
            .collect()
    };
    let (base, head) = (rows(base), rows(head));

    let mut changes = Vec::new();
    let keys: std::collections::BTreeSet<&String> = base.keys().chain(head.keys()).collect();
    for key in keys {
        let (old, new) = (base.get(key), head.get(key));
        let counters: std::collections::BTreeSet<&String> = old
            .into_iter()
            .chain(new)
            .flat_map(|row| row.keys())
            .collect();
        for counter in counters {
            let value = |row: Option<&serde_json::Map<String, Json>>| {
                row.and_then(|row| row.get(counter)).map(Json::to_string)
            };
            let (before, after) = (value(old), value(new));
            if before != after {
                changes.push(CounterChange {
                    row: key.clone(),
                    counter: counter.clone(),
                    base: before,
                    head: after,
                });
            }
        }
    }
    changes
}

fn file_name(revision: &str) -> String {
    revision.replace(['/', '\\', ':'], "-")
}

fn relative_link(from: &Path, to: &Path) -> String {
    let common = from
        .ancestors()
        .find(|dir| to.starts_with(dir))
        .unwrap_or(Path::new(""));
    let up = from
        .strip_prefix(common)
        .map_or(0, |rest| rest.components().count());
    let down = to.strip_prefix(common).unwrap_or(to);
    format!("{}{}", "../".repeat(up), down.display())
}

fn nanos(value: Option<f64>) -> String {
    match value {
        None => "-".to_owned(),
        Some(ns) if ns >= 1e6 => format!("{:.3} ms", ns / 1e6),
        Some(ns) if ns >= 1e3 => format!("{:.3} µs", ns / 1e3),
        Some(ns) => format!("{ns:.1} ns"),
    }
}

fn percent(value: Option<f64>) -> String {
    value.map_or("-".to_owned(), |change| format!("{change:+.2}%"))
}

/// The Markdown summary.
pub fn summary(title: &str, comparisons: &[Comparison], changes: &[CounterChange]) -> String {
    let mut text = format!(
        "# {title}\n\n| bench | base median | head median | change | verdict |\n|---|---:|---:|---:|---|\n"
    );
    for comparison in comparisons {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {} |",
            comparison.id,
            nanos(comparison.base_median),
            nanos(comparison.head_median),
            percent(comparison.change()),
            comparison.verdict
        );
    }

    text += "\n## Counters that changed\n\n";
    if changes.is_empty() {
        text += "None.\n";
    } else {
        text += "| row | counter | base | head |\n|---|---|---:|---:|\n";
        for change in changes {
            let _ = writeln!(
                text,
                "| {} | {} | {} | {} |",
                change.row,
                change.counter,
                change.base.as_deref().unwrap_or("-"),
                change.head.as_deref().unwrap_or("-")
            );
        }
    }
    text
}

/// The standalone HTML page.
pub fn page(
    title: &str,
    comparisons: &[Comparison],
    changes: &[CounterChange],
    criterion: &str,
) -> String {
    let mut body = String::new();
    for comparison in comparisons {
        let class = match comparison.verdict.as_str() {
            "regressed" => "worse",
            "improved" => "better",
            _ => "",
        };
        let _ = writeln!(
            body,
            "<tr class=\"{class}\"><td><a href=\"{criterion}/{dir}/report/index.html\">{id}</a></td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html(&nanos(comparison.base_median)),
            html(&nanos(comparison.head_median)),
            html(&percent(comparison.change())),
            html(&comparison.verdict),
            id = html(&comparison.id),
            dir = html(&criterion_dir(&comparison.id)),
        );
    }

    let mut counters = String::new();
    for change in changes {
        let _ = writeln!(
            counters,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            html(&change.row),
            html(&change.counter),
            html(change.base.as_deref().unwrap_or("-")),
            html(change.head.as_deref().unwrap_or("-")),
        );
    }
    if counters.is_empty() {
        counters = "<tr><td colspan=\"4\">None.</td></tr>".to_owned();
    }

    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\n\
         <style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:.25em .6em;text-align:right}}td:first-child{{text-align:left}}\
         tr.worse{{background:#fdd}}tr.better{{background:#dfd}}</style></head>\n<body>\n\
         <h1>{title}</h1>\n<p>Medians of criterion's runs; the verdict is criterion's. \
         <a href=\"{criterion}/report/index.html\">Criterion's own report</a>.</p>\n\
         <table><tr><th>bench</th><th>base median</th><th>head median</th><th>change</th><th>verdict</th></tr>\n\
         {body}</table>\n<h2>Counters that changed</h2>\n\
         <table><tr><th>row</th><th>counter</th><th>base</th><th>head</th></tr>\n{counters}</table>\n\
         </body></html>\n",
        title = html(title),
    )
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
        assert_eq!(verdicts["encode/wire/default/geo/stack"], "improved");
        assert_eq!(verdicts["encode/wire/default/geo/floor"], "no change");
        assert_eq!(verdicts.len(), 2);
    }

    #[test]
    fn only_changed_counters_are_listed() {
        let base = r#"{"rows": [{"dataset": "geo", "mode": "default", "format": "wire", "contender": "stack", "moves": 3, "merges": 1}]}"#;
        let head = r#"{"rows": [{"dataset": "geo", "mode": "default", "format": "wire", "contender": "stack", "moves": 0, "merges": 1}]}"#;
        let changes = counter_changes(Some(base), Some(head));
        assert_eq!(
            changes,
            [CounterChange {
                row: "geo/default/wire/stack".to_owned(),
                counter: "moves".to_owned(),
                base: Some("3".to_owned()),
                head: Some("0".to_owned()),
            }]
        );
        assert_eq!(
            counter_changes(None, Some(head)).len(),
            6,
            "a new row: every cell"
        );
    }

    #[test]
    fn the_page_escapes_and_links_criterion() {
        let comparison = Comparison {
            id: "encode/wire/default/geo/<stack>".to_owned(),
            base_median: Some(2e6),
            head_median: Some(1e6),
            verdict: "improved".to_owned(),
        };
        assert_eq!(comparison.change(), Some(-50.0));
        let page = page(
            "a & b",
            &[comparison],
            &[],
            "../../target/compare/criterion",
        );
        assert!(page.contains("a &amp; b"));
        assert!(page.contains("&lt;stack&gt;"));
        assert!(page.contains("href=\"../../target/compare/criterion/report/index.html\""));
        assert!(page.contains("-50.00%"));
    }

    #[test]
    fn bench_ids_map_to_criterions_directories() {
        assert_eq!(
            criterion_dir("encode/wire/default/geo/stack"),
            "encode_wire_default_geo/stack"
        );
    }

    #[test]
    fn links_climb_out_of_the_report_directory() {
        let link = relative_link(
            Path::new("/r/reports/compare/a..b"),
            Path::new("/r/target/compare/criterion"),
        );
        assert_eq!(link, "../../../target/compare/criterion");
    }
}
