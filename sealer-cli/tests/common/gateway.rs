//! A mail gateway in a scratch folder: its policy, its passphrase folder,
//! `sealer wrap` run in it, and its audit log.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{scratch, sealer};

/// A folder with `policy.toml` (`rules` and `passphrase` tables as given)
/// and an empty, private `passphrases/` folder.
pub(crate) fn gateway(name: &str, policy: &str) -> PathBuf {
    let dir = scratch(name);
    let passphrases = dir.join("passphrases");
    fs::create_dir(&passphrases).unwrap();
    private(&passphrases, 0o700);
    fs::write(dir.join("policy.toml"), policy).unwrap();
    dir
}

pub(crate) fn private(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

pub(crate) const GENERATE: &str = r#"
internal_domains = ["clinic.example"]
[seal]
subject_tags = ["[secure]"]
[passphrase]
source = "generate"
dir = "passphrases"
[envelope]
label = "Secure message from Example Clinic"
"#;

/// `sealer wrap --policy policy.toml` in `dir`.
pub(crate) fn wrap(dir: &Path) -> assert_cmd::Command {
    let mut command = sealer(dir);
    command.args(["wrap", "--policy", "policy.toml"]);
    command
}

/// [`wrap`] with `--audit-log audit.jsonl`.
pub(crate) fn wrap_logged(dir: &Path) -> assert_cmd::Command {
    let mut command = wrap(dir);
    command.args(["--audit-log", "audit.jsonl"]);
    command
}

/// The audit log's lines.
pub(crate) fn audit(dir: &Path) -> Vec<Value> {
    fs::read_to_string(dir.join("audit.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}
