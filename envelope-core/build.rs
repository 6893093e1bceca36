//! Packs the spoken word list (`src/wordlist/spoken.txt`, one word a line,
//! sorted) for the binary: each word as one byte, the number of letters it
//! shares with the word before (always below `a`, so it also marks where a
//! word starts), then the letters that differ. That takes the list from
//! 58 KB to 32 KB in the browser decryptor; `typing` unpacks it.
// A build script reports a broken input by panicking.
#![allow(clippy::panic)]

use std::{env, fs, path::PathBuf};

fn main() {
    let source = "src/wordlist/spoken.txt";
    println!("cargo::rerun-if-changed={source}");
    let text = fs::read_to_string(source).unwrap_or_else(|err| panic!("{source}: {err}"));
    let mut packed = Vec::with_capacity(text.len());
    let mut previous = "";
    for word in text.lines() {
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) || word <= previous {
            panic!("{source}: {word:?} is not a lower-case word after {previous:?}");
        }
        let shared = word
            .bytes()
            .zip(previous.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let Ok(marker @ 0..b'a') = u8::try_from(shared) else {
            panic!("{source}: {word:?} shares too long a start with {previous:?}");
        };
        packed.push(marker);
        packed.extend_from_slice(&word.as_bytes()[shared..]);
        previous = word;
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default()).join("spoken.packed");
    fs::write(&out, packed).unwrap_or_else(|err| panic!("{}: {err}", out.display()));
}
