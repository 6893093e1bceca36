//! The envelope pages a saved e-mail (`.eml`, RFC 5322 with MIME) carries:
//! its HTML attachments, in it and in the messages attached to it. One rule
//! for every reader (`sealer open mail.eml`, and the opener site, which is
//! handed what a mail program saved), so that a mail cannot carry one
//! envelope to the sealer and another to the browser.
//!
//! A part is a page when it is HTML (typed `text/html` or XHTML, or named
//! `.html`, `.htm`, `.xhtml`, `.xht` or `.shtml`) and an attachment (its
//! disposition says so, or it has a file name); an HTML part that is
//! neither is a message body (the notice's own). Everything is bounded: the
//! mail's size, its nesting and its number of parts.

use crate::Error;
use base64::Engine;

/// The largest mail looked into: far above what mail servers carry (tens
/// of megabytes), small enough for a phone's browser to hold it twice.
pub const MAX_MAIL_SIZE: usize = 128 * 1024 * 1024;
/// How deep multiparts and attached messages may nest.
const MAX_DEPTH: usize = 12;
/// The most parts (of any kind) looked at in one mail.
const MAX_PARTS: usize = 2_000;
/// Name extensions that make a browser open a file as a page.
const PAGE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "xht", "shtml"];

/// One HTML attachment: its file name (empty when it has none) and its
/// decoded bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailPage {
    /// The attachment's file name, as the mail gives it.
    pub name: String,
    /// The page, decoded from the mail's transfer encoding.
    pub bytes: Vec<u8>,
}

/// What a file is, by its first bytes and its name: the one rule `sealer
/// open` and the opener site decide by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A raw envelope (it starts with the magic).
    Envelope,
    /// A page: named as a browser opens a page (`.html`, `.htm`…), or
    /// starting with a byte-order mark or, after white space, with `<`.
    Page,
    /// A saved e-mail: it starts with a header field.
    Mail,
    /// None of these.
    Other,
}

/// What the file whose first bytes are `head` (a few hundred are enough),
/// named `name` if known, is.
pub fn file_kind(head: &[u8], name: Option<&str>) -> FileKind {
    if head.starts_with(&crate::MAGIC) {
        return FileKind::Envelope;
    }
    let byte_order_mark = [&[0xEF, 0xBB, 0xBF][..], &[0xFE, 0xFF], &[0xFF, 0xFE]]
        .iter()
        .any(|mark| head.starts_with(mark));
    let markup_first = head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
    if name.is_some_and(is_page_name) || byte_order_mark || markup_first {
        FileKind::Page
    } else if starts_with_header_field(head) {
        FileKind::Mail
    } else {
        FileKind::Other
    }
}

/// Whether `bytes` start as a mail does (RFC 5322): a field name of
/// printable ASCII without a colon, then a colon.
pub fn starts_with_header_field(bytes: &[u8]) -> bool {
    let name_len = bytes
        .iter()
        .take_while(|&&b| (0x21..0x7F).contains(&b) && b != b':')
        .count();
    name_len > 0 && bytes.get(name_len) == Some(&b':')
}

/// Whether a browser opens a file named `name` as a page.
pub fn is_page_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, extension)| {
        PAGE_EXTENSIONS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(extension))
    })
}

/// Every HTML attachment of `mail`, in the order they appear.
///
/// # Errors
///
/// [`Error::LimitExceeded`] for a mail too big, too deeply nested or with
/// too many parts; [`Error::NotAnEnvelope`] when `mail` does not start with
/// a header field; [`Error::Damaged`] when a multipart has no boundary or
/// an HTML attachment cannot be decoded.
pub fn html_attachments(mail: &[u8]) -> Result<Vec<MailPage>, Error> {
    if mail.len() > MAX_MAIL_SIZE {
        return Err(Error::LimitExceeded {
            what: "bytes of an e-mail",
            limit: MAX_MAIL_SIZE as u64,
            found: mail.len() as u64,
        });
    }
    if !starts_with_header_field(mail) {
        return Err(Error::NotAnEnvelope);
    }
    let mut walk = Walk {
        parts: 0,
        pages: Vec::new(),
    };
    walk.entity(mail, 0)?;
    Ok(walk.pages)
}

struct Walk {
    parts: usize,
    pages: Vec<MailPage>,
}

