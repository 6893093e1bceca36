//! Virus scanning before sealing. Once a message is sealed, no scanner on
//! the way can look inside it; the sealer sees the plaintext, so the sealer
//! is where the scan runs: every body and attachment, each part of a
//! forwarded message, and (for a mail) the whole message as it came, given
//! to ClamAV's `clamd` ([`clamd`]) before anything is sealed.
//!
//! What comes of it is the caller's policy ([`ScanPolicy`]): a threat found
//! is never sealed ([`Outcome::Infected`]); a scanner that cannot be
//! reached fails the scan ([`crate::ErrorKind::ScannerUnavailable`], a mail
//! server keeps the message and tries again) unless the policy lets the
//! message be sealed unchecked, and then the envelope's record says so
//! ([`envelope_core::VirusScan`], manifest field 0x0006).

pub mod clamd;
mod parts;

use std::path::PathBuf;
use std::time::Duration;

use envelope_core::{
    MessageDate, PartVerdict, ScanOutcome, ScanSignatures, ScannedPart, VirusScan,
};
use serde::Deserialize;

pub use crate::message_parts::is_forwarded_message;
pub use clamd::{Clamd, ClamdAddress, ClamdError, ClamdVerdict, ScannerVersion};
pub use parts::{ScanPart, mail_parts, message_parts, nested_parts};

use crate::{Error, ErrorKind};

/// How long to wait for `clamd` by default, per connection and reply.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 60;

/// The `[scan]` section of a gateway policy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanPolicy {
    /// Where `clamd` listens: its Unix socket (`/run/clamav/clamd.ctl`) or
    /// `host:port`.
    pub clamd: String,
    /// How long to wait for it, per connection and reply (1 to 600 s;
    /// default 60).
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// What becomes of a message in which it finds a threat: `"refuse"`
    /// (the default: bounced to its sender) or `"quarantine"` (kept in
    /// `quarantine_dir`, and not delivered).
    #[serde(default)]
    pub infected: InfectedRule,
    /// Where quarantined messages are kept (a folder only the gateway's
    /// user can read).
    pub quarantine_dir: Option<PathBuf>,
    /// What becomes of a message when the scanner cannot be reached:
    /// `"defer"` (the default: the mail server keeps it and tries again)
    /// or `"allow"` (sealed unchecked, the envelope saying so).
    #[serde(default)]
    pub unscanned: UnscannedRule,
}

fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_SECONDS
}

/// What becomes of an infected message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InfectedRule {
    /// Bounced to its sender.
    #[default]
    Refuse,
    /// Kept in the quarantine folder, not delivered.
    Quarantine,
}

/// What becomes of a message the scanner could not check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnscannedRule {
    /// Kept by the mail server and tried again.
    #[default]
    Defer,
    /// Sealed (or delivered) unchecked, saying so.
    Allow,
}

impl ScanPolicy {
    /// The scanner the policy describes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Policy`] for an address that is not one, a timeout out
    /// of range, or quarantine without its folder.
    pub fn scanner(&self) -> Result<Scanner, Error> {
        let policy = |why: String| Error::new(ErrorKind::Policy, why);
        let address =
            ClamdAddress::parse(&self.clamd).map_err(|why| policy(format!("scan.{why}")))?;
        if !(1..=600).contains(&self.timeout_seconds) {
            return Err(policy(format!(
                "scan.timeout_seconds is {}; it must be between 1 and 600",
                self.timeout_seconds
            )));
        }
        if self.infected == InfectedRule::Quarantine && self.quarantine_dir.is_none() {
            return Err(policy(
                "scan.infected = \"quarantine\" needs scan.quarantine_dir".to_owned(),
            ));
        }
        Ok(Scanner {
            clamd: Clamd::new(address, Duration::from_secs(self.timeout_seconds)),
            allow_unscanned: self.unscanned == UnscannedRule::Allow,
        })
    }
}

/// A scanner, and whether what it cannot check may still be sealed.
#[derive(Debug, Clone)]
pub struct Scanner {
    clamd: Clamd,
    allow_unscanned: bool,
}

