//! Reading a page as a stream, in bounded memory, by the same rule.
//!
//! A page is nearly all base64. Parsing every character of it through the
//! HTML tokenizer is what made reading a page slow, and holding it what
//! made it large; so the text is read piece by piece, and each long run of
//! base64 and white space that directly follows a `>` and directly
//! precedes a `<` (where a sealer's data blocks stand) is taken out: its
//! bytes are decoded into the spill (memory, then a temporary file), and a
//! placeholder takes its place in what the parser is given, a random token
//! and the run's number. The rest is parsed as before, into the document
//! tree the reading rule is applied to.
//!
//! Why this reads what a browser reads: a run holds no `<`, `&`, quote or
//! anything else that changes the tokenizer's state, and neither does its
//! placeholder (letters, digits and `_`), so the document parsed is the
//! page's own with some text replaced, whatever the run turned out to be in
//! the page (a script's data, text in a comment or an attribute). A block
//! whose text in the tree is exactly a placeholder therefore held exactly
//! that run in the page, and only such a block is given the run's bytes; a
//! run that lay anywhere else is never used. Blocks too short to be taken
//! out are decoded as the parser delivers them ([`super::sink`]).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use base64::Engine;
use html5ever::tendril::{StrTendril, TendrilSink};

use super::sink::{LeanSink, Parsed};
use crate::{Error, ErrorKind, Result};

/// The shortest run taken out, in base64 characters: shorter ones (a
/// header block) go through the parser.
const MIN_RUN: usize = 1024;

/// The longest run taken out, in bytes of text: a sealer's blocks hold one
/// 64 KiB chunk (or the decryptor, 250 KB) each; a longer run goes through
/// the parser, which reads it as it always has.
const MAX_RUN: usize = 4 << 20;

/// How much of the page is read at a time.
const PIECE: usize = 1 << 20;

/// Decoded bytes kept in memory before the spill moves to a file.
const SPILL_IN_MEMORY: usize = 16 << 20;

/// A page read as a stream: the tree without the runs, and the runs'
/// bytes.
pub(crate) struct StreamedPage {
    pub(crate) parsed: Parsed,
    token: String,
    /// Each run taken out: where its bytes lie in the spill, or `None` when
    /// it was not valid base64.
    runs: Vec<Option<(u64, u64)>>,
    spill: Spill,
}

/// Where a piece of a block's bytes lies.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    /// In the spill: offset and length.
    Spilled(u64, u64),
    /// Decoded by the parser.
    Parsed(Vec<u8>),
}

impl StreamedPage {
    /// The bytes of the run that is the whole text of the block `text`
    /// holds: `Some(Ok)` for a valid one, `Some(Err(()))` for one that was
    /// not base64, `None` when the text is no placeholder of this reading.
    pub(crate) fn run_of(&self, text: &str) -> Option<std::result::Result<(u64, u64), ()>> {
        let number = text.strip_prefix(&self.token)?.strip_suffix('_')?;
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let index: usize = number.parse().ok()?;
        Some(self.runs.get(index)?.ok_or(()))
    }

    /// The spilled bytes at `offset`, `len` of them, read whole (for a
    /// small block: the decryptor module).
    pub(crate) fn spilled(&self, offset: u64, len: u64) -> io::Result<Vec<u8>> {
        self.spill.read_range(offset, len)
    }

    /// A reader of `pieces`, one after the other.
    pub(crate) fn into_reader(self, pieces: Vec<Piece>) -> PiecesReader {
        PiecesReader {
            pieces,
            current: 0,
            left: 0,
            started: false,
            position: None,
            source: self.spill.into_source(),
        }
    }
}

