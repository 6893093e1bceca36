//! Sealing: message and passphrases in, envelope bytes out, streaming.

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

use crate::crypto::{
    NONCE_LEN, PASSPHRASE_SLOT_AAD, header_mac, payload_key, words_slot_aad, wrap_key,
};
use crate::error::{Error, Result};
use crate::header::{self, Header, PAYLOAD_NONCE_LEN, Slot};
use crate::kdf::{KdfParams, SALT_LEN};
use crate::limits::{MAX_CONTENT_LEN, MAX_SLOT_WORDS, MAX_SLOTS};
use crate::manifest::{AttachmentInfo, DIGEST_LEN, Manifest, Trailer};
use crate::message::{Message, MessageDate, check_message_limits};
use crate::receipt::{ReceiptCode, ReceiptRecord, SlotCheck, envelope_id};
use crate::reply::{ENVELOPE_ID_LEN, ReplyRequest, ReplySlotKey, SlotKind};
use crate::secret::{Key, Passphrase};
use crate::stream::{PayloadCipher, StreamWriter};
use crate::typing::{SPOKEN_LIST, TypedWords};

/// How to seal: the passphrases that will open the envelope, the KDF cost,
/// and the public label and hint.
///
/// ```
/// use envelope_core::{KdfParams, Passphrase, SealOptions};
/// let options = SealOptions::new()
///     .passphrase(Passphrase::new("correct-horse-battery-staple-lamp-wind"))
///     .label("Secure message from Example Clinic")
///     .hint("the words we agreed on the phone");
/// assert_eq!(options.kdf_params(), KdfParams::DEFAULT);
/// ```
#[derive(Debug, Clone, Default)]
pub struct SealOptions {
    passphrases: Vec<SlotPassphrase>,
    kdf: KdfParams,
    label: Option<String>,
    hint: Option<String>,
    expires: Option<i64>,
    receipt_to: Option<String>,
    recovery_keys: Vec<crate::RecipientKey>,
    reply_request: Option<(String, crate::RecipientKey)>,
    in_reply_to: Option<[u8; ENVELOPE_ID_LEN]>,
    reply_slot: Option<ReplySlotKey>,
    virus_scan: Option<crate::VirusScan>,
    #[cfg(feature = "keys")]
    signer: Option<std::sync::Arc<crate::SigningIdentity>>,
}

/// A passphrase to seal to, and how openers are to read it.
#[derive(Debug, Clone)]
struct SlotPassphrase {
    passphrase: Passphrase,
    /// A generated passphrase (a words slot): read however it is typed.
    generated: bool,
}

impl SealOptions {
    /// No passphrase yet, default KDF cost, no label or hint.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a passphrase that will open the envelope (one key slot each),
    /// typed exactly: only its Unicode composition may differ (NFC).
    #[must_use]
    pub fn passphrase(mut self, passphrase: Passphrase) -> Self {
        self.passphrases.push(SlotPassphrase {
            passphrase,
            generated: false,
        });
        self
    }

    /// Adds a generated passphrase, words of the spoken list such as
    /// [`crate::generate_passphrase`] makes: its slot says so, and openers
    /// accept it however the words are spaced, joined and capitalised
    /// (spaces or dashes for hyphens, capitals, words run together). Sealing
    /// refuses it unless every word is one of the list's.
    #[must_use]
    pub fn generated_passphrase(mut self, passphrase: Passphrase) -> Self {
        self.passphrases.push(SlotPassphrase {
            passphrase,
            generated: true,
        });
        self
    }

    /// Sets the Argon2id cost. Keep the default unless every recipient's
    /// device is known: the cost is paid by the slowest one.
    #[must_use]
    pub fn kdf(mut self, params: KdfParams) -> Self {
        self.kdf = params;
        self
    }

    /// Sets the public label shown before decryption. It is not secret.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets an advisory not-after date (seconds since 1970, UTC): openers
    /// of this library and the page refuse the envelope after it, saying
    /// when it expired. It is authenticated with the header, but it cannot
    /// stop someone who changes their clock or uses another decryptor.
    #[must_use]
    pub fn expires(mut self, unix_seconds: i64) -> Self {
        self.expires = Some(unix_seconds);
        self
    }

