//! The notice e-mail: a short message, from the templates in `templates/`,
//! that tells the recipient how to open the envelope page attached to it.
//! The page is ASCII with CRLF lines of at most 76 characters, so it goes
//! as `7bit`: it is not base64-encoded a second time.

use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::mime::MimePart;
use minijinja::{AutoEscape, Environment, context};

use crate::branding::Branding;
use crate::mail_frame::{MailFrame, Placeholder};
use crate::mailbox::Mailbox;
use crate::templates::Templates;
use crate::texts::{Texts, direction, fill};
use crate::{Error, ErrorKind};

/// The subject of a notice whose real subject is sealed, when there is
/// neither a label nor an organisation to name, in English (see
/// [`neutral_subject`] for the notice's language).
pub const NEUTRAL_SUBJECT: &str = "Secure message";

/// The subject a notice shows when the real one stays sealed: the
/// envelope's label (the public line the sender chose), else "Secure
/// message from ORGANISATION", else "Secure message", in the notice's
/// language (`texts`).
pub fn neutral_subject(label: Option<&str>, branding: &Branding, texts: &Texts) -> String {
    match (label, &branding.organisation) {
        (Some(label), _) if !label.trim().is_empty() => label.to_owned(),
        (_, Some(organisation)) if !organisation.trim().is_empty() => fill(
            texts.get("notice.subject_from"),
            &[("organisation", organisation)],
        ),
        _ => texts.get("notice.subject").to_owned(),
    }
}

/// What the notice says, and to whom.
#[derive(Debug, Clone, Default)]
pub struct Notice {
    /// The sender (required by [`notice_email`]).
    pub from: Option<Mailbox>,
    /// Recipients.
    pub to: Vec<Mailbox>,
    /// Copy recipients.
    pub cc: Vec<Mailbox>,
    /// The subject shown, or `None` (the default) for the
    /// [`neutral_subject`]: the real one stays sealed.
    pub subject: Option<String>,
    /// The envelope's public label.
    pub label: Option<String>,
    /// The envelope's public passphrase hint.
    pub hint: Option<String>,
    /// Date, in seconds since 1970 (UTC).
    pub date: i64,
    /// The templates (the built-in ones by default).
    pub templates: Templates,
    /// Organisation name, logo, accent colour, help text, contact line and
    /// language.
    pub branding: Branding,
}

/// The header every notice carries (`X-Sealer-Envelope: 1`), for mail
/// filters' allow rules together with the sender's DKIM-signed domain
/// (`docs/DELIVERABILITY.md`).
pub const ENVELOPE_HEADER: &str = "X-Sealer-Envelope";
/// The header naming the decryptor of the attached page: its release and
/// its module's SHA-256, as the README publishes them.
pub const DECRYPTOR_HEADER: &str = "X-Sealer-Decryptor";

