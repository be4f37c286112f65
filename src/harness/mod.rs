//! The `musli-alloc-bench` command line: `report`, `sizes`, `compare`,
//! `history`, `bisect`, `samples` and `performance`.
//!
//! Every failure is one line on stderr naming what was wrong; bad input
//! exits with 2, a run that failed with 1 (see [`exit`]).

pub mod callgrind;
pub mod calls;
pub mod chart;
pub mod cli;
pub mod compare;
pub mod criterion;
pub mod exit;
pub mod history;
pub mod instructions;
pub mod output;
pub mod performance;
pub mod report;
pub mod rounds;
pub mod samples;
pub mod serve;
pub mod sizes;
pub mod turns;
pub mod workers;

use std::ffi::OsString;
use std::path::Path;

use clap::{CommandFactory, Parser};

use crate::datasets::Origin;
use crate::format::Format;

pub use self::cli::{Choice, Cli, Command, DatasetChoice, Selection, parse_filter};
pub use self::exit::{Exit, ExitCode};
pub use self::output::{last_line, write_atomically};

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
        Err(error) => return Err(clap_failure(error)),
    };

    match cli.command {
        Command::Report { choice, out } => {
            let selection = choice.select(<Format as crate::names::Named>::ALL)?;
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
            compare::run(root, &options)
        }
        Command::History {
            range,
            filter,
            threshold,
            datasets,
        } => {
            let options = history::Options {
                range: &range,
                filter: filter.as_deref(),
                threshold,
                datasets: &datasets,
            };
            history::run(root, &options)
        }
        Command::Bisect {
            good,
            bad,
            bench,
            threshold,
            datasets,
        } => history::bisect(root, &good, &bad, &bench, threshold, &datasets),
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
            let origins = suite.entries.iter().map(|entry| &entry.origin);
            let workers = cli::dataset_arguments(origins, datasets.shape()?);
            performance::run(root, &suite, &workers, source, &out)
        }
        Command::ServeRuns { datasets } => serve::serve(&datasets.suite(root)?),
        Command::Calls { datasets, out } => {
            let suite = datasets.suite(root)?;
            calls::run(root, &suite, &out)
        }
        Command::CountCalls { dataset, shape } => {
            calls::count_in_this_process(Origin::parse(&dataset)?, shape)
        }
        Command::CountInstructions {
            dataset,
            shape,
            filter,
        } => {
            let filter = filter.as_deref().map(parse_filter).transpose()?;
            let origin = Origin::parse(&dataset)?;
            instructions::count_in_this_process(origin, shape, filter.as_ref())
        }
    }
}

/// The commands a user can give, as the help lists them.
fn commands() -> String {
    let command = Cli::command();
    let names: Vec<&str> = command
        .get_subcommands()
        .filter(|command| !command.is_hide_set())
        .map(clap::Command::get_name)
        .collect();
    names.join(", ")
}

/// A command-line error as one line: clap's first line, with what is
/// accepted where clap's own line does not say.
fn clap_failure(error: clap::Error) -> Exit {
    use clap::error::ErrorKind;

    if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return Exit::bad_input(format!(
            "no command given; accepted commands: {} (see --help)",
            commands()
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
        return Exit::bad_input(format!("{first} {}", missing.join(", ")));
    }
    let hint = match error.kind() {
        ErrorKind::InvalidSubcommand | ErrorKind::MissingSubcommand => {
            format!("; accepted commands: {}", commands())
        }
        ErrorKind::UnknownArgument => "; see --help for the accepted options".to_owned(),
        _ => String::new(),
    };
    Exit::bad_input(format!("{first}{hint}"))
}
