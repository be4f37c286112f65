//! What `history` writes: `index.html` (a chart per group), `summary.md`
//! (every step) and `summary.json`.

use std::fmt::Write as _;

use html_escape::encode_text as escape;

use crate::harness::chart::{CommitSeries, by_commit};

use super::range::Commit;
use super::steps::{Rows, Step, Threshold, by_group};

/// A range's counts: its commits, each one's build failure if any, the
/// counts per bench and the steps.
pub struct History<'a> {
    /// `BASE..HEAD` as given.
    pub range: &'a str,
    /// BASE, then the range's commits.
    pub commits: &'a [Commit],
    /// Per commit, why its build failed.
    pub failures: &'a [Option<String>],
    /// Every bench's counts.
    pub rows: &'a Rows,
    /// The steps found.
    pub steps: &'a [Step],
    /// The threshold they were found with.
    pub threshold: Threshold,
}

impl History<'_> {
    /// `FIRST..LAST` by short IDs: the range as the titles show it.
    fn span(&self) -> String {
        let ends = [self.commits.first(), self.commits.last()];
        let [first, last] = ends.map(|commit| commit.map_or("", Commit::short));
        format!("{first}..{last}")
    }

    fn label(&self, at: usize) -> String {
        let commit = &self.commits[at];
        format!("{} {}", commit.short(), commit.subject)
    }

    /// `summary.md`: the commits, then every step.
    pub fn markdown(&self) -> String {
        let mut text = format!(
            "# History of {}\n\nInstructions per run, counted under callgrind in each \
             first-parent commit of `{}` (the same on every run of one build). A step is a count \
             that moved by more than {}% from one commit to the next.\n\n| # | commit | subject |\n|---:|---|---|\n",
            self.span(),
            self.range,
            self.threshold.percent()
        );
        for (at, commit) in self.commits.iter().enumerate() {
            let failed = match &self.failures[at] {
                Some(_) => " (build failed)",
                None => "",
            };
            let _ = writeln!(
                text,
                "| {at} | {} | {}{failed} |",
                commit.short(),
                commit.subject
            );
        }
        if self.steps.is_empty() {
            let _ = write!(
                text,
                "\nNo step: every count of {} benches held.\n",
                self.rows.len()
            );
            return text;
        }
        text += "\n| bench | commit | before | after | change |\n|---|---|---:|---:|---:|\n";
        for step in self.steps {
            let _ = writeln!(
                text,
                "| {} | {} | {:.0} | {:.0} | {:+.2}% |",
                step.bench,
                self.commits[step.at].short(),
                step.before,
                step.after,
                100.0 * step.change()
            );
        }
        text
    }

    /// `summary.json`: `{"commits": [{"id", "subject", "build_failed"}],
    /// "rows": [{"bench", "counts"}], "steps": [{"bench", "commit",
    /// "before", "after", "change"}]}`.
    pub fn json(&self) -> String {
        let commits: Vec<serde_json::Value> = self
            .commits
            .iter()
            .zip(self.failures)
            .map(|(commit, failure)| {
                serde_json::json!({
                    "id": commit.id,
                    "subject": commit.subject,
                    "build_failed": failure,
                })
            })
            .collect();
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|(bench, counts)| serde_json::json!({ "bench": bench, "counts": counts }))
            .collect();
        let steps: Vec<serde_json::Value> = self
            .steps
            .iter()
            .map(|step| {
                serde_json::json!({
                    "bench": step.bench,
                    "commit": self.commits[step.at].id,
                    "before": step.before,
                    "after": step.after,
                    "change": step.change(),
                })
            })
            .collect();
        let json = serde_json::json!({ "commits": commits, "rows": rows, "steps": steps });
        serde_json::to_string_pretty(&json).expect("plain data serializes") + "\n"
    }

    /// `index.html`: a chart per group, one line per contender.
    pub fn html(&self) -> String {
        let labels: Vec<String> = (0..self.commits.len()).map(|at| self.label(at)).collect();
        let failed: Vec<bool> = self.failures.iter().map(Option::is_some).collect();
        let mut body = String::new();
        for (group, benches) in by_group(self.rows) {
            let series: Vec<CommitSeries> = benches
                .into_iter()
                .map(|(bench, counts)| CommitSeries {
                    name: bench.contender.name().to_owned(),
                    values: counts.clone(),
                    steps: self
                        .steps
                        .iter()
                        .filter(|step| step.bench == *bench)
                        .map(|step| step.at)
                        .collect(),
                })
                .collect();
            let _ = writeln!(
                body,
                "<h2>{}</h2>\n{}",
                escape(&group.to_string()),
                by_commit(&group.to_string(), &labels, &failed, &series)
            );
        }
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>History of {span}</title>\
             <style>body{{font-family:sans-serif;margin:2em}}</style></head><body>\n\
             <h1>History of {span}</h1>\n<p>Instructions per run of each bench in each \
             first-parent commit of <code>{range}</code>, counted under callgrind. A ring marks a step: a count that moved \
             by more than {threshold}% from the commit before. {steps} steps; \
             <a href=\"summary.md\">summary.md</a> lists them.</p>\n{body}</body></html>\n",
            span = escape(&self.span()),
            range = escape(self.range),
            threshold = self.threshold.percent(),
            steps = self.steps.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reports_list_the_step_and_mark_the_failed_build() {
        let commits: Vec<Commit> = ["a", "b", "c"]
            .iter()
            .map(|name| Commit {
                id: name.repeat(40),
                subject: format!("commit <{name}>"),
            })
            .collect();
        let bench: crate::bench_id::BenchId = "encode/wire/default/messages/stack".parse().unwrap();
        let rows = Rows::from([(bench.clone(), vec![Some(100.0), Some(120.0), None])]);
        let steps = [Step {
            bench,
            at: 1,
            before: 100.0,
            after: 120.0,
        }];
        let history = History {
            range: "main~2..main",
            commits: &commits,
            failures: &[None, None, Some("error[E0308]".to_owned())],
            rows: &rows,
            steps: &steps,
            threshold: Threshold::DEFAULT,
        };

        let markdown = history.markdown();
        assert!(
            markdown.starts_with("# History of aaaaaaaaaa..cccccccccc"),
            "{markdown}"
        );
        assert!(
            markdown.contains("| bbbbbbbbbb | 100 | 120 | +20.00% |"),
            "{markdown}"
        );
        assert!(markdown.contains("commit <c> (build failed)"), "{markdown}");

        let json: serde_json::Value = serde_json::from_str(&history.json()).unwrap();
        assert_eq!(json["steps"][0]["commit"], "b".repeat(40));
        assert_eq!(json["rows"][0]["counts"][2], serde_json::Value::Null);
        assert_eq!(json["commits"][2]["build_failed"], "error[E0308]");

        let html = history.html();
        assert!(html.contains("commit &lt;c&gt;"), "subjects are escaped");
        assert_eq!(
            html.matches("<svg").count(),
            1,
            "one chart for the one group"
        );
    }
}
