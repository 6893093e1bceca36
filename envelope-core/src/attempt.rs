//! From a typed passphrase to the key derivations worth running.
//!
//! A passphrase the sender chose is derived exactly as typed (NFC only): its
//! spaces and capitals may matter. A generated one (a words slot) is derived
//! from the typed words in their canonical form (`typing`), and only when
//! they can be it: every piece a word of the list and as many words as the
//! slot says. So a typing that cannot open any slot costs no derivation,
//! and says why in terms the sender made public ([`WordsAdvice`]); one that
//! is both (the words typed with single hyphens, in lower case) costs one.

use crate::error::{Error, Result};
use crate::header::{Header, Slot};
use crate::secret::Passphrase;
use crate::typing::{SPOKEN_LIST, TypedWords, WordsAdvice};

/// One key derivation to run, and which of the header's passphrase slots
/// its key may open.
pub struct Attempt {
    passphrase: Passphrase,
    exact: bool,
    words: bool,
}

impl Attempt {
    /// What Argon2id gets (with [`Header::kdf`] and [`Header::salt`]).
    /// Handle with care: it is the passphrase, or the typed words.
    pub fn passphrase(&self) -> &Passphrase {
        &self.passphrase
    }

    /// Whether a slot of the header may open with this attempt's key.
    pub(crate) fn may_open(&self, slot: &Slot) -> bool {
        match slot {
            Slot::Passphrase { .. } => self.exact,
            Slot::Words { list, .. } => self.words && *list == SPOKEN_LIST,
            Slot::X25519 { .. } | Slot::Unknown { .. } => false,
        }
    }
}

impl std::fmt::Debug for Attempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attempt")
            .field("exact", &self.exact)
            .field("words", &self.words)
            .finish_non_exhaustive()
    }
}

/// The key derivations a typed passphrase calls for, the generated
/// passphrase's first (most envelopes have only that).
#[derive(Debug)]
pub struct Attempts {
    attempts: Vec<Attempt>,
    advice: Option<WordsAdvice>,
}

impl Attempts {
    /// Plans the derivations for `typed` against `header`'s passphrase
    /// slots. Nothing slow runs here.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when the header has no passphrase slot this
    /// version can open.
    pub fn plan(header: &Header, typed: &Passphrase) -> Result<Attempts> {
        let PassphraseSlots {
            chosen: has_exact,
            generated: lengths,
        } = PassphraseSlots::of(header)?;
        let mut attempts = Vec::new();
        let mut advice = None;
        if !lengths.is_empty() {
            let typed_words = TypedWords::read(typed.expose());
            if let Some(words) = typed_words
                .canonical()
                .filter(|_| lengths.contains(&typed_words.count()))
            {
                let exact = has_exact && words.expose() == typed.expose();
                attempts.push(Attempt {
                    passphrase: words,
                    exact,
                    words: true,
                });
            }
            // With a chosen passphrase too, what was typed may be that one:
            // its words are none of the advice's business.
            if !has_exact {
                advice = Some(typed_words.advice(lengths));
            }
        }
        if has_exact && !attempts.iter().any(|attempt| attempt.exact) {
            attempts.push(Attempt {
                passphrase: typed.clone(),
                exact: true,
                words: false,
            });
        }
        Ok(Attempts { attempts, advice })
    }

    /// Refuses, before anything is typed, a header with no passphrase slot
    /// this version can open.
    ///
    /// # Errors
    ///
    /// As [`Attempts::plan`].
    pub fn check_openable(header: &Header) -> Result<()> {
        PassphraseSlots::of(header).map(|_| ())
    }

    /// The derivations to run, in order; none when the typing cannot open
    /// any slot (then [`Attempts::wrong_passphrase`] says why).
    pub fn iter(&self) -> impl Iterator<Item = &Attempt> {
        self.attempts.iter()
    }

    /// The error for a typing that opened nothing, with advice when every
    /// passphrase slot is a generated passphrase's.
    pub fn wrong_passphrase(&self) -> Error {
        Error::WrongPassphrase(self.advice.clone().map(Box::new))
    }
}

/// What kinds of passphrase slot a header has: what a page says before
/// anything is typed ("Enter the six words…").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassphraseSlots {
    /// Whether it has a slot for a passphrase the sender chose.
    pub chosen: bool,
    /// The word counts of its generated passphrases (of a list this version
    /// knows), ascending, each once.
    pub generated: Vec<usize>,
}

