//! The message model: what a sender seals.

use std::fmt;
use std::io::{self, Read};

use crate::error::{Error, Result};

/// A point in time with the sender's UTC offset, as in a mail `Date:` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageDate {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix_seconds: i64,
    /// The sender's offset from UTC in minutes (e.g. 60 for +01:00).
    pub offset_minutes: i16,
}

/// Largest offset from UTC a date may carry, in minutes (±23:59).
pub(crate) const MAX_OFFSET_MINUTES: i16 = 23 * 60 + 59;
/// Dates must lie in years 0001 to 9999 so that they print as RFC 3339.
const MIN_UNIX_SECONDS: i64 = -62_135_596_800; // 0001-01-01T00:00:00Z
const MAX_UNIX_SECONDS: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

impl MessageDate {
    /// A date in UTC.
    pub fn utc(unix_seconds: i64) -> Self {
        MessageDate {
            unix_seconds,
            offset_minutes: 0,
        }
    }

    /// The current time, in UTC. (Not in WebAssembly, which has no clock
    /// of its own: the page gives the date it reads from the browser.)
    #[cfg(all(feature = "sealing", not(target_arch = "wasm32")))]
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Self::utc(i64::try_from(secs).unwrap_or(0))
    }

    pub(crate) fn check(&self) -> Result<(), &'static str> {
        if !(MIN_UNIX_SECONDS..=MAX_UNIX_SECONDS).contains(&self.unix_seconds) {
            return Err("the date is outside the years 1 to 9999");
        }
        if self.offset_minutes.abs() > MAX_OFFSET_MINUTES {
            return Err("the date's UTC offset is more than 23:59");
        }
        Ok(())
    }

    /// The date as RFC 3339 in the sender's offset, e.g.
    /// `2026-11-22T14:05:00+01:00`.
    ///
    /// ```
    /// use envelope_core::MessageDate;
    /// let date = MessageDate { unix_seconds: 1_700_000_000, offset_minutes: 60 };
    /// assert_eq!(date.to_rfc3339(), "2023-11-14T23:13:20+01:00");
    /// ```
    pub fn to_rfc3339(&self) -> String {
        let local = self.unix_seconds + i64::from(self.offset_minutes) * 60;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let offset = self.offset_minutes.unsigned_abs();
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60,
            offset / 60,
            offset % 60
        )
    }
}

impl fmt::Display for MessageDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Where an attachment's bytes come from.
enum Source {
    Bytes(Vec<u8>),
    Reader {
        len: u64,
        reader: Box<dyn Read + Send>,
    },
}

/// A named file to seal with the message.
pub struct Attachment {
    name: String,
    media_type: String,
    content_id: Option<String>,
    source: Source,
}

impl Attachment {
    /// An attachment held in memory.
    pub fn from_bytes(
        name: impl Into<String>,
        media_type: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        Attachment {
            name: name.into(),
            media_type: media_type.into(),
            content_id: None,
            source: Source::Bytes(bytes.into()),
        }
    }

    /// An attachment streamed from `reader`, which must yield exactly `len`
    /// bytes (the size goes into the manifest before the bytes are read).
    /// Sealing fails with [`Error::InvalidInput`] if it yields more or fewer.
    pub fn from_reader(
        name: impl Into<String>,
        media_type: impl Into<String>,
        len: u64,
        reader: impl Read + Send + 'static,
    ) -> Self {
        Attachment {
            name: name.into(),
            media_type: media_type.into(),
            content_id: None,
            source: Source::Reader {
                len,
                reader: Box::new(reader),
            },
        }
    }

    /// The attachment with the Content-ID its part had in a mail (without
    /// the angle brackets), by which the HTML body shows it as a `cid:`
    /// image. Sealing checks it (1 to 255 printable ASCII characters, no
    /// spaces or angle brackets).
    pub fn with_content_id(mut self, id: impl Into<String>) -> Self {
        self.content_id = Some(id.into());
        self
    }

    /// The Content-ID, if it has one.
    pub fn content_id(&self) -> Option<&str> {
        self.content_id.as_deref()
    }

    /// The file name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The media (MIME) type.
    pub fn media_type(&self) -> &str {
        &self.media_type
    }

    /// The size in bytes.
    pub fn len(&self) -> u64 {
        match &self.source {
            Source::Bytes(bytes) => bytes.len() as u64,
            Source::Reader { len, .. } => *len,
        }
    }

    /// Whether the attachment is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, when the attachment is held in memory (not streamed from
    /// a reader).
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes),
            Source::Reader { .. } => None,
        }
    }

    /// The bytes, as a reader.
    pub(crate) fn into_reader(self) -> Box<dyn Read + Send> {
        match self.source {
            Source::Bytes(bytes) => Box::new(io::Cursor::new(bytes)),
            Source::Reader { reader, .. } => reader,
        }
    }
}

impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attachment")
            .field("name", &self.name)
            .field("media_type", &self.media_type)
            .field("len", &self.len())
            .finish()
    }
}

