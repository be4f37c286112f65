//! The README's harness commands are ones the command line accepts, so that
//! the README cannot drift from the CLI.

use clap::Parser;
use musli_alloc_bench::harness::Cli;

#[test]
fn every_harness_command_in_the_readme_parses() {
    let readme = include_str!("../README.md");
    let mut checked = 0;
    for line in readme.lines() {
        let Some((_, command)) = line.split_once("cargo run --release -- ") else {
            continue;
        };
        // A shell comment ends the command; words are plain in the README.
        let command = command.split(" #").next().unwrap_or_default();
        let words = command
            .split_whitespace()
            .map(|word| word.trim_matches('`'));
        let parsed = Cli::try_parse_from(std::iter::once("musli-alloc-bench").chain(words));
        assert!(parsed.is_ok(), "README: {line}\n{}", parsed.unwrap_err());
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} commands found in the README");
}
