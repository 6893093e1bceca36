//! The inbound side of secure replies (`sealer unwrap`): a message that
//! carries a reply envelope sealed to one of the organisation's reply keys
//! is opened and delivered as an ordinary MIME message — the reply's text
//! and files, rebuilt with `mail-builder`, under the headers it arrived
//! with (its addressing, trace and authentication results) — with headers naming the envelope it answers and
//! saying that its content verified, so that the organisation's own virus
//! and content scanning sees what replies contain.
//!
//! Nothing is ever dropped: a message that carries no reply for these keys
//! passes as it came, and one whose reply cannot be opened (damaged,
//! altered) is delivered as it came with a warning header. Either way the
//! headers this module asserts (`X-Sealer-Reply-*`) are removed from what
//! arrived, so that no sender can claim them.

use std::path::{Path, PathBuf};

use envelope_core::{Envelope, ErrorKind as EnvelopeErrorKind, Identity, PartKind, PayloadKey};
use mail_builder::headers::Header;
use mail_builder::headers::text::Text;
use mail_builder::mime::MimePart;

use crate::wrap::policy::Limits;
use crate::wrap::read_mail;
use crate::{Error, ErrorKind, Result};

/// The headers `sealer unwrap` asserts; removed from every message that
/// arrives, whatever becomes of it.
pub const ASSERTED_PREFIX: &str = "x-sealer-reply-";

/// The policy of `sealer unwrap --policy FILE` (TOML;
/// `examples/unwrap-policy.toml` shows every key). Unknown keys are
/// refused.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnwrapPolicy {
    /// The reply identities (`sealer keygen` files, mode 600) whose public
    /// keys envelopes ask replies to be sealed to.
    pub identities: Vec<PathBuf>,
    /// What becomes of the sealed reply: `"attach"` (the default: kept as
    /// an attachment of the delivered message) or `"archive"` (written to
    /// `archive_dir`, and named in a header).
    #[serde(default)]
    pub original: OriginalRule,
    /// Where `original = "archive"` keeps sealed replies.
    pub archive_dir: Option<PathBuf>,
    /// The sent-log that names, for the envelope a reply answers, when and
    /// to whom it was sent (`sealer seal --reply-key`, `wrap`'s `[reply]`).
    pub sent_log: Option<PathBuf>,
    /// Size limits: a larger message passes as it came, with a warning.
    #[serde(default)]
    pub limits: Limits,
    /// Virus scanning: when set, what is delivered (an opened reply, or a
    /// message as it came) is scanned first.
    #[serde(default)]
    pub scan: Option<crate::scan::ScanPolicy>,
}

/// What becomes of a sealed reply once opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OriginalRule {
    /// Attached to the delivered message.
    #[default]
    Attach,
    /// Written to the archive folder.
    Archive,
}

impl UnwrapPolicy {
    /// Reads the policy file at `path`; relative paths in it are taken
    /// from its folder.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Policy`] when the file cannot be read or is invalid.
    pub fn from_file(path: &Path) -> Result<UnwrapPolicy> {
        let failed =
            |why: String| Error::new(ErrorKind::Policy, format!("{}: {why}", path.display()));
        let text = std::fs::read_to_string(path).map_err(|err| failed(err.to_string()))?;
        let mut policy: UnwrapPolicy =
            toml::from_str(&text).map_err(|err| failed(err.to_string()))?;
        if policy.identities.is_empty() {
            return Err(failed(
                "identities is empty: name the reply identities".into(),
            ));
        }
        match (policy.original, &policy.archive_dir) {
            (OriginalRule::Archive, None) => {
                return Err(failed("original = \"archive\" needs archive_dir".into()));
            }
            (OriginalRule::Attach, Some(_)) => {
                return Err(failed(
                    "archive_dir is only for original = \"archive\"".into(),
                ));
            }
            _ => {}
        }
        let max = policy.limits.max_message_bytes;
        if max == 0 || max > crate::wrap::policy::MAX_MESSAGE_BYTES_CAP {
            return Err(failed(format!(
                "limits.max_message_bytes is {max}; it must be between 1 and {}",
                crate::wrap::policy::MAX_MESSAGE_BYTES_CAP
            )));
        }
        if let Some(scan) = &policy.scan {
            scan.scanner()
                .map_err(|err| failed(err.detail().to_owned()))?;
        }
        let base = path.parent().unwrap_or(Path::new("."));
        // Absolute, so that the audit log names files wherever the mail
        // server runs the filter from.
        let resolve = |path: &mut PathBuf| {
            let joined = base.join(&*path);
            *path = std::path::absolute(&joined).unwrap_or(joined);
        };
        policy.identities.iter_mut().for_each(resolve);
        policy.archive_dir.iter_mut().for_each(resolve);
        policy.sent_log.iter_mut().for_each(resolve);
        if let Some(dir) = policy.scan.as_mut().and_then(|s| s.quarantine_dir.as_mut()) {
            resolve(dir);
        }
        Ok(policy)
    }
}

