//! Submitting a message over SMTP (`sealer send`, `sealer seal --smtp`):
//! TLS always, unless plain text is asked for by name, and then never with
//! a password; the server's certificate checked against the system's trust
//! store and any CA the organisation adds.

use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};
use mail_parser::MessageParser;

use crate::{Error, ErrorKind};

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Security {
    /// Plain text first, then STARTTLS, which the server must offer
    /// (port 587 by default).
    #[default]
    StartTls,
    /// TLS from the first byte (port 465 by default).
    Implicit,
    /// No encryption at all (port 25 by default): only for a relay on the
    /// same machine or network; never with a password.
    None,
}

impl Security {
    /// The usual port for this kind of connection.
    pub fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Implicit => 465,
            Security::None => 25,
        }
    }
}

/// An SMTP server to submit to.
#[derive(Clone, Default)]
pub struct Server {
    /// Host name (checked against its certificate) or address.
    pub host: String,
    /// Port; [`Security::default_port`] when `None`.
    pub port: Option<u16>,
    /// How the connection is protected.
    pub security: Security,
    /// User name and password for AUTH, if the server wants them.
    pub credentials: Option<(String, String)>,
    /// Certificates (PEM) to trust besides the system's, e.g. the
    /// organisation's own CA.
    pub extra_ca_pem: Option<Vec<u8>>,
    /// Seconds to wait for the server before giving up (default 60).
    pub timeout_seconds: Option<u64>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .finish_non_exhaustive()
    }
}

/// Who a message goes from and to, as the SMTP envelope says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressing {
    /// The envelope sender (MAIL FROM).
    pub from: String,
    /// The envelope recipients (RCPT TO).
    pub recipients: Vec<String>,
}

/// The addressing a message's own headers give: its From address, and
/// every To, Cc and Bcc address.
///
/// # Errors
///
/// [`ErrorKind::Mail`] when `message` is not a message, or has no From or no
/// recipient.
pub fn addressing_of(message: &[u8]) -> Result<Addressing, Error> {
    let mail = MessageParser::default()
        .parse(message)
        .ok_or_else(|| Error::new(ErrorKind::Mail, "this is not an e-mail message"))?;
    let from = mail
        .from()
        .and_then(|list| list.first())
        .and_then(|addr| addr.address())
        .ok_or_else(|| Error::new(ErrorKind::Mail, "the message has no From address"))?
        .to_owned();
    let recipients: Vec<String> = [mail.to(), mail.cc(), mail.bcc()]
        .into_iter()
        .flatten()
        .flat_map(|list| list.iter())
        .filter_map(|addr| addr.address())
        .map(str::to_owned)
        .collect();
    if recipients.is_empty() {
        return Err(Error::new(
            ErrorKind::Mail,
            "the message has no To, Cc or Bcc address",
        ));
    }
    Ok(Addressing { from, recipients })
}

