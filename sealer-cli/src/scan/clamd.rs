//! A client of `clamd`, ClamAV's scanning daemon, in its own protocol:
//! `zVERSION` for the engine and signature version, `zINSTREAM` to scan
//! bytes sent over the connection (so the daemon needs no access to our
//! files), over its Unix socket or TCP.
//!
//! The crates on crates.io that speak it have no timeouts or bound their
//! replies by nothing, and some are unmaintained; the protocol is a few
//! lines, so it is written here, with every reply bounded and every wait
//! timed. The daemon's replies are hostile input like any other: what is
//! not one of the replies below is an error, never a verdict.
//!
//! ```text
//! -> zINSTREAM\0  (u32 length ‖ bytes)*  u32 0
//! <- stream: OK\0 | stream: <signature> FOUND\0 | <reason> ERROR\0
//! -> zVERSION\0
//! <- ClamAV 1.4.6/27110/Mon Nov 30 23:46:57 2026\0 | ClamAV 1.4.6\0
//! ```

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

use envelope_core::ScanSignatures;

/// Bytes sent per `INSTREAM` chunk.
const CHUNK: usize = 64 * 1024;
/// The longest reply read from the daemon.
const MAX_REPLY: u64 = 4096;

/// Where `clamd` listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClamdAddress {
    /// Its Unix socket (`LocalSocket` in `clamd.conf`), e.g.
    /// `/run/clamav/clamd.ctl`.
    Unix(PathBuf),
    /// Its TCP address (`TCPSocket`, `TCPAddr`), e.g. `127.0.0.1:3310`.
    Tcp(String),
}

impl ClamdAddress {
    /// Reads an address as a policy or command line gives it: a path
    /// (starting with `/`) is the Unix socket, `tcp://host:port` or
    /// `host:port` the TCP address.
    ///
    /// # Errors
    ///
    /// A sentence saying what is wrong, when it is neither.
    pub fn parse(text: &str) -> Result<ClamdAddress, String> {
        let text = text.trim();
        if text.starts_with('/') {
            return Ok(ClamdAddress::Unix(PathBuf::from(text)));
        }
        let host_port = text.strip_prefix("tcp://").unwrap_or(text);
        match host_port.rsplit_once(':') {
            Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0) => {
                Ok(ClamdAddress::Tcp(host_port.to_owned()))
            }
            _ => Err(format!(
                "clamd address {text:?} is neither a socket path (/run/clamav/clamd.ctl) nor \
                 host:port (127.0.0.1:3310)"
            )),
        }
    }
}

impl fmt::Display for ClamdAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClamdAddress::Unix(path) => write!(f, "{}", path.display()),
            ClamdAddress::Tcp(address) => write!(f, "tcp://{address}"),
        }
    }
}

/// The engine and signatures `clamd` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannerVersion {
    /// `ClamAV 1.4.6`.
    pub engine: String,
    /// The signature database's version and build time, when it has one
    /// with a version (a folder of only local signature files has none).
    pub signatures: Option<ScanSignatures>,
}

/// What `clamd` said of the bytes it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClamdVerdict {
    /// `stream: OK`.
    Clean,
    /// `stream: <signature> FOUND`: the signature's name.
    Found(String),
}

/// Why `clamd` gave no verdict.
#[derive(Debug)]
pub enum ClamdError {
    /// It could not be reached, or did not answer in time: the message
    /// may be scanned later.
    Unavailable(String),
    /// It answered with an error about these bytes (over its
    /// `StreamMaxLength`, say): they were not scanned.
    Refused(String),
}

impl fmt::Display for ClamdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClamdError::Unavailable(why) | ClamdError::Refused(why) => f.write_str(why),
        }
    }
}

/// A `clamd` to ask, and how long to wait for it.
#[derive(Debug, Clone)]
pub struct Clamd {
    address: ClamdAddress,
    timeout: Duration,
}

impl Clamd {
    /// The daemon at `address`; each connection, write and reply may take
    /// up to `timeout`.
    pub fn new(address: ClamdAddress, timeout: Duration) -> Clamd {
        Clamd { address, timeout }
    }

