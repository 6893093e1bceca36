//! The encrypted content's structure: the manifest that comes first, and the
//! trailer of part digests that comes last.
//!
//! Content = manifest length (u32) ‖ manifest ‖ parts ‖ trailer, where the
//! parts are the text body, the HTML body if any, and the attachments, in that
//! order. Sizes are in the manifest, so any part can be located without
//! reading the others; digests are in the trailer, so the sealer can stream
//! each part once. See `docs/FORMAT.md`, section "Content".

use crate::error::{Error, Result};
use crate::header::CRITICAL;
use crate::limits::*;
use crate::message::MessageDate;
use crate::receipt::is_valid_receipt_address;
use crate::reply::{ENVELOPE_ID_LEN, ReplyRequest, parse_in_reply_to};
use crate::virus_scan::VirusScan;
use crate::wire::{Parser, Put, check_string, put_string};

/// Bytes of a SHA-256 digest.
pub const DIGEST_LEN: usize = 32;

/// Manifest field type of the receipt request: the address the sender asks
/// the receipt code to be sent to (non-critical).
pub(crate) const FIELD_RECEIPT_REQUEST: u16 = 0x0001;
/// Manifest field type of the original message's header lines (UTF-8
/// text, non-critical: an opener that does not know it still opens).
pub(crate) const FIELD_ORIGINAL_HEADERS: u16 = 0x0002;
/// Manifest field type of the attachments' Content-IDs, by which an HTML
/// body shows them as `cid:` images (non-critical).
pub(crate) const FIELD_CONTENT_IDS: u16 = 0x0003;
/// Manifest field type of the reply request: where answers go, the key
/// they are sealed to, and this envelope's id (non-critical).
pub(crate) const FIELD_REPLY_REQUEST: u16 = 0x0004;
/// Manifest field type of the id of the envelope a reply answers
/// (non-critical).
pub(crate) const FIELD_IN_REPLY_TO: u16 = 0x0005;
/// Manifest field: what was checked for viruses before sealing
/// ([`VirusScan`]).
pub(crate) const FIELD_VIRUS_SCAN: u16 = 0x0006;
/// Longest Content-ID.
pub const MAX_CONTENT_ID_LEN: usize = 255;

/// Whether `id` can be an attachment's Content-ID in the manifest: 1 to 255
/// bytes of printable ASCII, without spaces, `<` or `>` (the id inside the
/// angle brackets of a `Content-ID` header, as `cid:` URLs name it).
pub fn is_valid_content_id(id: &str) -> bool {
    (1..=MAX_CONTENT_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| (0x21..0x7f).contains(&b) && b != b'<' && b != b'>')
}

/// What the manifest says about one attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    /// The file name as the sender gave it. Hostile: sanitise before using it
    /// as a path, and show it as text only.
    pub name: String,
    /// The media type as the sender gave it (checked to be a printable-ASCII
    /// `type/subtype`, nothing more).
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// The part's Content-ID in the mail it came from, if it had one (see
    /// [`is_valid_content_id`]): an HTML body names it as `cid:…`.
    pub content_id: Option<String>,
}

/// One part of the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// The plain-text body.
    TextBody,
    /// The HTML body.
    HtmlBody,
    /// Attachment number `n` (from 0) of the manifest.
    Attachment(usize),
}

/// The decrypted manifest: the message headers and the list of parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Sender.
    pub from: String,
    /// To recipients.
    pub to: Vec<String>,
    /// Cc recipients.
    pub cc: Vec<String>,
    /// Subject.
    pub subject: String,
    /// Date.
    pub date: MessageDate,
    /// Size of the text body in bytes.
    pub text_body_len: u64,
    /// Size of the HTML body, if there is one.
    pub html_body_len: Option<u64>,
    /// The attachments.
    pub attachments: Vec<AttachmentInfo>,
    /// The header lines of the message this was sealed from, as text (a
    /// mail gateway keeps them; shown as text only), if there were any.
    pub original_headers: Option<String>,
    /// Where the sender asks for a receipt code, when they asked for one
    /// (checked to be a plain `local@domain`, see
    /// [`crate::is_valid_receipt_address`]).
    pub receipt_to: Option<String>,
    /// What the sender asks of answers, when they asked for secure replies
    /// (checked to name this envelope, see [`ReplyRequest`]).
    pub reply_request: Option<ReplyRequest>,
    /// The id of the envelope this one answers, when it is a reply.
    pub in_reply_to: Option<[u8; ENVELOPE_ID_LEN]>,
    /// What was checked for viruses before sealing, when the sender's
    /// sealer recorded it.
    pub virus_scan: Option<VirusScan>,
}

