//! Opening: read the public header, unlock with a passphrase, then read the
//! content as a stream, or jump to one part when the input can seek.

use std::io::{self, Read, Seek, SeekFrom, Write};

use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use crate::error::{Error, Result};
use crate::header::Header;
use crate::layout::{ContentLayout, PartDigests, PayloadKey};
use crate::limits::{CHUNK_SIZE, MAX_TRAILER_LEN};
use crate::manifest::{AttachmentInfo, DIGEST_LEN, Manifest, PartKind, Trailer};
use crate::receipt::{Receipt, ReceiptCode, envelope_id};
use crate::secret::Passphrase;
use crate::stream::{ENCRYPTED_CHUNK_SIZE, PayloadCipher, PayloadLayout, StreamReader};

/// An envelope whose public header has been read and checked against every
/// limit, waiting for a passphrase. No key derivation has happened yet.
///
/// ```
/// # use envelope_core::*;
/// use std::io::Read;
/// # let options = SealOptions::new().passphrase(Passphrase::new("six random words go right here"))
/// #     .kdf(KdfParams { m_kib: 64, t: 1, p: 1 }).label("From the clinic");
/// # let bytes = seal_to_vec(Message::new().subject("Hi").text_body("Hello"), &options)?;
/// let envelope = Envelope::new(&bytes[..])?;
/// assert_eq!(envelope.header().label.as_deref(), Some("From the clinic"));
/// let mut content = envelope.unlock(&Passphrase::new("six random words go right here"))?;
/// assert_eq!(content.manifest().subject, "Hi");
/// let mut body = String::new();
/// content.next_part()?.expect("text body").read_to_string(&mut body)?;
/// content.finish()?; // only now is the whole envelope proven intact
/// assert_eq!(body, "Hello");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Envelope<R> {
    header: Header,
    reader: R,
}

impl<R: Read> Envelope<R> {
    /// Reads and checks the header from the start of `reader`.
    ///
    /// # Errors
    ///
    /// See [`Header::read_from`].
    pub fn new(mut reader: R) -> Result<Self> {
        let header = Header::read_from(&mut reader)?;
        Ok(Envelope { header, reader })
    }

    /// The public header (unauthenticated until unlocked).
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Derives the key from `passphrase`, unwraps the file key, verifies the
    /// header MAC and reads the manifest.
    ///
    /// # Errors
    ///
    /// [`Error::WrongPassphrase`] when no passphrase slot opens;
    /// [`Error::Damaged`] when the header MAC or the manifest does not
    /// verify; [`Error::Unsupported`] when the envelope has no passphrase
    /// slot; limits and I/O errors as they come.
    pub fn unlock(self, passphrase: &Passphrase) -> Result<ContentReader<R>> {
        check_expiry(&self.header)?;
        let unlocked = unlock_file_key(&self.header, passphrase)?;
        ContentReader::new(self.header, self.reader, unlocked)
    }
}

#[cfg(feature = "x25519")]
impl<R: Read> Envelope<R> {
    /// [`Envelope::unlock`] with a recovery key's identity instead of a
    /// passphrase (no key derivation).
    ///
    /// # Errors
    ///
    /// As [`crate::PayloadKey::unlock_with_identity`], and
    /// [`Error::Expired`] past the envelope's not-after date.
    pub fn unlock_with_identity(self, identity: &crate::Identity) -> Result<ContentReader<R>> {
        check_expiry(&self.header)?;
        let key = PayloadKey::unlock_with_identity(&self.header, identity)?;
        let unlocked = Unlocked::from_key(&key);
        ContentReader::new(self.header, self.reader, unlocked)
    }
}

impl<R: Read + Seek> Envelope<R> {
    /// Like [`Envelope::unlock`], but for input that can seek: reads the
    /// manifest and the trailer (which proves the end of the envelope) and
    /// then decrypts any one part on demand, without the others.
    ///
    /// # Errors
    ///
    /// As [`Envelope::unlock`], and [`Error::Damaged`] when the payload's
    /// length disagrees with the manifest.
    pub fn unlock_random_access(self, passphrase: &Passphrase) -> Result<RandomAccess<R>> {
        check_expiry(&self.header)?;
        let unlocked = unlock_file_key(&self.header, passphrase)?;
        RandomAccess::new(self.header, self.reader, unlocked)
    }
}

