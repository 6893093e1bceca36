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

/// The element ids of the page: the few the page template provides, and
/// those the decryptor (`envelope-wasm`) builds itself. The sealer refuses a
/// template or page that lacks one it must provide, or holds one the
/// decryptor builds (`sealer::page_contract`).
///
/// Since release `0.1.0+4ee56af1`, the passphrase form and the message
/// are built by the decryptor in `#app`, so that a page whose scripts do
/// not run (scripts off, a mail preview, a text-only browser) shows only
/// its `<noscript>` explanation: no form, no empty skeleton. Pages of
/// earlier releases had them in the template ([`ids::LEGACY_REQUIRED`]).
pub mod ids {
    /// The container the decryptor builds the form and the message in.
    pub const APP: &str = "app";
    /// The status line (a live region).
    pub const STATUS: &str = "status";
    /// The progress bar.
    pub const PROGRESS: &str = "progress";
    /// The error line.
    pub const ERROR: &str = "error";
    /// The envelope header's data block.
    pub const HEADER_DATA: &str = super::HEADER_ID;
    /// The decryptor's glue script.
    pub const GLUE: &str = "decryptor-js";
    /// The decryptor module's data block.
    pub const WASM: &str = super::WASM_ID;
    /// The page's texts, in its language (a JSON data block).
    pub const TEXTS: &str = "page-texts";

    /// The passphrase form.
    pub const FORM: &str = "unlock";
    /// The passphrase field.
    pub const PASSPHRASE: &str = "passphrase";
    /// The show/hide button of the passphrase field.
    pub const TOGGLE: &str = "toggle-visibility";
    /// The Open button.
    pub const SUBMIT: &str = "open-button";
    /// The passphrase hint.
    pub const HINT: &str = "hint";
    /// The decrypted message's section.
    pub const MESSAGE: &str = "message";
    /// The decrypted message's heading; focus moves to it once the message
    /// is shown (it has `tabindex="-1"`).
    pub const MESSAGE_HEADING: &str = "m-heading";
    /// The sender.
    pub const FROM: &str = "m-from";
    /// The To recipients.
    pub const TO: &str = "m-to";
    /// The Cc recipients.
    pub const CC: &str = "m-cc";
    /// The date.
    pub const DATE: &str = "m-date";
    /// The subject.
    pub const SUBJECT: &str = "m-subject";
    /// The sender signature's verdict.
    pub const SIGNATURE: &str = "m-signature";
    /// What the sender's virus scan found, when the envelope records one.
    pub const VIRUS_SCAN: &str = "m-viruses";
    /// The attachments' list.
    pub const ATTACHMENTS: &str = "m-attachments";
    /// The "Save all" button.
    pub const SAVE_ALL: &str = "m-save-all";
    /// The switch between the formatted and the plain text body.
    pub const BODY_SWITCH: &str = "m-body-switch";
    /// The text body.
    pub const TEXT: &str = "m-text";
    /// The sandboxed frame of the HTML body.
    pub const HTML: &str = "m-html";
    /// The original header lines.
    pub const ORIGINAL_HEADERS: &str = "m-headers";
    /// The original header lines' disclosure.
    pub const ORIGINAL_HEADERS_ROW: &str = "m-headers-row";
    /// The section of the receipt the sender asked for.
    pub const RECEIPT: &str = "m-receipt";
    /// The "Confirm receipt" `mailto:` link.
    pub const RECEIPT_LINK: &str = "m-receipt-link";
    /// The receipt's address.
    pub const RECEIPT_TO: &str = "m-receipt-to";
    /// The receipt code.
    pub const RECEIPT_CODE: &str = "m-receipt-code";

