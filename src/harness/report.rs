//! `report`: one row of counters per (dataset, mode, format, contender),
//! on musli 0.0.122 and then on musli 0.2.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Map, Value as Json};

use crate::bench_id::ContenderId;
use crate::contenders::{Contender, Kind, NextKind, Spills};
use crate::counters::Counts;
use crate::datasets::NextDataset;
use crate::format::{Format, Mode};
use crate::names::Named;
use crate::workload::{NextWorkload, Workload};

use super::cli::Selection;
use super::exit::Exit;
use super::output::write_atomically;

/// The counters of one workload on one contender.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The dataset's name, or the file it was loaded from.
    pub dataset: String,
    /// The mode.
    pub mode: Mode,
    /// The format.
    pub format: Format,
    /// The contender: musli 0.0.122's and ours ([`ContenderId::Kind`]), or
    /// musli 0.2's and ours on it ([`ContenderId::OnNext`]).
    pub contender: ContenderId,
    /// What the counting wrapper saw.
    pub counts: Counts,
    /// The contender's peak memory for buffers, by its own accounting.
    pub max_reserved_bytes: u64,
    /// The smallest slice on which `stack` serves the workload (on musli
    /// 0.2, ours through musli 0.2's trait).
    pub min_stack_buffer: u64,
    /// What `stack-spill` moved to the heap (nothing for the others).
    pub spills: Spills,
    /// Bytes encoded.
    pub output_bytes: u64,
}

impl Row {
    /// `1 - live / reserved` at the peaks: the share of the memory held for
    /// buffers that held no buffer's bytes.
    pub fn fragmentation(&self) -> f64 {
        if self.max_reserved_bytes == 0 {
            return 0.0;
        }
        let live = self.counts.max_live_bytes.min(self.max_reserved_bytes);
        1.0 - live as f64 / self.max_reserved_bytes as f64
    }

    /// The musli release the row encodes with.
    pub fn musli(&self) -> &'static str {
        match self.contender {
            ContenderId::OnNext(_) => "0.2",
            ContenderId::Kind(_) | ContenderId::Next(_) => "0.0.122",
        }
    }

    /// Every column, in order: the single list the JSON, CSV and Markdown
    /// outputs are all made from.
    pub fn cells(&self) -> Vec<(&'static str, Json)> {
        let counts = &self.counts;
        vec![
            ("dataset", self.dataset.clone().into()),
            ("mode", self.mode.name().into()),
            ("format", self.format.name().into()),
            ("musli", self.musli().into()),
            ("contender", self.contender.name().into()),
            ("allocations", counts.allocations.into()),
            ("failed_allocations", counts.failed_allocations.into()),
            ("writes", counts.writes.into()),
            ("bytes_written", counts.bytes_written.into()),
            ("failed_writes", counts.failed_writes.into()),
            ("write_buffer_calls", counts.write_buffer_calls.into()),
            ("merges", counts.merges.into()),
            ("moves", counts.moves.into()),
            ("bytes_moved", counts.bytes_moved.into()),
            ("max_live_buffers", counts.max_live_buffers.into()),
            ("max_live_bytes", counts.max_live_bytes.into()),
            ("max_reserved_bytes", self.max_reserved_bytes.into()),
            (
                "fragmentation",
                ((self.fragmentation() * 1e4).round() / 1e4).into(),
            ),
            ("min_stack_buffer", self.min_stack_buffer.into()),
            ("spills", self.spills.spills.into()),
            ("spilled_bytes", self.spills.spilled_bytes.into()),
            ("output_bytes", self.output_bytes.into()),
        ]
    }
}

/// Measures every row `selection` asks for, showing progress on stderr.
pub fn rows(selection: &Selection, progress: bool) -> Result<Vec<Row>, Exit> {
    let workloads = selection.datasets.len() * selection.modes.len() * selection.formats.len();
    let bar = if progress {
        ProgressBar::new(workloads as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} workloads {msg}")
            .expect("the template is valid"),
    );

    let kinds: Vec<Kind> = selection
        .contenders
        .iter()
        .filter_map(|contender| match contender {
            ContenderId::Kind(kind) => Some(*kind),
            _ => None,
        })
        .collect();
    let next_kinds: Vec<NextKind> = selection
        .contenders
        .iter()
        .filter_map(|contender| match contender {
            ContenderId::OnNext(next) => Some(*next),
            _ => None,
        })
        .collect();

    let mut rows = Vec::new();
    let mut next_rows = Vec::new();
    for (label, dataset) in &selection.datasets {
        let next_dataset = (!next_kinds.is_empty()).then(|| NextDataset::of(dataset));
        for &mode in &selection.modes {
            for &format in &selection.formats {
                bar.set_message(format!("{label}/{mode}/{format}"));
                let workload = Workload::new(dataset, format, mode);
                rows.extend(workload_rows(label, workload, &kinds)?);
                if let Some(next_dataset) = &next_dataset {
                    let workload = NextWorkload::new(next_dataset, format, mode);
                    next_rows.extend(next_workload_rows(label, workload, &next_kinds)?);
                }
                bar.inc(1);
            }
        }
    }
    bar.finish_and_clear();
    rows.extend(next_rows);
    Ok(rows)
}

