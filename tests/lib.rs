//! Cross-crate end-to-end tests live in `tests/`; the shared test vectors
//! (run by every implementation of the format) in `vectors/`; the browser
//! benchmark in `bench/`. This library holds what they share.
#![forbid(unsafe_code)]

pub mod webdriver;