    /// Also seals to a recovery key (an organisation's records office):
    /// one X25519 key slot, which the matching [`crate::Identity`] opens
    /// without any passphrase. Repeatable. A reply to an envelope is sealed
    /// to the key of its [`crate::ReplyRequest`] this way.
    #[must_use]
    pub fn recovery_key(mut self, key: crate::RecipientKey) -> Self {
        self.recovery_keys.push(key);
        self
    }

    /// Signs the envelope with `identity` (Ed25519): its header, manifest
    /// and every part's digest. The signature travels inside, so only
    /// those who open the envelope learn who signed it.
    #[cfg(feature = "keys")]
    #[must_use]
    pub fn sign(mut self, identity: crate::SigningIdentity) -> Self {
        self.signer = Some(std::sync::Arc::new(identity));
        self
    }

    /// Asks for a receipt at `address` (a plain `local@domain`): the page
    /// and `sealer open` offer whoever opens the envelope with a passphrase
    /// a receipt code to send there, which tells the sender which envelope
    /// was opened and through which slot. Seal with [`seal_with_receipt`],
    /// which returns what recognises the codes. The address travels inside
    /// the envelope (manifest field 0x0001).
    #[must_use]
    pub fn request_receipt(mut self, address: impl Into<String>) -> Self {
        self.receipt_to = Some(address.into());
        self
    }

    /// Asks for secure replies: whoever opens the envelope may answer with
    /// an envelope sealed to `key` (the organisation's reply key, made by
    /// `sealer keygen`), to be sent to `address` (a plain `local@domain`).
    /// Both travel inside the envelope, with its id (manifest field
    /// 0x0004).
    #[must_use]
    pub fn request_reply(mut self, address: impl Into<String>, key: crate::RecipientKey) -> Self {
        self.reply_request = Some((address.into(), key));
        self
    }

    /// Marks the envelope as the answer to the envelope whose id is
    /// `envelope` ([`crate::envelope_id`]; manifest field 0x0005).
    #[must_use]
    pub fn in_reply_to(mut self, envelope: [u8; ENVELOPE_ID_LEN]) -> Self {
        self.in_reply_to = Some(envelope);
        self
    }

    /// Seals the one passphrase slot with the key that opened the envelope
    /// being answered ([`crate::PayloadKey::reply_slot_key`]): the same kind
    /// of slot, the same salt and Argon2id cost, so the same passphrase
    /// opens the reply and no key derivation runs. It replaces the salt and
    /// cost, and cannot be combined with [`Self::passphrase`] or
    /// [`Self::generated_passphrase`].
    #[must_use]
    pub fn reply_slot(mut self, key: ReplySlotKey) -> Self {
        self.kdf = key.kdf;
        self.reply_slot = Some(key);
        self
    }

    /// Records what was checked for viruses before sealing (manifest field
    /// 0x0006): inside the encrypted manifest, so only recipients learn it,
    /// and under the sender signature when there is one.
    #[must_use]
    pub fn virus_scan(mut self, scan: crate::VirusScan) -> Self {
        self.virus_scan = Some(scan);
        self
    }

    /// Sets the public passphrase hint. It is not secret.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The Argon2id parameters that will be used.
    pub fn kdf_params(&self) -> KdfParams {
        self.kdf
    }

    fn check(&self) -> Result<()> {
        if let Some(key) = &self.reply_slot {
            if !self.passphrases.is_empty() {
                return Err(Error::invalid(
                    "a reply sealed with the key that opened the original has no other passphrase",
                ));
            }
            if self.kdf != key.kdf {
                return Err(Error::invalid(
                    "a reply sealed with the key that opened the original keeps its Argon2id cost",
                ));
            }
        } else if self.passphrases.is_empty() {
            return Err(Error::invalid("no passphrase was given"));
        }
        if self.passphrases().any(Passphrase::is_empty) {
            return Err(Error::invalid("a passphrase is empty"));
        }
        for slot in self.passphrases.iter().filter(|slot| slot.generated) {
            slot_words(&slot.passphrase)?;
        }
        let slots = self.passphrases.len()
            + self.recovery_keys.len()
            + usize::from(self.reply_slot.is_some());
        Error::check_limit("key slots", MAX_SLOTS.into(), slots as u64)?;
        self.kdf.check_caps()?;
        if !self.kdf.is_valid() {
            return Err(Error::invalid(
                "the Argon2id parameters are invalid (t and p must be at least 1, m at least 8·p KiB)",
            ));
        }
        Ok(())
    }
}

