//! The page's elements (those the template `templates/envelope.html.j2`
//! provides and those the decryptor builds), the envelope's blocks in it,
//! and small DOM helpers. Every decrypted string goes in as
//! text (`textContent`), never as markup.

use envelope_core::Error;
use envelope_core::page::{DATA_TYPE, charset_values, is_utf8_label, mentions_a_block};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, Node};

/// Element ids the template must provide (`envelope_core::page::ids`,
/// which the sealer checks templates and pages against).
pub(crate) mod id {
    pub(crate) use envelope_core::page::ids::*;
    pub(crate) const CHUNK_CLASS: &str = envelope_core::page::CHUNK_CLASS;
}

/// The page: its document and the elements the decryptor drives.
pub(crate) struct Page {
    pub(crate) document: Document,
}

impl Page {
    pub(crate) fn get() -> Result<Page, JsValue> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| JsValue::from_str("no document"))?;
        Ok(Page { document })
    }

    pub(crate) fn element(&self, id: &str) -> Result<Element, JsValue> {
        self.document
            .get_element_by_id(id)
            .ok_or_else(|| JsValue::from_str(&format!("the page has no #{id}")))
    }

    pub(crate) fn html(&self, id: &str) -> Result<HtmlElement, JsValue> {
        self.element(id)?
            .dyn_into::<HtmlElement>()
            .map_err(Into::into)
    }

    pub(crate) fn input(&self, id: &str) -> Result<HtmlInputElement, JsValue> {
        self.element(id)?
            .dyn_into::<HtmlInputElement>()
            .map_err(Into::into)
    }

    /// A new element with `attributes` and, if given, `text` (as text,
    /// never markup); not yet in the page.
    pub(crate) fn make(
        &self,
        tag: &str,
        attributes: &[(&str, &str)],
        text: Option<&str>,
    ) -> Result<Element, JsValue> {
        let element = self.document.create_element(tag)?;
        for (name, value) in attributes {
            element.set_attribute(name, value)?;
        }
        if let Some(text) = text {
            element.set_text_content(Some(text));
        }
        Ok(element)
    }

    /// Sets an element's text (never markup).
    pub(crate) fn set_text(&self, id: &str, text: &str) -> Result<(), JsValue> {
        self.element(id)?.set_text_content(Some(text));
        Ok(())
    }

    pub(crate) fn show(&self, id: &str, shown: bool) -> Result<(), JsValue> {
        let element = self.element(id)?;
        if shown {
            element.remove_attribute("hidden")
        } else {
            element.set_attribute("hidden", "")
        }
    }

    /// A progress or state line for the status region (read out by screen
    /// readers).
    pub(crate) fn status(&self, text: &str) -> Result<(), JsValue> {
        self.set_text(id::STATUS, text)
    }

    /// Shows an error; `None` hides it.
    pub(crate) fn error(&self, text: Option<&str>) -> Result<(), JsValue> {
        self.set_text(id::ERROR, text.unwrap_or(""))?;
        self.show(id::ERROR, text.is_some())
    }

    /// Enables or disables the passphrase form while work runs.
    pub(crate) fn form_enabled(&self, enabled: bool) -> Result<(), JsValue> {
        for id in [id::PASSPHRASE, id::SUBMIT, id::TOGGLE] {
            let element = self.element(id)?;
            if enabled {
                element.remove_attribute("disabled")?;
            } else {
                element.set_attribute("disabled", "")?;
            }
        }
        Ok(())
    }

    /// The envelope's blocks in this page ([`envelope_blocks`]). Call it
    /// once the page is parsed.
    pub(crate) fn envelope_blocks(&self) -> Result<Blocks, Error> {
        envelope_blocks(&self.document)
    }
}

