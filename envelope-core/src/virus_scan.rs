//! The virus-scan record: what was checked for viruses before sealing, by
//! which scanner, with which signatures, and what it found (manifest field
//! 0x0006).
//!
//! A mail gateway sees the plaintext before it seals; once sealed, no
//! scanner on the way can look inside. The record tells the recipient that
//! the check happened (or that it could not), inside the encrypted,
//! authenticated manifest, and so under the sender signature when there is
//! one. An envelope without the record says nothing either way: an opener
//! shows nothing then, which is no reassurance.
//!
//! Only what a sealer may honestly write is defined: a message in which the
//! scanner found a threat is never sealed, so "threat found" is no verdict
//! here, and an opener refuses (**damaged**) any outcome or verdict it does
//! not know rather than guess what it means.

use crate::error::{Error, Result};
use crate::message::MessageDate;
use crate::wire::{Parser, Put, check_string, put_string};

/// Longest scanner name, in bytes (printable ASCII), e.g. `ClamAV 1.4.6`.
pub const MAX_SCANNER_LEN: usize = 64;
/// Longest part name in the record, in bytes.
pub const MAX_SCANNED_PART_NAME_LEN: usize = 1024;
/// Most parts a record lists.
pub const MAX_SCANNED_PARTS: u32 = 10_000;

/// What became of the check as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanOutcome {
    /// The scanner read every listed part (1).
    Scanned,
    /// The scanner could not be reached, and the sender's policy let the
    /// message be sealed unchecked (2). No parts are listed.
    ScannerUnavailable,
}

/// What the scanner said of one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartVerdict {
    /// Scanned; no threat found (1).
    NoThreatFound,
    /// Not scanned (the scanner refused it, e.g. over its size limit), and
    /// the sender's policy let it be sealed unchecked (2).
    NotScanned,
}

/// One part the scanner was given: a body, an attachment, or a part inside
/// one (a forwarded message's attachment is named `message.eml › file`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedPart {
    /// The part's name, as the sender's words (shown as text only).
    pub name: String,
    /// What the scanner said of it.
    pub verdict: PartVerdict,
}

/// The signature database a scanner used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanSignatures {
    /// Its version (ClamAV's `daily` number), never 0.
    pub version: u32,
    /// When it was built, in seconds since 1970 (UTC).
    pub built_at: i64,
}

/// The record of manifest field 0x0006.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirusScan {
    /// What became of the check.
    pub outcome: ScanOutcome,
    /// The scanner and its version, e.g. `ClamAV 1.4.6`: 1 to 64 bytes of
    /// printable ASCII.
    pub scanner: String,
    /// Its signatures, when it said which.
    pub signatures: Option<ScanSignatures>,
    /// When the check ran, in seconds since 1970 (UTC).
    pub checked_at: i64,
    /// Every part given to the scanner, in the order it was given.
    pub parts: Vec<ScannedPart>,
}

impl VirusScan {
    /// Whether every listed part was scanned and found clean: the only
    /// state in which a reader may be told "no threat found" without a
    /// "but".
    pub fn all_clean(&self) -> bool {
        self.outcome == ScanOutcome::Scanned
            && self
                .parts
                .iter()
                .all(|part| part.verdict == PartVerdict::NoThreatFound)
    }

    /// The field's value: outcome `u8` ‖ scanner `str` ‖ signature version
    /// `u32` ‖ signatures built `i64` ‖ checked `i64` ‖ part count `u32` ‖
    /// (name `str` ‖ verdict `u8`) × count.
    ///
    /// # Errors
    ///
    /// [`crate::ErrorKind::InvalidInput`] for a record an opener would
    /// refuse; [`crate::ErrorKind::LimitExceeded`] when it is too long for
    /// a manifest field.
    pub(crate) fn encode(&self) -> Result<Vec<u8>> {
        let problem = self.problem();
        if let Some(problem) = problem {
            return Err(Error::invalid(format!("the virus-scan record {problem}")));
        }
        for part in &self.parts {
            check_string("scanned part name", &part.name, MAX_SCANNED_PART_NAME_LEN)?;
        }
        let mut out = Vec::new();
        out.put_u8(match self.outcome {
            ScanOutcome::Scanned => 1,
            ScanOutcome::ScannerUnavailable => 2,
        });
        put_string(&mut out, &self.scanner);
        let (version, built_at) = self.signatures.map_or((0, 0), |signatures| {
            (signatures.version, signatures.built_at)
        });
        out.put_u32(version);
        out.put_i64(built_at);
        out.put_i64(self.checked_at);
        out.put_u32(self.parts.len() as u32);
        for part in &self.parts {
            put_string(&mut out, &part.name);
            out.put_u8(match part.verdict {
                PartVerdict::NoThreatFound => 1,
                PartVerdict::NotScanned => 2,
            });
        }
        Error::check_limit(
            "virus-scan record",
            crate::limits::MAX_CONTENT_EXTENSION_LEN.into(),
            out.len() as u64,
        )?;
        Ok(out)
    }

