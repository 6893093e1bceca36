//! A real ClamAV daemon for tests: Debian's `clamd`, started on a Unix
//! socket in a scratch folder with a signature database the test writes
//! itself (the machines here cannot download ClamAV's): SHA-256 hash
//! signatures for the EICAR test file and for a generated file, built by
//! `sigtool` into an unsigned `daily.cud` of version
//! [`SIGNATURE_VERSION`], so that `VERSION` reports a database as it does
//! with the official ones.
//!
//! Shared by the end-to-end tests and (through `#[path]`) the sealer's
//! command tests. `SKIP_CLAMAV_TESTS=1` skips the tests that need it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// The EICAR anti-virus test file: harmless, and found by every scanner.
pub const EICAR: &[u8] = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
/// The name clamd gives EICAR with the test's database.
pub const EICAR_THREAT: &str = "Sealer-Test-EICAR.UNOFFICIAL";
/// The name clamd gives [`generated_virus`].
pub const GENERATED_THREAT: &str = "Sealer-Test-Generated.UNOFFICIAL";
/// The version of the test's signature database.
pub const SIGNATURE_VERSION: u32 = 27_110;

/// A "virus" no scanner knows but the test's database: 4 KiB of bytes
/// derived from a fixed seed.
pub fn generated_virus() -> Vec<u8> {
    let mut bytes = Vec::with_capacity(4096);
    let mut block: [u8; 32] = Sha256::digest(b"sealer's generated test virus").into();
    while bytes.len() < 4096 {
        bytes.extend_from_slice(&block);
        block = Sha256::digest(block).into();
    }
    bytes
}

/// Whether the ClamAV tests are to be skipped (`SKIP_CLAMAV_TESTS`), said
/// on standard error.
pub fn skipped() -> bool {
    if std::env::var_os("SKIP_CLAMAV_TESTS").is_some() {
        eprintln!("skipped: SKIP_CLAMAV_TESTS is set");
        return true;
    }
    assert!(
        Path::new("/usr/sbin/clamd").exists() && Path::new("/usr/bin/sigtool").exists(),
        "needs Debian's clamav-daemon and clamav: apt-get install clamav-daemon clamav \
         (.ci/run does; SKIP_CLAMAV_TESTS=1 skips)"
    );
    false
}

/// A running `clamd`, stopped when dropped.
pub struct TestClamd {
    dir: PathBuf,
    /// Its Unix socket.
    pub socket: PathBuf,
    /// Its TCP address on loopback, `127.0.0.1:PORT`.
    pub tcp: String,
    child: Option<Child>,
}

impl TestClamd {
    /// Starts one in `dir` (which it fills), taking streams of up to 30 MB.
    pub fn start(dir: &Path) -> TestClamd {
        TestClamd::start_with_stream_limit(dir, "30M")
    }

    /// Starts one whose `StreamMaxLength` is `limit` (`1M`, `30M`…).
    pub fn start_with_stream_limit(dir: &Path, limit: &str) -> TestClamd {
        std::fs::create_dir_all(dir).unwrap();
        let database = dir.join("db");
        std::fs::create_dir_all(&database).unwrap();
        write_database(&dir.join("build"), &database);
        let socket = dir.join("clamd.sock");
        // A free port, as the system hands one out (released for clamd).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let config = dir.join("clamd.conf");
        std::fs::write(
            &config,
            format!(
                "Foreground yes\nLocalSocket {}\nTCPSocket {port}\nTCPAddr 127.0.0.1\n\
                 DatabaseDirectory {}\nLogFile {}\nTemporaryDirectory {}\nStreamMaxLength {limit}\n",
                socket.display(),
                database.display(),
                dir.join("clamd.log").display(),
                dir.display(),
            ),
        )
        .unwrap();
        let mut clamd = TestClamd {
            dir: dir.to_path_buf(),
            socket,
            tcp: format!("127.0.0.1:{port}"),
            child: None,
        };
        clamd.restart();
        clamd
    }

    /// Starts it again after [`Self::stop`].
    pub fn restart(&mut self) {
        self.stop();
        let child = Command::new("/usr/sbin/clamd")
            .arg("-c")
            .arg(self.dir.join("clamd.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start clamd");
        self.child = Some(child);
        let started = Instant::now();
        while !self.socket.exists() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "clamd did not open its socket in 60 s; its log:\n{}",
                std::fs::read_to_string(self.dir.join("clamd.log")).unwrap_or_default()
            );
            if let Some(child) = &mut self.child
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!(
                    "clamd stopped ({status}); its log:\n{}",
                    std::fs::read_to_string(self.dir.join("clamd.log")).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops it (its socket goes with it): the scanner is unavailable.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_file(&self.socket);
    }
}

impl Drop for TestClamd {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Writes the hash signatures into `build` and builds them, with
/// `sigtool`, into `database/daily.cud`.
fn write_database(build: &Path, database: &Path) {
    std::fs::create_dir_all(build).unwrap();
    let line = |bytes: &[u8], name: &str| {
        format!("{}:{}:{name}\n", hex(&Sha256::digest(bytes)), bytes.len())
    };
    let signatures =
        line(EICAR, "Sealer-Test-EICAR") + &line(&generated_virus(), "Sealer-Test-Generated");
    std::fs::write(build.join("daily.hsb"), signatures).unwrap();
    std::fs::write(
        build.join("COPYING"),
        "Test signatures for the sealer's tests.\n",
    )
    .unwrap();
    let _ = std::fs::remove_file(build.join("daily.cud"));
    let mut sigtool = Command::new("/usr/bin/sigtool")
        .current_dir(build)
        .arg("--build=daily.cud")
        .arg("--unsigned")
        .arg(format!("--cvd-version={SIGNATURE_VERSION}"))
        .arg(format!("--datadir={}", build.display()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run sigtool");
    // It asks for the builder's name.
    use std::io::Write;
    sigtool
        .stdin
        .take()
        .unwrap()
        .write_all(b"sealer-tests\n")
        .unwrap();
    let output = sigtool.wait_with_output().unwrap();
    assert!(
        build.join("daily.cud").exists(),
        "sigtool built no database: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::copy(build.join("daily.cud"), database.join("daily.cud")).unwrap();
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
