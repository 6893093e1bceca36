//! Reading an RFC 5322 message (as a mail program or a mail server hands it
//! over) into what the envelope seals: its headers, its text and HTML
//! bodies, and every other part as an attachment with its name and type.
//!
//! The message is hostile input. `mail-parser` decodes it (RFC 2047
//! headers, RFC 2231 names, quoted-printable and base64, charsets through
//! `encoding_rs`); this module decides what is a body and what is an
//! attachment, names what has no name, and keeps nothing back: every leaf
//! part of the message ends up in the envelope.

use envelope_core::{Attachment, Message, MessageDate};
use mail_parser::{MessageParser, MimeHeaders, PartType};

use crate::mailbox::Mailbox;
use crate::{Error, ErrorKind};

/// Longest attachment name the format takes, in bytes.
const MAX_NAME_LEN: usize = 1024;

/// A message read for sealing.
#[derive(Debug)]
pub struct Incoming {
    /// What the envelope will hold.
    pub message: Message,
    /// The subject, decoded (empty when there is none).
    pub subject: String,
    /// The sender, if the message names one with an address.
    pub sender: Option<Mailbox>,
    /// The address of every To and Cc recipient (lower case), for the
    /// policy.
    pub recipients: Vec<String>,
    /// Every header, as (name, raw value after the colon, unfolded lines
    /// and all), in order: the outgoing message keeps some of them as they
    /// were.
    pub headers: Vec<(String, String)>,
    /// Whether the message already carries an envelope page: a second
    /// seal would only lock the recipient out twice.
    pub already_sealed: bool,
}

fn unusable(why: &str) -> Error {
    Error::new(ErrorKind::Mail, why.to_owned())
}

/// Reads `raw`, one RFC 5322 message.
///
/// # Errors
///
/// [`ErrorKind::Mail`] when `raw` is not a message: empty, or without a single
/// header.
pub fn read_mail(raw: &[u8]) -> Result<Incoming, Error> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(unusable("the message is empty"));
    }
    if !starts_with_a_header(raw) {
        return Err(unusable(
            "this is not an e-mail message: it does not start with a header line",
        ));
    }
    let mail = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| unusable("this is not an e-mail message"))?;
    let headers: Vec<(String, String)> = mail
        .headers_raw()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    if headers.is_empty() {
        return Err(unusable(
            "this is not an e-mail message: it has no header lines",
        ));
    }
    let subject = mail.subject().unwrap_or_default().to_owned();
    let sender = mail
        .from()
        .and_then(|from| from.first())
        .and_then(|addr| Mailbox::from_mail(addr.name(), addr.address()?).ok());
    let recipients = mail
        .to()
        .into_iter()
        .chain(mail.cc())
        .flat_map(|list| list.iter())
        .filter_map(|addr| addr.address())
        .map(str::to_lowercase)
        .collect();
    let message = addressed(&mail, &subject, &headers);
    let (message, already_sealed) = with_parts(message, &mail);
    Ok(Incoming {
        message,
        subject,
        sender,
        recipients,
        headers,
        already_sealed,
    })
}

/// The message to seal, with `mail`'s addressing, subject, date and
/// original header lines (as the recipient sees them once opened).
fn addressed(
    mail: &mail_parser::Message<'_>,
    subject: &str,
    headers: &[(String, String)],
) -> Message {
    let list = |addresses: Option<&mail_parser::Address<'_>>| -> Vec<String> {
        addresses.map_or_else(Vec::new, |list| list.iter().map(address).collect())
    };
    let mut message = Message::new()
        .subject(subject)
        .original_headers(header_text(headers));
    if let Some(from) = mail.from().and_then(|from| from.first()) {
        message = message.from(address(from));
    }
    for to in list(mail.to()) {
        message = message.to(to);
    }
    for cc in list(mail.cc()) {
        message = message.cc(cc);
    }
    if let Some(date) = mail.date().and_then(message_date) {
        message = message.date(date);
    }
    message
}

/// `message` with every leaf part of `mail`: text and HTML parts not marked
/// as attachments are the bodies, everything else an attachment; and
/// whether one of them is an envelope page already.
fn with_parts(mut message: Message, mail: &mail_parser::Message<'_>) -> (Message, bool) {
    let mut texts = Vec::new();
    let mut htmls = Vec::new();
    let mut already_sealed = false;
    let mut unnamed = 0;
    for part in &mail.parts {
        let is_plain = part.content_type().is_none_or(|t| {
            t.ctype().eq_ignore_ascii_case("text")
                && t.subtype().is_none_or(|s| s.eq_ignore_ascii_case("plain"))
        });
        let attached = part.attachment_name().is_some()
            || part
                .content_disposition()
                .is_some_and(|d| d.is_attachment());
        // A text or HTML part that is not marked as an attachment is body
        // text, wherever it is (Apple Mail puts text, an image and more
        // text in one multipart/mixed).
        match &part.body {
            PartType::Multipart(_) => continue,
            PartType::Text(text) if is_plain && !attached => {
                texts.push(text.as_ref());
                continue;
            }
            PartType::Html(html) if !attached => {
                htmls.push(html.as_ref());
                continue;
            }
            _ => {}
        }
        let media_type = media_type(part);
        already_sealed |= media_type == "text/html; charset=utf-8" && is_a_page(part.contents());
        let name = match part.attachment_name().filter(|n| !n.trim().is_empty()) {
            Some(name) => bounded_name(name),
            None => {
                unnamed += 1;
                fallback_name(part, &media_type, unnamed)
            }
        };
        let mut attachment = Attachment::from_bytes(name, media_type, part.contents().to_vec());
        // Its Content-ID, by which the HTML body shows it as a cid: image.
        if let Some(id) = part
            .content_id()
            .map(|id| id.trim().trim_start_matches('<').trim_end_matches('>'))
            .filter(|id| envelope_core::is_valid_content_id(id))
        {
            attachment = attachment.with_content_id(id);
        }
        message = message.attach(attachment);
    }
    if !texts.is_empty() {
        message = message.text_body(texts.join("\n"));
    }
    if !htmls.is_empty() {
        message = message.html_body(htmls.concat());
    }
    (message, already_sealed)
}

