//! Generates the test-vector files in `tests/vectors/` and checks that the
//! files on disk are what this code produces.
//!
//! Sealing is made deterministic with a seeded generator, so the same code
//! always writes the same bytes; a change to the format shows up as a failing
//! `vector_files_are_current`. To rewrite the files after a deliberate change:
//! `REGENERATE_VECTORS=1 cargo test -p envelope-core --lib vector_files`.

// The vector lists read best as one push per vector, with computed pieces between.
#![allow(clippy::vec_init_then_push)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::header::{Header, PAYLOAD_NONCE_LEN, SLOT_PASSPHRASE};
use crate::kdf::KdfParams;
use crate::limits::CHUNK_SIZE;
use crate::manifest::{AttachmentInfo, Manifest, Trailer};
use crate::message::{Attachment, Message, MessageDate};
use crate::seal::SealOptions;
use crate::seal::testing::{remac_header, seal_deterministic, seal_raw_content};
use crate::secret::Passphrase;
use crate::stream::{ENCRYPTED_CHUNK_SIZE, PayloadCipher, chunk_nonce};
use crate::{Error, ErrorKind, open};

/// Cheap Argon2id parameters so that the vectors run fast everywhere (the
/// browser included); one vector uses the defaults.
const FAST: KdfParams = KdfParams {
    m_kib: 256,
    t: 1,
    p: 1,
};
const PASSPHRASE: &str = "abacus-zoology-tulip-ember-gravel-sonnet";
const SECOND_PASSPHRASE: &str = "second-recipient-own-words-here-too";
/// A generated passphrase (words of the spoken list): a words slot.
const GENERATED: &str = "abacus-zoology-tulip-ember-gravel-lantern";
/// Typings of [`GENERATED`] that open its envelope: how it is read aloud,
/// typed on a phone, pasted from a message.
const GENERATED_TYPINGS: [(&str, &str, &str); 10] = [
    (
        "generated-typed-as-generated",
        "as generated: lower case, single hyphens",
        GENERATED,
    ),
    (
        "generated-typed-with-spaces",
        "spaces for the hyphens",
        "abacus zoology tulip ember gravel lantern",
    ),
    (
        "generated-typed-capitalised",
        "each word capitalised, spaces",
        "Abacus Zoology Tulip Ember Gravel Lantern",
    ),
    (
        "generated-typed-in-capitals",
        "all in capitals, hyphens",
        "ABACUS-ZOOLOGY-TULIP-EMBER-GRAVEL-LANTERN",
    ),
    (
        "generated-typed-with-dashes",
        "a phone keyboard's dashes: en dash, em dash, minus sign, hyphen U+2010, full-width hyphen-minus",
        "abacus\u{2013}zoology\u{2014}tulip\u{2212}ember\u{2010}gravel\u{FF0D}lantern",
    ),
    (
        "generated-typed-with-spaces-around",
        "spaces before and after, runs of spaces and hyphens, a tab",
        "  abacus -- zoology  tulip\t- ember  gravel lantern   ",
    ),
    (
        "generated-typed-across-lines",
        "line breaks (CR LF and LF) between words and at the end",
        "abacus zoology tulip\r\nember gravel\nlantern\n",
    ),
    (
        "generated-typed-with-dots-underscores-commas",
        "dots, underscores and commas between words",
        "abacus.zoology_tulip, ember. gravel__lantern",
    ),
    (
        "generated-typed-run-together",
        "the words run together, no separator at all (no word of the list starts another)",
        "abacuszoologytulipembergravellantern",
    ),
    (
        "generated-typed-pasted",
        "pasted: no-break spaces, a zero-width space, a soft hyphen inside a word, an ideographic space",
        "abacus\u{A0}zoology\u{200B}tulip\u{3000}em\u{AD}ber\u{A0}gravel lantern",
    ),
];
/// A passphrase the sender chose, made of list words but spaced on purpose.
const CHOSEN_WITH_SPACING: &str = "Abacus  zoology tulip-ember gravel lantern";
/// Where the receipt vectors ask for their receipt.
const RECEIPT_TO: &str = "records@clinic.example";
const DATE: MessageDate = MessageDate {
    unix_seconds: 1_795_000_000,
    offset_minutes: 60,
};
/// Byte offsets of the header fields (FORMAT.md, "Header").
mod at {
    pub(super) const VERSION: usize = 8;
    pub(super) const HEADER_LEN: usize = 10;
    pub(super) const KDF_ID: usize = 14;
    pub(super) const M_COST: usize = 15;
    pub(super) const T_COST: usize = 19;
    pub(super) const P_COST: usize = 23;
    pub(super) const SALT: usize = 27;
    pub(super) const CHUNK_SIZE: usize = 43;
    pub(super) const PAYLOAD_NONCE: usize = 47;
    pub(super) const SLOT_COUNT: usize = 63;
    pub(super) const FIRST_SLOT: usize = 65;
}

struct Vector {
    name: &'static str,
    description: &'static str,
    passphrase: String,
    envelope: Vec<u8>,
}

fn options() -> SealOptions {
    SealOptions::new()
        .passphrase(Passphrase::new(PASSPHRASE))
        .kdf(FAST)
        .label("Secure message from Example Clinic")
        .hint("the six words from the phone call")
}

fn basic_message() -> Message {
    Message::new()
        .from("Example Clinic <records@clinic.example>")
        .to("patient@example.org")
        .subject("Your test results")
        .date(DATE)
        .text_body("Dear patient,\nyour results are attached.\n")
        .attach(Attachment::from_bytes(
            "results.txt",
            "text/plain",
            b"All values within normal range.\n".to_vec(),
        ))
}

fn seal(name: &'static str, message: Message, options: &SealOptions) -> Vec<u8> {
    seal_deterministic(message, options, name).expect("sealing a vector")
}

fn ok(name: &'static str, description: &'static str, envelope: Vec<u8>) -> Vector {
    Vector {
        name,
        description,
        passphrase: PASSPHRASE.to_owned(),
        envelope,
    }
}

/// A pattern of `len` bytes that is not all one value.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// The content length a message's envelope will have.
fn content_len(message: &Message) -> usize {
    let attachments = message
        .attachments()
        .iter()
        .map(|a| AttachmentInfo {
            name: a.name().to_owned(),
            media_type: a.media_type().to_owned(),
            size: a.len(),
            content_id: a.content_id().map(str::to_owned),
        })
        .collect::<Vec<_>>();
    let manifest = Manifest {
        from: message.from.clone(),
        to: message.to.clone(),
        cc: message.cc.clone(),
        subject: message.subject.clone(),
        date: DATE,
        text_body_len: message.text_body.len() as u64,
        html_body_len: message.html_body.as_ref().map(|h| h.len() as u64),
        attachments,
        original_headers: message.original_headers.clone(),
        receipt_to: None,
        reply_request: None,
        in_reply_to: None,
        virus_scan: None,
    };
    let manifest_len = manifest.encode().expect("manifest").len();
    4 + manifest_len
        + manifest.parts_len() as usize
        + Trailer::min_len(manifest.parts().len()) as usize
}

