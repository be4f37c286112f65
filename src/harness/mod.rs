//! The `musli-alloc-bench` command line: `report`, `sizes`, `compare`,
//! `samples` and `performance`.
//!
//! Every failure is one line on stderr naming what was wrong and what is
//! accepted, and exit code 2.

pub mod chart;
pub mod compare;
pub mod criterion;
pub mod instructions;
pub mod performance;
pub mod report;
pub mod samples;
pub mod serve;
pub mod sizes;
pub mod turns;
pub mod workers;

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::contenders::Kind;
use crate::datasets::{self, DEFAULT_SEED, Dataset, Name};
use crate::format::{Format, Mode};
use crate::groups::{Entry, Suite};
use crate::names::Named;

/// What went wrong, in one line for the user. The process exits with 2.
#[derive(Debug)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure(error.to_string())
    }
}

/// How a command ended, when not well: the line to print and the exit
/// code. Bad input is 2 (every [`Failure`]), a build or run that failed 1,
/// `compare --fail-on-regression` 3.
#[derive(Debug)]
pub struct Exit {
    /// The line for the user.
    pub message: String,
    /// The process's exit code.
    pub code: u8,
}

impl Exit {
    /// A build or a run that failed: exit code 1.
    pub fn failed(message: String) -> Self {
        Self { message, code: 1 }
    }
}

impl From<Failure> for Exit {
    fn from(failure: Failure) -> Self {
        Self {
            message: failure.0,
            code: 2,
        }
    }
}

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
        method: compare::Method,
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
    /// Writes the JSON samples of every dataset into datasets/.
    Samples,
    /// Turns the last `cargo bench` run into reports/performance.md: the
    /// Stack's ratios against every contender.
    Performance {
        /// Instead, time the contenders of each group in turns now, each
        /// keeping its fastest run, and write reports/performance-turns.md
        /// (about a minute and a half at 20 rounds; steadier than one
        /// criterion run on a busy machine).
        #[arg(long)]
        turns: bool,
        /// Rounds per group with --turns [default: 20].
        #[arg(long, requires = "turns", conflicts_with = "instructions",
              value_parser = clap::value_parser!(u16).range(1..=1000))]
        rounds: Option<u16>,
        /// Instead, count the instructions of one run of each contender
        /// under valgrind's callgrind, the same on every run of one build,
        /// and write reports/performance-instructions.md (about a minute on
        /// two cores; needs valgrind).
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
    /// What `performance --instructions` runs under callgrind, once per
    /// dataset.
    #[command(hide = true)]
    CountInstructions {
        /// The dataset whose groups to run: a name or a JSON file.
        dataset: String,
        /// Only the runs whose bench ID this regular expression matches.
        #[arg(long)]
        filter: Option<String>,
    },
}

/// Which workloads and contenders to measure; each option can be repeated,
/// and an option left out means all.
#[derive(Debug, clap::Args)]
pub struct Choice {
    /// A dataset name (geo, social, catalog, mesh, log, messages) or a JSON
    /// file of one of their public formats.
    #[arg(long = "dataset", value_name = "NAME|FILE")]
    pub datasets: Vec<String>,
    /// The shape of the JSON files given, instead of detecting it.
    #[arg(long, value_name = "NAME")]
    pub shape: Option<Name>,
    /// wire, descriptive or storage.
    #[arg(long = "format", value_name = "FORMAT")]
    pub formats: Vec<Format>,
    /// default or packed.
    #[arg(long = "mode", value_name = "MODE")]
    pub modes: Vec<Mode>,
    /// stack, stack-spill, musli-stack, musli-system, bumpalo or floor.
    #[arg(long = "contender", value_name = "NAME")]
    pub contenders: Vec<Kind>,
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
    /// A dataset name (geo, social, catalog, mesh, log, messages) or a JSON
    /// file of one of their public formats, named in reports by its stem;
    /// can be repeated. Left out: every built-in dataset, and the files
    /// that MUSLI_ALLOC_BENCH_DATA names or datasets/local/ holds, as
    /// `cargo bench` takes them.
    #[arg(long = "dataset", value_name = "NAME|FILE")]
    pub datasets: Vec<String>,
    /// The shape of the JSON files given, instead of detecting it.
    #[arg(long, value_name = "NAME")]
    pub shape: Option<Name>,
}