/// What becomes of the sealed original in an opened reply.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Original {
    /// Attached to the delivered message, as it came.
    Attached,
    /// Kept elsewhere (the caller wrote it) under this name, which a header
    /// gives.
    Archived(String),
}

/// A reply opened: what it answers and what it holds.
#[derive(Debug)]
pub struct OpenedReply {
    /// The delivered message.
    pub email: Vec<u8>,
    /// The id of the envelope it answers (hex), if it names one.
    pub answers: Option<String>,
    /// The fingerprint of the reply key that opened it.
    pub key: String,
    /// The reply envelope's size in bytes.
    pub envelope_bytes: u64,
    /// How many files it carried.
    pub files: usize,
}

/// What `sealer unwrap` does with one message.
#[derive(Debug)]
pub enum Unwrapped {
    /// It carries no reply sealed to these keys: it passes as it came
    /// (less any `X-Sealer-Reply-*` header).
    Passed {
        /// The message to deliver.
        email: Vec<u8>,
        /// Why it is not a reply for these keys.
        why: String,
    },
    /// A reply, opened.
    Opened(OpenedReply),
    /// A reply for these keys that could not be opened: the message as it
    /// came, with an `X-Sealer-Reply-Warning` header saying why.
    Warned {
        /// The message to deliver.
        email: Vec<u8>,
        /// Why it could not be opened.
        why: String,
    },
}

/// A sealed reply to archive: its file name and the page's bytes.
pub type ArchivedPage = (String, Vec<u8>);

/// A sealed reply found in a message: the page's file name and bytes, its
/// envelope, and the identity that opens it.
struct Found<'a> {
    name: String,
    page: Vec<u8>,
    envelope: Vec<u8>,
    identity: &'a Identity,
}

/// Looks for a reply sealed to one of `identities` in `raw` (one RFC 5322
/// message) and, if there is one, opens it and builds the message to
/// deliver instead. `answered` says, for an envelope id, when and to whom
/// it was sent (from the sent-log), for a header. With `archive`, the
/// sealed page is not attached but returned (its file name and bytes) for
/// the caller to keep, and a header names it.
///
/// # Errors
///
/// None so far: whatever `raw` holds, a message that is not a mail, has no
/// reply or a broken one is [`Unwrapped::Passed`] or
/// [`Unwrapped::Warned`]. The `Result` is for callers to come.
pub fn unwrap_mail(
    raw: &[u8],
    identities: &[Identity],
    answered: &dyn Fn(&[u8; 32]) -> Option<String>,
    archive: bool,
) -> Result<(Unwrapped, Option<ArchivedPage>)> {
    let found = match find_reply(raw, identities) {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Ok((
                Unwrapped::Passed {
                    email: without_asserted_headers(raw),
                    why: "no sealed reply for the organisation's reply keys".to_owned(),
                },
                None,
            ));
        }
        Err(why) => return Ok((warned(raw, &why), None)),
    };
    let original = if archive {
        Original::Archived(found.name.clone())
    } else {
        Original::Attached
    };
    match open_reply(raw, &found, answered, &original) {
        Ok(opened) => {
            let kept = archive.then_some((found.name, found.page));
            Ok((Unwrapped::Opened(opened), kept))
        }
        Err(why) => Ok((warned(raw, &why), None)),
    }
}

