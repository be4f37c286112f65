//! How a command ends when it does not succeed: one line for the user and
//! an exit code that says whose the fault was.
//!
//! The code is decided by type where the error is made, never by what
//! happened to carry it: bad input (a name, a file, a revision, an option
//! the user gave) is [`ExitCode::BadInput`]; a build, a tool or a write
//! that failed is [`ExitCode::Failed`]. Only errors that are about the
//! user's input convert on their own (`?`); everything else says which it
//! is.

use std::fmt;

use crate::bench_id::BadId;
use crate::datasets::files::FileError;
use crate::format::EncodeFailed;
use crate::groups::GroupError;
use crate::names::UnknownName;

/// The process's exit code when a command does not succeed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// A run failed: a build, valgrind, a worker, a write.
    Failed = 1,
    /// The input was bad: nothing was measured or written.
    BadInput = 2,
    /// `compare --fail-on-regression` found a bench of ours slower.
    Regressed = 3,
}

/// A command that did not succeed: the line to print and the exit code.
#[derive(Debug)]
pub struct Exit {
    /// The line for the user.
    pub message: String,
    /// The process's exit code.
    pub code: ExitCode,
}

impl Exit {
    /// A run that failed: exit code 1.
    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: ExitCode::Failed,
        }
    }

    /// Bad input: exit code 2. `message` names what was wrong and what is
    /// accepted.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: ExitCode::BadInput,
        }
    }
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<FileError> for Exit {
    fn from(error: FileError) -> Self {
        Self::bad_input(error.to_string())
    }
}

impl From<UnknownName> for Exit {
    fn from(error: UnknownName) -> Self {
        Self::bad_input(error.to_string())
    }
}

impl From<BadId> for Exit {
    fn from(error: BadId) -> Self {
        Self::bad_input(error.to_string())
    }
}

/// A group that gave no runner failed to encode or wrote other bytes than
/// the reference: the run failed, whatever the input.
impl From<GroupError> for Exit {
    fn from(error: GroupError) -> Self {
        Self::failed(error.to_string())
    }
}

/// musli's encoder failed: the run failed, whatever the input.
impl From<EncodeFailed> for Exit {
    fn from(error: EncodeFailed) -> Self {
        Self::failed(error.to_string())
    }
}
