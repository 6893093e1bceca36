//! The audit log of `sealer wrap`: one JSON object per line and message,
//! saying what became of it and why. It records addressing and decisions,
//! never a passphrase, a subject or any content.

use std::path::{Path, PathBuf};

use sealer::files::JsonLines;
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
    /// `sealed`, `passed`, `refused` (bounced), `quarantined` or
    /// `deferred` (retried); for `unwrap`, `opened`, `passed`, `warned`,
    /// `refused`, `quarantined` or `deferred`.
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
    pub(crate) envelope_bytes: Option<u64>,
    /// For `unwrap`: the envelope a reply answers (hex id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) answers: Option<String>,
    /// For `unwrap`: the fingerprint of the reply key that opened it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reply_key: Option<String>,
    /// For `unwrap`: where the sealed reply was archived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) archived: Option<PathBuf>,
    /// What the content rules found, when the policy has `[content]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) content: Option<ContentAudit>,
    /// What the virus scan found, when the policy has `[scan]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) scan: Option<super::scanning::ScanAudit>,
    /// The sysexits code and the reason, for a message that failed.
    pub(crate) exit_code: Option<u8>,
    pub(crate) error: Option<String>,
}

/// What the content rules found in a message: the names of the rules
/// that fired, never what they matched.
#[derive(Debug, Default, Serialize)]
pub(crate) struct ContentAudit {
    /// The rules that fired (`payment-card`, `pattern patient-id`,
    /// `keywords`).
    pub(crate) fired: Vec<String>,
    /// How many attachments that should have had text could not be read.
    pub(crate) unreadable: usize,
    /// Set when the message was too large to be read at all.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) too_large: bool,
}

/// The log file, opened for appending.
#[derive(Debug)]
pub(crate) struct AuditLog {
    lines: JsonLines,
}

impl AuditLog {
    /// Opens (or creates, readable by its owner only) the log at `path`.
    pub(crate) fn open(path: &Path) -> Result<AuditLog, GatewayFailure> {
        let lines = JsonLines::open(path).map_err(|err| {
            GatewayFailure::new(
                Sysexit::TempFail,
                format!("cannot open the audit log {}: {err}", path.display()),
            )
        })?;
        Ok(AuditLog { lines })
    }

    /// Appends `record` as one line, in one write: lines from filters
    /// running side by side do not interleave (O_APPEND).
    pub(crate) fn append(&mut self, record: &Record) -> Result<(), GatewayFailure> {
        self.lines.append(record).map_err(|err| {
            GatewayFailure::new(
                Sysexit::TempFail,
                format!(
                    "cannot write the audit log {}: {err}",
                    self.lines.path().display()
                ),
            )
        })
    }
}

/// Now, in UTC, as RFC 3339.
pub(crate) fn now() -> String {
    envelope_core::MessageDate::now().to_rfc3339()
}
