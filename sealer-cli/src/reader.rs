//! Reading the envelope out of a page, by the one rule that `sealer open`,
//! this library and the page's own decryptor (`envelope-wasm/src/page.rs`)
//! share, so that no file can show one message to a browser and another to
//! the command line (`docs/FORMAT.md`, "The envelope in a page").
//!
//! The page is read as a browser reads it: its bytes decoded as the browser
//! decodes them, then parsed into a document tree by the HTML standard's
//! algorithm (html5ever), where markup in a comment, a `<template>` or an
//! attribute is not an element. On that tree:
//!
//! 1. the page is UTF-8 (no UTF-16 byte-order mark, every character-set
//!    declaration says UTF-8, at least one is a `<meta>` element) and in
//!    standards mode (not quirks mode, where class names match in any case);
//! 2. exactly one element has the id `envelope-header`; the chunk blocks are
//!    the elements whose class list holds `envelope-chunk`, as
//!    `getElementsByClassName` finds them, in document order;
//! 3. each of them is an HTML `<script type="application/octet-stream">`
//!    (a chunk's class is exactly `envelope-chunk`), and every chunk follows
//!    the header;
//! 4. no comment and nothing inside a `<template>` mentions `envelope-header`
//!    or `envelope-chunk` (in any case): a block hidden there is a decoy;
//! 5. each block is standard base64 with its padding, ASCII white space
//!    anywhere.
//!
//! Anything else is a damaged page, for every reader.

use std::borrow::Cow;

use base64::Engine;
use scraper::node::Node;
use scraper::{ElementRef, Html};

use crate::{Error, Result};

mod sink;
mod stream;
pub(crate) use sink::{Parsed, parse};
use stream::{Piece, PiecesReader};

pub use envelope_core::page::{CHUNK_CLASS, DATA_TYPE, HEADER_ID, WASM_ID};
use envelope_core::page::{charset_values, is_utf8_label, mentions_a_block};

/// How far a browser looks for a character-set declaration before parsing
/// (the HTML standard's prescan).
const PRESCAN_LEN: usize = 1024;

fn damaged(why: impl Into<Cow<'static, str>>) -> Error {
    Error::from(envelope_core::Error::Damaged(why.into()))
}

/// A page's text as a browser decodes it: UTF-8 (a UTF-8 byte-order mark
/// dropped, invalid sequences replaced by U+FFFD as the browser's decoder
/// replaces them).
///
/// # Errors
///
/// [`envelope_core::Error::Damaged`] when the browser would decode it as
/// something else: a UTF-16 byte-order mark, or a character set other than
/// UTF-8 declared where the browser's prescan finds it.
pub fn decode_page(bytes: &[u8]) -> Result<Cow<'_, str>> {
    if bytes.starts_with(&[0xFE, 0xFF]) || bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(damaged(
            "the page starts with a UTF-16 byte-order mark: a browser would read it as UTF-16",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let prescanned = &bytes[..bytes.len().min(PRESCAN_LEN)];
    for declared in charset_values(&String::from_utf8_lossy(prescanned)) {
        if !is_utf8_label(&declared) {
            return Err(damaged(format!(
                "the page declares the character set {declared:?}, not UTF-8"
            )));
        }
    }
    // Valid UTF-8 (every sealer page) is checked by the fast validator; only
    // a page that is not is decoded with replacement characters.
    Ok(match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    })
}

/// The envelope's blocks in a parsed page, found by the rule above.
#[derive(Debug)]
pub struct Blocks<'a> {
    /// The header's block.
    pub header: ElementRef<'a>,
    /// The payload chunks' blocks, in order.
    pub chunks: Vec<ElementRef<'a>>,
}