/// A source of random bytes; the operating system's in production.
pub(crate) type Randomness<'a> = &'a mut dyn FnMut(&mut [u8]) -> Result<()>;

fn os_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf)
        .map_err(|err| Error::Io(io::Error::other(format!("no randomness available: {err}"))))
}

/// Seals `message` into `output`, streaming: attachments given as readers are
/// read once, in 64 KiB pieces, and never held whole in memory.
///
/// Returns the writer after the last byte was written and flushed.
///
/// # Errors
///
/// [`Error::InvalidInput`] or [`Error::LimitExceeded`] when the message or
/// options cannot be sealed (checked before anything is written), and
/// [`Error::Io`] when reading an attachment or writing fails.
///
/// # Security
///
/// On error, `output` may hold part of an envelope; discard it. Write to a
/// temporary file and rename it into place once this returns `Ok`.
pub fn seal<W: Write>(message: Message, options: &SealOptions, output: W) -> Result<W> {
    if options.receipt_to.is_some() {
        return Err(Error::invalid(
            "a receipt was requested: seal with seal_with_receipt, which returns what \
             recognises the receipt codes",
        ));
    }
    seal_with_randomness(message, options, output, &mut os_random).map(|(output, _)| output)
}

/// Seals like [`seal`] an envelope that asks for a receipt
/// ([`SealOptions::request_receipt`]), and returns with the writer the
/// [`ReceiptRecord`] to keep (in a sent-log): it recognises each slot's
/// receipt code later and holds no secret.
///
/// # Errors
///
/// As [`seal`], and [`Error::InvalidInput`] when no receipt was requested.
pub fn seal_with_receipt<W: Write>(
    message: Message,
    options: &SealOptions,
    output: W,
) -> Result<(W, ReceiptRecord)> {
    let (output, record) = seal_with_randomness(message, options, output, &mut os_random)?;
    let record = record
        .ok_or_else(|| Error::invalid("no receipt was requested (SealOptions::request_receipt)"))?;
    Ok((output, record))
}

/// Seals `message` into a new byte vector. For small messages.
///
/// # Errors
///
/// As [`seal`].
pub fn seal_to_vec(message: Message, options: &SealOptions) -> Result<Vec<u8>> {
    seal(message, options, Vec::new())
}