/// Refuses an envelope past its not-after date, by this machine's clock,
/// before any key derivation. In the browser (wasm32 without an OS, no
/// clock here) the page checks with its own clock instead.
fn check_expiry(header: &Header) -> Result<()> {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        header.check_not_expired(now)?;
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    let _ = header;
    Ok(())
}

/// What unlocking yields: the payload cipher, which slot opened, and that
/// slot's receipt code (passphrase slots only).
struct Unlocked {
    cipher: PayloadCipher,
    slot: usize,
    receipt: Option<ReceiptCode>,
}

impl Unlocked {
    fn from_key(key: &PayloadKey) -> Unlocked {
        Unlocked {
            cipher: key.cipher(),
            slot: key.opened_slot(),
            receipt: key.receipt_code(),
        }
    }
}

fn unlock_file_key(header: &Header, passphrase: &Passphrase) -> Result<Unlocked> {
    PayloadKey::unlock(header, passphrase).map(|key| Unlocked::from_key(&key))
}

/// The content of an unlocked envelope, read front to back.
///
/// Every byte handed out belongs to a chunk that was authenticated, but only
/// [`ContentReader::finish`] proves that the envelope was not cut short and
/// that every part matches its digest. Keep what you read provisional (a
/// temporary file, a buffer not yet shown) until `finish` returns `Ok`.
pub struct ContentReader<R: Read> {
    header: Header,
    stream: StreamReader<R>,
    manifest: Manifest,
    /// The manifest as encoded: what a sender signature covers.
    manifest_bytes: Vec<u8>,
    slot: usize,
    receipt: Option<ReceiptCode>,
    parts: Vec<(PartKind, u64)>,
    /// Index of the part being read (or next to read when `left == 0` and
    /// its digest was taken).
    next: usize,
    left: u64,
    hasher: Sha256,
    digests: Vec<[u8; DIGEST_LEN]>,
    /// Whether the body being read is UTF-8 so far.
    utf8: Utf8Check,
    /// The first body that was not UTF-8 (`"text body"`, `"HTML body"`).
    not_utf8: Option<&'static str>,
}

/// Checks, piece by piece, that a part is UTF-8 (a character may straddle
/// two pieces).
#[derive(Debug, Default)]
struct Utf8Check {
    /// The start of a character cut off at the end of the last piece.
    pending: Vec<u8>,
    invalid: bool,
}

impl Utf8Check {
    fn update(&mut self, piece: &[u8]) {
        if self.invalid || piece.is_empty() {
            return;
        }
        let joined;
        let bytes = if self.pending.is_empty() {
            piece
        } else {
            joined = [&self.pending[..], piece].concat();
            &joined[..]
        };
        match std::str::from_utf8(bytes) {
            Ok(_) => self.pending.clear(),
            // Cut off at the end: keep it for the next piece.
            Err(err) if err.error_len().is_none() => {
                self.pending = bytes[err.valid_up_to()..].to_vec();
            }
            Err(_) => self.invalid = true,
        }
    }

    /// Whether everything given was UTF-8; resets for the next part.
    fn finish(&mut self) -> bool {
        let valid = !self.invalid && self.pending.is_empty();
        *self = Utf8Check::default();
        valid
    }
}

impl<R: Read> std::fmt::Debug for ContentReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContentReader")
            .field("manifest", &self.manifest)
            .field("slot", &self.slot)
            .finish_non_exhaustive()
    }
}

impl<R: Read> ContentReader<R> {
    fn new(header: Header, reader: R, unlocked: Unlocked) -> Result<Self> {
        let mut stream = StreamReader::new(reader, unlocked.cipher);
        let mut prefix = [0u8; 4];
        stream.read_plain_exact(&mut prefix)?;
        let mut bytes = vec![0u8; ContentLayout::manifest_len(prefix)?];
        stream.read_plain_exact(&mut bytes)?;
        let manifest = Manifest::parse(&bytes, &envelope_id(header.as_bytes()))?;
        let parts = manifest.parts();
        Ok(ContentReader {
            header,
            stream,
            manifest,
            manifest_bytes: bytes,
            slot: unlocked.slot,
            receipt: unlocked.receipt,
            parts,
            next: 0,
            left: 0,
            hasher: Sha256::new(),
            digests: Vec::new(),
            utf8: Utf8Check::default(),
            not_utf8: None,
        })
    }