/// Reads `source`, a page's bytes (a UTF-8 byte-order mark dropped, other
/// bytes decoded as UTF-8 with replacement characters, as
/// [`super::decode_page`] decodes them), as described above. With `prescan`,
/// first refuses what [`super::decode_page`] refuses (a UTF-16 byte-order
/// mark, a character set other than UTF-8 where the prescan finds it).
///
/// # Errors
///
/// As [`super::decode_page`]; [`ErrorKind::Io`] when reading or spilling
/// fails.
pub(crate) fn read_stream(mut source: impl Read, prescan: bool) -> Result<StreamedPage> {
    let token = format!("_sealer_{}_", crate::token::random_token()?);
    let mut cutter = Cutter::new(token.clone());
    let mut parser = html5ever::parse_document(LeanSink::new(true), Default::default());
    let mut buffer = vec![0u8; PIECE];
    let mut first = true;
    loop {
        let read = fill(&mut source, &mut buffer)?;
        let mut piece = &buffer[..read];
        if first {
            first = false;
            if prescan {
                // What is read first holds the prescan's 1,024 bytes
                // (a piece is larger), unless the page is shorter.
                super::decode_page(&piece[..piece.len().min(super::PRESCAN_LEN + 3)])?;
            }
            piece = piece.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(piece);
        }
        if read == 0 {
            break;
        }
        cutter.take(piece, &mut |text| parser.process(StrTendril::from(text)))?;
    }
    let decoded = cutter.finish(&mut |text| parser.process(StrTendril::from(text)))?;
    Ok(StreamedPage {
        parsed: parser.finish(),
        token,
        runs: decoded.runs,
        spill: decoded.spill,
    })
}

/// Reads until `buffer` is full or the source ends.
fn fill(source: &mut impl Read, buffer: &mut [u8]) -> Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match source.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(cannot_read(err)),
        }
    }
    Ok(filled)
}

fn cannot_read(err: io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("cannot read the page: {err}")).with_source(err)
}

/// Takes the runs out of the text, as it comes.
struct Cutter {
    token: String,
    decoder: Decoder,
    /// Whether a run is being read (the last byte given was a `>`, then
    /// only what a run holds).
    in_run: bool,
    /// The run's text so far, when it began in an earlier piece.
    run: Vec<u8>,
    utf8: Utf8Carry,
}

/// What a run holds: base64 (the standard alphabet and `=`) and ASCII
/// white space.
const IN_RUN: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric()
            || b == b'+'
            || b == b'/'
            || b == b'='
            || b.is_ascii_whitespace();
        byte += 1;
    }
    table
};

/// Where the run at the start of `bytes` ends.
fn run_end(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| !IN_RUN[usize::from(b)])
        .unwrap_or(bytes.len())
}

impl Cutter {
    fn new(token: String) -> Cutter {
        Cutter {
            token,
            decoder: Decoder::new(),
            in_run: false,
            run: Vec::new(),
            utf8: Utf8Carry::default(),
        }
    }

    fn take(&mut self, mut bytes: &[u8], parse: &mut impl FnMut(&str)) -> Result<()> {
        while !bytes.is_empty() {
            if !self.in_run {
                match bytes.iter().position(|&b| b == b'>') {
                    Some(at) => {
                        self.utf8.feed(&bytes[..=at], parse);
                        bytes = &bytes[at + 1..];
                        self.in_run = true;
                    }
                    None => {
                        self.utf8.feed(bytes, parse);
                        return Ok(());
                    }
                }
                continue;
            }
            // A data block's run ends at the `<` of its end tag: found
            // first, its text is checked as it is decoded; only text that
            // is not base64 in lines is walked byte by byte.
            if self.run.is_empty()
                && let Some(at) = memchr::memchr(b'<', bytes)
                && (MIN_RUN..=MAX_RUN).contains(&at)
                && self.take_lines(&bytes[..at], parse)?
            {
                bytes = &bytes[at..];
                self.in_run = false;
                continue;
            }
            let end = run_end(bytes);
            let (part, rest) = bytes.split_at(end);
            bytes = rest;
            if self.run.len() + part.len() > MAX_RUN {
                // Too long to be a block's: the parser reads it.
                let run = std::mem::take(&mut self.run);
                self.utf8.feed(&run, parse);
                self.utf8.feed(part, parse);
                self.in_run = false;
                continue;
            }
            let Some(&next) = rest.first() else {
                // The piece ends in the run: it goes on in the next one.
                self.run.extend_from_slice(part);
                return Ok(());
            };
            self.in_run = false;
            if self.run.is_empty() {
                // The whole run in this piece: read where it lies.
                self.end_run(part, next == b'<', parse)?;
            } else {
                let mut run = std::mem::take(&mut self.run);
                run.extend_from_slice(part);
                self.end_run(&run, next == b'<', parse)?;
                run.clear();
                self.run = run;
            }
        }
        Ok(())
    }