/// A message whose content is exactly `target` bytes long.
fn message_of_content_len(target: usize) -> Message {
    let with = |len: usize| {
        Message::new()
            .from("a@example.org")
            .to("b@example.org")
            .subject("sized")
            .date(DATE)
            .attach(Attachment::from_bytes(
                "data.bin",
                "application/octet-stream",
                pattern(len, 7),
            ))
    };
    let overhead = content_len(&with(0));
    with(target - overhead)
}

fn header_len(envelope: &[u8]) -> usize {
    Header::read_from(&mut &envelope[..]).expect("header").len()
}

fn flipped(envelope: &[u8], offset: usize) -> Vec<u8> {
    let mut out = envelope.to_vec();
    out[offset] ^= 0x01;
    out
}

fn set_u32(envelope: &mut [u8], offset: usize, value: u32) {
    envelope[offset..offset + 4].copy_from_slice(&value.to_be_bytes());
}

fn successes() -> Vec<Vector> {
    let mut v = Vec::new();
    v.push(ok(
        "empty-message",
        "no sender, recipients, subject, bodies or attachments",
        seal("empty-message", Message::new().date(DATE), &options()),
    ));
    v.push(ok(
        "basic",
        "a text body and one small attachment",
        seal("basic", basic_message(), &options()),
    ));
    v.push(ok(
        "recovery-key-slot",
        "a passphrase slot and a recovery-key (X25519, type 2) slot; the passphrase opens it, \
         and so does the identity of RECOVERY_IDENTITY (test_vectors.rs)",
        seal(
            "recovery-key-slot",
            basic_message(),
            &options().recovery_key(recovery_identity().recipient()),
        ),
    ));
    v.push(ok(
        "signed",
        "signed by the vectors' signing key (SIGNING_IDENTITY in test_vectors.rs): an Ed25519 \
         signature in trailer field 0x0001 over the header, manifest and part digests",
        seal(
            "signed",
            basic_message(),
            &options().sign(signing_identity()),
        ),
    ));
    v.push(ok(
        "expires-far-future",
        "an advisory not-after date (header field 0x8003) of 9999-12-31T23:59:59Z",
        seal(
            "expires-far-future",
            basic_message(),
            &options().expires(253_402_300_799),
        ),
    ));
    v.push(ok(
        "original-headers",
        "the original message's header lines in manifest field 0x0002",
        seal(
            "original-headers",
            basic_message().original_headers(
                "Received: from mail.clinic.example\nFrom: Dr. Ada <ada@clinic.example>\n\
                 Subject: =?UTF-8?Q?Befund_f=C3=BCr_Zo=C3=AB?=\nX-Seal: yes\n",
            ),
            &options(),
        ),
    ));
    v.push(ok(
        "receipt-requested",
        "asks for a receipt at records@clinic.example (manifest field 0x0001); the expectation \
         holds the receipt code of the slot that opened",
        seal(
            "receipt-requested",
            basic_message(),
            &options().request_receipt(RECEIPT_TO),
        ),
    ));
    v.push(Vector {
        name: "receipt-second-slot",
        description: "asks for a receipt, two passphrase slots, opened by the second: its code \
                      names slot 1",
        passphrase: SECOND_PASSPHRASE.to_owned(),
        envelope: seal(
            "receipt-second-slot",
            basic_message(),
            &options()
                .passphrase(Passphrase::new(SECOND_PASSPHRASE))
                .request_receipt(RECEIPT_TO),
        ),
    });
    v.push(ok(
        "empty-attachment",
        "one attachment of 0 bytes",
        seal(
            "empty-attachment",
            basic_message().attach(Attachment::from_bytes(
                "empty.dat",
                "application/octet-stream",
                Vec::new(),
            )),
            &options(),
        ),
    ));
    v.push(ok(
        "exactly-one-chunk",
        "content of exactly 65536 bytes: one full chunk, which is the final one",
        seal(
            "exactly-one-chunk",
            message_of_content_len(CHUNK_SIZE),
            &options(),
        ),
    ));
    v.push(ok(
        "one-chunk-plus-one-byte",
        "content of 65537 bytes: a full chunk and a final chunk of 1 byte",
        seal(
            "one-chunk-plus-one-byte",
            message_of_content_len(CHUNK_SIZE + 1),
            &options(),
        ),
    ));
    v.push(ok(
        "several-attachments",
        "text and HTML bodies, Cc, and three attachments spanning several chunks",
        seal(
            "several-attachments",
            basic_message()
                .cc("gp@practice.example")
                .cc("archive@clinic.example")
                .html_body("<p>Dear patient,<br>your results are <b>attached</b>.</p>")
                .attach(Attachment::from_bytes(
                    "scan.png",
                    "image/png",
                    pattern(100_000, 1),
                ))
                .attach(Attachment::from_bytes(
                    "notes.csv",
                    "text/csv; charset=utf-8",
                    pattern(3, 2),
                )),
            &options(),
        ),
    ));
    let two = options().passphrase(Passphrase::new("second-recipient-own-words-here-too"));
    let two_slots = seal("two-slots", basic_message(), &two);
    v.push(ok(
        "two-slots-first",
        "two passphrase slots, opened by the first",
        two_slots.clone(),
    ));
    v.push(Vector {
        name: "two-slots-second",
        description: "two passphrase slots, opened by the second",
        passphrase: SECOND_PASSPHRASE.to_owned(),
        envelope: two_slots,
    });
    let nfc = "caf\u{e9}-na\u{ef}ve-\u{e5}ngstr\u{f6}m-z\u{f6}e-se\u{f1}or-\u{fc}ber";
    let nfd = "cafe\u{301}-nai\u{308}ve-a\u{30a}ngstro\u{308}m-zo\u{308}e-sen\u{303}or-u\u{308}ber";
    let unicode = seal(
        "non-ascii",
        Message::new()
            .from("Dr. Zo\u{eb} M\u{fc}ller <zoe@praxis.example>")
            .to("Fran\u{e7}ois <f@example.fr>")
            .subject("Befund \u{2014} \u{c4}rztin, \u{65e5}\u{672c}\u{8a9e}, \u{1f4c4}")
            .date(DATE)
            .text_body("Gr\u{fc}\u{df}e \u{2014} \u{3053}\u{3093}\u{306b}\u{3061}\u{306f}\n")
            .attach(Attachment::from_bytes(
                "Befund_M\u{fc}ller_\u{e4}\u{f6}\u{fc}_\u{65e5}\u{672c}.pdf",
                "application/pdf",
                b"%PDF-1.7\n".to_vec(),
            )),
        &options().passphrase(Passphrase::new(nfc)),
    );
    v.push(Vector {
        name: "non-ascii-passphrase-nfc",
        description: "non-ASCII headers and file name; a second slot sealed with an accented passphrase, typed in NFC",
        passphrase: nfc.to_owned(),
        envelope: unicode.clone(),
    });
    v.push(Vector {
        name: "non-ascii-passphrase-nfd",
        description: "the same envelope, the passphrase typed in NFD (decomposed accents): opens after NFC normalisation",
        passphrase: nfd.to_owned(),
        envelope: unicode,
    });
    v.push(ok(
        "default-kdf",
        "the default Argon2id cost: m = 65536 KiB, t = 3, p = 4",
        seal(
            "default-kdf",
            basic_message(),
            &options().kdf(KdfParams::DEFAULT),
        ),
    ));
    // A non-critical header field of an unknown type is authenticated and
    // ignored: insert one before the MAC, fix the length and re-MAC.
    let plain = seal("unknown-noncritical-field", basic_message(), &options());
    let h = header_len(&plain);
    let mut edited = plain[..h - 32].to_vec();
    let count_at = at::FIRST_SLOT + 64; // after the one 64-byte slot
    assert_eq!(edited[count_at + 1], 2, "label and hint");
    edited[count_at + 1] = 3;
    edited.extend_from_slice(&[0x00, 0x7f, 0x00, 0x03, b'x', b'y', b'z']);
    edited.extend_from_slice(&[0u8; 32]);
    let new_len = edited.len();
    set_u32(&mut edited, at::HEADER_LEN, new_len as u32);
    edited.extend_from_slice(&plain[h..]);
    remac_header(&mut edited, new_len, "unknown-noncritical-field");
    v.push(ok(
        "unknown-noncritical-field",
        "a header extension field of unknown, non-critical type 0x007f: authenticated and ignored",
        edited,
    ));
    v.extend(generated_typings());
    v.push(Vector {
        name: "chosen-typed-exactly",
        description: "a passphrase the sender chose (a type-1 slot), typed exactly as chosen",
        passphrase: CHOSEN_WITH_SPACING.to_owned(),
        envelope: seal(
            "chosen-with-spacing",
            basic_message(),
            &chosen_with_spacing(),
        ),
    });
    v.extend(reply_vectors());
    v.extend(virus_scan_vectors());
    v
}

