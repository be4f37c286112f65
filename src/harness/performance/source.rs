//! Where a performance report's figures come from, and how the report
//! words them.

use crate::bench_id::BenchId;
use crate::harness::rounds::{ROUNDS_PER_PROCESS, TURN};

/// The figure per run of a bench, where there is one: nanoseconds, or
/// instructions with [`Source::Instructions`].
pub type Figures<'a> = dyn Fn(&BenchId) -> Option<f64> + 'a;

/// Where a report's figures come from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// The medians of the last `cargo bench` run.
    Criterion,
    /// Each contender's fastest run, timed in turns now, over this many
    /// rounds.
    Turns {
        /// Rounds per group.
        rounds: usize,
    },
    /// The instructions of one run of each contender, counted by valgrind's
    /// callgrind.
    Instructions,
}

impl Source {
    /// The Markdown report's file name.
    pub fn file_name(self) -> &'static str {
        match self {
            Source::Criterion => "performance.md",
            Source::Turns { .. } => "performance-turns.md",
            Source::Instructions => "performance-instructions.md",
        }
    }

    /// The title of the report's chart.
    pub fn chart_title(self) -> String {
        format!(
            "stack and stack-spill against each contender: {}",
            self.measured_by()
        )
    }

    /// The title of the chart of the musli 0.2 section.
    pub fn next_chart_title(self) -> String {
        format!(
            "musli 0.2: stack-spill against musli's Global and Slice: {}",
            self.measured_by()
        )
    }

    fn measured_by(self) -> &'static str {
        match self {
            Source::Criterion => "criterion medians",
            Source::Turns { .. } => "timed in turns",
            Source::Instructions => "instructions",
        }
    }

    /// The unit of the figures, as the JSON report names it.
    pub fn unit(self) -> &'static str {
        match self {
            Source::Instructions => "instructions",
            Source::Criterion | Source::Turns { .. } => "nanoseconds",
        }
    }

    /// Whether the figures are instruction counts rather than times.
    pub fn counts_instructions(self) -> bool {
        matches!(self, Source::Instructions)
    }

    /// One encode run's figure, as the table shows it.
    pub fn encode_figure(self, figure: f64) -> String {
        match self {
            Source::Instructions => format!("{:.3}M", figure / 1e6),
            Source::Criterion | Source::Turns { .. } => format!("{:.3} ms", figure / 1e6),
        }
    }

    /// The contender with the lowest figure, as the replay table names it.
    pub fn best(self) -> &'static str {
        match self {
            Source::Instructions => "fewest",
            Source::Criterion | Source::Turns { .. } => "fastest",
        }
    }

    /// One replay's figure, as the table shows it.
    pub fn replay_figure(self, figure: f64) -> String {
        match self {
            Source::Instructions => format!("{:.3}M", figure / 1e6),
            Source::Criterion | Source::Turns { .. } => format!("{:.1} µs", figure / 1e3),
        }
    }

    /// The report's first paragraph: what the ratios are of, where they
    /// were taken, and the command that gives them.
    pub fn method(self) -> String {
        let (what, command) = match self {
            Source::Criterion => (
                "Ratios of criterion medians from one `cargo bench` run".to_owned(),
                "cargo bench --bench encode && cargo bench --bench patterns && \
                 cargo run --release -- performance"
                    .to_owned(),
            ),
            Source::Turns { rounds } => (
                format!(
                    "Ratios of each contender's time, the contenders of a group timed in \
                     turns, {rounds} rounds of about {} ms each, {} rounds to a worker process; \
                     a contender's time is the lower quartile over the processes of its fastest run",
                    TURN.as_millis(),
                    ROUNDS_PER_PROCESS
                ),
                format!("cargo run --release -- performance --turns --rounds {rounds}"),
            ),
            Source::Instructions => (
                "Ratios of instructions per run, counted by valgrind's callgrind in one run \
                 of each contender after an uncounted one"
                    .to_owned(),
                "cargo run --release -- performance --instructions".to_owned(),
            ),
        };
        let caveat = match self {
            Source::Instructions => {
                "\n\nOne build counts the same on every run. The counts leave out what \
                 caches, 4K aliasing and mispredicted branches cost, which the timed reports \
                 keep."
            }
            Source::Criterion | Source::Turns { .. } => "",
        };
        format!(
            "{what} (lower is better; **bold** misses the target). Machine: {}.\n\n\
             Reproduce: `{command}`.{caveat}",
            machine()
        )
    }
}

/// What the machine is, as far as the kernel says.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|name| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |cores| cores.get());
    format!("{cpu}, {cores} cores, {}", std::env::consts::OS)
}
