//! Cross-crate end-to-end tests live in `tests/`; the shared test vectors
//! (run by every implementation of the format) in `vectors/`.
#![forbid(unsafe_code)]