/// A threat the scanner found: the message is never sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Infected {
    /// The signature that matched, as the scanner names it.
    pub threat: String,
    /// The part's name (for the sender, never for a log).
    pub part_name: String,
    /// Which part, counted from 1 in the order given.
    pub part: usize,
    /// The scanner and its signatures.
    pub scanner: ScannerVersion,
}

/// What a scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No threat: the record to seal with (which says what was not
    /// checked, if the policy let anything go unchecked).
    Sealable(VirusScan),
    /// A threat: never sealed.
    Infected(Infected),
}

impl Scanner {
    /// The `clamd` at `address`, waiting `timeout` for it; `allow_unscanned`
    /// lets what it cannot check be sealed, saying so.
    pub fn new(address: ClamdAddress, timeout: Duration, allow_unscanned: bool) -> Scanner {
        Scanner {
            clamd: Clamd::new(address, timeout),
            allow_unscanned,
        }
    }

    /// Scans `parts` in order, stopping at the first threat.
    ///
    /// # Errors
    ///
    /// As [`Self::start`] and [`ScanSession::scan`].
    pub fn scan(&self, parts: Vec<ScanPart<'_>>) -> Result<Outcome, Error> {
        let mut session = self.start()?;
        for part in parts {
            if let Some(infected) = session.scan(part)? {
                return Ok(Outcome::Infected(infected));
            }
        }
        Ok(Outcome::Sealable(session.finish()))
    }

    /// A scan of one message, part by part: asks the scanner its version
    /// first (so that the record names it, and an absent scanner is known
    /// before any part is read).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ScannerUnavailable`] when the scanner cannot be reached
    /// and unscanned messages are not allowed.
    pub fn start(&self) -> Result<ScanSession<'_>, Error> {
        let checked_at = MessageDate::now().unix_seconds;
        let version = match self.clamd.version() {
            Ok(version) => Some(version),
            Err(err) => {
                self.unavailable(&err)?;
                None
            }
        };
        Ok(ScanSession {
            scanner: self,
            version,
            checked_at,
            parts: Vec::new(),
        })
    }

    /// `Ok` when the policy lets the message go unscanned; else the error.
    fn unavailable(&self, err: &ClamdError) -> Result<(), Error> {
        if self.allow_unscanned {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::ScannerUnavailable, err.to_string()))
        }
    }
}

/// One message's scan under way.
#[derive(Debug)]
pub struct ScanSession<'a> {
    scanner: &'a Scanner,
    /// `None` once the scanner turned out to be unavailable (and the
    /// policy lets the message be sealed unchecked).
    version: Option<ScannerVersion>,
    checked_at: i64,
    parts: Vec<ScannedPart>,
}

impl ScanSession<'_> {
    /// Scans one part: `Some` when the scanner found a threat in it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ScannerUnavailable`] when the scanner stops answering,
    /// [`ErrorKind::Unscannable`] when it refuses the part (over its size
    /// limit, say); neither when unscanned messages are allowed.
    pub fn scan(&mut self, part: ScanPart<'_>) -> Result<Option<Infected>, Error> {
        let Some(version) = &self.version else {
            return Ok(None);
        };
        let ScanPart { name, mut content } = part;
        let verdict = match self.scanner.clamd.scan(&mut content) {
            Ok(ClamdVerdict::Clean) => PartVerdict::NoThreatFound,
            Ok(ClamdVerdict::Found(threat)) => {
                return Ok(Some(Infected {
                    threat,
                    part_name: name,
                    part: self.parts.len() + 1,
                    scanner: version.clone(),
                }));
            }
            Err(ClamdError::Refused(_)) if self.scanner.allow_unscanned => PartVerdict::NotScanned,
            Err(ClamdError::Refused(why)) => {
                return Err(Error::new(
                    ErrorKind::Unscannable,
                    format!("part {} ({name}): {why}", self.parts.len() + 1),
                ));
            }
            Err(err @ ClamdError::Unavailable(_)) => {
                self.scanner.unavailable(&err)?;
                self.version = None;
                self.parts.clear();
                return Ok(None);
            }
        };
        self.parts.push(ScannedPart {
            name: record_name(&name),
            verdict,
        });
        Ok(None)
    }

    /// The record of what was scanned, for the envelope.
    pub fn finish(self) -> VirusScan {
        match self.version {
            Some(version) => VirusScan {
                outcome: ScanOutcome::Scanned,
                scanner: version.engine,
                signatures: version.signatures,
                checked_at: self.checked_at,
                parts: self.parts,
            },
            None => VirusScan {
                outcome: ScanOutcome::ScannerUnavailable,
                scanner: "ClamAV".to_owned(),
                signatures: None,
                checked_at: self.checked_at,
                parts: Vec::new(),
            },
        }
    }
}

