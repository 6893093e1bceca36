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
use crate::seven_bit::MAX_LINE;

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
        if let Some(at) = first_not_plain(bytes) {
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

/// Where the first byte of `bytes` that is not printable ASCII, CR or LF
/// is (rule 1). Blocks are checked without a branch per byte (which the
/// compiler turns into vector instructions), and only a block holding such
/// a byte is searched.
pub(super) fn first_not_plain(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 64;
    let bad = |b: u8| !(b == b'\r' || b == b'\n' || (0x20..0x7F).contains(&b));
    let mut at = 0;
    for block in bytes.chunks(BLOCK) {
        if block.iter().fold(false, |any, &b| any | bad(b)) {
            return block.iter().position(|&b| bad(b)).map(|i| at + i);
        }
        at += block.len();
    }
    None
}

fn not_canonical(chunk: usize) -> Problem {
    format!("the data of payload chunk {chunk} is not the base64 lines a sealer writes")
}

/// The length of the chunk in `data`, if `data` is exactly the base64
/// lines the sealer writes for it (line ends aside): a line end, then lines
/// of [`MAX_LINE`] characters but the last (of 1 to that many), each ended
/// by a line end, which decode with padding and no stray bits. Base64 so
/// decoded has one encoding only, so these are the lines the sealer would
/// write for those bytes, without writing them again.
pub(crate) fn canonical_chunk(data: &[u8]) -> Option<usize> {
    use base64::Engine;
    let mut rest = line_end(data)?;
    let mut compact = Vec::with_capacity(data.len());
    while !rest.is_empty() {
        let end = memchr::memchr2(b'\r', b'\n', rest)?;
        let (line, after) = rest.split_at(end);
        if line.is_empty() || line.len() > MAX_LINE {
            return None;
        }
        compact.extend_from_slice(line);
        rest = line_end(after)?;
        // Only the last line may be shorter.
        if line.len() < MAX_LINE && !rest.is_empty() {
            return None;
        }
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    (!bytes.is_empty() && bytes.len() <= ENCRYPTED_CHUNK_SIZE).then_some(bytes.len())
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

    /// What `canonical_chunk` decides, the long way: decode, write the
    /// sealer's lines again, compare.
    fn written_again(data: &[u8]) -> Option<usize> {
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
        let mut rest = line_end(data)?;
        for line in crate::seven_bit::base64_lines(&bytes) {
            rest = rest.strip_prefix(line.as_bytes())?;
            rest = line_end(rest)?;
        }
        rest.is_empty().then_some(bytes.len())
    }

    #[test]
    fn chunk_data_is_canonical_exactly_when_written_again_it_is_the_same() {
        let mut variants: Vec<Vec<u8>> = Vec::new();
        for len in [
            0,
            1,
            2,
            3,
            56,
            57,
            58,
            114,
            1000,
            ENCRYPTED_CHUNK_SIZE,
            ENCRYPTED_CHUNK_SIZE + 1,
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 131 + len) as u8).collect();
            let lines = crate::seven_bit::base64_lines(&bytes);
            for end in ["\r\n", "\n", "\r"] {
                let text = format!("{end}{}{end}", lines.join(end));
                let text = if lines.is_empty() {
                    end.to_owned()
                } else {
                    text
                };
                variants.push(text.clone().into_bytes());
                // Each way the lines could differ from the sealer's.
                variants.push(text.trim_end().as_bytes().to_vec());
                variants.push(format!("{text}{end}").into_bytes());
                variants.push(format!(" {text}").into_bytes());
                variants.push(text.replacen(end, &format!("{end}{end}"), 2).into_bytes());
                variants.push(text.replacen(end, " ", 2).into_bytes());
                variants.push(text.replacen('A', "B", 1).into_bytes());
                variants.push(text.replacen('=', "", 1).into_bytes());
                variants.push(text.replacen('=', "A", 1).into_bytes());
                if let Some(first) = lines.first() {
                    // The first line split in two, or joined with the next.
                    let at = text.find(first.as_str()).unwrap();
                    let mut split = text.clone();
                    split.insert_str(at + 40.min(first.len()), end);
                    variants.push(split.into_bytes());
                    variants.push(
                        text.replacen(&format!("{first}{end}"), first, 1)
                            .into_bytes(),
                    );
                }
            }
        }
        assert!(variants.len() > 300);
        let mut accepted = 0;
        for variant in &variants {
            assert_eq!(
                canonical_chunk(variant),
                written_again(variant),
                "{:?}",
                String::from_utf8_lossy(&variant[..variant.len().min(200)])
            );
            accepted += usize::from(canonical_chunk(variant).is_some());
        }
        assert!(accepted >= 27, "{accepted}");
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
