//! The mail that carries a page, cut where the page goes: what comes
//! before it and after it. The mail is built once around a placeholder (a
//! random token no header or text holds), and the page is copied into its
//! place as it is read, so a mail of any size is written in constant
//! memory; built around the page itself, it would be the same bytes.

use std::io::{self, Read, Write};

use crate::{Error, ErrorKind, Result};

/// A mail without its page.
#[derive(Debug, Clone)]
pub(crate) struct MailFrame {
    before: Vec<u8>,
    after: Vec<u8>,
    /// The mail's lines end in a bare LF: so must the page's.
    bare_lf: bool,
}

/// What stands in the page's place while the mail is built: one line, as
/// the page's last one ends in CRLF.
#[derive(Debug, Clone)]
pub(crate) struct Placeholder(String);

impl Placeholder {
    /// A fresh one.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Internal`] when there is no randomness.
    pub(crate) fn new() -> Result<Placeholder> {
        let token = crate::token::random_token()?;
        Ok(Placeholder(format!("sealer-page-{token}\r\n")))
    }

    /// The text to build the mail with in the page's place.
    pub(crate) fn text(&self) -> &str {
        &self.0
    }
}

impl MailFrame {
    /// Cuts `mail` (built with `placeholder` as its page, its line ends
    /// made bare LF when `bare_lf`) where the placeholder stands.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Internal`] when the placeholder is not there exactly
    /// once.
    pub(crate) fn cut(mail: &[u8], placeholder: &Placeholder, bare_lf: bool) -> Result<MailFrame> {
        let token = placeholder.0.trim_end().as_bytes();
        let line_end: &[u8] = if bare_lf { b"\n" } else { b"\r\n" };
        let found: Vec<usize> = memchr::memmem::find_iter(mail, token).collect();
        match found.as_slice() {
            [at] if mail[at + token.len()..].starts_with(line_end) => Ok(MailFrame {
                before: mail[..*at].to_vec(),
                after: mail[at + token.len() + line_end.len()..].to_vec(),
                bare_lf,
            }),
            _ => Err(Error::new(
                ErrorKind::Internal,
                "cannot build the mail: the page's place in it is not found once",
            )),
        }
    }

    /// The whole mail with `page` in it.
    pub(crate) fn filled(&self, page: &[u8]) -> Vec<u8> {
        let mut mail = Vec::with_capacity(self.before.len() + page.len() + self.after.len());
        // Writing into a vector does not fail.
        let _ = self.write(page, &mut mail);
        mail
    }

    /// Writes the mail with the page `page` reads into `out`; returns the
    /// mail's length.
    ///
    /// # Errors
    ///
    /// When reading or writing fails.
    pub(crate) fn write(&self, mut page: impl Read, out: &mut impl Write) -> io::Result<u64> {
        out.write_all(&self.before)?;
        let mut written = self.before.len() as u64;
        let mut buffer = vec![0u8; 256 * 1024];
        loop {
            let read = match page.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            let piece = &buffer[..read];
            if self.bare_lf {
                // A page is 7-bit text whose only CRs end lines.
                for part in piece.split(|&b| b == b'\r') {
                    out.write_all(part)?;
                    written += part.len() as u64;
                }
            } else {
                out.write_all(piece)?;
                written += read as u64;
            }
        }
        out.write_all(&self.after)?;
        Ok(written + self.after.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_goes_where_the_placeholder_stood() {
        let placeholder = Placeholder::new().unwrap();
        let mail = format!(
            "Subject: x\r\n\r\n--b\r\n\r\n{}--b--\r\n",
            placeholder.text()
        );
        let frame = MailFrame::cut(mail.as_bytes(), &placeholder, false).unwrap();
        let page = b"<html>\r\n</html>\r\n";
        let expected = mail.replace(placeholder.text(), "<html>\r\n</html>\r\n");
        assert_eq!(frame.filled(page), expected.as_bytes());
        let mut out = Vec::new();
        let len = frame.write(&page[..], &mut out).unwrap();
        assert_eq!(
            (out.as_slice(), len),
            (expected.as_bytes(), expected.len() as u64)
        );

        let bare = mail.replace("\r\n", "\n");
        let frame = MailFrame::cut(bare.as_bytes(), &placeholder, true).unwrap();
        assert_eq!(
            frame.filled(page),
            expected.replace("\r\n", "\n").as_bytes()
        );

        let twice = format!("{0}{0}", placeholder.text());
        assert!(MailFrame::cut(twice.as_bytes(), &placeholder, false).is_err());
        assert!(MailFrame::cut(b"no page here", &placeholder, false).is_err());
    }
}
