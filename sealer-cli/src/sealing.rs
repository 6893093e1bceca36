//! One sealing, from a validated plan to its report: seal the message →
//! render the page → build the mail that carries it → log the receipt,
//! write the files, submit the mail. `sealer seal`, `sealer wrap`, the
//! examples and applications all seal through [`SealJob`], so a feature
//! that belongs to every sealing (scanning, a new output) is added here
//! once.
//!
//! ```
//! use envelope_core::{KdfParams, Message, Passphrase, SealOptions};
//! use sealer::mailbox::Mailbox;
//! use sealer::sealing::{NoticeHeaders, SealJob};
//! let options = SealOptions::new()
//!     .passphrase(Passphrase::new("stuffed-blame-ripcord-emporium-crimp-gatherer"))
//!     .label("Secure message from Example Clinic");
//! # let options = options.kdf(KdfParams { m_kib: 64, t: 1, p: 1 }); // fast doctest
//! let sealed = SealJob::new(Message::new().subject("Results").text_body("…"), options)
//!     .notice(NoticeHeaders::new(
//!         "Example Clinic <records@clinic.example>".parse()?,
//!         vec!["alex@example.org".parse()?],
//!     ))
//!     .run()?;
//! // Written to no file, the page and the mail are returned.
//! assert!(sealed.page.is_some_and(|page| page.contains("Secure message from Example Clinic")));
//! assert!(sealed.mail.is_some_and(|mail| mail.starts_with(b"From: ")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use envelope_core::{
    Header, Message, MessageDate, Passphrase, ReceiptRecord, RecipientKey, SealOptions,
    SigningIdentity, envelope_id, seal_with_receipt,
};

use crate::files::Outputs;
use crate::mail_frame::MailFrame;
use crate::mailbox::Mailbox;
use crate::notice::{Notice, check_header_text, notice_frame};
use crate::page::{PageParts, PageWriter, WrittenPage};
use crate::receipts::{SentEntry, SentLog};
use crate::smtp::{Server, addressing_of, submit};
use crate::wrap::{Incoming, wrapped_frame};
use crate::{Error, ErrorKind, PageOptions, Result};

/// Who can open the envelope, and who sealed it.
#[derive(Debug, Default)]
pub struct KeySlots {
    /// A passphrase slot each; any one opens the envelope, typed exactly.
    pub passphrases: Vec<Passphrase>,
    /// A slot each for generated passphrases (words of the spoken list),
    /// which open the envelope however they are spaced and capitalised.
    pub generated_passphrases: Vec<Passphrase>,
    /// A recovery-key slot each (an organisation's key, kept offline).
    pub recovery_keys: Vec<RecipientKey>,
    /// The sender's signing key, if the envelope is signed.
    pub signing_key: Option<SigningIdentity>,
}

/// What the envelope shows before it is opened: public, covered by the
/// header's MAC.
#[derive(Debug, Clone, Default)]
pub struct PublicFields {
    /// The label, e.g. `Secure message from Example Clinic`.
    pub label: Option<String>,
    /// The passphrase hint.
    pub hint: Option<String>,
    /// The advisory not-after date, in seconds since 1970 (UTC).
    pub expires: Option<i64>,
}

/// The seal options for `keys` and `public` (and the default key
/// derivation cost).
pub fn seal_options(keys: KeySlots, public: &PublicFields) -> SealOptions {
    let mut options = SealOptions::new();
    for passphrase in keys.passphrases {
        options = options.passphrase(passphrase);
    }
    for passphrase in keys.generated_passphrases {
        options = options.generated_passphrase(passphrase);
    }
    for key in keys.recovery_keys {
        options = options.recovery_key(key);
    }
    if let Some(key) = keys.signing_key {
        options = options.sign(key);
    }
    if let Some(label) = &public.label {
        options = options.label(label);
    }
    if let Some(hint) = &public.hint {
        options = options.hint(hint);
    }
    if let Some(at) = public.expires {
        options = options.expires(at);
    }
    options
}