/// Finds the envelope's blocks in `document` by the rule in this module's
/// documentation.
///
/// # Errors
///
/// [`envelope_core::Error::NotAnEnvelope`] when the page has no header
/// block; [`envelope_core::Error::Damaged`] when anything breaks the rule.
pub fn find_blocks(document: &Html) -> Result<Blocks<'_>> {
    let mut headers = Vec::new();
    let mut chunks = Vec::new();
    let mut chunk_before_header = false;
    for element in elements_outside_templates(document) {
        let value = element.value();
        if value.attr("id") == Some(HEADER_ID) {
            headers.push(element);
        }
        if value
            .attr("class")
            .is_some_and(|class| class.split_ascii_whitespace().any(|c| c == CHUNK_CLASS))
        {
            chunk_before_header |= headers.is_empty() || value.attr("id") == Some(HEADER_ID);
            chunks.push(element);
        }
    }
    // A page without a header block is no envelope page at all (a page that
    // has one is damaged by anything else the rule refuses).
    if headers.is_empty() {
        return Err(Error::from(envelope_core::Error::NotAnEnvelope));
    }
    check_document(document)?;
    let header = match headers.as_slice() {
        [] => return Err(Error::from(envelope_core::Error::NotAnEnvelope)),
        [one] => *one,
        more => {
            return Err(damaged(format!(
                "the page has {} elements with the id {HEADER_ID}",
                more.len()
            )));
        }
    };
    if !is_data_block(header) {
        return Err(damaged(format!(
            "#{HEADER_ID} is not a <script type=\"{DATA_TYPE}\">"
        )));
    }
    for chunk in &chunks {
        if !is_data_block(*chunk) || chunk.value().attr("class") != Some(CHUNK_CLASS) {
            return Err(damaged(format!(
                "an element of class {CHUNK_CLASS} is not a <script type=\"{DATA_TYPE}\" \
                 class=\"{CHUNK_CLASS}\">"
            )));
        }
    }
    if chunk_before_header {
        return Err(damaged(format!(
            "a payload chunk comes before #{HEADER_ID}"
        )));
    }
    Ok(Blocks { header, chunks })
}

/// Rules 1 and 4: the declared character set, the mode, and no block
/// mentioned in a comment or a template.
fn check_document(document: &Html) -> Result<()> {
    if document.quirks_mode == html5ever::tree_builder::QuirksMode::Quirks {
        return Err(damaged(
            "the page is in quirks mode (no <!DOCTYPE html> first)",
        ));
    }
    let mut declared_utf8 = false;
    for node in document.tree.root().descendants() {
        match node.value() {
            Node::Comment(comment) if mentions_a_block(&comment.comment) => {
                return Err(damaged("a comment in the page holds an envelope block"));
            }
            Node::Element(element) if element.name() == "template" => {
                let inside = node.descendants().skip(1).any(|inner| match inner.value() {
                    Node::Text(text) => mentions_a_block(&text.text),
                    Node::Comment(comment) => mentions_a_block(&comment.comment),
                    Node::Element(element) => {
                        element.attrs().any(|(_, value)| mentions_a_block(value))
                            || mentions_a_block(element.name())
                    }
                    _ => false,
                });
                if inside {
                    return Err(damaged("a <template> in the page holds an envelope block"));
                }
            }
            Node::Element(element) if element.name() == "meta" && !in_template(node) => {
                if let Some(label) = declared_charset(element) {
                    if !is_utf8_label(&label) {
                        return Err(damaged(format!(
                            "the page declares the character set {label:?}, not UTF-8"
                        )));
                    }
                    declared_utf8 = true;
                }
            }
            _ => {}
        }
    }
    if !declared_utf8 {
        return Err(damaged(
            "the page does not declare its character set as UTF-8",
        ));
    }
    Ok(())
}

/// The character set a `<meta>` declares: its `charset`, or the `charset=`
/// in the `content` of `http-equiv="content-type"`.
fn declared_charset(meta: &scraper::node::Element) -> Option<String> {
    if let Some(charset) = meta.attr("charset") {
        return Some(charset.to_owned());
    }
    let content_type = meta
        .attr("http-equiv")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("content-type"));
    if !content_type {
        return None;
    }
    charset_values(meta.attr("content").unwrap_or_default())
        .into_iter()
        .next()
}

fn is_data_block(element: ElementRef<'_>) -> bool {
    let value = element.value();
    value.name.ns == html5ever::ns!(html)
        && value.name() == "script"
        && value.attr("type") == Some(DATA_TYPE)
}

/// Whether `node` lies inside a `<template>` (in its contents).
fn in_template(node: ego_tree::NodeRef<'_, Node>) -> bool {
    node.ancestors().any(|ancestor| {
        matches!(ancestor.value(), Node::Element(element) if element.name() == "template")
    })
}

/// Every element of the document in tree order, as the DOM's
/// `getElementById` and `getElementsByClassName` see them: not those in a
/// template's contents.
pub(crate) fn elements_outside_templates(document: &Html) -> impl Iterator<Item = ElementRef<'_>> {
    document
        .tree
        .root()
        .descendants()
        .filter(|node| !in_template(*node))
        .filter_map(ElementRef::wrap)
}

