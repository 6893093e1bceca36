//! `sealer seal`: a message from flags and files → the `.html` envelope
//! (and its notice e-mail). The flags become one checked [`Plan`] before
//! any key is derived or file touched; the library's
//! [`sealer::sealing::SealJob`] does the work; [`report`] prints what
//! became of it.

mod message;
mod report;
mod scan;

use std::path::PathBuf;

use envelope_core::{MessageDate, Passphrase, RecipientKey, SealOptions};
use indicatif::ProgressBar;
use sealer::PageOptions;
use sealer::branding::{Branding, Logo};
use sealer::mailbox::Mailbox;
use sealer::receipts::SentLog;
use sealer::sealing::{KeySlots, NoticeHeaders, PublicFields, ReceiptLog, SealJob, seal_options};
use sealer::smtp::Server;
use sealer::templates::Templates;

use crate::args::{BrandingArgs, PassphraseSource, SealArgs};
use crate::failure::Failure;
use crate::secret::{self, GENERATED_WORDS};

/// Runs `sealer seal`: parse → plan → run → print.
pub(crate) fn run(args: SealArgs) -> Result<(), Failure> {
    let plan = Plan::from_args(&args)?;
    let (job, bar, report) = plan.into_job();
    let sealed = job.run();
    bar.finish_and_clear();
    report::print(&report, sealed?)
}

/// Everything `sealer seal` was asked to do, checked.
struct Plan {
    headers: Headers,
    message: envelope_core::Message,
    bar: ProgressBar,
    options: SealOptions,
    page: PageOptions,
    receipt: Option<(String, SentLog, PathBuf)>,
    reply: Option<ReplyPlan>,
    smtp: Option<Server>,
    report: report::Report,
}

/// Secure replies asked for: where they go, the key they are sealed to,
/// and the sent-log the envelope goes to (when no receipt logs it).
struct ReplyPlan {
    address: String,
    key: RecipientKey,
    log: Option<(SentLog, PathBuf)>,
}

impl Plan {
    /// Reads and checks the flags, the files they name and the passphrases,
    /// cheapest and most likely mistakes first: a missing key file or a
    /// sent-log that cannot be used costs no key derivation.
    fn from_args(args: &SealArgs) -> Result<Plan, Failure> {
        let headers = Headers::of(args)?;
        check_outputs(args, &headers)?;
        let smtp = crate::send::server(&args.smtp)?;
        if smtp.is_some() && headers.from.is_none() {
            return Err(Failure::input(
                "--smtp needs --from: the notice e-mail must say who sent it",
            ));
        }
        let expires = args
            .expires
            .as_deref()
            .map(|when| sealer::expiry::parse_expiry(when, MessageDate::now().unix_seconds))
            .transpose()?;
        let mut page = look(&args.branding)?;
        page.reply_limit = args.reply_limit.map(|megabytes| megabytes * 1_000_000);
        let receipt = match receipt_address(args, &headers)? {
            Some(address) => {
                let path = crate::receipt::sent_log_path(args.sent_log.clone())?;
                Some((address, SentLog::open(&path)?, path))
            }
            None => None,
        };
        let reply = reply_plan(args, &headers, receipt.is_some())?;
        let scanner = scan::scanner(args)?;
        let (message, bar, virus_scan) = message::of(args, &headers, scanner.as_ref())?;
        // Read before the passphrase is asked for: a bad key file costs nothing.
        let recovery_keys = args
            .recovery_key
            .iter()
            .map(|path| crate::keys::read_recovery_key(path))
            .collect::<Result<_, _>>()?;
        let signing_key = args
            .sign
            .as_deref()
            .map(crate::keys::read_signing_key)
            .transpose()?;
        let passphrases = passphrases(args, &headers)?;
        let mut keys = KeySlots {
            recovery_keys,
            signing_key,
            ..KeySlots::default()
        };
        let slots = passphrases.iter().map(|(_, p)| p.clone()).collect();
        if args.generate_passphrase || args.generated {
            keys.generated_passphrases = slots;
        } else {
            keys.passphrases = slots;
        }
        let public = PublicFields {
            label: args.label.clone(),
            hint: args.hint.clone(),
            expires,
        };
        let mut options = seal_options(keys, &public);
        if let Some(record) = &virus_scan {
            options = options.virus_scan(record.clone());
        }
        Ok(Plan {
            report: report::Report::of(
                args,
                &passphrases,
                receipt.as_ref(),
                reply.as_ref(),
                virus_scan,
            ),
            headers,
            message,
            bar,
            options,
            page,
            receipt,
            reply,
            smtp,
        })
    }