/// The rows of musli 0.2's allocators and ours on it. Reserved memory is
/// by the same accounting as on musli 0.0.122: for ours, the slice's
/// high-water mark and the heap's peak; for musli's, the most the live
/// allocations' capacities held (for `Slice`, without its headers).
fn next_workload_rows(
    label: &str,
    workload: NextWorkload<'_>,
    kinds: &[NextKind],
) -> Result<Vec<Row>, Exit> {
    let sizing = workload.sizing();
    kinds
        .iter()
        .map(|&kind| {
            let mut contender = kind.build(&sizing);
            let (tally, output) = workload.count(&mut contender)?;
            let max_reserved_bytes = match kind {
                NextKind::Stack | NextKind::StackSpill => tally.max_stack_bytes as u64,
                NextKind::MusliSlice | NextKind::MusliGlobal => tally.max_live_capacity,
            };
            Ok(Row {
                dataset: label.to_owned(),
                mode: workload.mode,
                format: workload.format,
                contender: ContenderId::OnNext(kind),
                counts: tally.counts,
                max_reserved_bytes,
                min_stack_buffer: sizing.stack_slice as u64,
                spills: tally.spills,
                output_bytes: output.len() as u64,
            })
        })
        .collect()
}

fn workload_rows(label: &str, workload: Workload<'_>, kinds: &[Kind]) -> Result<Vec<Row>, Exit> {
    let sizing = workload.sizing()?;

    kinds
        .iter()
        .map(|&kind| {
            let mut contender = kind.build(&sizing);
            let (counts, output) = workload.count(&mut contender)?;

            Ok(Row {
                dataset: label.to_owned(),
                mode: workload.mode,
                format: workload.format,
                contender: ContenderId::Kind(kind),
                counts,
                max_reserved_bytes: contender.max_reserved_bytes() as u64,
                min_stack_buffer: sizing.stack_slice as u64,
                spills: contender.spills(),
                output_bytes: output.len() as u64,
            })
        })
        .collect()
}

/// `{"rows": [...]}`, each row an object of its cells.
pub fn to_json(rows: &[Row]) -> String {
    let rows: Vec<Json> = rows
        .iter()
        .map(|row| {
            let object: Map<String, Json> = row
                .cells()
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect();
            Json::Object(object)
        })
        .collect();
    let mut top = Map::new();
    top.insert("rows".to_owned(), Json::Array(rows));
    serde_json::to_string_pretty(&Json::Object(top)).expect("plain data serializes") + "\n"
}

fn plain(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A header line and one line per row.
pub fn to_csv(rows: &[Row]) -> Result<String, Exit> {
    let failed = |error: csv::Error| Exit::failed(format!("cannot write the CSV: {error}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    if let Some(first) = rows.first() {
        writer
            .write_record(first.cells().iter().map(|(name, _)| *name))
            .map_err(failed)?;
    }
    for row in rows {
        writer
            .write_record(row.cells().iter().map(|(_, value)| plain(value)))
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| Exit::failed(error.to_string()))?;
    Ok(String::from_utf8(bytes).expect("cells are UTF-8"))
}

/// A Markdown table.
pub fn to_markdown(rows: &[Row]) -> String {
    let Some(first) = rows.first() else {
        return String::new();
    };
    let names: Vec<&str> = first.cells().iter().map(|(name, _)| *name).collect();
    let mut table = format!("| {} |\n", names.join(" | "));
    let align: Vec<&str> = names
        .iter()
        .enumerate()
        .map(|(at, _)| if at < 5 { "---" } else { "---:" })
        .collect();
    table += &format!("| {} |\n", align.join(" | "));
    for row in rows {
        let cells: Vec<String> = row.cells().iter().map(|(_, value)| plain(value)).collect();
        table += &format!("| {} |\n", cells.join(" | "));
    }
    table
}

/// Measures, writes `counters.{json,csv,md}` into `out` and prints the table.
pub fn run(selection: &Selection, out: &Path) -> Result<(), Exit> {
    let rows = rows(selection, true)?;
    let json = to_json(&rows);
    let csv = to_csv(&rows)?;
    let markdown = to_markdown(&rows);

    // Everything is measured before anything is written: a failure above
    // leaves the old reports as they were.
    write_atomically(&out.join("counters.json"), json.as_bytes())?;
    write_atomically(&out.join("counters.csv"), csv.as_bytes())?;
    write_atomically(&out.join("counters.md"), markdown.as_bytes())?;

    print!("{markdown}");
    eprintln!("wrote {}/counters.{{json,csv,md}}", out.display());
    Ok(())
}
