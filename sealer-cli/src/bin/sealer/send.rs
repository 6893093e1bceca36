//! `sealer send`: a sealed `.eml` to an SMTP server; and the SMTP part of
//! `sealer seal --smtp`, which sends the notice e-mail once sealed.

use std::io::Read;

use sealer::mailbox::Mailbox;
use sealer::smtp::{Addressing, Security, Server, addressing_of, submit};

use crate::args::{SendArgs, SmtpArgs, SmtpSecurity};
use crate::failure::Failure;
use crate::secret;

/// Runs `sealer send`.
pub(crate) fn run(args: SendArgs) -> Result<(), Failure> {
    let server = server(&args.smtp)?
        .ok_or_else(|| Failure::input("give the SMTP server: --smtp HOST[:PORT]"))?;
    let message = if args.message.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|err| Failure::input(format!("cannot read standard input: {err}")))?;
        bytes
    } else {
        std::fs::read(&args.message).map_err(|err| {
            Failure::input(format!("cannot read {}: {err}", args.message.display()))
        })?
    };
    let incoming = sealer::wrap::read_mail(&message)?;
    if !incoming.already_sealed && !args.allow_unsealed {
        return Err(Failure::input(format!(
            "{} carries no envelope: it would go out readable. Seal it first (sealer seal --eml, \
             sealer wrap), or use --allow-unsealed",
            args.message.display()
        )));
    }
    let mut addressing = match addressing_of(&message) {
        Ok(addressing) => addressing,
        // --from and --to can stand in for what the headers lack.
        Err(_) if args.from.is_some() && !args.to.is_empty() => Addressing {
            from: String::new(),
            recipients: Vec::new(),
        },
        Err(err) => return Err(err.into()),
    };
    if let Some(from) = &args.from {
        addressing.from = Mailbox::parse(from)?.address().to_owned();
    }
    if !args.to.is_empty() {
        addressing.recipients = Vec::new();
        for to in &args.to {
            let list = Mailbox::parse_list(to)?;
            addressing
                .recipients
                .extend(list.iter().map(|m| m.address().to_owned()));
        }
    }
    let reply = submit(&message, &addressing, &server)?;
    println!(
        "Sent to {} by {} ({reply}).",
        addressing.recipients.join(", "),
        server.host
    );
    Ok(())
}

/// The server the flags describe, or `None` without `--smtp`.
pub(crate) fn server(args: &SmtpArgs) -> Result<Option<Server>, Failure> {
    let Some(target) = &args.smtp else {
        return Ok(None);
    };
    let (host, port) = split_host_port(target)?;
    let password = match (&args.smtp_password_file, &args.smtp_password_env) {
        (Some(path), _) => Some(secret::from_file(path, "password")?),
        (None, Some(name)) => Some(secret::from_env(name)?),
        (None, None) => None,
    };
    let credentials = match (&args.smtp_user, password) {
        (Some(user), Some(password)) => Some((user.clone(), password)),
        (Some(_), None) => {
            return Err(Failure::input(
                "--smtp-user needs --smtp-password-file FILE or --smtp-password-env VAR (never \
                 the password itself on the command line)",
            ));
        }
        (None, _) => None,
    };
    if args.smtp_security == SmtpSecurity::None && credentials.is_some() {
        return Err(Failure::input(
            "--smtp-security none would send the password in plain text; use starttls or \
             implicit",
        ));
    }
    let extra_ca_pem = match &args.smtp_ca_file {
        Some(path) => Some(std::fs::read(path).map_err(|err| {
            Failure::input(format!("cannot read the CA file {}: {err}", path.display()))
        })?),
        None => None,
    };
    Ok(Some(Server {
        host,
        port,
        security: match args.smtp_security {
            SmtpSecurity::Starttls => Security::StartTls,
            SmtpSecurity::Implicit => Security::Implicit,
            SmtpSecurity::None => Security::None,
        },
        credentials,
        extra_ca_pem,
        timeout_seconds: None,
    }))
}

/// `host`, `host:port` or `[v6]:port`.
fn split_host_port(target: &str) -> Result<(String, Option<u16>), Failure> {
    let bad = || Failure::input(format!("--smtp {target:?} is not HOST or HOST:PORT"));
    let (host, port) = if let Some(rest) = target.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(bad)?;
        (host, after.strip_prefix(':'))
    } else {
        match target.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') => (host, Some(port)),
            _ => (target, None),
        }
    };
    if host.is_empty() {
        return Err(bad());
    }
    let port = port
        .map(|p| p.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(bad))
        .transpose()?;
    Ok((host.to_owned(), port))
}

#[cfg(test)]
mod tests {
    use super::split_host_port;

    #[test]
    fn hosts_and_ports() {
        let ok = |t: &str| split_host_port(t).ok();
        assert_eq!(ok("mail.example"), Some(("mail.example".into(), None)));
        assert_eq!(
            ok("mail.example:465"),
            Some(("mail.example".into(), Some(465)))
        );
        assert_eq!(ok("[::1]:25"), Some(("::1".into(), Some(25))));
        assert_eq!(ok("::1"), Some(("::1".into(), None)));
        assert!(ok("mail.example:0").is_none());
        assert!(ok("mail.example:x").is_none());
        assert!(ok(":25").is_none());
    }
}
