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

/// The element ids the page's decryptor drives, as the page template
/// (`templates/envelope.html.j2`) defines them: the decryptor
/// (`envelope-wasm`) looks them up, and the sealer refuses a template or
/// page that lacks one (`sealer::page_contract`).
pub mod ids {
    /// The passphrase form.
    pub const FORM: &str = "unlock";
    /// The passphrase field.
    pub const PASSPHRASE: &str = "passphrase";
    /// The show/hide button of the passphrase field.
    pub const TOGGLE: &str = "toggle-visibility";
    /// The Open button.
    pub const SUBMIT: &str = "open-button";
    /// The status line (a live region).
    pub const STATUS: &str = "status";
    /// The error line.
    pub const ERROR: &str = "error";
    /// The decrypted message's section.
    pub const MESSAGE: &str = "message";
    /// The sender.
    pub const FROM: &str = "m-from";
    /// The To recipients.
    pub const TO: &str = "m-to";
    /// The Cc recipients.
    pub const CC: &str = "m-cc";
    /// The Cc row, hidden when there are none.
    pub const CC_ROW: &str = "m-cc-row";
    /// The date.
    pub const DATE: &str = "m-date";
    /// The subject.
    pub const SUBJECT: &str = "m-subject";
    /// The text body.
    pub const TEXT: &str = "m-text";
    /// The sandboxed frame of the HTML body.
    pub const HTML: &str = "m-html";
    /// The attachments' list.
    pub const ATTACHMENTS: &str = "m-attachments";
    /// Optional: the original header lines.
    pub const ORIGINAL_HEADERS: &str = "m-headers";
    /// Optional: the original header lines' row.
    pub const ORIGINAL_HEADERS_ROW: &str = "m-headers-row";
    /// Optional: the sender signature's verdict.
    pub const SIGNATURE: &str = "m-signature";
    /// Optional: the section of the receipt the sender asked for.
    pub const RECEIPT: &str = "m-receipt";
    /// Optional: the "Confirm receipt" `mailto:` link.
    pub const RECEIPT_LINK: &str = "m-receipt-link";
    /// Optional: the receipt's address.
    pub const RECEIPT_TO: &str = "m-receipt-to";
    /// Optional: the receipt code.
    pub const RECEIPT_CODE: &str = "m-receipt-code";
    /// Optional: the decrypted message's heading; focus moves to it once the
    /// message is shown (it has `tabindex="-1"`).
    pub const MESSAGE_HEADING: &str = "m-heading";
    /// The progress bar.
    pub const PROGRESS: &str = "progress";
    /// The envelope header's data block.
    pub const HEADER_DATA: &str = super::HEADER_ID;
    /// The decryptor's glue script.
    pub const GLUE: &str = "decryptor-js";
    /// The decryptor module's data block.
    pub const WASM: &str = super::WASM_ID;

    /// Every id a page must have: without one, the decryptor cannot open
    /// the envelope or show what it holds.
    pub const REQUIRED: &[&str] = &[
        FORM,
        PASSPHRASE,
        TOGGLE,
        SUBMIT,
        STATUS,
        PROGRESS,
        ERROR,
        MESSAGE,
        FROM,
        TO,
        CC,
        CC_ROW,
        DATE,
        SUBJECT,
        TEXT,
        HTML,
        ATTACHMENTS,
        WASM,
        GLUE,
        HEADER_DATA,
    ];

    /// Ids the decryptor uses only when a page has the whole group (pages
    /// from templates made before them lack them).
    pub const OPTIONAL_GROUPS: &[&[&str]] = &[
        &[ORIGINAL_HEADERS, ORIGINAL_HEADERS_ROW],
        &[SIGNATURE],
        &[RECEIPT, RECEIPT_LINK, RECEIPT_TO, RECEIPT_CODE],
        &[MESSAGE_HEADING],
    ];
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
