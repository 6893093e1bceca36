//! `sealer inspect`: an envelope's public header, without the passphrase.

use envelope_core::{Envelope, human_size};
use serde_json::json;

use crate::args::InspectArgs;
use crate::failure::Failure;
use crate::open::load;
use crate::terminal::printable;

pub(crate) fn run(args: InspectArgs) -> Result<(), Failure> {
    let bytes = load(&args.envelope)?;
    let header = Envelope::new(&bytes[..])?.header().clone();
    let payload = bytes.len() - header.len();
    // Which decryptor a page carries: this sealer's, or another.
    let page = std::fs::read_to_string(&args.envelope).ok();
    let decryptor = page
        .as_deref()
        .and_then(sealer::embedded_decryptor)
        .map(|wasm| sealer::sha256_hex(&wasm));
    let ours = &sealer::decryptor_digests()[0].0;
    let slots: Vec<&str> = header.slots.iter().map(|slot| slot.type_name()).collect();

    if args.json {
        let value = json!({
            "format_version": header.version(),
            "label": header.label,
            "hint": header.hint,
            "kdf": {
                "algorithm": "argon2id",
                "memory_kib": header.kdf.m_kib,
                "iterations": header.kdf.t,
                "parallelism": header.kdf.p,
            },
            "slots": slots,
            "expires": header.expires.map(|at| envelope_core::MessageDate::utc(at).to_rfc3339()),
            "expired": header.expires.map(|at| at <= envelope_core::MessageDate::now().unix_seconds),
            "header_bytes": header.len(),
            "payload_bytes": payload,
            "decryptor_sha256": decryptor,
            "decryptor_is_this_sealers": decryptor.as_ref().map(|d| d == ours),
        });
        println!("{value:#}");
        return Ok(());
    }
    println!("Envelope:        {}", args.envelope.display());
    println!("Format version:  {}", header.version());
    println!(
        "Label:           {}",
        printable(header.label.as_deref().unwrap_or("(none)"))
    );
    println!(
        "Hint:            {}",
        printable(header.hint.as_deref().unwrap_or("(none)"))
    );
    println!(
        "Key derivation:  Argon2id, {} MiB, {} passes, {} lanes",
        header.kdf.m_kib / 1024,
        header.kdf.t,
        header.kdf.p
    );
    println!("Key slots:       {} ({})", slots.len(), slots.join(", "));
    if let Some(at) = header.expires {
        let date = envelope_core::MessageDate::utc(at).to_rfc3339();
        let state = if at <= envelope_core::MessageDate::now().unix_seconds {
            "expired: sealer open and the page refuse it"
        } else {
            "advisory: refused after it by sealer open and the page"
        };
        println!("Expires:         {date} ({state})");
    }
    println!(
        "Sizes:           header {} bytes, encrypted content {}",
        header.len(),
        human_size(payload as u64)
    );
    match decryptor {
        Some(digest) if &digest == ours => {
            println!("Decryptor:       {digest} (this sealer's)");
        }
        Some(digest) => println!(
            "Decryptor:       {digest} (NOT this sealer's: compare with the hashes its makers publish)"
        ),
        None => println!("Decryptor:       (none: a raw envelope)"),
    }
    Ok(())
}
