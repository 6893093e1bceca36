//! What `sealer seal` tells its user once the envelope is sealed: where
//! it went, how to open it, and the generated passphrases (printed, or
//! written to owner-only files).

use std::io::Write;
use std::path::PathBuf;

use envelope_core::{Passphrase, generated_bits, human_size};
use sealer::mailbox::Mailbox;
use sealer::receipts::SentLog;
use sealer::sealing::Sealed;

use crate::args::SealArgs;
use crate::failure::{Code, Failure};
use crate::secret::{self, GENERATED_WORDS};

/// Above this, many mail providers refuse a message (20–25 MB on the wire).
const MAIL_SIZE_WARNING: u64 = 20_000_000;

/// What the report needs to know of the plan.
pub(super) struct Report {
    /// The page file, or `None` for standard output.
    pub(super) output: Option<PathBuf>,
    pub(super) force: bool,
    pub(super) eml: Option<PathBuf>,
    pub(super) show_subject: bool,
    generated: bool,
    per_recipient: bool,
    passphrase_out: Option<PathBuf>,
    passphrase_files: Vec<PathBuf>,
    passphrase_env: Option<String>,
    passphrases: Vec<(Option<Mailbox>, Passphrase)>,
    receipt: Option<(String, PathBuf)>,
    /// Where answers go, the reply key's fingerprint, and the sent-log.
    reply: Option<(String, String, PathBuf)>,
    /// What the virus scan found, when `--scan` asked for one.
    virus_scan: Option<envelope_core::VirusScan>,
}

impl Report {
    pub(super) fn of(
        args: &SealArgs,
        passphrases: &[(Option<Mailbox>, Passphrase)],
        receipt: Option<&(String, SentLog, PathBuf)>,
        reply: Option<&super::ReplyPlan>,
        virus_scan: Option<envelope_core::VirusScan>,
    ) -> Report {
        let log = reply
            .and_then(|reply| reply.log.as_ref().map(|(_, path)| path))
            .or(receipt.map(|(_, _, path)| path));
        Report {
            output: (args.output.as_os_str() != "-").then(|| args.output.clone()),
            force: args.force,
            eml: args.eml.clone(),
            show_subject: args.show_subject,
            generated: args.generate_passphrase,
            per_recipient: args.per_recipient,
            passphrase_out: args.passphrase_out.clone(),
            passphrase_files: args.passphrase.passphrase_file.clone(),
            passphrase_env: args.passphrase.passphrase_env.clone(),
            passphrases: passphrases.to_vec(),
            receipt: receipt.map(|(address, _, path)| (address.clone(), path.clone())),
            reply: reply.zip(log).map(|(reply, path)| {
                (reply.address.clone(), reply.key.fingerprint(), path.clone())
            }),
            virus_scan,
        }
    }

    /// Whose passphrase each slot is, in words, for the sent-log.
    pub(super) fn whose(&self) -> Vec<String> {
        self.passphrases
            .iter()
            .enumerate()
            .map(|(index, (recipient, _))| match recipient {
                Some(recipient) => format!("the passphrase generated for {recipient}"),
                None if self.generated => "the generated passphrase".to_owned(),
                None => match (self.passphrase_files.get(index), &self.passphrase_env) {
                    (Some(file), _) => format!("the passphrase in {}", file.display()),
                    (None, Some(var)) => format!("the passphrase in ${var}"),
                    (None, None) => "the passphrase typed at the prompt".to_owned(),
                },
            })
            .collect()
    }
}

