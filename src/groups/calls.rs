//! The runs `calls` counts on a replay group: where a contender's
//! instructions go, by kind of allocator call.

use std::hint::black_box;

use crate::contenders::{Contender, Kind};
use crate::trace::{Replay, ReplayByCall, Trace};

use super::{Group, GroupError, Measures};

/// What one of a contender's runs on a replayed trace holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::Display, strum::EnumString)]
#[strum(serialize_all = "kebab-case")]
pub enum CallRun {
    /// The replay as the bench times it: everything.
    Whole,
    /// The replay with each kind of call in a function of its own.
    ByCall,
    /// A replay of no calls: building the allocator and dropping it.
    Build,
}

impl CallRun {
    /// Every run, in the order they are made.
    pub const ALL: [CallRun; 3] = [CallRun::Whole, CallRun::ByCall, CallRun::Build];
}

/// No calls at all.
static NO_CALLS: Trace = Trace::new();

impl Group<'_> {
    /// The calls a replay group replays.
    pub fn trace_calls(&self) -> Result<&Trace, GroupError> {
        Ok(self.replayed()?.0)
    }

    /// The trace and source of a replay group; an error for any other.
    fn replayed(&self) -> Result<(&Trace, &[u8]), GroupError> {
        let Measures::Replay { .. } = self.measures else {
            return Err(GroupError(format!("{}: not a replayed trace", self.id())));
        };
        self.trace()
    }

    /// The runs of [`CallRun::ALL`] of `kind` on this replay group, each
    /// checked once: every call of the trace must succeed.
    pub fn call_runs(&self, kind: Kind) -> Result<Vec<Box<dyn FnMut() + '_>>, GroupError> {
        let (trace, source) = self.replayed()?;
        let sizing = self.sizing()?;
        let mut runs: Vec<Box<dyn FnMut() + '_>> = Vec::new();
        for run in CallRun::ALL {
            let mut contender = kind.build(&sizing);
            let mut once = move || match run {
                CallRun::Whole => contender.run(Replay { trace, source }),
                CallRun::ByCall => contender.run(ReplayByCall(Replay { trace, source })),
                CallRun::Build => contender.run(Replay {
                    trace: &NO_CALLS,
                    source,
                }),
            };
            if let Some(at) = once() {
                return Err(GroupError(format!(
                    "{}: call {at} failed on {kind}",
                    self.id().bench(kind)
                )));
            }
            runs.push(Box::new(move || assert_eq!(black_box(once()), None)));
        }
        Ok(runs)
    }
}
