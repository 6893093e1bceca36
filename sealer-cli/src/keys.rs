//! Key files, as `sealer keygen` writes them: recovery keys (X25519) and
//! signing keys (Ed25519). Public halves are read as they are; private
//! ones must be readable by their owner only (see [`crate::files`]).

use std::path::Path;

use envelope_core::{Identity, RecipientKey, SignerKey, SigningIdentity};

use crate::files::{read_private_text, read_small_text};
use crate::{Error, ErrorKind, Result};

/// The recovery key (a public key) in `path`.
///
/// # Errors
///
/// [`ErrorKind::Unreadable`] when the file cannot be read;
/// [`ErrorKind::InvalidInput`] when it holds no recovery key.
pub fn read_recovery_key(path: &Path) -> Result<RecipientKey> {
    let text = read_small_text(path)?;
    RecipientKey::from_text(&text).map_err(|err| not_a_key(path, err))
}

/// The signer's public key in `path`.
///
/// # Errors
///
/// As [`read_recovery_key`].
pub fn read_signer(path: &Path) -> Result<SignerKey> {
    let text = read_small_text(path)?;
    SignerKey::from_text(&text).map_err(|err| not_a_key(path, err))
}

/// The recovery identity (a private key) in `path`.
///
/// # Errors
///
/// As [`crate::files::read_private_text`]; [`ErrorKind::InvalidInput`]
/// when it holds no identity.
pub fn read_identity(path: &Path) -> Result<Identity> {
    let text = read_private_text(path)?;
    Identity::from_text(&text).map_err(|err| not_a_key(path, err))
}

/// The signing key (a private key) in `path`.
///
/// # Errors
///
/// As [`read_identity`].
pub fn read_signing_key(path: &Path) -> Result<SigningIdentity> {
    let text = read_private_text(path)?;
    SigningIdentity::from_text(&text).map_err(|err| not_a_key(path, err))
}

fn not_a_key(path: &Path, err: envelope_core::Error) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("{}: {err}", path.display()),
    )
    .with_source(err)
}
