//! The command line's words: the commands, their options, and what the
//! options choose. The lists in the help (datasets, formats, contenders)
//! come from the enums that name them, so they cannot fall behind.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::bench_id::ContenderId;
use crate::contenders::{Kind, NextKind};
use crate::datasets::{self, DEFAULT_SEED, Dataset, Name, Origin, Shape};
use crate::format::{Format, Mode};
use crate::groups::Suite;
use crate::names::Named;

use super::exit::Exit;
use super::history::Threshold;

/// Counters, buffer sizes and commit comparisons for musli's allocators.
#[derive(Debug, Parser)]
#[command(name = "musli-alloc-bench", version)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Counters for every (dataset, mode, format, contender), written as
    /// counters.{json,csv,md} and printed.
    Report {
        /// Which workloads and contenders.
        #[command(flatten)]
        choice: Choice,
        /// Where to write the reports.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
    },
    /// The smallest StackBuffer each workload needs, and a recommended
    /// DEFAULT_STACK_BUFFER.
    Sizes {
        /// Which workloads.
        #[command(flatten)]
        choice: Choice,
        /// Where to write the chart, sizes.svg.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
    },
    /// Measures two revisions side by side and writes
    /// reports/compare/BASE..HEAD/ (index.html, summary.md, summary.json):
    /// per bench the change with its interval, the instruction counts, and
    /// a verdict (faster, slower, no change).
    Compare {
        /// The revision to compare against.
        base: String,
        /// The revision to compare; the working tree when left out.
        head: Option<String>,
        /// Only benches whose ID matches this regular expression, for
        /// example `encode/wire/default/messages/`.
        #[arg(long)]
        filter: Option<String>,
        /// paired: the two builds' runs alternating in rounds, and
        /// instruction counts where valgrind runs; criterion: criterion's
        /// baselines, one build after the other, with criterion's pages.
        #[arg(long, value_enum, default_value = "paired")]
        method: Method,
        /// Pairs of worker processes of the paired method, five rounds
        /// each: more narrow the intervals (at least 6 for a 95% interval).
        #[arg(long, default_value_t = 12,
              value_parser = clap::value_parser!(u16).range(6..=200))]
        pairs: u16,
        /// The noise threshold in percent: a bench is slower or faster only
        /// when its whole interval lies beyond it.
        #[arg(long, value_name = "PCT", default_value_t = 2.0)]
        noise: f64,
        /// Exit with code 3 when a stack or stack-spill bench is slower,
        /// the low end of its interval above PCT percent.
        #[arg(long, value_name = "PCT")]
        fail_on_regression: Option<f64>,
        /// Criterion's quick mode, with --method criterion.
        #[arg(long)]
        quick: bool,
        /// Which datasets.
        #[command(flatten)]
        datasets: DatasetChoice,
    },
    /// Counts the instructions of every selected bench in each
    /// first-parent commit of BASE..HEAD (builds and counts kept by commit)
    /// and writes reports/history/BASE..HEAD/ (index.html, summary.md,
    /// summary.json) with every step: a count that moved past --threshold
    /// from one commit to the next.
    History {
        /// The commits: BASE..HEAD, for example main~20..main.
        range: String,
        /// Only benches whose ID matches this regular expression.
        #[arg(long)]
        filter: Option<String>,
        /// A step is a move of more than PCT percent.
        #[arg(long, value_name = "PCT", default_value = "0.5", value_parser = Threshold::parse)]
        threshold: Threshold,
        /// Which datasets.
        #[command(flatten)]
        datasets: DatasetChoice,
    },
    /// Finds the first commit after GOOD whose instruction count of one
    /// bench differs from GOOD's by more than --threshold, by binary search
    /// over the first-parent commits up to BAD, and lists the functions
    /// whose counts moved most there.
    Bisect {
        /// A commit with the count to keep.
        good: String,
        /// A later commit whose count moved.
        bad: String,
        /// The bench, as `cargo bench -- --list` names it.
        #[arg(long)]
        bench: String,
        /// A move of more than PCT percent counts.
        #[arg(long, value_name = "PCT", default_value = "0.5", value_parser = Threshold::parse)]
        threshold: Threshold,
        /// Which datasets (a file's bench needs its file).
        #[command(flatten)]
        datasets: DatasetChoice,
    },
    /// Writes the JSON samples of every dataset into datasets/.
    Samples,
    /// Turns the last `cargo bench` run into reports/performance.md: the
    /// Stack's ratios against every contender.
    Performance {
        /// Instead, time the contenders of each group in turns now, each
        /// keeping its fastest run, and write reports/performance-turns.md
        /// (steadier than one criterion run on a busy machine).
        #[arg(long)]
        turns: bool,
        /// Rounds per group with --turns [default: 20].
        #[arg(long, requires = "turns", conflicts_with = "instructions",
              value_parser = clap::value_parser!(u16).range(1..=1000))]
        rounds: Option<u16>,
        /// Instead, count the instructions of one run of each contender
        /// under valgrind's callgrind, the same on every run of one build,
        /// and write reports/performance-instructions.md (needs valgrind).
        #[arg(long, conflicts_with = "turns")]
        instructions: bool,
        /// Which datasets.
        #[command(flatten)]
        datasets: DatasetChoice,
        /// Where to write the report.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
    },
    /// The worker `compare` starts in each build; see `harness::serve`.
    #[command(hide = true)]
    ServeRuns {
        /// Which datasets.
        #[command(flatten)]
        datasets: DatasetChoice,
    },
    /// Where the instructions of stack, stack-spill and musli-system go
    /// on each replayed trace, by kind of allocator call (building the
    /// allocator, alloc, write, drop, the replay's loop), counted under
    /// callgrind; writes calls.md and calls.json (needs valgrind).
    Calls {
        /// Which datasets.
        #[command(flatten)]
        datasets: DatasetChoice,
        /// Where to write the report.
        #[arg(long, default_value = "reports")]
        out: PathBuf,
    },
    /// What `calls` runs under callgrind, once per dataset.
    #[command(hide = true)]
    CountCalls {
        /// The dataset whose replayed traces to run.
        dataset: String,
        /// The shape the file is read in, instead of the one its keys show.
        #[arg(long)]
        shape: Option<Shape>,
    },
    /// What `performance --instructions` runs under callgrind, once per
    /// dataset.
    #[command(hide = true)]
    CountInstructions {
        /// The dataset whose groups to run: a name or a JSON file.
        dataset: String,
        /// The shape the file is read in, instead of the one its keys show.
        #[arg(long)]
        shape: Option<Shape>,
        /// Only the runs whose bench ID this regular expression matches.
        #[arg(long)]
        filter: Option<String>,
    },
}

