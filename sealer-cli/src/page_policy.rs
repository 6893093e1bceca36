//! What an envelope page may hold, by allowlist: the elements and
//! attributes a page template may use, so that no template (the built-in
//! one or an organisation's) and no page that passes `sealer verify` can
//! load, navigate or run anything but the decryptor.
//!
//! `render_page` applies it to every page it renders from a replaced
//! template, and `sealer verify` to every page it checks, on the document
//! tree a browser builds (html5ever), including what a browser with
//! scripts off would build from a `<noscript>` (a mail preview pane).
//! Whatever is not listed here is refused, by name.

use ego_tree::NodeRef;
use scraper::node::{Element, Node};
use scraper::{ElementRef, Html};

use crate::reader::{CHUNK_CLASS, DATA_TYPE, HEADER_ID, WASM_ID};

/// Elements that show text and structure, and load nothing.
const PLAIN_ELEMENTS: &[&str] = &[
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "ins",
    "kbd",
    "label",
    "li",
    "main",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "progress",
    "q",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes any element may carry (besides `aria-*`).
const GLOBAL_ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "lang",
    "dir",
    "hidden",
    "title",
    "role",
    "translate",
    "tabindex",
];

/// Attributes particular elements may carry, beyond the global ones.
const ELEMENT_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("html", &[]),
    ("meta", &["charset", "http-equiv", "content", "name"]),
    ("img", &["src", "alt", "width", "height"]),
    ("form", &["autocomplete", "novalidate"]),
    ("label", &["for"]),
    (
        "input",
        &[
            "type",
            "name",
            "autocomplete",
            "autocapitalize",
            "autocorrect",
            "spellcheck",
            "required",
            "disabled",
            "placeholder",
            "inputmode",
            "enterkeyhint",
            "size",
        ],
    ),
    ("button", &["type", "disabled"]),
    ("progress", &["value", "max"]),
    ("details", &["open"]),
    ("iframe", &["sandbox", "referrerpolicy"]),
    ("script", &["type"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("time", &["datetime"]),
];

/// What a `<noscript>` may hold: a browser with scripts off parses its text
/// as markup.
const NOSCRIPT_ELEMENTS: &[&str] = &[
    "p", "span", "strong", "em", "b", "i", "br", "div", "ul", "li",
];

/// `<meta name>` values a page may carry.
const META_NAMES: &[&str] = &["viewport", "referrer", "color-scheme", "description"];

/// Problems in the order found, each once.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn insert(&mut self, problem: String) {
        if !self.0.contains(&problem) {
            self.0.push(problem);
        }
    }
}

/// Where in a page a problem is.
fn describe(element: &Element) -> String {
    match element.attr("id") {
        Some(id) => format!("<{} id=\"{}\">", element.name(), id.escape_debug()),
        None => format!("<{}>", element.name()),
    }
}

/// Everything in `document` this allowlist does not accept, one sentence
/// each (empty for an acceptable page).
pub fn check(document: &Html) -> Vec<String> {
    let mut problems = Problems::default();
    check_top(document, &mut problems);
    let mut policies = 0;
    let mut styles = 0;
    for node in document.tree.root().descendants() {
        match node.value() {
            Node::Comment(comment) if !comment.comment.trim().is_empty() => {
                problems.insert("the page holds a comment with text in it".to_owned());
            }
            Node::Element(element) => {
                if element.name() == "meta"
                    && element
                        .attr("http-equiv")
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case("content-security-policy"))
                {
                    policies += 1;
                }
                if element.name() == "style" {
                    styles += 1;
                }
                check_element(node, element, &mut problems);
            }
            _ => {}
        }
    }
    if policies != 1 {
        problems.insert(format!(
            "the page has {policies} Content-Security-Policy elements; a sealer page has one"
        ));
    }
    if styles > 1 {
        problems.insert(format!(
            "the page has {styles} <style> elements; a sealer page has one"
        ));
    }
    problems.0
}