    /// The body the part being read is, if it is one.
    fn current_body(&self) -> Option<&'static str> {
        match self.parts.get(self.next).map(|(kind, _)| kind) {
            Some(PartKind::TextBody) => Some("text body"),
            Some(PartKind::HtmlBody) => Some("HTML body"),
            _ => None,
        }
    }

    /// The authenticated header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The manifest: message headers and the list of parts.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Index in [`Header::slots`] of the slot that opened.
    pub fn opened_slot(&self) -> usize {
        self.slot
    }

    /// Skips what is left of the current part, hashing it.
    fn skip_current(&mut self) -> Result<()> {
        while self.left > 0 {
            let n = self.fill_current()?.len();
            self.consume_current(n);
        }
        Ok(())
    }

    /// The current part's next decrypted bytes (at most what is left of it,
    /// and at most one chunk), without copying them.
    fn fill_current(&mut self) -> Result<&[u8]> {
        let left = usize::try_from(self.left).unwrap_or(usize::MAX);
        if left == 0 {
            return Ok(&[]);
        }
        let available = self.stream.fill_plain()?;
        if available.is_empty() {
            return Err(Error::damaged(
                "the content ends before the manifest says it should",
            ));
        }
        Ok(&available[..available.len().min(left)])
    }

    /// Hashes and moves past `n` bytes returned by [`Self::fill_current`].
    fn consume_current(&mut self, n: usize) {
        let n = n.min(usize::try_from(self.left).unwrap_or(usize::MAX));
        if n == 0 {
            return;
        }
        let is_body = self.current_body().is_some();
        let consumed = self.stream.consume_plain(n);
        self.hasher.update(consumed);
        if is_body {
            self.utf8.update(consumed);
        }
        self.left -= consumed.len() as u64;
        if self.left == 0 {
            self.finish_part();
        }
    }

    fn finish_part(&mut self) {
        if let Some(body) = self.current_body()
            && !self.utf8.finish()
        {
            self.not_utf8.get_or_insert(body);
        }
        let digest = std::mem::take(&mut self.hasher).finalize();
        self.digests.push(digest.into());
        self.next += 1;
    }

    /// Moves to the next part, skipping any unread rest of the current one.
    /// `None` after the last part.
    ///
    /// # Errors
    ///
    /// [`Error::Damaged`] when the content ends early or a chunk fails.
    pub fn next_part(&mut self) -> Result<Option<Part<'_, R>>> {
        self.skip_current()?;
        let Some(&(kind, len)) = self.parts.get(self.next) else {
            return Ok(None);
        };
        self.left = len;
        if len == 0 {
            self.finish_part();
        }
        Ok(Some(Part {
            owner: self,
            kind,
            len,
        }))
    }

    /// Reads the rest of the content: skips unread parts, reads the trailer,
    /// and checks every part's digest and the end of the stream.
    ///
    /// # Errors
    ///
    /// [`Error::Damaged`] when anything does not verify.
    pub fn finish(mut self) -> Result<Finished> {
        while self.next_part()?.is_some() {}
        self.skip_current()?;
        let mut trailer = Vec::new();
        let mut buf = vec![0u8; CHUNK_SIZE];
        loop {
            let n = self.stream.read_plain(&mut buf)?;
            if n == 0 {
                break;
            }
            trailer.extend_from_slice(&buf[..n]);
            Error::check_limit("trailer length", MAX_TRAILER_LEN, trailer.len() as u64)?;
        }
        if !self.stream.is_finished() {
            return Err(Error::damaged(
                "the payload did not end with its final chunk",
            ));
        }
        let trailer = Trailer::parse(&trailer, self.parts.len())?;
        if trailer.digests != self.digests {
            return Err(Error::damaged("a part does not match its digest"));
        }
        // The bodies are text: a sealer never writes one that is not UTF-8,
        // and the page refuses it too.
        if let Some(body) = self.not_utf8 {
            return Err(Error::damaged(format!("the {body} is not valid UTF-8")));
        }
        #[cfg(feature = "verify-signatures")]
        let signature = trailer
            .signature
            .as_deref()
            .map(|value| {
                crate::signature::check(
                    value,
                    self.header.as_bytes(),
                    &self.manifest_bytes,
                    &self.digests,
                )
            })
            .transpose()?;
        #[cfg(not(feature = "verify-signatures"))]
        let _ = (&trailer.signature, &self.manifest_bytes);
        Ok(Finished {
            #[cfg(feature = "verify-signatures")]
            signature,
            receipt: Receipt::offered(&self.manifest, self.receipt),
        })
    }
}