/// How `compare` measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// The two builds' runs alternating in rounds, and instruction counts.
    Paired,
    /// Criterion's baselines, one build after the other, with its pages.
    Criterion,
}

impl Method {
    /// Its name on the command line and in the reports.
    pub fn name(self) -> &'static str {
        match self {
            Method::Paired => "paired",
            Method::Criterion => "criterion",
        }
    }
}

/// `a, b or c`: the names of every value of `T`.
fn one_of<T: Named>() -> String {
    let names: Vec<&str> = T::ALL.iter().map(|value| value.name()).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Every contender a `report` row can have: musli 0.0.122's and ours, then
/// musli 0.2's and ours on it.
fn row_contenders() -> impl Iterator<Item = ContenderId> {
    let kinds = Kind::ALL.iter().map(|&kind| ContenderId::Kind(kind));
    kinds.chain(NextKind::ALL.iter().map(|&next| ContenderId::OnNext(next)))
}

/// The contender names, each once.
fn contender_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for contender in row_contenders() {
        if !names.contains(&contender.name()) {
            names.push(contender.name());
        }
    }
    names
}

fn contender_help() -> String {
    format!(
        "A contender ({}); `stack` and `stack-spill` choose ours on both musli versions",
        contender_names().join(", ")
    )
}

fn dataset_help() -> String {
    format!(
        "A dataset name ({}) or a JSON file: of one of their public formats, or of any \
         other shape, read as generic JSON values",
        one_of::<Name>()
    )
}