/// The record a gateway writes after ClamAV found `basic_message` clean.
pub(crate) fn clean_scan() -> crate::VirusScan {
    use crate::{PartVerdict, ScanOutcome, ScanSignatures, ScannedPart};
    crate::VirusScan {
        outcome: ScanOutcome::Scanned,
        scanner: "ClamAV 1.4.6".into(),
        signatures: Some(ScanSignatures {
            version: 27_110,
            built_at: 1_796_082_417,
        }),
        checked_at: 1_796_090_000,
        parts: ["message text", "results.txt"]
            .into_iter()
            .map(|name| ScannedPart {
                name: name.into(),
                verdict: PartVerdict::NoThreatFound,
            })
            .collect(),
    }
}

/// Envelopes that record a virus scan (manifest field 0x0006).
fn virus_scan_vectors() -> Vec<Vector> {
    let mut v = Vec::new();
    v.push(ok(
        "virus-scanned",
        "records a virus scan (manifest field 0x0006): ClamAV 1.4.6, signatures 27110, every \
         part scanned and no threat found",
        seal(
            "virus-scanned",
            basic_message(),
            &options().virus_scan(clean_scan()),
        ),
    ));
    let mut partly = clean_scan();
    partly.parts[1].verdict = crate::PartVerdict::NotScanned;
    v.push(ok(
        "virus-scan-part-not-scanned",
        "records a virus scan in which the attachment was not scanned (verdict 2: the scanner \
         refused it and the policy let it be sealed unchecked)",
        seal(
            "virus-scan-part-not-scanned",
            basic_message(),
            &options().virus_scan(partly),
        ),
    ));
    v.push(ok(
        "virus-scanner-unavailable",
        "records that the scanner could not be reached (outcome 2) and the policy let the \
         message be sealed unchecked: no parts, no signatures",
        seal(
            "virus-scanner-unavailable",
            basic_message(),
            &options().virus_scan(crate::VirusScan {
                outcome: crate::ScanOutcome::ScannerUnavailable,
                scanner: "ClamAV".into(),
                signatures: None,
                parts: Vec::new(),
                ..clean_scan()
            }),
        ),
    ));
    v
}

/// Options with the generated passphrase only (one words slot).
fn generated_options() -> SealOptions {
    SealOptions::new()
        .generated_passphrase(Passphrase::new(GENERATED))
        .kdf(FAST)
        .label("Secure message from Example Clinic")
        .hint("six words; spaces, hyphens and capitals do not matter")
}

/// Options with a chosen passphrase whose spacing and capital matter.
fn chosen_with_spacing() -> SealOptions {
    SealOptions::new()
        .passphrase(Passphrase::new(CHOSEN_WITH_SPACING))
        .kdf(FAST)
}

/// The generated-passphrase envelope opened with each typing.
fn generated_typings() -> Vec<Vector> {
    let envelope = seal("generated", basic_message(), &generated_options());
    GENERATED_TYPINGS
        .iter()
        .map(|&(name, description, typed)| Vector {
            name,
            description,
            passphrase: typed.to_owned(),
            envelope: envelope.clone(),
        })
        .collect()
}

/// Typings that do not open the generated-passphrase envelope, the slot
/// altered, and the chosen passphrase typed differently.
fn generated_failures() -> Vec<Vector> {
    let envelope = seal("generated", basic_message(), &generated_options());
    let typed = |name, description, typed: &str| Vector {
        name,
        description,
        passphrase: typed.to_owned(),
        envelope: envelope.clone(),
    };
    let mut v = vec![
        typed(
            "generated-one-word-short",
            "five of the six words: refused before any key derivation, saying 5 typed of 6",
            "abacus zoology tulip ember gravel",
        ),
        typed(
            "generated-misspelt",
            "a word not in the list: refused before any key derivation, naming it",
            "abacus zoology tulip embre gravel lantern",
        ),
        typed(
            "generated-wrong-words",
            "six words of the list in the wrong order: derived, opens nothing",
            "zoology abacus tulip ember gravel lantern",
        ),
    ];
    // The slot's word count (the byte after the slot type and length) is
    // authenticated: 6 → 7 makes the six words never match.
    let count_at = at::FIRST_SLOT + 4;
    assert_eq!(envelope[count_at], 6, "the word count");
    let mut seven = envelope.clone();
    seven[count_at] = 7;
    v.push(Vector {
        name: "generated-slot-count-changed",
        description: "the words slot says 7 words instead of 6: six typed words are refused",
        passphrase: GENERATED.to_owned(),
        envelope: seven,
    });
    let mut unknown_list = envelope.clone();
    unknown_list[count_at + 1] = 2;
    v.push(Vector {
        name: "generated-slot-list-unknown",
        description: "the words slot names list 2, which this version does not know: no slot it can open",
        passphrase: GENERATED.to_owned(),
        envelope: unknown_list,
    });
    let mut zero = envelope;
    zero[count_at] = 0;
    v.push(Vector {
        name: "generated-slot-count-zero",
        description: "a words slot of 0 words: malformed",
        passphrase: GENERATED.to_owned(),
        envelope: zero,
    });
    v.push(Vector {
        name: "chosen-typed-differently",
        description: "a chosen passphrase (type-1 slot) of list words typed with other spacing and capitals: \
                      refused, its spacing is part of it",
        passphrase: "abacus zoology tulip ember gravel lantern".to_owned(),
        envelope: seal("chosen-with-spacing", basic_message(), &chosen_with_spacing()),
    });
    v
}

