//! Recovery keys on disk: `sealer keygen` writes a key pair; `seal
//! --recovery-key` reads the public half, `open --identity` the private
//! one, which must be readable by its owner only.

use std::path::{Path, PathBuf};

use envelope_core::{Identity, RecipientKey};

use crate::args::KeygenArgs;
use crate::failure::{Code, Failure};

/// `sealer keygen`.
pub(crate) fn run(args: KeygenArgs) -> Result<(), Failure> {
    let public_path = PathBuf::from(format!("{}.pub", args.output.display()));
    for path in [&args.output, &public_path] {
        if path.exists() {
            return Err(Failure::input(format!(
                "{} already exists; keys are never overwritten",
                path.display()
            )));
        }
    }
    let identity =
        Identity::generate().map_err(|err| Failure::new(Code::Failed, err.to_string()))?;
    let recipient = identity.recipient();
    let secret = format!(
        "# sealer recovery identity (X25519). It opens every envelope sealed to\n\
         # {} (fingerprint {}).\n\
         # Keep it offline, readable only by the records office.\n{}\n",
        recipient.to_text(),
        recipient.fingerprint(),
        identity.expose_text()
    );
    let public = format!(
        "# sealer recovery key (X25519), fingerprint {}: seal with --recovery-key\n{}\n",
        recipient.fingerprint(),
        recipient.to_text()
    );
    write_new(&args.output, &secret, 0o600)?;
    if let Err(err) = write_new(&public_path, &public, 0o644) {
        let _ = std::fs::remove_file(&args.output);
        return Err(err);
    }
    println!(
        "Wrote the identity to {} (readable only by you) and the recovery key to {}.\n\
         Fingerprint: {}",
        args.output.display(),
        public_path.display(),
        recipient.fingerprint()
    );
    Ok(())
}

/// The recovery key in `path`.
pub(crate) fn read_recovery_key(path: &Path) -> Result<RecipientKey, Failure> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        Failure::input(format!(
            "cannot read the recovery key {}: {err}",
            path.display()
        ))
    })?;
    RecipientKey::from_text(&text)
        .map_err(|err| Failure::input(format!("{}: {err}", path.display())))
}

/// The identity in `path`, refused if others can read the file.
pub(crate) fn read_identity(path: &Path) -> Result<Identity, Failure> {
    let unreadable =
        |err: std::io::Error| Failure::input(format!("cannot read {}: {err}", path.display()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(unreadable)?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(Failure::input(format!(
                "{} can be read by others (mode {:o}); an identity must be readable by its owner \
                 only (chmod 600)",
                path.display(),
                mode & 0o777
            )));
        }
    }
    let text = std::fs::read_to_string(path).map_err(unreadable)?;
    Identity::from_text(&text).map_err(|err| Failure::input(format!("{}: {err}", path.display())))
}

fn write_new(path: &Path, text: &str, mode: u32) -> Result<(), Failure> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options
        .open(path)
        .map_err(|err| Failure::input(format!("cannot create {}: {err}", path.display())))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|err| {
            Failure::new(
                Code::Failed,
                format!("cannot write {}: {err}", path.display()),
            )
        })
}
