//! The one error type of the crate.

use std::borrow::Cow;
use std::fmt;
use std::io;

/// Everything that can go wrong while sealing or opening an envelope.
///
/// Opening distinguishes only what the format can honestly tell apart. A
/// passphrase slot that does not unwrap is [`Error::WrongPassphrase`]: the
/// format cannot tell a mistyped passphrase from an altered salt or slot. Once
/// a slot has unwrapped, the key is proven right, and any later failure (header
/// MAC, a payload chunk, truncation) is [`Error::Damaged`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input does not start with the envelope magic bytes.
    NotAnEnvelope,
    /// The envelope is of a format version this library does not read.
    UnsupportedVersion(u16),
    /// The envelope needs a feature this library does not implement (an
    /// unknown KDF, a critical field of an unknown type, or only key slots of
    /// unknown types).
    Unsupported(Cow<'static, str>),
    /// A count, length or cost in the envelope (or the message being sealed)
    /// is over the limit in [`crate::limits`]; nothing was derived or
    /// decrypted.
    LimitExceeded {
        /// What was too big.
        what: &'static str,
        /// The largest value allowed.
        limit: u64,
        /// The value found.
        found: u64,
    },
    /// No passphrase slot opens with the given passphrase. When every
    /// passphrase of the envelope is a generated one, the advice says how
    /// the typing differs from what any of them could be (the word count,
    /// words not in the list); it never tells anything of the right words.
    WrongPassphrase(Option<Box<crate::WordsAdvice>>),
    /// No recovery-key slot opens with the given identity.
    WrongKey,
    /// The envelope is malformed, truncated or was altered after sealing.
    /// Nothing decrypted from it may be shown or kept.
    Damaged(Cow<'static, str>),
    /// The message or options cannot be sealed as given.
    InvalidInput(Cow<'static, str>),
    /// Reading or writing failed.
    Io(io::Error),
    /// The envelope's sender set a date after which it is not to be opened
    /// (seconds since 1970, UTC), and that date has passed. Advisory: it
    /// cannot stop a changed clock or another decryptor.
    Expired(i64),
}

/// The kind of an [`Error`], without its details: what callers branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// See [`Error::NotAnEnvelope`].
    NotAnEnvelope,
    /// See [`Error::UnsupportedVersion`].
    UnsupportedVersion,
    /// See [`Error::Unsupported`].
    Unsupported,
    /// See [`Error::LimitExceeded`].
    LimitExceeded,
    /// See [`Error::WrongPassphrase`].
    WrongPassphrase,
    /// See [`Error::WrongKey`].
    WrongKey,
    /// See [`Error::Damaged`].
    Damaged,
    /// See [`Error::InvalidInput`].
    InvalidInput,
    /// See [`Error::Io`].
    Io,
    /// See [`Error::Expired`].
    Expired,
}

impl ErrorKind {
    /// A stable, lower-case name, as used in the test-vector files.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::NotAnEnvelope => "not-an-envelope",
            ErrorKind::UnsupportedVersion => "unsupported-version",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::LimitExceeded => "limit-exceeded",
            ErrorKind::WrongPassphrase => "wrong-passphrase",
            ErrorKind::WrongKey => "wrong-key",
            ErrorKind::Damaged => "damaged",
            ErrorKind::InvalidInput => "invalid-input",
            ErrorKind::Io => "io",
            ErrorKind::Expired => "expired",
        }
    }
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotAnEnvelope => ErrorKind::NotAnEnvelope,
            Error::UnsupportedVersion(_) => ErrorKind::UnsupportedVersion,
            Error::Unsupported(_) => ErrorKind::Unsupported,
            Error::LimitExceeded { .. } => ErrorKind::LimitExceeded,
            Error::WrongPassphrase(_) => ErrorKind::WrongPassphrase,
            Error::WrongKey => ErrorKind::WrongKey,
            Error::Damaged(_) => ErrorKind::Damaged,
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::Io(_) => ErrorKind::Io,
            Error::Expired(_) => ErrorKind::Expired,
        }
    }

    pub(crate) fn damaged(reason: impl Into<Cow<'static, str>>) -> Self {
        Error::Damaged(reason.into())
    }

    pub(crate) fn invalid(reason: impl Into<Cow<'static, str>>) -> Self {
        Error::InvalidInput(reason.into())
    }

    pub(crate) fn limit(what: &'static str, limit: u64, found: u64) -> Self {
        Error::LimitExceeded { what, limit, found }
    }

    /// Checks `found <= limit`, naming `what` otherwise.
    pub(crate) fn check_limit(what: &'static str, limit: u64, found: u64) -> Result<(), Self> {
        if found > limit {
            Err(Error::limit(what, limit, found))
        } else {
            Ok(())
        }
    }

    /// Turns an I/O error met while reading an envelope into the right kind:
    /// running out of bytes means the envelope was cut short.
    pub(crate) fn from_envelope_read(err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::UnexpectedEof {
            Error::damaged("the envelope is truncated")
        } else {
            Error::Io(err)
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotAnEnvelope => f.write_str(
                "this is not a sealed envelope (it does not start with the envelope signature bytes)",
            ),
            Error::UnsupportedVersion(v) => write!(
                f,
                "unsupported envelope version {v}: this software reads version 1; a newer version of the software is needed"
            ),
            Error::Unsupported(what) => write!(
                f,
                "the envelope needs a feature this software does not support: {what}"
            ),
            Error::LimitExceeded { what, limit, found } => write!(
                f,
                "limit exceeded: {what} is {found}, but at most {limit} is allowed; the envelope was refused before any work was done"
            ),
            Error::WrongPassphrase(None) => f.write_str(
                "wrong passphrase: it does not open this envelope (check it for typing mistakes; if it is surely right, the envelope was altered)",
            ),
            Error::WrongPassphrase(Some(advice)) => write!(
                f,
                "wrong passphrase: it does not open this envelope. {advice}"
            ),
            Error::WrongKey => f.write_str(
                "wrong key: this identity opens none of the envelope's recovery-key slots (was it sealed to another recovery key, or to none?)",
            ),
            Error::Damaged(reason) => write!(
                f,
                "the envelope is damaged or was altered after sealing ({reason}); nothing from it can be trusted"
            ),
            Error::InvalidInput(reason) => write!(f, "cannot seal: {reason}"),
            Error::Io(err) => write!(f, "input/output error: {err}"),
            Error::Expired(at) => write!(
                f,
                "the envelope expired on {} (a date its sender set); ask the sender for a new copy",
                crate::MessageDate::utc(*at).to_rfc3339()
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(err) => Some(err),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    /// Recovers an [`Error`] that travelled inside an `io::Error` (through a
    /// `Read` impl such as [`crate::Part`]); wraps any other I/O error.
    fn from(err: io::Error) -> Self {
        let is_ours = err
            .get_ref()
            .is_some_and(|inner| inner.downcast_ref::<Error>().is_some());
        if is_ours {
            if let Some(Ok(ours)) = err.into_inner().map(|inner| inner.downcast::<Error>()) {
                return *ours;
            }
            return Error::damaged("an error was lost in transit");
        }
        Error::Io(err)
    }
}

/// Short for `Result<T, envelope_core::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
