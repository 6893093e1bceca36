//! Passphrase generation (EFF large wordlist) and strength estimation.

use crate::error::{Error, Result};
use crate::secret::Passphrase;

/// The EFF large wordlist: 7776 words, `dice-roll<TAB>word` per line.
const EFF_LARGE_WORDLIST: &str = include_str!("eff_large_wordlist.txt");
/// Number of words in the list (6^5).
pub const WORDLIST_LEN: usize = 7776;
/// Words in a generated passphrase by default: 6 × log2(7776) ≈ 77.5 bits.
pub const DEFAULT_WORDS: usize = 6;
/// Fewest words [`generate_passphrase`] accepts.
pub const MIN_WORDS: usize = 6;
/// Most words [`generate_passphrase`] accepts.
pub const MAX_WORDS: usize = 24;

fn words() -> impl Iterator<Item = &'static str> {
    EFF_LARGE_WORDLIST
        .lines()
        .filter_map(|line| line.split('\t').nth(1))
}

/// The entropy of a generated passphrase of `words` words, in bits.
pub fn generated_bits(words: usize) -> f64 {
    words as f64 * (WORDLIST_LEN as f64).log2()
}

/// Generates a passphrase of `words` words drawn uniformly (with the
/// operating system's randomness) from the EFF large wordlist, joined by
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
    let list: Vec<&str> = self::words().collect();
    debug_assert_eq!(list.len(), WORDLIST_LEN);
    let mut chosen = Vec::with_capacity(words);
    while chosen.len() < words {
        let mut two = [0u8; 2];
        getrandom::fill(&mut two).map_err(|err| {
            Error::Io(std::io::Error::other(format!(
                "no randomness available: {err}"
            )))
        })?;
        // Rejection sampling: 62208 = 8 × 7776 keeps every word equally likely.
        let value = usize::from(u16::from_be_bytes(two));
        if value < 8 * WORDLIST_LEN {
            chosen.push(list[value % WORDLIST_LEN]);
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
    use super::*;

    #[test]
    fn the_wordlist_is_the_eff_large_list() {
        let list: Vec<&str> = words().collect();
        assert_eq!(list.len(), WORDLIST_LEN);
        assert_eq!(list.first(), Some(&"abacus"));
        assert_eq!(list.last(), Some(&"zoom"));
        let unique: std::collections::HashSet<_> = list.iter().collect();
        assert_eq!(unique.len(), WORDLIST_LEN);
    }

    #[test]
    fn generated_passphrases_have_enough_words_and_bits() {
        let p = generate_passphrase(DEFAULT_WORDS).unwrap();
        assert!(p.expose().split('-').count() >= DEFAULT_WORDS);
        assert!(generated_bits(DEFAULT_WORDS) >= 77.0);
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
