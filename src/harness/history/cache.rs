//! The instruction counts of each commit, kept between runs.
//!
//! A count is the same on every run of one build, and a build is fixed by
//! its commit, the toolchain (`rustc -vV`) and the locked dependencies
//! (`Cargo.lock` at that commit). So a count is kept under those, with the
//! dataset and the filter it was taken for, in
//! `target/history/counts/{commit}.json`; a run that finds it neither
//! builds nor counts that commit again. A build that failed is kept too:
//! the same sources with the same toolchain fail the same way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::compare::Git;
use crate::harness::exit::Exit;
use crate::harness::output::write_atomically;

/// What a build is fixed by, besides its commit.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BuildKey {
    /// `rustc -vV`.
    pub toolchain: String,
    /// A hash of the commit's `Cargo.lock` (FNV-1a, 64 bits, in hex).
    pub lock: String,
}

impl BuildKey {
    /// The key of `commit`'s build with the toolchain `toolchain`.
    pub fn of(git: &Git<'_>, commit: &str, toolchain: &str) -> Self {
        let lock = git.show(commit, "Cargo.lock").unwrap_or_default();
        Self {
            toolchain: toolchain.to_owned(),
            lock: format!("{:016x}", fnv1a(lock.as_bytes())),
        }
    }
}

/// `rustc -vV`, the toolchain cargo builds with here.
pub fn toolchain() -> Result<String, Exit> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .arg("-vV")
        .output()
        .map_err(|error| Exit::failed(format!("cannot run rustc -vV: {error}")))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// FNV-1a: a hash that is the same on every machine and release, unlike
/// std's.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What is kept of one commit: counts per dataset and filter, or the
/// failure of its build.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// The build.
    pub build: BuildKey,
    /// The dataset argument the counts were taken with.
    pub dataset: String,
    /// The filter they were taken with, if any.
    pub filter: Option<String>,
    /// Instructions per run, by bench ID; or why the build failed.
    pub outcome: Outcome,
}

/// A commit's counts, or why it has none.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Instructions per run, by bench ID.
    Counts(BTreeMap<String, f64>),
    /// The build failed, with this message.
    BuildFailed(String),
}

/// The counts kept under `dir` (`target/history/counts/`).
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache in `dir`.
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
        }
    }

    fn file(&self, commit: &str) -> PathBuf {
        self.dir.join(format!("{commit}.json"))
    }

    fn entries(&self, commit: &str) -> Vec<Entry> {
        std::fs::read_to_string(self.file(commit))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// What is kept of `commit` for this build, dataset and filter: the
    /// counts, or a build failure for that build whatever the dataset.
    pub fn get(
        &self,
        commit: &str,
        build: &BuildKey,
        dataset: &str,
        filter: Option<&str>,
    ) -> Option<Outcome> {
        let entries = self.entries(commit);
        let same_build = entries.iter().filter(|entry| entry.build == *build);
        same_build
            .clone()
            .find(|entry| matches!(entry.outcome, Outcome::BuildFailed(_)))
            .or_else(|| {
                same_build
                    .clone()
                    .find(|entry| entry.dataset == dataset && entry.filter.as_deref() == filter)
            })
            .map(|entry| entry.outcome.clone())
    }

    /// Keeps `entry` for `commit`, in place of one with the same key.
    pub fn put(&self, commit: &str, entry: Entry) -> Result<(), Exit> {
        let mut entries = self.entries(commit);
        entries.retain(|kept| {
            (&kept.build, &kept.dataset, &kept.filter)
                != (&entry.build, &entry.dataset, &entry.filter)
        });
        entries.push(entry);
        std::fs::create_dir_all(&self.dir).map_err(|error| {
            Exit::failed(format!("cannot make {}: {error}", self.dir.display()))
        })?;
        let json = serde_json::to_string_pretty(&entries).expect("plain data serializes");
        write_atomically(&self.file(commit), json.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_found_under_its_whole_key_only() {
        let dir = std::env::temp_dir().join(format!("history-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cache = Cache::new(&dir);
        let build = BuildKey {
            toolchain: "rustc 1.91".to_owned(),
            lock: "00ff".to_owned(),
        };
        let counts = Outcome::Counts(BTreeMap::from([("patterns/churn/stack".to_owned(), 5.0)]));
        let entry = |dataset: &str, outcome: Outcome| Entry {
            build: build.clone(),
            dataset: dataset.to_owned(),
            filter: Some("churn".to_owned()),
            outcome,
        };
        cache.put("abc", entry("messages", counts.clone())).unwrap();

        assert_eq!(
            cache.get("abc", &build, "messages", Some("churn")),
            Some(counts.clone())
        );
        assert_eq!(
            cache.get("abc", &build, "messages", None),
            None,
            "another filter"
        );
        assert_eq!(
            cache.get("abc", &build, "geo", Some("churn")),
            None,
            "another dataset"
        );
        assert_eq!(
            cache.get("abd", &build, "messages", Some("churn")),
            None,
            "another commit"
        );
        let newer = BuildKey {
            toolchain: "rustc 1.92".to_owned(),
            ..build.clone()
        };
        assert_eq!(
            cache.get("abc", &newer, "messages", Some("churn")),
            None,
            "another toolchain"
        );

        // A failed build answers for every dataset of that build.
        let failed = Outcome::BuildFailed("error[E0308]".to_owned());
        cache.put("abc", entry("geo", failed.clone())).unwrap();
        assert_eq!(cache.get("abc", &build, "social", None), Some(failed));
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
