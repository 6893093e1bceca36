//! Passphrase generation (the spoken wordlist) and strength estimation.
//!
//! Generated passphrases are read aloud over the phone to patients and
//! clients, so their words come from the EFF large wordlist less the words
//! a clinic would not say (death, violence, disease, sex, crime, insults,
//! faith and peoples, despair: `wordlist/excluded.txt`), less one of each
//! pair of homophones (`wordlist/homophones.txt`) and less the few words
//! with a hyphen (docs/WORDLIST.md).

use crate::error::{Error, Result};
use crate::secret::Passphrase;
use crate::typing::{WORDLIST_LEN, spoken_words};

/// Words in a generated passphrase by default: 6 × log2(7317) ≈ 77.0 bits.
pub const DEFAULT_WORDS: usize = 6;
/// Fewest words [`generate_passphrase`] accepts.
pub const MIN_WORDS: usize = 6;
/// Most words [`generate_passphrase`] accepts.
pub const MAX_WORDS: usize = 24;

/// The entropy of a generated passphrase of `words` words, in bits.
pub fn generated_bits(words: usize) -> f64 {
    words as f64 * (WORDLIST_LEN as f64).log2()
}

/// Generates a passphrase of `words` words drawn uniformly (with the
/// operating system's randomness) from the spoken wordlist, joined by
/// hyphens, e.g. `stuffed-blame-ripcord-emporium-crimp-gatherer`.
///
/// # Errors
///
/// [`Error::InvalidInput`] for fewer than [`MIN_WORDS`] or more than
/// [`MAX_WORDS`] words; [`Error::Io`] when no randomness is available.
pub fn generate_passphrase(words: usize) -> Result<Passphrase> {
    if !(MIN_WORDS..=MAX_WORDS).contains(&words) {
        return Err(Error::invalid(format!(
            "a generated passphrase has {MIN_WORDS} to {MAX_WORDS} words, not {words}"
        )));
    }
    let list = spoken_words();
    debug_assert_eq!(list.len(), WORDLIST_LEN);
    // Rejection sampling: the largest multiple of the list's length that
    // two bytes can hold keeps every word equally likely.
    let limit = (usize::from(u16::MAX) + 1) / WORDLIST_LEN * WORDLIST_LEN;
    let mut chosen = Vec::with_capacity(words);
    while chosen.len() < words {
        let mut two = [0u8; 2];
        getrandom::fill(&mut two).map_err(|err| {
            Error::Io(std::io::Error::other(format!(
                "no randomness available: {err}"
            )))
        })?;
        let value = usize::from(u16::from_be_bytes(two));
        if value < limit {
            chosen.push(list[value % WORDLIST_LEN].as_str());
        }
    }
    let text = zeroize::Zeroizing::new(chosen.join("-"));
    Ok(Passphrase::new(&text))
}

/// How hard a passphrase is to guess.
#[derive(Debug, Clone, PartialEq)]
pub struct Strength {
    /// Estimated guessing entropy in bits (log2 of the expected guesses).
    pub bits: f64,
    /// The verdict callers warn on.
    pub verdict: Verdict,
    /// Why it is weak, and what would help, when the estimator knows.
    pub advice: Option<String>,
}

/// A passphrase's strength class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Below [`Verdict::WEAK_BELOW_BITS`]: refuse unless the user insists.
    Weak,
    /// Acceptable against an attacker with ordinary hardware.
    Fair,
    /// At or above [`Verdict::STRONG_FROM_BITS`], like a generated one.
    Strong,
}

impl Verdict {
    /// Passphrases rated below this many bits (on zxcvbn's conservative
    /// scale) are weak: common passwords and their variations, short words.
    pub const WEAK_BELOW_BITS: f64 = 40.0;
    /// Passphrases rated at or above this many bits are strong (zxcvbn's
    /// scale ends at 64: five or more random words, or 18 random characters).
    pub const STRONG_FROM_BITS: f64 = 60.0;
}

