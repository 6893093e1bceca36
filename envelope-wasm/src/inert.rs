//! Makes an HTML body inert, and keeps it readable, before it goes into
//! the sandboxed iframe.
//!
//! The iframe's `sandbox` (no scripts) and the Content-Security-Policy the
//! frame inherits from the page (nothing can be fetched but `data:` and
//! `blob:` images) are two walls; this is the third, and the one that does
//! not depend on how a browser schedules requests: Chromium opened a TCP
//! connection for a nested `<iframe src>` despite `default-src 'none'`
//! (found by the local-listener check in `tests/tests/browser.rs`). The body
//! is parsed with `DOMParser` (which loads nothing), every element that can
//! fetch, embed, run or submit is removed, and every attribute that names a
//! URL (other than a `data:` image) or an event handler.
//!
//! What makes the message readable stays: its inline styles and `<style>`
//! blocks, cleaned by the browser's own CSS parser (a declaration that could
//! name a resource, and every at-rule but `@media` and `@supports`, is
//! dropped: no `url()`, `image-set()`, `@import` or `@font-face` reaches the
//! frame); its links to `http:`, `https:` and `mailto:` targets, which open
//! only when clicked, in a new tab, without referrer or opener, their full
//! target written after them; its `cid:` images, when the attachment they
//! name is a PNG, JPEG, GIF or WebP image, as the page's `blob:` URL of that
//! attachment. Other images are removed and counted, for the note the page
//! shows.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    CssRule, CssStyleDeclaration, CssStyleSheet, Document, DomParser, Element, HtmlElement,
    SupportedType,
};

/// Elements removed with their content.
const REMOVED: &str = "script, iframe, frame, frameset, object, embed, applet, link, \
    meta, base, form, input, button, textarea, select, option, audio, video, source, \
    track, portal, noscript, template, svg, math, picture";

/// Attributes that name a URL: removed (an image's `src` is kept when it is
/// a `data:` image, a link's `href` when it is a web or mail address).
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
    "imagesrcset",
    "attributionsrc",
];

/// CSS functions and words that could name a resource: a declaration whose
/// value holds one is dropped.
const RESOURCE_CSS: &[&str] = &[
    "url(",
    "image(",
    "image-set(",
    "cross-fade(",
    "element(",
    "paint(",
    "src(",
    "expression(",
    "binding",
    "behavior",
];

/// CSS rule types kept: style rules, and `@media` and `@supports` (whose
/// rules are cleaned in turn).
const STYLE_RULE: u16 = 1;
const MEDIA_RULE: u16 = 4;
const SUPPORTS_RULE: u16 = 12;

/// An HTML body made inert.
pub(crate) struct InertBody {
    /// The body's HTML.
    pub(crate) html: String,
    /// How many images named a remote address (removed).
    pub(crate) remote_images: usize,
    /// How many images named a part of the mail (`cid:`), which the page
    /// cannot show (removed).
    pub(crate) embedded_images: usize,
}

/// Returns the body's HTML with everything active removed. `images` are
/// the attachments a `cid:` image may show: Content-ID and the `blob:` URL
/// the page made of the attachment.
pub(crate) fn inert_html(html: &str, images: &[(String, String)]) -> Result<InertBody, JsValue> {
    let document = DomParser::new()?.parse_from_string(html, SupportedType::TextHtml)?;
    let doomed = document.query_selector_all(REMOVED)?;
    for i in 0..doomed.length() {
        if let Some(node) = doomed.item(i)
            && let Some(parent) = node.parent_node()
        {
            parent.remove_child(&node)?;
        }
    }
    let (mut remote_images, mut embedded_images) = (0, 0);
    let mut shown: Vec<&str> = Vec::new();
    for element in all(&document, "img")? {
        let src = element.get_attribute("src").unwrap_or_default();
        if is_data_image(&src) {
            continue;
        }
        if let Some(url) = cid_image(&src, images) {
            element.set_attribute("src", url)?;
            shown.push(url);
            continue;
        }
        if src.trim_start().to_ascii_lowercase().starts_with("cid:") {
            embedded_images += 1;
        } else if is_remote(&src) || element.has_attribute("srcset") {
            remote_images += 1;
        }
        element.remove();
    }
    for element in all(&document, "*")? {
        clean_attributes(&element, &shown)?;
    }
    for style in all(&document, "style")? {
        let text = style.text_content().unwrap_or_default();
        style.set_text_content(Some(&clean_style_sheet(&text)));
    }
    for link in all(&document, "a[href]")? {
        keep_link(&document, &link)?;
    }
    let head_styles: String = all(&document, "head style")?
        .iter()
        .map(|style| style.outer_html())
        .collect();
    let body = document
        .body()
        .map(|body| body.inner_html())
        .unwrap_or_default();
    Ok(InertBody {
        html: format!("{head_styles}{body}"),
        remote_images,
        embedded_images,
    })
}

fn all(document: &Document, selector: &str) -> Result<Vec<Element>, JsValue> {
    let list = document.query_selector_all(selector)?;
    Ok((0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect())
}

/// The page's `blob:` URL of the attachment a `cid:` URL names (RFC 2392:
/// percent-decoded; the same Content-ID, or the same but for ASCII case).
fn cid_image<'a>(src: &str, images: &'a [(String, String)]) -> Option<&'a str> {
    let trimmed = src.trim();
    let id = trimmed
        .get(..4)
        .filter(|scheme| scheme.eq_ignore_ascii_case("cid:"))
        .map(|_| percent_decoded(&trimmed[4..]))?;
    images
        .iter()
        .find(|(cid, _)| *cid == id)
        .or_else(|| images.iter().find(|(cid, _)| cid.eq_ignore_ascii_case(&id)))
        .map(|(_, url)| url.as_str())
}

