//! Keys on disk: `sealer keygen` writes a recovery key pair (X25519) or a
//! signing key pair (Ed25519); `seal --recovery-key` and `open --signer`
//! read public halves, `open --identity` and `seal --sign` private ones,
//! which must be readable by their owner only.

use std::path::{Path, PathBuf};

use envelope_core::{Identity, SigningIdentity};

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
    write_new(&args.output, &pair.secret, true)?;
    if let Err(err) = write_new(&public_path, &pair.public, false) {
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

pub(crate) use sealer::keys::{read_identity, read_recovery_key, read_signer, read_signing_key};

/// Writes a key file: the private half readable by its owner only, the
/// public half as any file.
fn write_new(path: &Path, text: &str, private: bool) -> Result<(), Failure> {
    let written = if private {
        sealer::files::write_private_file(path, text.as_bytes())
    } else {
        sealer::files::write_file(path, text.as_bytes(), false)
    };
    written.map_err(|err| {
        let code = match err.kind() {
            std::io::ErrorKind::AlreadyExists | std::io::ErrorKind::NotFound => Code::Input,
            _ => Code::Failed,
        };
        Failure::new(code, format!("cannot create {}: {err}", path.display()))
    })
}
