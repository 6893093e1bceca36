//! Random tokens: 128 bits in hex, which no page, template or mail holds by
//! chance. What stands in for a page's chunk data while its frame is cut,
//! for a page in its mail while the mail is built, for a data block while
//! a page is read, and a Message-ID's unique part.

use crate::{Error, ErrorKind, Result};

/// A fresh token (32 hex digits).
///
/// # Errors
///
/// [`ErrorKind::Internal`] when the system has no randomness to give.
pub(crate) fn random_token() -> Result<String> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|err| {
        Error::new(
            ErrorKind::Internal,
            format!("no randomness available: {err}"),
        )
    })?;
    Ok(hex::encode(random))
}
