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

/// A one-line value from an envelope (a label, a subject, a name), made
/// safe for one line of a terminal: as [`printable`], and line breaks and
/// tabs escaped too, so that no value can print lines that look like the
/// sealer's own.
pub(crate) fn printable_line(text: &str) -> String {
    printable(text)
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Writes `bytes` to standard output. A reader that stopped early (`|
/// head`) is not a failure: what it wanted it got (as ripgrep does).
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), crate::failure::Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(
            crate::failure::Failure::new(crate::failure::Code::Failed, err.to_string()),
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_cannot_fake_a_line_or_reorder_text() {
        assert_eq!(
            printable_line("Label\nVerified: yes\r\n\u{1b}[2J"),
            "Label\\nVerified: yes\\n\\u{1b}[2J"
        );
        assert_eq!(printable("a\u{202e}b\nc"), "a\\u{202e}b\nc");
    }
}
