//! How keys are written in files: one line `PREFIX` + 64 hex digits, after
//! any `#` comment lines, and a short fingerprint to compare by eye.

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The 32 bytes of the key `text` holds as `prefix` and 64 hex digits, on
/// its first line that is not empty or a `#` comment. `what` names the key
/// in errors ("a recovery key"); `other` is what a file with the other
/// half's prefix probably is ("the private key file").
///
/// The caller wipes the bytes of a private key once it has taken them.
pub(crate) fn parse_key(text: &str, prefix: &str, what: &str, other: &str) -> Result<[u8; 32]> {
    let digits = key_line(text)
        .and_then(|line| line.strip_prefix(prefix))
        .ok_or_else(|| Error::invalid(format!("{what} starts with {prefix} (is this {other}?)")))?;
    unhex32(digits)
        .ok_or_else(|| Error::invalid(format!("{what} is not {prefix} and 64 hex digits")))
}

/// The first line of `text` that is not empty or a `#` comment.
fn key_line(text: &str) -> Option<&str> {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 bytes from exactly 64 hex digits.
pub(crate) fn unhex32(digits: &str) -> Option<[u8; 32]> {
    let digits = digits.trim().as_bytes();
    if digits.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(digits.chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// The first 16 hex digits of the SHA-256 of a public key, in groups of
/// four: `1a2b-3c4d-5e6f-7a8b`.
pub(crate) fn fingerprint(public: &[u8; 32]) -> String {
    hex(&Sha256::digest(public)[..8])
        .as_bytes()
        .chunks(4)
        .map(|group| String::from_utf8_lossy(group).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}
