//! `calls`: where the instructions of `stack`, `stack-spill` and
//! `musli-system` go on each replayed trace, by kind of allocator call.
//!
//! Each contender replays each trace three ways in one process run under
//! callgrind (the hidden `count-calls` command), each run once uncounted
//! and once between two dumps, as `performance --instructions` counts:
//! as the bench does ([`CallRun::Whole`]); with each kind of call in a
//! function of its own ([`CallRun::ByCall`], `trace::call_alloc` and its
//! siblings), whose inclusive counts are the calls' share; and with no
//! calls at all ([`CallRun::Build`]), which is building the allocator and
//! dropping it. What is left of the by-call run is the replay's own loop.
//! The traces have no `write_buffer` (musli's encoders never call it), so
//! it gets no column.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::bench_id::GroupId;
use crate::contenders::Kind;
use crate::datasets::{Origin, Shape};
use crate::groups::{CallRun, Suite};
use crate::names::Named;
use crate::trace::Op;

use super::callgrind::{counts, total_instructions};
use super::chart::{Row, dots};
use super::exit::Exit;
use super::instructions::{between_counted_runs, part_path, run_under_callgrind, valgrind_runs};
use super::output::write_atomically;

/// The contenders whose calls are counted.
pub const KINDS: [Kind; 3] = [Kind::Stack, Kind::StackSpill, Kind::MusliSystem];

/// A kind of allocator call in a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display)]
#[strum(serialize_all = "lowercase")]
enum CallKind {
    Alloc,
    Write,
    Drop,
}

impl CallKind {
    /// Each kind, in the order of their columns; a kind's place is its
    /// value.
    const ALL: [CallKind; 3] = [CallKind::Alloc, CallKind::Write, CallKind::Drop];

    /// The kind of call `op` is.
    fn of(op: &Op) -> Self {
        match op {
            Op::Alloc { .. } => CallKind::Alloc,
            Op::Write { .. } => CallKind::Write,
            Op::Drop { .. } => CallKind::Drop,
        }
    }

    /// The function the by-call replay makes this kind of call in, as
    /// callgrind names its instances.
    fn function(self) -> &'static str {
        match self {
            CallKind::Alloc => "musli_alloc_bench::trace::call_alloc",
            CallKind::Write => "musli_alloc_bench::trace::call_write",
            CallKind::Drop => "musli_alloc_bench::trace::call_drop",
        }
    }

    /// This kind's share of `row`.
    fn share(self, row: &CallCounts) -> &Share {
        match self {
            CallKind::Alloc => &row.alloc,
            CallKind::Write => &row.write,
            CallKind::Drop => &row.drop,
        }
    }
}

/// Instructions of one kind of call on one trace: in all, and per call.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Share {
    /// Over every call of the kind.
    pub instructions: u64,
    /// How many calls of the kind the trace makes.
    pub calls: u64,
}

impl Share {
    /// Instructions per call.
    pub fn per_call(&self) -> f64 {
        self.instructions as f64 / self.calls.max(1) as f64
    }
}

/// One contender's counts on one trace.
#[derive(Clone, Debug, Serialize)]
pub struct CallCounts {
    /// The replay group, `patterns/replay/{dataset}/{mode}`.
    pub trace: String,
    /// The contender.
    pub contender: &'static str,
    /// Building the allocator and dropping it.
    pub build: u64,
    /// `alloc` calls, each with what it calls.
    pub alloc: Share,
    /// `write` calls, the copy (`memcpy`) included.
    pub write: Share,
    /// Dropping buffers.
    pub drop: Share,
    /// The rest of the by-call run: the replay's loop, and the calls.
    pub replay_loop: u64,
    /// The replay as the bench times it, all inlined.
    pub whole: u64,
}

/// Counts every replayed trace of `suite`, each file read as the suite
/// read it, and writes `calls.md` and `calls.json` into `out`; the
/// profiles go under `root`'s `target/`.
pub fn run(root: &Path, suite: &Suite, out: &Path) -> Result<(), Exit> {
    if !valgrind_runs() {
        return Err(Exit::failed(
            "calls needs valgrind, which did not run (`valgrind --version`)".to_owned(),
        ));
    }
    let program = std::env::current_exe().map_err(|error| {
        Exit::failed(format!("cannot find this program to run it again: {error}"))
    })?;
    let scratch = &root.join("target/calls");
    std::fs::create_dir_all(scratch)
        .map_err(|error| Exit::failed(format!("cannot make {}: {error}", scratch.display())))?;

    let mut rows = Vec::new();
    for entry in &suite.entries {
        eprintln!("counting the calls of {} under callgrind", entry.label);
        rows.extend(count_dataset(
            &program,
            scratch,
            suite,
            &entry.origin,
            entry.read_in(),
        )?);
    }
    let _ = std::fs::remove_dir_all(scratch);

    let markdown = markdown(&rows);
    print!("{markdown}");
    write_atomically(&out.join("calls.svg"), chart(&rows).as_bytes())?;
    write_atomically(&out.join("calls.md"), markdown.as_bytes())?;
    let json = serde_json::to_string_pretty(&serde_json::json!({ "rows": rows }))
        .expect("plain data serializes");
    write_atomically(&out.join("calls.json"), (json + "\n").as_bytes())?;
    eprintln!("wrote {}", out.join("calls.{md,json,svg}").display());
    Ok(())
}