    /// Its engine and signature versions (`zVERSION`).
    ///
    /// # Errors
    ///
    /// [`ClamdError::Unavailable`] when it cannot be reached or its reply
    /// is not a version.
    pub fn version(&self) -> Result<ScannerVersion, ClamdError> {
        let mut stream = self.connect()?;
        stream
            .write_all(b"zVERSION\0")
            .map_err(|err| self.unavailable("could not ask", &err))?;
        let reply = self.reply(&mut stream)?;
        parse_version(&reply).ok_or_else(|| {
            ClamdError::Unavailable(format!(
                "clamd at {} answered VERSION with {reply:?}, which is not a ClamAV version",
                self.address
            ))
        })
    }

    /// Scans what `content` yields (`zINSTREAM`).
    ///
    /// # Errors
    ///
    /// [`ClamdError::Unavailable`] when the daemon cannot be reached, stops
    /// answering, or answers what is not a verdict; [`ClamdError::Refused`]
    /// when it refuses these bytes; reading `content` failing is
    /// [`ClamdError::Refused`] too (not the scanner's fault, and not
    /// scanned).
    pub fn scan(&self, content: &mut dyn Read) -> Result<ClamdVerdict, ClamdError> {
        let mut stream = self.connect()?;
        stream
            .write_all(b"zINSTREAM\0")
            .map_err(|err| self.unavailable("could not start a scan", &err))?;
        let mut buffer = vec![0u8; CHUNK];
        loop {
            let n = match content.read(&mut buffer) {
                Ok(n) => n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(ClamdError::Refused(format!("cannot read it: {err}"))),
            };
            let len = u32::try_from(n).unwrap_or(u32::MAX);
            let sent = stream
                .write_all(&len.to_be_bytes())
                .and_then(|()| stream.write_all(&buffer[..n]));
            if let Err(err) = sent {
                // clamd stops reading, and says why, when the stream goes
                // over its StreamMaxLength.
                return match self.reply(&mut stream) {
                    Ok(reply) => parse_scan_reply(&reply)
                        .and_then(|_| Err(self.unavailable("stopped reading the stream", &err))),
                    Err(_) => Err(self.unavailable("stopped reading the stream", &err)),
                };
            }
            if n == 0 {
                break;
            }
        }
        let reply = self.reply(&mut stream)?;
        parse_scan_reply(&reply)
    }

    fn connect(&self) -> Result<Connection, ClamdError> {
        let connection = match &self.address {
            #[cfg(unix)]
            ClamdAddress::Unix(path) => UnixStream::connect(path).map(Connection::Unix),
            #[cfg(not(unix))]
            ClamdAddress::Unix(_) => Err(io::Error::other("Unix sockets need a Unix system")),
            ClamdAddress::Tcp(address) => address
                .to_socket_addrs()
                .and_then(|mut addresses| {
                    addresses
                        .next()
                        .ok_or_else(|| io::Error::other("the name resolves to no address"))
                })
                .and_then(|address| TcpStream::connect_timeout(&address, self.timeout))
                .map(Connection::Tcp),
        }
        .map_err(|err| self.unavailable("cannot connect", &err))?;
        connection
            .set_timeouts(self.timeout)
            .map_err(|err| self.unavailable("cannot set a timeout", &err))?;
        Ok(connection)
    }

    /// The reply, up to its NUL (or the end of the connection), bounded.
    fn reply(&self, stream: &mut Connection) -> Result<String, ClamdError> {
        let mut bytes = Vec::new();
        stream
            .take(MAX_REPLY)
            .read_to_end(&mut bytes)
            .map_err(|err| self.unavailable("did not answer", &err))?;
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        bytes.truncate(end);
        let text = String::from_utf8_lossy(&bytes);
        Ok(text
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .trim()
            .to_owned())
    }

    fn unavailable(&self, what: &str, err: &io::Error) -> ClamdError {
        let waited = if matches!(
            err.kind(),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
        ) {
            format!(" (waited {} s)", self.timeout.as_secs())
        } else {
            String::new()
        };
        ClamdError::Unavailable(format!("clamd at {}: {what}: {err}{waited}", self.address))
    }
}

