//! Keys on disk: `sealer keygen` writes a recovery key pair (X25519) or a
//! signing key pair (Ed25519); `seal --recovery-key` and `open --signer`
//! read public halves, `open --identity` and `seal --sign` private ones,
//! which must be readable by their owner only.

use std::path::{Path, PathBuf};

use envelope_core::{Identity, RecipientKey, SignerKey, SigningIdentity};

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
    let pair = if args.signing {
        signing_pair()
    } else {
        recovery_pair()
    }
    .map_err(|err| Failure::new(Code::Failed, err.to_string()))?;
    write_new(&args.output, &pair.secret, 0o600)?;
    if let Err(err) = write_new(&public_path, &pair.public, 0o644) {
        let _ = std::fs::remove_file(&args.output);
        return Err(err);
    }
    println!(
        "Wrote the {} to {} (readable only by you) and the {} to {}.\nFingerprint: {}",
        pair.private_name,
        args.output.display(),
        pair.public_name,
        public_path.display(),
        pair.fingerprint
    );
    Ok(())
}

/// A new key pair as the text of its two files.
struct KeyPair {
    secret: String,
    public: String,
    fingerprint: String,
    private_name: &'static str,
    public_name: &'static str,
}

fn recovery_pair() -> envelope_core::Result<KeyPair> {
    let identity = Identity::generate()?;
    let recipient = identity.recipient();
    Ok(KeyPair {
        secret: format!(
            "# sealer recovery identity (X25519). It opens every envelope sealed to\n\
             # {} (fingerprint {}).\n\
             # Keep it offline, readable only by the records office.\n{}\n",
            recipient.to_text(),
            recipient.fingerprint(),
            identity.expose_text()
        ),
        public: format!(
            "# sealer recovery key (X25519), fingerprint {}: seal with --recovery-key\n{}\n",
            recipient.fingerprint(),
            recipient.to_text()
        ),
        fingerprint: recipient.fingerprint(),
        private_name: "identity",
        public_name: "recovery key",
    })
}

fn signing_pair() -> envelope_core::Result<KeyPair> {
    let identity = SigningIdentity::generate()?;
    let signer = identity.signer();
    Ok(KeyPair {
        secret: format!(
            "# sealer signing key (Ed25519) for {} (fingerprint {}).\n\
             # Whoever reads it can sign as you: keep it readable only by you.\n{}\n",
            signer.to_text(),
            signer.fingerprint(),
            identity.expose_text()
        ),
        public: format!(
            "# sealer signer key (Ed25519), fingerprint {}: give it to recipients, who check \
             with sealer open --signer\n{}\n",
            signer.fingerprint(),
            signer.to_text()
        ),
        fingerprint: signer.fingerprint(),
        private_name: "signing key",
        public_name: "signer key",
    })
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
    let text = read_private(path)?;
    Identity::from_text(&text).map_err(|err| Failure::input(format!("{}: {err}", path.display())))
}

/// The signing key in `path`, refused if others can read the file.
pub(crate) fn read_signing_key(path: &Path) -> Result<SigningIdentity, Failure> {
    let text = read_private(path)?;
    SigningIdentity::from_text(&text)
        .map_err(|err| Failure::input(format!("{}: {err}", path.display())))
}

/// The signer's public key in `path`.
pub(crate) fn read_signer(path: &Path) -> Result<SignerKey, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| Failure::input(format!("cannot read {}: {err}", path.display())))?;
    SignerKey::from_text(&text).map_err(|err| Failure::input(format!("{}: {err}", path.display())))
}

/// A private key file's text, refused if others can read it.
fn read_private(path: &Path) -> Result<String, Failure> {
    let unreadable =
        |err: std::io::Error| Failure::input(format!("cannot read {}: {err}", path.display()));
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    sealer::files::check_private(&file, path).map_err(|err| match err.kind() {
        std::io::ErrorKind::PermissionDenied => Failure::input(err.to_string()),
        _ => unreadable(err),
    })?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::Read::take(&mut file, 64 * 1024), &mut text)
        .map_err(unreadable)?;
    Ok(text)
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
