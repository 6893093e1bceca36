//! Sender signatures: an Ed25519 signature, inside the encrypted trailer
//! (trailer field 0x0001, `manifest::TRAILER_SIGNATURE`), over the envelope's header (MAC included, so it
//! cannot be moved to another envelope), its manifest and every part's
//! digest. Only someone who opens the envelope sees who signed it.
//!
//! ```text
//! signed = SHA-256("sealed-envelope v1 signature" ‖ SHA-256(header) ‖
//!                  SHA-256(manifest) ‖ digest of each part)
//! value  = signer public key (32) ‖ Ed25519 signature of `signed` (64)
//! ```
//!
//! A valid signature says "whoever holds this key sealed this". It means
//! something only when the recipient checks the signer's fingerprint
//! against one received another way.

use ed25519_dalek::{Signature, Verifier, VerifyingKey};
#[cfg(feature = "keys")]
use ed25519_dalek::{Signer, SigningKey};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::keytext::{fingerprint, hex, parse_key};
use crate::manifest::DIGEST_LEN;

/// Length of the field's value.
pub(crate) const SIGNATURE_FIELD_LEN: usize = 32 + 64;

const CONTEXT: &[u8] = b"sealed-envelope v1 signature";
const PUBLIC_PREFIX: &str = "sealer-ed25519:";
#[cfg(feature = "keys")]
const SECRET_PREFIX: &str = "SEALER-ED25519-SECRET:";

/// A signer's public key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SignerKey([u8; 32]);

impl std::fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SignerKey({})", self.fingerprint())
    }
}

impl SignerKey {
    /// The key as text: `sealer-ed25519:` and 64 hex digits.
    pub fn to_text(&self) -> String {
        format!("{PUBLIC_PREFIX}{}", hex(&self.0))
    }

    /// Reads a key written by [`SignerKey::to_text`] (the first line that is
    /// not a `#` comment).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when it is not a signer's public key.
    pub fn from_text(text: &str) -> Result<SignerKey> {
        let bytes = parse_key(text, PUBLIC_PREFIX, "a signer key", "the signing key file")?;
        VerifyingKey::from_bytes(&bytes)
            .map_err(|_| Error::invalid("the signer key is not an Ed25519 public key"))?;
        Ok(SignerKey(bytes))
    }

    /// A short name to compare by eye: the first 16 hex digits of the
    /// SHA-256 of the key, in groups of four.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.0)
    }
}

/// A signing key (private). Wiped from memory when dropped.
#[cfg(feature = "keys")]
pub struct SigningIdentity(SigningKey);

#[cfg(feature = "keys")]
impl std::fmt::Debug for SigningIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningIdentity(for {})", self.signer().fingerprint())
    }
}

#[cfg(feature = "keys")]
impl SigningIdentity {
    /// A new signing key, from the system's random number generator.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when there is no randomness.
    #[cfg(feature = "seal")]
    pub fn generate() -> Result<SigningIdentity> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|err| Error::Io(std::io::Error::other(err)))?;
        let key = SigningKey::from_bytes(&bytes);
        zeroize::Zeroize::zeroize(&mut bytes);
        Ok(SigningIdentity(key))
    }

    /// Its public key, for recipients to check signatures with.
    pub fn signer(&self) -> SignerKey {
        SignerKey(self.0.verifying_key().to_bytes())
    }

    /// The private key as text (`SEALER-ED25519-SECRET:` and 64 hex
    /// digits). Whoever reads it can sign as you.
    pub fn expose_text(&self) -> String {
        format!("{SECRET_PREFIX}{}", hex(self.0.as_bytes()))
    }

    /// Reads a key written by [`SigningIdentity::expose_text`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when it is not a signing key.
    pub fn from_text(text: &str) -> Result<SigningIdentity> {
        let mut bytes = parse_key(text, SECRET_PREFIX, "a signing key", "the signer key file")?;
        let key = SigningKey::from_bytes(&bytes);
        zeroize::Zeroize::zeroize(&mut bytes);
        Ok(SigningIdentity(key))
    }
}

/// What an envelope's signature says, once the envelope verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureCheck {
    /// Signed by this key, and the signature verifies.
    Valid(SignerKey),
    /// It claims this signer, but the signature does not verify: the
    /// envelope was sealed by someone else (who knew its file key, such as
    /// another recipient) or the signature is forged.
    Invalid(SignerKey),
}

/// The 32 bytes that are signed.
fn signed_digest(header: &[u8], manifest: &[u8], digests: &[[u8; DIGEST_LEN]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(CONTEXT);
    hasher.update(Sha256::digest(header));
    hasher.update(Sha256::digest(manifest));
    for digest in digests {
        hasher.update(digest);
    }
    hasher.finalize().into()
}

/// The trailer field value signing this envelope.
#[cfg(feature = "keys")]
pub(crate) fn sign(
    identity: &SigningIdentity,
    header: &[u8],
    manifest: &[u8],
    digests: &[[u8; DIGEST_LEN]],
) -> [u8; SIGNATURE_FIELD_LEN] {
    let signature = identity.0.sign(&signed_digest(header, manifest, digests));
    let mut value = [0u8; SIGNATURE_FIELD_LEN];
    value[..32].copy_from_slice(&identity.0.verifying_key().to_bytes());
    value[32..].copy_from_slice(&signature.to_bytes());
    value
}

/// Checks a signature field's `value` against the envelope it came in.
///
/// # Errors
///
/// [`Error::Damaged`] when the value is not 96 bytes.
pub(crate) fn check(
    value: &[u8],
    header: &[u8],
    manifest: &[u8],
    digests: &[[u8; DIGEST_LEN]],
) -> Result<SignatureCheck> {
    if value.len() != SIGNATURE_FIELD_LEN {
        return Err(Error::damaged("the signature field is not 96 bytes"));
    }
    let mut public = [0u8; 32];
    public.copy_from_slice(&value[..32]);
    let mut signature = [0u8; 64];
    signature.copy_from_slice(&value[32..]);
    let signer = SignerKey(public);
    let valid = VerifyingKey::from_bytes(&public).is_ok_and(|key| {
        key.verify(
            &signed_digest(header, manifest, digests),
            &Signature::from_bytes(&signature),
        )
        .is_ok()
    });
    Ok(if valid {
        SignatureCheck::Valid(signer)
    } else {
        SignatureCheck::Invalid(signer)
    })
}

#[cfg(all(test, feature = "seal"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_what_was_signed() {
        let identity = SigningIdentity::generate().unwrap();
        let signer = identity.signer();
        assert_eq!(SignerKey::from_text(&signer.to_text()).unwrap(), signer);
        let again = SigningIdentity::from_text(&identity.expose_text()).unwrap();
        assert_eq!(again.signer(), signer);
        assert!(SignerKey::from_text(&identity.expose_text()).is_err());

        let digests = [[1u8; 32], [2u8; 32]];
        let value = sign(&identity, b"header", b"manifest", &digests);
        assert_eq!(
            check(&value, b"header", b"manifest", &digests).unwrap(),
            SignatureCheck::Valid(signer)
        );
        for (header, manifest, digests) in [
            (&b"other"[..], &b"manifest"[..], &digests[..]),
            (b"header", b"other", &digests[..]),
            (b"header", b"manifest", &digests[..1]),
        ] {
            assert_eq!(
                check(&value, header, manifest, digests).unwrap(),
                SignatureCheck::Invalid(signer)
            );
        }
        assert!(check(&value[..95], b"header", b"manifest", &digests).is_err());
    }
}
