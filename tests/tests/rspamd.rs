//! The notice e-mail through a real rspamd (Debian's package), on
//! loopback: its score without and with the allow rule that
//! `docs/DELIVERABILITY.md` documents (the files in
//! `docs/deliverability/rspamd/local.d/`, used here as they are), and that
//! the rule needs the organisation's DKIM signature, not just the header.
//!
//! This machine has no DNS, so rspamd cannot fetch a DKIM public key: the
//! test hands it the verdict of a DKIM check in the request (rspamd's
//! `http_headers` module, as an MTA that verified the signature does),
//! rspamd's DNS lookups time out fast, and its `hfilter` module (which
//! judges host names by DNS) is off. On a real server the other symbols
//! differ; the rule's effect is the same.

// A failed unwrap here is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use end_to_end_tests::sealer_command;
use serde_json::Value;

/// An rspamd on loopback, stopped when dropped.
struct Rspamd {
    child: Child,
    port: u16,
}

impl Drop for Rspamd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts rspamd with Debian's configuration, its local folder `dir`
/// holding this test's settings and, when `rule`, the documented rule.
fn start(dir: &Path, rule: bool) -> Rspamd {
    let local = dir.join("local.d");
    std::fs::create_dir_all(&local).unwrap();
    for sub in ["db", "run", "log"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let port = free_port();
    let settings = [
        (
            "worker-normal.inc",
            format!("bind_socket = \"127.0.0.1:{port}\";\ncount = 1;\n"),
        ),
        (
            "worker-controller.inc",
            format!("bind_socket = \"127.0.0.1:{}\";\ncount = 1;\n", free_port()),
        ),
        ("worker-proxy.inc", "enabled = false;\n".to_owned()),
        (
            "worker-fuzzy.inc",
            "enabled = false;\ncount = 0;\n".to_owned(),
        ),
        // No DNS here: every lookup fails at once rather than slowly.
        (
            "options.inc",
            "dns {\n  nameserver = [\"127.0.0.1:1\"];\n  timeout = 0.2s;\n  retransmits = 1;\n}\n"
                .to_owned(),
        ),
        (
            "logging.inc",
            format!(
                "type = \"file\";\nfilename = \"{}\";\nlevel = \"notice\";\n",
                dir.join("log/rspamd.log").display()
            ),
        ),
        // The DKIM verdict comes with the request (see the module's doc).
        ("http_headers.conf", "enabled = true;\n".to_owned()),
        // It judges the relay's host names by DNS, which this machine
        // lacks: its score would follow the timing of failed lookups.
        ("hfilter.conf", "enabled = false;\n".to_owned()),
    ];
    for (name, text) in settings {
        std::fs::write(local.join(name), text).unwrap();
    }
    if rule {
        let documented =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/deliverability/rspamd/local.d");
        for entry in std::fs::read_dir(documented).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, local.join(path.file_name().unwrap())).unwrap();
        }
    }
    let mut command = Command::new("rspamd");
    command.args(["-f", "-c", "/etc/rspamd/rspamd.conf"]);
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0");
    if root {
        command.args(["-i", "-u", "root", "-g", "root"]);
    }
    for (name, sub) in [
        ("LOCAL_CONFDIR", ""),
        ("DBDIR", "db"),
        ("RUNDIR", "run"),
        ("LOGDIR", "log"),
    ] {
        command.arg(format!("--var={name}={}", dir.join(sub).display()));
    }
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|err| {
            panic!("cannot start rspamd: {err}; install it (apt-get install rspamd)")
        });
    let rspamd = Rspamd { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "rspamd did not start on {port}");
        std::thread::sleep(Duration::from_millis(200));
    }
    rspamd
}

/// rspamd's verdict on `mail`, received from the organisation's relay,
/// with a DKIM signature of `dkim_domain` that verified (if any): the
/// score and the symbols.
fn scan(rspamd: &Rspamd, mail: &Path, dkim_domain: Option<&str>) -> (f64, Value) {
    let mut command = Command::new("rspamc");
    command.args([
        "-h",
        &format!("127.0.0.1:{}", rspamd.port),
        "--json",
        "--ip",
        "192.0.2.25",
        "--helo",
        "mail.clinic.example",
        "--hostname",
        "mail.clinic.example",
        "--from",
        "records@clinic.example",
        "--rcpt",
        "alex@example.org",
    ]);
    if let Some(domain) = dkim_domain {
        command.args([
            "--header",
            &format!("DKIM={{\"results\":[{{\"result\":\"pass\",\"domain\":\"{domain}\"}}]}}"),
        ]);
    }
    let output = command.arg(mail).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let json: Value = serde_json::from_str(text.trim_start_matches(|c| c != '{')).unwrap();
    (json["score"].as_f64().unwrap(), json["symbols"].clone())
}

#[test]
fn the_documented_rule_lets_the_organisations_notices_through() {
    if Command::new("rspamd").arg("--version").output().is_err() {
        panic!("rspamd is not installed: apt-get install rspamd (scripts/install-test-deps.sh)");
    }
    let dir = end_to_end_tests::scratch("rspamd", "notice");
    std::fs::write(
        dir.join("pass.txt"),
        "tulip-gravel-sonnet-ember-abacus-zoology",
    )
    .unwrap();
    let sealed = sealer_command()
        .current_dir(&dir)
        .args([
            "seal",
            "--demo",
            "--passphrase-file",
            "pass.txt",
            "--output",
            "notice.html",
            "--eml",
            "notice.eml",
        ])
        .output()
        .unwrap();
    assert!(sealed.status.success(), "{sealed:?}");
    let mail = dir.join("notice.eml");
    let notice = std::fs::read_to_string(&mail).unwrap();
    assert!(notice.contains("\r\nX-Sealer-Envelope: 1\r\n"));

    let without = start(&dir.join("without"), false);
    let with = start(&dir.join("with"), true);
    let (before, symbols) = scan(&without, &mail, Some("clinic.example"));
    assert!(symbols.get("SEALER_TRUSTED_NOTICE").is_none());
    let (after, symbols) = scan(&with, &mail, Some("clinic.example"));
    eprintln!(
        "rspamd's score of the notice, DKIM-signed by clinic.example: {before:.2} without the \
         rule, {after:.2} with it"
    );
    assert!(symbols.get("SEALER_TRUSTED_NOTICE").is_some(), "{symbols}");
    assert!(
        (before - after - 5.0).abs() < 0.01,
        "{before} {after}: {symbols}"
    );

    // The header alone, or another domain's signature, changes nothing:
    // anyone can write the header.
    for dkim in [None, Some("elsewhere.example")] {
        let (plain, _) = scan(&without, &mail, dkim);
        let (score, symbols) = scan(&with, &mail, dkim);
        assert!(symbols.get("SEALER_ENVELOPE").is_some(), "{symbols}");
        assert!(
            symbols.get("SEALER_TRUSTED_NOTICE").is_none(),
            "{dkim:?}: {symbols}"
        );
        assert!((score - plain).abs() < 0.01, "{dkim:?}: {score} {plain}");
        eprintln!("DKIM {dkim:?}: {plain:.2} without the rule, {score:.2} with it");
    }
    drop((with, without));
    let _ = std::fs::remove_dir_all(dir);
}