    /// Takes `text`, followed by a `<`, out as a run if it is base64 in
    /// lines (broken by CR and LF only); `false` when it is not.
    fn take_lines(&mut self, text: &[u8], parse: &mut impl FnMut(&str)) -> Result<bool> {
        let mut compact = self.decoder.buffer();
        compact.reserve(text.len());
        let mut start = 0;
        for at in memchr::memchr2_iter(b'\r', b'\n', text) {
            compact.extend_from_slice(&text[start..at]);
            start = at + 1;
        }
        compact.extend_from_slice(&text[start..]);
        if compact.len() < MIN_RUN || !all_base64(&compact) {
            return Ok(false);
        }
        self.stand_in(compact, parse)?;
        Ok(true)
    }

    /// Hands the run's base64 (without white space) to the decoder, and
    /// its placeholder to the parser.
    fn stand_in(&mut self, compact: Vec<u8>, parse: &mut impl FnMut(&str)) -> Result<()> {
        let index = self.decoder.send(compact)?;
        let placeholder = format!("{}{index}_", self.token);
        self.utf8.feed(placeholder.as_bytes(), parse);
        Ok(())
    }

    /// The run `text` ends: followed by a `<` (`closed`), a long one is
    /// taken out; otherwise it goes to the parser as it is.
    fn end_run(&mut self, text: &[u8], closed: bool, parse: &mut impl FnMut(&str)) -> Result<()> {
        if !closed || text.len() < MIN_RUN {
            self.utf8.feed(text, parse);
            return Ok(());
        }
        let mut compact = self.decoder.buffer();
        compact_into(text, &mut compact);
        if compact.len() < MIN_RUN {
            self.utf8.feed(text, parse);
            return Ok(());
        }
        self.stand_in(compact, parse)
    }

    /// The end of the page: the runs' bytes, once all are decoded.
    fn finish(mut self, parse: &mut impl FnMut(&str)) -> Result<Decoded> {
        let run = std::mem::take(&mut self.run);
        self.utf8.feed(&run, parse);
        self.utf8.finish(parse);
        self.decoder.finish()
    }
}

/// Whether `bytes` are all of the base64 alphabet or `=` (checked in
/// blocks without an early exit, which the compiler vectorises).
fn all_base64(bytes: &[u8]) -> bool {
    bytes.chunks(64).all(|block| {
        block.iter().fold(true, |ok, &b| {
            ok & (b.is_ascii_alphanumeric() | (b == b'+') | (b == b'/') | (b == b'='))
        })
    })
}

/// The runs' bytes and where each lies.
struct Decoded {
    /// Each run: where its bytes lie in the spill, or `None` when it was
    /// not valid base64.
    runs: Vec<Option<(u64, u64)>>,
    spill: Spill,
}

/// Decodes the runs and keeps their bytes aside, on a thread of its own:
/// the page is read on meanwhile.
struct Decoder {
    sender: Option<SyncSender<Vec<u8>>>,
    /// Buffers the thread is done with, to be filled again.
    returned: Receiver<Vec<u8>>,
    worker: Option<JoinHandle<Result<Decoded>>>,
    sent: usize,
}

/// Runs waiting for the decoder (a sealer's are about 90 KB each).
const DECODER_QUEUE: usize = 8;

