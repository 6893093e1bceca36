//! How `sealer wrap` fails: exit codes from `sysexits.h`, which Postfix's
//! `pipe` and sendmail turn into a bounce (the sender learns of it) or a
//! deferral (the mail stays queued and is tried again). Nothing `wrap`
//! does ends in any other code, so a mail server never has to guess.

use std::fmt;
use std::process::ExitCode;

/// The `sysexits.h` codes `sealer wrap` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sysexit {
    /// 65 `EX_DATAERR`: the message is unusable or too big to seal.
    DataErr = 65,
    /// 66 `EX_NOINPUT`: the message file cannot be opened.
    NoInput = 66,
    /// 69 `EX_UNAVAILABLE`: no passphrase is on file for a recipient.
    Unavailable = 69,
    /// 73 `EX_CANTCREAT`: the output file exists.
    CantCreate = 73,
    /// 75 `EX_TEMPFAIL`: a failure that may pass when tried again.
    TempFail = 75,
    /// 78 `EX_CONFIG`: the policy, a file or folder it names, or the
    /// command line is wrong.
    Config = 78,
}

impl Sysexit {
    /// The word the audit log uses for what became of a message that
    /// failed this way.
    pub(crate) fn action(self) -> &'static str {
        match self {
            Sysexit::TempFail | Sysexit::Config | Sysexit::NoInput | Sysexit::CantCreate => {
                "deferred"
            }
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

impl From<sealer::Error> for GatewayFailure {
    fn from(err: sealer::Error) -> GatewayFailure {
        use envelope_core::ErrorKind;
        let code = match &err {
            sealer::Error::Mail(_) => Sysexit::DataErr,
            sealer::Error::NoPassphrase(_) => Sysexit::Unavailable,
            sealer::Error::Envelope(inner) => match inner.kind() {
                // Too many recipients, an attachment over a limit.
                ErrorKind::LimitExceeded | ErrorKind::InvalidInput => Sysexit::DataErr,
                _ => Sysexit::TempFail,
            },
            // The same templates and policy fail every message alike.
            sealer::Error::Policy(_)
            | sealer::Error::Render(_)
            | sealer::Error::Branding(_)
            | sealer::Error::Notice(_) => Sysexit::Config,
            _ => Sysexit::TempFail,
        };
        GatewayFailure::new(code, err.to_string())
    }
}
