//! Folding an HTML page into short lines without changing what it shows.
//!
//! A long line is broken as late as it can be, preferring a space in the
//! line's second half, then the first two kinds of break, which change
//! nothing a reader sees:
//! - at a space (outside `<script>` and `<style>`): the space becomes the
//!   line break, which HTML treats as the same white space;
//! - in text between tags, anywhere outside a character reference, with the
//!   line break hidden in an empty comment (`<!--⏎-->`), so that text
//!   without spaces (Japanese, Chinese, Thai, a long URL) is not split by a
//!   visible space;
//! - in an attribute value, a comment or `<title>`, anywhere outside a
//!   character reference: there the break is a plain line break, which a
//!   URL (a `data:` logo) ignores and text shows as one space.
//!
//! It never breaks inside a tag or attribute name, a character reference,
//! or a script or style, whose lines the renderer keeps short itself.

use super::{MAX_LINE, NotSevenBit};

/// Where the scanner is in the HTML syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Context {
    /// Text between tags.
    Text,
    /// Inside `<…>` or `</…>`.
    Tag {
        /// The tag's name as read so far (lower case).
        name: String,
        /// Whether the name is complete.
        named: bool,
        closing: bool,
        /// The quote of the attribute value being read, if any.
        quote: Option<u8>,
    },
    /// Inside `<!-- … -->`.
    Comment,
    /// The text of `<title>` or `<textarea>`: no tags, no comments.
    EscapableRawText(&'static str),
    /// The text of `<script>` or `<style>`: never folded.
    RawText(&'static str),
}

/// How a line may be broken before a given byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    /// The byte is a space; it becomes the line break.
    Space,
    /// In text: the break goes inside an empty comment.
    Comment,
    /// A plain line break.
    Plain,
}

const COMMENT_OPEN: &str = "<!--";
const COMMENT_CLOSE: &str = "-->";

/// Reads HTML byte by byte, keeping track of the [`Context`] and of
/// character references, across lines.
#[derive(Debug)]
struct Scanner {
    context: Context,
    in_reference: bool,
}

impl Scanner {
    /// How the line could be broken before `line[at]`, in the current state.
    fn break_before(&self, line: &str, at: usize) -> Option<Break> {
        if at == 0 || !line.is_char_boundary(at) {
            return None;
        }
        let space = line.as_bytes()[at] == b' ';
        match &self.context {
            Context::RawText(_) => None,
            _ if space => Some(Break::Space),
            _ if self.in_reference => None,
            Context::Text => Some(Break::Comment),
            Context::Tag { quote: Some(_), .. }
            | Context::Comment
            | Context::EscapableRawText(_) => Some(Break::Plain),
            Context::Tag { quote: None, .. } => None,
        }
    }

    /// Reads the byte at `line[at]`; returns where the next one starts.
    fn step(&mut self, line: &str, at: usize) -> usize {
        let rest = &line.as_bytes()[at..];
        let byte = rest[0];
        if matches!(
            self.context,
            Context::Text | Context::EscapableRawText(_) | Context::Tag { quote: Some(_), .. }
        ) {
            if byte == b'&' {
                self.in_reference = true;
            } else if self.in_reference && !(byte.is_ascii_alphanumeric() || byte == b'#') {
                self.in_reference = false;
            }
        }
        match &mut self.context {
            Context::Text => {
                if rest.starts_with(COMMENT_OPEN.as_bytes()) {
                    self.context = Context::Comment;
                    return at + COMMENT_OPEN.len();
                }
                if byte == b'<' {
                    let closing = rest.get(1) == Some(&b'/');
                    self.context = Context::Tag {
                        name: String::new(),
                        named: false,
                        closing,
                        quote: None,
                    };
                    return at + 1 + usize::from(closing);
                }
            }
            Context::Tag {
                name,
                named,
                closing,
                quote,
            } => match (*quote, byte) {
                (Some(q), _) if byte == q => *quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => {
                    *named = true;
                    *quote = Some(byte);
                }
                (None, b'>') => {
                    self.context = match (*closing, name.as_str()) {
                        (false, "title") => Context::EscapableRawText("title"),
                        (false, "textarea") => Context::EscapableRawText("textarea"),
                        (false, "script") => Context::RawText("script"),
                        (false, "style") => Context::RawText("style"),
                        _ => Context::Text,
                    };
                }
                (None, _) if !*named && (byte.is_ascii_alphanumeric() || byte == b'!') => {
                    name.push(char::from(byte.to_ascii_lowercase()));
                }
                (None, _) => *named = true,
            },
            Context::Comment => {
                if rest.starts_with(COMMENT_CLOSE.as_bytes()) {
                    self.context = Context::Text;
                    return at + COMMENT_CLOSE.len();
                }
            }
            Context::EscapableRawText(element) | Context::RawText(element) => {
                let element: &'static str = element;
                let end = format!("</{element}");
                if rest.len() >= end.len() && rest[..end.len()].eq_ignore_ascii_case(end.as_bytes())
                {
                    self.context = Context::Tag {
                        name: element.to_owned(),
                        named: true,
                        closing: true,
                        quote: None,
                    };
                    self.in_reference = false;
                    return at + end.len();
                }
            }
        }
        at + 1
    }

