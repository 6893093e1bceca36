//! The parts of a message as the checks before sealing read them (the virus
//! scan, the content rules): its bodies, each attachment by the name the
//! recipient sees, and the parts inside each forwarded message, named
//! `outer › inner`, three forwarded messages deep. One walk, so that a
//! part is named the same by every check.

use std::borrow::Cow;

use envelope_core::Message;

/// How deep forwarded messages inside forwarded messages are taken apart.
const MAX_NESTING: usize = 3;

/// What a part is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PartKind {
    /// The plain-text body.
    Text,
    /// The HTML body.
    Html,
    /// An attachment, of this media type (a forwarded message is one too,
    /// followed by its own parts).
    Attachment(String),
}

/// One part: its name, what it is, and its bytes (borrowed from the
/// message, or, inside a forwarded message, read from it).
#[derive(Debug, Clone)]
pub(crate) struct MessagePart<'a> {
    /// `message text`, `HTML text`, an attachment's name, or `outer ›
    /// inner`.
    pub(crate) name: String,
    /// What it is.
    pub(crate) kind: PartKind,
    /// Its bytes.
    pub(crate) bytes: Cow<'a, [u8]>,
}

/// Every part of `message` held in memory, in order: the bodies, then each
/// attachment followed, for a forwarded message, by its parts. (Attachments
/// streamed from a reader have no bytes here: they can be read only once.)
pub(crate) fn parts_of(message: &Message) -> Vec<MessagePart<'_>> {
    parts_at(message, 0)
}

/// The parts inside the forwarded message `bytes` named `outer`, each
/// named `outer › inner`; none when it does not read as a message.
pub(crate) fn forwarded_parts(outer: &str, bytes: &[u8]) -> Vec<MessagePart<'static>> {
    forwarded_parts_at(outer, bytes, 1)
}

fn parts_at(message: &Message, depth: usize) -> Vec<MessagePart<'_>> {
    let mut parts = Vec::new();
    if !message.body_text().is_empty() {
        parts.push(borrowed(
            "message text",
            PartKind::Text,
            message.body_text().as_bytes(),
        ));
    }
    if let Some(html) = message.body_html() {
        parts.push(borrowed("HTML text", PartKind::Html, html.as_bytes()));
    }
    for attachment in message.attachments() {
        let Some(bytes) = attachment.bytes() else {
            continue;
        };
        let media_type = attachment.media_type().to_owned();
        parts.push(borrowed(
            attachment.name(),
            PartKind::Attachment(media_type),
            bytes,
        ));
        if depth < MAX_NESTING && is_forwarded_message(attachment.media_type(), attachment.name()) {
            parts.extend(forwarded_parts_at(attachment.name(), bytes, depth + 1));
        }
    }
    parts
}

fn borrowed<'a>(name: &str, kind: PartKind, bytes: &'a [u8]) -> MessagePart<'a> {
    MessagePart {
        name: name.to_owned(),
        kind,
        bytes: Cow::Borrowed(bytes),
    }
}

fn forwarded_parts_at(outer: &str, bytes: &[u8], depth: usize) -> Vec<MessagePart<'static>> {
    let Ok(incoming) = crate::wrap::read_mail(bytes) else {
        return Vec::new();
    };
    parts_at(&incoming.message, depth)
        .into_iter()
        .map(|part| MessagePart {
            name: format!("{outer} › {}", part.name),
            kind: part.kind,
            bytes: Cow::Owned(part.bytes.into_owned()),
        })
        .collect()
}

/// Whether a part is a forwarded message: `message/rfc822`, or a `.eml`
/// file.
pub fn is_forwarded_message(media_type: &str, name: &str) -> bool {
    media_type
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("message/rfc822"))
        || name.to_ascii_lowercase().ends_with(".eml")
}
