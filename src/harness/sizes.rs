//! `sizes`: the smallest `StackBuffer` each workload needs, what spills on
//! smaller ones, and a recommended `DEFAULT_STACK_BUFFER`; and on musli
//! 0.2, the smallest `ArrayBuffer` its `Slice` needs, and a recommended
//! size for it beside musli's `DEFAULT_ARRAY_BUFFER`.
//!
//! A `SpillStack` spills exactly where a `Stack` on the same slice would
//! fail (the two share their layout up to that call), so one share answers
//! both: the encodes that fail on `stack` are those that spill on
//! `stack-spill`. With spilling, the size tunes speed, not correctness.

use crate::HeapBuffer;
use crate::contenders::{Contender, SpillStackContender};
use crate::datasets::NextDataset;
use crate::format::Format;
use crate::sizing::{NextSliceAllocator, SliceAllocator};
use crate::workload::{NextWorkload, Workload};

use std::path::Path;

use super::chart::{self, Series};
use super::cli::Selection;
use super::exit::Exit;
use super::output::write_atomically;

/// The candidate sizes: powers of two from 512 B to 64 KiB.
pub const CANDIDATES: [usize; 8] = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

/// The share of encodes a recommended size must serve.
const TARGET: f64 = 0.99;

/// The smallest slice for each encode call of one workload.
#[derive(Clone, Debug)]
pub struct WorkloadSizes {
    /// The dataset's label.
    pub dataset: String,
    /// The workload's mode.
    pub mode: crate::format::Mode,
    /// The format.
    pub format: Format,
    /// One per encode call (per message for `messages`), sorted.
    pub minimums: Vec<usize>,
    /// The same for musli 0.2's `Slice`: the smallest `ArrayBuffer` of
    /// each musli 0.2 encode call, sorted.
    pub array_buffer_minimums: Vec<usize>,
    /// For each of [`CANDIDATES`], the bytes `stack-spill` copied out of a
    /// slice of that size over every encode call.
    pub spilled_bytes: Vec<u64>,
}

/// Which buffer's minimums: ours (`StackBuffer`) or musli 0.2's `Slice`'s
/// (`ArrayBuffer`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Buffer {
    /// [`WorkloadSizes::minimums`].
    Stack,
    /// [`WorkloadSizes::array_buffer_minimums`].
    Array,
}

impl WorkloadSizes {
    /// The sorted minimums of `buffer`.
    pub fn minimums(&self, buffer: Buffer) -> &[usize] {
        match buffer {
            Buffer::Stack => &self.minimums,
            Buffer::Array => &self.array_buffer_minimums,
        }
    }

    /// The `p`-th percentile (0 to 100) of `buffer`'s minimums, nearest
    /// rank.
    pub fn percentile(&self, buffer: Buffer, p: usize) -> usize {
        let minimums = self.minimums(buffer);
        let rank = (p * minimums.len()).div_ceil(100).max(1);
        minimums[rank - 1]
    }
}

/// Measures the minimums of every selected workload, in `wire` and
/// `descriptive` unless formats were chosen.
pub fn measure(selection: &Selection) -> Result<Vec<WorkloadSizes>, Exit> {
    let mut sizes = Vec::new();
    for (label, dataset) in &selection.datasets {
        let next_dataset = NextDataset::of(dataset);
        for &mode in &selection.modes {
            for &format in &selection.formats {
                let workload = Workload::new(dataset, format, mode);
                let mut minimums = workload.min_slices(SliceAllocator::Stack);
                minimums.sort_unstable();
                let next = NextWorkload::new(&next_dataset, format, mode);
                let mut array_buffer_minimums = next.min_slices(NextSliceAllocator::MusliSlice);
                array_buffer_minimums.sort_unstable();
                let spilled_bytes = CANDIDATES
                    .iter()
                    .map(|&size| spilled_bytes(workload, size))
                    .collect::<Result<_, _>>()?;
                sizes.push(WorkloadSizes {
                    dataset: label.clone(),
                    mode,
                    format,
                    minimums,
                    array_buffer_minimums,
                    spilled_bytes,
                });
            }
        }
    }
    Ok(sizes)
}

/// The bytes `stack-spill` copies out of a slice of `size` bytes to the
/// heap over every encode call of `workload`.
fn spilled_bytes(workload: Workload<'_>, size: usize) -> Result<u64, Exit> {
    let mut contender = SpillStackContender::on(HeapBuffer::new(size));
    workload.count(&mut contender)?;
    Ok(contender.spills().spilled_bytes)
}