/// Prints the report of `sealed` (to standard error when the page went
/// to standard output), and writes the generated passphrases where asked.
/// A failed SMTP submission is reported last: the files are there, and
/// the passphrase must not be lost with the error.
pub(super) fn print(report: &Report, sealed: Sealed) -> Result<(), Failure> {
    let mut out: Box<dyn Write> = match &report.output {
        Some(_) => Box::new(std::io::stdout()),
        None => {
            // Written to no file, the page is in memory.
            let page = sealed.page.as_deref().unwrap_or_default();
            crate::terminal::write_stdout(page.as_bytes())?;
            Box::new(std::io::stderr())
        }
    };
    let mut say = |line: String| {
        writeln!(out, "{line}")
            .map_err(|err| Failure::new(Code::Failed, format!("cannot write: {err}")))
    };
    if let (Some(mail_len), Some(_)) = (sealed.mail_len, &report.eml) {
        warn_if_large("the notice e-mail", mail_len);
    }
    if let Some(output) = &report.output {
        let absolute = std::fs::canonicalize(output).unwrap_or_else(|_| output.clone());
        say(format!(
            "Sealed into {} ({}). Open it in any browser (file://{}), or with: sealer open {}",
            output.display(),
            human_size(sealed.page_len),
            absolute.display(),
            output.display()
        ))?;
    }
    if let Some(eml) = &report.eml {
        say(format!(
            "The notice e-mail, ready to send, is {}.",
            eml.display()
        ))?;
    }
    let mut failed = None;
    match sealed.submitted {
        Some(Ok(sent)) => say(format!(
            "Sent the notice e-mail to {} by {} ({}).",
            sent.recipients.join(", "),
            sent.host,
            sent.reply
        ))?,
        Some(Err(err)) => failed = Some(Failure::from(err)),
        None => {}
    }
    if let Some((address, path)) = &report.receipt {
        say(format!(
            "A receipt is asked for at {address}. The codes recipients send back are \
             recognised by: sealer receipt verify CODE (the envelope is logged in {}).",
            path.display()
        ))?;
    }
    if let Some((address, key, path)) = &report.reply {
        say(format!(
            "Secure replies are asked for: the page offers to answer with an envelope sealed to \
             the reply key {key}, to be sent to {address}. Open answers with: sealer open \
             REPLY.html --identity KEY (the envelope is logged in {}).",
            path.display()
        ))?;
    }
    if let Some(record) = &report.virus_scan {
        say(format!(
            "{} The envelope says so to its recipients.",
            sealer::scan::describe(record)
        ))?;
    }
    if report.eml.is_none() {
        warn_if_large("the envelope", sealed.page_len);
    }
    passphrases(report, &mut say)?;
    if report.generated {
        say(
            "It can be read out word by word: spaces, hyphens and capitals do not matter when it \
             is typed."
                .to_owned(),
        )?;
    }
    say(
        "Send the passphrase by another channel than the envelope (phone, SMS), never in the \
         same e-mail."
            .to_owned(),
    )?;
    failed.map_or(Ok(()), Err)
}

/// The generated passphrases: printed, or written to owner-only files.
fn passphrases(
    report: &Report,
    say: &mut impl FnMut(String) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let all = &report.passphrases;
    if !report.generated {
        if all.len() > 1 {
            say(format!(
                "Sealed with {} passphrases: each one opens the envelope.",
                all.len()
            ))?;
        }
        return Ok(());
    }
    let strength = format!(
        "{GENERATED_WORDS} words, {:.0} bits",
        generated_bits(GENERATED_WORDS)
    );
    let whom = |recipient: &Option<Mailbox>| {
        recipient
            .as_ref()
            .map_or_else(|| "the recipient".to_owned(), Mailbox::to_string)
    };
    match (&report.passphrase_out, report.per_recipient) {
        (Some(dir), true) => {
            secret::create_private_dir(dir)?;
            for (recipient, passphrase) in all {
                // Named after the address alone, not "Name <address>".
                let address = recipient.as_ref().map_or("recipient", Mailbox::address);
                let name = envelope_core::safe_file_name(&format!("{address}.txt"));
                secret::write_to_new_file(&dir.join(name), passphrase)?;
            }
            say(format!(
                "The {} generated passphrases ({strength} each) are in {}, one file per \
                 recipient.",
                all.len(),
                dir.display()
            ))
        }
        (Some(path), false) => {
            secret::write_to_new_file(path, &all[0].1)?;
            say(format!(
                "The generated passphrase is in {}.",
                path.display()
            ))
        }
        (None, true) => {
            for (recipient, passphrase) in all {
                say(format!(
                    "Passphrase for {} ({strength}): {}",
                    whom(recipient),
                    passphrase.expose()
                ))?;
            }
            Ok(())
        }
        (None, false) => say(format!("Passphrase ({strength}): {}", all[0].1.expose())),
    }
}

fn warn_if_large(what: &str, len: u64) {
    if len > MAIL_SIZE_WARNING {
        eprintln!(
            "sealer: warning: {what} is {}; many mail providers refuse messages over 20-25 MB. \
             Send it another way, or split the attachments.",
            human_size(len)
        );
    }
}