fn shape_help() -> String {
    format!(
        "The shape of the JSON files given ({}), instead of the one their keys show: \
         `json` reads a typed document as generic JSON values. Left out on a run of \
         every dataset: {}",
        one_of::<Shape>(),
        datasets::files::SHAPE_VARIABLE
    )
}

/// Which workloads and contenders to measure; each option can be repeated,
/// and an option left out means all.
#[derive(Debug, clap::Args)]
pub struct Choice {
    /// A dataset name or a JSON file.
    #[arg(long = "dataset", value_name = "NAME|FILE", help = dataset_help())]
    pub datasets: Vec<String>,
    /// The shape of the JSON files given, instead of detecting it.
    #[arg(long, value_name = "SHAPE", help = shape_help())]
    pub shape: Option<Shape>,
    /// The formats.
    #[arg(long = "format", value_name = "FORMAT", help = one_of::<Format>())]
    pub formats: Vec<Format>,
    /// The modes.
    #[arg(long = "mode", value_name = "MODE", help = one_of::<Mode>())]
    pub modes: Vec<Mode>,
    /// The contenders, by name: a name of both musli versions' rows (`stack`)
    /// chooses both.
    #[arg(long = "contender", value_name = "NAME", help = contender_help())]
    pub contenders: Vec<String>,
    /// The seed of generated datasets.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// The scale of generated datasets.
    #[arg(long, default_value_t = 1.0)]
    pub scale: f64,
}

/// The datasets of a command that measures bench groups.
#[derive(Debug, clap::Args)]
pub struct DatasetChoice {
    /// A dataset name or a JSON file, named in reports by its stem; can be
    /// repeated. Left out: every built-in dataset, and the files that
    /// MUSLI_ALLOC_BENCH_DATA names or datasets/local/ holds, as `cargo
    /// bench` takes them.
    #[arg(long = "dataset", value_name = "NAME|FILE", long_help = format!(
        "{}, named in reports by its stem; can be repeated. Left out: every built-in \
         dataset, and the files that MUSLI_ALLOC_BENCH_DATA names or datasets/local/ \
         holds, as `cargo bench` takes them",
        dataset_help()
    ))]
    pub datasets: Vec<String>,
    /// The shape of the JSON files given, instead of detecting it.
    #[arg(long, value_name = "SHAPE", help = shape_help())]
    pub shape: Option<Shape>,
}

impl DatasetChoice {
    /// Where each dataset chosen comes from; `root` is the crate's
    /// directory, which holds `datasets/local/`.
    pub fn origins(&self, root: &Path) -> Result<Vec<Origin>, Exit> {
        if self.datasets.is_empty() {
            let variable = std::env::var_os(datasets::files::DATA_VARIABLE);
            return Ok(Origin::for_benches(variable.as_deref(), root)?);
        }
        let origins = self.datasets.iter().map(|given| Origin::parse(given));
        Ok(origins.collect::<Result<_, _>>()?)
    }

    /// The shape the files are read in: `--shape`, or on a run of every
    /// dataset what `MUSLI_ALLOC_BENCH_SHAPE` names, as `cargo bench` reads
    /// it; `None` leaves each file's to its keys.
    pub fn shape(&self) -> Result<Option<Shape>, Exit> {
        if self.shape.is_some() || !self.datasets.is_empty() {
            return Ok(self.shape);
        }
        let variable = std::env::var_os(datasets::files::SHAPE_VARIABLE);
        Ok(datasets::files::bench_shape(variable.as_deref())?)
    }