/// What [`ContentReader::finish`] found once everything verified.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finished {
    /// The sender signature, checked; `None` when the envelope is not
    /// signed. A [`crate::SignatureCheck::Valid`] signature means only
    /// "whoever holds this key sealed it": compare the signer's
    /// fingerprint with one received another way.
    #[cfg(feature = "verify-signatures")]
    pub signature: Option<crate::SignatureCheck>,
    /// The receipt the sender asked for, with the code for the slot that
    /// opened: `None` when no receipt was asked for, or a recovery key
    /// opened the envelope. Sending it is the recipient's choice.
    pub receipt: Option<Receipt>,
}

/// One part of the content, as a reader of exactly its bytes.
pub struct Part<'a, R: Read> {
    owner: &'a mut ContentReader<R>,
    kind: PartKind,
    len: u64,
}

impl<R: Read> Part<'_, R> {
    /// Which part this is.
    pub fn kind(&self) -> PartKind {
        self.kind
    }

    /// Its size in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The manifest entry, when the part is an attachment.
    pub fn attachment(&self) -> Option<&AttachmentInfo> {
        match self.kind {
            PartKind::Attachment(i) => self.owner.manifest.attachments.get(i),
            _ => None,
        }
    }
}

impl<R: Read> Part<'_, R> {
    /// Copies the rest of the part into `out` straight from the decryption
    /// buffer (no intermediate copy, unlike `io::copy`).
    ///
    /// # Errors
    ///
    /// [`Error::Damaged`] when a chunk fails, [`Error::Io`] when writing
    /// fails.
    pub fn copy_to(&mut self, out: &mut impl Write) -> Result<u64> {
        let mut total = 0u64;
        loop {
            let piece = self.owner.fill_current()?;
            if piece.is_empty() {
                return Ok(total);
            }
            out.write_all(piece)?;
            let n = piece.len();
            self.owner.consume_current(n);
            total += n as u64;
        }
    }
}

impl<R: Read> Read for Part<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.owner.fill_current()?;
        let n = buf.len().min(available.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.owner.consume_current(n);
        Ok(n)
    }
}

impl<R: Read> io::BufRead for Part<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        Ok(self.owner.fill_current()?)
    }

    fn consume(&mut self, amt: usize) {
        self.owner.consume_current(amt);
    }
}

/// An unlocked envelope on seekable input: any part can be decrypted alone.
///
/// The manifest, the trailer and the final chunk were authenticated when it
/// was made, so the envelope's end is proven; each part is checked against
/// its digest as it is read.
pub struct RandomAccess<R> {
    header: Header,
    reader: R,
    cipher: PayloadCipher,
    layout: PayloadLayout,
    slot: usize,
    receipt: Option<ReceiptCode>,
    content: ContentLayout,
    digests: PartDigests,
}

impl<R> std::fmt::Debug for RandomAccess<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RandomAccess")
            .field("manifest", self.content.manifest())
            .field("layout", &self.layout)
            .finish_non_exhaustive()
    }
}

