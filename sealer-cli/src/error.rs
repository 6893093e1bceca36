//! The sealer library's one error type: a [`kind`](ErrorKind) that callers
//! branch on, a one-line detail that says what is wrong and what to do, and
//! the error underneath, if any (as minijinja's and `envelope_core`'s
//! errors are built). A caller never has to guess from the context what a
//! failure means: "a template the user gave does not render" is
//! [`ErrorKind::Template`], never confused with a fault of the sealer's own
//! built-in templates ([`ErrorKind::Internal`]).

use std::fmt;

/// What kind of failure an [`Error`] is: what callers branch on (exit
/// codes, a gateway's `sysexits.h` code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The envelope could not be sealed or read: see
    /// [`Error::envelope_error`] for `envelope_core`'s own error.
    Envelope,
    /// A template the caller gave (a folder of templates, or
    /// [`crate::templates::Templates`] changed in code) cannot be read,
    /// does not render, or renders a page that breaks the page contract.
    Template,
    /// A branding value is invalid (see [`crate::branding::Branding::check`]).
    Branding,
    /// An e-mail address is not one (see [`crate::mailbox::Mailbox`]).
    Address,
    /// The notice e-mail cannot be built from what it was given: no
    /// sender or recipient, a subject with a line break.
    Notice,
    /// A mail message cannot be read as one (see [`crate::wrap::read_mail`]).
    Mail,
    /// A mail carries more than one envelope page, and which one a
    /// recipient would open cannot be told.
    SeveralPages,
    /// A gateway policy is invalid (see [`crate::wrap::policy::Policy`]),
    /// or a file it names cannot be used.
    Policy,
    /// No passphrase is on file for a recipient (see
    /// [`crate::wrap::policy::recipient_passphrase`]); the detail is the
    /// recipient's address.
    NoPassphrase,
    /// A message could not be submitted over SMTP (see
    /// [`crate::smtp::submit`]).
    Smtp,
    /// The sent-log cannot be used (see [`crate::receipts::SentLog`]).
    SentLog,
    /// A value the caller gave is not one the sealer understands (an
    /// expiry date, a key file's text).
    InvalidInput,
    /// A secret file (a passphrase, a key) is readable by others than its
    /// owner, or is not a plain file.
    NotPrivate,
    /// A public field (the label, the hint, a subject shown, the
    /// organisation's words) would give a passphrase away.
    PassphraseLeak,
    /// A file the caller named (a key, a passphrase file, a template)
    /// cannot be read.
    Unreadable,
    /// An output file exists, and is kept.
    Exists,
    /// A file or folder cannot be read or written; the source is the
    /// operating system's error.
    Io,
    /// The virus scanner could not be reached or did not answer (see
    /// [`crate::scan`]): the message may be scanned later.
    ScannerUnavailable,
    /// The virus scanner refused a part (over its size limit, say), or the
    /// message cannot be scanned whole: it was not scanned, and will not be
    /// when tried again.
    Unscannable,
    /// Something that works in every build failed: the built-in templates
    /// or decryptor, the system's randomness. Not the caller's to fix.
    Internal,
}

/// What can go wrong in the sealer library.
///
/// Its `Display` is the one line to show a person (what is wrong and, where
/// it helps, what to do); [`Error::kind`] is what to branch on.
pub struct Error {
    repr: Box<Repr>,
}

struct Repr {
    kind: ErrorKind,
    detail: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// An error of `kind`, saying `detail`.
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Error {
        Error {
            repr: Box::new(Repr {
                kind,
                detail: detail.into(),
                source: None,
            }),
        }
    }

    /// The same error, caused by `source`.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.repr.source = Some(Box::new(source));
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.repr.kind
    }

    /// What is wrong, without the words that say what was being done
    /// ("cannot read the message: ", "policy: "…); for
    /// [`ErrorKind::NoPassphrase`], the recipient's address.
    pub fn detail(&self) -> &str {
        &self.repr.detail
    }

    /// `envelope_core`'s error, for an [`ErrorKind::Envelope`] failure.
    pub fn envelope_error(&self) -> Option<&envelope_core::Error> {
        self.repr.source.as_ref()?.downcast_ref()
    }

    /// Whether this is [`ErrorKind::Envelope`] for input that is not an
    /// envelope at all.
    pub fn is_not_an_envelope(&self) -> bool {
        matches!(
            self.envelope_error(),
            Some(envelope_core::Error::NotAnEnvelope)
        )
    }

    /// The words before the detail, naming what was being done.
    fn context(&self) -> &'static str {
        match self.repr.kind {
            ErrorKind::Notice => "cannot build the notice e-mail: ",
            ErrorKind::Branding => "invalid branding: ",
            ErrorKind::Mail | ErrorKind::SeveralPages => "cannot read the message: ",
            ErrorKind::Policy => "policy: ",
            ErrorKind::Smtp => "cannot send: ",
            ErrorKind::ScannerUnavailable => "cannot scan for viruses: ",
            ErrorKind::Unscannable => "cannot be scanned for viruses: ",
            ErrorKind::Envelope
            | ErrorKind::Template
            | ErrorKind::Address
            | ErrorKind::NoPassphrase
            | ErrorKind::SentLog
            | ErrorKind::InvalidInput
            | ErrorKind::NotPrivate
            | ErrorKind::PassphraseLeak
            | ErrorKind::Unreadable
            | ErrorKind::Exists
            | ErrorKind::Io
            | ErrorKind::Internal => "",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.repr.kind {
            ErrorKind::NoPassphrase => write!(
                f,
                "no passphrase is on file for {}: the message cannot be sealed for them",
                self.repr.detail
            ),
            _ => write!(f, "{}{}", self.context(), self.repr.detail),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Error");
        debug
            .field("kind", &self.repr.kind)
            .field("detail", &self.repr.detail);
        if let Some(source) = &self.repr.source {
            debug.field("source", source);
        }
        debug.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.repr
            .source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

impl From<envelope_core::Error> for Error {
    fn from(err: envelope_core::Error) -> Self {
        Error::new(ErrorKind::Envelope, err.to_string()).with_source(err)
    }
}

/// Short for `Result<T, sealer::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_detail_and_source_are_kept_apart() {
        let err = Error::from(envelope_core::Error::NotAnEnvelope);
        assert_eq!(err.kind(), ErrorKind::Envelope);
        assert!(err.is_not_an_envelope());
        assert_eq!(err.to_string(), err.detail());
        assert!(std::error::Error::source(&err).is_some());

        let err = Error::new(ErrorKind::Mail, "it has no header");
        assert_eq!(err.to_string(), "cannot read the message: it has no header");
        assert_eq!(err.detail(), "it has no header");
        assert!(err.envelope_error().is_none());

        let err = Error::new(ErrorKind::NoPassphrase, "alex@example.org");
        assert!(
            err.to_string()
                .starts_with("no passphrase is on file for alex@example.org")
        );
    }
}
