//! The delivery file of a generated passphrase: a new file, readable only
//! by the gateway's user, named after the message, from which the sender
//! learns the passphrase to pass on by phone or SMS.

use std::path::{Path, PathBuf};

use envelope_core::Passphrase;

use super::sysexits::{GatewayFailure, Sysexit};

/// What the file tells the sender about the message (no subject, no
/// content: it names the message only as far as its addressing does).
#[derive(Debug)]
pub(crate) struct Delivery<'a> {
    pub(crate) message_id: Option<&'a str>,
    pub(crate) from: &'a str,
    pub(crate) recipients: &'a [String],
    pub(crate) sealed_at: &'a str,
}

/// Writes `passphrase` for the message `delivery` describes to a new file
/// in `dir`, and returns its path.
pub(crate) fn write(
    dir: &Path,
    passphrase: &Passphrase,
    delivery: &Delivery<'_>,
) -> Result<PathBuf, GatewayFailure> {
    let stem = file_stem(delivery.message_id);
    let text = format!(
        "Passphrase: {}\n\nMessage-ID: {}\nFrom: {}\nTo: {}\nSealed: {}\n\nTell the recipients \
         this passphrase by phone or SMS, never by e-mail. Delete this file once they have it.\n",
        passphrase.expose(),
        delivery.message_id.unwrap_or("(none)"),
        delivery.from,
        delivery.recipients.join(", "),
        delivery.sealed_at,
    );
    let failed = |path: &Path, err: std::io::Error| {
        GatewayFailure::new(
            Sysexit::TempFail,
            format!("cannot write the passphrase file {}: {err}", path.display()),
        )
    };
    // A message tried again after a deferral gets a new passphrase and a
    // new file; the old one belongs to a message that was never sent.
    for n in 1..=1000u32 {
        let name = if n == 1 {
            format!("{stem}.txt")
        } else {
            format!("{stem}-{n}.txt")
        };
        let path = dir.join(name);
        match sealer::files::write_private_file(&path, text.as_bytes()) {
            Ok(()) => return Ok(path),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(failed(&path, err)),
        }
    }
    Err(GatewayFailure::new(
        Sysexit::TempFail,
        format!(
            "no free passphrase file name for {stem} in {}",
            dir.display()
        ),
    ))
}

/// A file name made from the Message-ID: its characters that are safe in
/// a file name, the rest as `_`; a time stamp when there is none.
fn file_stem(message_id: Option<&str>) -> String {
    let id = message_id
        .unwrap_or("")
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>');
    let safe: String = id
        .chars()
        .take(200)
        .map(|c| {
            if c.is_ascii_alphanumeric() || "@.+-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    if safe.is_empty() {
        format!("no-message-id-{}", super::audit::now().replace(':', ""))
    } else {
        safe.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn names_cannot_leave_the_folder() {
        assert_eq!(
            file_stem(Some("<abc.123@mail.example>")),
            "abc.123@mail.example"
        );
        assert_eq!(file_stem(Some("<../../etc/passwd>")), "_.._etc_passwd");
        assert!(file_stem(Some("<..>")).starts_with("no-message-id-"));
        assert!(file_stem(None).starts_with("no-message-id-"));
        assert_eq!(file_stem(Some(&"x".repeat(5000))).len(), 200);
    }
}
