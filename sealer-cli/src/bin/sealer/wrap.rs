//! `sealer wrap`: one e-mail message in, by policy sealed or passed
//! through unchanged, out, as a mail gateway filter needs it: the output
//! appears whole or not at all, every outcome has its `sysexits.h` code,
//! and each message gets a line in the audit log.

pub(crate) mod audit;
mod delivery;
pub(crate) mod scanning;
pub(crate) mod sysexits;

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use envelope_core::{MessageDate, Passphrase, RecipientKey, SigningIdentity, generate_passphrase};
use sealer::PageOptions;
use sealer::branding::Branding;
use sealer::mailbox::Mailbox;
use sealer::receipts::SentLog;
use sealer::sealing::{KeySlots, ReceiptLog, SealJob, seal_options};
use sealer::templates::Templates;
use sealer::wrap::policy::{Decision, PassphraseRule, Policy, ReplyRule, recipient_passphrase};
use sealer::wrap::{Incoming, SealedMail, read_mail, seal_mail};

use crate::args::WrapArgs;
use audit::{AuditLog, Record};
use sysexits::{GatewayFailure, Sysexit};

/// Runs `sealer wrap`.
pub(crate) fn run(args: WrapArgs) -> Result<(), GatewayFailure> {
    filter_one(
        args.audit_log.as_deref(),
        args.output.as_deref(),
        |record| prepare(&args).and_then(|prepared| decide_and_build(&args, prepared, record)),
    )
}

/// One message through a gateway filter (`wrap`, `unwrap`): `step` reads
/// it and says what goes out, filling in the audit `record` as it learns;
/// then the output is written whole or not at all, and the record logged
/// once it is certain to be true. On failure nothing goes out, a file made
/// for the message (a passphrase for its sender, an archived reply) is
/// removed, and the failure is logged.
pub(crate) fn filter_one(
    audit_log: Option<&Path>,
    output: Option<&Path>,
    step: impl FnOnce(&mut Record) -> Result<Outgoing, GatewayFailure>,
) -> Result<(), GatewayFailure> {
    let mut audit = audit_log.map(AuditLog::open).transpose()?;
    let mut record = Record {
        time: audit::now(),
        ..Record::default()
    };
    let outcome = step(&mut record).and_then(|outgoing| {
        // Where the message goes is checked before the log says it went
        // (a closed standard output must not log "sealed").
        let destination = Destination::open(output)?;
        if let Some(log) = &mut audit {
            log.append(&record)?;
        }
        outgoing.commit(destination)
    });
    let Err(failure) = outcome else {
        return Ok(());
    };
    for path in [record.delivery_file.take(), record.archived.take()]
        .into_iter()
        .flatten()
    {
        let _ = std::fs::remove_file(path);
    }
    if let Some(log) = &mut audit {
        record.action = failure.code.action();
        record.envelope_bytes = None;
        record.exit_code = Some(failure.code as u8);
        record.error = Some(failure.message.clone());
        // The failure itself is what matters to the mail server.
        let _ = log.append(&record);
    }
    Err(failure)
}

/// The policy and the page options it names, checked before the message
/// is read: a gateway that is set up wrongly fails every message alike.
fn prepare(args: &WrapArgs) -> Result<Prepared, GatewayFailure> {
    let policy = Policy::from_file(&args.policy)?;
    let recovery_keys = policy
        .recovery_keys
        .iter()
        .map(|path| sealer::keys::read_recovery_key(path))
        .collect::<Result<Vec<_>, _>>()?;
    let page = page_options(&policy)?;
    let (PassphraseRule::Generate { dir, .. } | PassphraseRule::RecipientFiles { dir, .. }) =
        &policy.passphrase;
    existing_folder(dir, "passphrase")?;
    if let Some(output) = &args.output
        && output.exists()
    {
        return Err(GatewayFailure::new(
            Sysexit::TempFail,
            format!("{} already exists; give a new file", output.display()),
        ));
    }
    let signing_key = policy
        .signing_key
        .as_deref()
        .map(sealer::keys::read_signing_key)
        .transpose()?;
    scanning::check_setup(policy.scan.as_ref(), args.output.as_deref())?;
    Ok(Prepared {
        policy,
        page,
        recovery_keys,
        signing_key,
    })
}