    /// The opener site's marker (its `<main>`): a page with it and no
    /// envelope asks for an envelope file instead of a passphrase.
    pub const OPENER: &str = "opener";
    /// The opener's line that names the decryptor running it (its release
    /// and its module's SHA-256, computed from the module's bytes).
    pub const OPENER_RELEASE: &str = "opener-release";
    /// The opener's file field.
    pub const OPENER_FILE: &str = "opener-file";
    /// The opener's area a file can be dropped on.
    pub const OPENER_DROP: &str = "opener-drop";
    /// The opener's "Open another message" button.
    pub const OPENER_AGAIN: &str = "opener-again";
    /// The label of the envelope picked in the opener.
    pub const OPENER_LABEL: &str = "opener-label";

    /// The secure-reply section (when the envelope asks for replies).
    pub const REPLY: &str = "m-reply";
    /// Its "Reply securely" button, which shows the compose form.
    pub const REPLY_START: &str = "m-reply-start";
    /// The compose form.
    pub const REPLY_FORM: &str = "m-reply-form";
    /// The reply's text.
    pub const REPLY_TEXT: &str = "m-reply-text";
    /// The file field that adds files to the reply.
    pub const REPLY_FILES: &str = "m-reply-files";
    /// The list of files added.
    pub const REPLY_LIST: &str = "m-reply-list";
    /// The reply's size against its limit.
    pub const REPLY_TOTAL: &str = "m-reply-total";
    /// The "Seal reply" button.
    pub const REPLY_SEAL: &str = "m-reply-seal";
    /// The reply's progress line.
    pub const REPLY_STATUS: &str = "m-reply-status";
    /// The reply's progress bar.
    pub const REPLY_PROGRESS: &str = "m-reply-progress";
    /// A problem with the reply.
    pub const REPLY_ERROR: &str = "m-reply-error";
    /// What to do with the sealed reply.
    pub const REPLY_DONE: &str = "m-reply-done";
    /// The sealed reply's download link.
    pub const REPLY_SAVE: &str = "m-reply-save";
    /// The link that opens the recipient's mail program.
    pub const REPLY_MAIL: &str = "m-reply-mail";
    /// The Share button (where the browser can share files).
    pub const REPLY_SHARE: &str = "m-reply-share";

    /// Every id a page template provides, once.
    pub const REQUIRED: &[&str] = &[APP, STATUS, PROGRESS, ERROR, TEXTS, WASM, GLUE, HEADER_DATA];

    /// The ids the decryptor builds: a template that holds one would give
    /// the page two.
    pub const BUILT: &[&str] = &[
        FORM,
        PASSPHRASE,
        TOGGLE,
        SUBMIT,
        HINT,
        MESSAGE,
        MESSAGE_HEADING,
        FROM,
        TO,
        CC,
        DATE,
        SUBJECT,
        SIGNATURE,
        VIRUS_SCAN,
        ATTACHMENTS,
        SAVE_ALL,
        BODY_SWITCH,
        TEXT,
        HTML,
        ORIGINAL_HEADERS,
        ORIGINAL_HEADERS_ROW,
        RECEIPT,
        RECEIPT_LINK,
        RECEIPT_TO,
        RECEIPT_CODE,
        OPENER_FILE,
        OPENER_DROP,
        OPENER_AGAIN,
        OPENER_LABEL,
        REPLY,
        REPLY_START,
        REPLY_FORM,
        REPLY_TEXT,
        REPLY_FILES,
        REPLY_LIST,
        REPLY_TOTAL,
        REPLY_SEAL,
        REPLY_STATUS,
        REPLY_PROGRESS,
        REPLY_ERROR,
        REPLY_DONE,
        REPLY_SAVE,
        REPLY_MAIL,
        REPLY_SHARE,
    ];

    /// The ids a page of a release up to `0.1.0+a3df77a9` holds, whose
    /// template held the form and the message's skeleton (`sealer verify`
    /// still reads such pages).
    pub const LEGACY_REQUIRED: &[&str] = &[
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
        "m-cc-row",
        DATE,
        SUBJECT,
        TEXT,
        HTML,
        ATTACHMENTS,
        WASM,
        GLUE,
        HEADER_DATA,
    ];

    /// In a legacy page, the ids present as a whole group or not at all.
    pub const LEGACY_OPTIONAL_GROUPS: &[&[&str]] = &[
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
