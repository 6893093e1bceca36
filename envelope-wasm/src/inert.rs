//! Makes an HTML body inert before it goes into the sandboxed iframe.
//!
//! The iframe's `sandbox` (no scripts, no same-origin) and the document's own
//! Content-Security-Policy are two walls; this is the third, and the one that
//! does not depend on how a browser schedules requests: Chromium opened a
//! TCP connection for a nested `<iframe src>` despite `default-src 'none'`
//! (found by the local-listener check in `tests/tests/browser.rs`). The body
//! is parsed with `DOMParser` (which loads nothing), every element that can
//! fetch, embed, run or submit is removed, every attribute that names a URL
//! (other than `data:`) or an event handler is removed, and links keep their
//! address only as a tooltip.

use wasm_bindgen::JsValue;
use web_sys::{DomParser, Element, SupportedType};

/// Elements removed with their content.
const REMOVED: &str = "script, iframe, frame, frameset, object, embed, applet, link, \
    meta, base, form, input, button, textarea, select, option, audio, video, source, \
    track, portal, noscript, template, svg, math";

/// Attributes that name a URL: removed unless the value is a `data:` URL.
const URL_ATTRIBUTES: &[&str] = &[
    "src",
    "srcset",
    "href",
    "xlink:href",
    "action",
    "formaction",
    "background",
    "poster",
    "ping",
    "cite",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "data",
    "codebase",
    "manifest",
    "usemap",
];

/// Returns the body's HTML with everything active removed.
pub(crate) fn inert_html(html: &str) -> Result<String, JsValue> {
    let document = DomParser::new()?.parse_from_string(html, SupportedType::TextHtml)?;
    let doomed = document.query_selector_all(REMOVED)?;
    for i in 0..doomed.length() {
        if let Some(node) = doomed.item(i)
            && let Some(parent) = node.parent_node()
        {
            parent.remove_child(&node)?;
        }
    }
    let all = document.query_selector_all("*")?;
    for i in 0..all.length() {
        let Some(element) = all
            .item(i)
            .and_then(|n| wasm_bindgen::JsCast::dyn_into::<Element>(n).ok())
        else {
            continue;
        };
        clean_attributes(&element)?;
    }
    Ok(document
        .body()
        .map(|body| body.inner_html())
        .unwrap_or_default())
}

fn clean_attributes(element: &Element) -> Result<(), JsValue> {
    let names = element.get_attribute_names();
    for name in names.iter().filter_map(|n| n.as_string()) {
        let lower = name.to_ascii_lowercase();
        let value = element.get_attribute(&name).unwrap_or_default();
        let is_url = URL_ATTRIBUTES.contains(&lower.as_str());
        let keep_data_url = is_url
            && lower != "href"
            && value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("data:image/");
        if lower.starts_with("on") || (lower == "style" && value.contains("url(")) {
            element.remove_attribute(&name)?;
        } else if is_url && !keep_data_url {
            if lower == "href" && element.tag_name().eq_ignore_ascii_case("a") {
                element.set_attribute("title", &value)?;
            }
            element.remove_attribute(&name)?;
        }
    }
    Ok(())
}
