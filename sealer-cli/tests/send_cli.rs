//! `sealer send` (and `sealer seal --smtp`) against a real SMTP server on
//! loopback: aiosmtpd (Debian's `python3-aiosmtpd`, which `.ci/run`
//! installs), started by each test with STARTTLS or implicit TLS, a
//! certificate from a CA made for the test, and AUTH. The delivered bytes
//! are the sealed message's, and they open; a wrong password, a server
//! whose certificate is not trusted, a server without STARTTLS and an
//! unsealed message deliver nothing.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command as Process, Stdio};

use common::{run, scratch, sealer, stderr, stdout};
use serde_json::Value;

const PYTHON: &str = "/usr/bin/python3";
const USER: &str = "records";
const PASSWORD: &str = "smtp-password-for-the-test";

/// Runs `openssl` in `dir`.
fn openssl(dir: &Path, args: &[&str]) {
    let output = Process::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A CA (`NAME-ca.pem`) and a server certificate it signed for localhost
/// and 127.0.0.1 (`NAME-server.pem`, `NAME-server.key`).
fn certificates(dir: &Path, name: &str) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let ca_key = format!("{name}-ca.key");
    let ca = format!("{name}-ca.pem");
    let mut args = vec!["req", "-x509"];
    args.extend(ec);
    args.extend(["-keyout", &ca_key, "-out", &ca, "-days", "2"]);
    args.extend(["-subj", "/CN=Sealer test CA"]);
    openssl(dir, &args);
    let key = format!("{name}-server.key");
    let csr = format!("{name}-server.csr");
    let mut args = vec!["req"];
    args.extend(ec);
    args.extend(["-keyout", &key, "-out", &csr, "-subj", "/CN=localhost"]);
    openssl(dir, &args);
    fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         extendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let cert = format!("{name}-server.pem");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            &ca,
            "-CAkey",
            &ca_key,
            "-CAcreateserial",
            "-out",
            &cert,
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    );
}

/// An aiosmtpd server on 127.0.0.1, stopped when dropped.
struct SmtpServer {
    child: Child,
    stdin: Option<ChildStdin>,
    port: u16,
    out: PathBuf,
}