impl DatasetChoice {
    /// The arguments that make the same choice on another command line.
    pub fn arguments(&self) -> Vec<String> {
        let mut arguments: Vec<String> = self
            .datasets
            .iter()
            .flat_map(|given| ["--dataset".to_owned(), given.clone()])
            .collect();
        if let Some(shape) = self.shape {
            arguments.extend(["--shape".to_owned(), shape.name().to_owned()]);
        }
        arguments
    }

    /// The suite of the datasets chosen; `root` is the crate's directory,
    /// which holds `datasets/local/`.
    pub fn suite(&self, root: &Path) -> Result<Suite, Failure> {
        if self.datasets.is_empty() {
            let variable = std::env::var_os(datasets::files::DATA_VARIABLE);
            return Ok(Suite::for_benches(variable.as_deref(), root)?);
        }
        let entries = self
            .datasets
            .iter()
            .map(|given| entry(given, self.shape))
            .collect::<Result<Vec<_>, Failure>>()?;
        Ok(Suite::checked(entries)?)
    }
}

/// `--filter`'s regular expression, or why it is not one.
pub fn parse_filter(filter: &str) -> Result<regex::Regex, Failure> {
    regex::Regex::new(filter).map_err(|error| {
        let reason = error.to_string();
        let last = reason.lines().last().unwrap_or_default().trim();
        Failure(format!(
            "--filter {filter:?} is not a regular expression ({last}); accepted: a regex \
             over bench IDs such as 'encode/wire/default/messages/'"
        ))
    })
}

/// The dataset `given` names, or the JSON file at that path.
fn entry(given: &str, shape: Option<Name>) -> Result<Entry, Failure> {
    if given.parse::<Name>().is_err() {
        check_looks_like_a_file(given)?;
    }
    Ok(Entry::from_argument(given, shape)?)
}

/// Refuses `given` when it is neither a dataset's name nor looks like a
/// file's path, naming what is accepted.
pub(crate) fn check_looks_like_a_file(given: &str) -> Result<(), Failure> {
    let path = Path::new(given);
    let looks_like_a_file = path.extension().is_some() || given.contains(std::path::MAIN_SEPARATOR);
    if !looks_like_a_file && !path.exists() {
        let names: Vec<&str> = Name::ALL.iter().map(|name| name.name()).collect();
        return Err(Failure(format!(
            "unknown dataset {given:?}; accepted: {}, or a path to a JSON file",
            names.join(", ")
        )));
    }
    Ok(())
}

/// The workloads and contenders a command runs on.
pub struct Selection {
    /// Each dataset with its label: its name, or the file it came from.
    pub datasets: Vec<(String, Dataset)>,
    /// The formats.
    pub formats: Vec<Format>,
    /// The modes.
    pub modes: Vec<Mode>,
    /// The contenders.
    pub contenders: Vec<Kind>,
}

impl Choice {
    /// Generates or loads the datasets chosen. `formats` is used when no
    /// format was chosen.
    pub fn select(&self, formats: &[Format]) -> Result<Selection, Failure> {
        if !(self.scale > 0.0 && self.scale <= 100.0) {
            return Err(Failure(format!(
                "--scale {} is out of range; accepted: a number above 0 and at most 100",
                self.scale
            )));
        }

        let datasets = if self.datasets.is_empty() {
            Name::ALL
                .iter()
                .map(|&name| {
                    (
                        name.to_string(),
                        Dataset::generate(name, self.seed, self.scale),
                    )
                })
                .collect()
        } else {
            self.datasets
                .iter()
                .map(|given| self.dataset(given))
                .collect::<Result<_, _>>()?
        };

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
            contenders: if self.contenders.is_empty() {
                Kind::ALL.to_vec()
            } else {
                self.contenders.clone()
            },
        })
    }

    fn dataset(&self, given: &str) -> Result<(String, Dataset), Failure> {
        if let Ok(name) = given.parse::<Name>() {
            return Ok((
                name.to_string(),
                Dataset::generate(name, self.seed, self.scale),
            ));
        }

        check_looks_like_a_file(given)?;
        let path = Path::new(given);
        let dataset = datasets::load_json(path, self.shape)?;
        Ok((path.display().to_string(), dataset))
    }
}

