//! The STREAM construction over AES-256-GCM: the payload in 64 KiB chunks.
//!
//! Chunk `i` is sealed with the nonce `i` (11 bytes, big-endian) ‖ `last`
//! (one byte: 1 for the final chunk, 0 otherwise). Every chunk but the last
//! holds exactly [`CHUNK_SIZE`] plaintext bytes; the last holds 1 to
//! [`CHUNK_SIZE`], or 0 only when it is also the first. So truncation at a
//! chunk boundary, reordering, a missing or extra final chunk and trailing
//! bytes all fail authentication or the length rules.
//!
//! [`PayloadCipher`] and [`PayloadLayout`] expose the per-chunk operation and
//! the chunk arithmetic, so that a caller with random access (or the browser
//! decryptor, which hands the AES call to WebCrypto) follows the same rules.

use std::io::{self, Read, Write};

use zeroize::{Zeroize, Zeroizing};

use crate::crypto::{Aead, NONCE_LEN, TAG_LEN};
use crate::error::{Error, Result};
use crate::limits::{CHUNK_SIZE, TAG_SIZE};
use crate::secret::Key;

/// Bytes of one full chunk on the wire: plaintext plus tag.
pub const ENCRYPTED_CHUNK_SIZE: usize = CHUNK_SIZE + TAG_SIZE;

/// The AES-GCM nonce of chunk `index`: an 88-bit big-endian counter (whose
/// top 24 bits stay zero under [`crate::limits::MAX_CONTENT_LEN`]) and the
/// last-chunk flag.
pub fn chunk_nonce(index: u64, last: bool) -> [u8; NONCE_LEN] {
    let mut nonce = [0u8; NONCE_LEN];
    nonce[3..11].copy_from_slice(&index.to_be_bytes());
    nonce[11] = u8::from(last);
    nonce
}

/// The chunk arithmetic of a payload of known encrypted length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayloadLayout {
    /// Number of chunks.
    pub chunks: u64,
    /// Encrypted bytes of the final chunk, tag included.
    pub last_chunk_len: usize,
}

impl PayloadLayout {
    /// Works out the chunks of a payload of `encrypted_len` bytes.
    ///
    /// # Errors
    ///
    /// [`Error::Damaged`] when no valid payload has that length (empty, or a
    /// final chunk too short to hold a tag, or an empty final chunk after a
    /// full one).
    pub fn from_encrypted_len(encrypted_len: u64) -> Result<Self> {
        let full = ENCRYPTED_CHUNK_SIZE as u64;
        if encrypted_len == 0 {
            return Err(Error::damaged("the payload is missing"));
        }
        let chunks = encrypted_len.div_ceil(full);
        let last_chunk_len = (encrypted_len - (chunks - 1) * full) as usize;
        if last_chunk_len < TAG_SIZE || (chunks > 1 && last_chunk_len == TAG_SIZE) {
            return Err(Error::damaged(
                "the payload length is impossible: it was truncated or has bytes added",
            ));
        }
        Ok(PayloadLayout {
            chunks,
            last_chunk_len,
        })
    }

    /// Total plaintext bytes.
    pub fn plaintext_len(&self) -> u64 {
        (self.chunks - 1) * CHUNK_SIZE as u64 + (self.last_chunk_len - TAG_SIZE) as u64
    }
}

/// The payload key, able to seal and open single chunks.
pub struct PayloadCipher {
    aead: Aead,
}

impl PayloadCipher {
    pub(crate) fn new(key: &Key) -> Self {
        PayloadCipher {
            aead: Aead::new(key),
        }
    }

    /// Encrypts `buf` in place as chunk `index` and appends the tag.
    pub(crate) fn seal_chunk(&self, index: u64, last: bool, buf: &mut Vec<u8>) {
        let tag = self.aead.seal(chunk_nonce(index, last), &[], buf);
        buf.extend_from_slice(&tag);
    }

    /// Decrypts and authenticates chunk `index` in place; on success `buf`
    /// holds the plaintext (the tag removed). On failure `buf` is wiped.
    ///
    /// # Errors
    ///
    /// [`Error::Damaged`] naming the chunk when it fails authentication.
    pub fn open_chunk(&self, index: u64, last: bool, buf: &mut Vec<u8>) -> Result<()> {
        let len = self.open_chunk_in_place(index, last, buf)?;
        buf.truncate(len);
        Ok(())
    }