/// The headers of a fresh notice e-mail (see [`crate::notice`]).
#[derive(Debug, Clone)]
pub struct NoticeHeaders {
    /// The sender.
    pub from: Mailbox,
    /// Recipients (at least one).
    pub to: Vec<Mailbox>,
    /// Copy recipients.
    pub cc: Vec<Mailbox>,
    /// The subject shown, or `None` for
    /// [`crate::notice::NEUTRAL_SUBJECT`] (the real one stays sealed).
    pub subject: Option<String>,
    /// Date, in seconds since 1970 (UTC).
    pub date: i64,
}

impl NoticeHeaders {
    /// A notice from `from` to `to`, dated now, under the neutral subject.
    pub fn new(from: Mailbox, to: Vec<Mailbox>) -> NoticeHeaders {
        NoticeHeaders {
            from,
            to,
            cc: Vec::new(),
            subject: None,
            date: MessageDate::now().unix_seconds,
        }
    }
}

/// The mail that carries the page, if any.
#[derive(Debug)]
enum Carrier {
    /// The page alone.
    None,
    /// A fresh notice e-mail.
    Notice(NoticeHeaders),
    /// A mail that already exists, sealed in its own place (see
    /// [`crate::wrap::wrapped_email`]).
    Wrapped {
        incoming: Box<Incoming>,
        subject: String,
        bare_lf: bool,
    },
}

/// The sent-log entry a sealing that asks for a receipt or for secure
/// replies appends, before the envelope leaves (see [`crate::receipts`]).
#[derive(Debug)]
pub struct ReceiptLog {
    /// The log, opened.
    pub log: SentLog,
    /// Whose passphrase each passphrase slot is, slot by slot, in words.
    pub whose: Vec<String>,
    /// The sealed message's sender, as the log shows it.
    pub from: String,
    /// Its To recipients.
    pub to: Vec<String>,
    /// Its Cc recipients.
    pub cc: Vec<String>,
    /// Its subject.
    pub subject: String,
}

/// One sealing: what to seal, how, and where the results go. Built with
/// the setters, checked and carried out by [`SealJob::run`].
#[derive(Debug)]
#[must_use = "a SealJob does nothing until run"]
pub struct SealJob {
    message: Message,
    options: SealOptions,
    page: PageOptions,
    carrier: Carrier,
    receipt: Option<ReceiptLog>,
    asks_receipt: bool,
    reply_to: Option<String>,
    page_file: Option<PathBuf>,
    mail_file: Option<PathBuf>,
    replace: bool,
    smtp: Option<Server>,
}

/// What a sealing made and did. The page and the mail are written as they
/// are made, straight into their files: only what goes to no file is held
/// here whole.
#[derive(Debug)]
pub struct Sealed {
    /// The envelope's size in bytes (before it became a page).
    pub envelope_len: u64,
    /// The page's size in bytes.
    pub page_len: u64,
    /// The page, when it was written to no file.
    pub page: Option<String>,
    /// The size of the mail that carries the page, if one was made.
    pub mail_len: Option<u64>,
    /// That mail, when it was written to no file.
    pub mail: Option<Vec<u8>>,
    /// What recognises the receipt codes, if a receipt was asked for.
    pub receipt: Option<ReceiptRecord>,
    /// The files written, page first.
    pub written: Vec<PathBuf>,
    /// The SMTP submission, if one was asked for: it is tried only once
    /// the files are written, and its failure does not undo them.
    pub submitted: Option<Result<Submission>>,
}

/// A mail handed to an SMTP server.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The envelope recipients.
    pub recipients: Vec<String>,
    /// The server's host name.
    pub host: String,
    /// The server's reply (its queue id, usually).
    pub reply: String,
}

