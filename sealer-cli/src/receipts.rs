//! The sender's side of proof of receipt: the sent-log that `sealer seal`
//! appends to when an envelope asks for a receipt, and the lookup that tells
//! which envelope a receipt code names and through which key slot it was
//! opened.
//!
//! The log is JSON lines, one [`SentEntry`] per envelope, created readable by
//! its owner only. It holds what identifies each envelope to its sender
//! (when, to whom, the subject) and, per passphrase slot, a hash of that
//! slot's receipt code ([`envelope_core::ReceiptRecord`]): nothing in it
//! opens an envelope or makes a receipt code.
//!
//! ```
//! # let dir = std::env::temp_dir().join(format!("sent-log-doc-{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&dir);
//! use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_with_receipt};
//! use sealer::receipts::{SentEntry, SentLog, find_receipt};
//!
//! let options = SealOptions::new()
//!     .passphrase(Passphrase::new("stuffed-blame-ripcord-emporium-crimp-gatherer"))
//!     .request_receipt("records@clinic.example");
//! # let options = options.kdf(KdfParams { m_kib: 64, t: 1, p: 1 }); // fast doctest
//! let message = Message::new().to("alex@example.org").subject("Your results");
//! let (envelope, record) = seal_with_receipt(message, &options, Vec::new())?;
//! let log = dir.join("sent-log.jsonl");
//! let mut entry = SentEntry::new(&record, &["the passphrase for alex@example.org"]);
//! entry.to = vec!["alex@example.org".into()];
//! entry.subject = "Your results".into();
//! SentLog::open(&log)?.append(&entry)?;
//!
//! // The recipient opens it and sends back the code…
//! let opened = envelope_core::open(&envelope, &Passphrase::new("stuffed-blame-ripcord-emporium-crimp-gatherer"))?;
//! let code = opened.receipt.expect("a receipt was asked for").code;
//! // …which the sender looks up.
//! let found = find_receipt(&log, &code)?.expect("recognised");
//! assert_eq!(found.entry.subject, "Your results");
//! assert_eq!(found.slot.slot, 0);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use envelope_core::{MessageDate, ReceiptCode, ReceiptRecord, SlotCheck};
use serde::{Deserialize, Serialize};

use crate::files::JsonLines;
use crate::{Error, ErrorKind, Result};

/// The longest line the lookup reads (an entry is a few kilobytes; a longer
/// line is not one of ours).
const MAX_LINE_LEN: u64 = 1024 * 1024;

/// One envelope that asks for a receipt, as its sender logged it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentEntry {
    /// When it was sealed, in UTC (RFC 3339).
    pub sealed: String,
    /// The envelope's id: SHA-256 of its header, in hex
    /// ([`envelope_core::envelope_id`]).
    pub envelope: String,
    /// The file it was written to, if any.
    pub output: Option<PathBuf>,
    /// The message's sender, recipients and subject, as sealed.
    pub from: String,
    /// To recipients.
    pub to: Vec<String>,
    /// Cc recipients.
    pub cc: Vec<String>,
    /// Subject.
    pub subject: String,
    /// Where the receipt was asked for (empty when no receipt was).
    #[serde(default)]
    pub receipt_to: String,
    /// Where secure replies were asked to go, if they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// One per passphrase slot, in slot order.
    pub slots: Vec<SlotEntry>,
}

/// One passphrase slot of a logged envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotEntry {
    /// Index in the envelope header's slots.
    pub slot: usize,
    /// Whose passphrase opens it, in words ("the passphrase generated for
    /// alex@example.org").
    pub passphrase: String,
    /// The check value of the slot's receipt code, in hex.
    pub check: String,
}