impl Decoder {
    fn new() -> Decoder {
        let (sender, runs) = sync_channel::<Vec<u8>>(DECODER_QUEUE);
        let (give_back, returned) = sync_channel::<Vec<u8>>(DECODER_QUEUE);
        let worker = std::thread::spawn(move || {
            let mut decoded = Decoded {
                runs: Vec::new(),
                spill: Spill::default(),
            };
            let mut bytes = Vec::new();
            for mut compact in runs {
                bytes.clear();
                let run = match base64::engine::general_purpose::STANDARD
                    .decode_vec(&compact, &mut bytes)
                {
                    Ok(()) => Some(decoded.spill.append(&bytes)?),
                    Err(_) => None,
                };
                decoded.runs.push(run);
                compact.clear();
                let _ = give_back.try_send(compact);
            }
            Ok(decoded)
        });
        Decoder {
            sender: Some(sender),
            returned,
            worker: Some(worker),
            sent: 0,
        }
    }

    /// An empty buffer for the next run.
    fn buffer(&self) -> Vec<u8> {
        self.returned.try_recv().unwrap_or_default()
    }

    /// Queues a run; returns its number.
    fn send(&mut self, compact: Vec<u8>) -> Result<usize> {
        let sent = self
            .sender
            .as_ref()
            .is_some_and(|sender| sender.send(compact).is_ok());
        if !sent {
            // The thread stopped: its error says why.
            return Err(self
                .join()
                .err()
                .unwrap_or_else(|| Error::new(ErrorKind::Internal, "the page's decoder stopped")));
        }
        self.sent += 1;
        Ok(self.sent - 1)
    }

    fn finish(mut self) -> Result<Decoded> {
        self.join()
    }

    fn join(&mut self) -> Result<Decoded> {
        self.sender = None;
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(decoded)) => decoded,
            Some(Err(_)) | None => Err(Error::new(
                ErrorKind::Internal,
                "the page's decoder stopped",
            )),
        }
    }
}

/// `text` without its ASCII white space, into `out`.
fn compact_into(text: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.reserve(text.len());
    for piece in text.split(u8::is_ascii_whitespace) {
        out.extend_from_slice(piece);
    }
}

/// Decodes UTF-8 given in pieces as it would be decoded whole (invalid
/// sequences replaced), holding back a sequence cut at a piece's end.
#[derive(Default)]
struct Utf8Carry {
    carried: Vec<u8>,
}

impl Utf8Carry {
    fn feed(&mut self, bytes: &[u8], parse: &mut impl FnMut(&str)) {
        if bytes.is_empty() {
            return;
        }
        let joined;
        let bytes = if self.carried.is_empty() {
            bytes
        } else {
            self.carried.extend_from_slice(bytes);
            joined = std::mem::take(&mut self.carried);
            &joined[..]
        };
        let end = complete_up_to(bytes);
        match std::str::from_utf8(&bytes[..end]) {
            Ok(text) => parse(text),
            Err(_) => parse(&String::from_utf8_lossy(&bytes[..end])),
        }
        self.carried = bytes[end..].to_vec();
    }

    fn finish(&mut self, parse: &mut impl FnMut(&str)) {
        if !self.carried.is_empty() {
            parse(&String::from_utf8_lossy(&std::mem::take(&mut self.carried)));
        }
    }
}

