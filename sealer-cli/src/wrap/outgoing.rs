//! The outgoing message that carries the envelope page in the original's
//! place: the original's addressing and threading headers as they were, a
//! subject the policy chose, and the notice body with the page attached.

use envelope_core::{Message, SealOptions};
use mail_builder::headers::Header;
use mail_builder::headers::text::Text;

use super::Incoming;
use crate::mail_frame::{MailFrame, Placeholder};
use crate::mailbox::Mailbox;
use crate::notice::{Notice, notice_body};
use crate::sealing::SealJob;
use crate::{Error, PageOptions};

/// The original headers the outgoing message keeps, as they were (lower
/// case). Everything else (the subject, the content headers, anything a
/// mail program adds such as Outlook's Thread-Topic, which repeats the
/// subject) stays inside the envelope only. `Bcc` is dropped: a gateway
/// never shows it to the other recipients.
pub const KEPT_HEADERS: &[&str] = &[
    "return-path",
    "received",
    "date",
    "from",
    "sender",
    "reply-to",
    "to",
    "cc",
    "message-id",
    "in-reply-to",
    "references",
];

/// A message sealed by [`seal_mail`].
#[derive(Debug)]
pub struct SealedMail {
    /// The outgoing message, ready for the mail server.
    pub email: Vec<u8>,
    /// The size of the envelope in bytes (before it became a page).
    pub envelope_bytes: u64,
}

/// Seals all of `incoming`'s content with `options` (its passphrases,
/// label and hint) into a page made with `page`, and builds the outgoing
/// message that carries it in the original's place (see
/// [`wrapped_email`]), under `Subject: subject`. `raw` is the original
/// message, as read.
///
/// # Errors
///
/// [`crate::ErrorKind::Envelope`] when sealing fails (no passphrase, a limit);
/// [`crate::ErrorKind::Template`], [`crate::ErrorKind::Branding`] or [`crate::ErrorKind::Notice`] when the
/// templates or branding fail.
pub fn seal_mail(
    mut incoming: Incoming,
    raw: &[u8],
    subject: &str,
    options: &SealOptions,
    page: &PageOptions,
) -> Result<SealedMail, Error> {
    let message = std::mem::replace(&mut incoming.message, Message::new());
    let sealed = SealJob::new(message, options.clone())
        .page_options(page.clone())
        .wrap(incoming, raw, subject)
        .run()?;
    Ok(SealedMail {
        email: sealed.mail.unwrap_or_default(),
        envelope_bytes: sealed.envelope_len,
    })
}

/// The outgoing message for `incoming`, sealed into `page`: its kept
/// headers, `Subject: subject`, and the notice (`notice`'s templates,
/// branding, label and hint; its sender is the original's). Line endings
/// follow the original's: CRLF, or LF when it used bare LF (as a mail
/// server's pipe hands messages over).
///
/// # Errors
///
/// [`crate::ErrorKind::Notice`] when the subject holds a line break, a template fails
/// or the page is not 7-bit.
pub fn wrapped_email(
    incoming: &Incoming,
    raw: &[u8],
    subject: &str,
    page: &str,
    notice: &Notice,
) -> Result<Vec<u8>, Error> {
    wrapped_email_with(incoming, uses_bare_lf(raw), subject, page, notice)
}

/// [`wrapped_email`] for a message whose first line ends in a bare LF
/// (`bare_lf`) or in CRLF.
fn wrapped_email_with(
    incoming: &Incoming,
    bare_lf: bool,
    subject: &str,
    page: &str,
    notice: &Notice,
) -> Result<Vec<u8>, Error> {
    crate::notice::check_seven_bit(page)?;
    let frame = wrapped_frame(incoming, bare_lf, subject, page.len() as u64, notice)?;
    Ok(frame.filled(page.as_bytes()))
}

/// [`wrapped_email_with`] for a page of `page_len` bytes, cut where the
/// page goes: the page is copied in as it is read.
pub(crate) fn wrapped_frame(
    incoming: &Incoming,
    bare_lf: bool,
    subject: &str,
    page_len: u64,
    notice: &Notice,
) -> Result<MailFrame, Error> {
    crate::notice::check_header_text("subject", subject)?;
    let sender = incoming.sender.clone();
    let domain = sender.as_ref().map_or("localhost", Mailbox::domain);
    let message_id = crate::notice::message_id(domain)?;
    let notice = Notice {
        from: sender,
        ..notice.clone()
    };
    let placeholder = Placeholder::new()?;
    let body = notice_body(&placeholder, page_len, &notice, &message_id)?;

    let mut out = Vec::with_capacity(8192);
    for (name, value) in &incoming.headers {
        if KEPT_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            out.extend_from_slice(name.as_bytes());
            out.push(b':');
            out.extend_from_slice(crlf(value).as_bytes());
        }
    }
    out.extend_from_slice(b"Subject: ");
    Text::new(subject).write_header(&mut out, "Subject: ".len());
    for (name, value) in crate::notice::sealer_headers() {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"MIME-Version: 1.0\r\n");
    body.write_part(&mut out);

    if bare_lf {
        out = String::from_utf8_lossy(&out)
            .replace("\r\n", "\n")
            .into_bytes();
    }
    MailFrame::cut(&out, &placeholder, bare_lf)
}

/// `text` with every line ending CRLF.
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// Whether the message's first line ends in a bare LF.
pub(crate) fn uses_bare_lf(raw: &[u8]) -> bool {
    raw.iter()
        .position(|&b| b == b'\n')
        .is_some_and(|at| at == 0 || raw[at - 1] != b'\r')
}
