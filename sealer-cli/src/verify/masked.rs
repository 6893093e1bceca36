//! A page read as a stream for `sealer verify`: checked to be printable
//! ASCII (rule 1) and masked as it is read: each payload chunk's data,
//! once found to be exactly the base64 lines a sealer writes, is replaced
//! by [`CHUNK_PLACEHOLDER`], as [`crate::page::render_page_shape`] renders
//! it. What is kept is the page without its data (a few hundred
//! kilobytes, whatever the payload), on which every other check is made.
//!
//! A chunk block's data ends at the first `<`: base64 has none, and
//! nothing else may be there. The masked page must then be, byte for byte,
//! a release's rendering with placeholders, where each stands in a chunk
//! block: so the page a browser parses is that rendering with data lines
//! where the placeholders are, as a sealer writes it.

use std::io::{self, Read};

use envelope_core::ENCRYPTED_CHUNK_SIZE;

use crate::page::CHUNK_PLACEHOLDER;

/// What opens a chunk block's data in a sealer's page.
const TAG: &[u8] = b"class=\"envelope-chunk\">";

/// The longest data text a chunk block can hold: a full chunk's base64
/// lines with their CRLFs, and a line break before them.
const MAX_DATA: usize = ENCRYPTED_CHUNK_SIZE.div_ceil(57) * 78 + 2;

/// How much is read at a time.
const PIECE: usize = 1 << 20;

/// Why a page cannot be masked, in words for the verdict.
pub(crate) type Problem = String;

/// Reads the page `source` gives: the masked page, or the first problem
/// (rule 1, or chunk data that is not what a sealer writes).
pub(crate) fn masked_page(mut source: impl Read) -> Result<Result<String, Problem>, io::Error> {
    let mut masker = Masker::default();
    let mut buffer = vec![0u8; PIECE];
    loop {
        let read = match source.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if let Err(problem) = masker.take(&buffer[..read]) {
            return Ok(Err(problem));
        }
    }
    Ok(masker.finish())
}

#[derive(Default)]
struct Masker {
    /// The masked page so far (ASCII).
    out: Vec<u8>,
    /// Bytes read and not yet placed: the possible start of a tag, or a
    /// chunk's data.
    pending: Vec<u8>,
    /// Whether `pending` is a chunk's data.
    in_data: bool,
    /// How much of `pending` is known to hold no `<` (read data is not
    /// searched again, however small the reads).
    searched: usize,
    /// Bytes of the page taken in, for rule 1's position.
    seen: usize,
    /// The length of each chunk so far.
    lengths: Vec<usize>,
}

impl Masker {
    fn take(&mut self, bytes: &[u8]) -> Result<(), Problem> {
        if let Some(at) = bytes
            .iter()
            .position(|&b| !(b == b'\r' || b == b'\n' || (0x20..0x7F).contains(&b)))
        {
            return Err(super::not_plain_ascii_at(self.seen + at, bytes[at]));
        }
        self.seen += bytes.len();
        self.pending.extend_from_slice(bytes);
        // How much of `pending` is placed.
        let mut start = 0;
        loop {
            let rest = &self.pending[start..];
            if self.in_data {
                let from = self.searched.max(start) - start;
                let Some(at) = memchr::memchr(b'<', &rest[from..]).map(|at| from + at) else {
                    if rest.len() > MAX_DATA {
                        return Err(not_canonical(self.lengths.len()));
                    }
                    self.searched = self.pending.len();
                    break;
                };
                let Some(len) = canonical_chunk(&rest[..at]) else {
                    return Err(not_canonical(self.lengths.len()));
                };
                self.lengths.push(len);
                self.out.push(b'\n');
                self.out.extend_from_slice(CHUNK_PLACEHOLDER.as_bytes());
                self.out.push(b'\n');
                self.in_data = false;
                start += at;
            } else if let Some(at) = memchr::memmem::find(rest, TAG) {
                let end = at + TAG.len();
                self.out.extend_from_slice(&rest[..end]);
                self.in_data = true;
                start += end;
                self.searched = start;
            } else {
                // Keep what could be the start of a tag cut by the piece's
                // end.
                let placed = rest.len() - rest.len().min(TAG.len() - 1);
                self.out.extend_from_slice(&rest[..placed]);
                start += placed;
                break;
            }
        }
        self.pending.drain(..start);
        self.searched = self.searched.saturating_sub(start);
        Ok(())
    }