/// An envelope of three chunks (two full, one partial) for payload damage.
fn three_chunks() -> Vec<u8> {
    seal(
        "three-chunks",
        message_of_content_len(2 * CHUNK_SIZE + 100),
        &options(),
    )
}

fn failures() -> Vec<Vector> {
    let basic = seal("basic", basic_message(), &options());
    let h = header_len(&basic);
    let mut v = Vec::new();
    v.push(Vector {
        name: "wrong-passphrase",
        description: "a passphrase that opens no slot",
        passphrase: "abacus-zoology-tulip-ember-gravel-sonnets".to_owned(),
        envelope: basic.clone(),
    });
    v.push(ok("empty-input", "zero bytes", Vec::new()));
    v.push(ok(
        "expired",
        "an advisory not-after date (header field 0x8003) of 2001-01-01T00:00:00Z, long past",
        seal("expired", basic_message(), &options().expires(978_307_200)),
    ));
    v.push(ok(
        "header-magic-flipped",
        "first magic byte changed",
        flipped(&basic, 0),
    ));
    v.push(ok(
        "header-version-flipped",
        "version 1 changed to 0",
        flipped(&basic, at::VERSION + 1),
    ));
    let mut v2 = basic.clone();
    v2[at::VERSION + 1] = 2;
    v.push(ok("unknown-version", "format version 2", v2));
    v.push(ok(
        "header-length-flipped",
        "header length one byte off",
        flipped(&basic, at::HEADER_LEN + 3),
    ));
    v.push(ok(
        "header-kdf-id-flipped",
        "KDF identifier 1 changed to 0",
        flipped(&basic, at::KDF_ID),
    ));
    v.push(ok(
        "header-m-cost-flipped",
        "Argon2id memory cost changed (257 KiB): derives another key",
        flipped(&basic, at::M_COST + 3),
    ));
    v.push(ok(
        "header-t-cost-flipped",
        "Argon2id time cost changed (0): invalid",
        flipped(&basic, at::T_COST + 3),
    ));
    v.push(ok(
        "header-p-cost-flipped",
        "Argon2id parallelism changed (0): invalid",
        flipped(&basic, at::P_COST + 3),
    ));
    v.push(ok(
        "header-salt-flipped",
        "a salt bit changed: derives another key",
        flipped(&basic, at::SALT + 5),
    ));
    v.push(ok(
        "header-chunk-size-flipped",
        "chunk size changed",
        flipped(&basic, at::CHUNK_SIZE + 3),
    ));
    v.push(ok(
        "header-payload-nonce-flipped",
        "payload nonce changed: the header MAC fails",
        flipped(&basic, at::PAYLOAD_NONCE + PAYLOAD_NONCE_LEN - 1),
    ));
    v.push(ok(
        "header-slot-count-flipped",
        "slot count 1 changed to 0",
        flipped(&basic, at::SLOT_COUNT + 1),
    ));
    v.push(ok(
        "header-slot-type-flipped",
        "slot type 1 changed to 0: no passphrase slot is left",
        flipped(&basic, at::FIRST_SLOT + 1),
    ));
    v.push(ok(
        "header-slot-length-flipped",
        "passphrase slot length changed",
        flipped(&basic, at::FIRST_SLOT + 3),
    ));
    v.push(ok(
        "slot-nonce-flipped",
        "a byte of the slot's wrap nonce changed",
        flipped(&basic, at::FIRST_SLOT + 4),
    ));
    v.push(ok(
        "slot-body-flipped",
        "a byte of the wrapped file key changed",
        flipped(&basic, at::FIRST_SLOT + 4 + 12 + 7),
    ));
    v.push(ok(
        "header-extension-count-flipped",
        "extension count changed",
        flipped(&basic, at::FIRST_SLOT + 64 + 1),
    ));
    v.push(ok(
        "header-label-flipped",
        "a byte of the public label changed: the header MAC fails",
        flipped(&basic, at::FIRST_SLOT + 64 + 2 + 4 + 3),
    ));
    v.push(ok(
        "header-mac-flipped",
        "a byte of the header MAC changed",
        flipped(&basic, h - 1),
    ));
    v.push(ok(
        "header-truncated",
        "cut in the middle of the header",
        basic[..h / 2].to_vec(),
    ));

    let mut big_m = basic.clone();
    set_u32(&mut big_m, at::M_COST, 256 * 1024 + 1);
    v.push(ok(
        "argon2-m-above-cap",
        "Argon2id memory cost 262145 KiB (cap 262144)",
        big_m,
    ));
    let mut big_t = basic.clone();
    set_u32(&mut big_t, at::T_COST, 11);
    v.push(ok(
        "argon2-t-above-cap",
        "Argon2id time cost 11 (cap 10)",
        big_t,
    ));
    let mut big_p = basic.clone();
    set_u32(&mut big_p, at::P_COST, 17);
    v.push(ok(
        "argon2-p-above-cap",
        "Argon2id parallelism 17 (cap 16)",
        big_p,
    ));
    let mut huge_header = basic.clone();
    set_u32(&mut huge_header, at::HEADER_LEN, 64 * 1024 + 1);
    v.push(ok(
        "header-length-above-cap",
        "header length 65537 (cap 65536)",
        huge_header,
    ));
    v.push(ok(
        "too-many-slots",
        "21 passphrase slots (cap 20)",
        too_many_slots(&basic),
    ));
    let mut critical = basic.clone();
    let label_type_at = at::FIRST_SLOT + 64 + 2;
    critical[label_type_at] = 0x80;
    v.push(ok(
        "unknown-critical-field",
        "the label's field type changed to 0x8001, a critical type this version does not know",
        critical,
    ));

    let three = three_chunks();
    let h3 = header_len(&three);
    let chunk = |i: usize| h3 + i * ENCRYPTED_CHUNK_SIZE;
    v.push(ok(
        "payload-chunk-flipped",
        "a byte in the second payload chunk changed",
        flipped(&three, chunk(1) + 1000),
    ));
    v.push(ok(
        "payload-tag-flipped",
        "a byte of the final chunk's tag changed",
        flipped(&three, three.len() - 1),
    ));
    let mut reordered = three[..chunk(0)].to_vec();
    reordered.extend_from_slice(&three[chunk(1)..chunk(2)]);
    reordered.extend_from_slice(&three[chunk(0)..chunk(1)]);
    reordered.extend_from_slice(&three[chunk(2)..]);
    v.push(ok(
        "chunks-reordered",
        "the first two payload chunks swapped",
        reordered,
    ));
    v.push(ok(
        "truncated-at-chunk-boundary",
        "only the first of three chunks",
        three[..chunk(1)].to_vec(),
    ));
    v.push(ok(
        "missing-final-chunk",
        "the final (third) chunk removed",
        three[..chunk(2)].to_vec(),
    ));
    v.push(ok(
        "truncated-inside-chunk",
        "cut 10 bytes into the second chunk",
        three[..chunk(1) + 10].to_vec(),
    ));
    v.push(ok(
        "payload-missing",
        "the header alone",
        three[..h3].to_vec(),
    ));
    let mut trailing = three.clone();
    trailing.extend_from_slice(b"\0\0\0\0");
    v.push(ok(
        "trailing-bytes",
        "four bytes after the final chunk",
        trailing,
    ));
    let mut extra_chunk = basic.clone();
    extra_chunk.extend_from_slice(&[0u8; 16]);
    v.push(ok(
        "extra-empty-chunk",
        "an empty chunk (a bare tag) after the final chunk",
        extra_chunk,
    ));
    v.push(ok(
        "final-chunk-not-marked",
        "every chunk sealed with the last-chunk flag 0",
        unmarked_final_chunk(),
    ));
    v.extend(content_failures());
    v
}

