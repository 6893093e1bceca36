//! The policy's `[scan]` in a gateway filter (`wrap`, `unwrap`): the
//! message given to ClamAV before anything goes out; a threat refuses it
//! (bounced, `EX_DATAERR`) or quarantines it (kept in the quarantine
//! folder, not delivered); a scanner that cannot be reached defers it
//! (`EX_TEMPFAIL`: the mail server keeps it) unless the policy allows
//! unscanned mail. Every decision is in the audit record: the scanner, its
//! signatures, the verdict, the threat's name and which part (by number,
//! never by name: a file name can say too much).

use std::path::{Path, PathBuf};

use envelope_core::{Message, PartVerdict, ScanOutcome, VirusScan};
use sealer::scan::{InfectedRule, Outcome, ScanPolicy, mail_parts, signatures_text};
use serde::Serialize;

use super::audit::{self, Record};
use super::sysexits::{GatewayFailure, Sysexit};

/// What the scan says of one message, in the audit log.
#[derive(Debug, Default, Serialize)]
pub(crate) struct ScanAudit {
    /// The scanner and its version, e.g. `ClamAV 1.4.6`.
    pub(crate) scanner: Option<String>,
    /// Its signatures: `27110 (2026-11-30)`.
    pub(crate) signatures: Option<String>,
    /// `clean`, `infected`, `not-scanned` (some part refused by the
    /// scanner, allowed), `scanner-unavailable`, or `too-large`.
    pub(crate) verdict: &'static str,
    /// How many parts were given to the scanner.
    pub(crate) parts: usize,
    /// The threat the scanner named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) threat: Option<String>,
    /// Which part held it: `3 of 5`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) part: Option<String>,
    /// Where the message was quarantined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) quarantined: Option<PathBuf>,
}

/// What becomes of a scanned message.
#[derive(Debug)]
pub(crate) enum Scanned {
    /// It may go out; the record says what the scan found (for the
    /// envelope, or a header).
    Clean(VirusScan),
    /// A threat was found, and the message kept in the quarantine folder.
    Quarantined(PathBuf),
}

/// Checks, before a message is read, what the scan needs from the
/// gateway's setup: the quarantine folder exists, and `--output` is given
/// (so that the filter can tell a quarantined message, which has none, from
/// one to send).
pub(crate) fn check_setup(
    policy: Option<&ScanPolicy>,
    output: Option<&Path>,
) -> Result<(), GatewayFailure> {
    let Some(policy) = policy else {
        return Ok(());
    };
    if policy.infected != InfectedRule::Quarantine {
        return Ok(());
    }
    if let Some(dir) = &policy.quarantine_dir {
        super::existing_folder(dir, "quarantine")?;
    }
    if output.is_none() {
        return Err(GatewayFailure::new(
            Sysexit::TempFail,
            "scan.infected = \"quarantine\" needs --output: a quarantined message has no \
             output, which the filter must be able to tell from a message to send",
        ));
    }
    Ok(())
}

