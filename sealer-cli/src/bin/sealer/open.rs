//! `sealer open`: verify an envelope, then print the message and save its
//! attachments. Nothing is printed or saved from an envelope that fails.

use std::fs;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use envelope_core::mail::{FileKind, file_kind};
use envelope_core::{Envelope, MAGIC, PartKind, SignatureCheck, human_size};
use sealer::files::Staging;
use sealer::input::Input;

use crate::args::{OpenArgs, Unlocking};
use crate::failure::{Code, Failure};
use crate::progress;
use crate::secret;
use crate::terminal::{printable, printable_line};

pub(crate) fn run(args: OpenArgs) -> Result<(), Failure> {
    let envelope = Envelope::new(load(&args.envelope)?.envelope)?;
    // The public header first: not an envelope, or too costly, is said
    // before the passphrase is asked for.
    let expected_signer = args
        .unlocking
        .signer
        .as_deref()
        .map(crate::keys::read_signer)
        .transpose()?;
    let mut reader = unlock(envelope, &args.unlocking)?;
    let manifest = reader.manifest().clone();
    let folder = Folder::prepare(&args)?;
    let mut staging = Staging::new(&folder.path);
    let bodies = read_parts(&mut reader, &mut staging, &folder.path)?;
    // The whole envelope verified: only now does anything appear (and not
    // even then when --signer names a key that did not sign it).
    let finished = reader.finish()?;
    check_signer(finished.signature, expected_signer.as_ref())?;
    bodies.bar.finish_and_clear();
    let saved = staging
        .commit()
        .map_err(|err| write_failed(&folder.path, err))?;
    print_message(&manifest, &finished, &bodies, &args)?;
    print_saved(&saved, &manifest, &folder.path);
    Ok(())
}

/// What was read of the message besides its attachments.
struct Bodies {
    text: Vec<u8>,
    has_html: bool,
    bar: indicatif::ProgressBar,
}

fn write_failed(folder: &Path, err: std::io::Error) -> Failure {
    Failure::new(
        Code::Failed,
        format!("cannot write into {}: {err}", folder.display()),
    )
}

/// Reads every part: the text body kept, the HTML body verified and
/// skipped (only the page shows it safely), the attachments staged in
/// `folder`, not yet visible.
fn read_parts<R: Read>(
    reader: &mut envelope_core::ContentReader<R>,
    staging: &mut Staging,
    folder: &Path,
) -> Result<Bodies, Failure> {
    let manifest = reader.manifest();
    let bar = progress::bar(
        "Opening",
        manifest.attachments.iter().map(|info| info.size).sum(),
    );
    let mut bodies = Bodies {
        text: Vec::new(),
        has_html: false,
        bar,
    };
    while let Some(mut part) = reader.next_part()? {
        match part.kind() {
            PartKind::TextBody => {
                part.copy_to(&mut bodies.text)?;
            }
            PartKind::HtmlBody => {
                bodies.has_html = true;
                part.copy_to(&mut std::io::sink())?;
            }
            PartKind::Attachment(_) => {
                let name = part
                    .attachment()
                    .map(|info| info.name.clone())
                    .unwrap_or_default();
                let failed = |err| write_failed(folder, err);
                let mut file = progress::Writing {
                    inner: BufWriter::new(staging.create(&name).map_err(failed)?),
                    bar: bodies.bar.clone(),
                };
                part.copy_to(&mut file)?;
                file.inner
                    .into_inner()
                    .map_err(|err| failed(err.into_error()))?
                    .sync_all()
                    .map_err(failed)?;
            }
        }
    }
    Ok(bodies)
}

