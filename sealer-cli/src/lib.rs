//! The sealer library: turns sealed envelopes into the self-contained
//! `.html` page a recipient opens in any browser.
//!
//! ```
//! use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};
//! let options = SealOptions::new()
//!     .passphrase(Passphrase::new("stuffed-blame-ripcord-emporium-crimp-gatherer"))
//!     .label("Secure message from Example Clinic");
//! # let options = options.kdf(KdfParams { m_kib: 64, t: 1, p: 1 }); // fast doctest
//! let envelope = seal_to_vec(Message::new().subject("Results").text_body("…"), &options)?;
//! let html = sealer::render_page(&envelope, &sealer::PageOptions::default())?;
//! assert!(html.is_ascii());
//! assert!(html.contains("Secure message from Example Clinic"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod branding;
mod demo;
pub mod expiry;
pub mod files;
pub mod input;
pub mod notice;
mod page;
pub mod page_policy;
pub mod reader;
pub mod receipts;
pub mod seven_bit;
pub mod smtp;
pub mod templates;
pub mod verify;
pub mod wrap;

pub use demo::{DEMO_FROM, DEMO_SUBJECT, DEMO_TO, demo_message};
pub use page::{
    DECRYPTOR_JS, DECRYPTOR_WASM, PageOptions, decryptor_digests, render_page, sha256_hex,
};
pub use reader::{
    PageContents, embedded_decryptor, extract_envelope, page_contents, read_page,
    read_page_contents,
};

/// What can go wrong in the sealer library.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The envelope could not be sealed or read.
    Envelope(envelope_core::Error),
    /// The page could not be rendered.
    Render(String),
    /// The notice e-mail could not be built.
    Notice(String),
    /// A branding value is invalid (see [`branding::Branding::check`]).
    Branding(String),
    /// A mail message to wrap cannot be read (see [`wrap::read_mail`]).
    Mail(String),
    /// A gateway policy is invalid (see [`wrap::policy::Policy`]), or a
    /// file it names cannot be used.
    Policy(String),
    /// No passphrase is on file for this recipient (see
    /// [`wrap::policy::recipient_passphrase`]).
    NoPassphrase(String),
    /// A message could not be submitted over SMTP (see [`smtp::submit`]).
    Smtp(String),
    /// The sent-log cannot be used (see [`receipts::SentLog`]).
    SentLog(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Envelope(err) => err.fmt(f),
            Error::Render(reason) => write!(f, "cannot render the envelope page: {reason}"),
            Error::Notice(reason) => write!(f, "cannot build the notice e-mail: {reason}"),
            Error::Branding(reason) => write!(f, "invalid branding: {reason}"),
            Error::Mail(reason) => write!(f, "cannot read the message: {reason}"),
            Error::Policy(reason) => write!(f, "policy: {reason}"),
            Error::Smtp(reason) => write!(f, "cannot send: {reason}"),
            Error::SentLog(reason) => f.write_str(reason),
            Error::NoPassphrase(recipient) => write!(
                f,
                "no passphrase is on file for {recipient}: the message cannot be sealed for them"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Envelope(err) => Some(err),
            Error::Render(_)
            | Error::Notice(_)
            | Error::Branding(_)
            | Error::Mail(_)
            | Error::Policy(_)
            | Error::NoPassphrase(_)
            | Error::Smtp(_)
            | Error::SentLog(_) => None,
        }
    }
}

impl From<envelope_core::Error> for Error {
    fn from(err: envelope_core::Error) -> Self {
        Error::Envelope(err)
    }
}

/// Short for `Result<T, sealer::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