/// Where a multi-byte sequence cut off at the end of `bytes` starts (their
/// length when none is).
fn complete_up_to(bytes: &[u8]) -> usize {
    let len = bytes.len();
    for back in 1..=3.min(len) {
        let byte = bytes[len - back];
        if byte & 0xC0 == 0x80 {
            continue; // a continuation byte: look further back
        }
        let needed = match byte {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        return if needed > back { len - back } else { len };
    }
    len
}

/// The runs' bytes: in memory, then in a temporary file (removed as soon
/// as it is made: nothing stays behind, whatever happens).
#[derive(Default)]
struct Spill {
    memory: Vec<u8>,
    file: Option<File>,
    len: u64,
}

impl Spill {
    /// Appends `bytes`; returns where they lie.
    fn append(&mut self, bytes: &[u8]) -> Result<(u64, u64)> {
        let at = self.len;
        if self.file.is_none() && self.memory.len() + bytes.len() > SPILL_IN_MEMORY {
            let mut file = anonymous_file().map_err(spill_failed)?;
            file.write_all(&self.memory).map_err(spill_failed)?;
            self.memory = Vec::new();
            self.file = Some(file);
        }
        match &mut self.file {
            Some(file) => file.write_all(bytes).map_err(spill_failed)?,
            None => self.memory.extend_from_slice(bytes),
        }
        self.len += bytes.len() as u64;
        Ok((at, bytes.len() as u64))
    }

    /// `len` bytes at `offset`, read whole.
    fn read_range(&self, offset: u64, len: u64) -> io::Result<Vec<u8>> {
        let out_of_range = || io::Error::new(io::ErrorKind::UnexpectedEof, "out of the spill");
        match &self.file {
            None => {
                let start = usize::try_from(offset).map_err(|_| out_of_range())?;
                let end = start + usize::try_from(len).map_err(|_| out_of_range())?;
                self.memory
                    .get(start..end)
                    .map(<[u8]>::to_vec)
                    .ok_or_else(out_of_range)
            }
            Some(file) => {
                let mut bytes = vec![0u8; usize::try_from(len).map_err(|_| out_of_range())?];
                let mut file = file;
                file.seek(SeekFrom::Start(offset))?;
                file.read_exact(&mut bytes)?;
                Ok(bytes)
            }
        }
    }

    fn into_source(self) -> SpillSource {
        match self.file {
            Some(file) => SpillSource::File(io::BufReader::with_capacity(1 << 20, file)),
            None => SpillSource::Memory(io::Cursor::new(self.memory)),
        }
    }
}

enum SpillSource {
    Memory(io::Cursor<Vec<u8>>),
    File(io::BufReader<File>),
}

impl Read for SpillSource {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            SpillSource::Memory(memory) => memory.read(buf),
            SpillSource::File(file) => file.read(buf),
        }
    }
}

impl Seek for SpillSource {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        match self {
            SpillSource::Memory(memory) => memory.seek(to),
            SpillSource::File(file) => file.seek(to),
        }
    }
}

fn spill_failed(err: io::Error) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("cannot keep the page's data aside in a temporary file: {err}"),
    )
    .with_source(err)
}