/// `%XX` escapes decoded (an invalid one kept as it is).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_data_image(url: &str) -> bool {
    url.trim_start()
        .to_ascii_lowercase()
        .starts_with("data:image/")
}

/// An address on the network (`http:`, `https:`, or scheme-relative).
fn is_remote(url: &str) -> bool {
    let url = url.trim_start().to_ascii_lowercase();
    url.starts_with("http:") || url.starts_with("https:") || url.starts_with("//")
}

/// A link a recipient may follow: to a web page or a mail address.
fn is_followable(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    (url.starts_with("http://") || url.starts_with("https://") || url.starts_with("mailto:"))
        && !url.contains(char::is_whitespace)
}

fn clean_attributes(element: &Element, shown: &[&str]) -> Result<(), JsValue> {
    let is_link = element.tag_name().eq_ignore_ascii_case("a");
    let names = element.get_attribute_names();
    for name in names.iter().filter_map(|n| n.as_string()) {
        let lower = name.to_ascii_lowercase();
        let value = element.get_attribute(&name).unwrap_or_default();
        let keep_url = match lower.as_str() {
            "src" => is_data_image(&value) || shown.contains(&value.as_str()),
            "href" => is_link && is_followable(&value),
            _ => false,
        };
        if lower.starts_with("on")
            || lower == "target"
            || lower == "rel"
            || (URL_ATTRIBUTES.contains(&lower.as_str()) && !keep_url)
        {
            if lower == "href" && is_link {
                // Not followable (javascript:, data:, file:…): the text
                // stays, the address only as a tooltip.
                element.set_attribute("title", &value)?;
            }
            element.remove_attribute(&name)?;
        } else if lower == "style" {
            match element.dyn_ref::<HtmlElement>() {
                Some(html) => clean_declarations(&html.style()),
                None => element.remove_attribute(&name)?,
            }
        }
    }
    Ok(())
}

/// Opens in a new tab, only when clicked, with neither referrer nor opener,
/// and says where it goes: the full target after the link's text, unless
/// the text is the target.
fn keep_link(document: &Document, link: &Element) -> Result<(), JsValue> {
    let href = link.get_attribute("href").unwrap_or_default();
    link.set_attribute("target", "_blank")?;
    link.set_attribute("rel", "noopener noreferrer")?;
    link.set_attribute("referrerpolicy", "no-referrer")?;
    let text = link.text_content().unwrap_or_default();
    let shown = href.trim().trim_start_matches("mailto:");
    if text.trim() != href.trim() && text.trim() != shown {
        let target = document.create_element("span")?;
        target.set_attribute(
            "style",
            "display: inline !important; visibility: visible !important; \
             font-size: max(0.85em, 12px) !important; opacity: 1 !important",
        )?;
        target.set_text_content(Some(&format!(" [{}]", href.trim())));
        link.after_with_node_1(&target)?;
    }
    Ok(())
}

/// Drops every declaration that could name a resource.
fn clean_declarations(style: &CssStyleDeclaration) {
    let mut doomed = Vec::new();
    for i in 0..style.length() {
        let property = style.item(i);
        let value = style
            .get_property_value(&property)
            .unwrap_or_default()
            .to_ascii_lowercase();
        if RESOURCE_CSS.iter().any(|word| value.contains(word))
            || RESOURCE_CSS.iter().any(|word| property.contains(word))
        {
            doomed.push(property);
        }
    }
    for property in doomed {
        let _ = style.remove_property(&property);
    }
}

/// A style sheet as the browser parses it (`@import` is not even read by a
/// constructed sheet), with only style, `@media` and `@supports` rules and
/// no declaration that could name a resource, written out again.
fn clean_style_sheet(text: &str) -> String {
    let Ok(sheet) = CssStyleSheet::new() else {
        return String::new();
    };
    if sheet.replace_sync(text).is_err() {
        return String::new();
    }
    let Ok(rules) = sheet.css_rules() else {
        return String::new();
    };
    clean_rules(&rules);
    (0..rules.length())
        .filter_map(|i| rules.item(i))
        .map(|rule| rule.css_text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Cleans a rule list in place (see [`clean_style_sheet`]).
fn clean_rules(rules: &web_sys::CssRuleList) {
    let mut i = rules.length();
    while i > 0 {
        i -= 1;
        let Some(rule) = rules.item(i) else { continue };
        if !clean_rule(&rule) {
            delete_rule(&rule, i);
        }
    }
}

/// Cleans one rule; `false` when it must go.
fn clean_rule(rule: &CssRule) -> bool {
    match rule.type_() {
        STYLE_RULE => {
            if let Some(style_rule) = rule.dyn_ref::<web_sys::CssStyleRule>() {
                clean_declarations(&style_rule.style());
                true
            } else {
                false
            }
        }
        MEDIA_RULE | SUPPORTS_RULE => {
            if let Some(group) = rule.dyn_ref::<web_sys::CssGroupingRule>() {
                clean_rules(&group.css_rules());
                true
            } else {
                false
            }
        }
        _ => false,
    }
}

/// Deletes rule number `index` from the list that holds it.
fn delete_rule(rule: &CssRule, index: u32) {
    if let Some(group) = rule
        .parent_rule()
        .and_then(|parent| parent.dyn_into::<web_sys::CssGroupingRule>().ok())
    {
        let _ = group.delete_rule(index);
    } else if let Some(sheet) = rule
        .parent_style_sheet()
        .and_then(|sheet| sheet.dyn_into::<CssStyleSheet>().ok())
    {
        let _ = sheet.delete_rule(index);
    }
}