/// The last line of `stderr` that is not blank: what a failed tool said
/// last, usually why it failed.
pub fn last_line(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("no message")
        .trim()
        .to_owned()
}

/// Writes `bytes` to `path` through a temporary file beside it, so a reader
/// never sees half a file and a failure leaves the old one in place.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail = |error: std::io::Error| Failure(format!("cannot write {}: {error}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes).map_err(fail)?;
    std::fs::rename(&temporary, path).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        fail(error)
    })
}

/// Parses `args` (program name first) and runs the command from `root`,
/// the crate's directory. Help and version are printed and count as
/// success.
pub fn run<I, T>(args: I, root: &Path) -> Result<(), Exit>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            let _ = error.print();
            return Ok(());
        }
        Err(error) => return Err(clap_failure(error).into()),
    };

    let done = match cli.command {
        Command::Report { choice, out } => {
            let selection = choice.select(Format::ALL)?;
            report::run(&selection, &out)
        }
        Command::Sizes { choice, out } => {
            let selection = choice.select(&[Format::Wire, Format::Descriptive])?;
            sizes::run(&selection, &out)
        }
        Command::Compare {
            base,
            head,
            filter,
            method,
            pairs,
            noise,
            fail_on_regression,
            quick,
            datasets,
        } => {
            let options = compare::Options {
                base: &base,
                head: head.as_deref(),
                filter: filter.as_deref(),
                method,
                pairs: usize::from(pairs),
                noise,
                fail_on_regression,
                quick,
                datasets: &datasets,
            };
            return compare::run(root, &options);
        }
        Command::Samples => samples::run(root),
        Command::Performance {
            turns,
            rounds,
            instructions,
            datasets,
            out,
        } => {
            let source = if turns {
                performance::Source::Turns {
                    rounds: rounds.map_or(20, usize::from),
                }
            } else if instructions {
                performance::Source::Instructions
            } else {
                performance::Source::Criterion
            };
            // Every file is read before anything is measured.
            let suite = datasets.suite(root)?;
            return performance::run(root, &suite, &datasets.arguments(), source, &out);
        }
        Command::ServeRuns { datasets } => serve::serve(&datasets.suite(root)?),
        Command::CountInstructions { dataset, filter } => {
            let filter = filter.as_deref().map(parse_filter).transpose()?;
            instructions::count_in_this_process(entry(&dataset, None)?, filter.as_ref())
        }
    };
    Ok(done?)
}

/// A command-line error as one line: clap's first line, with what is
/// accepted where clap's own line does not say.
fn clap_failure(error: clap::Error) -> Failure {
    use clap::error::ErrorKind;

    const COMMANDS: &str = "report, sizes, compare, samples, performance";
    if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return Failure(format!(
            "no command given; accepted commands: {COMMANDS} (see --help)"
        ));
    }

    let rendered = error.render().to_string();
    let mut lines = rendered
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty());
    let first = lines.next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // clap lists the missing arguments on the lines after its first.
    if error.kind() == ErrorKind::MissingRequiredArgument {
        let missing: Vec<&str> = lines
            .take_while(|line| line.starts_with('-') || line.starts_with('<'))
            .collect();
        return Failure(format!("{first} {}", missing.join(", ")));
    }
    let hint = match error.kind() {
        ErrorKind::InvalidSubcommand | ErrorKind::MissingSubcommand => {
            format!("; accepted commands: {COMMANDS}")
        }
        ErrorKind::UnknownArgument => "; see --help for the accepted options".to_owned(),
        _ => String::new(),
    };
    Failure(format!("{first}{hint}"))
}
