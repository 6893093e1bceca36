//! What went wrong, in one line, with the exit code that says what kind of
//! problem it was (documented in the README and in `sealer --help`).

use std::fmt;
use std::process::ExitCode;

use envelope_core::ErrorKind;

/// Exit codes: 0 success, 2 usage (from clap), and these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    /// 1: anything else (writing failed, no randomness…).
    Failed = 1,
    /// 3: bad input: a missing or unreadable file, an output that exists,
    /// not an envelope, no or a weak passphrase.
    Input = 3,
    /// 4: the passphrase opens no slot.
    WrongPassphrase = 4,
    /// 5: the envelope is damaged or was altered; nothing was written.
    Damaged = 5,
    /// 6: the envelope needs a newer sealer, or exceeds a limit.
    Unsupported = 6,
    /// 7: the envelope is past the not-after date its sender set.
    Expired = 7,
    /// 8: not signed by the key `open --signer` names (or the signature
    /// does not verify).
    Signature = 8,
    /// 9: a receipt code names no envelope in the sent-log.
    NotRecognised = 9,
    /// 10: the virus scanner found a threat; nothing was sealed.
    Infected = 10,
    /// 11: the message could not be scanned (the scanner cannot be
    /// reached, or refused a part); nothing was sealed.
    NotScanned = 11,
}

/// A failure: its message (what is wrong and what to do) and its code.
#[derive(Debug)]
pub(crate) struct Failure {
    code: Code,
    message: String,
}

impl Failure {
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }

    /// Bad input (exit code 3).
    pub(crate) fn input(message: impl Into<String>) -> Failure {
        Failure::new(Code::Input, message)
    }

    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code as u8)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<envelope_core::Error> for Failure {
    fn from(err: envelope_core::Error) -> Failure {
        Failure::new(envelope_code(err.kind()), err.to_string())
    }
}

/// The exit code of each kind of `envelope_core` failure.
fn envelope_code(kind: ErrorKind) -> Code {
    match kind {
        ErrorKind::WrongPassphrase | ErrorKind::WrongKey => Code::WrongPassphrase,
        ErrorKind::Damaged => Code::Damaged,
        ErrorKind::UnsupportedVersion | ErrorKind::Unsupported | ErrorKind::LimitExceeded => {
            Code::Unsupported
        }
        ErrorKind::NotAnEnvelope | ErrorKind::InvalidInput => Code::Input,
        ErrorKind::Expired => Code::Expired,
        _ => Code::Failed,
    }
}

/// The exit code of each kind of sealer library failure: the one place
/// where kinds become codes.
fn sealer_code(err: &sealer::Error) -> Code {
    use sealer::ErrorKind as Kind;
    match err.kind() {
        Kind::Envelope => err
            .envelope_error()
            .map_or(Code::Failed, |inner| envelope_code(inner.kind())),
        // What the user gave: templates, branding, addresses, a mail,
        // a sent-log, a date, a secret file, an output that exists.
        Kind::Template
        | Kind::Branding
        | Kind::Address
        | Kind::Notice
        | Kind::Mail
        | Kind::SeveralPages
        | Kind::SentLog
        | Kind::InvalidInput
        | Kind::NotPrivate
        | Kind::PassphraseLeak
        | Kind::Unreadable
        | Kind::Exists => Code::Input,
        Kind::ScannerUnavailable | Kind::Unscannable => Code::NotScanned,
        _ => Code::Failed,
    }
}

impl From<sealer::Error> for Failure {
    fn from(err: sealer::Error) -> Failure {
        Failure::new(sealer_code(&err), err.to_string())
    }
}

impl Failure {
    /// `err`, said about the file at `path`: its detail after the path,
    /// its code as its kind says.
    pub(crate) fn about(path: &std::path::Path, err: &sealer::Error) -> Failure {
        Failure::new(
            sealer_code(err),
            format!("{}: {}", path.display(), err.detail()),
        )
    }
}