/// Estimates a passphrase's strength with zxcvbn: dictionary words, names,
/// keyboard patterns, dates, repeats and l33t substitutions all count as
/// cheap guesses.
///
/// zxcvbn is deliberately conservative: it counts 10 guesses per character it
/// cannot explain (so a random 12-character password rates about 40 bits)
/// and stops at 2^64 guesses (so every long passphrase rates 64 bits). The
/// thresholds of [`Verdict`] are set on that scale. Only the first 100
/// characters count. `context` lists words an attacker would try first: the
/// recipient's name or address, the organisation.
pub fn estimate_strength(passphrase: &Passphrase, context: &[&str]) -> Strength {
    let entropy = zxcvbn::zxcvbn(passphrase.expose(), context);
    let bits = if entropy.guesses_log10().is_finite() {
        entropy.guesses_log10() * std::f64::consts::LOG2_10
    } else {
        0.0
    };
    let verdict = if bits < Verdict::WEAK_BELOW_BITS {
        Verdict::Weak
    } else if bits < Verdict::STRONG_FROM_BITS {
        Verdict::Fair
    } else {
        Verdict::Strong
    };
    let advice = entropy.feedback().map(|feedback| {
        let mut parts: Vec<String> = feedback
            .warning()
            .map(|w| w.to_string())
            .into_iter()
            .collect();
        parts.extend(feedback.suggestions().iter().map(|s| s.to_string()));
        parts.join(" ")
    });
    Strength {
        bits,
        verdict,
        advice: advice.filter(|a| !a.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// The EFF large wordlist: 7776 words, `dice-roll<TAB>word` per line.
    const EFF_LARGE_WORDLIST: &str = include_str!("wordlist/eff_large_wordlist.txt");
    /// The words of it a clinic would not read aloud, by category.
    const EXCLUDED: &str = include_str!("wordlist/excluded.txt");
    /// Homophone pairs in it, `kept left-out` per line.
    const HOMOPHONES: &str = include_str!("wordlist/homophones.txt");

    /// The words of a list file: `#` starts a comment.
    fn entries(text: &'static str) -> impl Iterator<Item = &'static str> {
        text.lines()
            .filter_map(|line| line.split('#').next())
            .flat_map(str::split_whitespace)
    }

    /// The homophone pairs, each line's words (`kept left-out`).
    fn homophone_pairs() -> impl Iterator<Item = Vec<&'static str>> {
        HOMOPHONES
            .lines()
            .filter_map(|line| line.split('#').next())
            .map(|line| line.split_whitespace().collect::<Vec<_>>())
            .filter(|pair| !pair.is_empty())
    }

    /// The EFF large wordlist's words, in its order.
    fn eff_words() -> impl Iterator<Item = &'static str> {
        EFF_LARGE_WORDLIST
            .lines()
            .filter_map(|line| line.split('\t').nth(1))
    }

    /// The spoken wordlist as made: the EFF list's words of letters only, less
    /// the excluded words and the left-out homophones, in the EFF list's order.
    fn words() -> Vec<&'static str> {
        let left_out: HashSet<&str> = entries(EXCLUDED)
            .chain(homophone_pairs().filter_map(|pair| pair.get(1).copied()))
            .collect();
        eff_words()
            .filter(|word| word.chars().all(|c| c.is_ascii_lowercase()))
            .filter(|word| !left_out.contains(word))
            .collect()
    }

    #[test]
    fn the_spoken_list_is_the_eff_list_less_what_is_not_said_aloud() {
        let list = words();
        assert_eq!(list.len(), WORDLIST_LEN);
        // The list file the crate carries is exactly this list.
        assert_eq!(
            spoken_words(),
            list.as_slice(),
            "wordlist/spoken.txt is stale"
        );
        assert_eq!(list.first(), Some(&"abacus"));
        assert_eq!(list.last(), Some(&"zoom"));
        let unique: HashSet<_> = list.iter().collect();
        assert_eq!(unique.len(), WORDLIST_LEN);
        // Every word left out is one of the EFF list's (no typo keeps a
        // word in), and none is in the spoken list.
        let eff: HashSet<&str> = eff_words().collect();
        for pair in homophone_pairs() {
            assert_eq!(pair.len(), 2, "{pair:?}");
            assert!(eff.contains(pair[0]) && eff.contains(pair[1]), "{pair:?}");
            assert!(unique.contains(&pair[0]) && !unique.contains(&pair[1]));
        }
        for word in entries(EXCLUDED) {
            assert!(eff.contains(word), "{word:?} is not in the EFF list");
            assert!(!unique.contains(&word), "{word:?} is excluded");
        }
        for banned in ["gallows", "sinister", "unnerving", "coma", "arson", "nerd"] {
            assert!(!unique.contains(&banned), "{banned}");
        }
        // Typed unambiguously: letters only, and no word is the start of
        // another (sorted, a word that starts another comes right before
        // it).
        assert!(
            list.iter()
                .all(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        );
        let mut sorted = list.to_vec();
        sorted.sort_unstable();
        for pair in sorted.windows(2) {
            assert!(
                !pair[1].starts_with(pair[0]),
                "{} starts {}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn generated_passphrases_have_enough_words_and_bits() {
        let p = generate_passphrase(DEFAULT_WORDS).unwrap();
        assert!(p.expose().split('-').count() >= DEFAULT_WORDS);
        assert!(generated_bits(DEFAULT_WORDS) >= 77.0);
        assert!(p.expose().split('-').all(crate::is_spoken_word));
        assert_ne!(
            p.expose(),
            generate_passphrase(DEFAULT_WORDS).unwrap().expose()
        );
        assert!(generate_passphrase(5).is_err());
        assert_eq!(
            estimate_strength(&p, &[]).verdict,
            Verdict::Strong,
            "a generated passphrase should be judged strong"
        );
    }

    #[test]
    fn random_passwords_are_not_weak() {
        for fine in ["kx8#Lq2!vR9zT4", "Zq7vNw2pLx9kRt"] {
            let s = estimate_strength(&Passphrase::new(fine), &[]);
            assert!(s.verdict >= Verdict::Fair, "{fine}: {} bits", s.bits);
        }
    }

    #[test]
    fn common_passwords_are_weak() {
        for weak in [
            "password",
            "Password1!",
            "letmein2024",
            "qwertyuiop",
            "clinic",
            "Tr0ub4dor&3",
            "",
        ] {
            let s = estimate_strength(&Passphrase::new(weak), &["clinic"]);
            assert_eq!(s.verdict, Verdict::Weak, "{weak}: {} bits", s.bits);
        }
    }
}
