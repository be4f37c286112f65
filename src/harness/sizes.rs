//! `sizes`: the smallest `StackBuffer` each workload needs, and a
//! recommended `DEFAULT_STACK_BUFFER`.

use crate::contenders::Kind;
use crate::format::Format;
use crate::workload::Workload;

use super::{Failure, Selection};

/// The candidate sizes: powers of two from 512 B to 64 KiB.
const CANDIDATES: [usize; 8] = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

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
}

impl WorkloadSizes {
    /// The `p`-th percentile (0 to 100) of the minimums, nearest rank.
    pub fn percentile(&self, p: usize) -> usize {
        let rank = (p * self.minimums.len()).div_ceil(100).max(1);
        self.minimums[rank - 1]
    }
}

/// Measures the minimums of every selected workload, in `wire` and
/// `descriptive` unless formats were chosen.
pub fn measure(selection: &Selection) -> Result<Vec<WorkloadSizes>, Failure> {
    let mut sizes = Vec::new();
    for (label, dataset) in &selection.datasets {
        for &mode in &selection.modes {
            for &format in &selection.formats {
                let workload = Workload::new(dataset, format, mode);
                let mut minimums = workload
                    .min_slices(Kind::Stack)
                    .expect("stack serves from a slice");
                minimums.sort_unstable();
                sizes.push(WorkloadSizes {
                    dataset: label.clone(),
                    mode,
                    format,
                    minimums,
                });
            }
        }
    }
    Ok(sizes)
}

/// The share of all encode calls that fail on a buffer of `size` bytes.
pub fn failure_rate(sizes: &[WorkloadSizes], size: usize) -> f64 {
    let total: usize = sizes.iter().map(|workload| workload.minimums.len()).sum();
    let failing: usize = sizes
        .iter()
        .map(|workload| {
            workload
                .minimums
                .iter()
                .filter(|&&minimum| minimum > size)
                .count()
        })
        .sum();
    failing as f64 / total.max(1) as f64
}

/// The smallest candidate that serves at least 99% of encode calls, or the
/// largest candidate if none does.
pub fn recommend(sizes: &[WorkloadSizes]) -> usize {
    CANDIDATES
        .into_iter()
        .find(|&size| failure_rate(sizes, size) <= 1.0 - TARGET)
        .unwrap_or(CANDIDATES[CANDIDATES.len() - 1])
}

/// The report `sizes` prints.
pub fn render(sizes: &[WorkloadSizes]) -> String {
    let mut text = String::from(
        "| dataset | mode | format | encodes | min_stack_buffer (p50) | p90 | p99 | max |\n\
         |---|---|---|---:|---:|---:|---:|---:|\n",
    );
    for workload in sizes {
        text += &format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            workload.dataset,
            workload.mode,
            workload.format,
            workload.minimums.len(),
            workload.percentile(50),
            workload.percentile(90),
            workload.percentile(99),
            workload.percentile(100),
        );
    }

    text += "\n| DEFAULT_STACK_BUFFER | encodes that fail |\n|---:|---:|\n";
    for size in CANDIDATES {
        text += &format!("| {size} | {:.2}% |\n", 100.0 * failure_rate(sizes, size));
    }

    let recommended = recommend(sizes);
    text += &format!(
        "\nrecommended: DEFAULT_STACK_BUFFER={recommended} ({:.2}% of encodes fail on it; \
         build with `DEFAULT_STACK_BUFFER={recommended} cargo bench`)\n",
        100.0 * failure_rate(sizes, recommended)
    );
    text
}

/// Measures and prints.
pub fn run(selection: &Selection) -> Result<(), Failure> {
    print!("{}", render(&measure(selection)?));
    Ok(())
}