/// What the gateway's setup gives, checked before the message is read.
struct Prepared {
    policy: Policy,
    page: PageOptions,
    recovery_keys: Vec<RecipientKey>,
    signing_key: Option<SigningIdentity>,
}

/// Fails (the message stays queued) unless the `what` folder `dir`, which
/// the gateway's setup must provide, exists.
pub(crate) fn existing_folder(dir: &Path, what: &str) -> Result<(), GatewayFailure> {
    if dir.is_dir() {
        return Ok(());
    }
    Err(GatewayFailure::new(
        Sysexit::TempFail,
        format!(
            "the {what} folder {} does not exist; create it, readable only by the gateway's user \
             (mkdir -m 700)",
            dir.display()
        ),
    ))
}

/// The templates and branding the policy names.
fn page_options(policy: &Policy) -> Result<PageOptions, GatewayFailure> {
    let Some(dir) = &policy.envelope.template_dir else {
        return Ok(PageOptions::default());
    };
    let branding = Branding::from_dir(dir)?;
    branding.check()?;
    Ok(PageOptions {
        templates: Templates::from_dir(dir)?,
        branding,
        ..PageOptions::default()
    })
}

/// Reads the message, applies the policy, and builds what goes out,
/// filling in `record` as it learns.
fn decide_and_build(
    args: &WrapArgs,
    prepared: Prepared,
    record: &mut Record,
) -> Result<Outgoing, GatewayFailure> {
    let input = Input::read(&args.message, prepared.policy.limits.max_message_bytes)?;
    record.message_bytes = input.len_so_far();
    let mut incoming = match &input {
        Input::Whole(raw) => read_mail(raw)?,
        Input::Oversized { head, .. } => read_mail(header_block(head)?)?,
    };
    if !args.recipient.is_empty() {
        incoming.recipients = args.recipient.iter().map(|r| plain(r)).collect();
    }
    record.message_id = header(&incoming, "message-id");
    record.sender = match &args.sender {
        Some(sender) => plain(sender),
        None => incoming
            .sender
            .as_ref()
            .map(Mailbox::key)
            .unwrap_or_default(),
    };
    record.recipients = incoming.recipients.clone();
    let virus_scan = match (&prepared.policy.scan, &input) {
        (None, _) => None,
        (Some(scan), Input::Whole(raw)) => {
            match scanning::scan_mail(scan, raw, &incoming.message, record)? {
                scanning::Scanned::Clean(virus_scan) => Some(virus_scan),
                scanning::Scanned::Quarantined(path) => return Ok(Outgoing::Quarantined(path)),
            }
        }
        (Some(scan), Input::Oversized { .. }) => {
            scanning::too_large(record);
            if scan.unscanned != sealer::scan::UnscannedRule::Allow {
                return Err(GatewayFailure::new(
                    Sysexit::DataErr,
                    format!(
                        "the message is over the policy's limit of {} bytes, so it cannot be \
                         scanned for viruses; it was neither sealed nor sent",
                        prepared.policy.limits.max_message_bytes
                    ),
                ));
            }
            None
        }
    };
    let decision = content_decision(&prepared, &input, &incoming, record)?;
    let subject = match decision {
        Decision::Refuse { rule } => {
            record.rule = Some(rule.clone());
            return Err(GatewayFailure::new(
                Sysexit::DataErr,
                format!(
                    "the message matches the content rules ({rule}) and may not be sent \
                     unsealed; it was not sent (seal it: mark it as the policy says)"
                ),
            ));
        }
        Decision::Pass { why } => {
            record.action = "passed";
            record.rule = Some(why);
            return Ok(match input {
                Input::Whole(raw) => Outgoing::Whole(raw),
                Input::Oversized { head, rest } => Outgoing::Stream { head, rest },
            });
        }
        Decision::Seal {
            rule,
            subject,
            sealed_subject,
        } => {
            record.rule = Some(rule);
            incoming.message = std::mem::take(&mut incoming.message).subject(sealed_subject);
            subject
        }
    };
    let Input::Whole(raw) = input else {
        return Err(GatewayFailure::new(
            Sysexit::DataErr,
            format!(
                "the message is over the policy's limit of {} bytes and must be sealed; it was \
                 neither sealed nor sent",
                prepared.policy.limits.max_message_bytes
            ),
        ));
    };
    seal(prepared, incoming, &raw, &subject, virus_scan, record).map(Outgoing::Whole)
}

