//! The envelope in a page: the names and the small text rules that every
//! reader of a page shares (`docs/FORMAT.md`, "The envelope in a page").
//! The sealer's reader (`sealer::reader`, on html5ever's tree) and the
//! page's own (`envelope-wasm`, on the browser's) apply the rule with these,
//! so that both read the same envelope from the same file.

/// The id of the envelope header's block.
pub const HEADER_ID: &str = "envelope-header";
/// The class of each payload chunk's block.
pub const CHUNK_CLASS: &str = "envelope-chunk";
/// The id of the decryptor module's block.
pub const WASM_ID: &str = "decryptor-wasm";
/// The `type` of every data block.
pub const DATA_TYPE: &str = "application/octet-stream";

/// Whether `label` names UTF-8 (any of its WHATWG Encoding labels, in any
/// case, white space around it ignored).
pub fn is_utf8_label(label: &str) -> bool {
    [
        "utf-8",
        "utf8",
        "unicode-1-1-utf-8",
        "unicode11utf8",
        "unicode20utf8",
        "x-unicode20utf8",
    ]
    .iter()
    .any(|known| known.eq_ignore_ascii_case(label.trim()))
}

/// Every value that follows `charset` (any case), optional white space, `=`
/// and optional quotes in `text`, as a browser's prescan reads one from a
/// `<meta>` (the first is what a `content="text/html; charset=…"` says).
pub fn charset_values(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let mut values = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find("charset") {
        let at = from + found + "charset".len();
        from = at;
        let Some(rest) = lower[at..].trim_start().strip_prefix('=') else {
            continue;
        };
        let rest =
            rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '"' || c == '\'');
        let end = rest
            .find(|c: char| c.is_ascii_whitespace() || ";\"'>/".contains(c))
            .unwrap_or(rest.len());
        values.push(rest[..end].to_owned());
    }
    values
}

/// Whether `text` (a comment, a template's contents) mentions an envelope
/// block, in any case: a block hidden there is a decoy.
pub fn mentions_a_block(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains(HEADER_ID) || lower.contains(CHUNK_CLASS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_read_as_a_browser_prescans_them() {
        assert_eq!(charset_values("text/html; charset=UTF-8"), ["utf-8"]);
        assert_eq!(
            charset_values("<meta charset = 'iso-2022-jp'>"),
            ["iso-2022-jp"]
        );
        assert_eq!(charset_values("charset, then charset=\"x\""), ["x"]);
        assert!(charset_values("no declaration").is_empty());
        assert!(is_utf8_label(" UTF8 ") && !is_utf8_label("utf-16"));
        assert!(mentions_a_block("<!-- ENVELOPE-Chunk -->") && !mentions_a_block("envelope"));
    }
}