/// Whether `contents` is an envelope page: the envelope where the reading
/// rule finds it, with a header that reads.
fn is_a_page(contents: &[u8]) -> bool {
    crate::extract_envelope(&String::from_utf8_lossy(contents))
        .ok()
        .is_some_and(|bytes| envelope_core::Envelope::new(bytes.as_slice()).is_ok())
}

/// The original header lines as the recipient may see them after opening:
/// as they were (LF line ends), less `Bcc` (the other recipients must not
/// learn of a blind copy), cut at a line to the format's 64 KiB with a
/// note saying so.
fn header_text(headers: &[(String, String)]) -> String {
    const ROOM: usize = envelope_core::limits::MAX_CONTENT_EXTENSION_LEN as usize;
    let text: String = headers
        .iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("bcc"))
        .map(|(name, value)| format!("{name}:{}", value.replace("\r\n", "\n")))
        .collect();
    if text.len() <= ROOM {
        return text;
    }
    let mut end = ROOM - 100;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').map_or(0, |at| at + 1);
    format!(
        "{}[{} more bytes of header lines were not kept]\n",
        &text[..end],
        text.len() - end
    )
}

/// Whether `raw` starts with `Name:` (RFC 5322's field name: printable
/// ASCII but the colon), after an mbox `From ` line if there is one.
fn starts_with_a_header(raw: &[u8]) -> bool {
    let first_line = |raw: &[u8]| raw.split(|&b| b == b'\n').next().unwrap_or(raw).to_vec();
    let mut line = first_line(raw);
    if line.starts_with(b"From ") {
        line = first_line(&raw[line.len().saturating_add(1).min(raw.len())..]);
    }
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line[..colon].iter().all(|&b| (33..=126).contains(&b)),
        _ => false,
    }
}

/// `Name <address>`, `address`, or the name alone.
fn address(addr: &mail_parser::Addr<'_>) -> String {
    match (addr.name(), addr.address()) {
        (Some(name), Some(address)) if !name.trim().is_empty() => format!("{name} <{address}>"),
        (_, Some(address)) => address.to_owned(),
        (Some(name), None) => name.to_owned(),
        (None, None) => String::new(),
    }
}

/// The message's date, when it is one the format can hold.
fn message_date(date: &mail_parser::DateTime) -> Option<MessageDate> {
    let offset = i16::from(date.tz_hour) * 60 + i16::from(date.tz_minute);
    let date = MessageDate {
        unix_seconds: date.to_timestamp(),
        offset_minutes: if date.tz_before_gmt { -offset } else { offset },
    };
    // MessageDate::to_rfc3339 checks the same range the format does.
    (date.offset_minutes.abs() < 24 * 60
        && (-62_135_596_800..=253_402_300_799).contains(&date.unix_seconds))
    .then_some(date)
}

/// The part's media type as the manifest takes it: `type/subtype`, in
/// lower case, with `; charset=utf-8` for text (mail-parser has decoded it
/// to UTF-8); `application/octet-stream` when the message's is unusable.
fn media_type(part: &mail_parser::MessagePart<'_>) -> String {
    let token = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    let essence = match part.content_type() {
        Some(t) if token(t.ctype()) && t.subtype().is_some_and(token) => format!(
            "{}/{}",
            t.ctype().to_ascii_lowercase(),
            t.subtype().unwrap_or_default().to_ascii_lowercase()
        ),
        None if part.is_text() => "text/plain".to_owned(),
        None if part.is_message() => "message/rfc822".to_owned(),
        _ => "application/octet-stream".to_owned(),
    };
    if part.is_text() {
        format!("{essence}; charset=utf-8")
    } else {
        essence
    }
}

/// A name for a part that has none: a forwarded message after its subject,
/// the rest `part-N` with the extension its type usually has.
fn fallback_name(part: &mail_parser::MessagePart<'_>, media_type: &str, n: usize) -> String {
    if let Some(nested) = part.message() {
        let subject = nested.subject().unwrap_or("").trim();
        let stem = if subject.is_empty() {
            "forwarded message"
        } else {
            subject
        };
        return bounded_name(&format!("{stem}.eml"));
    }
    let essence = media_type.split(';').next().unwrap_or(media_type);
    let extension = match essence {
        "text/plain" => Some("txt"),
        "text/calendar" => Some("ics"),
        "text/html" => Some("html"),
        "image/jpeg" => Some("jpg"),
        _ => mime_guess::get_mime_extensions_str(essence).and_then(|e| e.first().copied()),
    };
    match extension {
        Some(extension) => format!("part-{n}.{extension}"),
        None => format!("part-{n}"),
    }
}

/// `name`, cut to the format's limit at a character boundary, keeping its
/// extension.
fn bounded_name(name: &str) -> String {
    if name.len() <= MAX_NAME_LEN {
        return name.to_owned();
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| e.len() <= 16)
        .unwrap_or("");
    let mut stem_len = MAX_NAME_LEN - extension.len() - 1;
    while !name.is_char_boundary(stem_len) {
        stem_len -= 1;
    }
    format!("{}.{extension}", &name[..stem_len])
}