/// The basic envelope's header rebuilt with 21 copies of its slot.
fn too_many_slots(basic: &[u8]) -> Vec<u8> {
    let h = header_len(basic);
    let slot = &basic[at::FIRST_SLOT..at::FIRST_SLOT + 64];
    let mut out = basic[..at::SLOT_COUNT].to_vec();
    out.extend_from_slice(&21u16.to_be_bytes());
    for _ in 0..21 {
        out.extend_from_slice(slot);
    }
    out.extend_from_slice(&basic[at::FIRST_SLOT + 64..]);
    let new_len = (h + 20 * 64) as u32;
    set_u32(&mut out, at::HEADER_LEN, new_len);
    out
}

/// A payload whose every chunk, the final one included, is sealed as
/// "not last": a stream that was cut and re-tagged would look like this.
fn unmarked_final_chunk() -> Vec<u8> {
    let good = seal("unmarked", basic_message(), &options());
    let h = header_len(&good);
    // Recover the plaintext, then re-encrypt it with the flag cleared.
    let opened = crate::Envelope::new(&good[..]).expect("header");
    let header = opened.header().clone();
    let mut rng = crate::seal::testing::TestRandom::new("unmarked");
    let mut file_key = crate::secret::Key([0u8; 32]);
    rng.fill(&mut file_key.0).expect("rng");
    let cipher = PayloadCipher::new(&crate::crypto::payload_key(
        &file_key,
        &header.payload_nonce,
    ));
    let mut chunk = good[h..].to_vec();
    cipher.open_chunk(0, true, &mut chunk).expect("one chunk");
    cipher.seal_chunk(0, false, &mut chunk);
    assert_eq!(chunk_nonce(0, false)[11], 0);
    let mut out = good[..h].to_vec();
    out.extend_from_slice(&chunk);
    out
}

/// Correctly encrypted and MACed envelopes whose content is malformed.
fn content_failures() -> Vec<Vector> {
    let mut v = Vec::new();
    let manifest = Manifest {
        from: "a@example.org".into(),
        to: vec!["b@example.org".into()],
        cc: Vec::new(),
        subject: "s".into(),
        date: DATE,
        text_body_len: 2,
        html_body_len: None,
        attachments: vec![AttachmentInfo {
            name: "f.bin".into(),
            media_type: "application/octet-stream".into(),
            size: 3,
            content_id: None,
        }],
        original_headers: None,
        receipt_to: None,
        reply_request: None,
        in_reply_to: None,
        virus_scan: None,
    };
    let encoded = manifest.encode().expect("manifest");
    let digest = |data: &[u8]| -> [u8; 32] { Sha256::digest(data).into() };
    let trailer = Trailer {
        digests: vec![digest(b"hi"), digest(b"abc")],
        signature: None,
    }
    .encode();
    let content = |manifest: &[u8], parts: &[u8], trailer: &[u8]| {
        let mut c = (manifest.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(manifest);
        c.extend_from_slice(parts);
        c.extend_from_slice(trailer);
        c
    };
    let raw = |name: &'static str, bytes: Vec<u8>| {
        seal_raw_content(&bytes, &options(), name).expect("raw")
    };

    // Valid content whose signature field claims the vectors' signer but
    // signs nothing: opens, and the signature is reported invalid.
    let mut forged = signer_public_bytes().to_vec();
    forged.extend_from_slice(&[0x5a; 64]);
    v.push(ok(
        "signature-invalid",
        "valid content with a sender signature (trailer field 0x0001) that does not verify",
        raw(
            "signature-invalid",
            content(
                &encoded,
                b"hiabc",
                &Trailer {
                    digests: vec![digest(b"hi"), digest(b"abc")],
                    signature: Some(forged),
                }
                .encode(),
            ),
        ),
    ));
    v.push(ok(
        "raw-content-valid",
        "(control) hand-built content that is valid",
        raw("raw-content-valid", content(&encoded, b"hiabc", &trailer)),
    ));
    let mut too_long = (1024 * 1024 + 1u32).to_be_bytes().to_vec();
    too_long.extend_from_slice(&encoded);
    v.push(ok(
        "manifest-length-above-cap",
        "manifest length 1048577 (cap 1048576)",
        raw("manifest-length-above-cap", too_long),
    ));
    let mut huge_attachment = encoded.clone();
    let size_at = huge_attachment.len() - 2 - 8;
    huge_attachment[size_at..size_at + 8].copy_from_slice(&(1u64 << 50).to_be_bytes());
    v.push(ok(
        "attachment-size-above-cap",
        "an attachment claiming 2^50 bytes (cap 2^40)",
        raw(
            "attachment-size-above-cap",
            content(&huge_attachment, b"hiabc", &trailer),
        ),
    ));
    // A receipt request whose address would smuggle a second recipient into
    // the mailto: link.
    let mut bad_receipt = encode_unchecked(&manifest);
    bad_receipt.truncate(bad_receipt.len() - 2);
    let address = b"records@clinic.example?cc=x@y.example";
    bad_receipt.extend_from_slice(&1u16.to_be_bytes());
    bad_receipt.extend_from_slice(&1u16.to_be_bytes());
    bad_receipt.extend_from_slice(&(address.len() as u32).to_be_bytes());
    bad_receipt.extend_from_slice(address);
    v.push(ok(
        "manifest-receipt-address-invalid",
        "the receipt request (manifest field 0x0001) holds something other than a plain address",
        raw(
            "manifest-receipt-address-invalid",
            content(&bad_receipt, b"hiabc", &trailer),
        ),
    ));
    // Reply requests the sealer would never write: naming another envelope
    // (lifted from one, say), a key of small order, an address that is not
    // plain; and an in-reply-to that is not one id.
    let request = |envelope: [u8; 32]| crate::ReplyRequest {
        to: REPLY_TO.into(),
        key: reply_identity().recipient().to_bytes(),
        envelope,
    };
    let with_field = |field: u16, value: &[u8]| {
        let mut bytes = encode_unchecked(&manifest);
        bytes.truncate(bytes.len() - 2);
        bytes.extend_from_slice(&1u16.to_be_bytes());
        bytes.extend_from_slice(&field.to_be_bytes());
        bytes.extend_from_slice(&(value.len() as u32).to_be_bytes());
        bytes.extend_from_slice(value);
        bytes
    };
    let other = request([0x11; 32]).encode().expect("request");
    let clean_scan_bytes = clean_scan().encode().expect("scan record");
    let with_first_byte = |bytes: &[u8], value: u8| [&[value][..], &bytes[1..]].concat();
    let with_last_byte =
        |bytes: &[u8], value: u8| [&bytes[..bytes.len() - 1], &[value][..]].concat();
    let mut small_order = other.clone();
    let key_at = small_order.len() - 64;
    small_order[key_at..key_at + 32].fill(0);
    small_order[key_at] = 1;
    let named = format!("Ann <{REPLY_TO}>");
    let not_plain = [
        &(named.len() as u16).to_be_bytes()[..],
        named.as_bytes(),
        &other[2 + REPLY_TO.len()..],
    ]
    .concat();
    for (name, description, field, value) in [
        (
            "manifest-reply-request-other-envelope",
            "a reply request (manifest field 0x0004) that names another envelope's id",
            0x0004,
            other,
        ),
        (
            "manifest-reply-request-small-order-key",
            "a reply request whose key is of small order (the point 1: every shared secret zero)",
            0x0004,
            small_order,
        ),
        (
            "manifest-reply-address-not-plain",
            "a reply request whose address is not a plain local@domain",
            0x0004,
            not_plain,
        ),
        (
            "manifest-in-reply-to-not-an-id",
            "an in-reply-to field (0x0005) of 31 bytes",
            0x0005,
            vec![0x22; 31],
        ),
        (
            "manifest-virus-scan-outcome-unknown",
            "a virus-scan record (manifest field 0x0006) whose outcome byte is 3, which version 1 \
             does not define (an opener must not guess what it means)",
            0x0006,
            with_first_byte(&clean_scan_bytes, 3),
        ),
        (
            "manifest-virus-scan-threat-found",
            "a virus-scan record whose last part has verdict 3 (no sealer writes a threat found: \
             an infected message is never sealed)",
            0x0006,
            with_last_byte(&clean_scan_bytes, 3),
        ),
        (
            "manifest-virus-scan-parts-when-unavailable",
            "a virus-scan record that says the scanner was unavailable (outcome 2) yet lists \
             parts as scanned",
            0x0006,
            with_first_byte(&clean_scan_bytes, 2),
        ),
    ] {
        v.push(ok(
            name,
            description,
            raw(
                name,
                content(&with_field(field, &value), b"hiabc", &trailer),
            ),
        ));
    }
    // The original headers' field, its two value bytes made invalid UTF-8.
    let mut bad_headers = Manifest {
        original_headers: Some("ab".into()),
        ..manifest.clone()
    }
    .encode()
    .expect("manifest");
    let value_at = bad_headers.len() - 2;
    bad_headers[value_at..].copy_from_slice(&[0xff, 0xfe]);
    v.push(ok(
        "manifest-original-headers-not-utf8",
        "the manifest's original-headers field (0x0002) is not UTF-8",
        raw(
            "manifest-original-headers-not-utf8",
            content(&bad_headers, b"hiabc", &trailer),
        ),
    ));
    let mut long_name = manifest.clone();
    long_name.attachments[0].name = "n".repeat(1025);
    let long_name_bytes = encode_unchecked(&long_name);
    v.push(ok(
        "attachment-name-above-cap",
        "an attachment name of 1025 bytes (cap 1024)",
        raw(
            "attachment-name-above-cap",
            content(&long_name_bytes, b"hiabc", &trailer),
        ),
    ));
    v.push(ok(
        "part-digest-mismatch",
        "the attachment's bytes do not match the trailer's digest",
        raw(
            "part-digest-mismatch",
            content(&encoded, b"hiabd", &trailer),
        ),
    ));
    v.push(ok(
        "content-shorter-than-manifest",
        "the manifest announces more bytes than the content holds",
        raw(
            "content-shorter-than-manifest",
            content(&encoded, b"hiab", &[]),
        ),
    ));
    let mut bad_utf8 = encoded.clone();
    bad_utf8[2] = 0xff; // first byte of the sender address
    v.push(ok(
        "manifest-invalid-utf8",
        "the sender address is not UTF-8",
        raw(
            "manifest-invalid-utf8",
            content(&bad_utf8, b"hiabc", &trailer),
        ),
    ));
    v.push(ok(
        "text-body-invalid-utf8",
        "the text body is not UTF-8",
        raw(
            "text-body-invalid-utf8",
            content(
                &encoded,
                b"\xff\xfeabc",
                &Trailer {
                    digests: vec![digest(b"\xff\xfe"), digest(b"abc")],
                    signature: None,
                }
                .encode(),
            ),
        ),
    ));
    v
}