impl SealJob {
    /// A job that seals `message` with `options` (key slots, label, hint,
    /// expiry, signature) into a page with the built-in look, kept in
    /// memory.
    pub fn new(message: Message, options: SealOptions) -> SealJob {
        SealJob {
            message,
            options,
            page: PageOptions::default(),
            carrier: Carrier::None,
            receipt: None,
            asks_receipt: false,
            reply_to: None,
            page_file: None,
            mail_file: None,
            replace: false,
            smtp: None,
        }
    }

    /// The templates and branding of the page and its mail.
    pub fn page_options(mut self, page: PageOptions) -> SealJob {
        // Secure replies, asked for by SealJob::reply, stay asked for.
        let replies = self.page.replies || page.replies;
        self.page = PageOptions { replies, ..page };
        self
    }

    /// Carries the page in a fresh notice e-mail with these headers.
    pub fn notice(mut self, headers: NoticeHeaders) -> SealJob {
        self.carrier = Carrier::Notice(headers);
        self
    }

    /// Carries the page in `incoming`'s place: its kept headers, under
    /// `Subject: subject`, with line ends as `raw` (the message as read)
    /// has them. The message sealed is the one given to [`SealJob::new`].
    pub fn wrap(mut self, incoming: Incoming, raw: &[u8], subject: &str) -> SealJob {
        self.carrier = Carrier::Wrapped {
            incoming: Box::new(incoming),
            subject: subject.to_owned(),
            bare_lf: crate::wrap::uses_bare_lf(raw),
        };
        self
    }

    /// Asks for a receipt at `address` and logs the envelope in `log`
    /// before anything leaves.
    pub fn receipt(mut self, address: &str, log: ReceiptLog) -> SealJob {
        self.options = self.options.request_receipt(address);
        self.receipt = Some(log);
        self.asks_receipt = true;
        self
    }

    /// Asks for secure replies, sealed to `key` and sent to `address` (see
    /// [`SealOptions::request_reply`]), and logs the envelope in `log` (if
    /// a receipt did not already), so that an answer, which names the
    /// envelope it answers by its id, can be traced to whom it was sent.
    pub fn reply(mut self, address: &str, key: RecipientKey, log: Option<ReceiptLog>) -> SealJob {
        self.options = self.options.request_reply(address, key);
        self.page.replies = true;
        self.reply_to = Some(address.to_owned());
        if self.receipt.is_none() {
            self.receipt = log;
        }
        self
    }

    /// Writes the page to `path`.
    pub fn write_page(mut self, path: &Path) -> SealJob {
        self.page_file = Some(path.to_owned());
        self
    }

    /// Writes the mail to `path` (with the page, as one: both or neither).
    pub fn write_mail(mut self, path: &Path) -> SealJob {
        self.mail_file = Some(path.to_owned());
        self
    }

    /// Replaces files that exist (by default, an existing file is an
    /// error and is kept).
    pub fn replace(mut self, replace: bool) -> SealJob {
        self.replace = replace;
        self
    }

    /// Submits the mail to `server` once the files are written.
    pub fn submit(mut self, server: Server) -> SealJob {
        self.smtp = Some(server);
        self
    }