impl Manifest {
    /// Every part with its size, in content order.
    pub fn parts(&self) -> Vec<(PartKind, u64)> {
        let mut parts = vec![(PartKind::TextBody, self.text_body_len)];
        if let Some(len) = self.html_body_len {
            parts.push((PartKind::HtmlBody, len));
        }
        parts.extend(
            self.attachments
                .iter()
                .enumerate()
                .map(|(i, a)| (PartKind::Attachment(i), a.size)),
        );
        parts
    }

    /// Total size of all parts.
    pub(crate) fn parts_len(&self) -> u64 {
        // Sizes were bounded on parse/seal, so this sum cannot overflow.
        self.parts().iter().map(|(_, len)| len).sum()
    }

    /// Encodes the manifest (without its length prefix).
    pub(crate) fn encode(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        check_string("sender address", &self.from, MAX_ADDRESS_LEN)?;
        put_string(&mut out, &self.from);
        for list in [&self.to, &self.cc] {
            Error::check_limit("recipients", MAX_RECIPIENTS.into(), list.len() as u64)?;
            out.put_u16(list.len() as u16);
            for address in list {
                check_string("recipient address", address, MAX_ADDRESS_LEN)?;
                put_string(&mut out, address);
            }
        }
        check_string("subject", &self.subject, MAX_SUBJECT_LEN)?;
        put_string(&mut out, &self.subject);
        self.date.check().map_err(Error::invalid)?;
        out.put_i64(self.date.unix_seconds);
        out.put_i16(self.date.offset_minutes);
        out.put_u64(self.text_body_len);
        match self.html_body_len {
            Some(len) => {
                out.put_u8(1);
                out.put_u64(len);
            }
            None => out.put_u8(0),
        }
        Error::check_limit(
            "attachments",
            MAX_ATTACHMENTS.into(),
            self.attachments.len() as u64,
        )?;
        out.put_u32(self.attachments.len() as u32);
        for attachment in &self.attachments {
            check_string("attachment name", &attachment.name, MAX_NAME_LEN)?;
            check_string("media type", &attachment.media_type, MAX_MEDIA_TYPE_LEN)?;
            put_string(&mut out, &attachment.name);
            put_string(&mut out, &attachment.media_type);
            out.put_u64(attachment.size);
        }
        let mut fields: Vec<(u16, &[u8])> = Vec::new();
        if let Some(address) = &self.receipt_to {
            if !is_valid_receipt_address(address) {
                return Err(Error::invalid(format!(
                    "the receipt address {address:?} is not a plain e-mail address \
                     (local@domain.example, in ASCII)"
                )));
            }
            fields.push((FIELD_RECEIPT_REQUEST, address.as_bytes()));
        }
        let content_ids = self.encode_content_ids()?;
        if let Some(headers) = &self.original_headers {
            Error::check_limit(
                "original headers",
                MAX_CONTENT_EXTENSION_LEN.into(),
                headers.len() as u64,
            )?;
            fields.push((FIELD_ORIGINAL_HEADERS, headers.as_bytes()));
        }
        if !content_ids.is_empty() {
            fields.push((FIELD_CONTENT_IDS, &content_ids));
        }
        let reply_request = self
            .reply_request
            .as_ref()
            .map(ReplyRequest::encode)
            .transpose()?;
        if let Some(value) = &reply_request {
            fields.push((FIELD_REPLY_REQUEST, value));
        }
        if let Some(id) = &self.in_reply_to {
            fields.push((FIELD_IN_REPLY_TO, id));
        }
        let virus_scan = self
            .virus_scan
            .as_ref()
            .map(VirusScan::encode)
            .transpose()?;
        if let Some(value) = &virus_scan {
            fields.push((FIELD_VIRUS_SCAN, value));
        }
        out.put_u16(fields.len() as u16);
        for (field_type, value) in fields {
            out.put_u16(field_type);
            out.put_u32(value.len() as u32);
            out.extend_from_slice(value);
        }
        Error::check_limit("manifest length", MAX_MANIFEST_LEN.into(), out.len() as u64)?;
        Ok(out)
    }