/// A part's name as the record holds it: within the format's limit, cut at
/// a character boundary.
fn record_name(name: &str) -> String {
    let max = envelope_core::MAX_SCANNED_PART_NAME_LEN;
    let name = if name.is_empty() {
        "unnamed part"
    } else {
        name
    };
    if name.len() <= max {
        return name.to_owned();
    }
    let mut end = max - "…".len();
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &name[..end])
}

/// The signatures as the audit log and the sender read them:
/// `27110 (2026-11-30)`.
pub fn signatures_text(signatures: Option<ScanSignatures>) -> Option<String> {
    signatures.map(|s| {
        let day = MessageDate::utc(s.built_at).to_rfc3339();
        format!("{} ({})", s.version, &day[..10])
    })
}

/// The record in plain words, as `sealer open` and `sealer seal` say it:
/// `Checked for viruses before sealing: no threat found (ClamAV 1.4.6,
/// signatures of 30 November 2026).`, what was not checked, or that the
/// scanner could not be reached.
pub fn describe(record: &VirusScan) -> String {
    let by = match record.signatures {
        Some(signatures) => format!(
            "{}, signatures of {}",
            record.scanner,
            long_date(signatures.built_at)
        ),
        None => record.scanner.clone(),
    };
    match record.outcome {
        ScanOutcome::ScannerUnavailable => "Not checked for viruses: the scanner could not be \
                                            reached when this was sealed."
            .to_owned(),
        ScanOutcome::Scanned => {
            let unchecked: Vec<&str> = record
                .parts
                .iter()
                .filter(|part| part.verdict == PartVerdict::NotScanned)
                .map(|part| part.name.as_str())
                .collect();
            if unchecked.is_empty() {
                format!("Checked for viruses before sealing: no threat found ({by}).")
            } else {
                format!(
                    "Checked for viruses before sealing: no threat found ({by}), but not \
                     checked: {}.",
                    unchecked.join(", ")
                )
            }
        }
    }
}

/// `30 November 2026`.
fn long_date(unix_seconds: i64) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let day = MessageDate::utc(unix_seconds).to_rfc3339();
    let (year, month, day) = (&day[..4], &day[5..7], &day[8..10]);
    let month = month
        .parse::<usize>()
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .copied()
        .unwrap_or("");
    format!("{} {month} {year}", day.trim_start_matches('0'))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn records_read_in_plain_words() {
        let mut record = VirusScan {
            outcome: ScanOutcome::Scanned,
            scanner: "ClamAV 1.4.6".into(),
            signatures: Some(ScanSignatures {
                version: 27_110,
                built_at: 1_796_082_417,
            }),
            checked_at: 1_796_090_000,
            parts: vec![ScannedPart {
                name: "scan.pdf".into(),
                verdict: PartVerdict::NoThreatFound,
            }],
        };
        assert_eq!(
            describe(&record),
            "Checked for viruses before sealing: no threat found (ClamAV 1.4.6, signatures of \
             30 November 2026)."
        );
        record.parts[0].verdict = PartVerdict::NotScanned;
        assert!(describe(&record).ends_with("but not checked: scan.pdf."));
        record.outcome = ScanOutcome::ScannerUnavailable;
        assert!(describe(&record).starts_with("Not checked for viruses"));
        assert_eq!(
            signatures_text(record.signatures).unwrap(),
            "27110 (2026-11-30)"
        );
    }
}
