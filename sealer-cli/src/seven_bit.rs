//! Keeping the page 7-bit clean: ASCII only, CRLF line endings, lines of at
//! most 76 characters, so that a mail library sends it as `7bit` instead of
//! base64-encoding it a second time (1.37× the payload on the wire instead of
//! 1.83×).

use std::fmt::Write as _;

mod fold;
pub use fold::fold_html;

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

/// Re-flows JavaScript into lines of at most [`MAX_LINE`] characters
/// without changing what it means: leading indentation is dropped, and a
/// long line is broken only right after `,` `(` `{` `[` `;` `=` or a member
/// access `.`, outside strings, template literals and comments, where a line
/// break can never trigger automatic semicolon insertion. Comments are
/// dropped.
///
/// # Errors
///
/// When a line cannot be broken (a long regular expression or identifier).
pub fn wrap_javascript(source: &str) -> Result<String, NotSevenBit> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Code,
        Quote(char),
        Template,
        /// A regular-expression literal; `true` inside a `[…]` class.
        Regex(bool),
        LineComment,
        BlockComment,
    }
    let mut state = State::Code;
    // Brace depth in code, and the depths at which template substitutions
    // (`${ … }`) were opened: their `}` returns to the template literal.
    let mut depth = 0usize;
    let mut substitutions: Vec<usize> = Vec::new();
    let mut out = String::with_capacity(source.len() + source.len() / 20);
    let mut line = String::new();
    // Byte indexes in `line` just after each safe break point.
    let mut breaks: Vec<usize> = Vec::new();
    let mut chars = source.chars().peekable();
    let mut previous = '\n';
    while let Some(c) = chars.next() {
        if c == '\r' {
            continue;
        }
        if c == '\n' {
            if state == State::LineComment {
                state = State::Code;
            }
            if state != State::BlockComment || !line.is_empty() {
                flush_line(&mut out, &mut line)?;
            }
            breaks.clear();
            previous = c;
            continue;
        }
        if line.is_empty() && state == State::Code && (c == ' ' || c == '\t') {
            continue; // indentation
        }
        let escaped = previous == '\\';
        match state {
            State::Code => match c {
                '\'' | '"' => state = State::Quote(c),
                '`' => state = State::Template,
                // Comments are dropped: nothing needs them, and they are
                // the longest lines of generated code.
                '/' if chars.peek() == Some(&'/') => {
                    state = State::LineComment;
                    continue;
                }
                '/' if chars.peek() == Some(&'*') => {
                    chars.next();
                    state = State::BlockComment;
                    previous = ' ';
                    continue;
                }
                '/' if looks_like_regex_start(&line) => state = State::Regex(false),
                '{' => depth += 1,
                '}' if substitutions.last() == Some(&depth) => {
                    substitutions.pop();
                    state = State::Template;
                }
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
            State::Quote(q) if c == q && !escaped => state = State::Code,
            State::Regex(false) if c == '/' && !escaped => state = State::Code,
            State::Regex(false) if c == '[' && !escaped => state = State::Regex(true),
            State::Regex(true) if c == ']' && !escaped => state = State::Regex(false),
            State::Template if c == '`' && !escaped => state = State::Code,
            State::Template if c == '{' && previous == '$' && !line.ends_with("\\$") => {
                substitutions.push(depth);
                state = State::Code;
            }
            State::LineComment => continue,
            State::BlockComment => {
                if c == '/' && previous == '*' {
                    state = State::Code;
                    if !line.is_empty() {
                        line.push(' ');
                    }
                }
                previous = c;
                continue;
            }
            _ => {}
        }
        // A string literal too long for the line: first break the code
        // before it if possible; otherwise it becomes a concatenation,
        // `"abc…" +` ⏎ `"…xyz"`, with the same value. Never inside an escape.
        if let State::Quote(q) = state {
            if c != q && line.len() + 1 > MAX_LINE - 3 {
                break_at_last_safe_point(&mut out, &mut line, &mut breaks)?;
            }
            let tail = &line[line.len().saturating_sub(6)..];
            if c != q && line.len() + 1 > MAX_LINE - 3 && !tail.contains('\\') && previous != q {
                line.push(q);
                line.push_str(" +");
                flush_line(&mut out, &mut line)?;
                breaks.clear();
                line.push(q);
            }
        }
        line.push(c);
        // A backslash escapes only the next character.
        previous = if escaped && c == '\\' { ' ' } else { c };
        let member_dot = c == '.'
            && !line[..line.len() - 1].ends_with(|p: char| p.is_ascii_digit())
            && !chars
                .peek()
                .is_some_and(|n| n.is_ascii_digit() || *n == '.');
        // After the whole operator only: `=` of `==`, `===` or `=>` is not.
        let assignment = c == '=' && !chars.peek().is_some_and(|n| *n == '=' || *n == '>');
        if state == State::Code
            && (matches!(c, ',' | '(' | '{' | '[' | ';') || assignment || member_dot)
        {
            breaks.push(line.len());
        }
        if line.len() > MAX_LINE {
            break_at_last_safe_point(&mut out, &mut line, &mut breaks)?;
        }
    }
    flush_line(&mut out, &mut line)?;
    Ok(out)
}

/// Ends the line at its last safe break point within [`MAX_LINE`], if it has
/// one, and keeps the rest (and its break points) as the new line.
fn break_at_last_safe_point(
    out: &mut String,
    line: &mut String,
    breaks: &mut Vec<usize>,
) -> Result<(), NotSevenBit> {
    let Some(at) = breaks.iter().rev().copied().find(|&at| at <= MAX_LINE) else {
        return Ok(());
    };
    let rest = line.split_off(at);
    flush_line(out, line)?;
    let trimmed = rest.trim_start();
    let shift = at + (rest.len() - trimmed.len());
    *line = trimmed.to_owned();
    *breaks = breaks
        .iter()
        .filter(|&&b| b > shift)
        .map(|b| b - shift)
        .collect();
    Ok(())
}

/// A `/` in code that follows an operator or an opening bracket starts a
/// regular expression, not a division.
fn looks_like_regex_start(line_before: &str) -> bool {
    match line_before.trim_end().chars().last() {
        None => true,
        Some(c) => "(,=:[!&|?{};+-*%<>~^".contains(c),
    }
}

fn flush_line(out: &mut String, line: &mut String) -> Result<(), NotSevenBit> {
    if line.len() > MAX_LINE {
        return Err(NotSevenBit::new("a JavaScript line cannot be broken", line));
    }
    let text = line.trim_end();
    if !text.is_empty() {
        out.push_str(text);
        out.push('\n');
    }
    line.clear();
    Ok(())
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