/// `count-calls DATASET`, run under callgrind by [`run`]: every run of
/// [`CallRun::ALL`] of every contender of [`KINDS`] on each replayed
/// trace of the dataset, each between two marks, and a line per run:
/// `trace`, contender and run, tab-separated.
pub fn count_in_this_process(origin: Origin, shape: Option<Shape>) -> Result<(), Exit> {
    let suite = Suite::load(&[origin], shape)?;
    for group in suite.replay_groups() {
        if group.is_empty()? {
            continue;
        }
        for kind in KINDS {
            let id = group.id().bench(kind);
            for (run, mut once) in CallRun::ALL.into_iter().zip(group.call_runs(kind)?) {
                between_counted_runs(&id);
                once();
                between_counted_runs(&id);
                println!("{}\t{kind}\t{run}", group.id());
            }
        }
    }
    Ok(())
}

/// The counts of every replayed trace of `origin`, from one callgrind run
/// of `program count-calls`.
fn count_dataset(
    program: &Path,
    scratch: &Path,
    suite: &Suite,
    origin: &Origin,
    shape: Option<Shape>,
) -> Result<Vec<CallCounts>, Exit> {
    let profile = scratch.join("calls.callgrind");
    let name = origin.argument();
    let mut arguments = vec!["count-calls", &name];
    arguments.extend(shape.iter().flat_map(|shape| ["--shape", shape.name()]));
    let stdout = run_under_callgrind(program, &profile, &arguments, "the calls")?;

    let read = |part: usize| {
        let path = part_path(&profile, part);
        std::fs::read_to_string(&path)
            .map_err(|error| Exit::failed(format!("cannot read {}: {error}", path.display())))
    };
    let total = |text: &str| {
        total_instructions(text)
            .ok_or_else(|| Exit::failed(format!("a profile of {name} has no total")))
    };

    // Each (trace, contender)'s three runs come one after the other.
    let mut profiles: Vec<Profiles> = Vec::new();
    for (at, line) in stdout.lines().enumerate() {
        let unexpected = || Exit::failed(format!("count-calls printed {line:?}"));
        let [trace, contender, run] = line.split('\t').collect::<Vec<_>>()[..] else {
            return Err(unexpected());
        };
        let contender: Kind = contender.parse().map_err(|_| unexpected())?;
        let run: CallRun = run.parse().map_err(|_| unexpected())?;
        let text = read(2 * at + 2)?;
        match profiles.last_mut() {
            Some(last) if last.trace == trace && last.contender == contender => {
                last.runs.push((run, text));
            }
            _ => profiles.push(Profiles {
                trace: trace.to_owned(),
                contender,
                runs: vec![(run, text)],
            }),
        }
    }

    // Each trace's calls, counted once for its three contenders.
    let mut calls_of: HashMap<String, [u64; 3]> = HashMap::new();
    let mut rows = Vec::new();
    for Profiles {
        trace,
        contender,
        runs,
    } in profiles
    {
        let profile = |wanted: CallRun| {
            runs.iter()
                .find(|(run, _)| *run == wanted)
                .map(|(_, text)| text.as_str())
                .ok_or_else(|| Exit::failed(format!("no {wanted} run of {trace} on {contender}")))
        };
        let by_call = profile(CallRun::ByCall)?;
        let inclusive = counts(by_call).inclusive;
        if !calls_of.contains_key(&trace) {
            calls_of.insert(trace.clone(), calls_by_kind(suite, &trace)?);
        }
        let calls = calls_of[&trace];
        let build = total(profile(CallRun::Build)?)?;
        let [alloc, write, drop] = CallKind::ALL.map(|kind| Share {
            instructions: inclusive
                .iter()
                .filter(|(function, _)| function.starts_with(kind.function()))
                .map(|(_, count)| count)
                .sum(),
            calls: calls[kind as usize],
        });
        let by_call_total = total(by_call)?;
        rows.push(CallCounts {
            contender: contender.name(),
            build,
            replay_loop: by_call_total.saturating_sub(
                build + alloc.instructions + write.instructions + drop.instructions,
            ),
            whole: total(profile(CallRun::Whole)?)?,
            alloc,
            write,
            drop,
            trace,
        });
    }
    Ok(rows)
}

