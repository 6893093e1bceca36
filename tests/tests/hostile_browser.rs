//! The hostile-page corpus (`tests/hostile.rs`) in real browsers, from
//! `file://`: the page reads every reading variant as `sealer open` does
//! (the same message, or the same refusal), and the pages that
//! `sealer verify` refuses for reaching the network are shown to do so,
//! against a local listener that a genuine page never reaches.
//! `SKIP_BROWSER_TESTS=1` skips them.

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use end_to_end_tests::hostile::{self, Class, PASSPHRASE, cli_verdict};
use end_to_end_tests::webdriver::{Browser, Session};
use serde_json::json;

fn scratch(name: &str) -> PathBuf {
    end_to_end_tests::scratch("hostile-browser", name)
}

/// What the page makes of itself: the subject it shows after the
/// passphrase, or `refused`.
async fn page_verdict(session: &Session, page: &Path) -> String {
    session.goto_page(page).await;
    session
        .wait_for(
            "the page to be ready or to refuse",
            "var b = document.getElementById('open-button'); \
             var e = document.getElementById('error'); \
             return document.readyState === 'complete' && \
               ((b && !b.disabled) || (e && !e.hidden));",
        )
        .await;
    if !session.shown("error").await {
        session.submit(PASSPHRASE).await;
    }
    if session.shown("message").await {
        session.text("m-subject").await
    } else {
        "refused".to_owned()
    }
}

/// A local listener that answers every request with an empty response (so
/// that a navigation to it ends at once) and counts the connections.
struct Listener {
    url: String,
    count: Arc<AtomicUsize>,
}

impl Listener {
    fn start() -> Listener {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let counted = count.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
                let _ = stream.read(&mut [0u8; 4096]);
                let _ = stream.write_all(
                    b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        Listener { url, count }
    }

    /// Connections since last asked.
    fn connections(&self) -> usize {
        self.count.swap(0, Ordering::SeqCst)
    }
}

async fn the_corpus_in(browser: Browser) {
    if std::env::var_os("SKIP_BROWSER_TESTS").is_some() {
        eprintln!("SKIP_BROWSER_TESTS is set: not testing {browser:?}");
        return;
    }
    let dir = scratch(&format!("{browser:?}"));
    let session = Session::start(browser, &dir).await;
    let (genuine, decoy) = hostile::pages();

    // One reading: the page and sealer open agree on every variant.
    let mut disagreements = Vec::new();
    for (name, page) in hostile::reading_variants(&genuine, &decoy) {
        let path = dir.join(format!("read-{name}.html"));
        std::fs::write(&path, &page).unwrap();
        let (cli, browser_says) = (cli_verdict(&page), page_verdict(&session, &path).await);
        println!("{browser:?} {name:<40} sealer open: {cli:<16} page: {browser_says}");
        if cli != browser_says {
            disagreements.push(format!(
                "{name}: sealer open {cli:?}, page {browser_says:?}"
            ));
        }
    }
    assert!(disagreements.is_empty(), "{browser:?}: {disagreements:#?}");

    // What the refused pages would have done: a listener they point at.
    let listener = Listener::start();
    let bait = listener.url.clone();
    let genuine_path = dir.join("genuine.html");
    std::fs::write(&genuine_path, &genuine).unwrap();
    session.goto_page(&genuine_path).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        listener.connections(),
        0,
        "a genuine page reached the network"
    );
    let mut reached = Vec::new();
    for hostile in hostile::corpus(&genuine, &decoy, &bait) {
        if !matches!(
            hostile.class,
            Class::Network | Class::ActsWithoutScripts | Class::Other
        ) {
            continue;
        }
        let path = dir.join(format!("{}.html", hostile.name));
        std::fs::write(&path, &hostile.page).unwrap();
        session.goto_page(&path).await;
        let deadline = Instant::now() + Duration::from_millis(1500);
        let mut seen = 0;
        while Instant::now() < deadline && seen == 0 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            seen += listener.connections();
        }
        // Back to a blank page, so nothing of this one lingers.
        session.client.goto("about:blank").await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        seen += listener.connections();
        println!("{browser:?} {:<36} connections: {seen}", hostile.name);
        if seen > 0 {
            reached.push(hostile.name);
        }
    }
    println!(
        "{browser:?}: {} refused pages reached the listener: {reached:?}",
        reached.len()
    );
    // The listener works: some of them do reach it, and the genuine page
    // (opened again last) still does not.
    assert!(
        !reached.is_empty(),
        "{browser:?}: no hostile page reached the listener"
    );
    session.goto_page(&genuine_path).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        listener.connections(),
        0,
        "a genuine page reached the network"
    );
    assert_eq!(session.js("return 1").await, json!(1));
    session.close().await;

    // With scripts off, as in a mail preview: what <noscript> would do.
    let quiet = Session::start_with(browser, &dir, false).await;
    quiet.goto_page(&genuine_path).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        listener.connections(),
        0,
        "a genuine page reached the network"
    );
    let mut reached_without_scripts = Vec::new();
    for hostile in hostile::corpus(&genuine, &decoy, &bait) {
        if hostile.class != Class::ActsWithoutScripts {
            continue;
        }
        let path = dir.join(format!("noscript-{}.html", hostile.name));
        std::fs::write(&path, &hostile.page).unwrap();
        quiet.goto_page(&path).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        quiet.client.goto("about:blank").await.unwrap();
        let seen = listener.connections();
        println!(
            "{browser:?} scripts off: {:<28} connections: {seen}",
            hostile.name
        );
        if seen > 0 {
            reached_without_scripts.push(hostile.name);
        }
    }
    println!("{browser:?} scripts off: reached the listener: {reached_without_scripts:?}");
    assert!(
        reached_without_scripts.contains(&"refresh-in-noscript"),
        "{browser:?}: the refresh in <noscript> did not act with scripts off"
    );
    quiet.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "current_thread")]
async fn the_corpus_in_chromium() {
    the_corpus_in(Browser::Chromium).await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_corpus_in_firefox() {
    the_corpus_in(Browser::Firefox).await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_corpus_in_webkit() {
    the_corpus_in(Browser::WebKit).await;
}