impl SmtpServer {
    /// Starts one in `mode` (`plain`, `starttls`, `implicit`) with the
    /// certificate `NAME-server.pem` from `dir`, requiring AUTH unless
    /// `mode` is plain.
    fn start(dir: &Path, mode: &str, certificate: &str) -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let out = dir.join(format!("received-{port}"));
        fs::create_dir_all(&out).unwrap();
        fs::write(dir.join("server-password"), format!("{PASSWORD}\n")).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.py");
        let mut command = Process::new(PYTHON);
        command
            .arg(script)
            .args(["--port", &port.to_string(), "--mode", mode])
            .arg("--out")
            .arg(&out)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(fs::File::create(dir.join(format!("server-{port}.log"))).unwrap());
        if mode != "plain" {
            command
                .args(["--cert", &format!("{certificate}-server.pem")])
                .args(["--key", &format!("{certificate}-server.key")])
                .args(["--user", USER, "--password-file", "server-password"]);
        }
        let mut child = command.spawn().unwrap_or_else(|err| {
            panic!("{PYTHON} with aiosmtpd (apt-get install python3-aiosmtpd): {err}")
        });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "ready",
            "the SMTP server did not start (is python3-aiosmtpd installed?)"
        );
        let stdin = child.stdin.take();
        SmtpServer {
            child,
            stdin,
            port,
            out,
        }
    }

    /// What it received: each message and its SMTP envelope.
    fn received(&self) -> Vec<(Vec<u8>, Value)> {
        (1..)
            .map(|n| self.out.join(n.to_string()))
            .take_while(|base| base.with_extension("json").exists())
            .map(|base| {
                let record = fs::read_to_string(base.with_extension("json")).unwrap();
                (
                    fs::read(base.with_extension("eml")).unwrap(),
                    serde_json::from_str(&record).unwrap(),
                )
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// A folder with certificates (`test-*` trusted, `other-*` not), a sealed
/// demo message `demo.eml` and its passphrase in `pass.txt`.
fn setup(name: &str) -> PathBuf {
    let dir = scratch(name);
    certificates(&dir, "test");
    certificates(&dir, "other");
    run(
        sealer(&dir)
            .args([
                "seal",
                "--demo",
                "--generate-passphrase",
                "--passphrase-out",
            ])
            .args(["pass.txt", "--output", "demo.html", "--eml", "demo.eml"]),
        0,
    );
    dir
}

/// `sealer send FILE --smtp localhost:PORT` with the test CA, the user and
/// the password from the environment, plus `extra`.
fn send(dir: &Path, file: &str, server: &SmtpServer, extra: &[&str]) -> assert_cmd::Command {
    let mut command = sealer(dir);
    command
        .args([
            "send",
            file,
            "--smtp",
            &format!("localhost:{}", server.port),
        ])
        .args(["--smtp-ca-file", "test-ca.pem", "--smtp-user", USER])
        .args(["--smtp-password-env", "SEALER_TEST_SMTP_PASSWORD"])
        .args(extra)
        .env("SEALER_TEST_SMTP_PASSWORD", PASSWORD);
    command
}

/// Checks that `delivered` is `demo.eml` as sent and opens.
fn check_delivered(dir: &Path, delivered: &[(Vec<u8>, Value)]) {
    assert_eq!(delivered.len(), 1);
    let (bytes, envelope) = &delivered[0];
    assert!(
        *bytes == fs::read(dir.join("demo.eml")).unwrap(),
        "delivered byte for byte"
    );
    assert_eq!(envelope["mail_from"], "records@clinic.example");
    assert_eq!(
        envelope["rcpt_tos"],
        serde_json::json!(["alex@example.org"])
    );
    assert_eq!(envelope["tls"], true);
    assert_eq!(envelope["authenticated_as"], USER);
    fs::write(dir.join("delivered.eml"), bytes).unwrap();
    let output = run(
        sealer(dir)
            .args(["open", "delivered.eml", "--passphrase-file", "pass.txt"])
            .args(["--output-dir", "opened"]),
        0,
    );
    assert!(
        stdout(&output).contains("Subject: Your blood test results"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn send_over_starttls_with_auth_delivers_the_sealed_message_intact() {
    let dir = setup("send-starttls");
    let server = SmtpServer::start(&dir, "starttls", "test");
    let output = run(&mut send(&dir, "demo.eml", &server, &[]), 0);
    assert!(
        stdout(&output).contains("Sent to alex@example.org"),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("TEST1"), "the server's reply");
    check_delivered(&dir, &server.received());
}

#[test]
fn send_over_implicit_tls_with_auth_delivers_the_sealed_message_intact() {
    let dir = setup("send-implicit");
    let server = SmtpServer::start(&dir, "implicit", "test");
    run(
        &mut send(&dir, "demo.eml", &server, &["--smtp-security", "implicit"]),
        0,
    );
    check_delivered(&dir, &server.received());
}

#[test]
fn seal_with_smtp_seals_and_sends_in_one_step() {
    let dir = setup("send-seal");
    let server = SmtpServer::start(&dir, "starttls", "test");
    fs::write(dir.join("letter.txt"), "Dear Alex,\nyour results.\n").unwrap();
    let output = run(
        sealer(&dir)
            .args([
                "seal",
                "--from",
                "records@clinic.example",
                "--to",
                "alex@example.org",
            ])
            .args([
                "--subject",
                "Results",
                "--body",
                "letter.txt",
                "--generate-passphrase",
            ])
            .args([
                "--passphrase-out",
                "one-step.txt",
                "--output",
                "one-step.html",
            ])
            .args(["--smtp", &format!("localhost:{}", server.port)])
            .args(["--smtp-ca-file", "test-ca.pem", "--smtp-user", USER])
            .args(["--smtp-password-file", "server-password"]),
        0,
    );
    assert!(
        stdout(&output).contains("Sent the notice e-mail to alex@example.org"),
        "{}",
        stdout(&output)
    );
    let delivered = server.received();
    assert_eq!(delivered.len(), 1);
    fs::write(dir.join("one-step.eml"), &delivered[0].0).unwrap();
    let output = run(
        sealer(&dir)
            .args(["open", "one-step.eml", "--passphrase-file", "one-step.txt"])
            .args(["--output-dir", "one-step"]),
        0,
    );
    assert!(stdout(&output).contains("Dear Alex,\nyour results."));
}

#[test]
fn nothing_is_delivered_on_a_wrong_password_an_untrusted_server_or_no_starttls() {
    let dir = setup("send-refused");
    let server = SmtpServer::start(&dir, "starttls", "test");
    let mut wrong = send(&dir, "demo.eml", &server, &[]);
    wrong.env("SEALER_TEST_SMTP_PASSWORD", "not-the-password");
    let output = run(&mut wrong, 1);
    assert!(
        stderr(&output).starts_with("sealer: cannot send: localhost:"),
        "{}",
        stderr(&output)
    );
    assert!(server.received().is_empty());

    // A server whose certificate the test CA did not sign.
    let untrusted = SmtpServer::start(&dir, "implicit", "other");
    let output = run(
        &mut send(
            &dir,
            "demo.eml",
            &untrusted,
            &["--smtp-security", "implicit"],
        ),
        1,
    );
    assert!(
        stderr(&output).to_lowercase().contains("certificate"),
        "{}",
        stderr(&output)
    );
    assert!(untrusted.received().is_empty());

    // A server that offers no STARTTLS: nothing goes in plain text.
    let plain = SmtpServer::start(&dir, "plain", "test");
    let mut no_tls = sealer(&dir);
    no_tls.args([
        "send",
        "demo.eml",
        "--smtp",
        &format!("127.0.0.1:{}", plain.port),
    ]);
    run(&mut no_tls, 1);
    assert!(plain.received().is_empty());
}

#[test]
fn passwords_never_travel_in_clear_or_on_the_command_line_and_unsealed_mail_is_refused() {
    let dir = setup("send-rules");
    let plain = SmtpServer::start(&dir, "plain", "test");
    let target = format!("127.0.0.1:{}", plain.port);
    // No password in plain text.
    let output = run(
        sealer(&dir)
            .args([
                "send",
                "demo.eml",
                "--smtp",
                &target,
                "--smtp-security",
                "none",
            ])
            .args([
                "--smtp-user",
                USER,
                "--smtp-password-file",
                "server-password",
            ]),
        3,
    );
    assert!(
        stderr(&output).contains("plain text"),
        "{}",
        stderr(&output)
    );
    // No password on the command line: there is no such option.
    run(
        sealer(&dir).args([
            "send",
            "demo.eml",
            "--smtp",
            &target,
            "--smtp-password",
            "x",
        ]),
        2,
    );
    // An unsealed message is refused, unless asked for.
    fs::write(
        dir.join("plain.eml"),
        "From: a@clinic.example\r\nTo: b@example.org\r\nBcc: c@example.net\r\n\
         Subject: Lunch\r\n\r\nSee you.\r\n",
    )
    .unwrap();
    let plain_send = [
        "send",
        "plain.eml",
        "--smtp",
        &target,
        "--smtp-security",
        "none",
    ];
    let output = run(sealer(&dir).args(plain_send), 3);
    assert!(
        stderr(&output).contains("carries no envelope"),
        "{}",
        stderr(&output)
    );
    assert!(plain.received().is_empty());
    run(sealer(&dir).args(plain_send).arg("--allow-unsealed"), 0);
    let delivered = plain.received();
    assert_eq!(delivered.len(), 1);
    let (bytes, envelope) = &delivered[0];
    assert_eq!(
        envelope["rcpt_tos"],
        serde_json::json!(["b@example.org", "c@example.net"])
    );
    assert!(
        !String::from_utf8_lossy(bytes).contains("Bcc"),
        "Bcc is for the envelope only"
    );
    assert_eq!(envelope["tls"], false);
}
