//! The hostile-page corpus (`tests/hostile.rs`) against `sealer verify` and
//! the one reading rule, natively. The same pages in real browsers are in
//! `browser.rs` (what the network pages would have done; that the page
//! reads each reading variant as `sealer open` does).

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

use end_to_end_tests::hostile::{self, DECOY, GENUINE, PASSPHRASE, cli_verdict};
use sealer::verify::{VerifyOptions, verify_page};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn sealer() -> Command {
    end_to_end_tests::sealer_command()
}

#[test]
fn every_hostile_page_is_not_verified_and_says_why() {
    let (genuine, decoy) = hostile::pages();
    let verification = verify_page(genuine.as_bytes(), &VerifyOptions::default());
    assert!(verification.is_genuine(), "{verification:?}");
    let corpus = hostile::corpus(&genuine, &decoy, "http://127.0.0.1:9");
    assert!(corpus.len() >= 30, "{} pages", corpus.len());
    for hostile in &corpus {
        let verification = verify_page(&hostile.page, &VerifyOptions::default());
        assert!(
            !verification.is_genuine() && !verification.problems.is_empty(),
            "{} ({:?}) verified: {verification:?}",
            hostile.name,
            hostile.class
        );
        println!("{:<36} {}", hostile.name, verification.problems[0]);
    }
}