    fn finish(mut self) -> Result<String, Problem> {
        if self.in_data {
            // Data to the end of the page, as the whole page's check reads
            // it.
            let len =
                canonical_chunk(&self.pending).ok_or_else(|| not_canonical(self.lengths.len()))?;
            self.lengths.push(len);
            self.out.push(b'\n');
            self.out.extend_from_slice(CHUNK_PLACEHOLDER.as_bytes());
            self.out.push(b'\n');
        } else {
            self.out.extend_from_slice(&self.pending);
        }
        let short = self
            .lengths
            .iter()
            .rev()
            .skip(1)
            .any(|&len| len != ENCRYPTED_CHUNK_SIZE);
        if short {
            return Err("a payload chunk other than the last is not full".to_owned());
        }
        // Printable ASCII by rule 1.
        String::from_utf8(self.out).map_err(|_| "the page is not ASCII".to_owned())
    }
}

fn not_canonical(chunk: usize) -> Problem {
    format!("the data of payload chunk {chunk} is not the base64 lines a sealer writes")
}

/// The length of the chunk in `data`, if `data` is exactly the base64
/// lines the sealer writes for it (line ends aside).
pub(crate) fn canonical_chunk(data: &[u8]) -> Option<usize> {
    use base64::Engine;
    let compact: Vec<u8> = data
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    if bytes.is_empty() || bytes.len() > ENCRYPTED_CHUNK_SIZE {
        return None;
    }
    // A line break, then each line, each ended by a line break (CRLF,
    // LF or CR alike).
    let mut lines = crate::seven_bit::base64_lines(&bytes).into_iter();
    let mut rest = line_end(data)?;
    for line in lines.by_ref() {
        rest = rest.strip_prefix(line.as_bytes())?;
        rest = line_end(rest)?;
    }
    rest.is_empty().then_some(bytes.len())
}

/// `data` after the line end it starts with.
fn line_end(data: &[u8]) -> Option<&[u8]> {
    data.strip_prefix(b"\r\n")
        .or_else(|| data.strip_prefix(b"\n"))
        .or_else(|| data.strip_prefix(b"\r"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use envelope_core::{Attachment, KdfParams, Message, Passphrase, SealOptions, seal_to_vec};

    use super::*;
    use crate::{PageOptions, render_page};

    /// Gives its bytes `piece` at a time.
    struct Trickle<'a> {
        bytes: &'a [u8],
        piece: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.piece.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn masked(page: &[u8], piece: usize) -> Result<String, Problem> {
        masked_page(Trickle { bytes: page, piece }).unwrap()
    }

    #[test]
    fn chunk_data_is_masked_wherever_the_reads_end() {
        let message = Message::new().attach(Attachment::from_bytes(
            "a.bin",
            "application/octet-stream",
            vec![9u8; 140_000],
        ));
        let options = SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new("masked page passphrase"));
        let page = render_page(
            &seal_to_vec(message, &options).unwrap(),
            &PageOptions::default(),
        )
        .unwrap();
        // The page cut at each chunk block's data, by hand.
        let tag = "class=\"envelope-chunk\">";
        let mut expected = String::new();
        let mut rest = page.as_str();
        while let Some(at) = rest.find(tag) {
            let start = at + tag.len();
            let end = start + rest[start..].find('<').unwrap();
            expected.push_str(&rest[..start]);
            expected.push_str(&format!("\n{CHUNK_PLACEHOLDER}\n"));
            rest = &rest[end..];
        }
        expected.push_str(rest);
        assert_eq!(expected.matches(CHUNK_PLACEHOLDER).count(), 3);
        for piece in [1, 5, 22, 23, 24, 1000, 70_000, page.len()] {
            assert!(
                masked(page.as_bytes(), piece).unwrap() == expected,
                "{piece}"
            );
        }
        // Rule 1, with the byte's place in the whole page.
        let mut accented = page.clone().into_bytes();
        accented[50_000] = 0xE9;
        let refused = masked(&accented, 4096).unwrap_err();
        assert!(refused.starts_with("byte 50000 is 0xE9"), "{refused}");
        // Data changed, or with no end.
        let data = page.find(tag).unwrap() + tag.len() + 10;
        let mut changed = page.clone().into_bytes();
        changed[data] = if changed[data] == b'A' { b'B' } else { b'A' };
        changed.insert(data, b'A');
        let refused = masked(&changed, 4096).unwrap_err();
        assert!(
            refused.contains("payload chunk 0 is not the base64 lines"),
            "{refused}"
        );
        let first = page.find(tag).unwrap() + tag.len();
        let endless = format!("{}\n{}", &page[..first], "QUJD".repeat(MAX_DATA / 4));
        let refused = masked(endless.as_bytes(), 4096).unwrap_err();
        assert!(
            refused.contains("payload chunk 0 is not the base64 lines"),
            "{refused}"
        );
    }
}