/// The notice's own headers and their values: [`ENVELOPE_HEADER`] and
/// [`DECRYPTOR_HEADER`] (this build's decryptor, which the page carries).
pub fn sealer_headers() -> [(&'static str, String); 2] {
    let [(wasm_sha256, _), ..] = crate::decryptor_digests();
    [
        (ENVELOPE_HEADER, "1".to_owned()),
        (
            DECRYPTOR_HEADER,
            format!(
                "{}+{} sha256={wasm_sha256}",
                env!("CARGO_PKG_VERSION"),
                &wasm_sha256[..8]
            ),
        ),
    ]
}

/// The attachment's file name: `securedoc-<date>.html`.
pub fn attachment_name(date: i64) -> String {
    let day: String = envelope_core::MessageDate::utc(date)
        .to_rfc3339()
        .chars()
        .take(10)
        .collect();
    format!("securedoc-{day}.html")
}

/// Builds the notice e-mail (RFC 5322, CRLF) with `page` attached.
///
/// # Errors
///
/// [`ErrorKind::Notice`] when there is no sender or recipient, an address or
/// the subject holds a line break or control character, or a template
/// fails; [`ErrorKind::Branding`] when the branding is invalid.
pub fn notice_email(page: &str, notice: &Notice) -> Result<Vec<u8>, Error> {
    check_seven_bit(page)?;
    Ok(notice_frame(page.len() as u64, notice)?.filled(page.as_bytes()))
}

/// [`notice_email`] for a page of `page_len` bytes, cut where the page
/// goes: the page is copied in as it is read.
pub(crate) fn notice_frame(page_len: u64, notice: &Notice) -> Result<MailFrame, Error> {
    let branding = &notice.branding;
    branding.check()?;
    let Some(sender) = &notice.from else {
        return Err(Error::new(ErrorKind::Notice, "the notice needs a sender"));
    };
    if notice.to.is_empty() {
        return Err(Error::new(
            ErrorKind::Notice,
            "the notice needs a recipient",
        ));
    }
    let to: Vec<Address<'static>> = notice.to.iter().map(address).collect();
    let cc: Vec<Address<'static>> = notice.cc.iter().map(address).collect();
    let texts = notice_language(notice)?;
    let subject = notice
        .subject
        .clone()
        .unwrap_or_else(|| neutral_subject(notice.label.as_deref(), branding, &texts));
    check_header_text("subject", &subject)?;

    let message_id = message_id(sender.domain())?;
    let placeholder = Placeholder::new()?;
    let body = notice_body(&placeholder, page_len, notice, &message_id)?;
    let mut message = MessageBuilder::new()
        .from(address(sender))
        .to(Address::new_list(to))
        .subject(subject)
        .date(notice.date)
        .message_id(message_id)
        .body(body);
    if !cc.is_empty() {
        message = message.cc(Address::new_list(cc));
    }
    for (name, value) in sealer_headers() {
        message = message.header(name, mail_builder::headers::raw::Raw::new(value));
    }
    let mail = message
        .write_to_vec()
        .map_err(|err| Error::new(ErrorKind::Notice, format!("cannot write the notice: {err}")))?;
    MailFrame::cut(&mail, &placeholder, false)
}

/// The notice's MIME body (`multipart/mixed`: the text and HTML parts, the
/// logo if any, and the page attached 7bit, `placeholder` in its place),
/// for a page of `page_len` bytes and a message whose Message-ID is
/// `message_id` (the logo's Content-ID is made from it).
///
/// # Errors
///
/// [`ErrorKind::Notice`] when a template fails.
pub(crate) fn notice_body(
    placeholder: &Placeholder,
    page_len: u64,
    notice: &Notice,
    message_id: &str,
) -> Result<MimePart<'static>, Error> {
    // The logo goes as an inline part the HTML refers to by Content-ID:
    // mail programs block data: images.
    let logo_id = format!("logo.{message_id}");
    let file_name = attachment_name(notice.date);
    let (text, html) = notice_texts(notice, &file_name, page_len, &logo_id)?;
    let branding = &notice.branding;
    // The page goes as it is (`7bit`): mail-builder would re-encode an
    // attachment, since it cannot know that its line breaks are CRLF.
    let envelope = MimePart::new("text/html", placeholder.text().to_owned())
        .attachment(file_name)
        .transfer_encoding("7bit");
    let lang = branding.lang.clone();
    let mut html = MimePart::new("text/html", html).language(lang.clone());
    if let Some(logo) = &branding.logo {
        let image = MimePart::new(logo.media_type(), logo.bytes().to_vec())
            .inline()
            .cid(logo_id);
        html = MimePart::new("multipart/related", vec![html, image]);
    }
    let body = MimePart::new(
        "multipart/mixed",
        vec![
            MimePart::new(
                "multipart/alternative",
                vec![MimePart::new("text/plain", text).language(lang), html],
            ),
            envelope,
        ],
    );
    Ok(body)
}

/// The notice's texts, in its branding's language.
fn notice_language(notice: &Notice) -> Result<Texts, Error> {
    notice
        .templates
        .texts(&notice.branding.lang)
        .map_err(|err| {
            Error::new(
                ErrorKind::Template,
                format!("cannot build the notice e-mail: {}", err.detail()),
            )
        })
}

/// The notice's text and HTML parts, from its templates, for a page
/// attached as `file_name` (`page_len` bytes) and a logo at `cid:logo_id`.
fn notice_texts(
    notice: &Notice,
    file_name: &str,
    page_len: u64,
    logo_id: &str,
) -> Result<(String, String), Error> {
    let branding = &notice.branding;
    let texts = notice_language(notice)?;
    // A wrapped mail may name no sender the notice can show.
    let (sender, sender_name) = match &notice.from {
        Some(from) => (from.to_string(), from.sentence_name().to_owned()),
        None => {
            let the_sender = texts.get("notice.the_sender").to_owned();
            (the_sender.clone(), the_sender)
        }
    };
    let mut env = Environment::new();
    crate::texts::add_filters(&mut env);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    let failed = |err: minijinja::Error| notice.templates.notice_failure(&err).with_source(err);
    env.add_template("notice.txt", &notice.templates.notice_text)
        .map_err(failed)?;
    env.add_template("notice.html", &notice.templates.notice_html)
        .map_err(failed)?;
    let values = context! {
        sender => sender,
        sender_name => sender_name,
        label => notice.label,
        hint => notice.hint,
        file_name => file_name,
        file_size => envelope_core::human_size(page_len),
        lang => branding.lang,
        dir => direction(&branding.lang),
        t => texts.as_map(),
        organisation => branding.organisation,
        logo => branding.logo.as_ref().map(|_| format!("cid:{logo_id}")),
        accent => branding.accent_colour.unwrap_or_default().to_string(),
        help_text => branding.help_text,
        contact => branding.contact,
        opener_url => branding.opener_url.as_ref().map(ToString::to_string),
    };
    let render = |name: &str| {
        env.get_template(name)
            .and_then(|t| t.render(&values))
            .map_err(failed)
    };
    Ok((render("notice.txt")?, render("notice.html")?))
}