    /// Reads a whole line, noting where it could be broken.
    fn scan(&mut self, line: &str, breaks: &mut Vec<(usize, Break)>) {
        breaks.clear();
        let mut at = 0;
        while at < line.len() {
            if let Some(kind) = self.break_before(line, at) {
                breaks.push((at, kind));
            }
            at = self.step(line, at);
        }
        // A reference never runs across lines.
        self.in_reference = false;
    }
}

/// Folds lines longer than [`MAX_LINE`] without changing what the page
/// shows (see the module's documentation), and writes CRLF line endings.
///
/// # Errors
///
/// When a line has nowhere to be broken (a long tag name, script line or
/// character reference run inside a tag).
pub fn fold_html(html: &str) -> Result<String, NotSevenBit> {
    let mut out = String::with_capacity(html.len() + html.len() / 30);
    let mut scanner = Scanner {
        context: Context::Text,
        in_reference: false,
    };
    let mut breaks = Vec::new();
    for line in html.lines() {
        let line = line.trim_end();
        let was_raw = matches!(scanner.context, Context::RawText(_));
        // Raw text (the scripts and the data blocks, nearly all of the page)
        // is only searched for its end.
        if was_raw && !line.contains("</") {
            if line.len() > MAX_LINE {
                return Err(NotSevenBit::new("a page line is too long", line));
            }
            out.push_str(line);
            out.push_str("\r\n");
            continue;
        }
        scanner.scan(line, &mut breaks);
        fold_line(line, &breaks, &mut out)?;
    }
    Ok(out)
}

