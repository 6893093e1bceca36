//! The page of a secure reply, as the page that answers makes it.
//!
//! A reply must be a page `sealer verify` accepts: exactly what the
//! sealer's template renders for the reply envelope. The answering page
//! cannot run the template, so the sealer renders it ahead, into a *frame*
//! that the original page carries (block `#reply-page`, base64): the reply
//! page's text with holes where it holds what the answering page already
//! has, byte for byte — its decryptor, glue, loader, style, texts and
//! advice (the text of the elements that hold them) — and where the reply
//! envelope goes (its header block's lines, and one chunk block per
//! encrypted chunk). [`ReplyFrame::fill`] puts them in.
//!
//! The sealer checks, before it writes the original page, that filling its
//! frame gives exactly what the template renders (`sealer::reply_page`);
//! the page fills it with this same code.
//!
//! Encoding (all lengths big-endian, every length checked before use):
//!
//! ```text
//! frame = version (u8, 1) ‖ label (u16 length ‖ UTF-8) ‖ hint (u16 ‖ UTF-8)
//!       ‖ limit (u64: the most bytes of text and files a reply may hold)
//!       ‖ chunk opening (u32 ‖ text) ‖ chunk closing (u32 ‖ text)
//!       ‖ part count (u16) ‖ parts
//! part  = 0 ‖ u32 length ‖ text        (text of the page)
//!       | hole number (u8, 1 to 8)     (see Hole)
//! ```
//!
//! Text is printable ASCII and line feeds (a page is), and each of the
//! eight holes appears exactly once, the header's before the chunks'.

use crate::error::{Error, Result};
use crate::stream::ENCRYPTED_CHUNK_SIZE;
use crate::wire::{Parser, Put};

/// The id of the frame's block in the original page.
pub const REPLY_PAGE_ID: &str = "reply-page";
/// The most bytes a frame may have, decoded (a frame is a few kilobytes:
/// the page without its decryptor, texts and style).
pub const MAX_FRAME_LEN: usize = 256 * 1024;
/// Characters per base64 line in a page's data blocks.
pub const LINE_WIDTH: usize = 76;
/// The default limit of a reply's text and files: 20 MB.
pub const DEFAULT_REPLY_LIMIT: u64 = 20_000_000;
/// The highest limit a frame may set: 100 MB (the page holds a reply in
/// memory three times over while sealing it).
pub const MAX_REPLY_LIMIT: u64 = 100_000_000;
/// The label and hint's limit (as in an envelope's header).
const MAX_PUBLIC_TEXT: usize = 1024;

/// What goes into a hole of the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hole {
    /// The text of the page's `<style>`.
    Style,
    /// The text of `#decryptor-wasm` (the module, in base64 lines).
    Wasm,
    /// The text of `#page-texts`.
    Texts,
    /// The text of `#page-advice`.
    Advice,
    /// The text of `#decryptor-js` (the glue).
    Glue,
    /// The text of the loader: the element after `#decryptor-js`.
    Loader,
    /// The reply envelope's header, in base64 lines, each ending in a line
    /// feed.
    Header,
    /// One chunk block per encrypted chunk of the reply envelope: the
    /// chunk opening, the chunk's base64 lines (each ending in a line feed),
    /// the chunk closing.
    Chunks,
}

impl Hole {
    /// Every hole, in the order of their numbers.
    pub const ALL: [Hole; 8] = [
        Hole::Style,
        Hole::Wasm,
        Hole::Texts,
        Hole::Advice,
        Hole::Glue,
        Hole::Loader,
        Hole::Header,
        Hole::Chunks,
    ];

    fn number(self) -> u8 {
        match self {
            Hole::Style => 1,
            Hole::Wasm => 2,
            Hole::Texts => 3,
            Hole::Advice => 4,
            Hole::Glue => 5,
            Hole::Loader => 6,
            Hole::Header => 7,
            Hole::Chunks => 8,
        }
    }

    fn from_number(number: u8) -> Option<Hole> {
        Hole::ALL.into_iter().find(|hole| hole.number() == number)
    }

    /// Whether the page fills it from one of its own elements.
    pub fn is_element(self) -> bool {
        !matches!(self, Hole::Header | Hole::Chunks)
    }
}

/// One piece of the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FramePart {
    /// Text of the reply page, as it stands.
    Text(String),
    /// What the answering page or the reply envelope gives.
    Hole(Hole),
}

/// The reply page, rendered ahead with holes (see the module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyFrame {
    /// The reply envelope's label (its header field, as the frame's text
    /// shows it).
    pub label: String,
    /// The reply envelope's hint.
    pub hint: String,
    /// The most bytes of text and files a reply may hold (1 to
    /// [`MAX_REPLY_LIMIT`]); the page says so before it seals anything.
    pub limit: u64,
    /// What comes before each chunk's lines.
    pub chunk_open: String,
    /// What comes after each chunk's lines.
    pub chunk_close: String,
    /// The page, in order.
    pub parts: Vec<FramePart>,
}

