//! The decryptor the sealer embeds is the one the build recorded, and the
//! README publishes the same hashes, and every known release `sealer verify`
//! accepts.

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn the_embedded_decryptor_matches_the_recorded_hashes_and_the_readme() {
    let sums = std::fs::read_to_string(root().join("sealer-cli/decryptor/SHA256SUMS")).unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for (hex, name) in sealer::decryptor_digests() {
        let line = format!("{hex}  {name}");
        assert!(sums.contains(&line), "SHA256SUMS lacks {line}");
        assert!(readme.contains(&line), "README.md does not publish {line}");
    }
    // Every known release, as `sealer verify` accepts them.
    let releases = std::fs::read_to_string(root().join("sealer-cli/decryptor/RELEASES")).unwrap();
    for line in releases
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        assert!(
            readme.contains(line),
            "README.md does not publish the release {line}"
        );
    }
}

#[test]
fn the_page_is_seven_bit_and_its_policy_comes_first() {
    use envelope_core::{KdfParams, Message, Passphrase, SealOptions, seal_to_vec};
    let options = SealOptions::new()
        .kdf(KdfParams { m_kib: 64, t: 1, p: 1 })
        .passphrase(Passphrase::new("p"))
        .label("Sécure méssage from Ünïversity Clinic — a label long enough to need folding at a space somewhere")
        .hint("<b>not bold</b> & \"quoted\"");
    let envelope = seal_to_vec(Message::new().text_body("x"), &options).unwrap();
    let html = sealer::render_page(&envelope, &sealer::PageOptions::default()).unwrap();
    assert!(html.is_ascii());
    assert!(html.ends_with("\r\n"));
    for line in html.split("\r\n") {
        assert!(
            line.len() <= 76 && !line.contains('\n') && !line.contains('\r'),
            "{line}"
        );
    }
    let head = &html[html.find("<head>").unwrap()..];
    assert!(
        head.trim_start_matches("<head>")
            .trim_start()
            .starts_with("<meta http-equiv=\"Content-Security-Policy\""),
        "the CSP must be the first element of <head>"
    );
    // Long lines are folded at spaces, which CSP and HTML text ignore.
    let flat = html.replace("\r\n", " ");
    for directive in [
        "default-src 'none'",
        "connect-src 'none'",
        "worker-src blob:",
        "form-action 'none'",
        "base-uri 'none'",
    ] {
        assert!(flat.contains(directive), "{directive}");
    }
    // The hint is the envelope header's: the decryptor shows it, as text,
    // and the markup does not repeat it.
    assert!(!flat.contains("not bold"), "the hint is not in the markup");
    assert!(
        flat.contains("S&#xE9;cure"),
        "non-ASCII is a character reference"
    );
    assert_eq!(sealer::extract_envelope(&html).unwrap(), envelope);
}
