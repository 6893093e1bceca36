//! The page's elements, as the template (`templates/envelope.html.j2`)
//! defines them, and small DOM helpers. Every decrypted string goes in as
//! text (`textContent`), never as markup.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

/// Element ids the template must provide.
pub(crate) mod id {
    pub(crate) const FORM: &str = "unlock";
    pub(crate) const PASSPHRASE: &str = "passphrase";
    pub(crate) const TOGGLE: &str = "toggle-visibility";
    pub(crate) const SUBMIT: &str = "open-button";
    pub(crate) const STATUS: &str = "status";
    pub(crate) const ERROR: &str = "error";
    pub(crate) const MESSAGE: &str = "message";
    pub(crate) const FROM: &str = "m-from";
    pub(crate) const TO: &str = "m-to";
    pub(crate) const CC: &str = "m-cc";
    pub(crate) const CC_ROW: &str = "m-cc-row";
    pub(crate) const DATE: &str = "m-date";
    pub(crate) const SUBJECT: &str = "m-subject";
    pub(crate) const TEXT: &str = "m-text";
    pub(crate) const HTML: &str = "m-html";
    pub(crate) const ATTACHMENTS: &str = "m-attachments";
    /// Optional: templates made before it are still accepted.
    pub(crate) const ORIGINAL_HEADERS: &str = "m-headers";
    pub(crate) const ORIGINAL_HEADERS_ROW: &str = "m-headers-row";
    /// Optional: the sender signature's verdict.
    pub(crate) const SIGNATURE: &str = "m-signature";
    /// Optional: the receipt the sender asked for (its section, the
    /// "Confirm receipt" mailto: link, the address and the code).
    pub(crate) const RECEIPT: &str = "m-receipt";
    pub(crate) const RECEIPT_LINK: &str = "m-receipt-link";
    pub(crate) const RECEIPT_TO: &str = "m-receipt-to";
    pub(crate) const RECEIPT_CODE: &str = "m-receipt-code";
    pub(crate) const PROGRESS: &str = "progress";
    pub(crate) const HEADER_DATA: &str = "envelope-header";
    pub(crate) const GLUE: &str = "decryptor-js";
    pub(crate) const WASM: &str = "decryptor-wasm";
    pub(crate) const CHUNK_CLASS: &str = "envelope-chunk";
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

    /// The text of every payload block, in document order.
    /// (As JavaScript strings: the bulk text stays out of WebAssembly.)
    /// The payload's chunk blocks, in order. Their text is read one block
    /// at a time while decoding, so no more than one block's string is
    /// alive at once.
    pub(crate) fn chunk_blocks(&self) -> Vec<Element> {
        let list = self.document.get_elements_by_class_name(id::CHUNK_CLASS);
        (0..list.length()).filter_map(|i| list.item(i)).collect()
    }
}
