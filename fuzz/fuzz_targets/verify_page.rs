//! `sealer verify` against edits of a genuine page: a page verifies only if
//! it is the genuine page, line ends, the envelope's own data (the
//! ciphertext is not verify's to judge: the opener's MACs catch a changed
//! one) and the organisation's language (`<html lang>`, branding) aside. The input is a list of (offset, byte) edits and an optional cut;
//! any verified page that differs from the genuine one otherwise is a
//! bypass, and the fuzzer stops on it. Nothing may panic.
#![no_main]

use std::sync::OnceLock;

use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};
use libfuzzer_sys::fuzz_target;
use sealer::verify::{VerifyOptions, verify_page};

fn genuine() -> &'static [u8] {
    static PAGE: OnceLock<Vec<u8>> = OnceLock::new();
    PAGE.get_or_init(|| {
        let options = SealOptions::new()
            .kdf(KdfParams::MIN)
            .passphrase(Passphrase::new("fuzz"))
            .label("label");
        let envelope = seal_to_vec(Message::new().subject("s").text_body("b"), &options)
            .expect("sealing the seed envelope");
        sealer::render_page(&envelope, &sealer::PageOptions::default())
            .expect("rendering the seed page")
            .into_bytes()
    })
}

/// The page with line ends made one (as a browser reads them), blank lines
/// at the end dropped, and the text of the envelope's blocks (as the
/// sealer writes their tags) left out.
fn normal(page: &[u8]) -> Vec<u8> {
    let mut text = String::from_utf8_lossy(page).replace("\r\n", "\n").replace('\r', "\n");
    // The language is the organisation's (any BCP 47 tag).
    if let Some(start) = text.find("<html lang=\"").map(|at| at + "<html lang=\"".len())
        && let Some(len) = text[start..].find('"')
    {
        text.replace_range(start..start + len, "(language)");
    }
    let mut masked = String::with_capacity(text.len());
    let mut rest = text.trim_end_matches('\n');
    loop {
        let next = ["id=\"envelope-header\">", "class=\"envelope-chunk\">"]
            .iter()
            .filter_map(|tag| rest.find(tag).map(|at| at + tag.len()))
            .min();
        let Some(start) = next else {
            masked.push_str(rest);
            break;
        };
        masked.push_str(&rest[..start]);
        masked.push_str("(envelope data)");
        rest = &rest[start..];
        match rest.find("</script>") {
            Some(end) => rest = &rest[end..],
            None => break,
        }
    }
    masked.into_bytes()
}

fuzz_target!(|data: &[u8]| {
    let genuine = genuine();
    // Edits land anywhere, but mostly in the first 16 KiB (the head, the
    // template's markup) and the last 4 KiB (the blocks' ends, </html>),
    // where a bypass would have to be.
    let mut page = genuine.to_vec();
    let mut edits = data.chunks_exact(4);
    for edit in &mut edits {
        let at = usize::from(u16::from_be_bytes([edit[0], edit[1]]));
        let offset = match edit[2] & 3 {
            0 => at % 16_384,
            1 => genuine.len().saturating_sub(1 + at % 4096),
            _ => (at * 8 + usize::from(edit[2] >> 2)) % genuine.len(),
        };
        match edit[2] >> 6 {
            // Insert a byte.
            0 if page.len() < genuine.len() + 4096 => page.insert(offset.min(page.len()), edit[3]),
            // Remove one.
            1 if offset < page.len() => {
                page.remove(offset);
            }
            _ => {
                if let Some(byte) = page.get_mut(offset) {
                    *byte = edit[3];
                }
            }
        }
    }
    if let [a, b, ..] = edits.remainder() {
        page.truncate(usize::from(u16::from_be_bytes([*a, *b])) * 8);
    }
    let verification = verify_page(&page, &VerifyOptions::default());
    if verification.is_genuine() {
        let (found, expected) = (normal(&page), normal(genuine));
        if found != expected {
            let at = found.iter().zip(&expected).take_while(|(a, b)| a == b).count();
            let window = |bytes: &[u8]| {
                String::from_utf8_lossy(&bytes[at.saturating_sub(80)..(at + 80).min(bytes.len())])
                    .into_owned()
            };
            panic!(
                "a changed page verified: at byte {at}\nfound:    {:?}\nexpected: {:?}",
                window(&found),
                window(&expected)
            );
        }
    }
});
