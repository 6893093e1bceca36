//! The page's texts, in the page's language: read once from its texts
//! block (`<script type="application/json" id="page-texts">`, a JSON object
//! of texts, a long one as an array of pieces), never compiled in. A key the
//! block lacks shows as itself, the mark of a broken page.

use js_sys::{Array, JsString, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    /// The block's JSON object, parsed once. Each text is looked up when it
    /// is needed: copying all of them into Rust at once held up the form.
    static TEXTS: Object = read();
}

/// The block's object (empty if the page has none or it is not JSON).
fn read() -> Object {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("page-texts"))
        .and_then(|block| js_sys::JSON::parse(&block.text_content()?).ok())
        .and_then(|value| value.dyn_into::<Object>().ok())
        .unwrap_or_default()
}

/// The text for `key`.
pub(crate) fn text(key: &str) -> String {
    TEXTS
        .with(|texts| lookup(texts, key))
        .unwrap_or_else(|| key.to_owned())
}

/// A text of the block: a string, or an array of pieces joined. Only the
/// object's own keys count (never an inherited one, like `toString`).
fn lookup(texts: &Object, key: &str) -> Option<String> {
    let key = JsValue::from_str(key);
    if !Object::has_own(texts, &key) {
        return None;
    }
    let value = Reflect::get(texts, &key).ok()?;
    if let Some(text) = value.as_string() {
        return Some(text);
    }
    let pieces = value.dyn_into::<Array>().ok()?;
    Some(
        pieces
            .iter()
            .filter_map(|piece| piece.dyn_into::<JsString>().ok().map(String::from))
            .collect(),
    )
}

/// The text for `key` with each `{name}` replaced by its value
/// (`envelope_core::fill_placeholders`, the sealer's rule too).
pub(crate) fn filled(key: &str, values: &[(&str, &str)]) -> String {
    envelope_core::fill_placeholders(&text(key), values)
}
