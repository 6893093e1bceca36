//! Argon2id: from a passphrase to a key-encryption key.

use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Error, Result};
use crate::limits::{MAX_ARGON2_M_KIB, MAX_ARGON2_P, MAX_ARGON2_T};
use crate::secret::{Key, Passphrase};

/// The Argon2id output for one passphrase: the key-encryption key that every
/// passphrase slot is tried with. An opener that runs Argon2id elsewhere (the
/// browser page runs it in a Worker) carries it across as bytes and finishes
/// with [`crate::PayloadKey::unlock_with`]. Wiped on drop.
#[derive(Clone)]
pub struct PassphraseKey(pub(crate) Key);

impl PassphraseKey {
    /// Derives the key for `passphrase` with these parameters and salt (for
    /// an envelope: [`crate::Header::kdf`] and [`crate::Header::salt`]).
    ///
    /// # Errors
    ///
    /// [`Error::LimitExceeded`] when the parameters are over the caps,
    /// [`Error::Damaged`] when Argon2id rejects them. No work is done then.
    pub fn derive(
        params: &KdfParams,
        passphrase: &Passphrase,
        salt: &[u8; SALT_LEN],
    ) -> Result<PassphraseKey> {
        params.check_caps()?;
        params.derive(passphrase, salt).map(PassphraseKey)
    }

    /// A key carried as bytes (from [`Self::expose_bytes`]).
    pub fn from_bytes(bytes: [u8; 32]) -> PassphraseKey {
        PassphraseKey(Key(bytes))
    }

    /// The raw key: for handing it between threads of one opener only.
    pub fn expose_bytes(&self) -> &[u8; 32] {
        self.0.bytes()
    }
}

impl std::fmt::Debug for PassphraseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PassphraseKey(<redacted>)")
    }
}

/// The KDF identifier for Argon2id version 0x13 (the only one in format 1).
pub(crate) const KDF_ARGON2ID: u8 = 1;
/// Bytes of Argon2id salt.
pub const SALT_LEN: usize = 16;

/// Argon2id cost parameters.
///
/// They are fixed for the weakest device a recipient may use, not calibrated
/// on the sender's machine: a phone must finish the derivation in seconds.
/// The defaults are RFC 9106's second recommended option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub m_kib: u32,
    /// Time cost (passes over memory).
    pub t: u32,
    /// Parallelism (lanes).
    pub p: u32,
}

impl KdfParams {
    /// m = 64 MiB, t = 3, p = 4.
    pub const DEFAULT: KdfParams = KdfParams {
        m_kib: 64 * 1024,
        t: 3,
        p: 4,
    };

    /// Refuses parameters above the opener's caps, before any work is done.
    ///
    /// # Errors
    ///
    /// [`Error::LimitExceeded`] naming the parameter that is too high.
    pub fn check_caps(&self) -> Result<()> {
        Error::check_limit(
            "Argon2id memory cost (KiB)",
            MAX_ARGON2_M_KIB.into(),
            self.m_kib.into(),
        )?;
        Error::check_limit("Argon2id time cost", MAX_ARGON2_T.into(), self.t.into())?;
        Error::check_limit("Argon2id parallelism", MAX_ARGON2_P.into(), self.p.into())
    }

    fn argon2(&self) -> Option<Argon2<'static>> {
        let params = Params::new(self.m_kib, self.t, self.p, Some(32)).ok()?;
        Some(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Whether Argon2id accepts these parameters at all (t ≥ 1, p ≥ 1,
    /// m ≥ 8·p KiB).
    pub fn is_valid(&self) -> bool {
        self.argon2().is_some()
    }

    /// Derives the 256-bit key-encryption key.
    ///
    /// Callers check [`Self::check_caps`] and [`Self::is_valid`] first; an
    /// invalid set here is reported as a damaged header.
    pub(crate) fn derive(&self, passphrase: &Passphrase, salt: &[u8; SALT_LEN]) -> Result<Key> {
        let argon2 = self
            .argon2()
            .ok_or_else(|| Error::damaged("the Argon2id parameters are invalid"))?;
        let mut key = Key([0u8; 32]);
        argon2
            .hash_password_into(passphrase.expose().as_bytes(), salt, &mut key.0)
            .map_err(|_| Error::damaged("the Argon2id parameters are invalid"))?;
        Ok(key)
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl KdfParams {
    /// The cheapest parameters Argon2id accepts (m = 8 KiB, t = 1, p = 1):
    /// for tests and benchmarks that seal many envelopes, where the key
    /// derivation's cost is not what is tested. Never for a real envelope:
    /// they make a passphrase as easy to guess as a hash.
    pub const MIN: KdfParams = KdfParams {
        m_kib: 8,
        t: 1,
        p: 1,
    };
}