/// The bytes of the data block `block` of a page parsed by [`parse`]: its
/// text, standard base64 with padding and ASCII white space anywhere (rule
/// 5).
///
/// # Errors
///
/// [`envelope_core::Error::Damaged`] when it is not.
pub(crate) fn block_bytes(parsed: &Parsed, block: ElementRef<'_>) -> Result<Vec<u8>> {
    let not_base64 = || damaged("a data block of the page is not valid base64");
    match parsed.block(block.id()) {
        Ok(Some(bytes)) => Ok(bytes.to_vec()),
        Ok(None) => {
            let compact: Vec<u8> = block
                .text()
                .flat_map(str::bytes)
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .map_err(|_| not_base64())
        }
        Err(()) => Err(not_base64()),
    }
}

/// The envelope in a page's text, read by the rule above: the header
/// block's bytes, then each chunk block's. The result is an envelope to open
/// with `envelope_core`, which checks everything in it. The blocks' text is
/// decoded as the page is parsed, never kept whole beside it.
///
/// # Errors
///
/// [`envelope_core::Error::NotAnEnvelope`] when the page carries no
/// envelope; [`envelope_core::Error::Damaged`] when it breaks the rule.
pub fn extract_envelope(html: &str) -> Result<Vec<u8>> {
    page_contents(html).map(|contents| contents.envelope)
}

/// What a page carries: its envelope, and the decryptor module it embeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageContents {
    /// The envelope, read by the rule above.
    pub envelope: Vec<u8>,
    /// The decryptor module, as [`embedded_decryptor`] finds it.
    pub decryptor: Option<Vec<u8>>,
}

/// [`extract_envelope`] and [`embedded_decryptor`] in one reading of the
/// page (`sealer open` and `inspect` want both; the page is parsed once).
///
/// # Errors
///
/// As [`extract_envelope`].
pub fn page_contents(html: &str) -> Result<PageContents> {
    page_envelope(html.as_bytes(), false)?.into_contents()
}

/// The envelope a page carries, read from the page as it is read (see
/// [`read_page_from`]): its bytes as a reader, their number, and the
/// page's decryptor module.
pub struct PageEnvelope {
    reader: PiecesReader,
    /// The envelope's size in bytes.
    pub len: u64,
    /// The decryptor module, as [`embedded_decryptor`] finds it.
    pub decryptor: Option<Vec<u8>>,
}

impl std::fmt::Debug for PageEnvelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageEnvelope")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl std::io::Read for PageEnvelope {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.reader.read(buf)
    }
}

impl PageEnvelope {
    fn into_contents(mut self) -> Result<PageContents> {
        let mut envelope = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
        std::io::Read::read_to_end(&mut self.reader, &mut envelope).map_err(|err| {
            Error::new(
                crate::ErrorKind::Io,
                format!("cannot read the page's data: {err}"),
            )
        })?;
        Ok(PageContents {
            envelope,
            decryptor: self.decryptor,
        })
    }
}

/// The envelope in the page `source` reads, by the rule above, read as a
/// stream: the page is never held whole, and the envelope's bytes are
/// kept aside as they are decoded (in a temporary file, removed as it is
/// made, beyond 16 MiB), to be read once the whole page was checked. For
/// pages of any size; [`read_page`] gives the same bytes.
///
/// # Errors
///
/// As [`read_page`]; [`crate::ErrorKind::Io`] when reading fails.
pub fn read_page_from(source: impl std::io::Read) -> Result<PageEnvelope> {
    page_envelope(source, true)
}

/// The envelope in the page `source` reads, after the prescan's refusals
/// with `prescan` (see [`stream::read_stream`]).
fn page_envelope(source: impl std::io::Read, prescan: bool) -> Result<PageEnvelope> {
    let page = stream::read_stream(source, prescan)?;
    let piece = |block: ElementRef<'_>| -> Result<Piece> {
        let text: String = block.text().collect();
        match page.run_of(&text) {
            Some(Ok((offset, len))) => Ok(Piece::Spilled(offset, len)),
            Some(Err(())) => Err(damaged("a data block of the page is not valid base64")),
            None => block_bytes(&page.parsed, block).map(Piece::Parsed),
        }
    };
    let document = &page.parsed.document;
    let decryptor = match module_block(document).map(piece) {
        Some(Ok(Piece::Parsed(bytes))) => Some(bytes),
        Some(Ok(Piece::Spilled(offset, len))) => page.spilled(offset, len).ok(),
        _ => None,
    };
    let found = find_blocks(document)?;
    let pieces = std::iter::once(found.header)
        .chain(found.chunks)
        .map(piece)
        .collect::<Result<Vec<Piece>>>()?;
    let len = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Spilled(_, len) => *len,
            Piece::Parsed(bytes) => bytes.len() as u64,
        })
        .sum();
    Ok(PageEnvelope {
        reader: page.into_reader(pieces),
        len,
        decryptor,
    })
}

