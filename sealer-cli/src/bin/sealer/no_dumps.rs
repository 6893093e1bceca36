//! Passphrases and keys are in this process's memory while it runs: a
//! crash must not write them to a core file, and another program of the
//! same user must not read them by attaching a debugger. Set once, first
//! thing, for every command.

/// Turns off core dumps (the soft and hard limits to 0) and, on Linux,
/// marks the process not dumpable (which also refuses `ptrace` by other
/// processes of the user). Failures are ignored: the command still runs,
/// as it would on a system without these controls.
pub(crate) fn forbid_core_dumps() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, setrlimit};
        let _ = setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: Some(0),
            },
        );
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{DumpableBehavior, set_dumpable_behavior};
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rustix::process::{DumpableBehavior, Resource, dumpable_behavior, getrlimit};

    #[test]
    fn no_core_file_and_no_debugger_of_the_same_user() {
        forbid_core_dumps();
        let limit = getrlimit(Resource::Core);
        assert_eq!((limit.current, limit.maximum), (Some(0), Some(0)));
        assert_eq!(dumpable_behavior().unwrap(), DumpableBehavior::NotDumpable);
    }
}