    /// Checks the plan, then seals and writes the page as it seals, builds
    /// the mail around it, logs, gives the files their names and submits,
    /// in that order.
    ///
    /// # Errors
    ///
    /// Before any key is derived or file touched: [`ErrorKind::Exists`]
    /// for an output that exists (without [`SealJob::replace`]);
    /// [`ErrorKind::Notice`] for a mail output without a mail, or a
    /// subject with a line break; [`ErrorKind::Branding`] or
    /// [`ErrorKind::Template`] for the look. Then as
    /// [`envelope_core::seal`], [`crate::render_page`],
    /// [`crate::notice::notice_email`] and [`SentLog::append`];
    /// [`ErrorKind::Io`] when writing fails, leaving no file. A failed submission is in [`Sealed::submitted`].
    pub fn run(self) -> Result<Sealed> {
        self.check()?;
        let SealJob {
            message,
            options,
            page: page_options,
            carrier,
            receipt,
            asks_receipt,
            reply_to,
            page_file,
            mail_file,
            replace,
            smtp,
        } = self;
        let logging = receipt.map(|log| Logging {
            log,
            receipt: asks_receipt,
            reply_to,
        });
        let parts = PageParts::this_build();
        let mut outputs = Outputs::new(replace);
        let sink = PageSink::new(page_file.as_deref(), &mut outputs)?;
        let writer = PageWriter::new(sink, &page_options, &parts);
        let (written_page, record) =
            seal(message, &options, logging, page_file.as_deref(), writer)?;
        let page = written_page.out.finish()?;
        let mail = match carrier.frame(&written_page.header, page.len(), &page_options)? {
            Some(frame) => Some(write_mail(
                &frame,
                &page,
                mail_file.as_deref(),
                &mut outputs,
            )?),
            None => None,
        };
        // A mail file is asked for only with a mail (`check`).
        let written: Vec<PathBuf> = page_file.into_iter().chain(mail_file.clone()).collect();
        outputs.commit().map_err(|err| {
            let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            cannot_write(Path::new(&names.join(" and ")), err)
        })?;
        let submitted = match (&smtp, &mail) {
            (Some(server), Some(mail)) => Some(
                mail.contents(mail_file.as_deref())
                    .and_then(|contents| submission(&contents, server)),
            ),
            _ => None,
        };
        Ok(Sealed {
            envelope_len: written_page.envelope_len,
            page_len: page.len(),
            page: page.into_text(),
            mail_len: mail.as_ref().map(|mail| mail.len),
            mail: mail.and_then(|mail| mail.bytes),
            receipt: record,
            written,
            submitted,
        })
    }

    /// Everything that can be known wrong before the work starts.
    fn check(&self) -> Result<()> {
        if !self.replace {
            for path in self.page_file.iter().chain(&self.mail_file) {
                if path.exists() {
                    return Err(Error::new(
                        ErrorKind::Exists,
                        format!(
                            "{} already exists; choose another name, or replace it",
                            path.display()
                        ),
                    ));
                }
            }
        }
        let has_mail = !matches!(self.carrier, Carrier::None);
        if (self.mail_file.is_some() || self.smtp.is_some()) && !has_mail {
            return Err(Error::new(
                ErrorKind::Notice,
                "there is no mail to write or send: give the notice's headers",
            ));
        }
        match &self.carrier {
            Carrier::Notice(headers) => check_notice(headers)?,
            Carrier::Wrapped { subject, .. } => check_header_text("subject", subject)?,
            Carrier::None => {}
        }
        self.page.check()?;
        self.check_public_text()
    }

    /// Refuses public text that gives a passphrase away (see
    /// [`crate::leaks`]).
    fn check_public_text(&self) -> Result<()> {
        let branding = &self.page.branding;
        let shown_subject = match &self.carrier {
            Carrier::Notice(headers) => headers.subject.as_deref(),
            Carrier::Wrapped { subject, .. } => Some(subject.as_str()),
            Carrier::None => None,
        };
        let fields: Vec<(&str, &str)> = [
            ("--label", self.options.shown_label()),
            ("--hint", self.options.shown_hint()),
            ("the subject the notice shows", shown_subject),
            ("the organisation name", branding.organisation.as_deref()),
            ("--help-text", branding.help_text.as_deref()),
            ("--contact", branding.contact.as_deref()),
        ]
        .into_iter()
        .filter_map(|(name, text)| Some((name, text?)))
        .collect();
        crate::leaks::check(
            self.options.passphrases(),
            &fields,
            self.options.shown_hint(),
        )
    }
}

/// How a sealing is logged: the entry's fields, and what it asks for.
struct Logging {
    log: ReceiptLog,
    receipt: bool,
    reply_to: Option<String>,
}