pub(crate) fn seal_with_randomness<W: Write>(
    message: Message,
    options: &SealOptions,
    output: W,
    random: Randomness<'_>,
) -> Result<(W, Option<ReceiptRecord>)> {
    options.check()?;
    check_message_limits(&message)?;
    // Checked with a stand-in id first, so that nothing slow runs for a
    // message that cannot be sealed; encoded again once the header (and so
    // the envelope's id) exists.
    let manifest = manifest_of(&message, options, [0; ENVELOPE_ID_LEN])?;
    let content_len = 4 + manifest.encode()?.len() as u64 + manifest.parts_len();
    Error::check_limit("total content size", MAX_CONTENT_LEN, content_len)?;

    let mut file_key = Key([0u8; 32]);
    random(&mut file_key.0)?;
    let (header, keks) = build_header(options, &file_key, random)?;
    let manifest = Manifest {
        reply_request: manifest.reply_request.map(|request| ReplyRequest {
            envelope: envelope_id(header.as_bytes()),
            ..request
        }),
        ..manifest
    };
    let manifest_bytes = manifest.encode()?;
    let receipt = options
        .receipt_to
        .as_ref()
        .map(|reply_to| receipt_record(&header, &keks, reply_to));
    drop(keks);
    let mut output = output;
    output.write_all(header.as_bytes())?;

    let cipher = PayloadCipher::new(&payload_key(&file_key, &header.payload_nonce));
    let mut stream = StreamWriter::new(output, cipher);
    stream.write_all(&(manifest_bytes.len() as u32).to_be_bytes())?;
    stream.write_all(&manifest_bytes)?;
    let mut digests = Vec::with_capacity(manifest.parts().len());
    let Message {
        text_body,
        html_body,
        attachments,
        ..
    } = message;
    digests.push(copy_part(
        text_body.as_bytes(),
        text_body.len() as u64,
        &mut stream,
        "text body",
    )?);
    if let Some(html) = &html_body {
        digests.push(copy_part(
            html.as_bytes(),
            html.len() as u64,
            &mut stream,
            "HTML body",
        )?);
    }
    for attachment in attachments {
        let len = attachment.len();
        let name = attachment.name().to_owned();
        digests.push(copy_part(
            attachment.into_reader(),
            len,
            &mut stream,
            &name,
        )?);
    }
    #[cfg(feature = "keys")]
    let signature = options.signer.as_ref().map(|identity| {
        crate::signature::sign(identity, header.as_bytes(), &manifest_bytes, &digests).to_vec()
    });
    #[cfg(not(feature = "keys"))]
    let signature = None;
    stream.write_all(&Trailer { digests, signature }.encode())?;
    Ok((stream.finish()?, receipt))
}

/// The check value of every passphrase slot's receipt code.
fn receipt_record(header: &Header, keks: &[Key], reply_to: &str) -> ReceiptRecord {
    let envelope_id = envelope_id(header.as_bytes());
    ReceiptRecord {
        envelope_id,
        reply_to: reply_to.to_owned(),
        slots: keks
            .iter()
            .enumerate()
            .map(|(slot, kek)| SlotCheck {
                slot,
                check: ReceiptCode::derive(kek, &envelope_id, slot).check_value(),
            })
            .collect(),
    }
}

fn manifest_of(
    message: &Message,
    options: &SealOptions,
    envelope: [u8; ENVELOPE_ID_LEN],
) -> Result<Manifest> {
    Ok(Manifest {
        from: message.from.clone(),
        to: message.to.clone(),
        cc: message.cc.clone(),
        subject: message.subject.clone(),
        date: date_of(message)?,
        text_body_len: message.text_body.len() as u64,
        html_body_len: message.html_body.as_ref().map(|h| h.len() as u64),
        attachments: message
            .attachments
            .iter()
            .map(|a| AttachmentInfo {
                name: a.name().to_owned(),
                media_type: a.media_type().to_owned(),
                size: a.len(),
                content_id: a.content_id().map(str::to_owned),
            })
            .collect(),
        original_headers: message.original_headers.clone(),
        receipt_to: options.receipt_to.clone(),
        reply_request: options
            .reply_request
            .as_ref()
            .map(|(to, key)| ReplyRequest {
                to: to.clone(),
                key: key.to_bytes(),
                envelope,
            }),
        in_reply_to: options.in_reply_to,
        virus_scan: options.virus_scan.clone(),
    })
}

/// The message's date, or now.
fn date_of(message: &Message) -> Result<MessageDate> {
    match message.date {
        Some(date) => Ok(date),
        #[cfg(not(target_arch = "wasm32"))]
        None => Ok(MessageDate::now()),
        #[cfg(target_arch = "wasm32")]
        None => Err(Error::invalid(
            "a message sealed in WebAssembly needs its date (there is no clock here)",
        )),
    }
}