/// The policy's decision for `incoming`, as its content rules change it
/// (`record` learns which fired): a message too large to read is refused
/// when there are content rules.
fn content_decision(
    prepared: &Prepared,
    input: &Input,
    incoming: &Incoming,
    record: &mut Record,
) -> Result<Decision, GatewayFailure> {
    let decision = prepared.policy.decide(incoming);
    let Some(content) = &prepared.policy.content else {
        return Ok(decision);
    };
    let rules = content.rules()?;
    if let Input::Oversized { .. } = input {
        record.content = Some(audit::ContentAudit {
            too_large: true,
            ..audit::ContentAudit::default()
        });
        return Err(GatewayFailure::new(
            Sysexit::DataErr,
            format!(
                "the message is over the policy's limit of {} bytes, so its content cannot be \
                 checked; it was neither sealed nor sent",
                prepared.policy.limits.max_message_bytes
            ),
        ));
    }
    let findings = rules.check(&incoming.subject, &incoming.message);
    let decision =
        prepared
            .policy
            .apply_content(decision, incoming, &findings.fired, rules.on_match);
    record.content = Some(audit::ContentAudit {
        fired: findings.fired,
        unreadable: findings.unreadable,
        too_large: false,
    });
    Ok(decision)
}

/// Seals `incoming` (`raw` as read) under `subject` as the policy says,
/// writes the delivery file of a generated passphrase, and returns the
/// outgoing message.
fn seal(
    prepared: Prepared,
    incoming: Incoming,
    raw: &[u8],
    subject: &str,
    virus_scan: Option<envelope_core::VirusScan>,
    record: &mut Record,
) -> Result<Vec<u8>, GatewayFailure> {
    let Prepared {
        policy,
        page,
        recovery_keys,
        signing_key,
    } = prepared;
    if incoming.recipients.is_empty() {
        return Err(GatewayFailure::new(
            Sysexit::DataErr,
            "the message has no recipients to seal it for",
        ));
    }
    let (passphrases, generated) = passphrases(&policy, &incoming)?;
    let delivered = generated.first().cloned();
    let keys = KeySlots {
        passphrases,
        generated_passphrases: generated,
        recovery_keys,
        signing_key,
    };
    let public = policy
        .envelope
        .public_fields(MessageDate::now().unix_seconds)?;
    let from = incoming
        .sender
        .as_ref()
        .map(Mailbox::to_string)
        .unwrap_or_default();
    let recipients = incoming.recipients.clone();
    let mut options = seal_options(keys, &public);
    if let Some(virus_scan) = virus_scan {
        options = options.virus_scan(virus_scan);
    }
    let sealed = match &policy.reply {
        None => seal_mail(incoming, raw, subject, &options, &page)?,
        Some(rule) => seal_asking_replies(rule, incoming, raw, subject, options, page)?,
    };
    record.action = "sealed";
    record.envelope_bytes = Some(sealed.envelope_bytes);
    record.passphrase = Some("recipient-files");
    if let (PassphraseRule::Generate { dir, .. }, Some(passphrase)) =
        (&policy.passphrase, delivered)
    {
        record.passphrase = Some("generated");
        let delivery = delivery::Delivery {
            message_id: record.message_id.as_deref(),
            from: &from,
            recipients: &recipients,
            sealed_at: &record.time,
        };
        record.delivery_file = Some(delivery::write(dir, &passphrase, &delivery)?);
    }
    Ok(sealed.email)
}