/// Where a page is written: the temporary file that becomes its path, or
/// memory.
enum PageSink {
    File {
        out: BufWriter<File>,
        path: PathBuf,
        temporary: PathBuf,
    },
    Memory(Vec<u8>),
}

/// A page once written.
enum PageOut {
    /// In the temporary file that becomes its path, synced.
    File {
        temporary: PathBuf,
        len: u64,
    },
    Memory(String),
}

impl PageSink {
    /// The page's file, when it has a path (made in `outputs`), else memory.
    fn new(path: Option<&Path>, outputs: &mut Outputs) -> Result<PageSink> {
        let Some(path) = path else {
            return Ok(PageSink::Memory(Vec::new()));
        };
        let file = outputs
            .create(path)
            .map_err(|err| cannot_write(path, err))?;
        let temporary = outputs
            .temporary(path)
            .ok_or_else(|| Error::new(ErrorKind::Internal, "a page file made nowhere"))?
            .to_path_buf();
        Ok(PageSink::File {
            out: BufWriter::with_capacity(1 << 20, file),
            path: path.to_path_buf(),
            temporary,
        })
    }

    fn finish(self) -> Result<PageOut> {
        match self {
            PageSink::File {
                out,
                path,
                temporary,
            } => Ok(PageOut::File {
                len: synced(out, &path)?,
                temporary,
            }),
            PageSink::Memory(bytes) => String::from_utf8(bytes)
                .map(PageOut::Memory)
                .map_err(|_| Error::new(ErrorKind::Internal, "the page is not ASCII text")),
        }
    }
}

impl Write for PageSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            PageSink::File { out, .. } => out.write(bytes),
            PageSink::Memory(memory) => memory.write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            PageSink::File { out, .. } => out.flush(),
            PageSink::Memory(_) => Ok(()),
        }
    }
}

impl PageOut {
    fn len(&self) -> u64 {
        match self {
            PageOut::File { len, .. } => *len,
            PageOut::Memory(text) => text.len() as u64,
        }
    }

    /// The page read back, to be copied into its mail.
    fn reader(&self) -> Result<Box<dyn Read + '_>> {
        match self {
            PageOut::File { temporary, .. } => Ok(Box::new(
                File::open(temporary).map_err(|err| cannot_write(temporary, err))?,
            )),
            PageOut::Memory(text) => Ok(Box::new(text.as_bytes())),
        }
    }

    /// The page, when it went to no file.
    fn into_text(self) -> Option<String> {
        match self {
            PageOut::File { .. } => None,
            PageOut::Memory(text) => Some(text),
        }
    }
}

/// A mail made: its length, and its bytes when it went to no file.
struct MailOut {
    len: u64,
    bytes: Option<Vec<u8>>,
}

impl MailOut {
    /// The mail's bytes: held, or read back from `file`.
    fn contents(&self, file: Option<&Path>) -> Result<std::borrow::Cow<'_, [u8]>> {
        match (&self.bytes, file) {
            (Some(bytes), _) => Ok(std::borrow::Cow::Borrowed(bytes)),
            (None, Some(path)) => std::fs::read(path)
                .map(std::borrow::Cow::Owned)
                .map_err(|err| {
                    Error::new(
                        ErrorKind::Io,
                        format!("cannot read {}: {err}", path.display()),
                    )
                }),
            (None, None) => Err(Error::new(ErrorKind::Internal, "the mail is nowhere")),
        }
    }
}

/// The mail `frame` around `page`: into the temporary file that becomes
/// `path` (made in `outputs`), or into memory.
fn write_mail(
    frame: &MailFrame,
    page: &PageOut,
    path: Option<&Path>,
    outputs: &mut Outputs,
) -> Result<MailOut> {
    let Some(path) = path else {
        let mut bytes = Vec::new();
        let len = frame
            .write(page.reader()?, &mut bytes)
            .map_err(|err| Error::new(ErrorKind::Io, format!("cannot read the page: {err}")))?;
        return Ok(MailOut {
            len,
            bytes: Some(bytes),
        });
    };
    let file = outputs
        .create(path)
        .map_err(|err| cannot_write(path, err))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let len = frame
        .write(page.reader()?, &mut out)
        .map_err(|err| cannot_write(path, err))?;
    synced(out, path)?;
    Ok(MailOut { len, bytes: None })
}