/// A connection to the daemon.
enum Connection {
    #[cfg(unix)]
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Connection {
    fn set_timeouts(&self, timeout: Duration) -> io::Result<()> {
        match self {
            #[cfg(unix)]
            Connection::Unix(stream) => {
                stream.set_read_timeout(Some(timeout))?;
                stream.set_write_timeout(Some(timeout))
            }
            Connection::Tcp(stream) => {
                stream.set_read_timeout(Some(timeout))?;
                stream.set_write_timeout(Some(timeout))
            }
        }
    }
}

impl Read for Connection {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            #[cfg(unix)]
            Connection::Unix(stream) => stream.read(buf),
            Connection::Tcp(stream) => stream.read(buf),
        }
    }
}

impl Write for Connection {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            #[cfg(unix)]
            Connection::Unix(stream) => stream.write(buf),
            Connection::Tcp(stream) => stream.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            #[cfg(unix)]
            Connection::Unix(stream) => stream.flush(),
            Connection::Tcp(stream) => stream.flush(),
        }
    }
}

/// `stream: OK`, `stream: <name> FOUND`, `<reason> ERROR`; anything else
/// is no verdict.
fn parse_scan_reply(reply: &str) -> Result<ClamdVerdict, ClamdError> {
    if let Some(reason) = reply.strip_suffix(" ERROR") {
        let reason = reason.strip_prefix("stream: ").unwrap_or(reason);
        return Err(ClamdError::Refused(format!("clamd refused it: {reason}")));
    }
    let Some(rest) = reply.strip_prefix("stream: ") else {
        return Err(ClamdError::Unavailable(format!(
            "clamd answered {reply:?}, which is not a verdict"
        )));
    };
    if rest == "OK" {
        return Ok(ClamdVerdict::Clean);
    }
    match rest.strip_suffix(" FOUND") {
        Some(name) if !name.is_empty() && name.len() <= 200 => {
            Ok(ClamdVerdict::Found(name.to_owned()))
        }
        _ => Err(ClamdError::Unavailable(format!(
            "clamd answered {reply:?}, which is not a verdict"
        ))),
    }
}

/// `ClamAV 1.4.6/27110/Mon Nov 30 23:46:57 2026` or `ClamAV 1.4.6`.
fn parse_version(reply: &str) -> Option<ScannerVersion> {
    let mut fields = reply.splitn(3, '/');
    let engine = fields.next()?.trim();
    let version = engine.strip_prefix("ClamAV ")?;
    let engine_ok = !version.is_empty()
        && engine.len() <= envelope_core::MAX_SCANNER_LEN
        && version
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_');
    if !engine_ok {
        return None;
    }
    let signatures = match (fields.next(), fields.next()) {
        (None, _) => None,
        (Some(number), Some(date)) => {
            let version: u32 = number.trim().parse().ok().filter(|&n| n > 0)?;
            Some(ScanSignatures {
                version,
                built_at: parse_ctime(date.trim())?,
            })
        }
        (Some(_), None) => return None,
    };
    Some(ScannerVersion {
        engine: engine.to_owned(),
        signatures,
    })
}

