//! `compare BASE [HEAD]`: the bench groups of two revisions, measured
//! paired, with a verdict per bench that holds.
//!
//! Both revisions' harnesses are built (see [`build`]), each in a worktree
//! under `target/compare/`, and kept by commit ID. Then pairs of worker
//! processes, one of each build, time every bench that `--filter` picks
//! in turns, the two builds alternating within each bench, so that load
//! which comes and goes lands on both ([`measure`]); each side's time is a
//! low quantile of its processes' fastest runs, and the change and its
//! bootstrap interval come from those ([`paired`]). Where valgrind runs,
//! each bench's instructions are counted in both builds too. `--method
//! criterion` runs criterion's baselines instead ([`criterion_method`]).
//!
//! The benches are those `performance` measures: the encode groups of
//! `wire` and `descriptive`, and the replayed traces, of the built-in
//! datasets and any file datasets (see `crate::groups`).
//!
//! [`run`] goes through its phases in order: the input is checked before
//! anything is built ([`Plan::check`]), then measured, then written, then
//! the gate is applied.

mod build;
mod criterion_method;
mod measure;
mod options;
mod paired;
mod report;
mod row;

use std::path::{Path, PathBuf};

use regex::Regex;

use crate::bench_id::BenchId;
use crate::datasets::Origin;
use crate::groups::Suite;
use crate::harness::cli::{Method, parse_filter};
use crate::harness::exit::{Exit, ExitCode};
use crate::harness::output::write_atomically;
use crate::harness::rounds::{ROUNDS_PER_PROCESS, TURN};

use self::report::{Heading, counter_changes, relative_link};

pub use self::build::{Git, Revision, build_each, is_kept};
pub use self::options::Options;
pub use self::paired::Verdict;
pub use self::row::Row;

/// What `compare` will do, once its input is checked: nothing is built
/// before every part of it is known good.
struct Plan {
    filter: Option<Regex>,
    origins: Vec<Origin>,
    base_commit: String,
    head: Revision,
    base_label: String,
    head_label: String,
    out: PathBuf,
}

impl Plan {
    /// Checks the options and resolves the revisions: bad input is refused
    /// here, before anything is built.
    fn check(root: &Path, git: &Git<'_>, options: &Options<'_>) -> Result<Self, Exit> {
        let filter = options.filter.map(parse_filter).transpose()?;
        if !(options.noise >= 0.0 && options.noise < 100.0) {
            return Err(Exit::bad_input(format!(
                "--noise {} is out of range; accepted: a percentage from 0 up to 100",
                options.noise
            )));
        }
        // Every file is read, and the names checked, as the workers will.
        let origins = options.datasets.origins(root)?;
        Suite::check_files(&origins, options.datasets.shape()?)?;

        let base_commit = git.resolve(options.base)?;
        let head = match options.head {
            Some(head) => Revision::Commit(git.resolve(head)?),
            None if git.is_dirty()? => Revision::WorkingTree,
            None => Revision::Commit(git.resolve("HEAD")?),
        };
        let head_label = match (&head, options.head) {
            (Revision::Commit(commit), Some(head)) => format!("{head} ({})", &commit[..12]),
            (Revision::Commit(commit), None) => format!("the working tree ({})", &commit[..12]),
            (Revision::WorkingTree, _) => "the working tree, with its changes".to_owned(),
        };
        let out = root.join("reports/compare").join(format!(
            "{}..{}",
            file_name(options.base),
            file_name(options.head.unwrap_or("working-tree"))
        ));
        Ok(Self {
            filter,
            origins,
            base_label: format!("{} ({})", options.base, &base_commit[..12]),
            base_commit,
            head,
            head_label,
            out,
        })
    }
}

/// Runs the comparison, writes its reports, and applies the gate.
pub fn run(root: &Path, options: &Options<'_>) -> Result<(), Exit> {
    let git = Git { root };
    let plan = Plan::check(root, &git, options)?;
    let (rows, how, criterion_home) = measure(root, &git, &plan, options)?;
    if rows.is_empty() {
        return Err(Exit::bad_input(format!(
            "no bench matched --filter {:?}; `cargo bench -- --list` shows the IDs",
            options.filter.unwrap_or("")
        )));
    }
    write_reports(
        root,
        &git,
        &plan,
        options,
        &rows,
        &how,
        criterion_home.as_deref(),
    )?;
    gate(&rows, options.fail_on_regression)
}