    /// The suite of the datasets chosen: every file read and every name
    /// checked before anything is measured.
    pub fn suite(&self, root: &Path) -> Result<Suite, Exit> {
        Ok(Suite::load(&self.origins(root)?, self.shape()?)?)
    }
}

/// The arguments that choose `origins`, files read in `shape`, on another
/// command line of this harness: what its workers are started with.
pub fn dataset_arguments<'a>(
    origins: impl IntoIterator<Item = &'a Origin>,
    shape: Option<Shape>,
) -> Vec<String> {
    let mut arguments: Vec<String> = origins
        .into_iter()
        .flat_map(|origin| ["--dataset".to_owned(), origin.argument()])
        .collect();
    if let Some(shape) = shape {
        arguments.extend(["--shape".to_owned(), shape.name().to_owned()]);
    }
    arguments
}

/// `--filter`'s regular expression, or why it is not one.
pub fn parse_filter(filter: &str) -> Result<regex::Regex, Exit> {
    regex::Regex::new(filter).map_err(|error| {
        let reason = error.to_string();
        let last = reason.lines().last().unwrap_or_default().trim();
        Exit::bad_input(format!(
            "--filter {filter:?} is not a regular expression ({last}); accepted: a regex \
             over bench IDs such as 'encode/wire/default/messages/'"
        ))
    })
}

/// The workloads and contenders a command runs on.
pub struct Selection {
    /// Each dataset with its label: its name, or the file it came from.
    pub datasets: Vec<(String, Dataset)>,
    /// The formats.
    pub formats: Vec<Format>,
    /// The modes.
    pub modes: Vec<Mode>,
    /// The contenders, of both musli versions (a `ContenderId::OnNext` is
    /// a musli 0.2 row's).
    pub contenders: Vec<ContenderId>,
}

impl Selection {
    /// Every contender a `report` row can have, in report order.
    pub fn every_contender() -> Vec<ContenderId> {
        row_contenders().collect()
    }
}

impl Choice {
    /// Generates or loads the datasets chosen. `formats` is used when no
    /// format was chosen.
    pub fn select(&self, formats: &[Format]) -> Result<Selection, Exit> {
        if !(self.scale > 0.0 && self.scale <= 100.0) {
            return Err(Exit::bad_input(format!(
                "--scale {} is out of range; accepted: a number above 0 and at most 100",
                self.scale
            )));
        }

        let origins: Vec<Origin> = if self.datasets.is_empty() {
            Name::ALL
                .iter()
                .map(|&name| Origin::Builtin(name))
                .collect()
        } else {
            let origins = self.datasets.iter().map(|given| Origin::parse(given));
            origins.collect::<Result<_, _>>()?
        };
        let datasets = origins
            .iter()
            .map(|origin| {
                let dataset = origin.load(self.seed, self.scale, self.shape)?;
                Ok((origin.argument(), dataset))
            })
            .collect::<Result<_, Exit>>()?;

        let or_all = |chosen: &[Format]| {
            if chosen.is_empty() {
                formats.to_vec()
            } else {
                chosen.to_vec()
            }
        };
        Ok(Selection {
            datasets,
            formats: or_all(&self.formats),
            modes: if self.modes.is_empty() {
                Mode::ALL.to_vec()
            } else {
                self.modes.clone()
            },
            contenders: self.chosen_contenders()?,
        })
    }

    /// The contenders named, every one of both musli versions with each
    /// name; all of them when none is.
    fn chosen_contenders(&self) -> Result<Vec<ContenderId>, Exit> {
        for given in &self.contenders {
            if !contender_names().contains(&given.as_str()) {
                return Err(Exit::bad_input(format!(
                    "unknown contender {given:?}; accepted: {}",
                    contender_names().join(", ")
                )));
            }
        }
        Ok(row_contenders()
            .filter(|contender| {
                self.contenders.is_empty() || self.contenders.iter().any(|n| n == contender.name())
            })
            .collect())
    }
}
