//! `sealer receipt verify`: which envelope a receipt code names, and with
//! whose passphrase it was opened, from the sender's sent-log.

use std::io::{Read, Write};
use std::path::PathBuf;

use envelope_core::ReceiptCode;
use sealer::receipts::{Confirmation, SentLog, find_receipts};
use serde_json::json;

use crate::args::ReceiptVerifyArgs;
use crate::failure::{Code, Failure};
use crate::terminal::printable;

/// The most standard input read when looking for codes in a mail.
const MAX_INPUT: u64 = 10 * 1024 * 1024;

pub(crate) fn verify(args: ReceiptVerifyArgs) -> Result<(), Failure> {
    let codes = codes(&args.codes)?;
    let log = sent_log_path(args.sent_log)?;
    if !log.exists() {
        return Err(Failure::input(format!(
            "there is no sent-log at {}: receipts are recognised only on the machine (and \
             account) whose sealer seal --receipt sealed the envelope, or with --sent-log FILE",
            log.display()
        )));
    }
    let answers = find_receipts(&log, &codes)?;
    let mut out = std::io::stdout().lock();
    let mut unrecognised = 0;
    for (code, found) in codes.iter().zip(answers) {
        if found.is_none() {
            unrecognised += 1;
        }
        let written = if args.json {
            writeln!(out, "{}", as_json(code, found.as_ref()))
        } else {
            writeln!(out, "{}", as_text(code, found.as_ref(), &log))
        };
        written.map_err(|err| Failure::new(Code::Failed, format!("cannot write: {err}")))?;
    }
    if unrecognised > 0 {
        return Err(Failure::new(
            Code::NotRecognised,
            format!(
                "{unrecognised} of {} receipt codes not recognised",
                codes.len()
            ),
        ));
    }
    Ok(())
}

/// The sent-log: --sent-log (or $SEALER_SENT_LOG), or the default place.
pub(crate) fn sent_log_path(given: Option<PathBuf>) -> Result<PathBuf, Failure> {
    given.or_else(SentLog::default_path).ok_or_else(|| {
        Failure::input("no place for the sent-log: set HOME or XDG_DATA_HOME, or give --sent-log")
    })
}

/// The codes given, or those found in standard input for `-`.
fn codes(args: &[String]) -> Result<Vec<ReceiptCode>, Failure> {
    let mut codes = Vec::new();
    for arg in args {
        if arg == "-" {
            let mut input = Vec::new();
            std::io::stdin()
                .take(MAX_INPUT)
                .read_to_end(&mut input)
                .map_err(|err| Failure::input(format!("cannot read standard input: {err}")))?;
            let found = find_codes_in_input(&input);
            if found.is_empty() {
                return Err(Failure::input(
                    "no receipt code in standard input (one looks like XXXX-XXXX-XXXX-XXXX-XXXX-XXXX)",
                ));
            }
            codes.extend(found);
        } else {
            codes.push(
                ReceiptCode::parse(arg)
                    .map_err(|err| Failure::input(format!("{}: {err}", printable(arg))))?,
            );
        }
    }
    Ok(codes)
}

/// The codes in standard input: as it is, and, when it is an e-mail, in
/// its decoded text parts too (a mail program may have sent the receipt
/// base64- or quoted-printable-encoded).
fn find_codes_in_input(input: &[u8]) -> Vec<ReceiptCode> {
    let mut texts = vec![String::from_utf8_lossy(input).into_owned()];
    if let Some(mail) = mail_parser::MessageParser::default().parse(input) {
        texts.extend(mail.subject().map(str::to_owned));
        texts.extend(
            (0..mail.text_body_count())
                .filter_map(|i| mail.body_text(i))
                .map(|t| t.into_owned()),
        );
    }
    let mut found: Vec<ReceiptCode> = Vec::new();
    for code in texts.iter().flat_map(|text| find_codes(text)) {
        if !found.contains(&code) {
            found.push(code);
        }
    }
    found
}

/// Every code written as six dash-separated groups of four in `text` (as
/// the page's receipt e-mail writes it), each once.
fn find_codes(text: &str) -> Vec<ReceiptCode> {
    let mut found = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        let groups: Vec<&str> = word.split('-').collect();
        if groups.len() == 6
            && groups.iter().all(|g| g.len() == 4)
            && let Ok(code) = ReceiptCode::parse(word)
            && !found.contains(&code)
        {
            found.push(code);
        }
    }
    found
}

fn as_text(code: &ReceiptCode, found: Option<&Confirmation>, log: &std::path::Path) -> String {
    let Some(Confirmation { entry, slot }) = found else {
        return format!(
            "{code}: NOT RECOGNISED. It names no envelope in the sent-log {}: it is forged or \
             mistyped, or the envelope was sealed with another sent-log.",
            log.display()
        );
    };
    let mut recipients = entry.to.clone();
    recipients.extend(entry.cc.iter().cloned());
    let mut text = format!(
        "{code}: recognised. The envelope sealed {} to {}, subject \"{}\"",
        entry.sealed,
        if recipients.is_empty() {
            "(no recipient named)".to_owned()
        } else {
            recipients.join(", ")
        },
        entry.subject
    );
    if let Some(output) = &entry.output {
        text.push_str(&format!(" ({})", output.display()));
    }
    text.push_str(&format!(
        ", was opened with {} (key slot {}).",
        slot.passphrase, slot.slot
    ));
    printable(&text)
}

fn as_json(code: &ReceiptCode, found: Option<&Confirmation>) -> serde_json::Value {
    match found {
        Some(Confirmation { entry, slot }) => json!({
            "code": code.to_string(),
            "recognised": true,
            "envelope": entry,
            "slot": slot,
        }),
        None => json!({ "code": code.to_string(), "recognised": false }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_found_in_a_receipt_mail_once_each() {
        let code = ReceiptCode::from_bytes([7u8; 15]);
        let other = ReceiptCode::from_bytes([8u8; 15]);
        let mail = format!(
            "Subject: Receipt for your sealed message\r\n\r\nReceipt code: {code}\r\n\
             > Receipt code: {code}\r\n({other}). Not one: ABCD-EFGH-JKMN-PQRS-TVWX and \
             0000-0000-0000-0000-0000-0000-0000\r\n"
        );
        assert_eq!(find_codes(&mail), vec![code, other]);
        assert!(find_codes("nothing here").is_empty());
    }

    #[test]
    fn codes_are_found_in_an_encoded_receipt_mail() {
        use base64::Engine;
        let code = ReceiptCode::from_bytes([9u8; 15]);
        let body = format!("Empfangsbest\u{e4}tigung\r\nReceipt code: {code}\r\n");
        let mail = format!(
            "From: a@example.org\r\nSubject: Receipt\r\nMIME-Version: 1.0\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            base64::engine::general_purpose::STANDARD.encode(body)
        );
        assert!(
            find_codes(&mail).is_empty(),
            "only the decoded body holds it"
        );
        assert_eq!(find_codes_in_input(mail.as_bytes()), vec![code]);
        assert_eq!(find_codes_in_input(code.to_string().as_bytes()), vec![code]);
    }
}