/// The headers, signature, receipt and text of the verified message, made
/// printable (no terminal escapes from the envelope).
fn print_message(
    manifest: &envelope_core::Manifest,
    finished: &envelope_core::Finished,
    bodies: &Bodies,
    args: &OpenArgs,
) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let mut line = |label: &str, value: &str| {
        if !value.is_empty() {
            let _ = writeln!(out, "{label:<8} {}", printable_line(value));
        }
    };
    line("From:", &manifest.from);
    line("To:", &manifest.to.join(", "));
    line("Cc:", &manifest.cc.join(", "));
    line("Date:", &manifest.date.to_rfc3339());
    line("Subject:", &manifest.subject);
    if let Some(check) = &finished.signature {
        line("Signed:", &describe_signature(check));
    }
    // Nothing at all without a record: no reassurance that was not earned.
    if let Some(record) = &manifest.virus_scan {
        line("Viruses:", &sealer::scan::describe(record));
    }
    match (&finished.receipt, &manifest.receipt_to) {
        (Some(receipt), _) => line(
            "Receipt:",
            &format!(
                "the sender asks you to confirm that you received this message. To do so, send \
                 this code to {}: {} (it tells them which message was opened, and reveals \
                 nothing of its content).",
                receipt.to, receipt.code
            ),
        ),
        (None, Some(_)) => line(
            "Receipt:",
            "the sender asked the recipients for a receipt; opened with a recovery key, \
             there is none to send.",
        ),
        (None, None) => {}
    }
    if let Some(id) = &manifest.in_reply_to {
        line("Answers:", &answered(id, args.sent_log.clone()));
    }
    if let Some(request) = &manifest.reply_request {
        line(
            "Replies:",
            &format!(
                "the sender asks that answers be sealed: open the envelope in a browser and \
                 choose Reply securely (answers go to {}).",
                request.to
            ),
        );
    }
    if let Some(headers) = &manifest.original_headers {
        if args.headers {
            let _ = writeln!(
                out,
                "\nOriginal headers:\n{}",
                printable(headers).trim_end()
            );
        } else {
            let _ = writeln!(
                out,
                "(The original message's {} header lines: sealer open --headers.)",
                headers.lines().count()
            );
        }
    }
    let text = String::from_utf8_lossy(&bodies.text);
    let _ = writeln!(out, "\n{}", printable(&text).trim_end());
    if bodies.has_html {
        let _ = writeln!(
            out,
            "\n(The message also has a formatted version: open the envelope in a browser to see it.)"
        );
    }
    Ok(())
}

/// Which envelope an answer answers: its id, and from the sent-log when
/// and to whom it was sent, and its subject.
fn answered(id: &[u8; 32], sent_log: Option<PathBuf>) -> String {
    let short = hex::encode(&id[..8]);
    let Ok(path) = crate::receipt::sent_log_path(sent_log) else {
        return format!("envelope {short}… (no sent-log to look it up in)");
    };
    match sealer::receipts::find_envelope(&path, id) {
        Ok(Some(entry)) => format!(
            "envelope {short}…, {}, subject {:?} (from the sent-log {})",
            entry.sent_to(),
            entry.subject,
            path.display()
        ),
        Ok(None) => format!(
            "envelope {short}…, which the sent-log {} does not hold",
            path.display()
        ),
        Err(err) => format!("envelope {short}… ({err})"),
    }
}

/// Where each attachment was saved.
fn print_saved(saved: &[PathBuf], manifest: &envelope_core::Manifest, folder: &Path) {
    if saved.is_empty() {
        return;
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "\nAttachments saved in {}:", folder.display());
    for (path, info) in saved.iter().zip(&manifest.attachments) {
        let _ = writeln!(
            out,
            "  {} ({}, {})",
            printable_line(&path.file_name().unwrap_or_default().to_string_lossy()),
            printable_line(&info.media_type),
            human_size(info.size)
        );
    }
}

/// The largest page or mail read (a mail is read into memory, to be
/// parsed as a mail program parses it; a page is read as a stream; the
/// largest page a browser opens, 1 GiB of payload, is about 1.4 GiB). Raw
/// envelopes are streamed, whatever their size.
const MAX_PAGE_INPUT: u64 = 2 << 30;

