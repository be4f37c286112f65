//! What `compare` writes: `summary.md`, `summary.json` and `index.html`,
//! a chart per group of each bench's change with its interval.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use html_escape::encode_text as html;
use serde_json::{Value as Json, json};

use crate::bench_id::{BenchId, GroupId};

use super::paired::Verdict;
use super::row::Row;
use crate::harness::cli::Method;

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

/// What the pages say about the comparison as a whole.
pub struct Heading<'a> {
    /// BASE as given, with its commit.
    pub base: &'a str,
    /// HEAD as given, with its commit, or the working tree.
    pub head: &'a str,
    /// How the figures were taken.
    pub method: Method,
    /// How each figure was taken, and the command that gives them.
    pub how: &'a str,
    /// The noise threshold, in percent.
    pub noise: f64,
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

fn millions(value: Option<f64>) -> String {
    value.map_or("-".to_owned(), |count| format!("{:.3}M", count / 1e6))
}

/// The change column: the estimate and its interval.
fn change_cell(row: &Row) -> String {
    match row.change {
        Some(change) => format!(
            "{} [{}, {}]",
            percent(Some(change.change)),
            percent(Some(change.low)),
            percent(Some(change.high))
        ),
        None => "-".to_owned(),
    }
}

/// What the note in a verdict's cell means.
const DISAGREEMENT: &str = "Where the instruction counts, read against the same threshold, \
    give another verdict than the time, the verdict says so: a time that moved while the count \
    stayed points at caches or code placement rather than at work done.";

/// The verdict, and a note where time and instructions disagree.
fn verdict_cell(row: &Row, noise: f64) -> String {
    match row.disagreement(noise) {
        Some(counted) => format!(
            "{} (instructions {}: {counted})",
            row.verdict,
            percent(row.instruction_change())
        ),
        None => row.verdict.to_string(),
    }
}

/// `summary.md`.
pub fn summary(heading: &Heading<'_>, rows: &[Row], changes: &[CounterChange]) -> String {
    let mut text = format!(
        "# {} .. {}\n\n{} Noise threshold: {}%. {DISAGREEMENT}\n\n\
         | bench | base | head | change [95% interval] | base instructions | head instructions | instructions | verdict |\n\
         |---|---:|---:|---:|---:|---:|---:|---|\n",
        heading.base, heading.head, heading.how, heading.noise
    );
    for row in rows {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.bench,
            nanos(row.base),
            nanos(row.head),
            change_cell(row),
            millions(row.base_instructions),
            millions(row.head_instructions),
            percent(row.instruction_change()),
            verdict_cell(row, heading.noise),
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

/// `summary.json`: `{"base", "head", "method", "noise", "rows": [...]}`.
pub fn summary_json(heading: &Heading<'_>, rows: &[Row]) -> String {
    let rows: Vec<Json> = rows
        .iter()
        .map(|row| {
            json!({
                "bench": row.bench.to_string(),
                "base": row.base,
                "head": row.head,
                "change": row.change.map(|change| change.change),
                "low": row.change.map(|change| change.low),
                "high": row.change.map(|change| change.high),
                "base_instructions": row.base_instructions,
                "head_instructions": row.head_instructions,
                "verdict": row.verdict,
            })
        })
        .collect();
    let top = json!({
        "base": heading.base,
        "head": heading.head,
        "method": heading.method.name(),
        "noise": heading.noise,
        "rows": rows,
    });
    serde_json::to_string_pretty(&top).expect("plain data serializes") + "\n"
}

/// One group's chart: a line per contender, its change as a dot and its
/// interval as a bar, over the band of the noise threshold.
fn chart(rows: &[&Row], noise: f64) -> String {
    const WIDTH: f64 = 640.0;
    const LABEL: f64 = 150.0;
    const LINE: f64 = 22.0;
    let reach = rows
        .iter()
        .filter_map(|row| row.change)
        .flat_map(|change| [change.low.abs(), change.high.abs()])
        .fold(noise * 2.0, f64::max)
        .max(1.0);
    // A round bound: 5% steps up to 50%, then 25% steps.
    let step = if reach <= 50.0 { 5.0 } else { 25.0 };
    let bound = (reach / step).ceil() * step;
    let height = LINE * rows.len() as f64 + 30.0;
    let x = |percent: f64| LABEL + (percent + bound) / (2.0 * bound) * (WIDTH - LABEL - 20.0);

    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n\
         <rect x=\"{:.1}\" y=\"0\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#eee\"/>\n\
         <line x1=\"{z:.1}\" y1=\"0\" x2=\"{z:.1}\" y2=\"{:.1}\" stroke=\"#888\"/>\n",
        x(-noise),
        x(noise) - x(-noise),
        height - 20.0,
        height - 20.0,
        z = x(0.0),
    );
    for (at, row) in rows.iter().enumerate() {
        let y = LINE * at as f64 + LINE / 2.0 + 2.0;
        let _ = writeln!(
            svg,
            "<text x=\"4\" y=\"{:.1}\">{}</text>",
            y + 4.0,
            html(row.bench.contender.name())
        );
        let Some(change) = row.change else {
            continue;
        };
        let colour = match row.verdict {
            Verdict::Slower => "#c0392b",
            Verdict::Faster => "#27ae60",
            Verdict::NoChange => "#555",
        };
        let _ = writeln!(
            svg,
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"3\"/>\n\
             <circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{colour}\"><title>{}: {}</title></circle>",
            x(change.low.max(-bound)),
            x(change.high.min(bound)),
            x(change.change.clamp(-bound, bound)),
            html(&row.bench.to_string()),
            html(&change_cell(row)),
        );
    }
    let axis = height - 6.0;
    for tick in [-bound, -bound / 2.0, 0.0, bound / 2.0, bound] {
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{axis:.1}\" text-anchor=\"middle\">{tick:+}%</text>",
            x(tick)
        );
    }
    svg + "</svg>"
}