/// Encodes a manifest without the sealer's limit checks, to build hostile
/// vectors.
fn encode_unchecked(m: &Manifest) -> Vec<u8> {
    use crate::wire::{Put, put_string};
    let mut out = Vec::new();
    put_string(&mut out, &m.from);
    for list in [&m.to, &m.cc] {
        out.put_u16(list.len() as u16);
        for a in list {
            put_string(&mut out, a);
        }
    }
    put_string(&mut out, &m.subject);
    out.put_i64(m.date.unix_seconds);
    out.put_i16(m.date.offset_minutes);
    out.put_u64(m.text_body_len);
    out.put_u8(0);
    out.put_u32(m.attachments.len() as u32);
    for a in &m.attachments {
        put_string(&mut out, &a.name);
        put_string(&mut out, &a.media_type);
        out.put_u64(a.size);
    }
    out.put_u16(0);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What opening a vector gives, as the JSON `expect` object.
fn expectation(vector: &Vector) -> Value {
    match open(&vector.envelope, &Passphrase::new(&vector.passphrase)) {
        Ok(opened) => {
            let m = &opened.manifest;
            let mut expect = json!({
                "result": "success",
                "opened_slot": opened.opened_slot,
                "from": m.from,
                "to": m.to,
                "cc": m.cc,
                "subject": m.subject,
                "date": m.date.to_rfc3339(),
                "text_body": opened.text_body,
                "html_body": opened.html_body,
                "attachments": m.attachments.iter().zip(&opened.attachments).map(|(info, bytes)| json!({
                    "name": info.name,
                    "media_type": info.media_type,
                    "size": info.size,
                    "sha256": hex(&Sha256::digest(bytes)),
                })).collect::<Vec<_>>(),
            });
            // Only where there are some: the vectors made before the field
            // existed stay as they were.
            if let Some(headers) = &m.original_headers {
                expect["original_headers"] = json!(headers);
            }
            if let Some(request) = &m.reply_request {
                expect["reply_request"] = json!({
                    "to": request.to,
                    "key": crate::RecipientKey::from_bytes(request.key).expect("key").to_text(),
                    "envelope": hex(&request.envelope),
                });
            }
            if let Some(id) = &m.in_reply_to {
                expect["in_reply_to"] = json!(hex(id));
            }
            if let Some(scan) = &m.virus_scan {
                expect["virus_scan"] = virus_scan_json(scan);
            }
            if let Some(receipt) = &opened.receipt {
                expect["receipt"] = json!({ "to": receipt.to, "code": receipt.code.to_string() });
            }
            if let Some(check) = opened.signature {
                let (signer, valid) = match check {
                    crate::SignatureCheck::Valid(signer) => (signer, true),
                    crate::SignatureCheck::Invalid(signer) => (signer, false),
                };
                expect["signature"] = json!({ "signer": signer.to_text(), "valid": valid });
            }
            expect
        }
        Err(err) => json!({ "result": err.kind().name(), "message": err.to_string() }),
    }
}

/// A virus-scan record as the vector files spell it (and the page's
/// decryptor reports it).
fn virus_scan_json(scan: &crate::VirusScan) -> Value {
    json!({
        "outcome": match scan.outcome {
            crate::ScanOutcome::Scanned => "scanned",
            crate::ScanOutcome::ScannerUnavailable => "scanner-unavailable",
        },
        "scanner": scan.scanner,
        "signatures": scan.signatures.map(|s| json!({ "version": s.version, "built_at": s.built_at })),
        "checked_at": scan.checked_at,
        "parts": scan.parts.iter().map(|part| json!({
            "name": part.name,
            "verdict": match part.verdict {
                crate::PartVerdict::NoThreatFound => "no-threat-found",
                crate::PartVerdict::NotScanned => "not-scanned",
            },
        })).collect::<Vec<_>>(),
    })
}

/// The key the `signed` vector is signed with.
const SIGNING_IDENTITY: &str =
    "SEALER-ED25519-SECRET:0303030303030303030303030303030303030303030303030303030303030303";

fn signing_identity() -> crate::SigningIdentity {
    crate::SigningIdentity::from_text(SIGNING_IDENTITY).expect("signing key")
}

fn signer_public_bytes() -> [u8; 32] {
    let text = signing_identity().signer().to_text();
    crate::keytext::unhex32(text.trim_start_matches("sealer-ed25519:")).expect("hex")
}

/// Opens vector `name` with its passphrase and returns its signature check.
fn vector_signature(name: &str) -> Option<crate::SignatureCheck> {
    let text = std::fs::read_to_string(vector_dir().join(format!("{name}.json"))).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    let envelope = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        file["envelope"].as_str().unwrap(),
    )
    .unwrap();
    let passphrase = Passphrase::new(file["passphrase"].as_str().unwrap());
    open(&envelope, &passphrase).unwrap().signature
}

