//! Parsing a page without keeping its data blocks' text: the document tree
//! is scraper's, built by html5ever as a browser builds it, except that the
//! base64 text of each `<script type="application/octet-stream">` is
//! decoded as the parser delivers it and kept as bytes beside the tree (or
//! only counted, for the payload chunks when only their number matters).
//! A page's text is nearly all data, so this saves as much memory as the
//! page is large.
//!
//! Text in a data block that is not base64 is kept in the tree (where the
//! reading rule can see what it says) and the block is marked damaged.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use base64::Engine;
use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{Html, HtmlTreeSink};

use super::{CHUNK_CLASS, DATA_TYPE};

/// What each byte is in a data block's text: [`BASE64`] (the standard
/// alphabet and `=`), [`SPACE`] (ASCII white space), or neither (0).
const KIND: [u8; 256] = {
    let mut kind = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        kind[byte] = if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=' {
            BASE64
        } else if b.is_ascii_whitespace() {
            SPACE
        } else {
            0
        };
        byte += 1;
    }
    kind
};
const BASE64: u8 = 1;
const SPACE: u8 = 2;

/// Base64 characters gathered before they are decoded (a multiple of 4).
const DECODE_EVERY: usize = 4096;

/// A parsed page: its tree, and the decoded data blocks.
pub(crate) struct Parsed {
    /// The document tree (data blocks without their base64 text).
    pub(crate) document: Html,
    /// Every kept block's bytes, one after the other in the order parsed.
    arena: Vec<u8>,
    /// Each data block (`None` when it is not valid base64), by its node.
    blocks: HashMap<NodeId, Option<Block>>,
}

/// Where a data block's bytes are.
#[derive(Debug, Default, Clone, Copy)]
struct Block {
    /// Where they start in the arena.
    start: usize,
    /// How many bytes it holds.
    len: usize,
    /// Whether they were kept (not only counted).
    kept: bool,
}

impl Parsed {
    /// The bytes of the data block `node`, if it is one and its text is
    /// standard base64; `Err(())` for a data block that is not (or was only
    /// counted); `Ok(None)` for an element that is no data block.
    pub(crate) fn block(&self, node: NodeId) -> Result<Option<&[u8]>, ()> {
        match self.blocks.get(&node) {
            None => Ok(None),
            Some(Some(block)) if block.kept => Ok(Some(&self.arena[block.start..][..block.len])),
            Some(_) => Err(()),
        }
    }
}

/// Parses `text` as a browser parses a document (html5ever, scripting on).
/// With `keep_chunks` false, the payload chunks' bytes are checked and
/// counted but not kept.
pub(crate) fn parse(text: &str, keep_chunks: bool) -> Parsed {
    let sink = LeanSink::new(keep_chunks);
    // Fed in pieces, so that no copy of the whole text is made.
    let mut parser = html5ever::parse_document(sink, Default::default());
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = rest.len().min(PIECE);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        parser.process(StrTendril::from(&rest[..end]));
        rest = &rest[end..];
    }
    parser.finish()
}

/// How much text the parser is given at a time.
const PIECE: usize = 64 * 1024;

/// A data block being decoded.
#[derive(Debug, Default)]
struct Decoding {
    /// Base64 characters not decoded yet.
    pending: Vec<u8>,
    block: Block,
    /// Whether it has started writing into the arena.
    started: bool,
    /// Whether its text was not base64.
    failed: bool,
}

impl Decoding {
    /// Takes more of the block's text; `false` when it is not base64 (the
    /// caller then keeps it in the tree).
    fn feed(&mut self, text: &str, arena: &mut Vec<u8>) -> bool {
        if self.failed {
            return false;
        }
        let kept = self.pending.len();
        self.pending.reserve(text.len());
        for byte in text.bytes() {
            match KIND[usize::from(byte)] {
                BASE64 => self.pending.push(byte),
                SPACE => {}
                _ => {
                    self.pending.truncate(kept);
                    self.failed = true;
                    return false;
                }
            }
        }
        if self.pending.len() >= DECODE_EVERY + 4 {
            // Decode whole groups, keeping the last one back: only the
            // final group may hold padding.
            let ready = (self.pending.len() - 4) / 4 * 4;
            if !self.decode(ready, false, arena) {
                self.failed = true;
            }
            self.pending.drain(..ready);
        }
        true
    }

    /// Decodes the first `len` pending characters (into the arena when the
    /// bytes are kept); `last` allows padding.
    fn decode(&mut self, len: usize, last: bool, arena: &mut Vec<u8>) -> bool {
        let piece = &self.pending[..len];
        if !last && piece.contains(&b'=') {
            return false;
        }
        if self.block.kept && !self.started {
            // A block's bytes are contiguous: blocks' texts never interleave.
            self.block.start = arena.len();
            self.started = true;
        }
        let mut counted = Vec::new();
        let out = if self.block.kept {
            &mut *arena
        } else {
            &mut counted
        };
        let before = out.len();
        if base64::engine::general_purpose::STANDARD
            .decode_vec(piece, out)
            .is_err()
        {
            return false;
        }
        self.block.len += out.len() - before;
        true
    }