impl SentEntry {
    /// The entry for an envelope sealed now with `record`: `passphrases`
    /// says, slot by slot, whose passphrase each one is. Fill in the
    /// message's addressing, subject and output file, which identify the
    /// envelope to its sender.
    pub fn new(record: &ReceiptRecord, passphrases: &[&str]) -> SentEntry {
        SentEntry {
            sealed: MessageDate::now().to_rfc3339(),
            envelope: hex::encode(record.envelope_id),
            output: None,
            from: String::new(),
            to: Vec::new(),
            cc: Vec::new(),
            subject: String::new(),
            receipt_to: record.reply_to.clone(),
            reply_to: None,
            slots: record
                .slots
                .iter()
                .map(|check| SlotEntry {
                    slot: check.slot,
                    passphrase: passphrases.get(check.slot).map_or_else(
                        || format!("passphrase {}", check.slot + 1),
                        |s| (*s).to_owned(),
                    ),
                    check: hex::encode(check.check),
                })
                .collect(),
        }
    }

    /// The entry for an envelope sealed now that asks for no receipt (but
    /// for secure replies, whose answers name it by `envelope_id`).
    pub fn without_receipt(envelope_id: &[u8; 32]) -> SentEntry {
        SentEntry {
            sealed: MessageDate::now().to_rfc3339(),
            envelope: hex::encode(envelope_id),
            output: None,
            from: String::new(),
            to: Vec::new(),
            cc: Vec::new(),
            subject: String::new(),
            receipt_to: String::new(),
            reply_to: None,
            slots: Vec::new(),
        }
    }

    /// When and to whom the envelope went: `sealed <time> to <To and Cc>`.
    pub fn sent_to(&self) -> String {
        let to: Vec<&str> = self.to.iter().chain(&self.cc).map(String::as_str).collect();
        format!("sealed {} to {}", self.sealed, to.join(", "))
    }

    /// The record that recognises this envelope's codes; `None` when the
    /// line holds something else than hex where hex belongs.
    fn record(&self) -> Option<ReceiptRecord> {
        Some(ReceiptRecord {
            envelope_id: unhex32(&self.envelope)?,
            reply_to: self.receipt_to.clone(),
            slots: self
                .slots
                .iter()
                .map(|slot| {
                    Some(SlotCheck {
                        slot: slot.slot,
                        check: unhex32(&slot.check)?,
                    })
                })
                .collect::<Option<_>>()?,
        })
    }
}

/// The sent-log, opened for appending.
#[derive(Debug)]
pub struct SentLog {
    lines: JsonLines,
}

impl SentLog {
    /// Where the log is kept unless told otherwise:
    /// `$XDG_DATA_HOME/sealer/sent-log.jsonl`, or
    /// `~/.local/share/sealer/sent-log.jsonl`.
    pub fn default_path() -> Option<PathBuf> {
        let data = std::env::var_os("XDG_DATA_HOME")
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|dir| !dir.is_empty())
                    .map(|home| PathBuf::from(home).join(".local/share"))
            })?;
        Some(data.join("sealer").join("sent-log.jsonl"))
    }

    /// Opens the log at `path` for appending, creating it (and its folder)
    /// readable by its owner only.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SentLog`] when it cannot be created or opened, or when
    /// others can read it (its entries name envelopes, recipients and
    /// subjects).
    pub fn open(path: &Path) -> Result<SentLog> {
        let failed = |err: std::io::Error| {
            Error::new(
                ErrorKind::SentLog,
                format!("cannot open the sent-log {}: {err}", path.display()),
            )
        };
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            crate::files::create_private_dir(dir, true).map_err(failed)?;
        }
        let lines = JsonLines::open(path).map_err(failed)?;
        crate::files::check_private(lines.file(), path)
            .map_err(|err| Error::new(ErrorKind::SentLog, format!("the sent-log: {err}")))?;
        Ok(SentLog { lines })
    }

    /// Appends `entry` as one line, in one write (O_APPEND: lines from
    /// sealers running side by side do not interleave), and syncs it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SentLog`] when writing fails.
    pub fn append(&mut self, entry: &SentEntry) -> Result<()> {
        self.lines.append(entry).map_err(|err| {
            Error::new(
                ErrorKind::SentLog,
                format!(
                    "cannot write the sent-log {}: {err}",
                    self.lines.path().display()
                ),
            )
        })
    }
}

