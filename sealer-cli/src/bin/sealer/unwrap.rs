//! `sealer unwrap`: the inbound filter of secure replies. One message in;
//! out, the reply it carries opened into an ordinary MIME message, or the
//! message as it came (with a warning when a reply could not be opened):
//! never dropped. Same conventions as `wrap`: the output whole or not at
//! all, `sysexits.h` codes, one audit line per message.

use std::path::{Path, PathBuf};

use sealer::unwrap::{OriginalRule, UnwrapPolicy, Unwrapped, read_identities, unwrap_mail};

use crate::args::UnwrapArgs;
use crate::wrap::audit::{self, Record};
use crate::wrap::sysexits::{GatewayFailure, Sysexit};
use crate::wrap::{Input, Outgoing, header, plain};

/// Runs `sealer unwrap`.
pub(crate) fn run(args: UnwrapArgs) -> Result<(), GatewayFailure> {
    crate::wrap::filter_one(
        args.audit_log.as_deref(),
        args.output.as_deref(),
        |record| unwrap_one(&args, record),
    )
}

/// The policy and identities (a gateway set up wrongly defers every
/// message alike), then the message, then what goes out.
fn unwrap_one(args: &UnwrapArgs, record: &mut Record) -> Result<Outgoing, GatewayFailure> {
    let policy = UnwrapPolicy::from_file(&args.policy).map_err(deferred)?;
    let identities = read_identities(&policy.identities).map_err(deferred)?;
    if let Some(dir) = &policy.archive_dir {
        crate::wrap::existing_folder(dir, "archive")?;
    }
    crate::wrap::scanning::check_setup(policy.scan.as_ref(), args.output.as_deref())?;
    if let Some(output) = &args.output
        && output.exists()
    {
        return Err(GatewayFailure::new(
            Sysexit::TempFail,
            format!("{} already exists; give a new file", output.display()),
        ));
    }
    let input = Input::read(&args.message, policy.limits.max_message_bytes)?;
    record.message_bytes = input.len_so_far();
    let raw = match input {
        Input::Whole(raw) => raw,
        Input::Oversized { head, rest } => {
            if let Some(scan) = &policy.scan {
                crate::wrap::scanning::too_large(record);
                if scan.unscanned != sealer::scan::UnscannedRule::Allow {
                    return Err(GatewayFailure::new(
                        Sysexit::DataErr,
                        "the message is over the policy's size limit, so it cannot be scanned \
                         for viruses; it was not delivered",
                    ));
                }
            }
            // Too big to open here: delivered as it came, said so.
            record.action = "warned";
            record.rule = Some("over the policy's size limit: not looked into".to_owned());
            let mut warned = b"X-Sealer-Reply-Warning: not opened: the message is over the \
                gateway's size limit\r\n"
                .to_vec();
            warned.extend_from_slice(&sealer::unwrap::without_asserted_headers(&head));
            return Ok(Outgoing::Stream { head: warned, rest });
        }
    };
    if let Ok(incoming) = sealer::wrap::read_mail(&raw) {
        record.message_id = header(&incoming, "message-id");
        record.sender = match &args.sender {
            Some(sender) => plain(sender),
            None => incoming
                .sender
                .as_ref()
                .map(sealer::mailbox::Mailbox::key)
                .unwrap_or_default(),
        };
        record.recipients = if args.recipient.is_empty() {
            incoming.recipients
        } else {
            args.recipient.iter().map(|r| plain(r)).collect()
        };
    }
    let sent_log = policy.sent_log.clone();
    let answered = |id: &[u8; 32]| answered(sent_log.as_deref(), id);
    let archive = policy.original == OriginalRule::Archive;
    let (unwrapped, kept) = unwrap_mail(&raw, &identities, &answered, archive).map_err(deferred)?;
    let email = match unwrapped {
        Unwrapped::Passed { email, why } => {
            record.action = "passed";
            record.rule = Some(why);
            email
        }
        Unwrapped::Warned { email, why } => {
            record.action = "warned";
            record.rule = Some(why);
            email
        }
        Unwrapped::Opened(opened) => {
            record.action = "opened";
            record.answers = opened.answers;
            record.reply_key = Some(opened.key);
            record.envelope_bytes = Some(opened.envelope_bytes);
            if let (Some(dir), Some((name, page))) = (&policy.archive_dir, kept) {
                record.archived = Some(archive_reply(dir, &name, &page)?);
            }
            opened.email
        }
    };
    match &policy.scan {
        None => Ok(Outgoing::Whole(email)),
        Some(scan) => scanned(scan, email, record),
    }
}

/// `email`, what is to be delivered, scanned: with a header saying what
/// the scan found, or quarantined.
fn scanned(
    scan: &sealer::scan::ScanPolicy,
    email: Vec<u8>,
    record: &mut Record,
) -> Result<Outgoing, GatewayFailure> {
    use crate::wrap::scanning::{Scanned, header_line, scan_mail};
    let message = sealer::wrap::read_mail(&email)
        .map(|incoming| incoming.message)
        .unwrap_or_default();
    match scan_mail(scan, &email, &message, record)? {
        Scanned::Quarantined(path) => Ok(Outgoing::Quarantined(path)),
        Scanned::Clean(virus_scan) => {
            let mut out = header_line(&virus_scan);
            out.extend_from_slice(&email);
            Ok(Outgoing::Whole(out))
        }
    }
}

/// When and to whom the envelope `id` was sent, from the sent-log.
fn answered(sent_log: Option<&Path>, id: &[u8; 32]) -> Option<String> {
    let entry = sealer::receipts::find_envelope(sent_log?, id).ok()??;
    let to: Vec<&str> = entry
        .to
        .iter()
        .chain(&entry.cc)
        .map(String::as_str)
        .collect();
    Some(format!("sealed {} to {}", entry.sealed, to.join(", ")))
}

/// Writes the sealed reply to a new file in `dir` (readable only by the
/// gateway's user), named after it, and returns its path.
fn archive_reply(dir: &Path, name: &str, page: &[u8]) -> Result<PathBuf, GatewayFailure> {
    let safe = envelope_core::safe_file_name(name);
    let (stem, extension) = safe.rsplit_once('.').unwrap_or((safe.as_str(), "html"));
    let stamp = audit::now().replace(':', "");
    for n in 1..=1000u32 {
        let file = if n == 1 {
            format!("{stamp}-{stem}.{extension}")
        } else {
            format!("{stamp}-{stem}-{n}.{extension}")
        };
        let path = dir.join(file);
        match sealer::files::write_private_file(&path, page) {
            Ok(()) => return Ok(path),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => {
                return Err(GatewayFailure::new(
                    Sysexit::TempFail,
                    format!(
                        "cannot archive the sealed reply in {}: {err}",
                        dir.display()
                    ),
                ));
            }
        }
    }
    Err(GatewayFailure::new(
        Sysexit::TempFail,
        format!(
            "no free file name for the sealed reply in {}",
            dir.display()
        ),
    ))
}

/// A setup problem: the message stays queued.
fn deferred(err: sealer::Error) -> GatewayFailure {
    GatewayFailure::new(Sysexit::TempFail, err.to_string())
}