impl<R: Read + Seek> RandomAccess<R> {
    fn new(header: Header, mut reader: R, unlocked: Unlocked) -> Result<Self> {
        let end = reader.seek(SeekFrom::End(0))?;
        let encrypted_len = end
            .checked_sub(header.len() as u64)
            .ok_or_else(|| Error::damaged("the envelope is truncated"))?;
        let layout = PayloadLayout::from_encrypted_len(encrypted_len)?;
        let total = layout.plaintext_len();
        if total < 4 {
            return Err(Error::damaged(
                "the content is too short to hold a manifest",
            ));
        }
        let mut read = |start, len| {
            read_plain_range(&mut reader, &header, &unlocked.cipher, layout, start, len)
        };
        let prefix: [u8; 4] = read(0, 4)?
            .try_into()
            .map_err(|_| Error::damaged("the content is too short"))?;
        let manifest_len = ContentLayout::manifest_len(prefix)? as u64;
        if 4 + manifest_len > total {
            return Err(Error::damaged("the content ends inside the manifest"));
        }
        let content = ContentLayout::new(total, &read(4, manifest_len)?, &header)?;
        let (trailer_start, trailer_len) = content.trailer_range();
        let digests = content.parse_trailer(&read(trailer_start, trailer_len)?)?;
        Ok(RandomAccess {
            header,
            reader,
            cipher: unlocked.cipher,
            layout,
            slot: unlocked.slot,
            receipt: unlocked.receipt,
            content,
            digests,
        })
    }

    /// The authenticated header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        self.content.manifest()
    }

    /// Index in [`Header::slots`] of the slot that opened.
    pub fn opened_slot(&self) -> usize {
        self.slot
    }

    /// The receipt the sender asked for, as [`Finished::receipt`]. Parts
    /// are checked only as they are read: offer it after reading them all.
    pub fn receipt(&self) -> Option<Receipt> {
        Receipt::offered(self.manifest(), self.receipt)
    }

    /// Decrypts one part into `out` and checks its digest.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a part the manifest does not have;
    /// [`Error::Damaged`] when a chunk or the digest does not verify (discard
    /// what was written); [`Error::Io`] when writing fails.
    pub fn read_part(&mut self, kind: PartKind, out: &mut impl Write) -> Result<()> {
        let Some((start, len)) = self.content.part(kind) else {
            return Err(Error::invalid(format!("the envelope has no part {kind:?}")));
        };
        let mut hasher = Sha256::new();
        for_each_piece(
            &mut self.reader,
            &self.header,
            &self.cipher,
            self.layout,
            start,
            len,
            |piece| {
                hasher.update(piece);
                out.write_all(piece).map_err(Error::Io)
            },
        )?;
        self.digests.check(kind, &hasher.finalize().into())
    }

    /// Decrypts and checks the text body.
    ///
    /// # Errors
    ///
    /// As [`RandomAccess::read_part`], and [`Error::Damaged`] when the body
    /// is not UTF-8.
    pub fn read_text_body(&mut self) -> Result<String> {
        body_text(self.read_part_to_vec(PartKind::TextBody)?, "text body")
    }

    /// Decrypts and checks the HTML body, if there is one.
    ///
    /// # Errors
    ///
    /// As [`RandomAccess::read_text_body`].
    pub fn read_html_body(&mut self) -> Result<Option<String>> {
        if self.manifest().html_body_len.is_none() {
            return Ok(None);
        }
        let bytes = self.read_part_to_vec(PartKind::HtmlBody)?;
        body_text(bytes, "HTML body").map(Some)
    }

    /// Decrypts one part into memory.
    ///
    /// # Errors
    ///
    /// As [`RandomAccess::read_part`].
    pub fn read_part_to_vec(&mut self, kind: PartKind) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.read_part(kind, &mut out)?;
        Ok(out)
    }
}

/// Decrypts the chunks covering content bytes `[start, start + len)` and
/// passes the plaintext to `sink` in order.
fn for_each_piece<R: Read + Seek>(
    reader: &mut R,
    header: &Header,
    cipher: &PayloadCipher,
    layout: PayloadLayout,
    start: u64,
    len: u64,
    mut sink: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let chunk = CHUNK_SIZE as u64;
    let end = start + len;
    let mut index = start / chunk;
    let mut buf = Vec::with_capacity(ENCRYPTED_CHUNK_SIZE);
    while index * chunk < end {
        let last = index + 1 == layout.chunks;
        let enc_len = if last {
            layout.last_chunk_len
        } else {
            ENCRYPTED_CHUNK_SIZE
        };
        let at = header.len() as u64 + index * ENCRYPTED_CHUNK_SIZE as u64;
        reader.seek(SeekFrom::Start(at))?;
        buf.resize(enc_len, 0);
        reader
            .read_exact(&mut buf)
            .map_err(Error::from_envelope_read)?;
        cipher.open_chunk(index, last, &mut buf)?;
        let chunk_start = index * chunk;
        let from = start.saturating_sub(chunk_start) as usize;
        let to = ((end - chunk_start) as usize).min(buf.len());
        if from > to {
            return Err(Error::damaged(
                "the payload is shorter than the manifest says",
            ));
        }
        let result = sink(&buf[from..to]);
        buf.zeroize();
        result?;
        index += 1;
    }
    Ok(())
}

