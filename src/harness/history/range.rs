//! The commits of a range: `BASE..HEAD`'s first-parent commits, oldest
//! first, with BASE before them as the point each step is measured from.

use crate::harness::compare::Git;
use crate::harness::exit::Exit;

/// A commit of the range.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Commit {
    /// Its full ID.
    pub id: String,
    /// The first line of its message.
    pub subject: String,
}

impl Commit {
    /// Its ID as the pages show it.
    pub fn short(&self) -> &str {
        &self.id[..self.id.len().min(10)]
    }
}

/// The two ends of `range` (`BASE..HEAD`), each a commit git knows.
pub fn ends(range: &str) -> Result<(&str, &str), Exit> {
    match range.split_once("..") {
        Some((base, head)) if !base.is_empty() && !head.is_empty() && !head.starts_with('.') => {
            Ok((base, head))
        }
        _ => Err(Exit::bad_input(format!(
            "{range:?} is not a range; accepted: BASE..HEAD, two revisions git knows \
             (for example main~20..main)"
        ))),
    }
}

/// BASE, then every first-parent commit after it up to HEAD, oldest first.
/// An empty range (HEAD is BASE or comes before it) is bad input.
pub fn first_parent(git: &Git<'_>, base: &str, head: &str) -> Result<Vec<Commit>, Exit> {
    let base_id = git.resolve(base)?;
    let head_id = git.resolve(head)?;
    let listed = git.output(&[
        "rev-list",
        "--first-parent",
        "--reverse",
        &format!("{base_id}..{head_id}"),
    ])?;
    let after: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    if after.is_empty() {
        return Err(Exit::bad_input(format!(
            "{base}..{head} holds no commit; accepted: a range whose HEAD comes after its BASE"
        )));
    }
    std::iter::once(base_id)
        .chain(after)
        .map(|id| {
            let shown = git.output(&["show", "-s", "--format=%s", &id])?;
            let subject = String::from_utf8_lossy(&shown.stdout).trim().to_owned();
            Ok(Commit { id, subject })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ends;

    #[test]
    fn a_range_has_two_ends() {
        assert_eq!(ends("main~20..main").unwrap(), ("main~20", "main"));
        for bad in ["main", "..main", "main..", "a...b"] {
            let error = ends(bad).expect_err(bad);
            assert_eq!(error.code, crate::harness::ExitCode::BadInput, "{bad}");
            assert!(error.message.contains("accepted: BASE..HEAD"), "{bad}");
        }
    }
}
