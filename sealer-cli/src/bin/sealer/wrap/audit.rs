//! The audit log of `sealer wrap`: one JSON object per line and message,
//! saying what became of it and why. It records addressing and decisions,
//! never a passphrase, a subject or any content.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::sysexits::{GatewayFailure, Sysexit};

/// One line of the log.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Record {
    /// When, in UTC (RFC 3339).
    pub(crate) time: String,
    /// The message's Message-ID, as it was.
    pub(crate) message_id: Option<String>,
    /// The SMTP envelope sender, or the From header's address.
    pub(crate) sender: String,
    /// The recipients the policy was applied to.
    pub(crate) recipients: Vec<String>,
    /// `sealed`, `passed`, `refused` (bounced) or `deferred` (retried).
    pub(crate) action: &'static str,
    /// The rule that fired, or why the message passed.
    pub(crate) rule: Option<String>,
    /// Where the passphrase came from: `generated` or `recipient-files`.
    pub(crate) passphrase: Option<&'static str>,
    /// The file holding a generated passphrase for the sender.
    pub(crate) delivery_file: Option<PathBuf>,
    /// The size of the original message, in bytes.
    pub(crate) message_bytes: u64,
    /// The size of the envelope, in bytes.
    pub(crate) envelope_bytes: Option<usize>,
    /// The sysexits code and the reason, for a message that failed.
    pub(crate) exit_code: Option<u8>,
    pub(crate) error: Option<String>,
}

/// The log file, opened for appending.
#[derive(Debug)]
pub(crate) struct AuditLog {
    file: File,
    path: PathBuf,
}

impl AuditLog {
    /// Opens (or creates, readable by its owner only) the log at `path`.
    pub(crate) fn open(path: &Path) -> Result<AuditLog, GatewayFailure> {
        let mut options = OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(path).map_err(|err| {
            GatewayFailure::new(
                Sysexit::TempFail,
                format!("cannot open the audit log {}: {err}", path.display()),
            )
        })?;
        Ok(AuditLog {
            file,
            path: path.to_owned(),
        })
    }

    /// Appends `record` as one line, in one write: lines from filters
    /// running side by side do not interleave (O_APPEND).
    pub(crate) fn append(&mut self, record: &Record) -> Result<(), GatewayFailure> {
        let failed = |err: String| {
            GatewayFailure::new(
                Sysexit::TempFail,
                format!("cannot write the audit log {}: {err}", self.path.display()),
            )
        };
        let mut line = serde_json::to_vec(record).map_err(|err| failed(err.to_string()))?;
        line.push(b'\n');
        self.file
            .write_all(&line)
            .and_then(|()| self.file.sync_data())
            .map_err(|err| failed(err.to_string()))
    }
}

/// Now, in UTC, as RFC 3339.
pub(crate) fn now() -> String {
    envelope_core::MessageDate::now().to_rfc3339()
}