/// The envelope in a page's bytes: [`decode_page`], then
/// [`extract_envelope`].
///
/// # Errors
///
/// As those two.
pub fn read_page(bytes: &[u8]) -> Result<Vec<u8>> {
    read_page_contents(bytes).map(|contents| contents.envelope)
}

/// [`read_page`], with the page's decryptor module too.
///
/// # Errors
///
/// As [`read_page`].
pub fn read_page_contents(bytes: &[u8]) -> Result<PageContents> {
    page_envelope(bytes, true)?.into_contents()
}

/// The first element with the id `id` (outside templates), as the page's
/// scripts find it with `getElementById`.
pub(crate) fn element_by_id<'a>(document: &'a Html, id: &str) -> Option<ElementRef<'a>> {
    elements_outside_templates(document).find(|e| e.value().attr("id") == Some(id))
}

/// The decryptor module's block: the first element with the id
/// `decryptor-wasm`, as the page's loader finds it.
pub(crate) fn module_block(document: &Html) -> Option<ElementRef<'_>> {
    element_by_id(document, WASM_ID)
}

/// The decryptor module a page embeds: the first element with the id
/// `decryptor-wasm`, as the page's loader finds it with `getElementById`.
/// `None` when there is none or it is not valid base64.
pub fn embedded_decryptor(html: &str) -> Option<Vec<u8>> {
    let parsed = parse(html, false);
    block_bytes(&parsed, module_block(&parsed.document)?).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use envelope_core::{Attachment, KdfParams, Message, Passphrase, SealOptions, seal_to_vec};

    use super::*;
    use crate::{PageOptions, render_page};

    /// An envelope of three chunks, and its page.
    fn sealed() -> (Vec<u8>, String) {
        let message = Message::new()
            .text_body("see the file")
            .attach(Attachment::from_bytes(
                "scan.bin",
                "application/octet-stream",
                (0..140_000u32)
                    .map(|i| (i * 7 % 251) as u8)
                    .collect::<Vec<u8>>(),
            ));
        let options = SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new("a passphrase for the reader"));
        let envelope = seal_to_vec(message, &options).unwrap();
        let page = render_page(&envelope, &PageOptions::default()).unwrap();
        (envelope, page)
    }

    #[test]
    fn a_page_read_as_a_stream_gives_its_envelope_and_decryptor() {
        let (envelope, page) = sealed();
        let mut read = read_page_from(page.as_bytes()).unwrap();
        assert_eq!(read.len, envelope.len() as u64);
        assert_eq!(
            read.decryptor.as_deref(),
            Some(crate::DECRYPTOR_WASM_DEFLATED)
        );
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut read, &mut bytes).unwrap();
        assert!(bytes == envelope);
        // The same bytes with a byte-order mark, and through the other
        // entry points.
        let with_mark = [b"\xEF\xBB\xBF".as_slice(), page.as_bytes()].concat();
        assert!(read_page(&with_mark).unwrap() == envelope);
        assert!(extract_envelope(&page).unwrap() == envelope);
    }

    #[test]
    fn data_outside_the_blocks_is_never_read_as_theirs() {
        let (envelope, page) = sealed();
        let chunk_start = page.find("class=\"envelope-chunk\">").unwrap();
        let data_start = chunk_start + "class=\"envelope-chunk\">".len();
        let data_end = data_start + page[data_start..].find("</script>").unwrap();
        let data = &page[data_start..data_end];
        // A copy of a chunk's data in an attribute (after a `>` and before
        // a `<` in it): taken out of the text, and never used.
        let decoy = format!("<div title=\"a>{data}<b\"></div>");
        let body = page.find("<body").unwrap();
        let with_decoy = format!("{}{decoy}{}", &page[..body], &page[body..]);
        assert!(read_page(with_decoy.as_bytes()).unwrap() == envelope);
        // A block whose text looks like what stands in for a run is only
        // that text: not base64.
        let faked = format!(
            "{}_sealer_00000000000000000000000000000000_0_{}",
            &page[..data_start],
            &page[data_end..]
        );
        let refused = read_page(faked.as_bytes()).unwrap_err();
        assert!(refused.detail().contains("not valid base64"), "{refused}");
        // A run of a block that is not base64 is refused as before.
        let broken = format!(
            "{}{}!{}",
            &page[..data_start],
            &data[..data.len() - 10],
            &page[data_end - 9..]
        );
        let refused = read_page(broken.as_bytes()).unwrap_err();
        assert!(refused.detail().contains("not valid base64"), "{refused}");
    }
}
