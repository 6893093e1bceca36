//! `sealer seal --scan`: the text and every file given to ClamAV before
//! anything is sealed. A file is scanned from its path and sealed from a
//! second reading that must give the same bytes (its SHA-256 is pinned):
//! a file changed between the scan and the seal fails the seal, and no
//! envelope is written.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use sealer::scan::{ClamdAddress, Infected, ScanPart, ScanSession, Scanner, nested_parts};
use sha2::{Digest, Sha256};

use crate::args::SealArgs;
use crate::failure::{Code, Failure};

/// Where Debian's clamd listens.
const DEFAULT_CLAMD: &str = "/run/clamav/clamd.ctl";
/// The largest forwarded message (`.eml`) taken apart here; a larger one
/// is still scanned whole.
const MAX_NESTED_READ: u64 = 64 * 1024 * 1024;

/// The scanner `--scan` asks for, if it does.
pub(super) fn scanner(args: &SealArgs) -> Result<Option<Scanner>, Failure> {
    if !args.scan {
        return Ok(None);
    }
    let address = ClamdAddress::parse(args.clamd.as_deref().unwrap_or(DEFAULT_CLAMD))
        .map_err(|why| Failure::input(format!("--{why}")))?;
    Ok(Some(Scanner::new(
        address,
        std::time::Duration::from_secs(sealer::scan::DEFAULT_TIMEOUT_SECONDS),
        args.allow_unscanned,
    )))
}

/// Scans the text `text` named `name`.
pub(super) fn scan_text(
    session: &mut ScanSession<'_>,
    name: &str,
    text: &str,
) -> Result<(), Failure> {
    match session.scan(ScanPart::bytes(name, text.as_bytes()))? {
        Some(infected) => Err(refusal(&infected)),
        None => Ok(()),
    }
}

/// Scans the file at `path`, of type `media_type` (and, for a forwarded
/// message, its parts), and returns the SHA-256 of what was scanned.
pub(super) fn scan_file(
    session: &mut ScanSession<'_>,
    path: &Path,
    name: &str,
    media_type: &str,
) -> Result<[u8; 32], Failure> {
    let cannot = |err: io::Error| Failure::input(format!("cannot read {}: {err}", path.display()));
    let file = File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if sealer::scan::is_forwarded_message(media_type, name) && len <= MAX_NESTED_READ {
        // Held whole: scanned, taken apart and pinned from one reading.
        let mut bytes = Vec::new();
        file.take(MAX_NESTED_READ + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        let parts =
            std::iter::once(ScanPart::bytes(name, &bytes)).chain(nested_parts(name, &bytes));
        for part in parts {
            if let Some(infected) = session.scan(part)? {
                return Err(refusal(&infected));
            }
        }
        return Ok(Sha256::digest(&bytes).into());
    }
    let mut hashing = Hashing::new(file);
    if let Some(infected) = session.scan(ScanPart::reader(name, &mut hashing))? {
        return Err(refusal(&infected));
    }
    // What the scanner did not read (it was unavailable, or refused the
    // file part-way, and the policy lets it go unscanned) is still sealed:
    // the pin covers the whole file.
    io::copy(&mut hashing, &mut io::sink()).map_err(cannot)?;
    Ok(hashing.finish())
}

/// What the sender is told of a threat found.
pub(super) fn refusal(infected: &Infected) -> Failure {
    Failure::new(
        Code::Infected,
        format!(
            "{} found {} in {}; nothing was sealed",
            infected.scanner.engine, infected.threat, infected.part_name
        ),
    )
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Hashing<R> {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    fn finish(self) -> [u8; 32] {
        self.hasher.finalize().into()
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// A reader of `len` bytes that must hash to `digest`: the last bytes are
/// withheld, and an error given instead, when they do not.
pub(super) struct Pinned<R> {
    inner: R,
    hasher: Sha256,
    remaining: u64,
    digest: [u8; 32],
}

impl<R: Read> Pinned<R> {
    pub(super) fn new(inner: R, len: u64, digest: [u8; 32]) -> Pinned<R> {
        Pinned {
            inner,
            hasher: Sha256::new(),
            remaining: len,
            digest,
        }
    }
}

impl<R: Read> Read for Pinned<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = usize::try_from(self.remaining)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..room])?;
        self.hasher.update(&buf[..n]);
        self.remaining -= n as u64;
        if self.remaining == 0 && n > 0 {
            let digest: [u8; 32] = std::mem::take(&mut self.hasher).finalize().into();
            if digest != self.digest {
                return Err(io::Error::other(
                    "the file changed after it was scanned for viruses",
                ));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_reader_refuses_other_bytes() {
        let digest: [u8; 32] = Sha256::digest(b"scanned").into();
        let mut same = Vec::new();
        Pinned::new(&b"scanned"[..], 7, digest)
            .read_to_end(&mut same)
            .unwrap();
        assert_eq!(same, b"scanned");
        let mut other = Vec::new();
        assert!(
            Pinned::new(&b"swapped"[..], 7, digest)
                .read_to_end(&mut other)
                .is_err()
        );
    }
}