/// The rows of every bench compared, how they were measured, and where
/// criterion's pages are, if any.
fn measure(
    root: &Path,
    git: &Git<'_>,
    plan: &Plan,
    options: &Options<'_>,
) -> Result<(Vec<Row>, String, Option<PathBuf>), Exit> {
    match options.method {
        Method::Paired => {
            let revisions = [
                Revision::Commit(plan.base_commit.clone()),
                plan.head.clone(),
            ];
            let rows = measure::paired_rows(
                root,
                git,
                &revisions,
                plan.filter.as_ref(),
                options,
                &plan.origins,
            )?;
            let how = format!(
                "Paired: {} pairs of worker processes (up to {} times as many for a bench \
                 whose interval stays wider than twice the noise threshold), one per build, each \
                 pair run from fresh copies of the programs for {} rounds, the two builds \
                 alternating bench by bench in turns of about {} ms. A side's time is the lower \
                 quartile over its processes of each one's fastest run; the change is HEAD's over \
                 BASE's, with its 95% interval from a bootstrap over each side's processes. \
                 Instructions per run by callgrind, where valgrind runs.",
                options.pairs,
                measure::MORE_PAIRS_AT_MOST,
                ROUNDS_PER_PROCESS,
                TURN.as_millis()
            );
            Ok((rows, how, crate::harness::criterion::home(root).ok()))
        }
        Method::Criterion => {
            let rows = criterion_method::run(
                root,
                git,
                &plan.base_commit,
                &plan.head,
                options.filter,
                options.quick,
            )?;
            let how = "Criterion: medians of BASE's run and HEAD's after it, criterion's \
                       interval of the change and its verdict."
                .to_owned();
            Ok((rows, how, Some(criterion_method::home(root))))
        }
    }
}

/// Writes `summary.md`, `summary.json` and `index.html` and prints the
/// summary.
fn write_reports(
    root: &Path,
    git: &Git<'_>,
    plan: &Plan,
    options: &Options<'_>,
    rows: &[Row],
    how: &str,
    criterion_home: Option<&Path>,
) -> Result<(), Exit> {
    let base_counters = git.show(&plan.base_commit, "reports/counters.json");
    let head_counters = match &plan.head {
        Revision::Commit(commit) => git.show(commit, "reports/counters.json"),
        Revision::WorkingTree => std::fs::read_to_string(root.join("reports/counters.json")).ok(),
    };
    let changes = counter_changes(base_counters.as_deref(), head_counters.as_deref());
    let heading = Heading {
        base: &plan.base_label,
        head: &plan.head_label,
        method: options.method,
        how,
        noise: options.noise,
    };
    let out = &plan.out;
    let criterion_page = |bench: &BenchId| {
        let page = criterion_home?
            .join(crate::harness::criterion::criterion_dir(bench))
            .join("report/index.html");
        page.is_file().then(|| relative_link(out, &page))
    };
    let summary = report::summary(&heading, rows, &changes);
    write_atomically(&out.join("summary.md"), summary.as_bytes())?;
    write_atomically(
        &out.join("summary.json"),
        report::summary_json(&heading, rows).as_bytes(),
    )?;
    write_atomically(
        &out.join("index.html"),
        report::page(&heading, rows, &changes, &criterion_page).as_bytes(),
    )?;
    print!("{summary}");
    eprintln!(
        "wrote {}/{{index.html,summary.md,summary.json}}",
        out.display()
    );
    Ok(())
}

/// Exit 3 when a row of ours is `slower` with even the low end of its
/// interval above `limit` percent.
fn gate(rows: &[Row], limit: Option<f64>) -> Result<(), Exit> {
    let Some(limit) = limit else {
        return Ok(());
    };
    let regressed: Vec<String> = rows
        .iter()
        .filter(|row| row.bench.contender.is_ours() && row.verdict == Verdict::Slower)
        .filter_map(|row| Some((row, row.change.filter(|change| change.low > limit)?)))
        .map(|(row, change)| {
            format!(
                "{} {:+.1}% (at least {:+.1}%)",
                row.bench, change.change, change.low
            )
        })
        .collect();
    if regressed.is_empty() {
        Ok(())
    } else {
        Err(Exit {
            message: format!("slower by more than {limit}%: {}", regressed.join(", ")),
            code: ExitCode::Regressed,
        })
    }
}

/// `revision` as part of a directory name.
fn file_name(revision: &str) -> String {
    revision.replace(['/', '\\', ':'], "-")
}

#[cfg(test)]
mod tests {
    use super::row::tests::row;
    use super::*;

    #[test]
    fn the_gate_stops_on_our_rows_alone_and_beyond_its_limit() {
        let rows = [
            row(
                "encode/wire/default/geo/musli-system",
                50.0,
                Verdict::Slower,
            ),
            row("encode/wire/default/geo/stack", 4.0, Verdict::Slower),
        ];
        assert!(gate(&rows, None).is_ok());
        assert!(gate(&rows, Some(5.0)).is_ok(), "stack's low end is 4%");
        let stop = gate(&rows, Some(3.0)).expect_err("stack is slower by 4% or more");
        assert_eq!(stop.code, ExitCode::Regressed);
        assert!(
            stop.message.contains("encode/wire/default/geo/stack"),
            "{}",
            stop.message
        );
        assert!(!stop.message.contains("musli-system"), "{}", stop.message);

        let spill = [row(
            "encode/wire/default/geo/stack-spill",
            9.0,
            Verdict::Slower,
        )];
        assert_eq!(
            gate(&spill, Some(3.0)).expect_err("slower").code,
            ExitCode::Regressed
        );
    }
}