    /// Reads the field: an outcome or verdict it does not know, a scanner
    /// name that is not 1 to 64 printable ASCII bytes, a date outside the
    /// years 1 to 9999, signatures built but of version 0 (or the reverse),
    /// parts listed for a scanner that was unavailable, or bytes left over,
    /// are **damaged**.
    pub(crate) fn parse(value: &[u8]) -> Result<VirusScan> {
        let mut p = Parser::new(value, "virus-scan record");
        let outcome = match p.u8()? {
            1 => ScanOutcome::Scanned,
            2 => ScanOutcome::ScannerUnavailable,
            _ => return Err(Error::damaged("the virus-scan record's outcome is unknown")),
        };
        let scanner = p.string("scanner name", MAX_SCANNER_LEN)?;
        let version = p.u32()?;
        let built_at = p.i64()?;
        let checked_at = p.i64()?;
        let count = p.u32()?;
        Error::check_limit("scanned parts", MAX_SCANNED_PARTS.into(), count.into())?;
        let mut parts = Vec::new();
        for _ in 0..count {
            let name = p.string("scanned part name", MAX_SCANNED_PART_NAME_LEN)?;
            let verdict = match p.u8()? {
                1 => PartVerdict::NoThreatFound,
                2 => PartVerdict::NotScanned,
                _ => {
                    return Err(Error::damaged(
                        "the virus-scan record has a part verdict that is unknown",
                    ));
                }
            };
            parts.push(ScannedPart { name, verdict });
        }
        p.finish()?;
        let signatures = match (version, built_at) {
            (0, 0) => None,
            (0, _) => {
                return Err(Error::damaged(
                    "the virus-scan record has a signature date but no signature version",
                ));
            }
            (version, built_at) => Some(ScanSignatures { version, built_at }),
        };
        let scan = VirusScan {
            outcome,
            scanner,
            signatures,
            checked_at,
            parts,
        };
        match scan.problem() {
            Some(problem) => Err(Error::damaged(format!("the virus-scan record {problem}"))),
            None => Ok(scan),
        }
    }

    /// What makes the record one an opener refuses, if anything (the
    /// rules both sealing and opening check).
    fn problem(&self) -> Option<&'static str> {
        let printable = |s: &str| s.bytes().all(|b| (0x20..=0x7e).contains(&b));
        if self.scanner.is_empty()
            || self.scanner.len() > MAX_SCANNER_LEN
            || !printable(&self.scanner)
        {
            return Some("names no scanner, or one that is not 1 to 64 printable ASCII bytes");
        }
        let in_range = |seconds: i64| MessageDate::utc(seconds).check().is_ok();
        if !in_range(self.checked_at) {
            return Some("has a check time outside the years 1 to 9999");
        }
        if let Some(signatures) = self.signatures {
            if signatures.version == 0 {
                return Some("has signatures of version 0");
            }
            if !in_range(signatures.built_at) {
                return Some("has a signature date outside the years 1 to 9999");
            }
        }
        if self.parts.len() > MAX_SCANNED_PARTS as usize {
            return Some("lists more than 10000 parts");
        }
        if self.parts.iter().any(|part| part.name.is_empty()) {
            return Some("lists a part without a name");
        }
        if self.outcome == ScanOutcome::ScannerUnavailable && !self.parts.is_empty() {
            return Some("lists parts although the scanner was unavailable");
        }
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::ErrorKind;

    /// The vectors' record, with its second part not scanned.
    fn clean() -> VirusScan {
        let mut scan = crate::test_vectors::clean_scan();
        scan.parts[1] = ScannedPart {
            name: "Fwd.eml › scan.pdf".into(),
            verdict: PartVerdict::NotScanned,
        };
        scan
    }

    #[test]
    fn a_record_round_trips() {
        let scan = clean();
        assert_eq!(VirusScan::parse(&scan.encode().unwrap()).unwrap(), scan);
        assert!(!scan.all_clean());
        let unavailable = VirusScan {
            outcome: ScanOutcome::ScannerUnavailable,
            signatures: None,
            parts: Vec::new(),
            ..clean()
        };
        let bytes = unavailable.encode().unwrap();
        assert_eq!(VirusScan::parse(&bytes).unwrap(), unavailable);
        assert!(!unavailable.all_clean());
    }

    #[test]
    fn what_an_opener_does_not_know_is_damaged() {
        let bytes = clean().encode().unwrap();
        let damaged = |bytes: &[u8]| VirusScan::parse(bytes).unwrap_err().kind();
        let mut unknown_outcome = bytes.clone();
        unknown_outcome[0] = 3;
        assert_eq!(damaged(&unknown_outcome), ErrorKind::Damaged);
        let mut unknown_verdict = bytes.clone();
        *unknown_verdict.last_mut().unwrap() = 0;
        assert_eq!(damaged(&unknown_verdict), ErrorKind::Damaged);
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(damaged(&longer), ErrorKind::Damaged);
        assert_eq!(damaged(&bytes[..bytes.len() - 1]), ErrorKind::Damaged);
        // Version 0 with a date.
        let mut no_version = bytes.clone();
        let at = 1 + 2 + "ClamAV 1.4.6".len();
        no_version[at..at + 4].copy_from_slice(&[0; 4]);
        assert_eq!(damaged(&no_version), ErrorKind::Damaged);
        // A control character in the scanner's name.
        let mut control = bytes;
        control[3] = b'\n';
        assert_eq!(damaged(&control), ErrorKind::Damaged);
    }

    #[test]
    fn a_sealer_cannot_write_what_an_opener_refuses() {
        let invalid = |scan: VirusScan| scan.encode().unwrap_err().kind();
        assert_eq!(
            invalid(VirusScan {
                scanner: String::new(),
                ..clean()
            }),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            invalid(VirusScan {
                outcome: ScanOutcome::ScannerUnavailable,
                ..clean()
            }),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            invalid(VirusScan {
                checked_at: i64::MAX,
                ..clean()
            }),
            ErrorKind::InvalidInput
        );
        let mut many = clean();
        many.parts = vec![
            ScannedPart {
                name: "x".repeat(1000),
                verdict: PartVerdict::NoThreatFound,
            };
            100
        ];
        assert_eq!(many.encode().unwrap_err().kind(), ErrorKind::LimitExceeded);
    }
}
