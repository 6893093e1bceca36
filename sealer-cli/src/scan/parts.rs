//! What is given to the scanner: each part of a message by the name the
//! recipient will see it under, the parts inside a forwarded message, and
//! (for a mail) the whole message as it came.
//!
//! ClamAV opens archives and mail by itself, so an attachment is sent as
//! it is (a ZIP is unpacked by the scanner); a forwarded message is also
//! taken apart here, so that each of its parts gets a verdict of its own,
//! and the whole mail is sent too, so that what no part holds (a preamble,
//! a part this reading would not see) is scanned by ClamAV's own reading.

use std::io::Read;

use std::borrow::Cow;

use envelope_core::Message;

use crate::message_parts::{MessagePart, forwarded_parts, parts_of};

/// One thing to scan, with the name the recipient knows it by.
pub struct ScanPart<'a> {
    /// `message text`, `HTML text`, an attachment's name, or `outer ›
    /// inner` for a part of a forwarded message.
    pub name: String,
    /// Its bytes.
    pub content: Box<dyn Read + 'a>,
}

impl std::fmt::Debug for ScanPart<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanPart")
            .field("name", &self.name)
            .finish()
    }
}

impl<'a> ScanPart<'a> {
    /// A part held in memory.
    pub fn bytes(name: impl Into<String>, bytes: &'a [u8]) -> ScanPart<'a> {
        ScanPart {
            name: name.into(),
            content: Box::new(bytes),
        }
    }

    /// A part read from `content` (a file, say).
    pub fn reader(name: impl Into<String>, content: impl Read + 'a) -> ScanPart<'a> {
        ScanPart {
            name: name.into(),
            content: Box::new(content),
        }
    }
}

/// The parts of a message read from a mail (`raw`, as it came, read into
/// `message`): [`message_parts`], then the whole mail (last, so that a
/// threat in a part is named by its part).
pub fn mail_parts<'a>(raw: &'a [u8], message: &'a Message) -> Vec<ScanPart<'a>> {
    let mut parts = message_parts(message);
    parts.push(ScanPart::bytes("the whole message", raw));
    parts
}

/// The parts of `message` held in memory: its bodies, each attachment,
/// and the parts inside each forwarded message. (Attachments streamed from
/// a reader are the caller's to add: they can be read only once.)
pub fn message_parts(message: &Message) -> Vec<ScanPart<'_>> {
    parts_of(message).into_iter().map(ScanPart::from).collect()
}

/// The parts inside a forwarded message `bytes` named `outer`, each named
/// `outer › inner`, taken apart down to three levels. What does not read
/// as a message has no parts (it was scanned whole already).
pub fn nested_parts(outer: &str, bytes: &[u8]) -> Vec<ScanPart<'static>> {
    forwarded_parts(outer, bytes)
        .into_iter()
        .map(ScanPart::from)
        .collect()
}

impl<'a> From<MessagePart<'a>> for ScanPart<'a> {
    fn from(part: MessagePart<'a>) -> ScanPart<'a> {
        match part.bytes {
            Cow::Borrowed(bytes) => ScanPart::bytes(part.name, bytes),
            Cow::Owned(bytes) => ScanPart::reader(part.name, std::io::Cursor::new(bytes)),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::wrap::read_mail;

    fn names(parts: &[ScanPart<'_>]) -> Vec<String> {
        parts.iter().map(|p| p.name.clone()).collect()
    }

    #[test]
    fn a_forwarded_message_is_taken_apart() {
        let forwarded = "From: a@example.org\r\nSubject: Invoice\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n--in\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--in\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=invoice.zip\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--in--\r\n";
        let raw = format!(
            "From: b@example.org\r\nTo: c@example.org\r\nSubject: Fwd\r\nContent-Type: multipart/mixed; boundary=out\r\n\r\n--out\r\nContent-Type: text/plain\r\n\r\nFYI\r\n--out\r\nContent-Type: message/rfc822\r\n\r\n{forwarded}\r\n--out--\r\n"
        );
        let incoming = read_mail(raw.as_bytes()).unwrap();
        let mut parts = mail_parts(raw.as_bytes(), &incoming.message);
        assert_eq!(
            names(&parts),
            [
                "message text",
                "Invoice.eml",
                "Invoice.eml › message text",
                "Invoice.eml › invoice.zip",
                "the whole message",
            ]
        );
        let mut zip = Vec::new();
        parts[3].content.read_to_end(&mut zip).unwrap();
        assert_eq!(zip, b"PK\x03\x04", "decoded from base64");
    }
}
