//! Generated passphrases as people type them.
//!
//! A generated passphrase is words of the spoken list (`wordlist/spoken.txt`,
//! `docs/WORDLIST.md`), read aloud over the phone and typed however the
//! recipient's keyboard likes: spaces for hyphens, a capital first letter, a
//! phone's en dash, a space at the end. Its key slot says that it is one (a
//! *words* slot, `docs/FORMAT.md`), and every opener reads what was typed as
//! words before the key derivation: lower-cased, split at any run of spaces,
//! hyphens, dashes, dots, underscores, commas or line breaks, each piece
//! found in the list. Words typed run together are split too: no word of
//! the list starts another, so there is only ever one way to split them.
//! The key derivation then gets the words joined by single hyphens, exactly
//! as they were generated.

use std::fmt;
use std::sync::OnceLock;

use zeroize::Zeroizing;

use crate::names::visible_bidi;
use crate::secret::Passphrase;

/// The identifier of the spoken list in a words slot.
pub const SPOKEN_LIST: u8 = 1;
/// Number of words in the spoken list.
pub const WORDLIST_LEN: usize = 7317;

/// The list packed by `build.rs`: per word, a byte below `a` (the letters
/// it shares with the word before), then the letters that differ.
const PACKED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/spoken.packed"));

/// The spoken list's words, sorted.
pub(crate) fn spoken_words() -> &'static [String] {
    static LIST: OnceLock<Vec<String>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut words: Vec<String> = Vec::with_capacity(WORDLIST_LEN);
        let mut bytes = PACKED.iter().copied().peekable();
        while let Some(shared) = bytes.next() {
            let mut word = words
                .last()
                .map(|previous| previous[..usize::from(shared)].to_owned())
                .unwrap_or_default();
            while let Some(letter) = bytes.next_if(u8::is_ascii_lowercase) {
                word.push(char::from(letter));
            }
            words.push(word);
        }
        words
    })
}

/// Whether `word` (lower case) is a word of the spoken list.
pub fn is_spoken_word(word: &str) -> bool {
    spoken_words()
        .binary_search_by(|probe| probe.as_str().cmp(word))
        .is_ok()
}

/// How many words of the spoken list `passphrase` is, read the way openers
/// read the typing of a generated passphrase; `None` when a part of it is
/// no word of the list. What a sealer checks before it seals a passphrase
/// made elsewhere (`sealer passphrase`) as a generated one.
///
/// ```
/// use envelope_core::{Passphrase, generated_word_count};
/// let words = Passphrase::new("Abacus zoology-tulip ember gravel lantern");
/// assert_eq!(generated_word_count(&words), Some(6));
/// assert_eq!(generated_word_count(&Passphrase::new("my own secret")), None);
/// ```
pub fn generated_word_count(passphrase: &Passphrase) -> Option<usize> {
    let typed = TypedWords::read(passphrase.expose());
    typed.not_words.is_empty().then(|| typed.count())
}

/// The one word of the list that `text` starts with, if any. The list is
/// sorted and no word starts another, so it can only be the last word that
/// sorts at or before `text`: any word between it and `text` would start
/// with it.
fn word_starting(text: &str) -> Option<&'static str> {
    let words = spoken_words();
    let at = words.partition_point(|word| word.as_str() <= text);
    let word = words.get(at.checked_sub(1)?)?;
    text.starts_with(word.as_str()).then_some(word.as_str())
}

/// `piece` as words of the list run together, if it is that.
fn split_run_together(piece: &str) -> Option<Vec<&'static str>> {
    let mut rest = piece;
    let mut words = Vec::new();
    while !rest.is_empty() {
        let word = word_starting(rest)?;
        words.push(word);
        rest = &rest[word.len()..];
    }
    Some(words)
}

/// Characters that separate typed words: Unicode white space (line breaks
/// included), hyphens, dashes and minus signs, dots, underscores and commas.
pub(crate) fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'
                ..='\u{2015}'
                    | '\u{2212}'
                    | '\u{FE58}'
                    | '\u{FE63}'
                    | '\u{FF0D}'
                    | '.'
                    | '\u{00B7}'
                    | '\u{3002}'
                    | '\u{FF0E}'
                    | '_'
                    | '\u{FF3F}'
                    | ','
                    | '\u{3001}'
                    | '\u{FF0C}'
        )
}