    /// The library's job for this plan, the bar it advances, and what to
    /// report once it ran.
    fn into_job(self) -> (SealJob, ProgressBar, report::Report) {
        let (headers, report) = (self.headers, self.report);
        let mut job = SealJob::new(self.message, self.options)
            .page_options(self.page)
            .replace(report.force);
        if let Some(path) = &report.output {
            job = job.write_page(path);
        }
        if let Some(from) = &headers.from
            && (report.eml.is_some() || self.smtp.is_some())
        {
            job = job.notice(headers.notice(from.clone(), report.show_subject));
        }
        if let Some(path) = &report.eml {
            job = job.write_mail(path);
        }
        if let Some(server) = self.smtp {
            job = job.submit(server);
        }
        if let Some((address, log, _)) = self.receipt {
            job = job.receipt(&address, headers.receipt_log(log, &report));
        }
        if let Some(reply) = self.reply {
            let log = reply.log.map(|(log, _)| headers.receipt_log(log, &report));
            job = job.reply(&reply.address, reply.key, log);
        }
        (job, self.bar, report)
    }
}

/// Refuses, before any work, outputs that exist (unless --force) and a
/// notice without a sender.
fn check_outputs(args: &SealArgs, headers: &Headers) -> Result<(), Failure> {
    let exists = |path: &PathBuf| {
        Failure::input(format!(
            "{} already exists; choose another name, or use --force to replace it",
            path.display()
        ))
    };
    if args.output.as_os_str() != "-" && !args.force && args.output.exists() {
        return Err(exists(&args.output));
    }
    if let Some(eml) = &args.eml {
        if !args.force && eml.exists() {
            return Err(exists(eml));
        }
        if headers.from.is_none() {
            return Err(Failure::input(
                "--eml needs --from: the notice e-mail must say who sent it",
            ));
        }
    }
    if let Some(out) = &args.passphrase_out
        && out.exists()
    {
        return Err(Failure::input(format!(
            "{} already exists; the generated passphrase goes to a new file or folder",
            out.display()
        )));
    }
    Ok(())
}

/// The sealed message's sender, recipients and subject, from the flags
/// (or the demo message's), each address parsed once.
struct Headers {
    from: Option<Mailbox>,
    to: Vec<Mailbox>,
    cc: Vec<Mailbox>,
    subject: Option<String>,
}

impl Headers {
    fn of(args: &SealArgs) -> Result<Headers, Failure> {
        if args.demo {
            return Ok(Headers {
                from: Some(sealer::DEMO_FROM.parse()?),
                to: vec![sealer::DEMO_TO.parse()?],
                cc: Vec::new(),
                subject: Some(sealer::DEMO_SUBJECT.to_owned()),
            });
        }
        let list = |values: &[String]| -> Result<Vec<Mailbox>, Failure> {
            let mut all = Vec::new();
            for value in values {
                all.extend(Mailbox::parse_list(value)?);
            }
            Ok(all)
        };
        Ok(Headers {
            from: args.from.as_deref().map(Mailbox::parse).transpose()?,
            to: list(&args.to)?,
            cc: list(&args.cc)?,
            subject: args.subject.clone(),
        })
    }

    /// Every recipient, To then Cc.
    fn recipients(&self) -> impl Iterator<Item = &Mailbox> {
        self.to.iter().chain(&self.cc)
    }

    /// The notice's headers; its subject is the real one only when the
    /// sender asks (`--show-subject`).
    fn notice(&self, from: Mailbox, show_subject: bool) -> NoticeHeaders {
        NoticeHeaders {
            to: self.to.clone(),
            cc: self.cc.clone(),
            subject: self.subject.clone().filter(|_| show_subject),
            ..NoticeHeaders::new(from, Vec::new())
        }
    }

    /// The sent-log entry's fields: what identifies the envelope to its
    /// sender, and whose passphrase each slot is.
    fn receipt_log(&self, log: SentLog, report: &report::Report) -> ReceiptLog {
        let names = |list: &[Mailbox]| list.iter().map(Mailbox::to_string).collect();
        ReceiptLog {
            log,
            whose: report.whose(),
            from: self
                .from
                .as_ref()
                .map(Mailbox::to_string)
                .unwrap_or_default(),
            to: names(&self.to),
            cc: names(&self.cc),
            subject: self.subject.clone().unwrap_or_default(),
        }
    }
}