/// The share of all encode calls that fail on a `buffer` of `size` bytes:
/// on `stack` (and spill on `stack-spill`), or on musli 0.2's `Slice`.
pub fn failure_rate<'a>(
    sizes: impl IntoIterator<Item = &'a WorkloadSizes> + Clone,
    buffer: Buffer,
    size: usize,
) -> f64 {
    let total: usize = sizes
        .clone()
        .into_iter()
        .map(|workload| workload.minimums(buffer).len())
        .sum();
    let failing: usize = sizes
        .into_iter()
        .map(|workload| {
            workload
                .minimums(buffer)
                .iter()
                .filter(|&&minimum| minimum > size)
                .count()
        })
        .sum();
    failing as f64 / total.max(1) as f64
}

/// The smallest candidate `buffer` size that serves at least 99% of encode
/// calls, or the largest candidate if none does.
pub fn recommend(sizes: &[WorkloadSizes], buffer: Buffer) -> usize {
    CANDIDATES
        .into_iter()
        .find(|&size| failure_rate(sizes, buffer, size) <= 1.0 - TARGET)
        .unwrap_or(CANDIDATES[CANDIDATES.len() - 1])
}

/// The report `sizes` prints.
pub fn render(sizes: &[WorkloadSizes]) -> String {
    let mut text = minimums_table(sizes, Buffer::Stack, "min_stack_buffer");

    text += "\n| DEFAULT_STACK_BUFFER | encodes that fail on stack, spill on stack-spill | bytes spilled |\n\
             |---:|---:|---:|\n";
    for (at, size) in CANDIDATES.into_iter().enumerate() {
        let spilled: u64 = sizes
            .iter()
            .map(|workload| workload.spilled_bytes[at])
            .sum();
        text += &format!(
            "| {size} | {:.2}% | {spilled} |\n",
            100.0 * failure_rate(sizes, Buffer::Stack, size)
        );
    }

    let recommended = recommend(sizes, Buffer::Stack);
    text += &format!(
        "\nrecommended: DEFAULT_STACK_BUFFER={recommended} ({:.2}% of encodes fail on it with \
         `Stack`, or spill with `SpillStack`; build with \
         `DEFAULT_STACK_BUFFER={recommended} cargo bench`)\n",
        100.0 * failure_rate(sizes, Buffer::Stack, recommended)
    );
    text + &render_array_buffer(sizes)
}

/// A row per workload: how many encodes, and the percentiles of `buffer`'s
/// minimums under `heading`.
fn minimums_table(sizes: &[WorkloadSizes], buffer: Buffer, heading: &str) -> String {
    let mut text = format!(
        "| dataset | mode | format | encodes | {heading} (p50) | p90 | p99 | max |\n\
         |---|---|---|---:|---:|---:|---:|---:|\n"
    );
    for workload in sizes {
        let [p50, p90, p99, max] = [50, 90, 99, 100].map(|p| workload.percentile(buffer, p));
        text += &format!(
            "| {} | {} | {} | {} | {p50} | {p90} | {p99} | {max} |\n",
            workload.dataset,
            workload.mode,
            workload.format,
            workload.minimums(buffer).len(),
        );
    }
    text
}

/// The musli 0.2 part of the report: the smallest `ArrayBuffer` for its
/// `Slice`, the share that fails on each candidate, and the size to use.
fn render_array_buffer(sizes: &[WorkloadSizes]) -> String {
    let mut text = "\n## musli 0.2's `Slice`\n\n".to_owned();
    text += &minimums_table(sizes, Buffer::Array, "min ArrayBuffer");
    text += "\n| ArrayBuffer | encodes that fail on musli 0.2's Slice |\n|---:|---:|\n";
    for size in CANDIDATES {
        text += &format!(
            "| {size} | {:.2}% |\n",
            100.0 * failure_rate(sizes, Buffer::Array, size)
        );
    }
    let recommended = recommend(sizes, Buffer::Array);
    text += &format!(
        "\nrecommended: DEFAULT_ARRAY_BUFFER={recommended}, that is `ArrayBuffer::<{recommended}>` \
         for musli 0.2's `Slice` ({:.2}% of encodes fail on it; musli's own default is {}); \
         beside DEFAULT_STACK_BUFFER={} for this crate's Stack\n",
        100.0 * failure_rate(sizes, Buffer::Array, recommended),
        musli_next::alloc::DEFAULT_ARRAY_BUFFER,
        recommend(sizes, Buffer::Stack),
    );
    text
}