/// What a recognised receipt code names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// The envelope, as logged.
    pub entry: SentEntry,
    /// The slot it was opened through.
    pub slot: SlotEntry,
}

/// Looks `code` up in the sent-log at `path`: the envelope it names and the
/// slot it proves was opened, or `None` when no logged envelope has that
/// code (it is forged, mistyped, or for an envelope logged elsewhere).
/// Lines that are not entries are skipped.
///
/// # Errors
///
/// [`ErrorKind::SentLog`] when the log cannot be read.
pub fn find_receipt(path: &Path, code: &ReceiptCode) -> Result<Option<Confirmation>> {
    Ok(find_receipts(path, std::slice::from_ref(code))?
        .pop()
        .flatten())
}

/// [`find_receipt`] for several codes, in one pass over the log: one
/// answer per code, in order.
///
/// # Errors
///
/// [`ErrorKind::SentLog`] when the log cannot be read.
pub fn find_receipts(path: &Path, codes: &[ReceiptCode]) -> Result<Vec<Option<Confirmation>>> {
    let mut found: Vec<Option<Confirmation>> = vec![None; codes.len()];
    let file = File::open(path).map_err(|err| unreadable(path, err))?;
    each_entry(path, file, |entry| {
        let Some(record) = entry.record() else {
            return false;
        };
        for (code, answer) in codes.iter().zip(&mut found) {
            if answer.is_some() {
                continue;
            }
            let slot = record
                .recognise(code)
                .and_then(|slot| entry.slots.iter().find(|s| s.slot == slot));
            if let Some(slot) = slot {
                *answer = Some(Confirmation {
                    entry: entry.clone(),
                    slot: slot.clone(),
                });
            }
        }
        found.iter().all(Option::is_some)
    })?;
    Ok(found)
}

/// Looks up the envelope whose id is `envelope_id` in the sent-log at
/// `path` (an answer names the envelope it answers by its id): its entry,
/// or `None` when it was not logged there. Lines that are not entries are
/// skipped; a log that does not exist holds nothing.
///
/// # Errors
///
/// [`ErrorKind::SentLog`] when the log exists but cannot be read.
pub fn find_envelope(path: &Path, envelope_id: &[u8; 32]) -> Result<Option<SentEntry>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(unreadable(path, err)),
    };
    let wanted = hex::encode(envelope_id);
    let mut found = None;
    each_entry(path, file, |entry| {
        if entry.envelope.eq_ignore_ascii_case(&wanted) {
            found = Some(entry);
        }
        found.is_some()
    })?;
    Ok(found)
}

/// Hands each entry of the sent-log `file` (at `path`) to `visit` until it
/// says it is done: lines longer than [`MAX_LINE_LEN`] or that are not
/// entries are skipped.
fn each_entry(path: &Path, file: File, mut visit: impl FnMut(SentEntry) -> bool) -> Result<()> {
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = (&mut reader)
            .take(MAX_LINE_LEN)
            .read_until(b'\n', &mut line)
            .map_err(|err| unreadable(path, err))?;
        if read == 0 {
            return Ok(());
        }
        if line.last() != Some(&b'\n') && read as u64 == MAX_LINE_LEN {
            // Not one of ours: skip the rest of it.
            reader
                .skip_until(b'\n')
                .map_err(|err| unreadable(path, err))?;
            continue;
        }
        if let Ok(entry) = serde_json::from_slice::<SentEntry>(&line)
            && visit(entry)
        {
            return Ok(());
        }
    }
}

fn unreadable(path: &Path, err: std::io::Error) -> Error {
    Error::new(
        ErrorKind::SentLog,
        format!("cannot read the sent-log {}: {err}", path.display()),
    )
}