/// The one page in `raw` that carries an envelope with a slot one of
/// `identities` opens; `Err` says why a reply for these keys is unusable.
fn find_reply<'a>(
    raw: &[u8],
    identities: &'a [Identity],
) -> std::result::Result<Option<Found<'a>>, String> {
    let mut found: Option<Found<'a>> = None;
    // A message this reader cannot take apart holds no reply it can open:
    // it passes (and a person reads it) rather than being refused.
    let pages = envelope_core::mail::html_attachments(raw).unwrap_or_default();
    for page in pages {
        let Ok(envelope) = crate::read_page(&page.bytes) else {
            continue;
        };
        let Ok(header) = envelope_core::Header::read_from(&mut &envelope[..]) else {
            continue;
        };
        for identity in identities {
            match PayloadKey::unlock_with_identity(&header, identity) {
                Ok(_) => {
                    if found.is_some() {
                        return Err("the message carries more than one sealed reply".to_owned());
                    }
                    found = Some(Found {
                        name: page.name.clone(),
                        page: page.bytes.clone(),
                        envelope: envelope.clone(),
                        identity,
                    });
                    break;
                }
                Err(err) if err.kind() == EnvelopeErrorKind::Damaged => {
                    return Err(format!(
                        "the sealed reply {:?} is damaged: {err}",
                        page.name
                    ));
                }
                Err(_) => {}
            }
        }
    }
    Ok(found)
}

/// The reply's parts, all verified, and the message that delivers them.
fn open_reply(
    raw: &[u8],
    found: &Found<'_>,
    answered: &dyn Fn(&[u8; 32]) -> Option<String>,
    original: &Original,
) -> std::result::Result<OpenedReply, String> {
    let refuse = |err: envelope_core::Error| format!("the sealed reply {:?}: {err}", found.name);
    let mut reader = Envelope::new(&found.envelope[..])
        .and_then(|envelope| envelope.unlock_with_identity(found.identity))
        .map_err(refuse)?;
    let manifest = reader.manifest().clone();
    let mut text = Vec::new();
    let mut html = None;
    let mut files = Vec::new();
    while let Some(mut part) = reader.next_part().map_err(refuse)? {
        let mut bytes = Vec::new();
        let kind = part.kind();
        part.copy_to(&mut bytes).map_err(refuse)?;
        match kind {
            PartKind::TextBody => text = bytes,
            PartKind::HtmlBody => html = Some(bytes),
            PartKind::Attachment(index) => {
                let info = &manifest.attachments[index];
                files.push((info.name.clone(), info.media_type.clone(), bytes));
            }
        }
    }
    // Only now is the whole envelope proven: nothing of it went anywhere
    // before.
    reader.finish().map_err(refuse)?;
    let text = String::from_utf8(text).map_err(|_| "the reply's text is not UTF-8".to_owned())?;
    let html = html
        .map(String::from_utf8)
        .transpose()
        .map_err(|_| "the reply's formatted text is not UTF-8".to_owned())?;
    let answers = manifest.in_reply_to.map(hex::encode);
    let incoming = read_mail(raw).map_err(|err| err.to_string())?;
    let mut out = Vec::with_capacity(raw.len() + 4096);
    for (name, value) in &incoming.headers {
        if kept_inbound(name) {
            out.extend_from_slice(name.as_bytes());
            out.push(b':');
            out.extend_from_slice(value.replace("\r\n", "\n").replace('\n', "\r\n").as_bytes());
        }
    }
    let subject = if manifest.subject.trim().is_empty() {
        incoming.subject.clone()
    } else {
        manifest.subject.clone()
    };
    out.extend_from_slice(b"Subject: ");
    Text::new(one_line(&subject)).write_header(&mut out, "Subject: ".len());
    let key = found.identity.recipient().fingerprint();
    let mut headers = vec![(
        "X-Sealer-Reply-Content",
        format!("verified; opened with reply key {key}"),
    )];
    if let Some(id) = &manifest.in_reply_to {
        let sent = answered(id)
            .map(|sent| format!("; {sent}"))
            .unwrap_or_default();
        headers.push((
            "X-Sealer-Reply-Answers",
            format!("{}{sent}", hex::encode(id)),
        ));
    }
    headers.push((
        "X-Sealer-Reply-Original",
        match original {
            Original::Attached => format!("attached as {}", one_line(&found.name)),
            Original::Archived(name) => format!(
                "archived by the gateway ({}; its audit log names the file)",
                one_line(name)
            ),
        },
    ));
    for (name, value) in headers {
        out.extend_from_slice(&header_line(name, &value, "\r\n"));
    }
    out.extend_from_slice(b"MIME-Version: 1.0\r\n");
    let body = match html {
        Some(html) => MimePart::new(
            "multipart/alternative",
            vec![
                MimePart::new("text/plain", text),
                MimePart::new("text/html", html),
            ],
        ),
        None => MimePart::new("text/plain", text),
    };
    let mut parts = vec![body];
    let count = files.len();
    for (name, media_type, bytes) in files {
        parts.push(MimePart::new(media_type, bytes).attachment(name));
    }
    if *original == Original::Attached {
        parts.push(MimePart::new("text/html", found.page.clone()).attachment(found.name.clone()));
    }
    MimePart::new("multipart/mixed", parts).write_part(&mut out);
    Ok(OpenedReply {
        email: out,
        answers,
        key,
        envelope_bytes: found.envelope.len() as u64,
        files: count,
    })
}

