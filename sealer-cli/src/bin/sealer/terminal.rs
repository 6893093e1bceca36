//! Text read from an envelope is hostile, also to a terminal.

/// Text from an envelope, made safe for a terminal: control characters
/// (escape sequences could rewrite the screen or the title) are shown as
/// `\u{…}`, except line breaks (LF, or CRLF as mail has them) and tabs.
pub(crate) fn printable(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c) =>
            {
                c.escape_unicode().to_string()
            }
            c => c.to_string(),
        })
        .collect()
}