/// The file written, flushed and synced; its length.
fn synced(file: BufWriter<File>, path: &Path) -> Result<u64> {
    let file = file
        .into_inner()
        .map_err(|err| cannot_write(path, err.into_error()))?;
    file.sync_all().map_err(|err| cannot_write(path, err))?;
    Ok(file
        .metadata()
        .map_err(|err| cannot_write(path, err))?
        .len())
}

fn cannot_write(path: &Path, err: std::io::Error) -> Error {
    let kind = match err.kind() {
        std::io::ErrorKind::AlreadyExists => ErrorKind::Exists,
        _ => ErrorKind::Io,
    };
    Error::new(kind, format!("cannot write {}: {err}", path.display())).with_source(err)
}

/// Seals into the page `page` writes, and for a receipt or secure replies
/// logs the envelope before it exists anywhere else (its files are given
/// their names only after): an envelope whose receipts cannot be
/// recognised, or whose answers cannot be traced, is never sent.
fn seal<W: Write>(
    message: Message,
    options: &SealOptions,
    logging: Option<Logging>,
    output: Option<&Path>,
    mut page: PageWriter<'_, W>,
) -> Result<(WrittenPage<W>, Option<ReceiptRecord>)> {
    let receipt = logging.as_ref().is_some_and(|logging| logging.receipt);
    let sealed = if receipt {
        seal_with_receipt(message, options, &mut page).map(|(_, record)| Some(record))
    } else {
        envelope_core::seal(message, options, &mut page).map(|_| None)
    };
    // A failure of the page's own (its template) is told as itself.
    let record = sealed.map_err(|err| page.take_error().unwrap_or_else(|| err.into()))?;
    let written = page.finish()?;
    let Some(Logging {
        log: mut logging,
        reply_to,
        ..
    }) = logging
    else {
        return Ok((written, record));
    };
    let whose: Vec<&str> = logging.whose.iter().map(String::as_str).collect();
    let mut entry = match &record {
        Some(record) => SentEntry::new(record, &whose),
        None => SentEntry::without_receipt(&envelope_id(written.header.as_bytes())),
    };
    entry.reply_to = reply_to;
    entry.from = std::mem::take(&mut logging.from);
    entry.to = std::mem::take(&mut logging.to);
    entry.cc = std::mem::take(&mut logging.cc);
    entry.subject = std::mem::take(&mut logging.subject);
    entry.output = output.map(|path| std::path::absolute(path).unwrap_or_else(|_| path.into()));
    logging.log.append(&entry)?;
    Ok((written, record))
}

impl Carrier {
    /// The mail that carries a page of `page_len` bytes, cut where the
    /// page goes; its label and hint are what the envelope's header says,
    /// as on the page.
    fn frame(
        self,
        header: &Header,
        page_len: u64,
        look: &PageOptions,
    ) -> Result<Option<MailFrame>> {
        let notice = |from, to, cc, subject, date| Notice {
            from,
            to,
            cc,
            subject,
            label: header.label.clone(),
            hint: header.hint.clone(),
            date,
            templates: look.templates.clone(),
            branding: look.branding.clone(),
        };
        match self {
            Carrier::None => Ok(None),
            Carrier::Notice(h) => {
                let notice = notice(Some(h.from), h.to, h.cc, h.subject, h.date);
                notice_frame(page_len, &notice).map(Some)
            }
            Carrier::Wrapped {
                incoming,
                subject,
                bare_lf,
            } => {
                let date = MessageDate::now().unix_seconds;
                let notice = notice(None, Vec::new(), Vec::new(), None, date);
                wrapped_frame(&incoming, bare_lf, &subject, page_len, &notice).map(Some)
            }
        }
    }
}

