//! E-mail addresses, parsed once: a [`Mailbox`] is an address with an
//! optional display name (`Name <local@domain.example>`), checked when it
//! is made, so that what seals, notices, wraps, sends and applies a policy
//! never splits or checks the text again.
//!
//! What a person types (`--from`, `--to`) is checked strictly, for the
//! mistakes people make: `alex at example`, `records@clinic` (no dot in
//! the domain), two addresses in one value. An address read from a mail a
//! mail server already delivered is taken as it came, checked only for
//! what could break a header or a file name ([`Mailbox::from_mail`]).

use std::fmt;
use std::str::FromStr;

use crate::{Error, ErrorKind, Result};

/// Longest address (RFC 5321's path limit, less its angle brackets).
const MAX_ADDRESS_LEN: usize = 254;
/// Longest local part (RFC 5321).
const MAX_LOCAL_LEN: usize = 64;
/// Longest display name kept.
const MAX_NAME_LEN: usize = 256;

/// An e-mail address and the name shown with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox {
    name: Option<String>,
    address: String,
}

impl Mailbox {
    /// Reads one mailbox as a person types it: `local@domain.example`,
    /// `Name <local@domain.example>` or `"Last, First" <local@domain.example>`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Address`], saying what is wrong: no `@`, a domain
    /// without a dot, spaces or brackets in the address, a line break,
    /// several addresses.
    pub fn parse(text: &str) -> Result<Mailbox> {
        let mailbox = Mailbox::split(text)?;
        check_typed_address(text, &mailbox.address)?;
        Ok(mailbox)
    }

    /// Reads a list of mailboxes separated by commas (`a@x.example,
    /// "Doe, Jane" <jane@y.example>`), each as [`Mailbox::parse`] does.
    ///
    /// # Errors
    ///
    /// As [`Mailbox::parse`], for the first mailbox that is wrong, and for
    /// an empty list.
    pub fn parse_list(text: &str) -> Result<Vec<Mailbox>> {
        let list: Vec<&str> = split_list(text)
            .into_iter()
            .filter(|item| !item.trim().is_empty())
            .collect();
        if list.is_empty() {
            return Err(invalid(text, "it holds no address"));
        }
        list.into_iter().map(Mailbox::parse).collect()
    }

    /// A mailbox as a mail carried it (a parsed `From`, `To`), checked only
    /// for what could break a header or a file name: a mail server already
    /// took it, so `root@localhost` is an address here.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Address`] when `address` is not `local@domain` without
    /// spaces, brackets or control characters.
    pub fn from_mail(name: Option<&str>, address: &str) -> Result<Mailbox> {
        let address = address.trim();
        let name = name.map(str::trim).filter(|name| !name.is_empty());
        if let Some(name) = name {
            check_no_controls(name, name)?;
        }
        check_plain_address(address, address)?;
        Ok(Mailbox {
            name: name.map(|name| name.chars().take(MAX_NAME_LEN).collect()),
            address: address.to_owned(),
        })
    }

    /// A mailbox as a mail server hands it over (a pipe's `${sender}`, a
    /// header's value): `Name <local@domain>` or `local@domain`, checked
    /// as [`Mailbox::from_mail`] checks.
    ///
    /// # Errors
    ///
    /// As [`Mailbox::from_mail`].
    pub fn parse_delivered(text: &str) -> Result<Mailbox> {
        Mailbox::split(text)
    }

    /// The address, `local@domain`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The display name, if one was given.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The domain, after the `@`.
    pub fn domain(&self) -> &str {
        self.address
            .rsplit_once('@')
            .map_or("", |(_, domain)| domain)
    }

    /// The address in lower case: what policies compare and logs record.
    pub fn key(&self) -> String {
        self.address.to_lowercase()
    }

    /// The name to use in a sentence: the display name, or the address.
    pub fn sentence_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.address)
    }

    /// `Name <address>` and `address` apart, quotes and brackets taken
    /// off; the address checked only for what breaks a header.
    fn split(text: &str) -> Result<Mailbox> {
        check_no_controls(text, text)?;
        let trimmed = text.trim();
        let (name, address) = match (trimmed.rfind('<'), trimmed.strip_suffix('>')) {
            (Some(open), Some(inner)) => (
                trimmed[..open].trim().trim_matches('"').trim(),
                inner[open + 1..].trim(),
            ),
            _ => ("", trimmed),
        };
        if split_list(trimmed).len() > 1 && !address.contains(['<', '>']) {
            return Err(invalid(
                text,
                "it holds several addresses; give each one on its own",
            ));
        }
        check_plain_address(text, address)?;
        Ok(Mailbox {
            name: (!name.is_empty()).then(|| name.chars().take(MAX_NAME_LEN).collect()),
            address: address.to_owned(),
        })
    }
}

impl FromStr for Mailbox {
    type Err = Error;

    fn from_str(text: &str) -> Result<Mailbox> {
        Mailbox::parse(text)
    }
}

/// `Name <address>`, or the address alone: as the sealer was given it.
impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{name} <{}>", self.address),
            None => f.write_str(&self.address),
        }
    }
}

fn invalid(text: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::Address,
        format!("{text:?} is not an e-mail address: {why}"),
    )
}