/// A new file in the temporary folder, already removed from it (it lives
/// as long as the handle).
fn anonymous_file() -> io::Result<File> {
    let path = std::env::temp_dir().join(format!(
        ".sealer-page-{}-{}",
        std::process::id(),
        crate::token::random_token().map_err(|err| io::Error::other(err.to_string()))?
    ));
    let file = File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

/// The envelope's bytes, piece by piece: from the spill or decoded by the
/// parser.
pub(crate) struct PiecesReader {
    pieces: Vec<Piece>,
    current: usize,
    /// Bytes left in the current piece.
    left: u64,
    started: bool,
    /// Where the spill's reader stands, when known: pieces that follow
    /// each other are read without a seek (which would drop its buffer).
    position: Option<u64>,
    source: SpillSource,
}

impl Read for PiecesReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(piece) = self.pieces.get_mut(self.current) else {
                return Ok(0);
            };
            match piece {
                Piece::Parsed(bytes) => {
                    if !self.started {
                        self.started = true;
                        self.left = bytes.len() as u64;
                    }
                    let offset = bytes.len() - self.left as usize;
                    let n = buf.len().min(self.left as usize);
                    buf[..n].copy_from_slice(&bytes[offset..offset + n]);
                    self.left -= n as u64;
                    if n > 0 {
                        return Ok(n);
                    }
                }
                Piece::Spilled(offset, len) => {
                    if !self.started {
                        self.started = true;
                        self.left = *len;
                        if self.position != Some(*offset) {
                            self.source.seek(SeekFrom::Start(*offset))?;
                            self.position = Some(*offset);
                        }
                    }
                    let want = buf
                        .len()
                        .min(usize::try_from(self.left).unwrap_or(usize::MAX));
                    if want > 0 {
                        let n = self.source.read(&mut buf[..want])?;
                        if n == 0 {
                            return Err(io::Error::new(
                                io::ErrorKind::UnexpectedEof,
                                "the page's data kept aside ended early",
                            ));
                        }
                        self.left -= n as u64;
                        self.position = self.position.map(|at| at + n as u64);
                        return Ok(n);
                    }
                }
            }
            self.current += 1;
            self.started = false;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The text the parser is given and the runs taken out, for `page`
    /// given in pieces of `piece` bytes.
    fn reduced(page: &[u8], piece: usize) -> (String, Vec<Option<Vec<u8>>>, String) {
        let mut cutter = Cutter::new("_t_".to_owned());
        let mut text = String::new();
        for bytes in page.chunks(piece) {
            cutter.take(bytes, &mut |t| text.push_str(t)).unwrap();
        }
        let token = cutter.token.clone();
        let decoded = cutter.finish(&mut |t| text.push_str(t)).unwrap();
        let runs = decoded
            .runs
            .iter()
            .map(|run| run.map(|(offset, len)| decoded.spill.read_range(offset, len).unwrap()))
            .collect();
        (text, runs, token)
    }

    #[test]
    fn long_runs_between_tags_are_taken_out_wherever_the_pieces_end() {
        let bytes: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        let base64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let lines: Vec<&str> = base64
            .as_bytes()
            .chunks(76)
            .map(|l| std::str::from_utf8(l).unwrap())
            .collect();
        let block = format!("\r\n{}\r\n", lines.join("\r\n"));
        let page = format!(
            "<p>caf\u{e9} \u{1F600}</p><script>{block}</script><b>{block}!</b>\
             <i>QUJD</i><!--{block}--><u>{block}"
        );
        for piece in [1, 2, 3, 5, 76, 4096, page.len()] {
            let (text, runs, token) = reduced(page.as_bytes(), piece);
            // The script's run only: not the one followed by other text,
            // the short one, the one after no `>`, or the one the page
            // ends in.
            assert!(runs == [Some(bytes.clone())], "pieces of {piece}");
            assert_eq!(
                text,
                format!(
                    "<p>caf\u{e9} \u{1F600}</p><script>{token}0_</script><b>{block}!</b>\
                     <i>QUJD</i><!--{block}--><u>{block}"
                ),
                "{piece}"
            );
        }
        // A run that is not valid base64 is taken out, and said to be.
        let bad = format!("<script>{}=A</script>", "A".repeat(2000));
        assert_eq!(reduced(bad.as_bytes(), 100).1, [None]);
    }

    #[test]
    fn utf8_is_decoded_as_if_whole_wherever_the_pieces_end() {
        let bytes: &[u8] = b"a\xC3\xA9b\xE2\x82\xACc\xF0\x9F\x98\x80d\xE2\x82e\xFF\x80f\xC3";
        let whole = String::from_utf8_lossy(bytes);
        for piece in 1..bytes.len() {
            let mut carry = Utf8Carry::default();
            let mut text = String::new();
            for part in bytes.chunks(piece) {
                carry.feed(part, &mut |t| text.push_str(t));
            }
            carry.finish(&mut |t| text.push_str(t));
            assert_eq!(text, whole, "pieces of {piece}");
        }
    }

    #[test]
    fn the_spill_moves_to_a_file_and_reads_back_across_pieces() {
        let mut spill = Spill::default();
        let big = vec![7u8; SPILL_IN_MEMORY - 10];
        let first = spill.append(&big).unwrap();
        let second = spill.append(b"0123456789abcdefghij").unwrap();
        assert!(spill.file.is_some());
        assert_eq!(
            spill.read_range(second.0, second.1).unwrap(),
            b"0123456789abcdefghij"
        );
        let pieces = vec![
            Piece::Parsed(b"head".to_vec()),
            Piece::Spilled(second.0 + 10, 10),
            Piece::Spilled(first.0, 3),
            Piece::Parsed(Vec::new()),
            Piece::Spilled(second.0, 10),
        ];
        let mut reader = PiecesReader {
            pieces,
            current: 0,
            left: 0,
            started: false,
            position: None,
            source: spill.into_source(),
        };
        let mut out = Vec::new();
        reader.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"headabcdefghij\x07\x07\x070123456789");
    }
}