/// Whether an arriving header goes on to the delivered message: all of them
/// (the trace and the MX's authentication results among them), but the
/// subject and the MIME headers (the answer's own replace them), a DKIM
/// signature (over a body that is no longer there), and the headers this
/// filter asserts.
fn kept_inbound(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    !(name == "subject"
        || name == "mime-version"
        || name.starts_with("content-")
        || name == "dkim-signature"
        || name.starts_with(ASSERTED_PREFIX))
}

/// The message as it came, less any header it asserts, with a warning.
fn warned(raw: &[u8], why: &str) -> Unwrapped {
    let line_end = if crate::wrap::uses_bare_lf(raw) {
        "\n"
    } else {
        "\r\n"
    };
    let mut email = header_line(
        "X-Sealer-Reply-Warning",
        &format!("not opened: {why}"),
        line_end,
    );
    email.extend_from_slice(&without_asserted_headers(raw));
    Unwrapped::Warned {
        email,
        why: why.to_owned(),
    }
}

/// One header field: printable ASCII as it is (on one line, at most 998
/// characters), anything else encoded (RFC 2047), ending in `line_end`.
fn header_line(name: &str, value: &str, line_end: &str) -> Vec<u8> {
    let value = one_line(value);
    let mut line = format!("{name}: ").into_bytes();
    if value.is_ascii() {
        let room = 998usize.saturating_sub(line.len());
        line.extend_from_slice(&value.as_bytes()[..value.len().min(room)]);
        line.extend_from_slice(line_end.as_bytes());
    } else {
        let mut encoded = Vec::new();
        Text::new(value).write_header(&mut encoded, name.len() + 2);
        let encoded = String::from_utf8_lossy(&encoded).replace("\r\n", line_end);
        line.extend_from_slice(encoded.as_bytes());
    }
    line
}

/// `raw` without the header fields (and their folded lines) whose names
/// start with [`ASSERTED_PREFIX`]; the body untouched.
pub fn without_asserted_headers(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut dropping = false;
    let mut in_header = true;
    for line in raw.split_inclusive(|&b| b == b'\n') {
        if !in_header {
            out.extend_from_slice(line);
            continue;
        }
        if line == b"\n" || line == b"\r\n" {
            in_header = false;
            out.extend_from_slice(line);
            continue;
        }
        let folded = line.first().is_some_and(|b| *b == b' ' || *b == b'\t');
        if !folded {
            let name = line
                .iter()
                .position(|&b| b == b':')
                .map(|at| &line[..at])
                .unwrap_or_default();
            dropping = name.len() >= ASSERTED_PREFIX.len()
                && name[..ASSERTED_PREFIX.len()].eq_ignore_ascii_case(ASSERTED_PREFIX.as_bytes());
        }
        if !dropping {
            out.extend_from_slice(line);
        }
    }
    out
}

/// `text` on one line (any line break or control character a space).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Reads the reply identities in `paths` (`sealer keygen` files, mode 600).
///
/// # Errors
///
/// As [`crate::keys`] reading an identity.
pub fn read_identities(paths: &[impl AsRef<Path>]) -> Result<Vec<Identity>> {
    paths
        .iter()
        .map(|path| crate::keys::read_identity(path.as_ref()))
        .collect()
}