/// The profiles of one contender's runs on one trace.
struct Profiles {
    trace: String,
    contender: Kind,
    runs: Vec<(CallRun, String)>,
}

/// How many calls of each kind the trace of replay group `trace` makes,
/// in the order of [`CallKind::ALL`].
fn calls_by_kind(suite: &Suite, trace: &str) -> Result<[u64; 3], Exit> {
    let id: GroupId = trace
        .parse()
        .map_err(|error| Exit::failed(format!("count-calls printed {error}")))?;
    let group = suite
        .group(&id)
        .ok_or_else(|| Exit::failed(format!("count-calls printed an unknown trace {trace}")))?;
    let mut calls = [0; 3];
    for op in &group.trace_calls()?.ops {
        calls[CallKind::of(op) as usize] += 1;
    }
    Ok(calls)
}

/// The series of [`chart`]: `stack`'s instructions per call of each kind,
/// and both policies' whole replays (`None`), each against `musli-system`'s.
const CHART_SERIES: [(Kind, Option<CallKind>); 5] = [
    (Kind::Stack, Some(CallKind::Alloc)),
    (Kind::Stack, Some(CallKind::Write)),
    (Kind::Stack, Some(CallKind::Drop)),
    (Kind::Stack, None),
    (Kind::StackSpill, None),
];

/// A series' figure in `row`: instructions per call of its kind, or the
/// whole replay's.
fn figure(kind: Option<CallKind>, row: &CallCounts) -> f64 {
    kind.map_or(row.whole as f64, |kind| kind.share(row).per_call())
}

/// A dot per trace and series: ours divided by `musli-system`, with the
/// whole replays' target of 1 ticked.
fn chart(rows: &[CallCounts]) -> String {
    let find = |trace: &str, contender: Kind| {
        rows.iter()
            .find(|row| row.trace == trace && row.contender == contender.name())
    };
    let mut traces: Vec<&str> = rows.iter().map(|row| row.trace.as_str()).collect();
    traces.dedup();
    let chart_rows: Vec<Row> = traces
        .iter()
        .map(|&trace| {
            let system = find(trace, Kind::MusliSystem);
            let values = CHART_SERIES
                .iter()
                .map(|&(contender, kind)| {
                    let ours = find(trace, contender)?;
                    Some(figure(kind, ours) / figure(kind, system?))
                })
                .collect();
            let targets = CHART_SERIES
                .iter()
                .map(|&(_, kind)| kind.is_none().then_some(1.0))
                .collect();
            Row {
                label: trace.trim_start_matches("patterns/replay/").to_owned(),
                values,
                targets,
            }
        })
        .collect();
    let series: Vec<String> = CHART_SERIES
        .iter()
        .map(|(contender, kind)| match kind {
            Some(kind) => format!("{contender}: {kind}"),
            None => format!("{contender}: replay"),
        })
        .collect();
    dots(
        "Replayed traces: ours / musli-system, by kind of call (instructions)",
        "ratio (lower is better for ours; alloc, write, drop per call, made out of line)",
        &series,
        &chart_rows,
    )
}

/// The table: per trace and contender, instructions in all and per call.
fn markdown(rows: &[CallCounts]) -> String {
    let mut text = String::from(
        "# Where the allocator's instructions go\n\n\
         Instructions counted by callgrind on each replayed trace, by kind of call: \
         building and dropping the allocator, `alloc`, `write` (the copy included), \
         dropping a buffer, and the replay's own loop; per call in brackets. \
         Each kind's calls are made out of line to be counted apart, so their counts \
         include a call's entry and exit and what being out of line costs; `replay` \
         is the bench's own run, all inlined, which `performance` compares. \
         The traces make no `write_buffer` call (musli's encoders never do).\n\n\
         Reproduce: `cargo run --release -- calls`. Method: `src/harness/calls.rs`.\n\n\
         ![ours against musli-system per call, by kind](calls.svg)\n\n\
         | trace | contender | build | alloc | write | drop | loop | replay |\n\
         |---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for row in rows {
        let share = |share: &Share| format!("{} ({:.1})", share.instructions, share.per_call());
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.trace,
            row.contender,
            row.build,
            share(&row.alloc),
            share(&row.write),
            share(&row.drop),
            row.replay_loop,
            row.whole
        );
    }
    text
}
