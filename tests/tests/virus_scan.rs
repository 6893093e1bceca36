//! The sender's virus scan, as a recipient sees it in real browsers
//! (Chromium, Firefox, WebKitGTK) from `file://`: an envelope sealed with
//! `sealer seal --scan` against a real `clamd` (`tests/clamd.rs`) says,
//! once opened, that it was checked, by which scanner and signatures, in
//! the page's language; one sealed while the scanner was down says it was
//! not checked; one sealed without a scan says nothing about viruses. The
//! page still passes `sealer verify`, and axe-core finds no WCAG 2.2 AA
//! violation in the message screen. `SKIP_BROWSER_TESTS=1` or
//! `SKIP_CLAMAV_TESTS=1` skips them.

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use end_to_end_tests::clamd::{self, TestClamd};
use end_to_end_tests::sealer_command;
use end_to_end_tests::webdriver::{Browser, Session};

const PASSPHRASE: &str = "tulip-gravel-sonnet-ember-abacus-zoology";

/// The pages the test opens.
struct Pages {
    clean: PathBuf,
    clean_de: PathBuf,
    scanner_down: PathBuf,
    unscanned: PathBuf,
}

fn sealer(dir: &Path, args: &[&str]) {
    let output = sealer_command()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
}

fn pages(dir: &Path) -> Pages {
    std::fs::write(dir.join("pass.txt"), PASSPHRASE).unwrap();
    std::fs::write(dir.join("body.txt"), "Your results are attached.\n").unwrap();
    std::fs::write(dir.join("results.txt"), "All values within range.\n").unwrap();
    let mut scanner = TestClamd::start(&dir.join("clamd"));
    let socket = scanner.socket.display().to_string();
    let seal = |output: &str, extra: &[&str]| {
        let mut args = vec![
            "seal",
            "--to",
            "alex@example.org",
            "--subject",
            "Your results",
            "--body",
            "body.txt",
            "--attach",
            "results.txt",
            "--passphrase-file",
            "pass.txt",
            "--output",
            output,
        ];
        args.extend_from_slice(extra);
        sealer(dir, &args);
        sealer(dir, &["verify", output]);
        dir.join(output)
    };
    let clean = seal("clean.html", &["--scan", "--clamd", &socket]);
    let clean_de = seal(
        "clean-de.html",
        &["--scan", "--clamd", &socket, "--lang", "de"],
    );
    scanner.stop();
    let scanner_down = seal(
        "down.html",
        &["--scan", "--clamd", &socket, "--allow-unscanned"],
    );
    let unscanned = seal("unscanned.html", &[]);
    Pages {
        clean,
        clean_de,
        scanner_down,
        unscanned,
    }
}

fn skipped() -> bool {
    if std::env::var_os("SKIP_BROWSER_TESTS").is_some() {
        eprintln!("skipped: SKIP_BROWSER_TESTS is set");
        return true;
    }
    clamd::skipped()
}

async fn opened(session: &Session, page: &Path) -> (String, String) {
    session.open_page(page).await;
    session.submit(PASSPHRASE).await;
    let said = session.text("m-viruses").await;
    let class = session
        .js("var e = document.getElementById('m-viruses'); return e ? e.className : ''")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (said, class)
}

async fn the_scan_is_shown_in(browser: Browser) {
    if skipped() {
        return;
    }
    let dir = end_to_end_tests::scratch("virus-scan", &format!("{browser:?}"));
    let pages = pages(&dir);
    let session = Session::start(browser, &dir).await;

    let (said, class) = opened(&session, &pages.clean).await;
    assert!(
        said.starts_with("Checked for viruses before sealing: no threat found (ClamAV 1.")
            && said.contains("signatures of")
            && said.contains("2026"),
        "{browser:?}: {said:?}"
    );
    assert_eq!(class, "checked", "{browser:?}");
    let found = end_to_end_tests::axe::violations(&session).await;
    assert!(found.is_empty(), "{browser:?}: {}", found.join("\n"));

    let (said, _) = opened(&session, &pages.clean_de).await;
    assert!(
        said.starts_with(
            "Vor dem Versiegeln auf Viren geprüft: keine Bedrohung gefunden (ClamAV 1."
        ) && said.contains("Signaturen vom"),
        "{browser:?}: {said:?}"
    );

    let (said, class) = opened(&session, &pages.scanner_down).await;
    assert!(
        said.starts_with(
            "Not checked for viruses: the sender’s virus scanner could not be reached"
        ),
        "{browser:?}: {said:?}"
    );
    assert_eq!(class, "problem", "{browser:?}");

    // No scan: not a word about viruses, no reassurance.
    let (said, _) = opened(&session, &pages.unscanned).await;
    assert_eq!(said, "", "{browser:?}");
    let body = session
        .js("return document.getElementById('message').textContent")
        .await;
    assert!(
        !body.as_str().unwrap().to_lowercase().contains("virus"),
        "{body}"
    );
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_scan_is_shown_in_chromium() {
    the_scan_is_shown_in(Browser::Chromium).await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_scan_is_shown_in_firefox() {
    the_scan_is_shown_in(Browser::Firefox).await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_scan_is_shown_in_webkit() {
    the_scan_is_shown_in(Browser::WebKit).await;
}
