//! The page written as the envelope is sealed: the template's part before
//! the first chunk block, then each encrypted chunk in base64 lines as it
//! is produced, the template's text between two chunk blocks, and the part
//! after the last one. Nothing is held but the header and one chunk, so a
//! page of any size is written in constant memory.
//!
//! How the frame is found: the template is rendered (made 7-bit and folded
//! as every page is) with one and with two chunk blocks, each holding one
//! line, a random token no template can hold; the two renderings, cut at
//! the token, must agree on the head and the tail. Once the last chunk is
//! written, the template is rendered once more with as many one-line
//! blocks as the page has, and must be the frame repeated: the page written
//! is then exactly the shape `sealer verify` compares pages with, with the
//! data lines in their blocks. A template that renders otherwise is
//! refused, and the page it was writing is the caller's to discard.

use std::io::{self, Write};

use envelope_core::{ENCRYPTED_CHUNK_SIZE, Header, MAGIC};

use super::{Language, PageOptions, PageParts, folded, render, reply_page_lines};
use crate::seven_bit::MAX_LINE;
use crate::{Error, ErrorKind, Result};

/// Bytes of the header's fixed start: magic, version (2) and length (4).
const HEADER_PREFIX_LEN: usize = MAGIC.len() + 6;

/// Payload bytes per base64 line: 57 bytes make exactly [`MAX_LINE`]
/// characters.
const BYTES_PER_LINE: usize = MAX_LINE / 4 * 3;

/// Writes the page of the envelope bytes it is given (as
/// [`envelope_core::seal`] writes them) into `out`, as they come.
/// [`PageWriter::finish`] ends it.
///
/// An error while writing is kept, whole, for [`PageWriter::take_error`]:
/// the sealer sees only that the write failed.
pub(crate) struct PageWriter<'a, W: Write> {
    out: W,
    options: &'a PageOptions,
    parts: &'a PageParts<'a>,
    /// The header and the frame, once the header is whole.
    started: Option<Started>,
    /// Bytes not written yet: the header's until it is whole, then at
    /// most one chunk (a full one is written only once more bytes show
    /// that it is not the last).
    pending: Vec<u8>,
    /// Chunk blocks written.
    chunks: usize,
    /// Envelope bytes received.
    envelope_len: u64,
    error: Option<Error>,
    failed: bool,
    /// One chunk's base64 lines, reused.
    lines: Vec<u8>,
}

struct Started {
    header: Header,
    frame: Frame,
}

/// The page around its chunk blocks.
struct Frame {
    /// Everything before the first chunk's data lines.
    head: String,
    /// From the end of one chunk's data to the start of the next one's.
    between: String,
    /// From the end of the last chunk's data to the end of the page.
    tail: String,
    /// The token the frame was cut at.
    token: String,
    /// The reply page block's lines, rendered once.
    reply_page: Option<Vec<String>>,
}

/// What a finished page was made of.
#[derive(Debug)]
pub(crate) struct WrittenPage<W> {
    /// Where the page went.
    pub(crate) out: W,
    /// The envelope's header.
    pub(crate) header: Header,
    /// The envelope's size in bytes.
    pub(crate) envelope_len: u64,
}

impl<'a, W: Write> PageWriter<'a, W> {
    /// A page rendered with `options` and `parts`, written into `out`.
    pub(crate) fn new(out: W, options: &'a PageOptions, parts: &'a PageParts<'a>) -> Self {
        PageWriter {
            out,
            options,
            parts,
            started: None,
            pending: Vec::with_capacity(ENCRYPTED_CHUNK_SIZE),
            chunks: 0,
            envelope_len: 0,
            error: None,
            failed: false,
            lines: Vec::new(),
        }
    }

    /// The error that made a write fail, if one did (taken once).
    pub(crate) fn take_error(&mut self) -> Option<Error> {
        self.error.take()
    }

