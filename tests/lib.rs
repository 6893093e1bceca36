//! Cross-crate end-to-end tests live in `tests/`; the shared test vectors
//! (run by every implementation of the format) in `vectors/`; the browser
//! benchmark in `bench/`. This library holds what they share.
#![forbid(unsafe_code)]

pub mod axe;
pub mod clamd;
pub mod hostile;
pub mod site_server;
pub mod webdriver;

use std::path::Path;

/// An empty scratch folder for one test, `<temp>/<suite>-<pid>-<name>`
/// (emptied if a run before left it).
#[allow(clippy::unwrap_used)] // test support: a failure is a failed test
pub fn scratch(suite: &str, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{suite}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `sealer` binary of this build (built if this test runs alone).
#[allow(clippy::unwrap_used)] // test support: a failure is a failed test
pub fn sealer_command() -> std::process::Command {
    let profile_dir = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .to_path_buf();
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") => "dev".to_owned(),
        Some(other) => other.to_owned(),
        None => "dev".to_owned(),
    };
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "-p",
            "sealer-cli",
            "--bin",
            "sealer",
            "--profile",
            &profile,
        ])
        .status()
        .unwrap();
    assert!(status.success(), "cannot build the sealer command");
    std::process::Command::new(profile_dir.join("sealer"))
}