impl Walk {
    /// One MIME entity (headers, an empty line, a body).
    fn entity(&mut self, entity: &[u8], depth: usize) -> Result<(), Error> {
        self.parts += 1;
        if self.parts > MAX_PARTS {
            return Err(Error::LimitExceeded {
                what: "parts of an e-mail",
                limit: MAX_PARTS as u64,
                found: self.parts as u64,
            });
        }
        if depth > MAX_DEPTH {
            return Err(Error::LimitExceeded {
                what: "levels of parts nested in an e-mail",
                limit: MAX_DEPTH as u64,
                found: depth as u64,
            });
        }
        let (head, body) = split_entity(entity);
        let fields = Fields::parse(head);
        let content_type = fields.get("content-type").map(Value::parse);
        let media_type = content_type
            .as_ref()
            .map(|value| value.main.to_ascii_lowercase())
            .unwrap_or_default();
        let encoding = fields
            .get("content-transfer-encoding")
            .map(|value| value.trim().to_ascii_lowercase())
            .unwrap_or_default();
        if media_type.starts_with("multipart/") {
            let boundary = content_type
                .as_ref()
                .and_then(|value| value.param("boundary"))
                .filter(|boundary| (1..=200).contains(&boundary.len()))
                .ok_or_else(|| damaged("a multipart part of the e-mail has no boundary"))?;
            for part in multipart_parts(body, boundary.as_bytes()) {
                self.entity(part, depth + 1)?;
            }
            return Ok(());
        }
        if media_type == "message/rfc822" || media_type == "message/global" {
            // An attached message: most often 7bit, but it may be encoded.
            if let Some(inner) = decode(body, &encoding) {
                self.entity(&inner, depth + 1)?;
            }
            return Ok(());
        }
        let disposition = fields.get("content-disposition").map(Value::parse);
        let name = disposition
            .as_ref()
            .and_then(|value| value.param("filename"))
            .or_else(|| content_type.as_ref().and_then(|value| value.param("name")))
            .unwrap_or_default();
        let typed_html =
            ["text/html", "text/xhtml+xml", "application/xhtml+xml"].contains(&media_type.as_str());
        let attached = !name.is_empty()
            || disposition
                .as_ref()
                .is_some_and(|value| value.main.eq_ignore_ascii_case("attachment"));
        if (typed_html || is_page_name(&name)) && attached {
            let bytes = decode(body, &encoding)
                .ok_or_else(|| damaged("an HTML attachment of the e-mail cannot be decoded"))?;
            self.pages.push(MailPage { name, bytes });
        }
        Ok(())
    }
}

fn damaged(why: &'static str) -> Error {
    Error::Damaged(why.into())
}

/// Splits an entity at its first empty line: header fields, body.
fn split_entity(entity: &[u8]) -> (&[u8], &[u8]) {
    let mut start = 0;
    for line in lines(entity) {
        if trim_cr(&entity[line.start..line.end]).is_empty() {
            return (&entity[..start], &entity[line.next..]);
        }
        start = line.next;
    }
    (entity, &[])
}

/// A line of `bytes`: where it starts, where it ends (before its LF) and
/// where the next one starts.
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

fn lines(bytes: &[u8]) -> impl Iterator<Item = Line> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |at| start + at);
        let line = Line {
            start,
            end,
            next: (end + 1).min(bytes.len()),
        };
        start = end + 1;
        Some(line)
    })
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A header section's fields, unfolded, names in lower case.
struct Fields(Vec<(String, String)>);

impl Fields {
    fn parse(head: &[u8]) -> Fields {
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in lines(head) {
            let line = String::from_utf8_lossy(trim_cr(&head[line.start..line.end]));
            if line.starts_with([' ', '\t']) {
                if let Some((_, value)) = fields.last_mut() {
                    value.push_str(&line);
                }
            } else if let Some((name, value)) = line.split_once(':') {
                fields.push((name.trim().to_ascii_lowercase(), value.to_owned()));
            }
        }
        Fields(fields)
    }

    /// The first field named `name` (lower case).
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A structured field value: `main; name=value; name="quoted"`.
struct Value {
    main: String,
    params: Vec<(String, String)>,
}

impl Value {
    fn parse(text: &str) -> Value {
        let (main, mut rest) = text.split_once(';').unwrap_or((text, ""));
        let mut params = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c == ';' || c.is_whitespace());
            let Some((name, after)) = rest.split_once('=') else {
                break;
            };
            let name = name.trim().to_ascii_lowercase();
            let after = after.trim_start();
            let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
                unquote(quoted)
            } else {
                let end = after.find(';').unwrap_or(after.len());
                (after[..end].trim().to_owned(), &after[end..])
            };
            params.push((name, value));
            rest = remaining;
        }
        Value {
            main: main.trim().to_owned(),
            params,
        }
    }

    /// A parameter's value: plain, or RFC 2231's `name*=charset''percent`
    /// (read as UTF-8), or RFC 2231's continuations `name*0`, `name*1`….
    fn param(&self, name: &str) -> Option<String> {
        if let Some((_, value)) = self.params.iter().find(|(n, _)| n == name) {
            return Some(value.clone());
        }
        if let Some((_, value)) = self.params.iter().find(|(n, _)| *n == format!("{name}*")) {
            return Some(extended(value));
        }
        let mut joined = String::new();
        for index in 0..64 {
            let plain = format!("{name}*{index}");
            let encoded = format!("{name}*{index}*");
            match self
                .params
                .iter()
                .find(|(n, _)| *n == plain || *n == encoded)
            {
                Some((n, value)) if n.ends_with('*') => joined.push_str(&extended(value)),
                Some((_, value)) => joined.push_str(value),
                None => break,
            }
        }
        (!joined.is_empty()).then_some(joined)
    }
}

