//! `sealer seal`: a message from flags and files → the `.html` envelope.

use std::fs::File;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use envelope_core::{
    Attachment, Message, Passphrase, ReceiptRecord, SealOptions, generated_bits, human_size,
    seal_to_vec, seal_with_receipt,
};
use sealer::branding::{Branding, Logo};
use sealer::notice::{Notice, notice_email};
use sealer::receipts::{SentEntry, SentLog};
use sealer::templates::Templates;
use sealer::{PageOptions, render_page};

use crate::args::{BrandingArgs, PassphraseSource, SealArgs};
use crate::failure::{Code, Failure};
use crate::progress;
use crate::secret::{self, GENERATED_WORDS};
use indicatif::ProgressBar;

/// Above this, many mail providers refuse a message (20–25 MB on the wire).
const MAIL_SIZE_WARNING: usize = 20_000_000;

pub(crate) fn run(args: SealArgs) -> Result<(), Failure> {
    let to_stdout = args.output.as_os_str() == "-";
    // Refuse before any work: an existing output is kept unless --force.
    if !to_stdout && !args.force && args.output.exists() {
        return Err(Failure::input(format!(
            "{} already exists; choose another name, or use --force to replace it",
            args.output.display()
        )));
    }
    if let Some(eml) = &args.eml {
        if !args.force && eml.exists() {
            return Err(Failure::input(format!(
                "{} already exists; choose another name, or use --force to replace it",
                eml.display()
            )));
        }
        if args.from.is_none() && !args.demo {
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
    // Before any work: a missing password file should not cost a seal.
    let smtp = crate::send::server(&args.smtp)?;
    if smtp.is_some() && args.from.is_none() && !args.demo {
        return Err(Failure::input(
            "--smtp needs --from: the notice e-mail must say who sent it",
        ));
    }
    let expires = args
        .expires
        .as_deref()
        .map(|when| {
            sealer::expiry::parse_expiry(when, envelope_core::MessageDate::now().unix_seconds)
        })
        .transpose()?;
    let (templates, branding) = look(&args.branding)?;
    // Opened before any work: a sent-log that cannot be used costs nothing.
    let receipt = receipt_request(&args)?;
    let mut sent_log = match &receipt {
        Some(_) => {
            let path = crate::receipt::sent_log_path(args.sent_log.clone())?;
            Some((SentLog::open(&path)?, path))
        }
        None => None,
    };
    let (message, bar) = if args.demo {
        (sealer::demo_message(), ProgressBar::hidden())
    } else {
        message(&args)?
    };

    let generated = args.generate_passphrase;
    // Read before the passphrase is asked for: a bad key file costs nothing.
    let recovery_keys = args
        .recovery_key
        .iter()
        .map(|path| crate::keys::read_recovery_key(path))
        .collect::<Result<Vec<_>, _>>()?;
    let signing_key = args
        .sign
        .as_deref()
        .map(crate::keys::read_signing_key)
        .transpose()?;
    let passphrases = passphrases(&args)?;
    let mut options = SealOptions::new();
    for (_, passphrase) in &passphrases {
        options = options.passphrase(passphrase.clone());
    }
    for key in recovery_keys {
        options = options.recovery_key(key);
    }
    if let Some(key) = signing_key {
        options = options.sign(key);
    }
    if let Some(label) = &args.label {
        options = options.label(label);
    }
    if let Some(hint) = &args.hint {
        options = options.hint(hint);
    }
    if let Some(at) = expires {
        options = options.expires(at);
    }
    let envelope = match &receipt {
        Some(address) => {
            let (envelope, record) =
                seal_with_receipt(message, &options.request_receipt(address), Vec::new())?;
            if let Some((log, _)) = &mut sent_log {
                // Logged before the envelope exists: an envelope whose
                // receipts cannot be recognised is never sent out.
                log.append(&sent_entry(&args, &record, &passphrases, to_stdout))?;
            }
            envelope
        }
        None => seal_to_vec(message, &options)?,
    };
    bar.finish_and_clear();
    let page_options = PageOptions {
        templates: templates.clone(),
        branding: branding.clone(),
    };
    let page = render_page(&envelope, &page_options)?;

    // The notice is built before anything is written, and the page and
    // the notice are written together: a failure leaves neither.
    let mail = if args.eml.is_some() || smtp.is_some() {
        Some(notice_email(&page, &notice(&args, templates, branding))?)
    } else {
        None
    };
    let mut files: Vec<(&Path, &[u8])> = Vec::new();
    if to_stdout {
        std::io::stdout()
            .lock()
            .write_all(page.as_bytes())
            .map_err(|err| {
                Failure::new(Code::Failed, format!("cannot write the envelope: {err}"))
            })?;
    } else {
        files.push((&args.output, page.as_bytes()));
    }
    if let (Some(eml), Some(mail)) = (&args.eml, &mail) {
        files.push((eml, mail));
    }
    sealer::files::write_files(&files, args.force).map_err(|err| {
        let code = if err.kind() == std::io::ErrorKind::AlreadyExists {
            Code::Input
        } else {
            Code::Failed
        };
        let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        Failure::new(code, format!("cannot write {}: {err}", names.join(" and ")))
    })?;
    if let Some(mail) = &mail
        && args.eml.is_some()
        && mail.len() > MAIL_SIZE_WARNING
    {
        eprintln!(
            "sealer: warning: the notice e-mail is {}; many mail providers refuse messages \
             over 20-25 MB. Send it another way, or split the attachments.",
            human_size(mail.len() as u64)
        );
    }

    // Reports go to standard error when the envelope went to standard output.
    let mut report: Box<dyn Write> = if to_stdout {
        Box::new(std::io::stderr())
    } else {
        Box::new(std::io::stdout())
    };
    let say = |report: &mut Box<dyn Write>, line: String| {
        writeln!(report, "{line}")
            .map_err(|err| Failure::new(Code::Failed, format!("cannot write: {err}")))
    };
    if !to_stdout {
        let absolute = std::fs::canonicalize(&args.output).unwrap_or_else(|_| args.output.clone());
        say(
            &mut report,
            format!(
                "Sealed into {} ({}). Open it in any browser (file://{}), or with: sealer open {}",
                args.output.display(),
                human_size(page.len() as u64),
                absolute.display(),
                args.output.display()
            ),
        )?;
    }
    if let Some(eml) = &args.eml {
        say(
            &mut report,
            format!("The notice e-mail, ready to send, is {}.", eml.display()),
        )?;
    }
    if let (Some(server), Some(mail)) = (&smtp, &mail) {
        let addressing = sealer::smtp::addressing_of(mail)?;
        let reply = crate::send::send(mail, &addressing, server)?;
        say(
            &mut report,
            format!(
                "Sent the notice e-mail to {} by {} ({reply}).",
                addressing.recipients.join(", "),
                server.host
            ),
        )?;
    }
    if let (Some(address), Some((_, path))) = (&receipt, &sent_log) {
        say(
            &mut report,
            format!(
                "A receipt is asked for at {address}. The codes recipients send back are \
                 recognised by: sealer receipt verify CODE (the envelope is logged in {}).",
                path.display()
            ),
        )?;
    }
    if args.eml.is_none() && page.len() > MAIL_SIZE_WARNING {
        eprintln!(
            "sealer: warning: the envelope is {}; many mail providers refuse messages over \
             20-25 MB. Send it another way, or split the attachments.",
            human_size(page.len() as u64)
        );
    }
    if generated {
        let strength = format!(
            "{GENERATED_WORDS} words, {:.0} bits",
            generated_bits(GENERATED_WORDS)
        );
        match (&args.passphrase_out, args.per_recipient) {
            (Some(dir), true) => {
                secret::create_private_dir(dir)?;
                for (recipient, passphrase) in &passphrases {
                    // Named after the address alone, not "Name <address>".
                    let address = sealer::wrap::policy::address_of(
                        recipient.as_deref().unwrap_or("recipient"),
                    );
                    let name = envelope_core::safe_file_name(&format!("{address}.txt"));
                    secret::write_to_new_file(&dir.join(name), passphrase)?;
                }
                say(
                    &mut report,
                    format!(
                        "The {} generated passphrases ({strength} each) are in {}, one file per \
                         recipient.",
                        passphrases.len(),
                        dir.display()
                    ),
                )?;
            }
            (Some(path), false) => {
                secret::write_to_new_file(path, &passphrases[0].1)?;
                say(
                    &mut report,
                    format!("The generated passphrase is in {}.", path.display()),
                )?;
            }
            (None, true) => {
                for (recipient, passphrase) in &passphrases {
                    say(
                        &mut report,
                        format!(
                            "Passphrase for {} ({strength}): {}",
                            recipient.as_deref().unwrap_or("the recipient"),
                            passphrase.expose()
                        ),
                    )?;
                }
            }
            (None, false) => say(
                &mut report,
                format!("Passphrase ({strength}): {}", passphrases[0].1.expose()),
            )?,
        }
    } else if passphrases.len() > 1 {
        say(
            &mut report,
            format!(
                "Sealed with {} passphrases: each one opens the envelope.",
                passphrases.len()
            ),
        )?;
    }
    say(
        &mut report,
        "Send the passphrase by another channel than the envelope (phone, SMS), never in the same e-mail."
            .to_owned(),
    )
}

/// The passphrases to seal with, and for whom each was generated: one
/// generated (or one per recipient), one from each --passphrase-file, or
/// one from the environment or the prompt. Those a person chose are
/// checked for strength.
fn passphrases(args: &SealArgs) -> Result<Vec<(Option<String>, Passphrase)>, Failure> {
    if args.generate_passphrase {
        if !args.per_recipient {
            return Ok(vec![(None, secret::generate(GENERATED_WORDS)?)]);
        }
        let recipients: Vec<String> = if args.demo {
            vec![sealer::DEMO_TO.to_owned()]
        } else {
            args.to.iter().chain(&args.cc).cloned().collect()
        };
        let mut seen = std::collections::BTreeSet::new();
        return recipients
            .into_iter()
            .filter(|recipient| seen.insert(recipient.to_lowercase()))
            .map(|recipient| Ok((Some(recipient), secret::generate(GENERATED_WORDS)?)))
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
    let mut context: Vec<&str> = args.to.iter().chain(&args.cc).map(String::as_str).collect();
    context.extend(args.from.as_deref());
    context.extend(args.subject.as_deref());
    context.extend(args.label.as_deref());
    for passphrase in &chosen {
        secret::check_strength(passphrase, &context, args.allow_weak_passphrase)?;
    }
    Ok(chosen.into_iter().map(|p| (None, p)).collect())
}

/// Where a receipt is asked for: --receipt-to, or the --from address with
/// --receipt; checked to be a plain address.
fn receipt_request(args: &SealArgs) -> Result<Option<String>, Failure> {
    let address = match (&args.receipt_to, args.receipt) {
        (Some(address), _) => address.trim().to_owned(),
        (None, true) => {
            let from = Headers::of(args).from;
            if from.is_empty() {
                return Err(Failure::input(
                    "--receipt asks for the receipt at the --from address: give --from, \
                     or --receipt-to ADDRESS",
                ));
            }
            sealer::wrap::policy::address_of(&from).to_owned()
        }
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

/// The sent-log entry of an envelope just sealed: what identifies it to
/// its sender, and whose passphrase each slot is.
fn sent_entry(
    args: &SealArgs,
    record: &ReceiptRecord,
    passphrases: &[(Option<String>, Passphrase)],
    to_stdout: bool,
) -> SentEntry {
    let whose: Vec<String> = passphrases
        .iter()
        .enumerate()
        .map(|(index, (recipient, _))| match recipient {
            Some(recipient) => format!("the passphrase generated for {recipient}"),
            None if args.generate_passphrase => "the generated passphrase".to_owned(),
            None => match (
                args.passphrase.passphrase_file.get(index),
                &args.passphrase.passphrase_env,
            ) {
                (Some(file), _) => format!("the passphrase in {}", file.display()),
                (None, Some(var)) => format!("the passphrase in ${var}"),
                (None, None) => "the passphrase typed at the prompt".to_owned(),
            },
        })
        .collect();
    let whose: Vec<&str> = whose.iter().map(String::as_str).collect();
    let mut entry = SentEntry::new(record, &whose);
    let headers = Headers::of(args);
    entry.from = headers.from;
    entry.to = headers.to;
    entry.cc = headers.cc;
    entry.subject = headers.subject.unwrap_or_default();
    entry.output = (!to_stdout)
        .then(|| std::path::absolute(&args.output).unwrap_or_else(|_| args.output.clone()));
    entry
}

/// The sealed message's sender, recipients and subject, from the flags
/// (or the demo message's).
struct Headers {
    from: String,
    to: Vec<String>,
    cc: Vec<String>,
    subject: Option<String>,
}

impl Headers {
    fn of(args: &SealArgs) -> Headers {
        let demo = |value: &str| args.demo.then(|| value.to_owned());
        Headers {
            from: args
                .from
                .clone()
                .or_else(|| demo(sealer::DEMO_FROM))
                .unwrap_or_default(),
            to: if args.demo {
                vec![sealer::DEMO_TO.to_owned()]
            } else {
                args.to.clone()
            },
            cc: args.cc.clone(),
            subject: args.subject.clone().or_else(|| demo(sealer::DEMO_SUBJECT)),
        }
    }
}

/// The notice e-mail's headers, from the flags (or the demo message).
fn notice(args: &SealArgs, templates: Templates, branding: Branding) -> Notice {
    let headers = Headers::of(args);
    Notice {
        from: headers.from,
        to: headers.to,
        cc: headers.cc,
        subject: if args.hide_subject {
            None
        } else {
            headers.subject
        },
        label: args.label.clone(),
        hint: args.hint.clone(),
        date: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
        templates,
        branding,
    }
}

/// The templates and branding: from --template-dir (its templates and
/// branding.json), then the branding flags.
fn look(args: &BrandingArgs) -> Result<(Templates, Branding), Failure> {
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
    branding.check()?;
    Ok((templates, branding))
}

/// The message the flags describe, and the bar its attachments advance as
/// they are read.
fn message(args: &SealArgs) -> Result<(Message, ProgressBar), Failure> {
    if args.to.is_empty() {
        return Err(Failure::input(
            "no recipient: give --to ADDRESS (repeatable), or --demo for the demo message",
        ));
    }
    let mut message = Message::new();
    if let Some(from) = &args.from {
        message = message.from(from);
    }
    for to in &args.to {
        message = message.to(to);
    }
    for cc in &args.cc {
        message = message.cc(cc);
    }
    if let Some(subject) = &args.subject {
        message = message.subject(subject);
    }
    if args.body.as_deref() == Some(Path::new("-"))
        && args.html_body.as_deref() == Some(Path::new("-"))
    {
        return Err(Failure::input(
            "only one of --body and --html-body can read standard input",
        ));
    }
    if let Some(path) = &args.body {
        message = message.text_body(read_text(path, "--body")?);
    }
    if let Some(path) = &args.html_body {
        message = message.html_body(read_text(path, "--html-body")?);
    }
    let total = args
        .attach
        .iter()
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|meta| meta.len())
        .sum();
    let bar = progress::bar("Sealing", total);
    for path in &args.attach {
        message = message.attach(attachment(path, &bar)?);
    }
    Ok((message, bar))
}

/// A UTF-8 text file, or standard input for `-`.
fn read_text(path: &Path, flag: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        if std::io::stdin().is_terminal() {
            eprintln!("Type the {flag} text, then Ctrl-D:");
        }
        std::io::stdin().read_to_end(&mut bytes).map_err(|err| {
            Failure::input(format!("cannot read {flag} from standard input: {err}"))
        })?;
    } else {
        check_is_file(path, flag)?;
        bytes = std::fs::read(path)
            .map_err(|err| Failure::input(format!("cannot read {}: {err}", path.display())))?;
    }
    String::from_utf8(bytes).map_err(|_| {
        Failure::input(format!(
            "{flag} {} is not UTF-8 text; convert it, or attach it with --attach",
            path.display()
        ))
    })
}

/// An attachment streamed from `path`, named after it, typed by its
/// extension.
fn attachment(path: &Path, bar: &ProgressBar) -> Result<Attachment, Failure> {
    check_is_file(path, "--attach")?;
    let file = File::open(path)
        .map_err(|err| Failure::input(format!("cannot read {}: {err}", path.display())))?;
    let len = file
        .metadata()
        .map_err(|err| Failure::input(format!("cannot read {}: {err}", path.display())))?
        .len();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "attachment".to_owned());
    let media_type = mime_guess::from_path(path)
        .first_or_octet_stream()
        .essence_str()
        .to_owned();
    let reading = progress::Reading {
        inner: file,
        bar: bar.clone(),
    };
    Ok(Attachment::from_reader(name, media_type, len, reading))
}

fn check_is_file(path: &Path, flag: &str) -> Result<(), Failure> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(Failure::input(format!(
            "{flag} {} is a folder; give its files one by one, or a zip of it",
            path.display()
        ))),
        Ok(_) => Ok(()),
        Err(err) => Err(Failure::input(format!("{flag} {}: {err}", path.display()))),
    }
}