/// The envelope's blocks in `document` (this page, or a page the opener
/// parsed), found by the one reading rule that `sealer open` applies too
/// (`sealer-cli/src/reader.rs`, `docs/FORMAT.md`, "The envelope in a page"),
/// so that no page shows the browser one message and the command line
/// another.
pub(crate) fn envelope_blocks(document: &Document) -> Result<Blocks, Error> {
    if document.character_set() != "UTF-8" {
        return Err(damaged("the page is not read as UTF-8"));
    }
    if document.compat_mode() == "BackCompat" {
        return Err(damaged("the page is in quirks mode"));
    }
    check_declared_utf8(document)?;
    check_no_hidden_blocks(document)?;
    let headers = all(document, &format!("[id=\"{}\"]", id::HEADER_DATA))?;
    let header = match headers.as_slice() {
        [] => return Err(Error::NotAnEnvelope),
        [one] => one.clone(),
        _ => return Err(damaged("the page has more than one envelope header")),
    };
    if !is_data_block(&header) {
        return Err(damaged("the envelope header is not a data block"));
    }
    let list = document.get_elements_by_class_name(id::CHUNK_CLASS);
    let chunks: Vec<Element> = (0..list.length()).filter_map(|i| list.item(i)).collect();
    for chunk in &chunks {
        if !is_data_block(chunk) || chunk.get_attribute("class").as_deref() != Some(id::CHUNK_CLASS)
        {
            return Err(damaged("a payload chunk is not a data block"));
        }
        let header_node: &Node = header.as_ref();
        if header_node.compare_document_position(chunk.as_ref()) & Node::DOCUMENT_POSITION_FOLLOWING
            == 0
        {
            return Err(damaged("a payload chunk comes before the envelope header"));
        }
    }
    Ok(Blocks { header, chunks })
}

/// Every `<meta>` that declares a character set says UTF-8, and one does.
fn check_declared_utf8(document: &Document) -> Result<(), Error> {
    let mut declared = false;
    for meta in all(document, "meta")? {
        let label = match meta.get_attribute("charset") {
            Some(charset) => Some(charset),
            None if meta
                .get_attribute("http-equiv")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("content-type")) =>
            {
                charset_values(&meta.get_attribute("content").unwrap_or_default())
                    .into_iter()
                    .next()
            }
            None => None,
        };
        if let Some(label) = label {
            if !is_utf8_label(&label) {
                return Err(damaged(
                    "the page declares a character set other than UTF-8",
                ));
            }
            declared = true;
        }
    }
    if declared {
        Ok(())
    } else {
        Err(damaged(
            "the page does not declare its character set as UTF-8",
        ))
    }
}

/// No comment and no `<template>` mentions an envelope block.
fn check_no_hidden_blocks(document: &Document) -> Result<(), Error> {
    const SHOW_COMMENT: u32 = 0x80;
    let walker = document
        .create_tree_walker_with_what_to_show(document, SHOW_COMMENT)
        .map_err(|_| damaged("the page cannot be walked"))?;
    while let Ok(Some(comment)) = walker.next_node() {
        if mentions_a_block(&comment.node_value().unwrap_or_default()) {
            return Err(damaged("a comment in the page holds an envelope block"));
        }
    }
    for template in all(document, "template")? {
        if mentions_a_block(&template.inner_html()) {
            return Err(damaged("a template in the page holds an envelope block"));
        }
    }
    Ok(())
}

/// `querySelectorAll`, as elements.
fn all(document: &Document, selector: &str) -> Result<Vec<Element>, Error> {
    let list = document
        .query_selector_all(selector)
        .map_err(|_| damaged("the page cannot be searched"))?;
    Ok((0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect())
}

/// Appends `child` to `parent`.
pub(crate) fn add(parent: &Element, child: &impl AsRef<Node>) -> Result<(), JsValue> {
    parent.append_child(child.as_ref())?;
    Ok(())
}

/// The envelope's blocks in the page.
pub(crate) struct Blocks {
    /// The header's block.
    pub(crate) header: Element,
    /// The payload chunks' blocks, in order.
    pub(crate) chunks: Vec<Element>,
}

fn damaged(why: &'static str) -> Error {
    Error::Damaged(why.into())
}

/// An HTML `<script type="application/octet-stream">`.
fn is_data_block(element: &Element) -> bool {
    element.namespace_uri().as_deref() == Some("http://www.w3.org/1999/xhtml")
        && element.local_name() == "script"
        && element.get_attribute("type").as_deref() == Some(DATA_TYPE)
}