/// Scans `raw` (read into `message`) as `policy` says, filling in
/// `record.scan`.
pub(crate) fn scan_mail(
    policy: &ScanPolicy,
    raw: &[u8],
    message: &Message,
    record: &mut Record,
) -> Result<Scanned, GatewayFailure> {
    let scanner = policy.scanner()?;
    let parts = mail_parts(raw, message);
    let count = parts.len();
    let outcome = scanner.scan(parts).map_err(|err| {
        // Refused again and again if retried: bounced. Else it stays queued.
        let unscannable = err.kind() == sealer::ErrorKind::Unscannable;
        record.scan = Some(ScanAudit {
            verdict: if unscannable {
                "not-scanned"
            } else {
                "scanner-unavailable"
            },
            parts: count,
            ..ScanAudit::default()
        });
        if unscannable {
            GatewayFailure::new(
                Sysexit::DataErr,
                format!("{err}; the message was neither sealed nor sent"),
            )
        } else {
            GatewayFailure::new(
                Sysexit::TempFail,
                format!("{err}; the message stays queued"),
            )
        }
    })?;
    match outcome {
        Outcome::Sealable(scan) => {
            record.scan = Some(ScanAudit {
                scanner: Some(scan.scanner.clone()),
                signatures: signatures_text(scan.signatures),
                verdict: verdict(&scan),
                parts: scan.parts.len(),
                ..ScanAudit::default()
            });
            Ok(Scanned::Clean(scan))
        }
        Outcome::Infected(infected) => {
            let mut audit = ScanAudit {
                scanner: Some(infected.scanner.engine.clone()),
                signatures: signatures_text(infected.scanner.signatures),
                verdict: "infected",
                parts: count,
                threat: Some(infected.threat.clone()),
                part: Some(format!("{} of {count}", infected.part)),
                quarantined: None,
            };
            if let (InfectedRule::Quarantine, Some(dir)) = (policy.infected, &policy.quarantine_dir)
            {
                let path = quarantine(dir, raw)?;
                audit.quarantined = Some(path.clone());
                record.scan = Some(audit);
                record.action = "quarantined";
                return Ok(Scanned::Quarantined(path));
            }
            record.scan = Some(audit);
            Err(GatewayFailure::new(
                Sysexit::DataErr,
                format!(
                    "{} found {} in part {} of {count} of the message; it was neither sealed \
                     nor sent",
                    infected.scanner.engine, infected.threat, infected.part
                ),
            ))
        }
    }
}

/// The audit's word for a record that let the message go.
fn verdict(scan: &VirusScan) -> &'static str {
    if scan.outcome == ScanOutcome::ScannerUnavailable {
        "scanner-unavailable"
    } else if scan
        .parts
        .iter()
        .any(|part| part.verdict == PartVerdict::NotScanned)
    {
        "not-scanned"
    } else {
        "clean"
    }
}

/// The record for a message too large to scan, which the policy lets go
/// unscanned.
pub(crate) fn too_large(record: &mut Record) {
    record.scan = Some(ScanAudit {
        verdict: "too-large",
        ..ScanAudit::default()
    });
}

/// The header line an unwrapped message carries: what the scan found
/// (`no threat found; ClamAV 1.4.6; signatures 27110 (2026-11-30)`).
pub(crate) fn header_line(scan: &VirusScan) -> Vec<u8> {
    let not_scanned = scan
        .parts
        .iter()
        .filter(|part| part.verdict == PartVerdict::NotScanned)
        .count();
    let said = match (scan.outcome, not_scanned) {
        (ScanOutcome::ScannerUnavailable, _) => {
            "not scanned: the scanner could not be reached".to_owned()
        }
        (ScanOutcome::Scanned, 0) => format!("no threat found; {}", scan.scanner),
        (ScanOutcome::Scanned, n) => format!(
            "no threat found, but {n} of {} parts not scanned; {}",
            scan.parts.len(),
            scan.scanner
        ),
    };
    let signatures = signatures_text(scan.signatures)
        .map(|s| format!("; signatures {s}"))
        .unwrap_or_default();
    format!("X-Sealer-Reply-Scan: {said}{signatures}\r\n").into_bytes()
}

/// Writes `raw` to a new file in `dir` (readable only by the gateway's
/// user), named by the time and a random number, and returns its path.
fn quarantine(dir: &Path, raw: &[u8]) -> Result<PathBuf, GatewayFailure> {
    let stamp = audit::now().replace(':', "");
    let cannot = |err: &dyn std::fmt::Display| {
        GatewayFailure::new(
            Sysexit::TempFail,
            format!(
                "cannot quarantine the message in {}: {err}; it stays queued",
                dir.display()
            ),
        )
    };
    for _ in 0..100 {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|err| cannot(&err))?;
        let path = dir.join(format!("{stamp}-{}.eml", hex::encode(random)));
        match sealer::files::write_private_file(&path, raw) {
            // Absolute: the log and the filter name it wherever they run.
            Ok(()) => return Ok(std::path::absolute(&path).unwrap_or(path)),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(cannot(&err)),
        }
    }
    Err(cannot(&"no free file name"))
}