/// A quoted string's contents (after its opening quote) and what follows
/// its closing quote.
fn unquote(quoted: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return (value, &quoted[at + 1..]),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            c => value.push(c),
        }
    }
    (value, "")
}

/// An RFC 2231 extended value: `charset'language'percent-encoded` (or a
/// continuation of one: just percent-encoded), read as UTF-8.
fn extended(value: &str) -> String {
    let encoded = match value.splitn(3, '\'').collect::<Vec<_>>().as_slice() {
        [_, _, encoded] => encoded,
        _ => value,
    };
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[at], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                at += 3;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The parts of a multipart body between its `--boundary` lines, up to the
/// closing `--boundary--` (or the end, for a mail cut short).
fn multipart_parts<'a>(body: &'a [u8], boundary: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    for line in lines(body) {
        let text = trim_cr(&body[line.start..line.end]);
        let Some(rest) = text
            .strip_prefix(b"--")
            .and_then(|rest| rest.strip_prefix(boundary))
        else {
            continue;
        };
        let closing = rest.starts_with(b"--");
        let padding = if closing { &rest[2..] } else { rest };
        if !padding.iter().all(|&b| b == b' ' || b == b'\t') {
            continue;
        }
        if let Some(start) = open {
            // The line break before a delimiter belongs to the delimiter.
            let mut end = line.start.max(start);
            if end > start && body[end - 1] == b'\n' {
                end -= 1;
                if end > start && body[end - 1] == b'\r' {
                    end -= 1;
                }
            }
            parts.push(&body[start..end]);
        }
        if closing {
            return parts;
        }
        open = Some(line.next);
    }
    if let Some(start) = open {
        parts.push(&body[start.min(body.len())..]);
    }
    parts
}

/// A body decoded from its transfer encoding; `None` for an encoding not
/// known or a body not valid in it.
fn decode(body: &[u8], encoding: &str) -> Option<Vec<u8>> {
    match encoding {
        "" | "7bit" | "8bit" | "binary" => Some(body.to_vec()),
        "base64" => {
            let compact: Vec<u8> = body
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(&compact)
                .ok()
        }
        "quoted-printable" => Some(quoted_printable(body)),
        _ => None,
    }
}