impl PassphraseSlots {
    /// The passphrase slots of `header`.
    ///
    /// # Errors
    ///
    /// [`Error::Unsupported`] when it has none this version can open.
    pub fn of(header: &Header) -> Result<PassphraseSlots> {
        let mut slots = PassphraseSlots {
            chosen: false,
            generated: Vec::new(),
        };
        for slot in &header.slots {
            match slot {
                Slot::Passphrase { .. } => slots.chosen = true,
                Slot::Words { words, list, .. } if *list == SPOKEN_LIST => {
                    let words = usize::from(*words);
                    let at = slots.generated.partition_point(|&n| n < words);
                    if slots.generated.get(at) != Some(&words) {
                        slots.generated.insert(at, words);
                    }
                }
                _ => {}
            }
        }
        if !slots.chosen && slots.generated.is_empty() {
            return Err(Error::Unsupported(
                "the envelope has no passphrase slot this software can open (only key slots of \
                 types it does not know, or generated passphrases from a word list it does not know)"
                    .into(),
            ));
        }
        Ok(slots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seal::testing::seal_deterministic;
    use crate::{KdfParams, Message, PayloadKey, SealOptions};

    const GENERATED: &str = "abacus-zoology-tulip-ember-gravel-lantern";

    fn sealed(options: SealOptions) -> Vec<u8> {
        seal_deterministic(Message::new(), &options.kdf(KdfParams::MIN), "attempts").unwrap()
    }

    fn header(envelope: &[u8]) -> Header {
        Header::read_from(&mut &envelope[..]).unwrap()
    }

    fn kinds(header: &Header, typed: &str) -> Vec<(bool, bool)> {
        Attempts::plan(header, &Passphrase::new(typed))
            .unwrap()
            .iter()
            .map(|attempt| (attempt.exact, attempt.words))
            .collect()
    }

    #[test]
    fn a_generated_passphrase_alone_is_derived_once_and_only_when_it_can_be_right() {
        let header = header(&sealed(
            SealOptions::new().generated_passphrase(Passphrase::new(GENERATED)),
        ));
        assert_eq!(
            kinds(&header, "Abacus Zoology Tulip Ember Gravel Lantern"),
            [(false, true)]
        );
        // Five words, or a word not in the list: no derivation at all.
        for typed in [
            "abacus zoology tulip ember gravel",
            "abacus zoology tulip ember gravel lanter",
        ] {
            let attempts = Attempts::plan(&header, &Passphrase::new(typed)).unwrap();
            assert_eq!(attempts.iter().count(), 0, "{typed}");
            assert!(matches!(
                attempts.wrong_passphrase(),
                Error::WrongPassphrase(Some(_))
            ));
        }
    }

    #[test]
    fn with_a_chosen_passphrase_too_both_are_tried_and_nothing_is_said_of_the_words() {
        let envelope = sealed(
            SealOptions::new()
                .passphrase(Passphrase::new("Our own  words"))
                .generated_passphrase(Passphrase::new(GENERATED)),
        );
        let header = header(&envelope);
        // Typed as generated: one derivation serves both kinds of slot.
        assert_eq!(kinds(&header, GENERATED), [(true, true)]);
        assert_eq!(
            kinds(&header, "abacus zoology tulip ember gravel lantern"),
            [(false, true), (true, false)]
        );
        assert_eq!(kinds(&header, "our own words"), [(true, false)]);
        let attempts = Attempts::plan(&header, &Passphrase::new("our own words")).unwrap();
        assert!(matches!(
            attempts.wrong_passphrase(),
            Error::WrongPassphrase(None)
        ));
        let opened = |typed: &str| {
            PayloadKey::unlock(&header, &Passphrase::new(typed)).map(|key| key.opened_slot())
        };
        assert_eq!(opened("Our own  words").unwrap(), 0);
        assert_eq!(
            opened("ABACUS ZOOLOGY TULIP EMBER GRAVEL LANTERN").unwrap(),
            1
        );
        assert!(matches!(
            opened("our own words"),
            Err(Error::WrongPassphrase(None))
        ));
    }

    #[test]
    fn sealing_refuses_a_generated_passphrase_that_is_not_list_words() {
        for bad in ["abacus zoology tulip ember gravel lanter", "", "a+b"] {
            let options = SealOptions::new().generated_passphrase(Passphrase::new(bad));
            assert!(
                seal_deterministic(Message::new(), &options.kdf(KdfParams::MIN), "x").is_err(),
                "{bad:?}"
            );
        }
        let too_long = vec!["abacus"; 65].join(" ");
        let options = SealOptions::new().generated_passphrase(Passphrase::new(&too_long));
        assert!(seal_deterministic(Message::new(), &options.kdf(KdfParams::MIN), "x").is_err());
    }
}