    /// Decrypts chunk `index` (ciphertext and tag) in place, returning the
    /// plaintext length; the plaintext is `buf[..len]`. On failure `buf` is
    /// wiped.
    pub(crate) fn open_chunk_in_place(
        &self,
        index: u64,
        last: bool,
        buf: &mut [u8],
    ) -> Result<usize> {
        if buf.len() < TAG_SIZE {
            return Err(Error::damaged(format!(
                "payload chunk {index} is too short"
            )));
        }
        let split = buf.len() - TAG_SIZE;
        let (data, tag_bytes) = buf.split_at_mut(split);
        let mut tag = [0u8; TAG_LEN];
        tag.copy_from_slice(tag_bytes);
        if !self.aead.open(chunk_nonce(index, last), &[], data, &tag) {
            buf.zeroize();
            return Err(Error::damaged(format!(
                "payload chunk {index} failed authentication"
            )));
        }
        Ok(split)
    }
}

/// Encrypts a byte stream into chunks written to `inner`.
pub(crate) struct StreamWriter<W: Write> {
    inner: W,
    cipher: PayloadCipher,
    /// Plaintext waiting to fill a chunk; wiped on drop.
    buffer: Zeroizing<Vec<u8>>,
    index: u64,
}

impl<W: Write> StreamWriter<W> {
    pub(crate) fn new(inner: W, cipher: PayloadCipher) -> Self {
        StreamWriter {
            inner,
            cipher,
            buffer: Zeroizing::new(Vec::with_capacity(ENCRYPTED_CHUNK_SIZE)),
            index: 0,
        }
    }

    fn flush_chunk(&mut self, last: bool) -> io::Result<()> {
        self.cipher.seal_chunk(self.index, last, &mut self.buffer);
        self.inner.write_all(&self.buffer)?;
        self.buffer.clear();
        self.index += 1;
        Ok(())
    }