    /// The content-IDs field's value: for each attachment that has one, in
    /// order, its index (`u32`) and its Content-ID (`str`); empty when none
    /// has one.
    fn encode_content_ids(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        for (index, attachment) in self.attachments.iter().enumerate() {
            let Some(id) = &attachment.content_id else {
                continue;
            };
            if !is_valid_content_id(id) {
                return Err(Error::invalid(format!(
                    "the Content-ID {id:?} of attachment {:?} is not 1 to 255 printable \
                     ASCII characters without spaces or angle brackets",
                    attachment.name
                )));
            }
            out.put_u32(index as u32);
            put_string(&mut out, id);
        }
        Error::check_limit(
            "content IDs",
            MAX_CONTENT_EXTENSION_LEN.into(),
            out.len() as u64,
        )?;
        Ok(out)
    }

    /// Parses and validates an encoded manifest, of the envelope whose id
    /// is `envelope_id` (which a reply request must name).
    pub(crate) fn parse(bytes: &[u8], envelope_id: &[u8; ENVELOPE_ID_LEN]) -> Result<Manifest> {
        let mut p = Parser::new(bytes, "manifest");
        let from = p.string("sender address", MAX_ADDRESS_LEN)?;
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            let count = p.u16()?;
            Error::check_limit("recipients", MAX_RECIPIENTS.into(), count.into())?;
            for _ in 0..count {
                list.push(p.string("recipient address", MAX_ADDRESS_LEN)?);
            }
        }
        let [to, cc] = lists;
        let subject = p.string("subject", MAX_SUBJECT_LEN)?;
        let date = MessageDate {
            unix_seconds: p.i64()?,
            offset_minutes: p.i16()?,
        };
        date.check().map_err(Error::damaged)?;
        let text_body_len = p.u64()?;
        Error::check_limit("text body", MAX_BODY_LEN, text_body_len)?;
        let html_body_len = match p.u8()? {
            0 => None,
            1 => {
                let len = p.u64()?;
                Error::check_limit("HTML body", MAX_BODY_LEN, len)?;
                Some(len)
            }
            _ => {
                return Err(Error::damaged(
                    "the manifest's HTML-body flag is not 0 or 1",
                ));
            }
        };
        let count = p.u32()?;
        Error::check_limit("attachments", MAX_ATTACHMENTS.into(), count.into())?;
        let mut attachments = Vec::new();
        let mut total = text_body_len + html_body_len.unwrap_or(0);
        for _ in 0..count {
            let name = p.string("attachment name", MAX_NAME_LEN)?;
            if name.is_empty() {
                return Err(Error::damaged("an attachment has an empty name"));
            }
            let media_type = p.string("media type", MAX_MEDIA_TYPE_LEN)?;
            if !is_valid_media_type(&media_type) {
                return Err(Error::damaged("an attachment has an invalid media type"));
            }
            let size = p.u64()?;
            Error::check_limit("attachment size", MAX_CONTENT_LEN, size)?;
            total += size; // each term ≤ 2^40 and at most 10 002 terms: no overflow
            Error::check_limit("total content size", MAX_CONTENT_LEN, total)?;
            attachments.push(AttachmentInfo {
                name,
                media_type,
                size,
                content_id: None,
            });
        }
        let mut original_headers = None;
        let mut receipt_to = None;
        let mut reply_request = None;
        let mut in_reply_to = None;
        let mut virus_scan = None;
        for (field_type, value) in parse_content_extensions(&mut p, "manifest")? {
            match field_type {
                FIELD_RECEIPT_REQUEST => {
                    let address = std::str::from_utf8(value)
                        .ok()
                        .filter(|address| is_valid_receipt_address(address))
                        .ok_or_else(|| {
                            Error::damaged(
                                "the receipt request's address is not a plain e-mail address",
                            )
                        })?;
                    receipt_to = Some(address.to_owned());
                }
                FIELD_ORIGINAL_HEADERS => {
                    let text = std::str::from_utf8(value)
                        .map_err(|_| Error::damaged("the original headers are not UTF-8"))?;
                    original_headers = Some(text.to_owned());
                }
                FIELD_CONTENT_IDS => parse_content_ids(value, &mut attachments)?,
                FIELD_REPLY_REQUEST => {
                    reply_request = Some(ReplyRequest::parse(value, envelope_id)?);
                }
                FIELD_IN_REPLY_TO => in_reply_to = Some(parse_in_reply_to(value)?),
                FIELD_VIRUS_SCAN => virus_scan = Some(VirusScan::parse(value)?),
                _ => {}
            }
        }
        p.finish()?;
        Ok(Manifest {
            from,
            to,
            cc,
            subject,
            date,
            text_body_len,
            html_body_len,
            attachments,
            original_headers,
            receipt_to,
            reply_request,
            in_reply_to,
            virus_scan,
        })
    }
}

