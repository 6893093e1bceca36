//! Re-flowing JavaScript into short lines without changing what it means
//! (the decryptor's glue, once, at build time: `cargo xtask
//! build-decryptor`).

use std::iter::Peekable;
use std::str::Chars;

use super::{MAX_LINE, NotSevenBit};

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
    let mut wrapper = Wrapper {
        chars: source.chars().peekable(),
        state: State::Code,
        depth: 0,
        substitutions: Vec::new(),
        out: String::with_capacity(source.len() + source.len() / 20),
        line: String::new(),
        breaks: Vec::new(),
        previous: '\n',
    };
    while let Some(c) = wrapper.chars.next() {
        wrapper.take(c)?;
    }
    flush_line(&mut wrapper.out, &mut wrapper.line)?;
    Ok(wrapper.out)
}

/// Where the scanner is in the source.
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

/// The scanner, and the output line being built.
struct Wrapper<'a> {
    chars: Peekable<Chars<'a>>,
    state: State,
    /// Brace depth in code.
    depth: usize,
    /// The depths at which template substitutions (`${ … }`) were opened:
    /// their `}` returns to the template literal.
    substitutions: Vec<usize>,
    out: String,
    line: String,
    /// Byte indexes in `line` just after each safe break point.
    breaks: Vec<usize>,
    previous: char,
}

impl Wrapper<'_> {
    /// Takes the next character of the source.
    fn take(&mut self, c: char) -> Result<(), NotSevenBit> {
        if c == '\r' {
            return Ok(());
        }
        if c == '\n' {
            return self.end_line();
        }
        if self.line.is_empty() && self.state == State::Code && (c == ' ' || c == '\t') {
            return Ok(()); // indentation
        }
        let escaped = self.previous == '\\';
        if !self.advance(c, escaped) {
            return Ok(());
        }
        if let State::Quote(quote) = self.state {
            self.split_long_string(c, quote)?;
        }
        self.line.push(c);
        // A backslash escapes only the next character.
        self.previous = if escaped && c == '\\' { ' ' } else { c };
        self.note_break_point(c);
        if self.line.len() > MAX_LINE {
            break_at_last_safe_point(&mut self.out, &mut self.line, &mut self.breaks)?;
        }
        Ok(())
    }

    /// A line break of the source: a line comment ends, the line goes out.
    fn end_line(&mut self) -> Result<(), NotSevenBit> {
        if self.state == State::LineComment {
            self.state = State::Code;
        }
        if self.state != State::BlockComment || !self.line.is_empty() {
            flush_line(&mut self.out, &mut self.line)?;
        }
        self.breaks.clear();
        self.previous = '\n';
        Ok(())
    }

    /// The state after `c`; `false` when `c` is dropped (a comment).
    fn advance(&mut self, c: char, escaped: bool) -> bool {
        match self.state {
            State::Code => return self.advance_in_code(c),
            State::Quote(q) if c == q && !escaped => self.state = State::Code,
            State::Regex(false) if c == '/' && !escaped => self.state = State::Code,
            State::Regex(false) if c == '[' && !escaped => self.state = State::Regex(true),
            State::Regex(true) if c == ']' && !escaped => self.state = State::Regex(false),
            State::Template if c == '`' && !escaped => self.state = State::Code,
            State::Template if c == '{' && self.previous == '$' && !self.line.ends_with("\\$") => {
                self.substitutions.push(self.depth);
                self.state = State::Code;
            }
            State::LineComment => return false,
            State::BlockComment => {
                if c == '/' && self.previous == '*' {
                    self.state = State::Code;
                    if !self.line.is_empty() {
                        self.line.push(' ');
                    }
                }
                self.previous = c;
                return false;
            }
            _ => {}
        }
        true
    }

    fn advance_in_code(&mut self, c: char) -> bool {
        match c {
            '\'' | '"' => self.state = State::Quote(c),
            '`' => self.state = State::Template,
            // Comments are dropped: nothing needs them, and they are the
            // longest lines of generated code.
            '/' if self.chars.peek() == Some(&'/') => {
                self.state = State::LineComment;
                return false;
            }
            '/' if self.chars.peek() == Some(&'*') => {
                self.chars.next();
                self.state = State::BlockComment;
                self.previous = ' ';
                return false;
            }
            '/' if looks_like_regex_start(&self.line) => self.state = State::Regex(false),
            '{' => self.depth += 1,
            '}' if self.substitutions.last() == Some(&self.depth) => {
                self.substitutions.pop();
                self.state = State::Template;
            }
            '}' => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        true
    }

    /// A string literal too long for the line: first break the code before
    /// it if possible; otherwise it becomes a concatenation, `"abc…" +` ⏎
    /// `"…xyz"`, with the same value. Never inside an escape.
    fn split_long_string(&mut self, c: char, quote: char) -> Result<(), NotSevenBit> {
        if c != quote && self.line.len() + 1 > MAX_LINE - 3 {
            break_at_last_safe_point(&mut self.out, &mut self.line, &mut self.breaks)?;
        }
        let tail = &self.line[self.line.len().saturating_sub(6)..];
        if c != quote
            && self.line.len() + 1 > MAX_LINE - 3
            && !tail.contains('\\')
            && self.previous != quote
        {
            self.line.push(quote);
            self.line.push_str(" +");
            flush_line(&mut self.out, &mut self.line)?;
            self.breaks.clear();
            self.line.push(quote);
        }
        Ok(())
    }

    /// Notes a safe break point after `c`, just pushed: after `,` `(` `{`
    /// `[` `;`, an assignment's `=` (not `==`, `===` or `=>`) or a member
    /// access's `.` (not a decimal point or a spread), in code only.
    fn note_break_point(&mut self, c: char) {
        let line = &self.line;
        let next = self.chars.peek().copied();
        let member_dot = c == '.'
            && !line[..line.len() - 1].ends_with(|p: char| p.is_ascii_digit())
            && !next.is_some_and(|n| n.is_ascii_digit() || n == '.');
        let assignment = c == '=' && !next.is_some_and(|n| n == '=' || n == '>');
        if self.state == State::Code
            && (matches!(c, ',' | '(' | '{' | '[' | ';') || assignment || member_dot)
        {
            self.breaks.push(line.len());
        }
    }
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