#[test]
fn signatures_in_the_vectors_check_as_recorded() {
    let signer = signing_identity().signer();
    assert_eq!(
        vector_signature("signed"),
        Some(crate::SignatureCheck::Valid(signer))
    );
    assert_eq!(
        vector_signature("signature-invalid"),
        Some(crate::SignatureCheck::Invalid(signer))
    );
    assert_eq!(vector_signature("basic"), None);
}

/// The receipt codes in the vectors are the ones the sealer's record
/// recognises, for the slot that opened; a forged code is refused.
#[test]
fn receipt_codes_in_the_vectors_are_recognised_by_the_sealers_record() {
    for (name, options, slot) in [
        (
            "receipt-requested",
            options().request_receipt(RECEIPT_TO),
            0,
        ),
        (
            "receipt-second-slot",
            options()
                .passphrase(Passphrase::new(SECOND_PASSPHRASE))
                .request_receipt(RECEIPT_TO),
            1,
        ),
    ] {
        let mut rng = crate::seal::testing::TestRandom::new(name);
        let (envelope, record) =
            crate::seal::seal_with_randomness(basic_message(), &options, Vec::new(), &mut |b| {
                rng.fill(b)
            })
            .unwrap();
        let record = record.unwrap();
        assert_eq!(record.slots.len(), slot + 1);
        let text = std::fs::read_to_string(vector_dir().join(format!("{name}.json"))).unwrap();
        let file: Value = serde_json::from_str(&text).unwrap();
        let code =
            crate::ReceiptCode::parse(file["expect"]["receipt"]["code"].as_str().unwrap()).unwrap();
        assert_eq!(file["expect"]["receipt"]["to"], RECEIPT_TO);
        assert_eq!(record.recognise(&code), Some(slot), "{name}");
        assert_eq!(
            record.envelope_id,
            crate::envelope_id(&envelope[..header_len(&envelope)])
        );
        // Any one bit of the code changed: not recognised.
        for bit in 0..crate::RECEIPT_CODE_LEN * 8 {
            let mut forged = *code.as_bytes();
            forged[bit / 8] ^= 1 << (bit % 8);
            let forged = crate::ReceiptCode::from_bytes(forged);
            assert_eq!(record.recognise(&forged), None, "{name}, bit {bit}");
        }
    }
}

/// The organisation's reply identity, which the reply vectors ask answers
/// to be sealed to.
const REPLY_IDENTITY: &str =
    "SEALER-X25519-SECRET:0404040404040404040404040404040404040404040404040404040404040404";
/// Where the reply vectors ask answers to go.
const REPLY_TO: &str = "replies@clinic.example";

fn reply_identity() -> crate::Identity {
    crate::Identity::from_text(REPLY_IDENTITY).expect("identity")
}

/// The identity that opens a vector besides its passphrase (recorded in
/// its file as `identity`).
fn identity_of(name: &str) -> Option<&'static str> {
    match name {
        "reply-chosen-passphrase" | "reply-generated-passphrase" => Some(REPLY_IDENTITY),
        _ => None,
    }
}

/// An envelope that asks for secure replies, and two answers to such
/// envelopes as the page seals them: to the reply key, and under the key
/// that opened the original (a chosen passphrase, and a generated one,
/// whose answer reads the words however they are typed).
fn reply_vectors() -> Vec<Vector> {
    let mut v = Vec::new();
    let asks = |options: SealOptions| options.request_reply(REPLY_TO, reply_identity().recipient());
    let original = seal("reply-requested", basic_message(), &asks(options()));
    v.push(ok(
        "reply-requested",
        "asks for secure replies (manifest field 0x0004): to replies@clinic.example, sealed to \
         the reply key of REPLY_IDENTITY (test_vectors.rs), naming this envelope's id",
        original.clone(),
    ));
    v.push(Vector {
        name: "reply-chosen-passphrase",
        description: "an answer to reply-requested as the page seals it: a recovery-key slot for \
                      the reply key (the vector's identity opens it), and a passphrase slot under \
                      the key that opened the original (same salt and cost: its passphrase opens \
                      it); in-reply-to (0x0005) names reply-requested",
        passphrase: PASSPHRASE.to_owned(),
        envelope: seal(
            "reply-chosen-passphrase",
            reply_message(),
            &reply_options(&original, PASSPHRASE),
        ),
    });
    let generated = seal(
        "reply-generated-original",
        basic_message(),
        &asks(generated_options()),
    );
    v.push(Vector {
        name: "reply-generated-passphrase",
        description: "an answer to an envelope with a generated passphrase (not itself a vector), \
                      sealed under the key that opened it: a words slot of six words, so the \
                      answer opens with the words typed another way",
        passphrase: "Abacus Zoology Tulip Ember Gravel Lantern".to_owned(),
        envelope: seal(
            "reply-generated-passphrase",
            reply_message(),
            &reply_options(&generated, GENERATED),
        ),
    });
    v
}

