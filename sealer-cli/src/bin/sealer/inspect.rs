//! `sealer inspect`: an envelope's public header, without the passphrase;
//! with `--verify`, also all of it and its sender signature, checked with
//! the passphrase (the signature is inside the encrypted content).

use envelope_core::{Envelope, SignatureCheck, human_size};
use serde_json::{Value, json};

use crate::args::InspectArgs;
use crate::failure::Failure;
use crate::open::{check_signer, describe_signature, load, unlock};
use crate::terminal::printable_line;

/// What opening the envelope found (`--verify`): all of it verified.
struct Verified {
    opened_slot: usize,
    slot_type: &'static str,
    signature: Option<SignatureCheck>,
    receipt_to: Option<String>,
}

pub(crate) fn run(args: InspectArgs) -> Result<(), Failure> {
    let found = load(&args.envelope)?;
    let envelope = Envelope::new(found.envelope)?;
    let header = envelope.header().clone();
    let unlocking = &args.unlocking;
    let verify = args.verify
        || unlocking.signer.is_some()
        || unlocking.identity.is_some()
        || unlocking.passphrase.passphrase_file.is_some()
        || unlocking.passphrase.passphrase_env.is_some();
    let verified = if verify {
        Some(verify_all(envelope, &header, unlocking)?)
    } else {
        None
    };
    let report = Report {
        header,
        payload: found.len,
        decryptor: found.decryptor_sha256,
        verified,
    };
    if args.json {
        println!("{:#}", report.json());
    } else {
        report.print(&args.envelope);
    }
    Ok(())
}

/// Opens all of the envelope (nothing is kept) and checks its signature.
fn verify_all(
    envelope: Envelope<crate::open::Loaded>,
    header: &envelope_core::Header,
    unlocking: &crate::args::Unlocking,
) -> Result<Verified, Failure> {
    let expected = unlocking
        .signer
        .as_deref()
        .map(crate::keys::read_signer)
        .transpose()?;
    let reader = unlock(envelope, unlocking)?;
    let opened_slot = reader.opened_slot();
    let receipt_to = reader.manifest().receipt_to.clone();
    let finished = reader.finish()?;
    check_signer(finished.signature, expected.as_ref())?;
    Ok(Verified {
        opened_slot,
        slot_type: header
            .slots
            .get(opened_slot)
            .map_or("unknown", |slot| slot.type_name()),
        signature: finished.signature,
        receipt_to,
    })
}

/// A slot as `inspect` names it: a generated passphrase with its word
/// count, which the envelope shows anyone.
fn slot_description(slot: &envelope_core::Slot) -> String {
    match slot {
        envelope_core::Slot::Words { words, .. } => {
            format!("{} of {words} words", slot.type_name())
        }
        _ => slot.type_name().to_owned(),
    }
}

/// What `inspect` says of an envelope.
struct Report {
    header: envelope_core::Header,
    /// The whole envelope's size; the payload is what follows the header.
    payload: u64,
    /// The SHA-256 of the decryptor a page carries.
    decryptor: Option<String>,
    verified: Option<Verified>,
}

impl Report {
    fn payload_bytes(&self) -> u64 {
        self.payload.saturating_sub(self.header.len() as u64)
    }

    fn slots(&self) -> Vec<&'static str> {
        self.header
            .slots
            .iter()
            .map(|slot| slot.type_name())
            .collect()
    }

    fn json(&self) -> Value {
        let header = &self.header;
        let ours = &sealer::decryptor_digests()[0].0;
        json!({
            "format_version": header.version(),
            "label": header.label,
            "hint": header.hint,
            "kdf": {
                "algorithm": "argon2id",
                "memory_kib": header.kdf.m_kib,
                "iterations": header.kdf.t,
                "parallelism": header.kdf.p,
            },
            "slots": self.slots(),
            "expires": header.expires.map(|at| envelope_core::MessageDate::utc(at).to_rfc3339()),
            "expired": header.expires.map(|at| at <= envelope_core::MessageDate::now().unix_seconds),
            "header_bytes": header.len(),
            "payload_bytes": self.payload_bytes(),
            "decryptor_sha256": self.decryptor,
            "decryptor_is_this_sealers": self.decryptor.as_ref().map(|d| d == ours),
            "verified": self.verified.as_ref().map(verified_json),
        })
    }

    fn print(&self, path: &std::path::Path) {
        let header = &self.header;
        let slots: Vec<String> = header.slots.iter().map(slot_description).collect();
        println!("Envelope:        {}", path.display());
        println!("Format version:  {}", header.version());
        println!(
            "Label:           {}",
            printable_line(header.label.as_deref().unwrap_or("(none)"))
        );
        println!(
            "Hint:            {}",
            printable_line(header.hint.as_deref().unwrap_or("(none)"))
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
            human_size(self.payload_bytes())
        );
        self.print_decryptor();
        self.print_verified();
    }

    fn print_decryptor(&self) {
        let ours = &sealer::decryptor_digests()[0].0;
        match &self.decryptor {
            Some(digest) if digest == ours => {
                println!("Decryptor:       {digest} (this sealer's)");
            }
            Some(digest) => println!(
                "Decryptor:       {digest} (NOT this sealer's: compare with the hashes its makers \
                 publish)"
            ),
            None => println!("Decryptor:       (none: a raw envelope)"),
        }
    }

    fn print_verified(&self) {
        let Some(verified) = &self.verified else {
            println!(
                "Signature:       (inside the encrypted content: sealer inspect --verify checks it \
                 with the passphrase)"
            );
            return;
        };
        println!(
            "Verified:        all of it (opened through key slot {}, {})",
            verified.opened_slot, verified.slot_type
        );
        match &verified.signature {
            Some(check) => println!("Signature:       {}", describe_signature(check)),
            None => println!("Signature:       none (not signed)"),
        }
        if let Some(address) = &verified.receipt_to {
            println!(
                "Receipt:         asked for at {address} (sealer open and the page give the code)"
            );
        }
    }
}

fn verified_json(verified: &Verified) -> Value {
    let signature = verified.signature.map(|check| {
        let (signer, valid) = match check {
            SignatureCheck::Valid(signer) => (signer, true),
            SignatureCheck::Invalid(signer) => (signer, false),
        };
        json!({
            "signer": signer.to_text(),
            "fingerprint": signer.fingerprint(),
            "valid": valid,
        })
    });
    json!({
        "opened_slot": verified.opened_slot,
        "slot_type": verified.slot_type,
        "signature": signature,
        "receipt_to": verified.receipt_to,
    })
}