/// [`seal_mail`] for a policy with `[reply]`: the message asks for secure
/// replies, and is logged in the reply rule's sent-log when it names one.
fn seal_asking_replies(
    rule: &ReplyRule,
    mut incoming: Incoming,
    raw: &[u8],
    subject: &str,
    options: envelope_core::SealOptions,
    page: PageOptions,
) -> Result<SealedMail, GatewayFailure> {
    let key = sealer::keys::read_recovery_key(&rule.key)?;
    let log = match &rule.sent_log {
        Some(path) => Some(ReceiptLog {
            log: SentLog::open(path)?,
            whose: Vec::new(),
            from: incoming
                .sender
                .as_ref()
                .map(Mailbox::to_string)
                .unwrap_or_default(),
            to: incoming.recipients.clone(),
            cc: Vec::new(),
            subject: incoming.subject.clone(),
        }),
        None => None,
    };
    let message = std::mem::replace(&mut incoming.message, envelope_core::Message::new());
    let page = PageOptions {
        reply_limit: rule.limit_mb.map(|mb| mb * 1_000_000),
        ..page
    };
    let sealed = SealJob::new(message, options)
        .page_options(page)
        .wrap(incoming, raw, subject)
        .reply(&rule.to, key, log)
        .run()?;
    Ok(SealedMail {
        email: sealed.mail.unwrap_or_default(),
        envelope_bytes: sealed.envelope_len,
    })
}

/// The passphrases to seal with, those typed exactly and the generated
/// ones: the recipients' own (generated, when the policy says so), or one
/// generated for this message.
fn passphrases(
    policy: &Policy,
    incoming: &Incoming,
) -> Result<(Vec<Passphrase>, Vec<Passphrase>), GatewayFailure> {
    match &policy.passphrase {
        PassphraseRule::Generate { words, .. } => {
            let passphrase = generate_passphrase(*words).map_err(|err| {
                GatewayFailure::new(
                    Sysexit::TempFail,
                    format!("cannot generate a passphrase: {err}"),
                )
            })?;
            Ok((Vec::new(), vec![passphrase]))
        }
        PassphraseRule::RecipientFiles { dir, generated } => {
            let mut recipients = incoming.recipients.clone();
            recipients.sort();
            recipients.dedup();
            let passphrases = recipients
                .iter()
                .map(|recipient| recipient_passphrase(dir, recipient, *generated))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if *generated {
                (Vec::new(), passphrases)
            } else {
                (passphrases, Vec::new())
            })
        }
    }
}

/// The message as read: whole, or (over the policy's limit) its first
/// part and the rest still to read, for a message that passes unchanged.
pub(crate) enum Input {
    Whole(Vec<u8>),
    Oversized { head: Vec<u8>, rest: Box<dyn Read> },
}

impl Input {
    /// Reads the message at `path` (`-`: standard input), holding at most
    /// `limit` + 1 bytes.
    pub(crate) fn read(path: &Path, limit: u64) -> Result<Input, GatewayFailure> {
        let mut source: Box<dyn Read> = if path.as_os_str() == "-" {
            Box::new(io::stdin().lock())
        } else {
            Box::new(std::fs::File::open(path).map_err(|err| {
                GatewayFailure::new(
                    Sysexit::TempFail,
                    format!("cannot open the message {}: {err}", path.display()),
                )
            })?)
        };
        let mut head = Vec::new();
        (&mut source)
            .take(limit.saturating_add(1))
            .read_to_end(&mut head)
            .map_err(|err| {
                GatewayFailure::new(Sysexit::TempFail, format!("cannot read the message: {err}"))
            })?;
        if head.len() as u64 > limit {
            Ok(Input::Oversized { head, rest: source })
        } else {
            Ok(Input::Whole(head))
        }
    }

    /// Bytes read so far.
    pub(crate) fn len_so_far(&self) -> u64 {
        match self {
            Input::Whole(raw) => raw.len() as u64,
            Input::Oversized { head, .. } => head.len() as u64,
        }
    }
}