impl ReplyFrame {
    /// The frame's bytes (see the module).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a frame [`ReplyFrame::decode`] would
    /// refuse.
    pub fn encode(&self) -> Result<Vec<u8>> {
        self.check()
            .map_err(|err| Error::invalid(err.to_string()))?;
        let mut out = vec![1u8];
        for text in [&self.label, &self.hint] {
            out.put_u16(text.len() as u16);
            out.extend_from_slice(text.as_bytes());
        }
        out.put_u64(self.limit);
        for text in [&self.chunk_open, &self.chunk_close] {
            out.put_u32(text.len() as u32);
            out.extend_from_slice(text.as_bytes());
        }
        out.put_u16(self.parts.len() as u16);
        for part in &self.parts {
            match part {
                FramePart::Text(text) => {
                    out.put_u8(0);
                    out.put_u32(text.len() as u32);
                    out.extend_from_slice(text.as_bytes());
                }
                FramePart::Hole(hole) => out.put_u8(hole.number()),
            }
        }
        if out.len() > MAX_FRAME_LEN {
            return Err(Error::invalid(format!(
                "the reply page's frame is {} bytes, more than {MAX_FRAME_LEN}",
                out.len()
            )));
        }
        Ok(out)
    }

    /// Reads a frame (the base64-decoded text of the `#reply-page` block).
    ///
    /// # Errors
    ///
    /// [`Error::Damaged`] for anything that is not a frame of version 1
    /// as [`ReplyFrame::encode`] writes it.
    pub fn decode(bytes: &[u8]) -> Result<ReplyFrame> {
        Error::check_limit("reply page frame", MAX_FRAME_LEN as u64, bytes.len() as u64)?;
        let mut p = Parser::new(bytes, "reply page frame");
        if p.u8()? != 1 {
            return Err(Error::damaged("the reply page frame is not of version 1"));
        }
        let label = p.string("reply label", MAX_PUBLIC_TEXT)?;
        let hint = p.string("reply hint", MAX_PUBLIC_TEXT)?;
        let limit = p.u64()?;
        let text = |p: &mut Parser<'_>| -> Result<String> {
            let len = p.u32()? as usize;
            let bytes = p.take(len)?;
            String::from_utf8(bytes.to_vec())
                .map_err(|_| Error::damaged("the reply page frame's text is not UTF-8"))
        };
        let chunk_open = text(&mut p)?;
        let chunk_close = text(&mut p)?;
        let count = p.u16()?;
        let mut parts = Vec::new();
        for _ in 0..count {
            parts.push(match p.u8()? {
                0 => FramePart::Text(text(&mut p)?),
                number => {
                    FramePart::Hole(Hole::from_number(number).ok_or_else(|| {
                        Error::damaged("the reply page frame has an unknown hole")
                    })?)
                }
            });
        }
        p.finish()?;
        let frame = ReplyFrame {
            label,
            hint,
            limit,
            chunk_open,
            chunk_close,
            parts,
        };
        frame.check().map_err(Error::damaged)?;
        Ok(frame)
    }

    /// The rules both sides hold a frame to.
    fn check(&self) -> std::result::Result<(), &'static str> {
        if self.label.is_empty() || self.label.len() > MAX_PUBLIC_TEXT {
            return Err("the reply label is empty or longer than 1024 bytes");
        }
        if self.hint.len() > MAX_PUBLIC_TEXT {
            return Err("the reply hint is longer than 1024 bytes");
        }
        if !(1..=MAX_REPLY_LIMIT).contains(&self.limit) {
            return Err("the reply limit is not 1 byte to 100 MB");
        }
        let page_text = |text: &str| {
            text.bytes()
                .all(|b| b == b'\n' || (0x20..0x7f).contains(&b))
        };
        let texts = self.parts.iter().filter_map(|part| match part {
            FramePart::Text(text) => Some(text.as_str()),
            FramePart::Hole(_) => None,
        });
        if ![self.chunk_open.as_str(), self.chunk_close.as_str()]
            .into_iter()
            .chain(texts)
            .all(page_text)
        {
            return Err("the reply page frame's text is not printable ASCII");
        }
        let position = |wanted: Hole| {
            let mut at = self
                .parts
                .iter()
                .enumerate()
                .filter(|(_, part)| **part == FramePart::Hole(wanted));
            match (at.next(), at.next()) {
                (Some((index, _)), None) => Some(index),
                _ => None,
            }
        };
        if Hole::ALL.into_iter().any(|hole| position(hole).is_none()) {
            return Err("the reply page frame does not have each hole exactly once");
        }
        if position(Hole::Header) > position(Hole::Chunks) {
            return Err("the reply page frame has the chunks before the header");
        }
        Ok(())
    }

    /// The reply page: the frame with the answering page's own element
    /// texts (`element` gives each; the page reads them from its document,
    /// whose parser turned any CR LF into LF) and the reply `envelope`,
    /// whose header is its first `header_len` bytes.
    ///
    /// # Errors
    ///
    /// [`Error::Damaged`] when `element` has no text for a hole or
    /// `header_len` is not within the envelope.
    pub fn fill(
        &self,
        element: impl Fn(Hole) -> Option<String>,
        envelope: &[u8],
        header_len: usize,
    ) -> Result<String> {
        if header_len == 0 || header_len >= envelope.len() {
            return Err(Error::damaged("the reply envelope has no payload"));
        }
        let (header, payload) = envelope.split_at(header_len);
        let mut page = String::with_capacity(envelope.len() / 3 * 4 + 400_000);
        for part in &self.parts {
            match part {
                FramePart::Text(text) => page.push_str(text),
                FramePart::Hole(Hole::Header) => push_lines(&mut page, header),
                FramePart::Hole(Hole::Chunks) => {
                    for chunk in payload.chunks(ENCRYPTED_CHUNK_SIZE) {
                        page.push_str(&self.chunk_open);
                        push_lines(&mut page, chunk);
                        page.push_str(&self.chunk_close);
                    }
                }
                FramePart::Hole(hole) => {
                    let text = element(*hole).ok_or_else(|| {
                        Error::damaged("the page lacks an element of its decryptor to copy")
                    })?;
                    page.push_str(&text);
                }
            }
        }
        Ok(page)
    }
}