/// The chart of the share of encodes that fail on `stack` (spill on
/// `stack-spill`) against the size: a line per mode, every dataset and
/// format together, and one for every encode (what `recommend` reads). Not
/// a line per dataset: all but `messages` are one encode call each, whose
/// lines would only step from 100% to 0 and hide one another.
pub fn chart(sizes: &[WorkloadSizes]) -> String {
    let mut modes: Vec<crate::format::Mode> = Vec::new();
    for workload in sizes {
        if !modes.contains(&workload.mode) {
            modes.push(workload.mode);
        }
    }
    let series_of = |name: String, of: Vec<&WorkloadSizes>| Series {
        name,
        points: CANDIDATES
            .iter()
            .map(|&size| {
                let rate = failure_rate(of.iter().copied(), Buffer::Stack, size);
                (size as f64, rate)
            })
            .collect(),
    };
    let mut series: Vec<Series> = modes
        .iter()
        .map(|&mode| {
            let of = sizes.iter().filter(|workload| workload.mode == mode);
            series_of(format!("{mode} mode"), of.collect())
        })
        .collect();
    series.push(series_of("every encode".to_owned(), sizes.iter().collect()));
    let ticks: Vec<f64> = CANDIDATES.iter().map(|&size| size as f64).collect();
    // The highest share, up to the next quarter.
    let highest = series
        .iter()
        .flat_map(|series| series.points.iter().map(|point| point.1))
        .fold(0.0, f64::max);
    let y_max = ((highest * 4.0).ceil() / 4.0).max(0.25);
    chart::lines(
        "Encodes that fail on Stack, spill on SpillStack",
        "DEFAULT_STACK_BUFFER (bytes)",
        "share of encode calls",
        &ticks,
        y_max,
        &series,
    )
}

/// Measures, prints the report and writes its chart to `out/sizes.svg`.
pub fn run(selection: &Selection, out: &Path) -> Result<(), Exit> {
    let sizes = measure(selection)?;
    let svg = chart(&sizes);
    write_atomically(&out.join("sizes.svg"), svg.as_bytes())?;
    print!("{}", render(&sizes));
    eprintln!("wrote {}/sizes.svg", out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Buffer, CANDIDATES, failure_rate, measure, recommend, render};
    use crate::datasets::{DEFAULT_SEED, Dataset, Name};
    use crate::format::{Format, Mode};
    use crate::harness::cli::Selection;
    use crate::names::Named;

    /// Bytes spill exactly at the sizes some encode does not fit, which
    /// `stack`'s minimums say independently.
    #[test]
    fn bytes_spill_where_and_only_where_an_encode_does_not_fit() {
        let selection = Selection {
            datasets: [Name::Messages, Name::Catalog]
                .into_iter()
                .map(|name| (name.to_string(), Dataset::generate(name, DEFAULT_SEED, 0.1)))
                .collect(),
            formats: vec![Format::Wire],
            modes: Mode::ALL.to_vec(),
            contenders: Vec::new(),
        };
        let sizes = measure(&selection).unwrap();

        let mut seen_spills = false;
        for workload in &sizes {
            let largest = *workload.minimums.last().expect("one encode at least");
            for (at, &size) in CANDIDATES.iter().enumerate() {
                let spilled = workload.spilled_bytes[at];
                let what = format!("{}/{} on {size}", workload.dataset, workload.mode);
                if largest > size {
                    assert!(spilled > 0, "{what}: an encode needs {largest}");
                    seen_spills = true;
                } else {
                    assert_eq!(spilled, 0, "{what}");
                }
            }
        }
        assert!(
            seen_spills,
            "the smallest candidate is too small for some encode"
        );

        let text = render(&sizes);
        assert!(text.contains("| 512 | "), "{text}");
        assert!(failure_rate(&sizes, Buffer::Stack, 512) > 0.0);
        assert!(text.contains("spill with `SpillStack`"), "{text}");
    }

    /// The `ArrayBuffer` minimums are musli 0.2's `Slice`'s own: each
    /// encode fits its minimum and fails 8 bytes below it, and the
    /// recommendation serves the share it promises.
    #[test]
    fn array_buffer_minimums_are_exact_and_the_recommendation_holds() {
        use crate::datasets::NextDataset;
        use crate::sizing::NextSliceAllocator;
        use crate::workload::fits_next;

        let dataset = Dataset::generate(Name::Messages, DEFAULT_SEED, 0.05);
        let selection = Selection {
            datasets: vec![("messages".to_owned(), dataset.clone())],
            formats: vec![Format::Wire],
            modes: vec![Mode::Default],
            contenders: Vec::new(),
        };
        let sizes = measure(&selection).unwrap();
        let NextDataset::Messages(messages) = NextDataset::of(&dataset) else {
            panic!("messages are messages");
        };
        let mut minimums: Vec<usize> = messages
            .iter()
            .map(|message| {
                let fits = |len| {
                    let slice = NextSliceAllocator::MusliSlice;
                    fits_next(slice, Format::Wire, Mode::Default, message, len)
                };
                let minimum = (0..).map(|at| at * 8).find(|&len| fits(len)).unwrap();
                assert!(minimum == 0 || !fits(minimum - 8));
                minimum
            })
            .collect();
        minimums.sort_unstable();
        assert_eq!(sizes[0].array_buffer_minimums, minimums);

        let recommended = recommend(&sizes, Buffer::Array);
        assert!(failure_rate(&sizes, Buffer::Array, recommended) <= 0.01);
        let text = render(&sizes);
        assert!(
            text.contains(&format!("recommended: DEFAULT_ARRAY_BUFFER={recommended}")),
            "{text}"
        );
    }
}