/// A message to seal: headers, bodies and attachments.
///
/// ```
/// use envelope_core::{Attachment, Message};
/// let message = Message::new()
///     .from("Dr. Ada <ada@clinic.example>")
///     .to("patient@example.org")
///     .subject("Your results")
///     .text_body("Please find your results attached.")
///     .attach(Attachment::from_bytes("results.pdf", "application/pdf", b"%PDF-".to_vec()));
/// assert_eq!(message.attachments().len(), 1);
/// ```
#[derive(Debug, Default)]
pub struct Message {
    pub(crate) from: String,
    pub(crate) to: Vec<String>,
    pub(crate) cc: Vec<String>,
    pub(crate) subject: String,
    pub(crate) date: Option<MessageDate>,
    pub(crate) text_body: String,
    pub(crate) html_body: Option<String>,
    pub(crate) attachments: Vec<Attachment>,
    pub(crate) original_headers: Option<String>,
}

impl Message {
    /// An empty message.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the sender.
    #[must_use]
    pub fn from(mut self, from: impl Into<String>) -> Self {
        self.from = from.into();
        self
    }

    /// Adds a To recipient.
    #[must_use]
    pub fn to(mut self, to: impl Into<String>) -> Self {
        self.to.push(to.into());
        self
    }

    /// Adds a Cc recipient.
    #[must_use]
    pub fn cc(mut self, cc: impl Into<String>) -> Self {
        self.cc.push(cc.into());
        self
    }

    /// Sets the subject.
    #[must_use]
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = subject.into();
        self
    }

    /// Sets the date; when unset, sealing uses the current time.
    #[must_use]
    pub fn date(mut self, date: MessageDate) -> Self {
        self.date = Some(date);
        self
    }

    /// Sets the plain-text body.
    #[must_use]
    pub fn text_body(mut self, body: impl Into<String>) -> Self {
        self.text_body = body.into();
        self
    }

    /// Sets the HTML body (shown sandboxed, without scripts, by the page).
    #[must_use]
    pub fn html_body(mut self, body: impl Into<String>) -> Self {
        self.html_body = Some(body.into());
        self
    }

    /// Adds an attachment.
    #[must_use]
    pub fn attach(mut self, attachment: Attachment) -> Self {
        self.attachments.push(attachment);
        self
    }

    /// Keeps the header lines of the message this one is sealed from (a
    /// mail gateway's input), as text, at most 64 KiB: the recipient can
    /// see them after opening, as a mail program's "show original" does.
    #[must_use]
    pub fn original_headers(mut self, headers: impl Into<String>) -> Self {
        self.original_headers = Some(headers.into());
        self
    }

    /// The plain-text body (empty when there is none).
    pub fn body_text(&self) -> &str {
        &self.text_body
    }

    /// The HTML body, if there is one.
    pub fn body_html(&self) -> Option<&str> {
        self.html_body.as_deref()
    }

    /// The attachments, in order.
    pub fn attachments(&self) -> &[Attachment] {
        &self.attachments
    }
}

/// Refuses a message part that the opener would refuse.
pub(crate) fn check_message_limits(message: &Message) -> Result<()> {
    use crate::limits::*;
    let long =
        |what, max: usize, value: &str| Error::check_limit(what, max as u64, value.len() as u64);
    long("sender address", MAX_ADDRESS_LEN, &message.from)?;
    for (what, list) in [
        ("To recipients", &message.to),
        ("Cc recipients", &message.cc),
    ] {
        Error::check_limit(what, MAX_RECIPIENTS.into(), list.len() as u64)?;
        for address in list {
            long("recipient address", MAX_ADDRESS_LEN, address)?;
        }
    }
    long("subject", MAX_SUBJECT_LEN, &message.subject)?;
    Error::check_limit("text body", MAX_BODY_LEN, message.text_body.len() as u64)?;
    if let Some(html) = &message.html_body {
        Error::check_limit("HTML body", MAX_BODY_LEN, html.len() as u64)?;
    }
    if let Some(headers) = &message.original_headers {
        Error::check_limit(
            "original headers",
            MAX_CONTENT_EXTENSION_LEN.into(),
            headers.len() as u64,
        )?;
    }
    if let Some(date) = &message.date {
        date.check().map_err(Error::invalid)?;
    }
    Error::check_limit(
        "attachments",
        MAX_ATTACHMENTS.into(),
        message.attachments.len() as u64,
    )?;
    for attachment in &message.attachments {
        long("attachment name", MAX_NAME_LEN, &attachment.name)?;
        long("media type", MAX_MEDIA_TYPE_LEN, &attachment.media_type)?;
        if attachment.name.is_empty() {
            return Err(Error::invalid("an attachment has an empty name"));
        }
        if !crate::manifest::is_valid_media_type(&attachment.media_type) {
            return Err(Error::invalid(format!(
                "attachment {:?} has an invalid media type {:?}",
                attachment.name, attachment.media_type
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates_across_eras_and_offsets() {
        assert_eq!(
            MessageDate::utc(0).to_rfc3339(),
            "1970-01-01T00:00:00+00:00"
        );
        assert_eq!(
            MessageDate {
                unix_seconds: 951_782_400,
                offset_minutes: -330
            }
            .to_rfc3339(),
            "2000-02-28T18:30:00-05:30"
        );
        assert_eq!(
            MessageDate::utc(MIN_UNIX_SECONDS).to_rfc3339(),
            "0001-01-01T00:00:00+00:00"
        );
        assert_eq!(
            MessageDate::utc(MAX_UNIX_SECONDS).to_rfc3339(),
            "9999-12-31T23:59:59+00:00"
        );
    }
}