/// Quoted-printable decoded: `=XX` is a byte, `=` at a line's end joins
/// it to the next; an `=` followed by anything else stays as it is.
fn quoted_printable(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut at = 0;
    while at < body.len() {
        if body[at] != b'=' {
            out.push(body[at]);
            at += 1;
            continue;
        }
        let rest = &body[at + 1..];
        let soft_break = rest
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .map(|blank| &rest[blank..])
            .filter(|after| after.starts_with(b"\r\n") || after.starts_with(b"\n"));
        if let Some(after) = soft_break {
            at = body.len() - after.len() + if after[0] == b'\r' { 2 } else { 1 };
            continue;
        }
        match rest
            .get(..2)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            Some(byte) => {
                out.push(byte);
                at += 3;
            }
            None => {
                out.push(b'=');
                at += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_file_is_what_its_first_bytes_and_name_say() {
        let kind = |head: &[u8], name: Option<&str>| file_kind(head, name);
        assert_eq!(kind(&crate::MAGIC, Some("x.html")), FileKind::Envelope);
        assert_eq!(kind(b"  \n<!DOCTYPE html>", None), FileKind::Page);
        assert_eq!(kind(b"\xEF\xBB\xBFhello", None), FileKind::Page);
        assert_eq!(kind(b"\xFF\xFEh\0", None), FileKind::Page);
        assert_eq!(
            kind(b"From: a@b.example\r\n", Some("mail.eml")),
            FileKind::Mail
        );
        assert_eq!(
            kind(b"From: a@b.example\r\n", Some("page.HTM")),
            FileKind::Page
        );
        assert_eq!(kind(b"%PDF-1.7", Some("letter.pdf")), FileKind::Other);
        assert_eq!(kind(b"", None), FileKind::Other);
    }

    const PAGE: &[u8] = b"<!DOCTYPE html><script id=\"envelope-header\"></script>";

    fn mail(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut mail =
            b"From: a@b.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n \
              boundary=\"b1\"\r\n\r\npreamble\r\n"
                .to_vec();
        for (headers, body) in parts {
            mail.extend_from_slice(b"--b1\r\n");
            mail.extend_from_slice(headers.as_bytes());
            mail.extend_from_slice(b"\r\n\r\n");
            mail.extend_from_slice(body);
            mail.extend_from_slice(b"\r\n");
        }
        mail.extend_from_slice(b"--b1--\r\nepilogue\r\n");
        mail
    }

    #[test]
    fn finds_the_html_attachment_in_each_transfer_encoding() {
        let base64 = base64::engine::general_purpose::STANDARD.encode(PAGE);
        let (first, second) = base64.split_at(20);
        let folded = format!("{first}\r\n{second}");
        let quoted = b"<!DOCTYPE html><script id=3D\"envelope-=\r\nheader\"></script>";
        for (encoding, body) in [
            ("7bit", PAGE),
            ("base64", folded.as_bytes()),
            ("quoted-printable", &quoted[..]),
        ] {
            let headers = format!(
                "Content-Type: text/html; charset=utf-8\r\nContent-Disposition: attachment; \
                 filename=\"letter.html\"\r\nContent-Transfer-Encoding: {encoding}"
            );
            let pages = html_attachments(&mail(&[
                ("Content-Type: text/plain", b"Hello"),
                (&headers, body),
            ]))
            .unwrap();
            assert_eq!(
                pages,
                vec![MailPage {
                    name: "letter.html".into(),
                    bytes: PAGE.to_vec()
                }],
                "{encoding}"
            );
        }
    }

    #[test]
    fn an_html_body_is_not_an_attachment_but_a_named_page_is() {
        let pages = html_attachments(&mail(&[
            ("Content-Type: text/html", b"<p>the notice</p>"),
            (
                "Content-Type: application/octet-stream; name*=utf-8''r%C3%A9sultats.htm",
                PAGE,
            ),
            (
                "Content-Type: image/png\r\nContent-Disposition: attachment",
                b"png",
            ),
        ]))
        .unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].name, "résultats.htm");
    }

    #[test]
    fn looks_into_attached_messages_and_lf_only_mails() {
        let inner = String::from_utf8(mail(&[(
            "Content-Type: text/html\r\nContent-Disposition: attachment",
            PAGE,
        )]))
        .unwrap();
        let outer = mail(&[("Content-Type: message/rfc822", inner.as_bytes())]);
        assert_eq!(html_attachments(&outer).unwrap().len(), 1);
        let lf_only = String::from_utf8(outer).unwrap().replace("\r\n", "\n");
        let pages = html_attachments(lf_only.as_bytes()).unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].bytes, PAGE);
    }

    #[test]
    fn refuses_what_it_cannot_read_and_bounds_the_rest() {
        assert!(matches!(
            html_attachments(b"<html>"),
            Err(Error::NotAnEnvelope)
        ));
        assert!(matches!(
            html_attachments(b"Content-Type: multipart/mixed\r\n\r\n--x\r\n"),
            Err(Error::Damaged(_))
        ));
        let bad = mail(&[(
            "Content-Type: text/html\r\nContent-Disposition: attachment\r\n\
             Content-Transfer-Encoding: base64",
            b"not base64!",
        )]);
        assert!(matches!(html_attachments(&bad), Err(Error::Damaged(_))));
        let mut deep = b"Content-Type: message/rfc822\r\n\r\n".repeat(MAX_DEPTH + 2);
        deep.extend_from_slice(b"Subject: x\r\n\r\nx");
        assert!(matches!(
            html_attachments(&deep),
            Err(Error::LimitExceeded { .. })
        ));
        let many = mail(&vec![
            ("Content-Type: text/plain", &b"x"[..]);
            MAX_PARTS + 1
        ]);
        assert!(matches!(
            html_attachments(&many),
            Err(Error::LimitExceeded { .. })
        ));
        // A mail cut short keeps what it has; no closing delimiter needed.
        let cut = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\
                    Content-Type: text/html; name=a.html\r\n\r\n<html>";
        assert_eq!(html_attachments(cut).unwrap()[0].bytes, b"<html>");
    }

    #[test]
    fn quoted_printable_keeps_stray_equals_signs() {
        assert_eq!(quoted_printable(b"a=3Db= \r\nc=zz="), b"a=bc=zz=");
    }
}