fn check_notice(headers: &NoticeHeaders) -> Result<()> {
    if headers.to.is_empty() {
        return Err(Error::new(
            ErrorKind::Notice,
            "the notice needs a recipient",
        ));
    }
    match &headers.subject {
        Some(subject) => check_header_text("subject", subject),
        None => Ok(()),
    }
}

/// Submits `mail` to `server`, as its own headers address it.
fn submission(mail: &[u8], server: &Server) -> Result<Submission> {
    let addressing = addressing_of(mail)?;
    let reply = submit(mail, &addressing, server)?;
    Ok(Submission {
        recipients: addressing.recipients,
        host: server.host.clone(),
        reply,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use envelope_core::KdfParams;

    fn options() -> SealOptions {
        SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new("stuffed-blame-ripcord-emporium"))
            .label("From the clinic")
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("sealer-job-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn headers() -> NoticeHeaders {
        NoticeHeaders::new(
            "Example Clinic <records@clinic.example>".parse().unwrap(),
            vec!["alex@example.org".parse().unwrap()],
        )
    }

    #[test]
    fn a_job_writes_the_page_and_its_notice_together() {
        let dir = scratch("writes");
        let sealed = SealJob::new(Message::new().subject("Results"), options())
            .notice(headers())
            .write_page(&dir.join("s.html"))
            .write_mail(&dir.join("s.eml"))
            .run()
            .unwrap();
        assert_eq!(sealed.written, [dir.join("s.html"), dir.join("s.eml")]);
        let page = std::fs::read(dir.join("s.html")).unwrap();
        assert_eq!(page.len() as u64, sealed.page_len);
        assert!(
            sealed.page.is_none() && sealed.mail.is_none(),
            "on file only"
        );
        let mail = std::fs::read(dir.join("s.eml")).unwrap();
        assert_eq!(mail.len() as u64, sealed.mail_len.unwrap());
        assert!(mail.windows(page.len()).any(|window| window == page));
        let mail = std::fs::read_to_string(dir.join("s.eml")).unwrap();
        assert!(
            mail.contains("Subject: From the clinic\r\n"),
            "the subject stays sealed: the label is shown"
        );
        assert!(
            mail.contains("From the clinic"),
            "the label, from the envelope"
        );
        assert!(sealed.receipt.is_none() && sealed.submitted.is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_plan_that_cannot_be_carried_out_is_refused_before_any_work() {
        let dir = scratch("refused");
        std::fs::write(dir.join("kept.html"), "mine").unwrap();
        let refuse = |job: SealJob, kind: ErrorKind| {
            let err = job.run().unwrap_err();
            assert_eq!(err.kind(), kind, "{err}");
        };
        // Not even a key is derived: the options have no passphrase, which
        // sealing would refuse, yet the plan's own error comes first.
        let no_key = || SealJob::new(Message::new(), SealOptions::new().kdf(KdfParams::MIN));
        refuse(
            no_key().write_page(&dir.join("kept.html")),
            ErrorKind::Exists,
        );
        refuse(no_key().write_mail(&dir.join("x.eml")), ErrorKind::Notice);
        let mut no_recipient = headers();
        no_recipient.to.clear();
        refuse(no_key().notice(no_recipient), ErrorKind::Notice);
        let mut injected = headers();
        injected.subject = Some("Hi\r\nBcc: x@evil.example".into());
        refuse(no_key().notice(injected), ErrorKind::Notice);
        let broken = PageOptions {
            templates: crate::templates::Templates {
                page: "{% if %}".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        refuse(no_key().page_options(broken), ErrorKind::Template);
        assert_eq!(std::fs::read(dir.join("kept.html")).unwrap(), b"mine");
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "nothing written"
        );
        // And with everything in order, the missing passphrase is sealing's.
        refuse(no_key(), ErrorKind::Envelope);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
