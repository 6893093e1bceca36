//! What a file given to `sealer open`, `inspect` or `verify` is: a raw
//! envelope, an envelope page, or an e-mail carrying one. Decided as the
//! programs a recipient uses would decide it, so that a file cannot be one
//! thing to a browser and another to the sealer (a page that is also a MIME
//! message, say):
//!
//! - it starts with the envelope's magic bytes: a raw envelope;
//! - its name ends in `.html`, `.htm`, `.xhtml` or `.shtml`, or its first
//!   character after white space is `<` (what a browser sniffs as HTML), or
//!   it starts with a byte-order mark: a page. It is read only as a page,
//!   never as a mail, whatever it also holds;
//! - it starts with a header field (`Name: value`): an e-mail, whose HTML
//!   attachments are the pages it carries (`envelope_core::mail`, the rule
//!   the opener site applies too);
//! - anything else is none of these.
//!
//!  A mail carrying more than one HTML attachment is
//!   refused: which one a recipient opens is not the sealer's to guess.

use std::borrow::Cow;
use std::path::Path;

use envelope_core::mail::{FileKind, file_kind};

use crate::{Error, ErrorKind, Result};

/// Most HTML attachments looked at in one e-mail (each is named in a
/// refusal).
const MAX_PAGES_NAMED: usize = 20;

/// A file handed to the sealer, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// The envelope's own bytes.
    Envelope(Vec<u8>),
    /// An envelope page (or what claims to be one).
    Page(Vec<u8>),
    /// An e-mail message.
    Mail(Vec<u8>),
    /// Something else (a letter, a picture…).
    Other(Vec<u8>),
}

/// One page: its name (the file's, or the attachment's) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedPage<'a> {
    /// The file name, or the attachment's name in the mail.
    pub name: String,
    /// The page's bytes (the file's own, or decoded from the mail).
    pub bytes: Cow<'a, [u8]>,
}

/// The envelope a file is or carries, and the decryptor module of the page
/// that carries it (none for a raw envelope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried<'a> {
    /// The envelope's bytes.
    pub envelope: Cow<'a, [u8]>,
    /// The page's decryptor module, if it has a readable one.
    pub decryptor: Option<Vec<u8>>,
}

impl Input {
    /// Decides what `bytes`, read from a file named `name` (if any), are.
    pub fn new(bytes: Vec<u8>, name: Option<&Path>) -> Input {
        let name = name
            .and_then(|name| name.file_name())
            .and_then(|name| name.to_str());
        match file_kind(&bytes, name) {
            FileKind::Envelope => Input::Envelope(bytes),
            FileKind::Page => Input::Page(bytes),
            FileKind::Mail => Input::Mail(bytes),
            FileKind::Other => Input::Other(bytes),
        }
    }

    /// The envelope it is or carries (a page's, or the one page a mail
    /// carries), for opening.
    ///
    /// # Errors
    ///
    /// As [`Input::carried`].
    pub fn envelope(&self) -> Result<Cow<'_, [u8]>> {
        self.carried().map(|carried| carried.envelope)
    }

    /// The envelope it is or carries, and the decryptor of the page that
    /// carries it, from one reading of the page.
    ///
    /// # Errors
    ///
    /// As [`crate::read_page`] for a page; for a mail, as
    /// [`Input::pages_named`] and then [`crate::read_page`] on its one page.
    pub fn carried(&self) -> Result<Carried<'_>> {
        let from_page = |page: &[u8]| {
            crate::read_page_contents(page).map(|contents| Carried {
                envelope: Cow::Owned(contents.envelope),
                decryptor: contents.decryptor,
            })
        };
        match self {
            Input::Envelope(bytes) => Ok(Carried {
                envelope: Cow::Borrowed(bytes),
                decryptor: None,
            }),
            Input::Page(bytes) => from_page(bytes),
            Input::Other(_) => Err(envelope_core::Error::NotAnEnvelope.into()),
            Input::Mail(_) => {
                let mut pages = self.pages()?;
                let page = pages.pop().ok_or(envelope_core::Error::NotAnEnvelope)?;
                if !pages.is_empty() {
                    pages.push(page);
                    return Err(more_than_one(&pages));
                }
                from_page(&page.bytes)
            }
        }
    }

    /// The pages it is or carries: itself, named `name`, for a page; every
    /// HTML attachment of a mail (in its attached messages too); none for
    /// a raw envelope.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Mail`] when a mail cannot be read as one.
    pub fn pages_named(&self, name: &str) -> Result<Vec<NamedPage<'_>>> {
        match self {
            Input::Envelope(_) | Input::Other(_) => Ok(Vec::new()),
            Input::Page(bytes) => Ok(vec![NamedPage {
                name: name.to_owned(),
                bytes: Cow::Borrowed(bytes),
            }]),
            Input::Mail(_) => self.pages(),
        }
    }

    fn pages(&self) -> Result<Vec<NamedPage<'static>>> {
        let Input::Mail(bytes) = self else {
            return Ok(Vec::new());
        };
        let pages = envelope_core::mail::html_attachments(bytes).map_err(|err| match err {
            envelope_core::Error::NotAnEnvelope => Error::new(
                ErrorKind::Mail,
                "it is neither an envelope, an envelope page nor an e-mail",
            ),
            err => Error::new(ErrorKind::Mail, format!("the e-mail cannot be read: {err}")),
        })?;
        Ok(pages
            .into_iter()
            .enumerate()
            .map(|(index, page)| NamedPage {
                name: if page.name.is_empty() {
                    format!("attachment {}", index + 1)
                } else {
                    page.name
                },
                bytes: Cow::Owned(page.bytes),
            })
            .collect())
    }
}

/// The refusal of a mail that carries several pages.
fn more_than_one(pages: &[NamedPage<'_>]) -> Error {
    let names: Vec<String> = pages
        .iter()
        .take(MAX_PAGES_NAMED)
        .map(|page| format!("{:?}", page.name))
        .collect();
    Error::new(
        ErrorKind::SeveralPages,
        format!(
            "the e-mail carries {} HTML attachments ({}), and which one a recipient opens cannot \
         be told: save the one you mean and give it to the sealer on its own",
            pages.len(),
            names.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_file_is_what_a_browser_or_mail_program_takes_it_for() {
        let page = |bytes: &[u8], name: &str| {
            matches!(
                Input::new(bytes.to_vec(), Some(Path::new(name))),
                Input::Page(_)
            )
        };
        assert!(page(b"<!DOCTYPE html>", "x"));
        assert!(page(b"  \r\n<html>", "x.eml"));
        assert!(page(b"Content-Type: multipart/mixed\r\n\r\n", "x.HTML"));
        assert!(page(b"\xEF\xBB\xBFFrom: a", "x"));
        assert!(page(b"\xFF\xFEx", "x"));
        assert!(!page(b"From: a@b\r\n\r\n<html>", "x.eml"));
        assert!(matches!(
            Input::new(b"From: a@b\r\n\r\nx".to_vec(), None),
            Input::Mail(_)
        ));
        assert!(matches!(
            Input::new(b"Dear Alex: here".to_vec(), None),
            Input::Other(_)
        ));
        let mut raw = envelope_core::MAGIC.to_vec();
        raw.push(1);
        assert!(matches!(
            Input::new(raw, Some(Path::new("x.html"))),
            Input::Envelope(_)
        ));
    }
}
