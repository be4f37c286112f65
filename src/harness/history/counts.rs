//! Building the commits of a range and counting their benches, the cache
//! first: what `history` and `bisect` share.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use crate::bench_id::BenchId;
use crate::datasets::{Origin, Shape};
use crate::harness::compare::{Git, Revision, build_each, is_kept};
use crate::harness::exit::Exit;
use crate::harness::instructions::{count_dataset_matching, valgrind_runs};

use super::cache::{BuildKey, Cache, Entry, Outcome, toolchain};
use super::range::Commit;

/// A commit's counts by bench, or why its build failed.
pub type CommitCounts = Result<BTreeMap<BenchId, f64>, String>;

/// What is counted: which datasets' groups, and which benches of them.
pub struct Counter<'a> {
    git: Git<'a>,
    root: &'a Path,
    cache: Cache,
    toolchain: String,
    origins: Vec<Origin>,
    /// The shape files are read in, when not the one their keys show.
    shape: Option<Shape>,
    filter: Option<String>,
}

impl<'a> Counter<'a> {
    /// Counts the benches `filter` matches (all, without one) of the groups
    /// of `origins`, files read in `shape` or the one their keys show.
    /// Needs valgrind.
    pub fn new(
        root: &'a Path,
        origins: Vec<Origin>,
        shape: Option<Shape>,
        filter: Option<String>,
    ) -> Result<Self, Exit> {
        if !valgrind_runs() {
            return Err(Exit::failed(
                "counting instructions needs valgrind, which did not run (`valgrind --version`)",
            ));
        }
        Ok(Self {
            git: Git { root },
            root,
            cache: Cache::new(&root.join("target/history/counts")),
            toolchain: toolchain()?,
            origins,
            shape,
            filter,
        })
    }

    /// The counts of each of `commits`, in order. What the cache lacks is
    /// built (two at a time) and counted (one process per core), with a
    /// progress bar; a commit whose build fails is marked, and the rest
    /// go on. Returns the counts and how many builds were made (a build
    /// kept from before, `compare`'s too, is not made again).
    pub fn counts(&self, commits: &[Commit]) -> Result<(Vec<CommitCounts>, usize), Exit> {
        let keys: Vec<BuildKey> = commits
            .iter()
            .map(|commit| BuildKey::of(&self.git, &commit.id, &self.toolchain))
            .collect();
        let missing: Vec<(usize, &Origin)> = commits
            .iter()
            .zip(&keys)
            .enumerate()
            .flat_map(|(at, (commit, key))| {
                self.origins
                    .iter()
                    .filter(move |origin| self.kept(commit, key, origin).is_none())
                    .map(move |origin| (at, origin))
            })
            .collect();
        let mut to_build: Vec<usize> = missing.iter().map(|(at, _)| *at).collect();
        to_build.dedup();

        let bar = ProgressBar::new((to_build.len() + missing.len()) as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                .expect("the template is valid"),
        );
        bar.set_message(format!("building {} commits", to_build.len()));
        let revisions: Vec<Revision> = to_build
            .iter()
            .map(|&at| Revision::Commit(commits[at].id.clone()))
            .collect();
        let fresh = revisions
            .iter()
            .filter(|revision| !is_kept(self.root, revision))
            .count();
        let built = build_each(self.root, &self.git, &revisions, |_| bar.inc(1));
        let programs: BTreeMap<usize, Result<PathBuf, Exit>> =
            to_build.iter().copied().zip(built).collect();

        bar.set_message("counting instructions under callgrind");
        let tasks: VecDeque<(usize, &Origin)> = missing.into_iter().collect();
        self.count_all(commits, &keys, &programs, tasks, &bar)?;
        bar.finish_and_clear();

        let counts = commits
            .iter()
            .zip(&keys)
            .map(|(commit, key)| self.gathered(commit, key))
            .collect();
        Ok((counts, fresh))
    }