/// Refuses a page that cannot go as `7bit` (see [`is_seven_bit`]).
pub(crate) fn check_seven_bit(page: &str) -> Result<(), Error> {
    if is_seven_bit(page) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Notice,
            "the envelope page is not 7-bit text with short CRLF lines",
        ))
    }
}

/// Whether `page` can go as `7bit`: ASCII, no NUL or bare CR/LF, every
/// line ending in CRLF and at most 998 characters (RFC 5322).
fn is_seven_bit(page: &str) -> bool {
    page.is_ascii()
        && page.ends_with("\r\n")
        && page
            .split_terminator("\r\n")
            .all(|line| line.len() <= 998 && !line.contains(['\r', '\n', '\0']))
}

/// The mailbox as mail-builder takes it.
fn address(mailbox: &Mailbox) -> Address<'static> {
    Address::new_address(
        mailbox.name().map(str::to_owned),
        mailbox.address().to_owned(),
    )
}

/// Refuses a header value that holds a line break or control character:
/// it could add headers of its own.
pub(crate) fn check_header_text(what: &str, text: &str) -> Result<(), Error> {
    if text.chars().any(char::is_control) {
        return Err(Error::new(
            ErrorKind::Notice,
            format!("the {what} {text:?} holds a line break or control character"),
        ));
    }
    Ok(())
}

/// `<random@sender's domain>`: unique, and naming no machine.
pub(crate) fn message_id(domain: &str) -> Result<String, Error> {
    let token = crate::token::random_token().map_err(|err| {
        Error::new(
            ErrorKind::Internal,
            format!("cannot build the notice e-mail: {}", err.detail()),
        )
    })?;
    Ok(format!("{token}@{domain}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn notice() -> Notice {
        Notice {
            from: Some(Mailbox::parse("Example Clinic <records@clinic.example>").unwrap()),
            to: vec![Mailbox::parse("alex@example.org").unwrap()],
            date: 1_763_465_200,
            ..Notice::default()
        }
    }

    const PAGE: &str = "<!DOCTYPE html>\r\n<p>sealed</p>\r\n";

    #[test]
    fn headers_cannot_be_injected() {
        for bad in [
            Notice {
                subject: Some("Hi\r\nBcc: victim@example.org".into()),
                ..notice()
            },
            Notice {
                from: None,
                ..notice()
            },
            Notice {
                to: Vec::new(),
                ..notice()
            },
        ] {
            assert!(
                matches!(notice_email(PAGE, &bad), Err(err) if err.kind() == ErrorKind::Notice),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_neutral_subject_is_the_label_or_names_the_organisation() {
        let mut branding = Branding::default();
        let english = Texts::english();
        assert_eq!(neutral_subject(None, &branding, &english), "Secure message");
        branding.organisation = Some("Example Clinic".into());
        assert_eq!(
            neutral_subject(None, &branding, &english),
            "Secure message from Example Clinic"
        );
        assert_eq!(
            neutral_subject(Some("Results from Radiology"), &branding, &english),
            "Results from Radiology"
        );
        assert_eq!(
            neutral_subject(Some(" "), &Branding::default(), &english),
            "Secure message"
        );
    }

    #[test]
    fn the_page_must_be_seven_bit_and_the_subject_can_stay_sealed() {
        assert!(notice_email("<p>bare LF</p>\n", &notice()).is_err());
        assert!(notice_email("<p>caf\u{e9}</p>\r\n", &notice()).is_err());
        let mail = String::from_utf8(notice_email(PAGE, &notice()).unwrap()).unwrap();
        assert!(mail.contains("Subject: Secure message\r\n"));
        assert!(mail.contains("filename=\"securedoc-2025-11-18.html\""));
        assert!(mail.contains(
            "Content-Transfer-Encoding: 7bit\r\n\r\n<!DOCTYPE html>\r\n<p>sealed</p>\r\n"
        ));
    }
}