/// The header lines of `head` (with the blank line that ends them): all
/// the policy needs from a message too big to seal.
fn header_block(head: &[u8]) -> Result<&[u8], GatewayFailure> {
    let end = head
        .windows(2)
        .position(|pair| pair == b"\n\n")
        .map(|at| at + 2)
        .or_else(|| {
            head.windows(4)
                .position(|quad| quad == b"\r\n\r\n")
                .map(|at| at + 4)
        });
    match end {
        Some(end) => Ok(&head[..end]),
        None => Err(GatewayFailure::new(
            Sysexit::DataErr,
            "the message's header does not end within the policy's size limit",
        )),
    }
}

/// What goes out.
pub(crate) enum Outgoing {
    Whole(Vec<u8>),
    Stream {
        head: Vec<u8>,
        rest: Box<dyn Read>,
    },
    /// Nothing: the message was quarantined here (`--output` is not
    /// written, and standard output says where it went).
    Quarantined(PathBuf),
}

/// Where the outgoing message is written.
enum Destination<'a> {
    /// A new file (`--output`), whole or not at all.
    File(&'a Path),
    /// Standard output, checked to lead somewhere.
    Stdout(Box<dyn Write>),
}

impl<'a> Destination<'a> {
    fn open(output: Option<&'a Path>) -> Result<Destination<'a>, GatewayFailure> {
        match output {
            Some(path) => Ok(Destination::File(path)),
            None => standard_output()
                .map(Destination::Stdout)
                .map_err(cannot_write),
        }
    }
}

fn cannot_write(err: io::Error) -> GatewayFailure {
    GatewayFailure::new(
        Sysexit::TempFail,
        format!("cannot write the message: {err}"),
    )
}

impl Outgoing {
    /// Writes it to `destination`.
    fn commit(self, destination: Destination<'_>) -> Result<(), GatewayFailure> {
        let mut reader: Box<dyn Read> = match self {
            Outgoing::Whole(bytes) => Box::new(io::Cursor::new(bytes)),
            Outgoing::Stream { head, rest } => Box::new(io::Cursor::new(head).chain(rest)),
            Outgoing::Quarantined(path) => {
                // The filter script reads this line to know that no output
                // is no loss.
                println!("quarantined: {}", path.display());
                return Ok(());
            }
        };
        match destination {
            Destination::File(path) => sealer::files::write_file_from(path, reader, false),
            Destination::Stdout(mut stdout) => {
                io::copy(&mut reader, &mut stdout).and_then(|_| stdout.flush())
            }
        }
        .map_err(cannot_write)
    }
}

/// Standard output as a file of its own, refused when it goes nowhere. A
/// program started with descriptor 1 closed (`>&-`) gets `/dev/null` there
/// from Rust's start-up code, and `io::stdout` swallows the error of a
/// closed descriptor: either way the message would be lost while wrap said
/// it went out.
#[cfg(unix)]
fn standard_output() -> io::Result<Box<dyn Write>> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let file = std::fs::File::from(io::stdout().as_fd().try_clone_to_owned()?);
    let output = file.metadata()?;
    let null = std::fs::metadata("/dev/null")?;
    if (output.dev(), output.ino()) == (null.dev(), null.ino()) {
        return Err(io::Error::other(
            "standard output is closed or /dev/null, so the message would be lost \
             (give --output, or a pipe)",
        ));
    }
    Ok(Box::new(file))
}

#[cfg(not(unix))]
fn standard_output() -> io::Result<Box<dyn Write>> {
    Ok(Box::new(io::stdout()))
}

/// The raw value of the first `name` header, trimmed (at most 998
/// characters, no control characters: it goes into the log).
pub(crate) fn header(incoming: &Incoming, name: &str) -> Option<String> {
    incoming
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, value)| {
            value
                .chars()
                .filter(|c| !c.is_control())
                .take(998)
                .collect::<String>()
                .trim()
                .to_owned()
        })
}

/// The address a mail server gave (`<a@b>`, `a@b`), in lower case; what
/// is not an address is kept as it came, and matches no rule.
pub(crate) fn plain(text: &str) -> String {
    Mailbox::parse_delivered(text).map_or_else(|_| text.trim().to_lowercase(), |m| m.key())
}