    /// Writes the last chunk and the rest of the page, checks the page is
    /// what the template renders, and flushes.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Envelope`] when the envelope ended before its first
    /// chunk; [`ErrorKind::Template`] when the template does not render
    /// the frame it showed; [`ErrorKind::Io`] when writing fails.
    pub(crate) fn finish(mut self) -> Result<WrittenPage<W>> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let Some(Started { header, frame }) = self.started.take() else {
            return Err(
                envelope_core::Error::Damaged("the envelope ends in its header".into()).into(),
            );
        };
        if self.pending.is_empty() || self.failed {
            return Err(envelope_core::Error::Damaged("the payload is missing".into()).into());
        }
        if self.chunks > 0 {
            write_text(&mut self.out, &frame.between)?;
        }
        write_chunk(&mut self.out, &mut self.lines, &self.pending)?;
        write_text(&mut self.out, &frame.tail)?;
        self.out.flush().map_err(write_failed)?;
        frame.check_rendered(&header, self.chunks + 1, self.options, self.parts)?;
        Ok(WrittenPage {
            out: self.out,
            header,
            envelope_len: self.envelope_len,
        })
    }

    /// Takes in envelope bytes; writes what they complete.
    fn take(&mut self, mut bytes: &[u8]) -> Result<()> {
        self.envelope_len += bytes.len() as u64;
        while self.started.is_none() {
            let wanted = match self.pending.get(..HEADER_PREFIX_LEN) {
                None => HEADER_PREFIX_LEN,
                Some(prefix) => header_len(prefix)?,
            };
            let taken = (wanted - self.pending.len()).min(bytes.len());
            self.pending.extend_from_slice(&bytes[..taken]);
            bytes = &bytes[taken..];
            if self.pending.len() < wanted {
                return Ok(());
            }
            if wanted > HEADER_PREFIX_LEN {
                self.start(wanted)?;
            }
        }
        while !bytes.is_empty() {
            if self.pending.len() == ENCRYPTED_CHUNK_SIZE {
                let chunk = std::mem::take(&mut self.pending);
                self.write_next_chunk(&chunk)?;
                self.pending = chunk;
                self.pending.clear();
            }
            if self.pending.is_empty() && bytes.len() > ENCRYPTED_CHUNK_SIZE {
                // Straight from the caller's bytes: a whole envelope given
                // at once is not copied.
                let (chunk, rest) = bytes.split_at(ENCRYPTED_CHUNK_SIZE);
                self.write_next_chunk(chunk)?;
                bytes = rest;
                continue;
            }
            let taken = (ENCRYPTED_CHUNK_SIZE - self.pending.len()).min(bytes.len());
            self.pending.extend_from_slice(&bytes[..taken]);
            bytes = &bytes[taken..];
        }
        Ok(())
    }

    /// The header (the first `len` pending bytes) is whole: the head of
    /// the page goes out.
    fn start(&mut self, len: usize) -> Result<()> {
        let header = Header::read_from(&mut &self.pending[..len])?;
        let frame = Frame::new(&header, self.options, self.parts)?;
        write_text(&mut self.out, &frame.head)?;
        self.pending.clear();
        self.started = Some(Started { header, frame });
        Ok(())
    }

    /// A chunk that is not the last.
    fn write_next_chunk(&mut self, chunk: &[u8]) -> Result<()> {
        let Some(Started { frame, .. }) = &self.started else {
            return Err(Error::new(ErrorKind::Internal, "a chunk before the header"));
        };
        if self.chunks > 0 {
            write_text(&mut self.out, &frame.between)?;
        }
        write_chunk(&mut self.out, &mut self.lines, chunk)?;
        self.chunks += 1;
        Ok(())
    }
}

/// One chunk's base64 lines, as [`crate::seven_bit::base64_lines`] makes
/// them, each ended by CRLF.
fn write_chunk(out: &mut impl Write, lines: &mut Vec<u8>, chunk: &[u8]) -> Result<()> {
    use base64::Engine;
    let engine = &base64::engine::general_purpose::STANDARD;
    lines.clear();
    let mut line = [0u8; MAX_LINE];
    for piece in chunk.chunks(BYTES_PER_LINE) {
        let len = engine
            .encode_slice(piece, &mut line)
            .map_err(|err| Error::new(ErrorKind::Internal, err.to_string()))?;
        lines.extend_from_slice(&line[..len]);
        lines.extend_from_slice(b"\r\n");
    }
    out.write_all(lines).map_err(write_failed)
}

fn write_text(out: &mut impl Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes()).map_err(write_failed)
}

impl<W: Write> Write for PageWriter<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.failed {
            return Err(io::Error::other("the page could not be written"));
        }
        match self.take(bytes) {
            Ok(()) => Ok(bytes.len()),
            Err(error) => {
                let message = error.detail().to_owned();
                self.error = Some(error);
                self.failed = true;
                Err(io::Error::other(message))
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        // The page is flushed once, whole, by `finish`.
        Ok(())
    }
}