/// Reads the content-IDs field into `attachments`: indexes strictly
/// ascending and within the list, each Content-ID valid, else **damaged**.
fn parse_content_ids(value: &[u8], attachments: &mut [AttachmentInfo]) -> Result<()> {
    let mut p = Parser::new(value, "content IDs");
    let mut previous: Option<u32> = None;
    while p.remaining() > 0 {
        let index = p.u32()?;
        if previous.is_some_and(|prev| index <= prev) {
            return Err(Error::damaged(
                "the content IDs are not in strictly ascending attachment order",
            ));
        }
        previous = Some(index);
        let id = p.string("content ID", MAX_CONTENT_ID_LEN)?;
        let attachment = attachments
            .get_mut(index as usize)
            .ok_or_else(|| Error::damaged("a content ID names an attachment that is not there"))?;
        if !is_valid_content_id(&id) {
            return Err(Error::damaged("an attachment's content ID is not valid"));
        }
        attachment.content_id = Some(id);
    }
    Ok(())
}

/// Reads a manifest or trailer extension list (u16 count, then u16 type,
/// u32 length, value) and returns its fields. Version 1 defines no
/// critical one, so a critical field is refused; the caller takes the
/// fields it knows and ignores the rest.
fn parse_content_extensions<'a>(
    p: &mut Parser<'a>,
    context: &'static str,
) -> Result<Vec<(u16, &'a [u8])>> {
    let count = p.u16()?;
    Error::check_limit(
        "content extension fields",
        MAX_EXTENSIONS.into(),
        count.into(),
    )?;
    let mut previous: Option<u16> = None;
    let mut fields = Vec::new();
    for _ in 0..count {
        let field_type = p.u16()?;
        if previous.is_some_and(|prev| field_type <= prev) {
            return Err(Error::damaged(format!(
                "the {context} extension fields are not in strictly ascending order"
            )));
        }
        previous = Some(field_type);
        let len = p.u32()?;
        Error::check_limit(
            "content extension field",
            MAX_CONTENT_EXTENSION_LEN.into(),
            len.into(),
        )?;
        let value = p.take(len as usize)?;
        if field_type & CRITICAL != 0 {
            return Err(Error::Unsupported(
                format!("critical {context} field 0x{field_type:04x}").into(),
            ));
        }
        fields.push((field_type, value));
    }
    Ok(fields)
}

/// A media type is `type/subtype` (optionally with parameters) in printable
/// ASCII: enough to refuse control characters and markup, without judging
/// which types exist.
pub(crate) fn is_valid_media_type(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("");
    let mut halves = essence.trim().splitn(2, '/');
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    let (Some(kind), Some(subtype)) = (halves.next(), halves.next()) else {
        return false;
    };
    token(kind)
        && token(subtype)
        && media_type
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) && b != b'<' && b != b'>')
}

/// The trailer: one SHA-256 digest per part, in content order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Trailer {
    pub(crate) digests: Vec<[u8; DIGEST_LEN]>,
    /// The sender signature field's value (type 0x0001), as found; checked
    /// by `signature::check` where signatures are supported.
    pub(crate) signature: Option<Vec<u8>>,
}

/// Trailer field type of the sender signature.
pub(crate) const TRAILER_SIGNATURE: u16 = 0x0001;