/// Derives a key per passphrase, wraps the file key in one slot each, and
/// returns the MACed header with the passphrase slots' key-encryption keys
/// (slot `i` is passphrase `i`), from which receipt codes are derived.
fn build_header(
    options: &SealOptions,
    file_key: &Key,
    random: Randomness<'_>,
) -> Result<(Header, Vec<Key>)> {
    let mut salt = [0u8; SALT_LEN];
    random(&mut salt)?;
    if let Some(key) = &options.reply_slot {
        salt = key.salt;
    }
    let mut payload_nonce = [0u8; PAYLOAD_NONCE_LEN];
    random(&mut payload_nonce)?;
    let mut slots = Vec::with_capacity(options.passphrases.len());
    let mut keks = Vec::with_capacity(options.passphrases.len());
    for slot in &options.passphrases {
        let mut nonce = [0u8; NONCE_LEN];
        random(&mut nonce)?;
        let (slot, kek) = passphrase_slot(slot, &options.kdf, &salt, nonce, file_key)?;
        slots.push(slot);
        keks.push(kek);
    }
    if let Some(key) = &options.reply_slot {
        let mut nonce = [0u8; NONCE_LEN];
        random(&mut nonce)?;
        slots.push(reopened_slot(key, nonce, file_key));
        keks.push(key.kek.clone());
    }
    for recipient in &options.recovery_keys {
        let mut secret = [0u8; 32];
        random(&mut secret)?;
        let wrapped = crate::recipient::wrap_for(recipient, secret, file_key);
        zeroize::Zeroize::zeroize(&mut secret);
        let (ephemeral, wrapped) = wrapped?;
        slots.push(Slot::X25519 { ephemeral, wrapped });
    }
    let unmacked = Header::encode_unmacked(
        options.kdf,
        salt,
        payload_nonce,
        &slots,
        options.label.as_deref(),
        options.hint.as_deref(),
        options.expires,
    )?;
    let mac = header_mac(file_key, &unmacked);
    Ok((header::finish_with_mac(unmacked, mac)?, keks))
}

/// Copies exactly `len` bytes of one part into the stream, returning their
/// SHA-256.
fn copy_part<W: Write>(
    mut source: impl Read,
    len: u64,
    stream: &mut StreamWriter<W>,
    what: &str,
) -> Result<[u8; DIGEST_LEN]> {
    let mut hasher = Sha256::new();
    let mut left = len;
    while left > 0 {
        let max = usize::try_from(left).unwrap_or(usize::MAX);
        let piece = stream.read_from(&mut source, max)?;
        if piece.is_empty() {
            return Err(Error::invalid(format!(
                "{what} ended after {} of its {len} bytes (did the file change while sealing?)",
                len - left
            )));
        }
        hasher.update(piece);
        left -= piece.len() as u64;
    }
    let mut probe = [0u8; 1];
    let longer = loop {
        match source.read(&mut probe) {
            Ok(n) => break n > 0,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(Error::Io(err)),
        }
    };
    if longer {
        return Err(Error::invalid(format!(
            "{what} is longer than the {len} bytes announced (did the file change while sealing?)"
        )));
    }
    Ok(hasher.finalize().into())
}

/// The key slot for one passphrase, and its key-encryption key.
fn passphrase_slot(
    slot: &SlotPassphrase,
    kdf: &KdfParams,
    salt: &[u8; SALT_LEN],
    nonce: [u8; NONCE_LEN],
    file_key: &Key,
) -> Result<(Slot, Key)> {
    if !slot.generated {
        let kek = kdf.derive(&slot.passphrase, salt)?;
        let wrapped = wrap_key(&kek, &nonce, PASSPHRASE_SLOT_AAD, file_key);
        return Ok((Slot::Passphrase { nonce, wrapped }, kek));
    }
    let (words, canonical) = slot_words(&slot.passphrase)?;
    let kek = kdf.derive(&canonical, salt)?;
    let aad = words_slot_aad(words, SPOKEN_LIST);
    let wrapped = wrap_key(&kek, &nonce, &aad, file_key);
    let slot = Slot::Words {
        words,
        list: SPOKEN_LIST,
        nonce,
        wrapped,
    };
    Ok((slot, kek))
}

/// The passphrase slot of a reply, under the key that opened the original.
fn reopened_slot(key: &ReplySlotKey, nonce: [u8; NONCE_LEN], file_key: &Key) -> Slot {
    match key.kind {
        SlotKind::Chosen => Slot::Passphrase {
            nonce,
            wrapped: wrap_key(&key.kek, &nonce, PASSPHRASE_SLOT_AAD, file_key),
        },
        SlotKind::Words { words, list } => Slot::Words {
            words,
            list,
            nonce,
            wrapped: wrap_key(&key.kek, &nonce, &words_slot_aad(words, list), file_key),
        },
    }
}

