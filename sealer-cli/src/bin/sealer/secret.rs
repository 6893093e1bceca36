//! Passphrases: from a prompt, a file or the environment (never from the
//! command line, where `ps` shows it to other users), generated, and
//! checked for strength.

use std::path::Path;

use envelope_core::{
    DEFAULT_WORDS, MIN_WORDS, Passphrase, Verdict, estimate_strength, generate_passphrase,
    generated_bits, generated_word_count,
};

use crate::args::PassphraseSource;
use crate::failure::{Code, Failure};

/// Reads the passphrase from its source; the prompt asks twice when
/// `confirm` (sealing: a typo would lock the recipient out).
pub(crate) fn read(source: &PassphraseSource, confirm: bool) -> Result<Passphrase, Failure> {
    let text = if let Some(path) = &source.passphrase_file {
        from_file(path, "passphrase")?
    } else if let Some(name) = &source.passphrase_env {
        from_env(name)?
    } else {
        from_prompt(confirm)?
    };
    Ok(Passphrase::from_string(text))
}

/// The first line of the file at `path`, which holds a `what` (a
/// passphrase, a password).
pub(crate) fn from_file(path: &Path, what: &str) -> Result<String, Failure> {
    Ok(sealer::files::read_first_line(path, what)?)
}

/// The value of the environment variable `name`, which must be set.
pub(crate) fn from_env(name: &str) -> Result<String, Failure> {
    match std::env::var(name) {
        Ok(text) if !text.is_empty() => Ok(text),
        Ok(_) => Err(Failure::input(format!(
            "the environment variable {name} is empty"
        ))),
        Err(std::env::VarError::NotPresent) => Err(Failure::input(format!(
            "the environment variable {name} is not set"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(Failure::input(format!(
            "the environment variable {name} is not valid UTF-8"
        ))),
    }
}

fn from_prompt(confirm: bool) -> Result<String, Failure> {
    let no_terminal = |err: std::io::Error| {
        Failure::input(format!(
            "no passphrase given and no terminal to ask on ({err}); use --passphrase-file FILE \
             or --passphrase-env VAR{}",
            if confirm {
                ", or --generate-passphrase"
            } else {
                ""
            }
        ))
    };
    let first = rpassword::prompt_password("Passphrase: ").map_err(no_terminal)?;
    if first.is_empty() {
        return Err(Failure::input("the passphrase is empty"));
    }
    if confirm {
        let second = rpassword::prompt_password("Passphrase (again): ").map_err(no_terminal)?;
        if first != second {
            return Err(Failure::input(
                "the two passphrases differ; nothing was sealed",
            ));
        }
    }
    Ok(first)
}

/// Refuses a weak passphrase unless `allow_weak`. `context` holds words an
/// attacker would try first (names, addresses, the subject).
pub(crate) fn check_strength(
    passphrase: &Passphrase,
    context: &[&str],
    allow_weak: bool,
) -> Result<(), Failure> {
    let strength = estimate_strength(passphrase, context);
    if strength.verdict == Verdict::Weak && !allow_weak {
        let advice = strength
            .advice
            .map(|advice| format!(" {}.", advice.trim_end_matches('.')))
            .unwrap_or_default();
        return Err(Failure::input(format!(
            "the passphrase is weak (about {:.0} bits; at least {:.0} are needed).{advice} Use \
             --generate-passphrase for a strong one, or --allow-weak-passphrase to insist",
            strength.bits,
            Verdict::WEAK_BELOW_BITS,
        )));
    }
    Ok(())
}

/// Refuses a passphrase given as generated (`seal --generated`) unless it
/// is at least [`MIN_WORDS`] words of the spoken list, as `sealer
/// passphrase` makes them.
pub(crate) fn check_generated(passphrase: &Passphrase) -> Result<(), Failure> {
    match generated_word_count(passphrase) {
        Some(words) if words >= MIN_WORDS => Ok(()),
        Some(words) => Err(Failure::input(format!(
            "--generated: the passphrase is {words} words of the spoken list, and a generated one \
             has at least {MIN_WORDS} (sealer passphrase makes one)"
        ))),
        None => Err(Failure::input(
            "--generated: the passphrase is not words of the spoken list (sealer passphrase makes \
             one); without --generated it is sealed to be typed exactly",
        )),
    }
}

/// A new passphrase of `words` words.
pub(crate) fn generate(words: usize) -> Result<Passphrase, Failure> {
    generate_passphrase(words).map_err(|err| match err.kind() {
        envelope_core::ErrorKind::InvalidInput => Failure::input(err.to_string()),
        _ => Failure::new(Code::Failed, err.to_string()),
    })
}

/// `sealer passphrase`: prints one generated passphrase.
pub(crate) fn print_generated(words: usize) -> Result<(), Failure> {
    let passphrase = generate(words)?;
    println!("{}", passphrase.expose());
    eprintln!(
        "({words} words, {:.1} bits.) Send it by another channel than the envelope. Seal with \
         --passphrase-file FILE --generated so that it can be typed with any spacing and capitals.",
        generated_bits(words)
    );
    Ok(())
}

/// Writes a generated passphrase to a new file readable only by its owner.
pub(crate) fn write_to_new_file(path: &Path, passphrase: &Passphrase) -> Result<(), Failure> {
    let line = format!("{}\n", passphrase.expose());
    sealer::files::write_private_file(path, line.as_bytes()).map_err(|err| {
        Failure::input(format!(
            "cannot create the passphrase file {}: {err}",
            path.display()
        ))
    })
}

/// Creates `dir`, a new folder readable only by its owner.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), Failure> {
    sealer::files::create_private_dir(dir, false).map_err(|err| {
        Failure::input(format!(
            "cannot create the passphrase folder {}: {err}",
            dir.display()
        ))
    })
}

/// Words in a generated passphrase.
pub(crate) const GENERATED_WORDS: usize = DEFAULT_WORDS;