/// The length a header's prefix announces; the precise error
/// ([`Header::read_from`]'s) when it is no header's.
fn header_len(prefix: &[u8]) -> Result<usize> {
    let length: [u8; 4] = prefix[MAGIC.len() + 2..HEADER_PREFIX_LEN]
        .try_into()
        .map_err(|_| Error::new(ErrorKind::Internal, "a header prefix of the wrong size"))?;
    let len = u32::from_be_bytes(length) as usize;
    if len > HEADER_PREFIX_LEN && len <= envelope_core::limits::MAX_HEADER_LEN as usize {
        return Ok(len);
    }
    Err(match Header::read_from(&mut &prefix[..]) {
        Err(err) => err.into(),
        Ok(_) => envelope_core::Error::Damaged("the header length is impossible".into()).into(),
    })
}

fn write_failed(err: io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("cannot write the page: {err}")).with_source(err)
}

impl Frame {
    /// The frame of the page of the envelope whose header is `header`.
    fn new(header: &Header, options: &PageOptions, parts: &PageParts<'_>) -> Result<Frame> {
        let token = format!("sealer-chunk-{}", crate::token::random_token()?);
        let reply_page = reply_page_lines(header, options, parts, &Language::Strict)?;
        // The template's structure, checked on a page whose chunk lines
        // are valid base64.
        let probe = render(
            header,
            header.as_bytes(),
            vec![vec!["AAAA".to_owned()]; 2],
            options,
            parts,
            Language::Strict,
            reply_page.clone(),
        )?;
        crate::page_contract::check_rendered(&probe, &options.templates)?;
        if reply_page.is_some() {
            crate::reply_page::check_carries_frame(&probe)?;
        }
        let mut frame = Frame {
            head: String::new(),
            between: String::new(),
            tail: String::new(),
            token,
            reply_page,
        };
        let two = frame.shape(header, 2, options, parts)?;
        let one = frame.shape(header, 1, options, parts)?;
        let line = frame.token_line();
        match (
            two.split(&line).collect::<Vec<_>>().as_slice(),
            one.split(&line).collect::<Vec<_>>().as_slice(),
        ) {
            ([head, between, tail], [head_one, tail_one])
                if head == head_one && tail == tail_one && head.ends_with("\r\n") =>
            {
                frame.head = (*head).to_owned();
                frame.between = (*between).to_owned();
                frame.tail = (*tail).to_owned();
                Ok(frame)
            }
            _ => Err(unframed(options)),
        }
    }

    /// The page with `chunks` chunk blocks of one token line each.
    fn shape(
        &self,
        header: &Header,
        chunks: usize,
        options: &PageOptions,
        parts: &PageParts<'_>,
    ) -> Result<String> {
        let html = render(
            header,
            header.as_bytes(),
            vec![vec![self.token.clone()]; chunks],
            options,
            parts,
            Language::Strict,
            self.reply_page.clone(),
        )?;
        folded(&html, options)
    }

    fn token_line(&self) -> String {
        format!("{}\r\n", self.token)
    }

    /// Checks that the template renders a page of `chunks` blocks as the
    /// frame wrote it.
    fn check_rendered(
        &self,
        header: &Header,
        chunks: usize,
        options: &PageOptions,
        parts: &PageParts<'_>,
    ) -> Result<()> {
        let page = self.shape(header, chunks, options, parts)?;
        let line = self.token_line();
        let mut pieces = page.split(&line);
        let framed = pieces.next() == Some(self.head.as_str())
            && (1..chunks).all(|_| pieces.next() == Some(self.between.as_str()))
            && pieces.next() == Some(self.tail.as_str())
            && pieces.next().is_none();
        if framed {
            Ok(())
        } else {
            Err(unframed(options))
        }
    }
}

fn unframed(options: &PageOptions) -> Error {
    options.templates.page_failure(
        "the page template must write each chunk block the same way, its data lines alone \
         (as the built-in template does)",
    )
}