/// Invisible characters that copying and pasting leaves inside words: the
/// soft hyphen, zero-width space and joiners, word joiner, byte-order mark.
fn is_ignored(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// The pieces of `typed` between separators, lower-cased. The list's words
/// are ASCII, and after NFC no other character lower-cases to ASCII (the
/// Kelvin sign, the one that would, is `K` in NFC), so lower-casing ASCII
/// reads the same words as Unicode's lowercase mapping, without its tables
/// in the decryptor.
fn pieces(typed: &str) -> Vec<Zeroizing<String>> {
    let mut pieces = Vec::new();
    let mut piece = Zeroizing::new(String::new());
    for c in typed.chars().filter(|&c| !is_ignored(c)) {
        if is_separator(c) {
            if !piece.is_empty() {
                pieces.push(std::mem::replace(&mut piece, Zeroizing::new(String::new())));
            }
        } else {
            piece.push(c.to_ascii_lowercase());
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

/// What was typed, read as words of the spoken list.
pub(crate) struct TypedWords {
    /// The list's words found, in order.
    words: Vec<&'static str>,
    /// The pieces that are neither a word nor words run together, in order.
    not_words: Vec<Zeroizing<String>>,
}

impl TypedWords {
    /// Reads `typed` (NFC, as [`Passphrase`] holds it).
    pub(crate) fn read(typed: &str) -> TypedWords {
        let mut words = Vec::new();
        let mut not_words = Vec::new();
        for piece in pieces(typed) {
            match split_run_together(&piece) {
                Some(found) => words.extend(found),
                None => not_words.push(piece),
            }
        }
        TypedWords { words, not_words }
    }

    /// How many words were typed (a word run together with others counts
    /// on its own).
    pub(crate) fn count(&self) -> usize {
        self.words.len() + self.not_words.len()
    }

    /// The passphrase the key derivation gets, when every piece was a word:
    /// the words joined by single hyphens.
    pub(crate) fn canonical(&self) -> Option<Passphrase> {
        self.not_words
            .is_empty()
            .then(|| Passphrase::from_nfc(self.words.join("-")))
    }

    /// What to tell someone whose typing opened none of the envelope's
    /// generated passphrases, of `expected` words (one or more lengths).
    pub(crate) fn advice(&self, expected: Vec<usize>) -> WordsAdvice {
        WordsAdvice {
            typed: self.count(),
            expected,
            not_words: self
                .not_words
                .iter()
                .take(WordsAdvice::MAX_NAMED)
                .map(|piece| shown_piece(piece))
                .collect(),
            more_not_words: self.not_words.len().saturating_sub(WordsAdvice::MAX_NAMED),
        }
    }
}

/// A typed piece as it may be shown: at most 40 characters, control
/// characters replaced, direction controls made visible.
fn shown_piece(piece: &str) -> String {
    const MAX_CHARS: usize = 40;
    let mut shown: String = piece
        .chars()
        .take(MAX_CHARS)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if piece.chars().nth(MAX_CHARS).is_some() {
        shown.push('…');
    }
    visible_bidi(&shown).into_owned()
}

/// Why a typed passphrase is not the envelope's generated one, in terms the
/// sender made public by choosing a generated passphrase (the list and how
/// many words): never anything about the right words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordsAdvice {
    /// How many words were typed.
    pub typed: usize,
    /// How many words the envelope's generated passphrase has (several
    /// lengths, ascending, when it has several generated passphrases).
    pub expected: Vec<usize>,
    /// Typed words that are not in the list, in the order typed (at most
    /// [`WordsAdvice::MAX_NAMED`], each cut at 40 characters).
    pub not_words: Vec<String>,
    /// How many more typed words are not in the list.
    pub more_not_words: usize,
}

impl WordsAdvice {
    /// The most typed words an advice names.
    pub const MAX_NAMED: usize = 3;

    /// Whether the count typed is one the envelope expects.
    pub fn count_matches(&self) -> bool {
        self.expected.contains(&self.typed)
    }

    fn expected_words(&self) -> String {
        let counts: Vec<String> = self.expected.iter().map(usize::to_string).collect();
        match counts.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => "some".into(),
        }
    }
}

impl fmt::Display for WordsAdvice {
    /// Plain sentences, e.g. "You typed 5 words; the passphrase has 6.
    /// 'recieve' is not one of the words: check its spelling."
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sentences = Vec::new();
        if !self.count_matches() {
            let plural = if self.typed == 1 { "word" } else { "words" };
            sentences.push(format!(
                "You typed {} {plural}; the passphrase has {}.",
                self.typed,
                self.expected_words()
            ));
        }
        let quoted: Vec<String> = self.not_words.iter().map(|w| format!("'{w}'")).collect();
        match (quoted.as_slice(), self.more_not_words) {
            ([], _) => {}
            ([one], 0) => sentences.push(format!(
                "{one} is not one of the words: check its spelling."
            )),
            (many, more) => {
                let mut named = many.join(", ");
                if more > 0 {
                    named.push_str(&format!(" and {more} more"));
                }
                sentences.push(format!(
                    "{named} are not among the words: check their spelling."
                ));
            }
        }
        if sentences.is_empty() {
            sentences.push(format!(
                "All {} words you typed are from the list, but they are not the right ones: \
                 check each word and their order.",
                self.typed
            ));
        }
        f.write_str(&sentences.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(typed: &str) -> Option<String> {
        TypedWords::read(Passphrase::new(typed).expose())
            .canonical()
            .map(|p| p.expose().to_owned())
    }

    #[test]
    fn the_packed_list_unpacks_to_the_list_file() {
        let file: Vec<&str> = include_str!("wordlist/spoken.txt").lines().collect();
        assert_eq!(spoken_words(), file.as_slice());
        assert_eq!(spoken_words().len(), WORDLIST_LEN);
        assert!(is_spoken_word("abacus") && is_spoken_word("zoom"));
        assert!(!is_spoken_word("gallows") && !is_spoken_word("") && !is_spoken_word("Zoom"));
        // docs/FORMAT.md names the list by its SHA-256.
        use sha2::Digest;
        let digest = sha2::Sha256::digest(include_bytes!("wordlist/spoken.txt"));
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert!(
            include_str!("../../docs/FORMAT.md").contains(&hex),
            "docs/FORMAT.md does not give the list's SHA-256 {hex}"
        );
    }

    #[test]
    fn typings_of_a_generated_passphrase_all_read_the_same() {
        let words = "stuffed-blame-ripcord-emporium-crimp-gatherer";
        for typed in [
            words,
            "stuffed blame ripcord emporium crimp gatherer",
            "Stuffed Blame Ripcord Emporium Crimp Gatherer",
            "  STUFFED-blame  ripcord\u{2013}emporium\u{2014}crimp\u{2212}gatherer \n",
            "stuffed.blame_ripcord, emporium\r\ncrimp\tgatherer",
            "stuffedblameripcordemporiumcrimpgatherer",
            "stuffed\u{00A0}blame\u{200B}\u{2010}ripcord--emporium crimp gath\u{00AD}erer",
            "stuffed \u{2011} blame\u{3000}ripcord\u{FF0D}emporium\u{2015}crimp\u{2012}gatherer",
        ] {
            assert_eq!(canonical(typed).as_deref(), Some(words), "{typed:?}");
        }
    }

    #[test]
    fn a_typing_with_a_piece_not_in_the_list_has_no_canonical_form() {
        for typed in [
            "stuffed blame ripcord emporium crimp gathrer",
            "stuffed+blame",
            "é",
        ] {
            assert_eq!(canonical(typed), None, "{typed:?}");
        }
        assert_eq!(canonical("").as_deref(), Some(""));
    }

    #[test]
    fn advice_counts_words_and_names_the_ones_not_in_the_list() {
        let advice = |typed: &str, expected: Vec<usize>| {
            TypedWords::read(typed).advice(expected).to_string()
        };
        assert_eq!(
            advice("stuffed blame ripcord recieve crimp", vec![6]),
            "You typed 5 words; the passphrase has 6. \
             'recieve' is not one of the words: check its spelling."
        );
        assert_eq!(
            advice("stuffed blame ripcord emporium crimp gatherer", vec![6]),
            "All 6 words you typed are from the list, but they are not the right ones: \
             check each word and their order."
        );
        assert_eq!(
            advice("abacus", vec![6, 8]),
            "You typed 1 word; the passphrase has 6 or 8."
        );
        assert_eq!(
            advice("aa bb cc dd ee zoom", vec![6]),
            "'aa', 'bb', 'cc' and 2 more are not among the words: check their spelling."
        );
        let long = "x".repeat(100) + "\u{202E}\u{7}";
        let shown = TypedWords::read(&long).advice(vec![6]).not_words[0].clone();
        assert_eq!(shown, "x".repeat(40) + "…");
        let shown = TypedWords::read("ab\u{202E}\u{7}c")
            .advice(vec![6])
            .not_words[0]
            .clone();
        assert!(
            !shown.contains('\u{202E}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
    }
}