/// A generated passphrase's word count and canonical form (what openers
/// derive the key from).
fn slot_words(passphrase: &Passphrase) -> Result<(u8, Passphrase)> {
    let typed = TypedWords::read(passphrase.expose());
    let Some(canonical) = typed.canonical() else {
        return Err(Error::invalid(
            "a generated passphrase must be words of the spoken list, and this one has a word that is not",
        ));
    };
    match u8::try_from(typed.count()) {
        Ok(words @ 1..=MAX_SLOT_WORDS) => Ok((words, canonical)),
        _ => Err(Error::invalid(format!(
            "a generated passphrase has 1 to {MAX_SLOT_WORDS} words, not {}",
            typed.count()
        ))),
    }
}

/// What the options hold, for checks before sealing (that no public field
/// gives a passphrase away, for one).
impl SealOptions {
    /// The passphrases, one slot each, chosen and generated alike.
    pub fn passphrases(&self) -> impl Iterator<Item = &Passphrase> {
        self.passphrases.iter().map(|slot| &slot.passphrase)
    }

    /// The public label, if set.
    pub fn shown_label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// The public hint, if set.
    pub fn shown_hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Deterministic sealing for test vectors.
    use super::*;

    /// A SHA-256 counter-mode byte generator: reproducible, for tests only.
    pub(crate) struct TestRandom {
        seed: [u8; 32],
        counter: u64,
    }

    impl TestRandom {
        pub(crate) fn new(seed: &str) -> Self {
            TestRandom {
                seed: Sha256::digest(seed.as_bytes()).into(),
                counter: 0,
            }
        }

        pub(crate) fn fill(&mut self, buf: &mut [u8]) -> Result<()> {
            for piece in buf.chunks_mut(32) {
                let mut h = Sha256::new();
                h.update(self.seed);
                h.update(self.counter.to_be_bytes());
                self.counter += 1;
                let block: [u8; 32] = h.finalize().into();
                piece.copy_from_slice(&block[..piece.len()]);
            }
            Ok(())
        }
    }

    pub(crate) fn seal_deterministic(
        message: Message,
        options: &SealOptions,
        seed: &str,
    ) -> Result<Vec<u8>> {
        let mut rng = TestRandom::new(seed);
        seal_with_randomness(message, options, Vec::new(), &mut |b| rng.fill(b))
            .map(|(envelope, _)| envelope)
    }

    /// Builds an envelope around arbitrary content bytes, correctly
    /// encrypted and MACed: for vectors whose *content* is malformed.
    pub(crate) fn seal_raw_content(
        content: &[u8],
        options: &SealOptions,
        seed: &str,
    ) -> Result<Vec<u8>> {
        let mut rng = TestRandom::new(seed);
        let mut random = |b: &mut [u8]| rng.fill(b);
        let mut file_key = Key([0u8; 32]);
        random(&mut file_key.0)?;
        let (header, _) = build_header(options, &file_key, &mut random)?;
        let mut out = header.as_bytes().to_vec();
        let cipher = PayloadCipher::new(&payload_key(&file_key, &header.payload_nonce));
        let mut stream = StreamWriter::new(&mut out, cipher);
        stream.write_all(content)?;
        stream.finish()?;
        Ok(out)
    }

    /// Re-MACs a header edited in place, given the seed it was sealed with
    /// (the file key is the generator's first 32 bytes).
    pub(crate) fn remac_header(envelope: &mut [u8], header_len: usize, seed: &str) {
        let mut rng = TestRandom::new(seed);
        let mut file_key = Key([0u8; 32]);
        let _ = rng.fill(&mut file_key.0);
        let mac = header_mac(&file_key, &envelope[..header_len - 32]);
        envelope[header_len - 32..header_len].copy_from_slice(&mac);
    }
}