    /// The block, once all its text is in.
    fn finish(mut self, arena: &mut Vec<u8>) -> Option<Block> {
        let len = self.pending.len();
        if self.failed || !self.decode(len, true, arena) {
            return None;
        }
        Some(self.block)
    }
}

/// scraper's tree sink, with data blocks' text decoded aside.
pub(crate) struct LeanSink {
    inner: HtmlTreeSink,
    decoding: RefCell<HashMap<NodeId, Decoding>>,
    /// Blocks whose element was closed, decoded to their end.
    finished: RefCell<HashMap<NodeId, Option<Block>>>,
    arena: RefCell<Vec<u8>>,
    keep_chunks: bool,
}

impl LeanSink {
    /// A sink for a new document; with `keep_chunks` false, the payload
    /// chunks' bytes are checked and counted but not kept.
    pub(crate) fn new(keep_chunks: bool) -> LeanSink {
        LeanSink {
            inner: HtmlTreeSink::new(Html::new_document()),
            decoding: RefCell::new(HashMap::new()),
            finished: RefCell::new(HashMap::new()),
            arena: RefCell::new(Vec::new()),
            keep_chunks,
        }
    }
}

impl TreeSink for LeanSink {
    type Output = Parsed;
    type Handle = NodeId;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Parsed {
        let mut arena = self.arena.into_inner();
        let mut blocks = self.finished.into_inner();
        // A block still open at the end of the page (it has no end tag).
        for (node, decoding) in self.decoding.into_inner() {
            blocks.insert(node, decoding.finish(&mut arena));
        }
        Parsed {
            document: self.inner.finish(),
            arena,
            blocks,
        }
    }

    fn pop(&self, node: &NodeId) {
        // A block's last bytes go right after its others, before the next
        // block's.
        if let Some(decoding) = self.decoding.borrow_mut().remove(node) {
            let block = decoding.finish(&mut self.arena.borrow_mut());
            self.finished.borrow_mut().insert(*node, block);
        }
        self.inner.pop(node);
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg);
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let is_data_block = name.ns == html5ever::ns!(html)
            && &*name.local == "script"
            && attrs
                .iter()
                .any(|a| &*a.name.local == "type" && &*a.value == DATA_TYPE);
        let is_chunk = attrs
            .iter()
            .any(|a| &*a.name.local == "class" && &*a.value == CHUNK_CLASS);
        let node = self.inner.create_element(name, attrs, flags);
        if is_data_block {
            self.decoding.borrow_mut().insert(
                node,
                Decoding {
                    block: Block {
                        kept: self.keep_chunks || !is_chunk,
                        ..Block::default()
                    },
                    ..Decoding::default()
                },
            );
        }
        node
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        if let NodeOrText::AppendText(text) = &child
            && let Some(decoding) = self.decoding.borrow_mut().get_mut(parent)
            && decoding.feed(text, &mut self.arena.borrow_mut())
        {
            return;
        }
        self.inner.append(parent, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.inner
            .append_based_on_parent_node(element, prev_element, child);
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.inner.append_before_sibling(sibling, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn data_is_decoded_as_the_whole_text_would_be() {
        let bytes: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let lines: Vec<&str> = text
            .as_bytes()
            .chunks(76)
            .map(|l| std::str::from_utf8(l).unwrap())
            .collect();
        let page = format!(
            "<!DOCTYPE html><script type=\"{DATA_TYPE}\" id=\"a\">\n{}\n</script>\
             <script type=\"{DATA_TYPE}\" id=\"b\">QUJD\nRA=</script>\
             <script type=\"{DATA_TYPE}\" id=\"c\">QQ==QUJD</script>\
             <script type=\"{DATA_TYPE}\" id=\"d\">envelope-chunk</script>",
            lines.join("\r\n")
        );
        let parsed = parse(&page, true);
        let by_id = |id: &str| {
            super::super::elements_outside_templates(&parsed.document)
                .find(|e| e.value().attr("id") == Some(id))
                .unwrap()
                .id()
        };
        assert_eq!(parsed.block(by_id("a")).unwrap().unwrap(), &bytes[..]);
        assert!(parsed.block(by_id("b")).is_err(), "bad padding");
        assert!(parsed.block(by_id("c")).is_err(), "padding in the middle");
        assert!(parsed.block(by_id("d")).is_err(), "not base64");
        // Two blocks of many pieces each, one after the other.
        let twice = format!(
            "<!DOCTYPE html><script type=\"{DATA_TYPE}\" id=\"x\">{text}</script>\
             <script type=\"{DATA_TYPE}\" id=\"y\">{text}</script>"
        );
        let both = parse(&twice, true);
        for block in super::super::elements_outside_templates(&both.document)
            .filter(|e| e.value().attr("id").is_some())
        {
            assert_eq!(both.block(block.id()).unwrap().unwrap(), &bytes[..]);
        }
        // Text that is not base64 stays in the tree, where the rule sees it.
        let d = parsed.document.tree.get(by_id("d")).unwrap();
        assert!(d.descendants().any(|n| n.value().as_text().is_some()));
    }
}