/// `index.html`: per group its chart and its table, then the counters that
/// changed. `criterion_page` gives the link to a bench's criterion page,
/// where one exists.
pub fn page(
    heading: &Heading<'_>,
    rows: &[Row],
    changes: &[CounterChange],
    criterion_page: &dyn Fn(&BenchId) -> Option<String>,
) -> String {
    let mut groups: BTreeMap<&GroupId, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        groups.entry(&row.bench.group).or_default().push(row);
    }

    let mut body = String::new();
    for (group, rows) in &groups {
        let _ = writeln!(
            body,
            "<h2>{}</h2>\n{}",
            html(&group.to_string()),
            chart(rows, heading.noise)
        );
        body += "<table><tr><th>contender</th><th>base</th><th>head</th><th>change [95% interval]</th>\
                 <th>base instructions</th><th>head instructions</th><th>instructions</th><th>verdict</th></tr>\n";
        for row in rows {
            let contender = html(row.bench.contender.name()).into_owned();
            let name = match criterion_page(&row.bench) {
                Some(link) => format!("<a href=\"{}\">{contender}</a>", html(&link)),
                None => contender,
            };
            let class = match row.verdict {
                Verdict::Slower => "worse",
                Verdict::Faster => "better",
                Verdict::NoChange => "",
            };
            let _ = writeln!(
                body,
                "<tr class=\"{class}\"><td>{name}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
                 <td>{}</td><td>{}</td><td>{}</td></tr>",
                html(&nanos(row.base)),
                html(&nanos(row.head)),
                html(&change_cell(row)),
                html(&millions(row.base_instructions)),
                html(&millions(row.head_instructions)),
                html(&percent(row.instruction_change())),
                html(&verdict_cell(row, heading.noise)),
            );
        }
        body += "</table>\n";
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
         <style>body{{font-family:sans-serif;margin:2em;max-width:60em}}table{{border-collapse:collapse;margin-bottom:1em}}\
         td,th{{border:1px solid #ccc;padding:.25em .6em;text-align:right}}td:first-child{{text-align:left}}\
         tr.worse{{background:#fdd}}tr.better{{background:#dfd}}</style></head>\n<body>\n\
         <h1>{title}</h1>\n<p>{how} The grey band is the noise threshold, ±{noise}%: a bench is \
         <em>slower</em> or <em>faster</em> only when its whole interval lies beyond it. \
         {DISAGREEMENT}</p>\n\
         {body}<h2>Counters that changed</h2>\n\
         <table><tr><th>row</th><th>counter</th><th>base</th><th>head</th></tr>\n{counters}</table>\n\
         </body></html>\n",
        title = html(&format!("{} .. {}", heading.base, heading.head)),
        how = html(heading.how),
        noise = heading.noise,
    )
}

/// The relative link from directory `from` to `to`.
pub fn relative_link(from: &Path, to: &Path) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::compare::paired::Change;

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
    fn links_climb_out_of_the_report_directory() {
        let link = relative_link(
            Path::new("/r/reports/compare/a..b"),
            Path::new("/r/target/compare/criterion"),
        );
        assert_eq!(link, "../../../target/compare/criterion");
    }

    fn row(bench: &str, change: f64, verdict: Verdict) -> Row {
        Row {
            bench: bench.parse().expect("a bench ID"),
            base: Some(2e6),
            head: Some(2e6 * (1.0 + change / 100.0)),
            change: Some(Change {
                change,
                low: change - 1.0,
                high: change + 1.0,
            }),
            base_instructions: Some(1e6),
            head_instructions: Some(0.9e6),
            verdict,
        }
    }

    #[test]
    fn the_page_has_a_chart_per_group_and_escapes() {
        let heading = Heading {
            base: "a & b",
            head: "c",
            method: Method::Paired,
            how: "Paired.",
            noise: 2.0,
        };
        let rows = [
            row("encode/wire/default/geo/stack", 10.0, Verdict::Slower),
            row("encode/wire/default/geo/floor", 0.0, Verdict::NoChange),
            row("encode/wire/packed/<geo>/stack", -10.0, Verdict::Faster),
        ];
        let page = page(&heading, &rows, &[], &|id| {
            id.contender.is_ours().then(|| format!("criterion/{id}"))
        });
        assert_eq!(page.matches("<svg").count(), 2, "one chart per group");
        assert!(page.contains("a &amp; b .. c"));
        assert!(page.contains("encode/wire/packed/&lt;geo&gt;"));
        assert!(page.contains("href=\"criterion/encode/wire/default/geo/stack\""));
        // Slower, yet 10% fewer instructions: said so.
        assert!(
            page.contains("slower (instructions -10.00%: faster)"),
            "{page}"
        );

        let json: Json = serde_json::from_str(&summary_json(&heading, &rows)).unwrap();
        assert_eq!(json["rows"][0]["verdict"], "slower");
        assert_eq!(json["rows"][0]["low"], 9.0);
        assert_eq!(json["rows"][0]["base_instructions"], 1e6);
        assert_eq!(json["method"], "paired");
    }
}