fn check_no_controls(text: &str, part: &str) -> Result<()> {
    if part.chars().any(char::is_control) {
        return Err(invalid(text, "it holds a line break or control character"));
    }
    Ok(())
}

/// `local@domain` with nothing that could break a header, a command or a
/// file name: no space, bracket, quote, comma, semicolon or control
/// character, one `@`, and both sides there.
fn check_plain_address(text: &str, address: &str) -> Result<()> {
    check_no_controls(text, address)?;
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Err(invalid(text, "it has no @"));
    };
    if local.is_empty() || domain.is_empty() {
        return Err(invalid(
            text,
            "it needs a name before the @ and a domain after it",
        ));
    }
    if address.contains(|c: char| c.is_whitespace() || "<>()[]\",;:\\".contains(c))
        || local.contains('@')
    {
        return Err(invalid(
            text,
            "it holds a space, bracket, quote or another @; give it as name@domain.example",
        ));
    }
    if address.len() > MAX_ADDRESS_LEN {
        return Err(invalid(text, "it is over 254 characters"));
    }
    Ok(())
}

/// What a person types must also be an address a mail server delivers to:
/// a local part of at most 64 characters without stray dots, and a domain
/// of dot-separated labels (letters, digits, hyphens) with at least one dot.
fn check_typed_address(text: &str, address: &str) -> Result<()> {
    let (local, domain) = address.rsplit_once('@').unwrap_or_default();
    if local.len() > MAX_LOCAL_LEN {
        return Err(invalid(text, "the part before the @ is over 64 characters"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(invalid(text, "the part before the @ has a stray dot"));
    }
    if !domain.contains('.') {
        return Err(invalid(
            text,
            &format!("its domain {domain:?} has no dot (did you mean {domain}.org, .com…?)"),
        ));
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if !domain.split('.').all(label_ok) {
        return Err(invalid(
            text,
            &format!("its domain {domain:?} is not a domain name"),
        ));
    }
    Ok(())
}

/// `text` split at the commas that stand outside quotes and angle
/// brackets.
fn split_list(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut quoted, mut bracketed, mut start) = (false, false, 0);
    for (at, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => bracketed = true,
            '>' if !quoted => bracketed = false,
            ',' | ';' if !quoted && !bracketed => {
                items.push(&text[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_typed_mailbox_is_an_address_with_an_optional_name() {
        let plain = Mailbox::parse(" alex@example.org ").unwrap();
        assert_eq!((plain.name(), plain.address()), (None, "alex@example.org"));
        assert_eq!(plain.sentence_name(), "alex@example.org");
        let named = Mailbox::parse("Dr. A. Weber <A.Weber@Clinic.example>").unwrap();
        assert_eq!(named.name(), Some("Dr. A. Weber"));
        assert_eq!(named.domain(), "Clinic.example");
        assert_eq!(named.key(), "a.weber@clinic.example");
        assert_eq!(named.to_string(), "Dr. A. Weber <A.Weber@Clinic.example>");
        let quoted = Mailbox::parse("\"Doe, Jane\" <jane@x.example>").unwrap();
        assert_eq!(quoted.name(), Some("Doe, Jane"));
        assert!(Mailbox::parse("jürgen@münchen.example").is_ok(), "IDN");
    }

    #[test]
    fn what_people_mistype_is_refused_with_the_reason() {
        for (text, says) in [
            ("alex at example", "no @"),
            ("records@clinic", "has no dot"),
            ("a@x.example, b@y.example", "several addresses"),
            ("a@x.example; b@y.example", "several addresses"),
            (
                "Alex <alex@example.org>\r\nBcc: x@evil.example",
                "line break",
            ),
            ("@example.org", "before the @"),
            ("alex@", "before the @"),
            ("al ex@example.org", "space"),
            ("a@b@example.org", "another @"),
            (".alex@example.org", "stray dot"),
            ("alex@-x.example", "not a domain name"),
            ("alex@x..example", "not a domain name"),
            ("", "no @"),
        ] {
            let err = Mailbox::parse(text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Address);
            assert!(err.to_string().contains(says), "{text:?}: {err}");
        }
    }

    #[test]
    fn a_list_is_split_at_commas_outside_quotes() {
        let list = Mailbox::parse_list("a@x.example, \"Doe, Jane\" <jane@y.example>,").unwrap();
        let addresses: Vec<&str> = list.iter().map(Mailbox::address).collect();
        assert_eq!(addresses, ["a@x.example", "jane@y.example"]);
        assert!(Mailbox::parse_list(" , ").is_err());
        assert!(Mailbox::parse_list("a@x.example, records@clinic").is_err());
    }

    #[test]
    fn a_delivered_address_is_taken_as_it_came() {
        let cron = Mailbox::from_mail(Some("Cron Daemon"), "root@localhost").unwrap();
        assert_eq!(cron.to_string(), "Cron Daemon <root@localhost>");
        assert!(Mailbox::from_mail(None, "x@y\r\nBcc: z@w").is_err());
        assert!(Mailbox::from_mail(Some("A\nB"), "x@y").is_err());
        assert!(Mailbox::from_mail(None, "../../etc@x").is_ok_and(|m| m.domain() == "x"));
    }
}