/// 32 bytes from 64 hex digits; `None` for anything else.
fn unhex32(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_with_receipt};

    const FAST: KdfParams = KdfParams {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("sealer-receipts-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// Seals a message for two passphrases asking for a receipt, logs it,
    /// and returns the envelope.
    fn seal_and_log(log: &Path, subject: &str) -> Vec<u8> {
        let options = SealOptions::new()
            .passphrase(Passphrase::new("first-recipient-words-here-now"))
            .passphrase(Passphrase::new("second-recipient-words-here-too"))
            .kdf(FAST)
            .request_receipt("records@clinic.example");
        let message = Message::new()
            .to("a@example.org")
            .to("b@example.org")
            .subject(subject);
        let (envelope, record) = seal_with_receipt(message, &options, Vec::new()).unwrap();
        let mut entry = SentEntry::new(&record, &["for a", "for b"]);
        entry.subject = subject.to_owned();
        SentLog::open(log).unwrap().append(&entry).unwrap();
        envelope
    }

    #[test]
    fn each_recipients_code_names_their_slot_of_the_right_envelope() {
        let dir = scratch("lookup");
        let log = dir.join("nested/sent-log.jsonl");
        let first = seal_and_log(&log, "first");
        let second = seal_and_log(&log, "second");
        // Lines that are not entries do not stop the lookup.
        let mut file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        std::io::Write::write_all(&mut file, b"not json\n{\"sealed\": 1}\n").unwrap();
        let third = seal_and_log(&log, "third");
        for (envelope, subject) in [(&first, "first"), (&second, "second"), (&third, "third")] {
            for (passphrase, slot, whose) in [
                ("first-recipient-words-here-now", 0, "for a"),
                ("second-recipient-words-here-too", 1, "for b"),
            ] {
                let opened = envelope_core::open(envelope, &Passphrase::new(passphrase)).unwrap();
                let code = opened.receipt.unwrap().code;
                let found = find_receipt(&log, &code).unwrap().unwrap();
                assert_eq!(found.entry.subject, subject);
                assert_eq!(found.slot.slot, slot);
                assert_eq!(found.slot.passphrase, whose);
            }
        }
        // A code with one character changed names nothing.
        let opened =
            envelope_core::open(&first, &Passphrase::new("first-recipient-words-here-now"))
                .unwrap();
        let first_code = opened.receipt.unwrap().code;
        let mut bytes = *first_code.as_bytes();
        bytes[10] ^= 0x10;
        assert_eq!(
            find_receipt(&log, &ReceiptCode::from_bytes(bytes)).unwrap(),
            None
        );
        // Several codes in one pass: an answer each, in order.
        let second_code =
            envelope_core::open(&second, &Passphrase::new("second-recipient-words-here-too"))
                .unwrap()
                .receipt
                .unwrap()
                .code;
        let answers = find_receipts(
            &log,
            &[second_code, ReceiptCode::from_bytes(bytes), first_code],
        )
        .unwrap();
        let subjects: Vec<Option<&str>> = answers
            .iter()
            .map(|a| a.as_ref().map(|c| c.entry.subject.as_str()))
            .collect();
        assert_eq!(subjects, [Some("second"), None, Some("first")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn the_log_is_private_and_a_readable_one_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("private");
        let log = dir.join("sent-log.jsonl");
        seal_and_log(&log, "s");
        let mode = std::fs::metadata(&log).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let dir_mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = SentLog::open(&log).unwrap_err().to_string();
        assert!(err.contains("can be read by others"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_log_is_an_error_that_names_it() {
        let dir = scratch("missing");
        let code = ReceiptCode::from_bytes([0u8; 15]);
        let err = find_receipt(&dir.join("none.jsonl"), &code)
            .unwrap_err()
            .to_string();
        assert!(err.contains("none.jsonl"), "{err}");
    }
}