    /// Reads up to `max` bytes from `source` straight into the chunk buffer
    /// (saving a copy), and returns them. `Ok` with an empty slice means
    /// `source` is at its end.
    ///
    /// Call it only when more data is expected: a full buffer is sealed as a
    /// non-final chunk first, so a stream must not end right after a call
    /// that returned nothing (the sealer treats that as an error anyway).
    pub(crate) fn read_from(&mut self, source: &mut impl Read, max: usize) -> io::Result<&[u8]> {
        if self.buffer.len() == CHUNK_SIZE {
            self.flush_chunk(false)?;
        }
        let start = self.buffer.len();
        let room = (CHUNK_SIZE - start).min(max);
        self.buffer.resize(start + room, 0);
        let read = loop {
            match source.read(&mut self.buffer[start..]) {
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        let n = *read.as_ref().unwrap_or(&0);
        self.buffer.truncate(start + n);
        read?;
        Ok(&self.buffer[start..])
    }

    /// Seals the final chunk and returns the inner writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.flush_chunk(true)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for StreamWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // A full buffer is sealed only when more data arrives, because only
        // then is it known not to be the last chunk.
        if self.buffer.len() == CHUNK_SIZE && !data.is_empty() {
            self.flush_chunk(false)?;
        }
        let take = data.len().min(CHUNK_SIZE - self.buffer.len());
        self.buffer.extend_from_slice(&data[..take]);
        Ok(take)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Decrypts chunks read from `inner`, yielding authenticated plaintext.
///
/// Each chunk is authenticated before any of its bytes are returned, but the
/// end of the stream is only proven when [`StreamReader::is_finished`] turns
/// true: until then the data may be a truncated envelope's.
pub(crate) struct StreamReader<R: Read> {
    inner: R,
    cipher: PayloadCipher,
    /// One encrypted chunk plus one byte of look-ahead (which tells whether
    /// the chunk is the last). A chunk is decrypted in place, so after
    /// decryption `buf[pos..plain_len]` is the plaintext not yet handed out.
    buf: Zeroizing<Vec<u8>>,
    /// Bytes of `buf` holding input (before decryption).
    filled: usize,
    pos: usize,
    plain_len: usize,
    /// Whether `buf[ENCRYPTED_CHUNK_SIZE]` holds the next chunk's first byte.
    carry: bool,
    index: u64,
    finished: bool,
}

impl<R: Read> StreamReader<R> {
    pub(crate) fn new(inner: R, cipher: PayloadCipher) -> Self {
        StreamReader {
            inner,
            cipher,
            buf: Zeroizing::new(vec![0u8; ENCRYPTED_CHUNK_SIZE + 1]),
            filled: 0,
            pos: 0,
            plain_len: 0,
            carry: false,
            index: 0,
            finished: false,
        }
    }

    /// Whether the final chunk was read and authenticated.
    pub(crate) fn is_finished(&self) -> bool {
        self.finished && self.pos == self.plain_len
    }

    /// Fills `buf` to one chunk plus one byte, or to the end of input.
    fn fill(&mut self) -> Result<()> {
        while self.filled < self.buf.len() {
            match self.inner.read(&mut self.buf[self.filled..]) {
                Ok(0) => break,
                Ok(n) => self.filled += n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(Error::Io(err)),
            }
        }
        Ok(())
    }

    fn next_chunk(&mut self) -> Result<()> {
        if self.carry {
            self.buf[0] = self.buf[ENCRYPTED_CHUNK_SIZE];
            self.filled = 1;
        } else {
            self.filled = 0;
        }
        self.fill()?;
        let last = self.filled <= ENCRYPTED_CHUNK_SIZE;
        if last && self.filled < TAG_SIZE {
            return Err(Error::damaged(if self.filled == 0 {
                "the payload is truncated: its final chunk is missing"
            } else {
                "the payload is truncated inside a chunk"
            }));
        }
        if last && self.index > 0 && self.filled == TAG_SIZE {
            return Err(Error::damaged("the payload ends with an empty extra chunk"));
        }
        let len = self.filled.min(ENCRYPTED_CHUNK_SIZE);
        self.carry = !last;
        self.pos = 0;
        self.plain_len = 0;
        self.plain_len = self
            .cipher
            .open_chunk_in_place(self.index, last, &mut self.buf[..len])?;
        self.index += 1;
        self.finished = last;
        Ok(())
    }

    /// The authenticated plaintext not yet consumed, decrypting the next
    /// chunk when the current one is used up; empty only at the proven end.
    pub(crate) fn fill_plain(&mut self) -> Result<&[u8]> {
        while self.pos == self.plain_len && !self.finished {
            self.next_chunk()?;
        }
        Ok(&self.buf[self.pos..self.plain_len])
    }

    /// Marks `n` bytes of what [`Self::fill_plain`] returned as used, and
    /// returns them.
    pub(crate) fn consume_plain(&mut self, n: usize) -> &[u8] {
        let start = self.pos;
        self.pos = (self.pos + n).min(self.plain_len);
        &self.buf[start..self.pos]
    }

    /// Reads authenticated plaintext; `Ok(0)` only at the proven end.
    pub(crate) fn read_plain(&mut self, buf: &mut [u8]) -> Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let available = self.fill_plain()?;
        let n = buf.len().min(available.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume_plain(n);
        Ok(n)
    }

    /// Fills `buf` completely, or fails as a truncated envelope.
    pub(crate) fn read_plain_exact(&mut self, mut buf: &mut [u8]) -> Result<()> {
        while !buf.is_empty() {
            let n = self.read_plain(buf)?;
            if n == 0 {
                return Err(Error::damaged(
                    "the content ends before the manifest says it should",
                ));
            }
            buf = &mut buf[n..];
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key([7u8; 32])
    }

    fn seal(data: &[u8]) -> Vec<u8> {
        let mut w = StreamWriter::new(Vec::new(), PayloadCipher::new(&key()));
        w.write_all(data).unwrap();
        w.finish().unwrap()
    }

    fn open(data: &[u8]) -> Result<Vec<u8>> {
        let mut r = StreamReader::new(data, PayloadCipher::new(&key()));
        let mut out = Vec::new();
        let mut buf = [0u8; 5000];
        loop {
            let n = r.read_plain(&mut buf)?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert!(r.is_finished());
        Ok(out)
    }

    #[test]
    fn round_trips_at_chunk_boundaries() {
        for len in [
            0,
            1,
            CHUNK_SIZE - 1,
            CHUNK_SIZE,
            CHUNK_SIZE + 1,
            3 * CHUNK_SIZE,
        ] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let sealed = seal(&data);
            let layout = PayloadLayout::from_encrypted_len(sealed.len() as u64).unwrap();
            assert_eq!(layout.plaintext_len(), len as u64);
            assert_eq!(open(&sealed).unwrap(), data, "length {len}");
        }
    }

    #[test]
    fn exactly_one_chunk_is_one_final_chunk() {
        let sealed = seal(&[1u8; CHUNK_SIZE]);
        assert_eq!(sealed.len(), ENCRYPTED_CHUNK_SIZE);
    }

    #[test]
    fn truncation_at_a_chunk_boundary_fails() {
        let sealed = seal(&[1u8; 2 * CHUNK_SIZE + 10]);
        let cut = &sealed[..2 * ENCRYPTED_CHUNK_SIZE];
        assert_eq!(open(cut).unwrap_err().kind(), crate::ErrorKind::Damaged);
        assert!(PayloadLayout::from_encrypted_len(0).is_err());
    }

    #[test]
    fn an_appended_empty_final_chunk_fails() {
        let mut sealed = seal(&[1u8; CHUNK_SIZE]);
        sealed.extend_from_slice(&[0u8; TAG_SIZE]);
        assert!(open(&sealed).is_err());
        assert!(PayloadLayout::from_encrypted_len(sealed.len() as u64).is_err());
    }
}
