//! The message `sealer seal` seals: from the flags and the files they
//! name, or the built-in demo message.

use std::fs::File;
use std::io::{IsTerminal, Read};
use std::path::Path;

use envelope_core::{Attachment, Message, VirusScan};
use indicatif::ProgressBar;
use sealer::scan::{ScanSession, Scanner};

use super::Headers;
use crate::args::SealArgs;
use crate::failure::Failure;
use crate::progress;

/// The message the flags describe, the bar its attachments advance as
/// they are read, and, when `scanner` is given, the record of its scan
/// (every part scanned before any is sealed).
pub(super) fn of(
    args: &SealArgs,
    headers: &Headers,
    scanner: Option<&Scanner>,
) -> Result<(Message, ProgressBar, Option<VirusScan>), Failure> {
    let mut session = scanner.map(Scanner::start).transpose()?;
    if args.demo {
        let message = sealer::demo_message();
        let record = match session {
            Some(mut session) => {
                for part in sealer::scan::message_parts(&message) {
                    if let Some(infected) = session.scan(part)? {
                        return Err(super::scan::refusal(&infected));
                    }
                }
                Some(session.finish())
            }
            None => None,
        };
        return Ok((message, ProgressBar::hidden(), record));
    }
    if headers.to.is_empty() {
        return Err(Failure::input(
            "no recipient: give --to ADDRESS (repeatable), or --demo for the demo message",
        ));
    }
    let mut message = Message::new();
    if let Some(from) = &headers.from {
        message = message.from(from.to_string());
    }
    for to in &headers.to {
        message = message.to(to.to_string());
    }
    for cc in &headers.cc {
        message = message.cc(cc.to_string());
    }
    if let Some(subject) = &headers.subject {
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
        let text = read_text(path, "--body")?;
        if let Some(session) = &mut session {
            super::scan::scan_text(session, "message text", &text)?;
        }
        message = message.text_body(text);
    }
    if let Some(path) = &args.html_body {
        let html = read_text(path, "--html-body")?;
        if let Some(session) = &mut session {
            super::scan::scan_text(session, "HTML text", &html)?;
        }
        message = message.html_body(html);
    }
    let total = args
        .attach
        .iter()
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|meta| meta.len())
        .sum();
    let bar = progress::bar("Sealing", total);
    for path in &args.attach {
        message = message.attach(attachment(path, &bar, session.as_mut())?);
    }
    Ok((message, bar, session.map(ScanSession::finish)))
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
/// extension; scanned first when `session` is given, and then pinned to
/// the bytes scanned.
fn attachment(
    path: &Path,
    bar: &ProgressBar,
    session: Option<&mut ScanSession<'_>>,
) -> Result<Attachment, Failure> {
    check_is_file(path, "--attach")?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "attachment".to_owned());
    let media_type = mime_guess::from_path(path)
        .first_or_octet_stream()
        .essence_str()
        .to_owned();
    let digest = match session {
        Some(session) => Some(super::scan::scan_file(session, path, &name, &media_type)?),
        None => None,
    };
    let file = File::open(path)
        .map_err(|err| Failure::input(format!("cannot read {}: {err}", path.display())))?;
    let len = file
        .metadata()
        .map_err(|err| Failure::input(format!("cannot read {}: {err}", path.display())))?
        .len();
    let reading = progress::Reading {
        inner: file,
        bar: bar.clone(),
    };
    Ok(match digest {
        Some(digest) => Attachment::from_reader(
            name,
            media_type,
            len,
            super::scan::Pinned::new(reading, len, digest),
        ),
        None => Attachment::from_reader(name, media_type, len, reading),
    })
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
