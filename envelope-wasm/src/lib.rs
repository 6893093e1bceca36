//! The browser decryptor inside the envelope page: a thin layer of
//! wasm-bindgen and web-sys over `envelope-core`.
//!
//! On submit it derives the key with Argon2id (`envelope-core`, in
//! WebAssembly, in a Worker where the browser allows one), unwraps the file key and verifies the header, decrypts the
//! payload chunks with WebCrypto (or its own AES-GCM when `crypto.subtle` is
//! missing), verifies the content (manifest, every part's digest, the final
//! chunk), and only then shows the message and offers each attachment for
//! download. Nothing is shown from an envelope that fails to verify.
//!
//! When the envelope asks for secure replies, it also seals the answer,
//! here, into a page of its own (`reply`).
//!
//! The page records `performance.measure` entries named `kdf`, `decode`,
//! `decrypt`, `verify` and `open` (submit to message shown).
#![forbid(unsafe_code)]

// The browser parts compile only for WebAssembly; `safety` is plain Rust
// and tested natively.
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod chunks;
#[cfg(target_arch = "wasm32")]
mod content;
#[cfg(target_arch = "wasm32")]
mod form;
#[cfg(target_arch = "wasm32")]
mod inert;
#[cfg(target_arch = "wasm32")]
mod kdf;
#[cfg(target_arch = "wasm32")]
mod locale;
#[cfg(target_arch = "wasm32")]
mod opener;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
mod progress;
#[cfg(target_arch = "wasm32")]
mod reply;
#[cfg(target_arch = "wasm32")]
mod result;
mod safety;
#[cfg(target_arch = "wasm32")]
mod texts;
pub mod zip;

pub use safety::{FILE_KIND_KEYS, download_type, html_body_document, kind_of_file};