impl Trailer {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.digests.len() * DIGEST_LEN + 2);
        for digest in &self.digests {
            out.put(digest);
        }
        match &self.signature {
            Some(value) => {
                out.put_u16(1);
                out.put_u16(TRAILER_SIGNATURE);
                out.put_u32(value.len() as u32);
                out.put(value);
            }
            None => out.put_u16(0),
        }
        out
    }

    /// The trailer length for `parts` parts with no extension fields; the
    /// least a valid trailer can be.
    pub(crate) fn min_len(parts: usize) -> u64 {
        (parts * DIGEST_LEN + 2) as u64
    }

    pub(crate) fn parse(bytes: &[u8], parts: usize) -> Result<Trailer> {
        let mut p = Parser::new(bytes, "trailer");
        let mut digests = Vec::with_capacity(parts);
        for _ in 0..parts {
            digests.push(p.array()?);
        }
        let signature = parse_content_extensions(&mut p, "trailer")?
            .into_iter()
            .find(|(field_type, _)| *field_type == TRAILER_SIGNATURE)
            .map(|(_, value)| value.to_vec());
        debug_assert_eq!(p.remaining(), 0);
        p.finish()?;
        Ok(Trailer { digests, signature })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_checked_for_shape_only() {
        for ok in [
            "text/plain",
            "application/vnd.ms-excel",
            "text/plain; charset=utf-8",
        ] {
            assert!(is_valid_media_type(ok), "{ok}");
        }
        for bad in [
            "",
            "text",
            "/plain",
            "text/",
            "text/<b>",
            "te xt/plain",
            "text/plain\n",
        ] {
            assert!(!is_valid_media_type(bad), "{bad:?}");
        }
    }

    const ID: [u8; 32] = [5; 32];

    fn with_attachments(ids: &[Option<&str>]) -> Manifest {
        Manifest {
            from: "a@b.example".into(),
            to: Vec::new(),
            cc: Vec::new(),
            subject: "s".into(),
            date: MessageDate::utc(0),
            text_body_len: 0,
            html_body_len: Some(1),
            attachments: ids
                .iter()
                .enumerate()
                .map(|(i, id)| AttachmentInfo {
                    name: format!("{i}.png"),
                    media_type: "image/png".into(),
                    size: 1,
                    content_id: id.map(str::to_owned),
                })
                .collect(),
            original_headers: Some("X: y\n".into()),
            receipt_to: Some("r@b.example".into()),
            reply_request: Some(ReplyRequest {
                to: "replies@b.example".into(),
                key: [9; 32],
                envelope: ID,
            }),
            in_reply_to: Some([3; 32]),
            virus_scan: None,
        }
    }

    #[test]
    fn content_ids_round_trip_and_are_checked() {
        let manifest = with_attachments(&[None, Some("logo.1@clinic.example"), Some("x")]);
        let encoded = manifest.encode().unwrap();
        assert_eq!(Manifest::parse(&encoded, &ID).unwrap(), manifest);
        // None at all: no field, the manifest as before the field existed.
        let plain = with_attachments(&[None, None]);
        let encoded = plain.encode().unwrap();
        assert_eq!(Manifest::parse(&encoded, &ID).unwrap(), plain);
        for bad in ["", "a b", "<x>", "caf\u{e9}", &"x".repeat(256)] {
            let manifest = with_attachments(&[Some(bad)]);
            assert!(manifest.encode().is_err(), "{bad:?}");
            assert!(!is_valid_content_id(bad));
        }
    }

    #[test]
    fn content_ids_out_of_order_or_range_are_damaged() {
        for value in [
            // index 1 of 1 attachment
            [&1u32.to_be_bytes()[..], &[0, 1, b'x']].concat(),
            // index 0 twice
            [
                &0u32.to_be_bytes()[..],
                &[0, 1, b'x'],
                &0u32.to_be_bytes()[..],
                &[0, 1, b'y'],
            ]
            .concat(),
            // an invalid id
            [&0u32.to_be_bytes()[..], &[0, 3, b'a', b' ', b'b']].concat(),
        ] {
            let mut attachments = with_attachments(&[None]).attachments;
            let err = parse_content_ids(&value, &mut attachments).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Damaged, "{value:?}");
        }
    }
}