/// `start` (what was read of `file` already) and the rest of `file`, at
/// most [`MAX_PAGE_INPUT`] in all, in one allocation of the size the file
/// says it has (not one doubled as it grows).
fn read_whole(file: fs::File, start: Vec<u8>, path: &Path) -> Result<Vec<u8>, Failure> {
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(usize::try_from(len.min(MAX_PAGE_INPUT) + 1).unwrap_or(0));
    bytes.extend_from_slice(&start);
    file.take(MAX_PAGE_INPUT + 1 - start.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(|err| Failure::input(format!("cannot read {}: {err}", path.display())))?;
    if bytes.len() as u64 > MAX_PAGE_INPUT {
        return Err(too_large(path));
    }
    Ok(bytes)
}

/// How much of a file is looked at to tell a page from a mail.
const PAGE_HEAD_LEN: u64 = 64 * 1024;

/// A file given to `open`, `inspect` or `verify`: a page, to be read as a
/// stream (in bounded memory, whatever its size), or anything else, read
/// whole.
pub(crate) enum PageOrInput {
    /// The page's bytes: those read first, then the rest of the file.
    Page(std::io::Chain<std::io::Cursor<Vec<u8>>, std::io::Take<fs::File>>),
    /// A raw envelope, a mail or anything else, read whole.
    Other(Input),
}

/// Whether the file at `path` is a page, by its name or its first bytes
/// (as [`Input::new`] decides), `start` of it read already.
pub(crate) fn page_or_input(
    mut file: fs::File,
    mut start: Vec<u8>,
    path: &Path,
) -> Result<PageOrInput, Failure> {
    (&mut file)
        .take(PAGE_HEAD_LEN.saturating_sub(start.len() as u64))
        .read_to_end(&mut start)
        .map_err(|err| Failure::input(format!("cannot read {}: {err}", path.display())))?;
    let name = path.file_name().and_then(|name| name.to_str());
    if file_kind(&start, name) == FileKind::Page {
        let size = file.metadata().map(|m| m.len()).unwrap_or_default();
        if size > MAX_PAGE_INPUT {
            return Err(too_large(path));
        }
        return Ok(PageOrInput::Page(
            std::io::Cursor::new(start).chain(file.take(MAX_PAGE_INPUT)),
        ));
    }
    Ok(PageOrInput::Other(Input::new(
        read_whole(file, start, path)?,
        Some(path),
    )))
}

/// What the file at `path` is, read as [`page_or_input`] says.
pub(crate) fn read_page_or_input(path: &Path) -> Result<PageOrInput, Failure> {
    page_or_input(open_file(path)?, Vec::new(), path)
}

/// Why a page or a mail carries no envelope that can be opened.
fn not_carried(err: sealer::Error, path: &Path, mail: bool) -> Failure {
    match err.kind() {
        _ if err.is_not_an_envelope() => Failure::input(if mail {
            format!(
                "{} is an e-mail with no sealed envelope attached",
                path.display()
            )
        } else {
            format!(
                "{} is not a sealed envelope (neither an envelope page nor a raw envelope)",
                path.display()
            )
        }),
        sealer::ErrorKind::Mail | sealer::ErrorKind::SeveralPages => Failure::about(path, &err),
        _ => err.into(),
    }
}

fn too_large(path: &Path) -> Failure {
    Failure::input(format!(
        "{} is larger than {}, more than any envelope page holds",
        path.display(),
        human_size(MAX_PAGE_INPUT)
    ))
}

/// The file at `path`, opened for reading: a file or a pipe, not a folder
/// or a device (`/dev/zero` would never end).
fn open_file(path: &Path) -> Result<fs::File, Failure> {
    let cannot =
        |err: std::io::Error| Failure::input(format!("cannot read {}: {err}", path.display()));
    let file = fs::File::open(path).map_err(cannot)?;
    let kind = file.metadata().map_err(cannot)?.file_type();
    if kind.is_dir() {
        return Err(Failure::input(format!(
            "{} is a folder, not an envelope",
            path.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() || kind.is_block_device() {
            return Err(Failure::input(format!(
                "{} is a device, not an envelope",
                path.display()
            )));
        }
    }
    Ok(file)
}

/// An envelope to open: the bytes a page or mail carried, or a raw
/// envelope file, read as it is opened (never whole into memory).
pub(crate) enum Loaded {
    Bytes(std::io::Cursor<Vec<u8>>),
    File(std::io::BufReader<fs::File>),
    /// A page's, read from the page as a stream.
    Page(Box<sealer::PageEnvelope>),
}

impl Read for Loaded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Loaded::Bytes(bytes) => bytes.read(buf),
            Loaded::File(file) => file.read(buf),
            Loaded::Page(page) => page.read(buf),
        }
    }
}

/// What [`load`] found: the envelope, its size, and (for a page) the
/// SHA-256 of the decryptor module the page carries.
pub(crate) struct Found {
    pub(crate) envelope: Loaded,
    pub(crate) len: u64,
    pub(crate) decryptor_sha256: Option<String>,
}

/// The envelope in a raw envelope file, an envelope page, or an e-mail
/// with one envelope page attached.
pub(crate) fn load(path: &Path) -> Result<Found, Failure> {
    let mut file = open_file(path)?;
    let mut start = Vec::with_capacity(MAGIC.len());
    (&mut file)
        .take(MAGIC.len() as u64)
        .read_to_end(&mut start)
        .map_err(|err| Failure::input(format!("cannot read {}: {err}", path.display())))?;
    if start == MAGIC && file.seek(SeekFrom::Start(0)).is_ok() {
        let len = file.metadata().map(|m| m.len()).unwrap_or_default();
        return Ok(Found {
            envelope: Loaded::File(std::io::BufReader::new(file)),
            len,
            decryptor_sha256: None,
        });
    }
    let input = match page_or_input(file, start, path)? {
        PageOrInput::Page(page) => {
            let page = sealer::read_page_from(page).map_err(|err| not_carried(err, path, false))?;
            return Ok(Found {
                len: page.len,
                decryptor_sha256: page.decryptor.as_deref().map(sealer::verify::module_sha256),
                envelope: Loaded::Page(Box::new(page)),
            });
        }
        PageOrInput::Other(input) => input,
    };
    let carried = input
        .carried()
        .map_err(|err| not_carried(err, path, matches!(input, Input::Mail(_))))?;
    let decryptor_sha256 = carried
        .decryptor
        .as_deref()
        .map(sealer::verify::module_sha256);
    let envelope = carried.envelope.into_owned();
    Ok(Found {
        len: envelope.len() as u64,
        envelope: Loaded::Bytes(std::io::Cursor::new(envelope)),
        decryptor_sha256,
    })
}

/// Refuses an expired envelope before anyone types a passphrase, then
/// unlocks it with the identity in --identity, or a passphrase from its
/// options (or the prompt).
pub(crate) fn unlock(
    opened: Envelope<Loaded>,
    unlocking: &Unlocking,
) -> Result<envelope_core::ContentReader<Loaded>, Failure> {
    opened
        .header()
        .check_not_expired(envelope_core::MessageDate::now().unix_seconds)?;
    Ok(match &unlocking.identity {
        Some(path) => opened.unlock_with_identity(&crate::keys::read_identity(path)?)?,
        None => {
            let passphrase = secret::read(&unlocking.passphrase, false)?;
            opened.unlock(&passphrase)?
        }
    })
}

/// A sender signature's verdict, in words.
pub(crate) fn describe_signature(check: &SignatureCheck) -> String {
    match check {
        SignatureCheck::Valid(signer) => format!(
            "by {} (fingerprint {}). This says who sealed it only if that fingerprint \
             matches one the sender gave you another way.",
            signer.to_text(),
            signer.fingerprint()
        ),
        SignatureCheck::Invalid(signer) => format!(
            "WARNING: it claims to be signed by {} (fingerprint {}), but the signature \
             does not verify: this message may not come from that sender.",
            signer.to_text(),
            signer.fingerprint()
        ),
    }
}

/// With `--signer`: the envelope must carry a valid signature by that key.
pub(crate) fn check_signer(
    found: Option<SignatureCheck>,
    expected: Option<&envelope_core::SignerKey>,
) -> Result<(), Failure> {
    let Some(expected) = expected else {
        return Ok(());
    };
    let why = match found {
        Some(SignatureCheck::Valid(signer)) if signer == *expected => return Ok(()),
        Some(SignatureCheck::Valid(signer)) => format!(
            "it is signed by an unknown key, {} (fingerprint {}), not by {}",
            signer.to_text(),
            signer.fingerprint(),
            expected.fingerprint()
        ),
        Some(SignatureCheck::Invalid(_)) => "its signature does not verify".to_owned(),
        None => "it is not signed".to_owned(),
    };
    Err(Failure::new(
        Code::Signature,
        format!(
            "not opened: {why}. Nothing was saved. Ask the sender, on a number you already know."
        ),
    ))
}

/// The folder the attachments go into.
struct Folder {
    path: PathBuf,
    /// Whether this run created it (and may remove it again, empty).
    created: bool,
}

impl Folder {
    /// `--output-dir` (created if missing), or a new folder named after the
    /// envelope in the current directory (`results`, `results (2)`…).
    fn prepare(args: &OpenArgs) -> Result<Folder, Failure> {
        let failed = |path: &Path, err: std::io::Error| {
            Failure::new(
                Code::Failed,
                format!("cannot create the folder {}: {err}", path.display()),
            )
        };
        if let Some(dir) = &args.output_dir {
            if dir.is_dir() {
                return Ok(Folder {
                    path: dir.clone(),
                    created: false,
                });
            }
            sealer::files::create_private_dir(dir, true).map_err(|err| failed(dir, err))?;
            return Ok(Folder {
                path: dir.clone(),
                created: true,
            });
        }
        let stem = envelope_core::safe_file_name(
            &args
                .envelope
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
        for n in 1u32..10_000 {
            let path = PathBuf::from(if n == 1 {
                stem.clone()
            } else {
                format!("{stem} ({n})")
            });
            match sealer::files::create_private_dir(&path, false) {
                Ok(()) => {
                    return Ok(Folder {
                        path,
                        created: true,
                    });
                }
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(err) => return Err(failed(&path, err)),
            }
        }
        Err(Failure::new(Code::Failed, "no free folder name"))
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        // Leave no empty folder behind (on failure the staged files are
        // already gone); `remove_dir` refuses a folder with anything in it.
        if self.created {
            let _ = fs::remove_dir(&self.path);
        }
    }
}
