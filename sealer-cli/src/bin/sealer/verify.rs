//! `sealer verify`: whether an envelope page runs a known sealer's
//! decryptor and nothing else (see `sealer::verify`).

use serde_json::json;

use crate::args::VerifyArgs;
use crate::failure::{Code, Failure};
use crate::open::page;

pub(crate) fn run(args: VerifyArgs) -> Result<(), Failure> {
    let html = page(&args.envelope)?;
    let verification = sealer::verify::verify_page(&html);
    if args.json {
        println!(
            "{:#}",
            json!({
                "genuine": verification.is_genuine(),
                "release": verification.release,
                "decryptor_sha256": verification.wasm_sha256,
                "problems": verification.problems,
            })
        );
    } else if verification.is_genuine() {
        println!(
            "Verified: {} runs the decryptor of sealer release {} (WebAssembly SHA-256 {}), and \
             its security policy lets nothing else run or reach the network.",
            args.envelope.display(),
            verification.release.as_deref().unwrap_or_default(),
            verification.wasm_sha256.as_deref().unwrap_or_default()
        );
    }
    if verification.is_genuine() {
        return Ok(());
    }
    Err(Failure::new(
        Code::Damaged,
        format!(
            "NOT VERIFIED: {} was changed after sealing or was not made by a known sealer: {}. \
             Do not type a passphrase into it; ask the sender for the message again.",
            args.envelope.display(),
            verification.problems.join("; ")
        ),
    ))
}
