//! How `sealer wrap` fails: exit codes from `sysexits.h`, which Postfix's
//! `pipe` and sendmail turn into a bounce (the sender learns of it) or a
//! deferral (the mail stays queued and is tried again). Nothing `wrap`
//! does ends in any other code, so a mail server never has to guess.
//!
//! Only a problem with the message itself bounces it. Everything else,
//! a wrong policy or command line included, is `EX_TEMPFAIL`: Postfix
//! bounces `EX_CONFIG` (seen on Debian's Postfix 3.7: "dsn=5.3.5,
//! status=bounced"), as it does `EX_NOINPUT` and `EX_CANTCREAT`, and a
//! gateway's configuration mistake must not return every message to its
//! sender; deferred, they go out once it is fixed.

use std::fmt;
use std::process::ExitCode;

/// The `sysexits.h` codes `sealer wrap` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sysexit {
    /// 65 `EX_DATAERR`: the message is unusable or too big to seal.
    DataErr = 65,
    /// 69 `EX_UNAVAILABLE`: no passphrase is on file for a recipient.
    Unavailable = 69,
    /// 75 `EX_TEMPFAIL`: anything else, which may pass when tried again:
    /// reading, writing, randomness, or the gateway's own configuration
    /// (the policy, a file or folder it names, the command line).
    TempFail = 75,
}

impl Sysexit {
    /// The word the audit log uses for what became of a message that
    /// failed this way.
    pub(crate) fn action(self) -> &'static str {
        match self {
            Sysexit::TempFail => "deferred",
            Sysexit::DataErr | Sysexit::Unavailable => "refused",
        }
    }
}

/// A failure of `sealer wrap`: what is wrong, in one line, and its code.
#[derive(Debug)]
pub(crate) struct GatewayFailure {
    pub(crate) code: Sysexit,
    pub(crate) message: String,
}

impl GatewayFailure {
    pub(crate) fn new(code: Sysexit, message: impl Into<String>) -> GatewayFailure {
        GatewayFailure {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code as u8)
    }
}

impl fmt::Display for GatewayFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The `sysexits.h` code of each kind of sealer library failure: the one
/// place where kinds become codes for the mail server.
impl From<sealer::Error> for GatewayFailure {
    fn from(err: sealer::Error) -> GatewayFailure {
        use envelope_core::ErrorKind;
        use sealer::ErrorKind as Kind;
        let code = match err.kind() {
            Kind::Mail | Kind::SeveralPages => Sysexit::DataErr,
            Kind::NoPassphrase => Sysexit::Unavailable,
            // Too many recipients, an attachment over a limit.
            Kind::Envelope => match err.envelope_error().map(envelope_core::Error::kind) {
                Some(ErrorKind::LimitExceeded | ErrorKind::InvalidInput) => Sysexit::DataErr,
                _ => Sysexit::TempFail,
            },
            // The policy and its templates: the gateway's to fix.
            _ => Sysexit::TempFail,
        };
        GatewayFailure::new(code, err.to_string())
    }
}