/// `bytes` in base64, [`LINE_WIDTH`] characters a line, each line followed
/// by a line feed (as the page template writes its data blocks).
pub fn push_lines(out: &mut String, bytes: &[u8]) {
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD.encode(bytes);
    for line in text.as_bytes().chunks(LINE_WIDTH) {
        // Base64 is ASCII.
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> ReplyFrame {
        let mut parts = Vec::new();
        for hole in Hole::ALL {
            parts.push(FramePart::Text(format!("<{hole:?}>\n")));
            parts.push(FramePart::Hole(hole));
        }
        parts.push(FramePart::Text("</html>\n".into()));
        ReplyFrame {
            label: "Re: Secure message from Zo\u{eb}'s clinic".into(),
            hint: "the passphrase of the message you answered".into(),
            limit: DEFAULT_REPLY_LIMIT,
            chunk_open: "<script class=\"envelope-chunk\">\n".into(),
            chunk_close: "</script>\n".into(),
            parts,
        }
    }

    #[test]
    fn a_frame_round_trips_and_fills_every_hole() {
        let frame = frame();
        let bytes = frame.encode().unwrap();
        assert_eq!(ReplyFrame::decode(&bytes).unwrap(), frame);
        let envelope: Vec<u8> = (0..(10 + ENCRYPTED_CHUNK_SIZE + 5))
            .map(|i| i as u8)
            .collect();
        let page = frame
            .fill(|hole| Some(format!("[{hole:?} text]")), &envelope, 10)
            .unwrap();
        assert!(page.starts_with("<Style>\n[Style text]<Wasm>\n"));
        assert_eq!(
            page.matches("<script class=\"envelope-chunk\">\n").count(),
            2
        );
        assert!(page.contains("<Header>\nAAECAwQFBgcICQ==\n<Chunks>\n<script"));
        assert!(page.ends_with("</script>\n</html>\n"));
        assert!(page.lines().all(|line| line.len() <= LINE_WIDTH + 20));
        // A page without an element to copy cannot be filled.
        assert!(frame.fill(|_| None, &envelope, 10).is_err());
        assert!(
            frame
                .fill(|_| Some(String::new()), &envelope, envelope.len())
                .is_err()
        );
    }

    #[test]
    fn frames_that_are_not_well_formed_are_refused() {
        let good = frame().encode().unwrap();
        for cut in [0, 1, 5, good.len() - 1] {
            assert!(ReplyFrame::decode(&good[..cut]).is_err(), "cut at {cut}");
        }
        let mut version = good.clone();
        version[0] = 2;
        assert!(ReplyFrame::decode(&version).is_err());
        assert!(ReplyFrame::decode(&[good.as_slice(), &[0]].concat()).is_err());
        let mut twice = frame();
        twice.parts.push(FramePart::Hole(Hole::Wasm));
        assert!(twice.encode().is_err());
        let mut missing = frame();
        missing
            .parts
            .retain(|part| *part != FramePart::Hole(Hole::Loader));
        assert!(missing.encode().is_err());
        let mut control = frame();
        control.parts.push(FramePart::Text("\u{1}".into()));
        assert!(control.encode().is_err());
        let mut order = frame();
        order
            .parts
            .retain(|part| *part != FramePart::Hole(Hole::Header));
        order.parts.push(FramePart::Hole(Hole::Header));
        assert!(order.encode().is_err());
        let mut no_limit = frame();
        no_limit.limit = 0;
        assert!(no_limit.encode().is_err());
        let mut unknown = good.clone();
        let last_hole = unknown.len() - 1 - 4 - "</html>\n".len() - 1;
        assert_eq!(unknown[last_hole], 8);
        unknown[last_hole] = 9;
        assert!(ReplyFrame::decode(&unknown).is_err());
    }
}
