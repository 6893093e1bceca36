//! Keeping the page 7-bit clean: ASCII only, CRLF line endings, lines of at
//! most 76 characters, so that a mail library sends it as `7bit` instead of
//! base64-encoding it a second time (1.37× the payload on the wire instead of
//! 1.83×).

use std::fmt::Write as _;

mod fold;
mod javascript;
pub use fold::fold_html;
pub use javascript::wrap_javascript;

/// The longest line the page may have.
pub const MAX_LINE: usize = 76;

/// A line that cannot be broken into lines of [`MAX_LINE`] characters
/// without changing what it means; the error shows its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSevenBit {
    what: &'static str,
    line: String,
}

impl NotSevenBit {
    fn new(what: &'static str, line: &str) -> NotSevenBit {
        NotSevenBit {
            what,
            line: line.chars().take(120).collect(),
        }
    }
}

impl std::fmt::Display for NotSevenBit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, self.line)
    }
}

impl std::error::Error for NotSevenBit {}

/// Base64 in lines of [`MAX_LINE`] characters.
pub fn base64_lines(bytes: &[u8]) -> Vec<String> {
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD.encode(bytes);
    text.as_bytes()
        .chunks(MAX_LINE)
        .map(|line| String::from_utf8_lossy(line).into_owned())
        .collect()
}

/// Replaces every non-ASCII character by an HTML character reference, so the
/// page is ASCII whatever the label, hint or names contain. Valid in HTML
/// text and attribute values; the page's scripts and styles are ASCII.
pub fn ascii_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let _ = write!(out, "&#x{:X};", u32::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_is_broken_only_where_it_is_safe() {
        let source = "        const veryLongName = someFunction(argumentNumberOne, argumentNumberTwo, 'a string, with commas, that must stay whole');\n";
        let wrapped = wrap_javascript(source).unwrap();
        assert!(wrapped.lines().all(|l| l.len() <= MAX_LINE), "{wrapped}");
        assert_eq!(
            wrapped.split_whitespace().collect::<String>(),
            source.split_whitespace().collect::<String>()
        );
        assert!(wrapped.contains("'a string, with commas, that must stay whole'"));
    }

    #[test]
    fn operators_are_never_split() {
        let source = "if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0 || x => y) {}\n";
        let wrapped = wrap_javascript(source).unwrap();
        assert!(wrapped.contains("==="), "{wrapped}");
        assert!(!wrapped.contains("=\n="), "{wrapped}");
    }

    #[test]
    fn comments_are_dropped_and_strings_kept() {
        let source =
            "a(1); // a comment\n/** doc\n * more */\nb('//not a comment', \"/*nor this*/\");\n";
        assert_eq!(
            wrap_javascript(source).unwrap(),
            "a(1);\nb('//not a comment', \"/*nor this*/\");\n"
        );
    }

    #[test]
    fn template_substitutions_are_code() {
        let source = "throw new Error(`failed to fetch: ${module.status} ${module.statusText} fetching '${module.url}'`);\n";
        let wrapped = wrap_javascript(source).unwrap();
        assert!(wrapped.lines().all(|l| l.len() <= MAX_LINE), "{wrapped}");
        assert!(wrapped.contains("`failed to fetch: ${"), "{wrapped}");
    }

    #[test]
    fn long_strings_become_concatenations() {
        let source = format!("x = '{}\\n';\n", "a".repeat(150));
        let wrapped = wrap_javascript(&source).unwrap();
        assert!(wrapped.lines().all(|l| l.len() <= MAX_LINE), "{wrapped}");
        let value: String = wrapped
            .split('\'')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        assert_eq!(value, format!("{}\\n", "a".repeat(150)));
    }

    #[test]
    fn unbreakable_javascript_is_an_error() {
        let regex = format!("s = s.replace(/{}/g, 'b');\n", "a,".repeat(50));
        assert!(wrap_javascript(&regex).is_err(), "no break inside a regex");
    }
}