#[cfg(test)]
mod tests {
    use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};

    use super::*;
    use crate::seven_bit::base64_lines;

    fn envelope(attachment_len: usize) -> Vec<u8> {
        let mut message = Message::new().subject("Results").text_body("See the file.");
        if attachment_len > 0 {
            message = message.attach(envelope_core::Attachment::from_bytes(
                "scan.bin",
                "application/octet-stream",
                (0..attachment_len)
                    .map(|i| (i * 7 % 251) as u8)
                    .collect::<Vec<u8>>(),
            ));
        }
        let options = SealOptions::new()
            .passphrase(Passphrase::new("a passphrase for the page writer"))
            .kdf(KdfParams::MIN)
            .label("Results from Example Clinic");
        seal_to_vec(message, &options).unwrap()
    }

    /// The page as it was rendered whole, before pages were written as a
    /// stream: every chunk's lines given to the template at once.
    fn rendered_whole(envelope: &[u8], options: &PageOptions) -> String {
        let parts = PageParts::this_build();
        let header = Header::read_from(&mut &envelope[..]).unwrap();
        let (header_bytes, payload) = envelope.split_at(header.len());
        let chunks = payload
            .chunks(ENCRYPTED_CHUNK_SIZE)
            .map(base64_lines)
            .collect();
        let reply_page = reply_page_lines(&header, options, &parts, &Language::Strict).unwrap();
        let html = render(
            &header,
            header_bytes,
            chunks,
            options,
            &parts,
            Language::Strict,
            reply_page,
        )
        .unwrap();
        folded(&html, options).unwrap()
    }

    fn written_in_pieces(envelope: &[u8], piece: usize, options: &PageOptions) -> Result<String> {
        let parts = PageParts::this_build();
        let mut writer = PageWriter::new(Vec::new(), options, &parts);
        for bytes in envelope.chunks(piece) {
            if writer.write_all(bytes).is_err() {
                return Err(writer.take_error().unwrap());
            }
        }
        let written = writer.finish()?;
        assert_eq!(written.envelope_len, envelope.len() as u64);
        assert_eq!(written.header.as_bytes(), &envelope[..written.header.len()]);
        Ok(String::from_utf8(written.out).unwrap())
    }

    #[test]
    fn the_page_written_as_a_stream_is_the_page_rendered_whole() {
        let options = PageOptions::default();
        // One chunk; a payload ending on a chunk's end; three chunks.
        for attachment in [0, 2 * 65536 - 500, 2 * 65536 + 1000] {
            let envelope = envelope(attachment);
            let whole = rendered_whole(&envelope, &options);
            for piece in [1, 13, 4096, 65552, 65553, envelope.len()] {
                let written = written_in_pieces(&envelope, piece, &options).unwrap();
                assert!(written == whole, "{attachment} bytes in pieces of {piece}");
            }
        }
        let replies = PageOptions {
            replies: true,
            ..PageOptions::default()
        };
        let envelope = envelope(70_000);
        assert!(
            written_in_pieces(&envelope, 1000, &replies).unwrap()
                == rendered_whole(&envelope, &replies)
        );
    }

    #[test]
    fn what_is_no_whole_envelope_is_refused_with_its_reason() {
        let options = PageOptions::default();
        let envelope = envelope(10);
        let header_len = Header::read_from(&mut &envelope[..]).unwrap().len();
        let refused = |bytes: &[u8]| written_in_pieces(bytes, 7, &options).unwrap_err();
        assert_eq!(
            refused(b"<html>not an envelope at all</html>").detail(),
            envelope_core::Error::NotAnEnvelope.to_string()
        );
        assert!(
            refused(&envelope[..20])
                .detail()
                .contains("ends in its header")
        );
        assert!(
            refused(&envelope[..header_len])
                .detail()
                .contains("payload is missing")
        );
        let mut long = envelope.clone();
        long[10..14].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(refused(&long).kind(), ErrorKind::Envelope);
    }

    #[test]
    fn a_template_that_writes_chunk_blocks_unlike_each_other_is_refused() {
        let mut options = PageOptions::default();
        options.templates.page = options.templates.page.replace(
            "{% for chunk in chunks %}",
            "{% for chunk in chunks %}{% if loop.index == 3 %}<!-- third -->{% endif %}",
        );
        let small = envelope(10);
        assert!(written_in_pieces(&small, 100, &options).is_ok());
        let three_chunks = envelope(2 * 65536 + 1000);
        let refused = written_in_pieces(&three_chunks, 100, &options).unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::Template, "{refused}");
        assert!(refused.detail().contains("each chunk block the same way"));
    }
}