fn read_plain_range<R: Read + Seek>(
    reader: &mut R,
    header: &Header,
    cipher: &PayloadCipher,
    layout: PayloadLayout,
    start: u64,
    len: u64,
) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    for_each_piece(reader, header, cipher, layout, start, len, |piece| {
        out.extend_from_slice(piece);
        Ok(())
    })?;
    Ok(out)
}

impl From<Error> for io::Error {
    fn from(err: Error) -> Self {
        match err {
            Error::Io(inner) => inner,
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }
}

/// A whole message, decrypted and verified, held in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedMessage {
    /// The manifest.
    pub manifest: Manifest,
    /// The text body.
    pub text_body: String,
    /// The HTML body, if any. Hostile: render it sandboxed, without scripts.
    pub html_body: Option<String>,
    /// Each attachment's bytes, in manifest order.
    pub attachments: Vec<Vec<u8>>,
    /// Index in [`Header::slots`] of the slot that opened.
    pub opened_slot: usize,
    /// The sender signature, checked; `None` when unsigned.
    #[cfg(feature = "verify-signatures")]
    pub signature: Option<crate::SignatureCheck>,
    /// The receipt the sender asked for, as [`Finished::receipt`].
    pub receipt: Option<Receipt>,
}

/// Opens a whole envelope held in memory. Nothing is returned unless
/// everything verified.
///
/// # Errors
///
/// Any of [`Error`]'s opening kinds.
pub fn open(envelope: &[u8], passphrase: &Passphrase) -> Result<OpenedMessage> {
    let mut content = Envelope::new(envelope)?.unlock(passphrase)?;
    let manifest = content.manifest().clone();
    let opened_slot = content.opened_slot();
    let mut text_body = None;
    let mut html_body = None;
    let mut attachments = Vec::with_capacity(manifest.attachments.len());
    while let Some(mut part) = content.next_part()? {
        let mut bytes = Vec::with_capacity(usize::try_from(part.len()).unwrap_or(0));
        part.read_to_end(&mut bytes).map_err(Error::from)?;
        match part.kind() {
            PartKind::TextBody => text_body = Some(body_text(bytes, "text body")?),
            PartKind::HtmlBody => html_body = Some(body_text(bytes, "HTML body")?),
            PartKind::Attachment(_) => attachments.push(bytes),
        }
    }
    let finished = content.finish()?;
    Ok(OpenedMessage {
        manifest,
        text_body: text_body.unwrap_or_default(),
        html_body,
        attachments,
        opened_slot,
        #[cfg(feature = "verify-signatures")]
        signature: finished.signature,
        receipt: finished.receipt,
    })
}

fn body_text(bytes: Vec<u8>, what: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|_| Error::damaged(format!("the {what} is not valid UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::Utf8Check;

    fn check(pieces: &[&[u8]]) -> bool {
        let mut utf8 = Utf8Check::default();
        for piece in pieces {
            utf8.update(piece);
        }
        utf8.finish()
    }

    #[test]
    fn a_body_is_utf8_however_it_is_cut_into_chunks() {
        let text = "Zo\u{eb} \u{6771}\u{4eac} \u{1f600}".as_bytes();
        for cut in 0..=text.len() {
            assert!(check(&[&text[..cut], &text[cut..]]), "cut at {cut}");
        }
        for cut in 0..text.len() {
            let mut bad = text.to_vec();
            bad.insert(cut, 0xFF);
            assert!(!check(&[&bad[..cut], &bad[cut..]]), "0xFF at {cut}");
        }
        assert!(
            !check(&[&text[..text.len() - 1]]),
            "a character cut off at the end"
        );
        assert!(check(&[]));
    }
}