/// The answer the reply vectors carry.
fn reply_message() -> Message {
    Message::new()
        .from("patient@example.org")
        .to(REPLY_TO)
        .subject("Re: Your test results")
        .date(MessageDate {
            unix_seconds: 1_795_086_400,
            offset_minutes: -300,
        })
        .text_body("Thank you. Should I repeat the test in spring?\n")
        .attach(Attachment::from_bytes(
            "diary.txt",
            "text/plain",
            b"Monday: fine. Tuesday: tired.\n".to_vec(),
        ))
}

/// How the page seals an answer to `original`, opened with `typed`.
fn reply_options(original: &[u8], typed: &str) -> SealOptions {
    let header = Header::read_from(&mut &original[..]).expect("header");
    let key = crate::PayloadKey::unlock(&header, &Passphrase::new(typed)).expect("opens");
    let opened = open(original, &Passphrase::new(typed)).expect("opens");
    let request = opened.manifest.reply_request.expect("asks for replies");
    SealOptions::new()
        .reply_slot(key.reply_slot_key().expect("a passphrase slot opened"))
        .recovery_key(crate::RecipientKey::from_bytes(request.key).expect("key"))
        .in_reply_to(request.envelope)
        .label("Secure reply to Example Clinic")
        .hint("the passphrase of the message you answered")
}

/// The recovery identity the `recovery-key-slot` vector is sealed to.
const RECOVERY_IDENTITY: &str =
    "SEALER-X25519-SECRET:0101010101010101010101010101010101010101010101010101010101010101";

fn recovery_identity() -> crate::Identity {
    crate::Identity::from_text(RECOVERY_IDENTITY).expect("identity")
}

#[test]
fn the_recovery_key_vector_opens_with_its_identity_and_no_other() {
    let text = std::fs::read_to_string(vector_dir().join("recovery-key-slot.json")).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    let envelope = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        file["envelope"].as_str().unwrap(),
    )
    .unwrap();
    let mut content = crate::Envelope::new(&envelope[..])
        .unwrap()
        .unlock_with_identity(&recovery_identity())
        .unwrap();
    assert_eq!(content.opened_slot(), 1);
    assert_eq!(content.manifest().subject, "Your test results");
    while let Some(mut part) = content.next_part().unwrap() {
        part.copy_to(&mut std::io::sink()).unwrap();
    }
    content.finish().unwrap();
    let stranger = crate::Identity::from_text(&RECOVERY_IDENTITY.replace("01", "02")).unwrap();
    let err = crate::Envelope::new(&envelope[..])
        .unwrap()
        .unlock_with_identity(&stranger)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WrongKey);
    // An envelope without a recovery-key slot says so.
    let plain = std::fs::read_to_string(vector_dir().join("basic.json")).unwrap();
    let plain: Value = serde_json::from_str(&plain).unwrap();
    let plain = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        plain["envelope"].as_str().unwrap(),
    )
    .unwrap();
    let err = crate::Envelope::new(&plain[..])
        .unwrap()
        .unlock_with_identity(&recovery_identity())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
}

fn vector_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn render(vector: &Vector) -> String {
    let mut doc = BTreeMap::new();
    doc.insert("name", json!(vector.name));
    doc.insert("description", json!(vector.description));
    doc.insert("passphrase", json!(vector.passphrase));
    if let Some(identity) = identity_of(vector.name) {
        doc.insert("identity", json!(identity));
    }
    doc.insert("expect", expectation(vector));
    doc.insert(
        "envelope",
        json!(base64::engine::general_purpose::STANDARD.encode(&vector.envelope)),
    );
    let mut text = serde_json::to_string_pretty(&doc).expect("json");
    text.push('\n');
    text
}

/// The expected error kind of each failure vector: written down here by
/// hand, so that generating the files cannot silently bless a wrong result.
fn intended_result(name: &str) -> &'static str {
    match name {
        "empty-input" | "header-magic-flipped" => ErrorKind::NotAnEnvelope.name(),
        "expired" => ErrorKind::Expired.name(),
        "header-version-flipped" | "unknown-version" => ErrorKind::UnsupportedVersion.name(),
        "header-kdf-id-flipped"
        | "header-chunk-size-flipped"
        | "header-slot-type-flipped"
        | "unknown-critical-field" => ErrorKind::Unsupported.name(),
        "argon2-m-above-cap"
        | "argon2-t-above-cap"
        | "argon2-p-above-cap"
        | "header-length-above-cap"
        | "too-many-slots"
        | "manifest-length-above-cap"
        | "attachment-size-above-cap"
        | "attachment-name-above-cap" => ErrorKind::LimitExceeded.name(),
        "generated-slot-list-unknown" => ErrorKind::Unsupported.name(),
        "generated-slot-count-zero" => ErrorKind::Damaged.name(),
        "wrong-passphrase"
        | "generated-one-word-short"
        | "generated-misspelt"
        | "generated-wrong-words"
        | "generated-slot-count-changed"
        | "chosen-typed-differently"
        | "header-m-cost-flipped"
        | "header-salt-flipped"
        | "slot-nonce-flipped"
        | "slot-body-flipped" => ErrorKind::WrongPassphrase.name(),
        n if n.starts_with("header-")
            || n.starts_with("payload-")
            || n.starts_with("truncated")
            || n.starts_with("chunks-")
            || n.starts_with("missing-")
            || n.starts_with("trailing-")
            || n.starts_with("extra-")
            || n.starts_with("final-")
            || n.starts_with("part-")
            || n.starts_with("content-")
            || n.starts_with("manifest-")
            || n.starts_with("text-body-") =>
        {
            ErrorKind::Damaged.name()
        }
        _ => "success",
    }
}

#[test]
fn vector_files_are_current() {
    let vectors: Vec<Vector> = successes()
        .into_iter()
        .chain(failures())
        .chain(generated_failures())
        .collect();
    assert!(vectors.len() >= 20);
    let regenerate = std::env::var_os("REGENERATE_VECTORS").is_some();
    let dir = vector_dir();
    let mut stale = Vec::new();
    for vector in &vectors {
        let text = render(vector);
        let doc: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(
            doc["expect"]["result"],
            intended_result(vector.name),
            "vector {} gives {}",
            vector.name,
            doc["expect"]
        );
        let path = dir.join(format!("{}.json", vector.name));
        if regenerate {
            std::fs::write(&path, &text).expect("writing a vector");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(vector.name);
        }
    }
    assert!(
        stale.is_empty(),
        "vector files differ from what the code produces: {stale:?}; if the format changed on purpose, run REGENERATE_VECTORS=1 cargo test -p envelope-core --lib vector_files"
    );
    // No file on disk that the generator does not make.
    let names: Vec<String> = vectors.iter().map(|v| format!("{}.json", v.name)).collect();
    for entry in std::fs::read_dir(&dir).expect("vector dir") {
        let file = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if file.ends_with(".json") {
            assert!(names.contains(&file), "stray vector file {file}");
        }
    }
}

#[test]
fn slot_type_constant_matches_the_vectors() {
    // The flipped-slot-type vector relies on type 1 being the passphrase slot.
    assert_eq!(SLOT_PASSPHRASE, 1);
    let _: Error = Error::WrongPassphrase(None);
}