/// The document is a doctype and one `<html>`, whose `<head>` starts with
/// the Content-Security-Policy.
fn check_top(document: &Html, problems: &mut Problems) {
    let mut doctype = false;
    let mut roots = 0;
    for child in document.tree.root().children() {
        match child.value() {
            Node::Doctype(d) if d.name().eq_ignore_ascii_case("html") && !doctype && roots == 0 => {
                doctype = true;
            }
            Node::Element(_) => roots += 1,
            Node::Comment(_) => {
                problems.insert("the page holds a comment outside <html>".to_owned());
            }
            _ => {
                problems.insert("the page starts with something other than <!DOCTYPE html>".into());
            }
        }
    }
    if !doctype {
        problems.insert("the page does not start with <!DOCTYPE html>".to_owned());
    }
    let head = document
        .tree
        .root()
        .children()
        .filter_map(ElementRef::wrap)
        .flat_map(|html| html.children().filter_map(ElementRef::wrap))
        .find(|e| e.value().name() == "head");
    let first = head.and_then(|head| head.children().find_map(ElementRef::wrap));
    let policy_first = first.is_some_and(|first| {
        first.value().name() == "meta"
            && first
                .value()
                .attr("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
    });
    if !policy_first {
        problems.insert(
            "the Content-Security-Policy <meta> is not the first element of <head>".to_owned(),
        );
    }
}

fn check_element(node: NodeRef<'_, Node>, element: &Element, problems: &mut Problems) {
    let name = element.name();
    if element.name.ns != html5ever::ns!(html) {
        problems.insert(format!(
            "the page holds a foreign (SVG or MathML) element <{name}>"
        ));
        return;
    }
    let special = ELEMENT_ATTRIBUTES.iter().find(|(n, _)| *n == name);
    let known = special.is_some() || PLAIN_ELEMENTS.contains(&name) || is_structural(name);
    if !known {
        problems.insert(format!(
            "the page holds a {} element, which a sealer page never has",
            describe(element)
        ));
        return;
    }
    let allowed_here = special.map_or(&[][..], |(_, attrs)| *attrs);
    for (attr, value) in element.attrs() {
        let attr_ok = GLOBAL_ATTRIBUTES.contains(&attr)
            || attr.starts_with("aria-")
            || allowed_here.contains(&attr);
        if !attr_ok {
            problems.insert(format!(
                "{} has the attribute {attr}, which a sealer page never has",
                describe(element)
            ));
        }
        if attr.eq_ignore_ascii_case("id") && value.is_empty() {
            problems.insert(format!("{} has an empty id", describe(element)));
        }
    }
    match name {
        "meta" => check_meta(element, problems),
        "img" => {
            let src = element.attr("src").unwrap_or_default();
            let raster = ["png", "jpeg", "gif", "webp"]
                .iter()
                .any(|t| src.starts_with(&format!("data:image/{t};base64,")));
            if !raster {
                problems.insert(format!(
                    "{} loads an image other than an embedded PNG, JPEG, GIF or WebP",
                    describe(element)
                ));
            }
        }
        "iframe" if element.attr("id") != Some("m-html") || element.attr("sandbox") != Some("") => {
            problems.insert(format!(
                "{} is not the message's frame #m-html with sandbox=\"\"",
                describe(element)
            ));
        }
        "input" => {
            let kind = element.attr("type").unwrap_or("text");
            if !["password", "text"].contains(&kind.to_ascii_lowercase().as_str()) {
                problems.insert(format!("{} is an input of type {kind}", describe(element)));
            }
        }
        "button" => {
            let kind = element.attr("type").unwrap_or("submit");
            if !["button", "submit"].contains(&kind.to_ascii_lowercase().as_str()) {
                problems.insert(format!("{} is a button of type {kind}", describe(element)));
            }
        }
        "form" if element.attr("id") != Some("unlock") => {
            problems.insert(format!(
                "{} is a form other than the passphrase form #unlock",
                describe(element)
            ));
        }
        "script" => check_script(element, problems),
        "noscript" => check_noscript(node, problems),
        _ => {}
    }
}

/// `<html>`, `<head>`, `<body>` and the elements only the page's frame uses.
fn is_structural(name: &str) -> bool {
    ["head", "body", "title", "style", "noscript", "a"].contains(&name)
}

fn check_meta(element: &Element, problems: &mut Problems) {
    let equiv = element.attr("http-equiv");
    let name = element.attr("name");
    let charset = element.attr("charset");
    let ok = match (equiv, name, charset) {
        (Some(equiv), None, None) => equiv.eq_ignore_ascii_case("content-security-policy"),
        (None, Some(name), None) => {
            META_NAMES.contains(&name.to_ascii_lowercase().as_str())
                && (!name.eq_ignore_ascii_case("referrer")
                    || element.attr("content") == Some("no-referrer"))
        }
        (None, None, Some(charset)) => charset.eq_ignore_ascii_case("utf-8"),
        _ => false,
    };
    if !ok {
        problems.insert(format!(
            "the page has a <meta> a sealer page never has ({})",
            element
                .attrs()
                .map(|(n, v)| format!("{n}={v:?}"))
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
}

fn check_script(element: &Element, problems: &mut Problems) {
    let data = element.attr("type") == Some(DATA_TYPE);
    let texts = element.attr("type") == Some("application/json");
    let ok = if texts {
        matches!(
            element.attr("id"),
            Some(crate::texts::BLOCK_ID | crate::texts::ADVICE_ID)
        ) && element.attr("class").is_none()
    } else if data {
        matches!(
            element.attr("id"),
            Some(
                WASM_ID
                    | HEADER_ID
                    | envelope_core::page::ids::GLUE
                    | envelope_core::reply_page::REPLY_PAGE_ID
            )
        ) || (element.attr("id").is_none() && element.attr("class") == Some(CHUNK_CLASS))
    } else {
        element.attr("type").is_none()
            && element.attr("class").is_none()
            && matches!(element.attr("id"), None | Some("decryptor-js"))
    };
    if !ok {
        problems.insert(format!(
            "{} is not one of the decryptor's scripts or the envelope's data blocks",
            describe(element)
        ));
    }
}

/// A browser with scripts off (a mail preview) shows `<noscript>` as
/// markup: it may hold text and simple formatting only.
fn check_noscript(node: NodeRef<'_, Node>, problems: &mut Problems) {
    let text: String = node
        .children()
        .filter_map(|child| match child.value() {
            Node::Text(text) => Some(text.text.to_string()),
            _ => None,
        })
        .collect();
    let fragment = Html::parse_fragment(&text);
    for inner in fragment.tree.root().descendants() {
        match inner.value() {
            Node::Element(element) => {
                let name = element.name();
                let plain = NOSCRIPT_ELEMENTS.contains(&name) || name == "html";
                let bare = element
                    .attrs()
                    .all(|(attr, _)| ["id", "class", "lang", "dir"].contains(&attr));
                if !plain || !bare {
                    problems.insert(format!(
                        "the page's <noscript> holds {}, which a browser with scripts off \
                         would act on",
                        describe(element)
                    ));
                }
            }
            Node::Comment(_) => {
                problems.insert("the page's <noscript> holds a comment".to_owned());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn problems(html: &str) -> Vec<String> {
        check(&Html::parse_document(html))
    }

    const BASE: &str = "<!DOCTYPE html><html lang=\"en\"><head>\
        <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">\
        <meta charset=\"utf-8\"><title>t</title></head><body><p>x</p>BODY</body></html>";

    #[test]
    fn a_plain_page_passes() {
        assert_eq!(problems(&BASE.replace("BODY", "")), Vec::<String>::new());
    }

    #[test]
    fn what_loads_navigates_or_runs_is_refused_by_name() {
        for (body, says) in [
            ("<iframe src=\"http://x\"></iframe>", "iframe"),
            ("<link rel=\"preconnect\" href=\"http://x\">", "<link>"),
            (
                "<noscript><meta http-equiv=\"refresh\" content=\"0;url=http://x\"></noscript>",
                "noscript",
            ),
            ("<template><p>x</p></template>", "<template>"),
            ("<img src=\"http://x/y.png\">", "embedded"),
            ("<img src=\"data:image/svg+xml;base64,AAAA\">", "embedded"),
            ("<object data=\"x\"></object>", "<object>"),
            ("<embed src=\"x\">", "<embed>"),
            ("<base href=\"http://x/\">", "<base>"),
            ("<form id=\"unlock\" action=\"http://x\"></form>", "action"),
            ("<form id=\"other\"></form>", "form other"),
            ("<a href=\"http://x\">x</a>", "href"),
            ("<p onclick=\"x()\">x</p>", "onclick"),
            ("<p style=\"color:red\">x</p>", "style"),
            ("<svg><script>x</script></svg>", "foreign"),
            ("<script src=\"http://x/a.js\"></script>", "src"),
            ("<script type=\"module\">x</script>", "decryptor's scripts"),
            ("<meta http-equiv=\"refresh\" content=\"0\">", "<meta>"),
            ("<!-- hidden -->", "comment"),
            ("<input type=\"image\" src=\"x\">", "input"),
            ("<button formaction=\"http://x\">x</button>", "formaction"),
        ] {
            let found = problems(&BASE.replace("BODY", body));
            assert!(found.iter().any(|p| p.contains(says)), "{body}: {found:?}");
        }
    }

    #[test]
    fn a_second_policy_or_a_moved_one_is_refused() {
        let second = BASE.replace(
            "<title>",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"x\"><title>",
        );
        assert!(
            problems(&second)
                .iter()
                .any(|p| p.contains("2 Content-Security-Policy"))
        );
        let moved = BASE.replace("<head>", "<head><title>x</title>");
        assert!(problems(&moved).iter().any(|p| p.contains("first element")));
        let after = format!("{}<!-- x -->", BASE.replace("BODY", ""));
        assert!(!problems(&after).is_empty());
    }
}