#[test]
fn the_binary_refuses_a_polyglot_whatever_its_name_says() {
    let dir = scratch("polyglot");
    let (genuine, decoy) = hostile::pages();
    let polyglot = hostile::corpus(&genuine, &decoy, "http://127.0.0.1:9")
        .into_iter()
        .find(|h| h.name == "mime-headers-before-the-page")
        .unwrap();
    // Named .html, a browser shows the attacker's form: it is a page, and
    // not the page it carries.
    std::fs::write(dir.join("results.html"), &polyglot.page).unwrap();
    let output = sealer()
        .args(["verify", "results.html"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(5), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("NOT VERIFIED"));
    let output = sealer()
        .args(["open", "results.html", "--passphrase-env", "P"])
        .env("P", PASSPHRASE)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_ne!(output.status.code(), Some(0), "{output:?}");
    assert!(!dir.join("results").exists(), "nothing saved");
}

/// A mail carrying `pages`, each an HTML attachment.
fn mail_with(pages: &[(&str, &str)]) -> Vec<u8> {
    use base64::Engine;
    let mut mail = String::from(
        "From: records@clinic.example\r\nTo: alex@example.org\r\nSubject: Your results\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nOpen the attachment.\r\n",
    );
    for (name, page) in pages {
        let encoded = base64::engine::general_purpose::STANDARD.encode(page);
        mail.push_str(&format!(
            "--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\
             Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n"
        ));
        for line in encoded.as_bytes().chunks(76) {
            mail.push_str(std::str::from_utf8(line).unwrap());
            mail.push_str("\r\n");
        }
    }
    mail.push_str("--b--\r\n");
    mail.into_bytes()
}

#[test]
fn a_mail_is_verified_only_if_it_carries_one_page_and_that_page_is_genuine() {
    let dir = scratch("mail");
    let (genuine, decoy) = hostile::pages();
    let attacker = hostile::corpus(&genuine, &decoy, "http://127.0.0.1:9")
        .into_iter()
        .find(|h| h.name == "attacker-form-in-body")
        .unwrap();
    let attacker = String::from_utf8(attacker.page).unwrap();
    std::fs::write(
        dir.join("one.eml"),
        mail_with(&[("results.html", &genuine)]),
    )
    .unwrap();
    std::fs::write(
        dir.join("two.eml"),
        // The recipient sees the first; the genuine one comes second.
        mail_with(&[("results.html", &attacker), ("copy.html", &genuine)]),
    )
    .unwrap();
    std::fs::write(
        dir.join("two-genuine.eml"),
        mail_with(&[("results.html", &genuine), ("decoy.html", &decoy)]),
    )
    .unwrap();
    let verify = |file: &str| {
        sealer()
            .args(["verify", file])
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let one = verify("one.eml");
    assert_eq!(one.status.code(), Some(0), "{one:?}");
    assert!(String::from_utf8_lossy(&one.stdout).contains("results.html"));
    for file in ["two.eml", "two-genuine.eml"] {
        let two = verify(file);
        assert_eq!(two.status.code(), Some(5), "{two:?}");
        let says = String::from_utf8_lossy(&two.stderr);
        assert!(says.contains("2 HTML attachments"), "{says}");
        assert!(says.contains("results.html"), "{says}");
    }
    // open refuses to guess which page the recipient means.
    let open = sealer()
        .args(["open", "two-genuine.eml", "--passphrase-env", "P"])
        .env("P", PASSPHRASE)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(open.status.code(), Some(3), "{open:?}");
    assert!(String::from_utf8_lossy(&open.stderr).contains("2 HTML attachments"));
}

#[test]
fn the_reading_rule_gives_each_variant_one_verdict() {
    let (genuine, decoy) = hostile::pages();
    let opens = [
        "genuine",
        "utf-8-byte-order-mark",
        "raw-utf-8-text",
        "lf-line-ends",
        "decoy-envelope-as-noscript-text",
        "decoy-envelope-in-textarea",
        "chunk-split-by-extra-line-breaks",
        "empty-template-elsewhere",
    ];
    for (name, page) in hostile::reading_variants(&genuine, &decoy) {
        let verdict = cli_verdict(&page);
        let expected = if opens.contains(&name) {
            GENUINE
        } else {
            "refused"
        };
        assert_eq!(verdict, expected, "{name}");
        assert_ne!(verdict, DECOY, "{name}");
    }
}

#[test]
fn an_organisations_own_template_verifies_against_that_template_only() {
    let dir = scratch("template-dir");
    let templates = dir.join("templates");
    std::fs::create_dir(&templates).unwrap();
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/envelope.html.j2"),
    )
    .unwrap();
    let own = builtin.replace(
        "</header>",
        "<p class=\"lead\">Un message scell&#xE9; de la clinique.</p>\n</header>",
    );
    assert_ne!(own, builtin);
    std::fs::write(templates.join("envelope.html.j2"), &own).unwrap();
    std::fs::write(
        templates.join("branding.json"),
        r#"{"organisation": "Clinique Exemple", "lang": "fr"}"#,
    )
    .unwrap();
    std::fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    let run = |args: &[&str]| sealer().args(args).current_dir(&dir).output().unwrap();
    let sealed = run(&[
        "seal",
        "--demo",
        "--passphrase-file",
        "pass.txt",
        "--template-dir",
        "templates",
        "-o",
        "own.html",
    ]);
    assert!(sealed.status.success(), "{sealed:?}");
    // A flag overrides the folder's branding: the page's own words count.
    let flagged = run(&[
        "seal",
        "--demo",
        "--passphrase-file",
        "pass.txt",
        "--template-dir",
        "templates",
        "--organisation",
        "Clinique du Lac",
        "-o",
        "flagged.html",
    ]);
    assert!(flagged.status.success(), "{flagged:?}");

    let without = run(&["verify", "own.html"]);
    assert_eq!(without.status.code(), Some(5), "{without:?}");
    assert!(String::from_utf8_lossy(&without.stderr).contains("Un message scell"));
    for page in ["own.html", "flagged.html"] {
        let with = run(&["verify", page, "--template-dir", "templates"]);
        assert_eq!(with.status.code(), Some(0), "{page}: {with:?}");
    }
    // The organisation's template changed after sealing: not verified.
    std::fs::write(templates.join("envelope.html.j2"), &builtin).unwrap();
    let changed = run(&["verify", "own.html", "--template-dir", "templates"]);
    assert_eq!(changed.status.code(), Some(5), "{changed:?}");

    // A template that links out is refused when sealing, by the allowlist.
    std::fs::write(
        templates.join("envelope.html.j2"),
        builtin.replace(
            "</main>",
            "<a href=\"https://clinic.example/help\">Help</a></main>",
        ),
    )
    .unwrap();
    let linking = run(&[
        "seal",
        "--demo",
        "--passphrase-file",
        "pass.txt",
        "--template-dir",
        "templates",
        "-o",
        "linking.html",
    ]);
    assert_eq!(linking.status.code(), Some(3), "{linking:?}");
    assert!(String::from_utf8_lossy(&linking.stderr).contains("href"));
    assert!(!dir.join("linking.html").exists());
}
