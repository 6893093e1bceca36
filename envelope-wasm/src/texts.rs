//! The page's texts, in the page's language: read once from its texts
//! block (`<script type="application/json" id="page-texts">`, a JSON object
//! of texts, a long one as an array of pieces), never compiled in. A key the
//! block lacks shows as itself, the mark of a broken page.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, JsString, Object};
use wasm_bindgen::JsCast;

thread_local! {
    static TEXTS: RefCell<Option<HashMap<String, String>>> = const { RefCell::new(None) };
}

/// The block's texts (empty if the page has none or it is not JSON).
fn read() -> HashMap<String, String> {
    let Some(block) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("page-texts"))
    else {
        return HashMap::new();
    };
    let json = block.text_content().unwrap_or_default();
    let Ok(value) = js_sys::JSON::parse(&json) else {
        return HashMap::new();
    };
    let Some(object) = value.dyn_ref::<Object>() else {
        return HashMap::new();
    };
    let mut texts = HashMap::new();
    for entry in Object::entries(object).iter() {
        let entry = Array::from(&entry);
        let (Some(key), value) = (entry.get(0).as_string(), entry.get(1)) else {
            continue;
        };
        let text = match value.as_string() {
            Some(text) => text,
            None if Array::is_array(&value) => Array::from(&value)
                .iter()
                .filter_map(|piece| piece.dyn_into::<JsString>().ok().map(String::from))
                .collect(),
            None => continue,
        };
        texts.insert(key, text);
    }
    texts
}

/// The text for `key`.
pub(crate) fn text(key: &str) -> String {
    TEXTS.with(|texts| {
        texts
            .borrow_mut()
            .get_or_insert_with(read)
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    })
}

/// The text for `key` with each `{name}` replaced by its value
/// (`envelope_core::fill_placeholders`, the sealer's rule too).
pub(crate) fn filled(key: &str, values: &[(&str, &str)]) -> String {
    envelope_core::fill_placeholders(&text(key), values)
}