/// The passphrases to seal with, and for whom each was generated: one
/// generated (or one per recipient), one from each --passphrase-file, or
/// one from the environment or the prompt. Those a person chose are
/// checked for strength; those said to be --generated, for being words of
/// the spoken list.
fn passphrases(
    args: &SealArgs,
    headers: &Headers,
) -> Result<Vec<(Option<Mailbox>, Passphrase)>, Failure> {
    if args.generate_passphrase {
        if !args.per_recipient {
            return Ok(vec![(None, secret::generate(GENERATED_WORDS)?)]);
        }
        let mut seen = std::collections::BTreeSet::new();
        return headers
            .recipients()
            .filter(|recipient| seen.insert(recipient.key()))
            .map(|recipient| Ok((Some(recipient.clone()), secret::generate(GENERATED_WORDS)?)))
            .collect();
    }
    let chosen = if args.passphrase.passphrase_file.is_empty() {
        let source = PassphraseSource {
            passphrase_file: None,
            passphrase_env: args.passphrase.passphrase_env.clone(),
        };
        vec![secret::read(&source, true)?]
    } else {
        args.passphrase
            .passphrase_file
            .iter()
            .map(|path| {
                Ok(Passphrase::from_string(secret::from_file(
                    path,
                    "passphrase",
                )?))
            })
            .collect::<Result<Vec<_>, Failure>>()?
    };
    if args.generated {
        for passphrase in &chosen {
            secret::check_generated(passphrase)?;
        }
        return Ok(chosen.into_iter().map(|p| (None, p)).collect());
    }
    let mut context: Vec<String> = headers.recipients().map(Mailbox::to_string).collect();
    context.extend(headers.from.as_ref().map(Mailbox::to_string));
    context.extend(args.subject.clone());
    context.extend(args.label.clone());
    let context: Vec<&str> = context.iter().map(String::as_str).collect();
    for passphrase in &chosen {
        secret::check_strength(passphrase, &context, args.allow_weak_passphrase)?;
    }
    Ok(chosen.into_iter().map(|p| (None, p)).collect())
}

/// Where a receipt is asked for: --receipt-to, or the --from address with
/// --receipt; checked to be a plain address.
fn receipt_address(args: &SealArgs, headers: &Headers) -> Result<Option<String>, Failure> {
    let address = match (&args.receipt_to, args.receipt) {
        (Some(address), _) => address.trim().to_owned(),
        (None, true) => match &headers.from {
            Some(from) => from.address().to_owned(),
            None => {
                return Err(Failure::input(
                    "--receipt asks for the receipt at the --from address: give --from, \
                     or --receipt-to ADDRESS",
                ));
            }
        },
        (None, false) => return Ok(None),
    };
    if !envelope_core::is_valid_receipt_address(&address) {
        return Err(Failure::input(format!(
            "{address:?} cannot receive receipts: give a plain address (local@domain.example, \
             in ASCII) with --receipt-to"
        )));
    }
    Ok(Some(address))
}

/// Secure replies, when --reply-key asks for them: the key read, the
/// address (--reply-to, or the --from address) checked to be plain, and
/// the sent-log opened unless a receipt opened it already.
fn reply_plan(
    args: &SealArgs,
    headers: &Headers,
    logged: bool,
) -> Result<Option<ReplyPlan>, Failure> {
    let Some(path) = &args.reply_key else {
        return Ok(None);
    };
    let key = crate::keys::read_recovery_key(path)?;
    let address = match (&args.reply_to, &headers.from) {
        (Some(address), _) => address.trim().to_owned(),
        (None, Some(from)) => from.address().to_owned(),
        (None, None) => {
            return Err(Failure::input(
                "--reply-key sends answers to the --from address: give --from, or --reply-to \
                 ADDRESS",
            ));
        }
    };
    if !envelope_core::is_valid_receipt_address(&address) {
        return Err(Failure::input(format!(
            "{address:?} cannot receive secure replies: give a plain address \
             (local@domain.example, in ASCII) with --reply-to"
        )));
    }
    let log = if logged {
        None
    } else {
        let path = crate::receipt::sent_log_path(args.sent_log.clone())?;
        Some((SentLog::open(&path)?, path))
    };
    Ok(Some(ReplyPlan { address, key, log }))
}

/// The templates and branding: from --template-dir (its templates and
/// branding.json), then the branding flags.
pub(crate) fn look(args: &BrandingArgs) -> Result<PageOptions, Failure> {
    let (templates, mut branding) = match &args.template_dir {
        Some(dir) => (Templates::from_dir(dir)?, Branding::from_dir(dir)?),
        None => (Templates::default(), Branding::default()),
    };
    if let Some(name) = &args.organisation {
        branding.organisation = Some(name.clone());
    }
    if let Some(path) = &args.logo {
        branding.logo = Some(Logo::read(path)?);
    }
    if let Some(colour) = &args.accent_colour {
        branding.accent_colour = Some(colour.parse()?);
    }
    if let Some(text) = &args.help_text {
        // Typed on a command line, a line break is often written as \n.
        branding.help_text = Some(text.replace("\\n", "\n"));
    }
    if let Some(line) = &args.contact {
        branding.contact = Some(line.clone());
    }
    if let Some(lang) = &args.lang {
        branding.lang = lang.clone();
    }
    if let Some(url) = &args.opener_url {
        branding.opener_url = Some(url.parse()?);
    }
    let page = PageOptions {
        templates,
        branding,
        ..PageOptions::default()
    };
    page.check()?;
    Ok(page)
}
