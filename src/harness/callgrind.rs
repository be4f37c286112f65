//! Reading callgrind's profiles: the total, and each function's own and
//! inclusive instructions.
//!
//! The format (callgrind's `--compress-strings`): `fn=(id) name` names a
//! function the first time and `fn=(id)` after; a cost line is a position
//! and its counts; the line after `calls=` is the inclusive cost of that
//! call: the callee's, made from within the function of the block.

use std::collections::HashMap;

/// Each function's instructions in one profile, by its name.
#[derive(Debug, Default)]
pub struct FunctionCounts {
    /// Its own instructions, not those of what it calls.
    pub own: HashMap<String, u64>,
    /// Its own and those of every call it made.
    pub inclusive: HashMap<String, u64>,
}

/// The instructions of each function in one callgrind profile, by its
/// name: its own instructions, not those of what it calls.
pub fn function_counts(profile: &str) -> HashMap<String, u64> {
    counts(profile).own
}

/// Each function's own and inclusive instructions in one profile. A
/// function that calls itself would count its inner calls twice in its
/// inclusive count; the functions asked about here do not.
pub fn counts(profile: &str) -> FunctionCounts {
    let mut names: HashMap<String, String> = HashMap::new();
    let mut counts = FunctionCounts::default();
    let mut current: Option<String> = None;
    let mut after_calls = false;
    // `(id) name` defines `id`; `(id)` alone refers to it.
    let mut name_of = |function: &str| match function.split_once(") ") {
        Some((id, name)) => {
            names.insert(id.to_owned() + ")", name.to_owned());
            name.to_owned()
        }
        None => names
            .get(function)
            .cloned()
            .unwrap_or_else(|| function.to_owned()),
    };
    for line in profile.lines() {
        if let Some(function) = line.strip_prefix("fn=") {
            current = Some(name_of(function));
            continue;
        }
        if let Some(callee) = line.strip_prefix("cfn=") {
            name_of(callee);
            continue;
        }
        if line.starts_with("calls=") {
            after_calls = true;
            continue;
        }
        let is_cost = line
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '+' || c == '-' || c == '*');
        if !is_cost {
            continue;
        }
        let count = line
            .split_whitespace()
            .nth(1)
            .and_then(|ir| ir.parse::<u64>().ok());
        if let (Some(function), Some(count)) = (&current, count) {
            *counts.inclusive.entry(function.clone()).or_default() += count;
            if !after_calls {
                *counts.own.entry(function.clone()).or_default() += count;
            }
        }
        after_calls = false;
    }
    counts
}

/// The instruction total of one callgrind profile: its `totals:` line, or
/// the `summary:` line older versions write instead.
pub fn total_instructions(profile: &str) -> Option<u64> {
    let line_after = |key: &str| {
        profile
            .lines()
            .find_map(|line| line.strip_prefix(key))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
    };
    line_after("totals:").or_else(|| line_after("summary:"))
}

#[cfg(test)]
mod tests {
    use super::{counts, function_counts, total_instructions};

    #[test]
    fn a_profile_gives_its_totals_line_or_its_summary() {
        let profile = "version: 1\ncreator: callgrind-3.19.0\nevents: Ir\n\
                       fn=(1) main\n0 12\n\nsummary: 4521466\ntotals: 4521467\n";
        assert_eq!(total_instructions(profile), Some(4_521_467));
        assert_eq!(total_instructions("events: Ir\nsummary: 99\n"), Some(99));
        assert_eq!(total_instructions("events: Ir\nfn=(1) main\n0 12\n"), None);
        assert_eq!(total_instructions("totals: many\n"), None);
    }

    #[test]
    fn a_profile_gives_each_functions_own_instructions() {
        let profile = "events: Ir\nfl=(1) a.rs\nfn=(1) main\n0 10\n+2 5\n\
                       cfl=(1)\ncfn=(2) helper\ncalls=3 0\n0 900\n\
                       fn=(2)\n0 300\n* 600\nfn=(1)\n-1 1\ntotals: 916\n";
        let counts = function_counts(profile);
        // main's own 10 + 5 + 1, not the 900 its call to helper took.
        assert_eq!(counts["main"], 16);
        assert_eq!(counts["helper"], 900);
        assert_eq!(counts.len(), 2);
    }

    #[test]
    fn a_profile_gives_each_functions_inclusive_instructions() {
        let profile = "events: Ir\nfl=(1) a.rs\nfn=(1) main\n0 10\n\
                       cfl=(1)\ncfn=(2) helper\ncalls=3 0\n0 900\n\
                       fn=(2)\n0 300\ncfn=(3) memcpy\ncalls=3 0\n0 60\n\
                       fn=(3)\n0 60\ntotals: 970\n";
        let counts = counts(profile);
        assert_eq!(counts.inclusive["main"], 910);
        assert_eq!(counts.inclusive["helper"], 360);
        assert_eq!(counts.own["helper"], 300);
        assert_eq!(counts.inclusive["memcpy"], 60);
    }
}