/// `message` as it goes on the wire: CRLF line ends (SMTP has no others,
/// and servers refuse bare LF), and no `Bcc` header, which is for the
/// envelope only.
pub fn wire_form(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + message.len() / 40);
    let mut in_header = true;
    let mut skipping_bcc = false;
    for line in message.split_inclusive(|&b| b == b'\n') {
        let content = line
            .strip_suffix(b"\n")
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .unwrap_or(line);
        if in_header {
            if content.is_empty() {
                in_header = false;
            } else if content.starts_with(b" ") || content.starts_with(b"\t") {
                if skipping_bcc {
                    continue;
                }
            } else {
                skipping_bcc = content.len() >= 4 && content[..4].eq_ignore_ascii_case(b"bcc:");
                if skipping_bcc {
                    continue;
                }
            }
        }
        out.extend_from_slice(content);
        if line.ends_with(b"\n") {
            out.extend_from_slice(b"\r\n");
        }
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Submits `message` to `server` for `addressing`, and returns the
/// server's reply (its queue id, usually).
///
/// # Errors
///
/// [`ErrorKind::Smtp`] when an address is invalid, a password would go in
/// plain text, the CA file is not PEM, or the server cannot be reached,
/// fails TLS or authentication, or refuses the message; the message says
/// whether trying again later may help.
pub fn submit(message: &[u8], addressing: &Addressing, server: &Server) -> Result<String, Error> {
    let smtp = |why: String| Error::new(ErrorKind::Smtp, why);
    if server.security == Security::None && server.credentials.is_some() {
        return Err(smtp(
            "a password would go over the network in plain text; use STARTTLS or implicit TLS"
                .into(),
        ));
    }
    let address = |text: &str| {
        text.parse::<Address>()
            .map_err(|err| smtp(format!("{text:?} is not a usable address: {err}")))
    };
    let envelope = Envelope::new(
        Some(address(&addressing.from)?),
        addressing
            .recipients
            .iter()
            .map(|r| address(r))
            .collect::<Result<_, _>>()?,
    )
    .map_err(|err| smtp(err.to_string()))?;

    let mut tls = TlsParameters::builder(server.host.clone());
    if let Some(pem) = &server.extra_ca_pem {
        let certificate = Certificate::from_pem(pem)
            .map_err(|err| smtp(format!("the CA file is not a PEM certificate: {err}")))?;
        tls = tls.add_root_certificate(certificate);
    }
    let tls = tls.build_rustls().map_err(|err| smtp(err.to_string()))?;
    let security = match server.security {
        Security::StartTls => Tls::Required(tls),
        Security::Implicit => Tls::Wrapper(tls),
        Security::None => Tls::None,
    };
    let mut transport = SmtpTransport::builder_dangerous(server.host.clone())
        .port(server.port.unwrap_or(server.security.default_port()))
        .tls(security)
        .timeout(Some(Duration::from_secs(
            server.timeout_seconds.unwrap_or(60),
        )));
    if let Some((user, password)) = &server.credentials {
        transport = transport.credentials(Credentials::new(user.clone(), password.clone()));
    }
    // lettre ends the data with CRLF "." CRLF, its own CRLF included:
    // the message's last line end goes, or the recipient would get an
    // extra empty line.
    let wire = wire_form(message);
    let data = wire.strip_suffix(b"\r\n").unwrap_or(&wire);
    let response = transport.build().send_raw(&envelope, data).map_err(|err| {
        let when = if err.is_transient() {
            "; trying again later may work"
        } else {
            ""
        };
        smtp(format!(
            "{}:{}: {err}{when}",
            server.host,
            server.port.unwrap_or(server.security.default_port())
        ))
    })?;
    Ok(response.message().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_wire_form_has_crlf_and_no_bcc() {
        let message = b"From: a@x.example\nBcc: hidden@y.example,\n  other@z.example\n\
                        To: b@x.example\nSubject: s\n\nBcc: in the body stays\n";
        assert_eq!(
            wire_form(message),
            b"From: a@x.example\r\nTo: b@x.example\r\nSubject: s\r\n\r\n\
              Bcc: in the body stays\r\n"
        );
        let crlf = b"From: a@x.example\r\nTo: b@x.example\r\n\r\nHi\r\n";
        assert_eq!(wire_form(crlf), crlf);
    }

    #[test]
    fn the_addressing_comes_from_the_headers() {
        let message = b"From: A <a@x.example>\r\nTo: b@x.example\r\nCc: C <c@y.example>\r\n\
                        Bcc: d@z.example\r\n\r\nHi\r\n";
        assert_eq!(
            addressing_of(message).unwrap(),
            Addressing {
                from: "a@x.example".into(),
                recipients: vec![
                    "b@x.example".into(),
                    "c@y.example".into(),
                    "d@z.example".into()
                ],
            }
        );
        assert!(addressing_of(b"From: a@x.example\r\n\r\nHi\r\n").is_err());
    }

    #[test]
    fn no_password_in_plain_text() {
        let server = Server {
            host: "127.0.0.1".into(),
            security: Security::None,
            credentials: Some(("user".into(), "secret".into())),
            ..Server::default()
        };
        let addressing = Addressing {
            from: "a@x.example".into(),
            recipients: vec!["b@x.example".into()],
        };
        let err = submit(b"From: a@x.example\r\n\r\nHi\r\n", &addressing, &server).unwrap_err();
        assert!(err.to_string().contains("plain text"), "{err}");
        assert!(!format!("{server:?}").contains("secret"));
    }
}
