//! Public text that would give a passphrase away. The label, the hint,
//! a subject shown in the notice and the organisation's words are read by
//! anyone who sees the envelope or the mail; a sender who pastes the
//! passphrase there (or most of it) has sealed nothing. Sealing refuses
//! such text, saying which field, before any work is done.
//!
//! Text is compared as a recipient would read it: case, and the spaces,
//! hyphens, dashes, dots and underscores between words, do not matter.

use envelope_core::Passphrase;

use crate::{Error, ErrorKind, Result};

/// How many of a passphrase's words in one field give too much away.
const MOST_WORDS_SHOWN: usize = 2;

/// Refuses any of `fields` (a name as the sender knows it, e.g. `--hint`,
/// and its text) that contains one of `passphrases`, or three or more of
/// its words; and a hint (named `hint_field`) that looks like a passphrase
/// itself.
///
/// # Errors
///
/// [`ErrorKind::PassphraseLeak`], naming the field.
pub fn check<'a>(
    passphrases: impl IntoIterator<Item = &'a Passphrase>,
    fields: &[(&str, &str)],
    hint: Option<&str>,
) -> Result<()> {
    let passphrases: Vec<&Passphrase> = passphrases.into_iter().collect();
    for &(name, text) in fields {
        for passphrase in &passphrases {
            if gives_away(passphrase.expose(), text) {
                return Err(Error::new(
                    ErrorKind::PassphraseLeak,
                    format!(
                        "{name} contains the passphrase or {} or more of its words, and anyone \
                         who sees the envelope or its e-mail can read it; say where the \
                         passphrase comes from instead (\"the words we read to you on the \
                         phone\")",
                        MOST_WORDS_SHOWN + 1
                    ),
                ));
            }
        }
    }
    if let Some(hint) = hint.filter(|hint| looks_like_a_passphrase(hint)) {
        return Err(Error::new(
            ErrorKind::PassphraseLeak,
            format!(
                "--hint {hint:?} looks like a passphrase itself, and anyone who sees the envelope \
                 can read it; a hint says where the passphrase comes from (\"the words we read \
                 to you on the phone\")"
            ),
        ));
    }
    Ok(())
}

/// Whether `text` shows `passphrase`, or three or more of its words.
fn gives_away(passphrase: &str, text: &str) -> bool {
    let secret = words(passphrase);
    let shown = words(text);
    if secret.is_empty() {
        return false;
    }
    // The whole passphrase, however it is spaced (`tulip gravel sonnet`,
    // `TulipGravelSonnet`, `tulip-gravel-sonnet`).
    let squashed: String = secret.concat();
    if squashed.chars().count() >= 4 && shown.concat().contains(&squashed) {
        return true;
    }
    let mut found: Vec<&String> = secret
        .iter()
        .filter(|word| word.chars().count() >= 3 && shown.contains(word))
        .collect();
    found.sort();
    found.dedup();
    found.len() > MOST_WORDS_SHOWN
}

/// `text` in lower case, cut into words at anything that is not a letter
/// or a digit.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A hint that looks like a secret rather than a pointer to one: three or
/// more words joined by hyphens, dots or underscores without a space
/// (`tulip-gravel-sonnet`), or one long run of letters mixed with digits
/// or symbols (`Tr0ub4dor&3`).
fn looks_like_a_passphrase(hint: &str) -> bool {
    hint.split_whitespace().any(|token| {
        let joined = token
            .split([
                '-', '.', '_', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}',
            ])
            .filter(|part| part.chars().count() >= 2 && part.chars().all(char::is_alphabetic))
            .count();
        let mixed = token.chars().count() >= 8
            && token.chars().any(char::is_alphabetic)
            && token
                .chars()
                .any(|c| !c.is_alphabetic() && !".,;:!?)(\"'".contains(c));
        joined >= 3 || mixed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORDS: &str = "tulip-gravel-sonnet-ember-abacus-zoology";

    fn refused(fields: &[(&str, &str)], hint: Option<&str>) -> Option<String> {
        check(&[Passphrase::new(WORDS)], fields, hint)
            .err()
            .map(|err| {
                assert_eq!(err.kind(), ErrorKind::PassphraseLeak);
                err.to_string()
            })
    }

    #[test]
    fn the_passphrase_or_three_of_its_words_in_a_public_field_is_refused() {
        for shown in [
            "tulip-gravel-sonnet-ember-abacus-zoology",
            "Your passphrase: Tulip Gravel Sonnet Ember Abacus Zoology",
            "TulipGravelSonnetEmberAbacusZoology",
            "starts with tulip, gravel and sonnet",
            "zoology ABACUS ember",
        ] {
            let said = refused(&[("--label", "Results"), ("--hint", shown)], None);
            assert!(
                said.is_some_and(|s| s.starts_with("--hint contains")),
                "{shown:?}"
            );
        }
        for fine in [
            "The six words we read to you on the phone",
            "Tulip and gravel",
            "Results from Radiology",
        ] {
            assert_eq!(refused(&[("--hint", fine)], None), None, "{fine:?}");
        }
        // A short passphrase a person chose, hidden in a word.
        let own = Passphrase::new("Tr0ub4dor&3");
        assert!(check(&[own], &[("the subject", "re: tr0ub4dor 3")], None).is_err());
    }

    #[test]
    fn a_hint_that_looks_like_a_passphrase_is_refused() {
        for hint in ["apple-river-stone", "use otter.maple.crane", "Tr0ub4dor&3"] {
            assert!(refused(&[], Some(hint)).is_some(), "{hint:?}");
        }
        for hint in [
            "The words we agreed on the phone",
            "Your date of birth (DD.MM.YYYY)",
            "sent by SMS to 0123-456-789",
            "six words, sent to you by SMS",
        ] {
            assert_eq!(refused(&[], Some(hint)), None, "{hint:?}");
        }
    }
}