/// `Mon Nov 30 23:46:57 2026` (C's `ctime`, as clamd prints the database's
/// build time) as seconds since 1970, read as UTC.
fn parse_ctime(text: &str) -> Option<i64> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let [_weekday, month, day, time, year] = words.as_slice() else {
        return None;
    };
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| m == month)? as u32
        + 1;
    let day: u32 = day.parse().ok()?;
    let year: i64 = year.parse().ok().filter(|y| (1970..=9999).contains(y))?;
    let mut clock = time.split(':').map(|n| n.parse::<i64>().ok());
    let (hours, minutes, seconds) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some()
        || !crate::expiry::is_real_day(year, month, day)
        || !(0..24).contains(&hours)
        || !(0..60).contains(&minutes)
        || !(0..61).contains(&seconds)
    {
        return None;
    }
    Some(
        crate::expiry::days_from_civil(year, month, day) * 86_400
            + hours * 3600
            + minutes * 60
            + seconds,
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn versions_read_with_and_without_signatures() {
        assert_eq!(
            parse_version("ClamAV 1.4.6/27110/Mon Nov 30 23:46:57 2026").unwrap(),
            ScannerVersion {
                engine: "ClamAV 1.4.6".into(),
                signatures: Some(ScanSignatures {
                    version: 27_110,
                    built_at: 1_796_082_417,
                }),
            }
        );
        assert_eq!(parse_version("ClamAV 1.4.6").unwrap().signatures, None);
        for bad in [
            "",
            "PONG",
            "ClamAV ",
            "ClamAV 1.4.6/0/Mon Nov 30 23:46:57 2026",
            "ClamAV 1.4.6/27110",
            "ClamAV 1.4.6/27110/Mon Nov 31 23:46:57 2026",
            "ClamAV 1.4.6/27110/yesterday",
            "ClamAV 1.4.6<script>",
        ] {
            assert_eq!(parse_version(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_the_three_replies_are_verdicts() {
        assert_eq!(parse_scan_reply("stream: OK").unwrap(), ClamdVerdict::Clean);
        assert_eq!(
            parse_scan_reply("stream: Eicar-Test-Signature FOUND").unwrap(),
            ClamdVerdict::Found("Eicar-Test-Signature".into())
        );
        assert!(matches!(
            parse_scan_reply("INSTREAM size limit exceeded. ERROR"),
            Err(ClamdError::Refused(why)) if why.contains("size limit")
        ));
        for bad in ["", "OK", "stream: ", "stream: FOUND", "stream: OK please"] {
            assert!(
                matches!(parse_scan_reply(bad), Err(ClamdError::Unavailable(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn addresses_are_a_socket_or_host_and_port() {
        assert_eq!(
            ClamdAddress::parse("/run/clamav/clamd.ctl").unwrap(),
            ClamdAddress::Unix("/run/clamav/clamd.ctl".into())
        );
        assert_eq!(
            ClamdAddress::parse("tcp://127.0.0.1:3310").unwrap(),
            ClamdAddress::Tcp("127.0.0.1:3310".into())
        );
        assert_eq!(
            ClamdAddress::parse("scanner.internal:3310")
                .unwrap()
                .to_string(),
            "tcp://scanner.internal:3310"
        );
        for bad in [
            "",
            "clamd.ctl",
            "127.0.0.1",
            "host:0",
            "host:99999",
            ":3310",
        ] {
            assert!(ClamdAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_daemon_that_is_not_there_is_unavailable() {
        let clamd = Clamd::new(
            ClamdAddress::Unix("/nonexistent/clamd.ctl".into()),
            Duration::from_secs(1),
        );
        let err = clamd.scan(&mut io::empty()).unwrap_err();
        assert!(
            matches!(&err, ClamdError::Unavailable(why) if why.contains("/nonexistent/clamd.ctl")),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_daemon_that_never_answers_times_out() {
        let dir = std::env::temp_dir().join(format!("sealer-clamd-silent-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let socket = dir.join("silent.sock");
        let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        // Accepts, reads nothing, says nothing: a hung scanner.
        let held = std::thread::spawn(move || {
            let connections: Vec<_> = listener.incoming().take(2).collect();
            std::thread::sleep(Duration::from_secs(3));
            drop(connections);
        });
        let clamd = Clamd::new(ClamdAddress::Unix(socket), Duration::from_secs(1));
        let started = std::time::Instant::now();
        let err = clamd.version().unwrap_err();
        assert!(
            matches!(&err, ClamdError::Unavailable(why) if why.contains("waited 1 s")),
            "{err}"
        );
        assert!(started.elapsed() < Duration::from_secs(3));
        let big = vec![0u8; 64 * 1024 * 1024];
        let err = clamd.scan(&mut &big[..]).unwrap_err();
        assert!(matches!(err, ClamdError::Unavailable(_)), "{err}");
        held.join().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