/// Writes `line` in pieces of at most [`MAX_LINE`], broken at `breaks`.
fn fold_line(line: &str, breaks: &[(usize, Break)], out: &mut String) -> Result<(), NotSevenBit> {
    let mut start = 0;
    let mut prefix = "";
    while prefix.len() + line.len() - start > MAX_LINE {
        let room = MAX_LINE - prefix.len();
        let fits = |&&(at, kind): &&(usize, Break)| {
            at > start
                && at - start
                    + if kind == Break::Comment {
                        COMMENT_OPEN.len()
                    } else {
                        0
                    }
                    <= room
        };
        // A space in the second half of the room, else the last break that
        // changes nothing, else the last plain one.
        let candidates = breaks.iter().filter(fits);
        let last = |keep: fn(Break) -> bool| candidates.clone().rfind(|(_, k)| keep(*k));
        let chosen = last(|k| k == Break::Space)
            .filter(|(at, _)| at - start >= room / 2)
            .or_else(|| last(|k| k != Break::Plain))
            .or_else(|| last(|_| true))
            .copied();
        let Some((at, kind)) = chosen else {
            return Err(NotSevenBit::new(
                "a page line cannot be folded",
                &line[start..],
            ));
        };
        out.push_str(prefix);
        out.push_str(&line[start..at]);
        match kind {
            Break::Space => {
                prefix = "";
                start = at + line[at..].len() - line[at..].trim_start_matches(' ').len();
            }
            Break::Comment => {
                out.push_str(COMMENT_OPEN);
                prefix = COMMENT_CLOSE;
                start = at;
            }
            Break::Plain => {
                prefix = "";
                start = at;
            }
        }
        out.push_str("\r\n");
    }
    out.push_str(prefix);
    out.push_str(&line[start..]);
    out.push_str("\r\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::seven_bit::ascii_html;

    fn short_ascii_crlf(folded: &str) {
        assert!(folded.is_ascii());
        assert!(folded.ends_with("\r\n"));
        assert!(!folded.replace("\r\n", "").contains('\n'));
        assert!(
            folded.split("\r\n").all(|l| l.len() <= MAX_LINE),
            "{folded}"
        );
    }

    /// Every line's character references are whole.
    fn references_whole(folded: &str) {
        for line in folded.split("\r\n") {
            for (at, _) in line.match_indices('&') {
                let tail = &line[at..];
                assert!(tail.contains(';'), "split reference in {line}");
            }
        }
    }

    #[test]
    fn latin_text_folds_at_spaces() {
        let html = format!(
            "<p>{}</p>\n",
            ascii_html(&"Secure message from Clinique Ünïversitaire ".repeat(4))
        );
        let folded = fold_html(&html).unwrap();
        short_ascii_crlf(&folded);
        assert!(!folded.contains("<!--"));
        assert_eq!(folded.replace("\r\n", " "), html.replace('\n', " "));
    }

    #[test]
    fn text_without_spaces_folds_inside_empty_comments() {
        let label = ascii_html("クリニックからの安全なメッセージです。ご確認ください。");
        let html = format!(
            "<h1 id=\"label\">{label}</h1>\n<p>{}</p>\n",
            "x".repeat(200)
        );
        let folded = fold_html(&html).unwrap();
        short_ascii_crlf(&folded);
        references_whole(&folded);
        assert_eq!(
            folded.replace("<!--\r\n-->", "").replace("\r\n", "\n"),
            html
        );
    }

    #[test]
    fn a_title_and_attribute_values_fold_with_plain_breaks() {
        let title = ascii_html("クリニックからの安全なメッセージです。ご確認ください。");
        let logo = "QUJD".repeat(100);
        let html = format!(
            "<title>{title}</title>\n<img alt=\"{title}\" src=\"data:image/png;base64,{logo}\">\n"
        );
        let folded = fold_html(&html).unwrap();
        short_ascii_crlf(&folded);
        references_whole(&folded);
        assert!(!folded.contains("<!--"), "no comments in a title or a tag");
        let words = |text: &str| text.split_whitespace().collect::<String>();
        assert_eq!(words(&folded), words(&html));
        assert!(folded.contains(&"QUJD".repeat(15)), "the logo folds at 76");
        assert!(folded.starts_with("<title>&#x"));
    }

    #[test]
    fn names_and_scripts_are_never_split() {
        let long_name = format!("<{} id=\"x\">\n", "a".repeat(100));
        assert!(fold_html(&long_name).is_err());
        let script = format!("<script>\nlet x = '{}';\n</script>\n", "a b ".repeat(30));
        assert!(fold_html(&script).is_err(), "a script line is not folded");
        let ok = "<script>\nlet x = 1 < 2;\n</script>\n<p>a</p>\n";
        assert_eq!(fold_html(ok).unwrap(), ok.replace('\n', "\r\n"));
    }

    #[test]
    fn the_context_carries_across_lines() {
        // The title starts on one line and its long text is on the next.
        let html = format!("<title>\n{}</title>\n", "&#x30AF;".repeat(20));
        let folded = fold_html(&html).unwrap();
        short_ascii_crlf(&folded);
        assert!(!folded.contains("<!--"));
        // After a comment spanning lines, text folds with comments again.
        let html = format!("<!-- a\nb -->\n<p>{}</p>\n", "y".repeat(100));
        let folded = fold_html(&html).unwrap();
        assert!(folded.contains("<!--\r\n-->"), "{folded}");
    }
}