    /// Runs the counting tasks, one worker per core, each result kept.
    fn count_all(
        &self,
        commits: &[Commit],
        keys: &[BuildKey],
        programs: &BTreeMap<usize, Result<PathBuf, Exit>>,
        tasks: VecDeque<(usize, &Origin)>,
        bar: &ProgressBar,
    ) -> Result<(), Exit> {
        let queue = Mutex::new(tasks);
        let first_failure: Mutex<Option<Exit>> = Mutex::new(None);
        let next_task = || queue.lock().expect("not poisoned").pop_front();
        let workers = std::thread::available_parallelism().map_or(1, |cores| cores.get());
        std::thread::scope(|scope| {
            for worker in 0..workers {
                let (next_task, first_failure) = (&next_task, &first_failure);
                scope.spawn(move || {
                    while let Some((at, origin)) = next_task() {
                        let outcome = match &programs[&at] {
                            Err(failure) => Outcome::BuildFailed(failure.message.clone()),
                            Ok(program) => {
                                let scratch = self.scratch(worker);
                                match self.count(program, &scratch, origin) {
                                    Ok(counts) => Outcome::Counts(counts),
                                    Err(failure) => {
                                        first_failure
                                            .lock()
                                            .expect("not poisoned")
                                            .get_or_insert(failure);
                                        continue;
                                    }
                                }
                            }
                        };
                        let entry = Entry {
                            build: keys[at].clone(),
                            dataset: self.dataset_key(origin),
                            filter: self.filter.clone(),
                            outcome,
                        };
                        if let Err(failure) = self.cache.put(&commits[at].id, entry) {
                            first_failure
                                .lock()
                                .expect("not poisoned")
                                .get_or_insert(failure);
                        }
                        bar.inc(1);
                    }
                });
            }
        });
        match first_failure.into_inner().expect("not poisoned") {
            Some(failure) => Err(failure),
            None => Ok(()),
        }
    }

    fn scratch(&self, worker: usize) -> PathBuf {
        self.root
            .join("target/history/scratch")
            .join(worker.to_string())
    }

    /// The counts of `origin`'s benches by `program`, under callgrind.
    fn count(
        &self,
        program: &Path,
        scratch: &Path,
        origin: &Origin,
    ) -> Result<BTreeMap<String, f64>, Exit> {
        let _ = std::fs::remove_dir_all(scratch);
        std::fs::create_dir_all(scratch)
            .map_err(|error| Exit::failed(format!("cannot make {}: {error}", scratch.display())))?;
        let counts =
            count_dataset_matching(program, scratch, origin, self.shape, self.filter.as_deref())?;
        Ok(counts
            .into_iter()
            .map(|(bench, count)| (bench.to_string(), count))
            .collect())
    }

    fn kept(&self, commit: &Commit, key: &BuildKey, origin: &Origin) -> Option<Outcome> {
        self.cache.get(
            &commit.id,
            key,
            &self.dataset_key(origin),
            self.filter.as_deref(),
        )
    }

    /// How the cache names the dataset counted: its argument, and the
    /// shape a file was read in when one was chosen.
    fn dataset_key(&self, origin: &Origin) -> String {
        match (origin, self.shape) {
            (Origin::File(_), Some(shape)) => format!("{} --shape {shape}", origin.argument()),
            _ => origin.argument(),
        }
    }

    /// A commit's counts over every dataset, from the cache.
    fn gathered(&self, commit: &Commit, key: &BuildKey) -> CommitCounts {
        let mut all = BTreeMap::new();
        for origin in &self.origins {
            match self.kept(commit, key, origin) {
                Some(Outcome::Counts(counts)) => {
                    for (bench, count) in counts {
                        // Written by this harness, so parsed back.
                        if let Ok(bench) = bench.parse::<BenchId>() {
                            all.insert(bench, count);
                        }
                    }
                }
                Some(Outcome::BuildFailed(message)) => return Err(message),
                None => {}
            }
        }
        Ok(all)
    }
}
