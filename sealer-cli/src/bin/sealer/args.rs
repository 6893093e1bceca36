//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "\
Exit codes: 0 success; 1 failure (e.g. writing, sending); 2 usage; 3 bad input (a missing file, an output \
that exists, not an envelope, no or a weak passphrase); 4 wrong passphrase; 5 damaged or altered \
envelope; 6 needs a newer sealer, or over a limit; 7 expired (past the date its sender set); 8 not \
signed by the expected key (open --signer); 9 a receipt code not recognised (receipt verify).";

/// Seal e-mail into a self-contained, passphrase-protected HTML envelope
/// that any browser opens offline.
#[derive(Debug, Parser)]
#[command(name = "sealer", version, after_help = EXIT_CODES)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Seal a message and its attachments into an .html envelope
    #[command(after_help = "\
Examples:
  sealer seal --from 'Clinic <records@clinic.example>' --to alex@example.org \\
      --subject 'Your results' --body letter.txt --attach results.pdf \\
      --label 'Secure message from Example Clinic' --generate-passphrase \\
      --output results.html --eml results.eml
  sealer seal --demo --generate-passphrase --output demo.html
  sealer seal --demo --generate-passphrase --template-dir templates/example \\
      --contact 'Radiology: 0123 456 790' --output branded.html --eml branded.eml
  echo 'See attached.' | sealer seal --to alex@example.org --body - --attach scan.pdf \\
      --passphrase-file pass.txt --output scan.html

The passphrase comes from a prompt (asked twice, not shown), --passphrase-file, --passphrase-env \
or --generate-passphrase; never from the command line itself, where other users could see it.")]
    Seal(Box<SealArgs>),
    /// Open an envelope: print the message and save its attachments
    #[command(after_help = "\
Examples:
  sealer open results.html                      # asks for the passphrase; saves into ./results/
  sealer open results.html --output-dir inbox --passphrase-env SEALER_PASSPHRASE
  sealer open notice.eml                        # the envelope attached to a notice e-mail

Nothing is printed or saved unless the whole envelope verifies. Existing files are never \
replaced: a name already taken gets ' (2)', ' (3)'... Attachment names cannot leave the folder.")]
    Open(OpenArgs),
    /// Show an envelope's public header, without the passphrase (with
    /// --verify, also check all of it and its signature)
    #[command(after_help = "\
Examples:
  sealer inspect results.html
  sealer inspect results.html --json
  sealer inspect results.html --verify --passphrase-file pass.txt --signer clinic.key.pub

Without a passphrase only the public header can be read; the sender signature travels inside the \
encrypted content, so --verify (or any passphrase option, --identity or --signer) opens the envelope \
to check it, and every part's digest, without showing or saving any of the message.")]
    Inspect(InspectArgs),
    /// Send a sealed .eml over SMTP (STARTTLS or TLS, with AUTH)
    #[command(after_help = "\
Examples:
  sealer send results.eml --smtp mail.clinic.example --smtp-user records \\
      --smtp-password-file ~/.config/sealer/smtp-password
  sealer send results.eml --smtp mail.clinic.example:465 --smtp-security implicit \\
      --smtp-user records --smtp-password-env SMTP_PASSWORD
  sealer seal --from records@clinic.example --to alex@example.org --attach scan.pdf \\
      --generate-passphrase --output scan.html --smtp mail.clinic.example --smtp-user records \\
      --smtp-password-env SMTP_PASSWORD      # seal and send in one step

The envelope sender and recipients are the message's From and To, Cc, Bcc (a Bcc header is \
removed before sending), unless --from and --to say otherwise. A message that carries no envelope \
is refused unless --allow-unsealed. The password never goes on the command line.")]
    Send(SendArgs),
    /// Seal an e-mail message by policy, as a mail gateway filter does
    #[command(after_help = "\
Examples:
  sealer wrap message.eml --policy examples/policy.toml --output sealed.eml
  sealer wrap --policy /etc/sealer/policy.toml --audit-log /var/log/sealer/audit.jsonl \\
      --sender \"$sender\" --output \"$out\" --recipient \"$@\" < message.eml

A message no sealing rule matches is written out byte for byte. The output appears whole or not \
at all. docs/GATEWAY.md shows a Postfix filter.

Exit codes (sysexits.h, as Postfix and sendmail expect): 0 written (sealed or passed); 65 the \
message is unusable or too big to seal, and 69 no passphrase is on file for a recipient (the mail \
server bounces it: the sender learns why); 75 anything else, a wrong policy, folder or command line \
included (the mail server keeps the message and retries).")]
    Wrap(WrapArgs),
    /// Open the secure replies in one incoming message, as a mail gateway's
    /// inbound filter: the reply delivered as an ordinary message, or the
    /// message as it came
    #[command(after_help = "\
Examples:
  sealer unwrap incoming.eml --policy /etc/sealer/unwrap.toml --output delivered.eml
  sealer unwrap - --policy unwrap.toml --audit-log /var/log/sealer/unwrap.jsonl < in.eml > out.eml

A message carrying a reply envelope sealed to one of the policy's reply identities (sealer seal \
--reply-key, wrap's [reply]) is opened and delivered as an ordinary MIME message: the reply's text \
and files, the original's addressing and threading headers, X-Sealer-Reply-Content (verified), \
X-Sealer-Reply-Answers (the envelope it answers, and from the sent-log when and to whom that was \
sent) and X-Sealer-Reply-Original (the sealed reply attached, or archived). Nothing is dropped: a \
message with no such reply passes as it came, and one whose reply cannot be opened is delivered as \
it came with X-Sealer-Reply-Warning. X-Sealer-Reply-* headers that arrive are removed. \
examples/unwrap-policy.toml shows every key; docs/GATEWAY.md the Postfix setup.

Exit codes (sysexits.h): 0 written (opened, passed or warned); 75 anything else: a wrong policy, an \
identity or folder that cannot be read, an output that cannot be written (the mail server keeps the \
message and retries).")]
    Unwrap(UnwrapArgs),
    /// Check that an envelope page is exactly what a known sealer release
    /// renders, and nothing else
    #[command(after_help = "\
Examples:
  sealer verify results.html
  sealer verify notice.eml --json
  sealer verify results.html --template-dir /etc/sealer/templates
  sealer verify /srv/www/opener/
  sealer verify https://open.clinic.example/

A page verifies only if it is, byte for byte (line ends aside), what a known release renders with \
its envelope and the organisation's words, colour and logo: its decryptor module and scripts are a \
known release's (sealer-cli/decryptor/RELEASES, published in the README), it holds nothing that \
loads, navigates or runs anything else, and every reader finds the same envelope in it. Anything \
not recognised is named. A page made with an organisation's own template verifies with that \
template's folder (--template-dir). For an e-mail, every HTML attachment is checked and named; a \
mail carrying more than one is not verified. For an opener site, every file is checked against \
what the release writes: in its folder, which may hold nothing else, or as its server serves it \
(https://; the files' types too). Exit code 0 verified, 5 not verified (changed in \
transit, or not made by a known sealer), 3 no page to check.")]
    Verify(VerifyArgs),
    /// Write the opener site: a static folder to host on your own HTTPS
    /// domain, which opens envelopes on any device, phones included
    #[command(after_help = "\
Examples:
  sealer opener --output opener/
  sealer opener --output opener/ --template-dir /etc/sealer/templates --lang de
  sealer verify opener/

The folder (index.html, sw.js, manifest.webmanifest, two icons) holds this release's decryptor, \
the organisation's branding and the language's texts. A recipient opens its address, chooses the \
envelope (the .html attachment, or the whole e-mail saved as .eml) and types the passphrase: the \
envelope is opened on the device, nothing is uploaded, and the page fetches nothing once loaded. \
It works offline after the first visit, and a phone can add it to its home screen. Serve the \
folder as it is, over HTTPS, on a host name of its own (see docs/OPENER.md). No existing file is \
replaced unless --force is given.")]
    Opener(OpenerArgs),
    /// Recognise the receipt codes recipients send back
    #[command(subcommand)]
    Receipt(ReceiptCommand),
    /// Make a recovery key pair: an identity (private) and its public key
    #[command(after_help = "\
Examples:
  sealer keygen --output records.key      # writes records.key (mode 600) and records.key.pub
  sealer seal ... --recovery-key records.key.pub
  sealer open results.html --identity records.key

The identity opens every envelope sealed to its public key, without a passphrase: keep it offline, \
readable only by the records office. With --signing, the key signs envelopes (seal --sign) and its \
.pub file is what recipients check them with (open --signer). A private key file that others can \
read is refused.")]
    Keygen(KeygenArgs),
    /// Generate a passphrase (the spoken wordlist: docs/WORDLIST.md)
    #[command(after_help = "\
Examples:
  sealer passphrase              # six words, about 77.0 bits
  sealer passphrase --words 8")]
    Passphrase(PassphraseArgs),
    /// Print a shell completion script
    #[command(after_help = "\
Examples:
  sealer completions bash > ~/.local/share/bash-completion/completions/sealer
  sealer completions zsh > ~/.zfunc/_sealer")]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff)
    #[command(after_help = "\
Examples:
  sealer man > sealer.1 && man ./sealer.1")]
    Man,
}

/// Where a passphrase comes from, besides the interactive prompt.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub(crate) struct PassphraseSource {
    /// Read the passphrase from FILE (its first line)
    #[arg(long, value_name = "FILE")]
    pub(crate) passphrase_file: Option<PathBuf>,
    /// Read the passphrase from the environment variable VAR
    #[arg(long, value_name = "VAR")]
    pub(crate) passphrase_env: Option<String>,
}

/// Where sealing passphrases come from, besides the prompt.
#[derive(Debug, Args)]
pub(crate) struct SealPassphraseSource {
    /// Read a passphrase from FILE (its first line); repeat it for a
    /// passphrase per recipient: each one opens the envelope
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_env")]
    pub(crate) passphrase_file: Vec<PathBuf>,
    /// Read the passphrase from the environment variable VAR
    #[arg(long, value_name = "VAR")]
    pub(crate) passphrase_env: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct SealArgs {
    /// Sender, e.g. 'Example Clinic <records@clinic.example>'
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) from: Option<String>,
    /// Recipient (repeatable)
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) to: Vec<String>,
    /// Copy recipient (repeatable)
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) cc: Vec<String>,
    /// Subject (sealed: only the recipient sees it)
    #[arg(long, value_name = "TEXT")]
    pub(crate) subject: Option<String>,
    /// Text body from FILE (UTF-8), or '-' for standard input
    #[arg(long, value_name = "FILE")]
    pub(crate) body: Option<PathBuf>,
    /// HTML body from FILE (UTF-8), or '-' for standard input
    #[arg(long, value_name = "FILE")]
    pub(crate) html_body: Option<PathBuf>,
    /// Attach FILE under its own name, with its media type from its
    /// extension (repeatable)
    #[arg(long, value_name = "FILE")]
    pub(crate) attach: Vec<PathBuf>,
    /// Seal the built-in demo message instead (a letter and two attachments)
    #[arg(long, conflicts_with_all = ["from", "to", "cc", "subject", "body", "html_body", "attach"])]
    pub(crate) demo: bool,
    /// The public line shown before decryption, e.g. 'Secure message from
    /// Example Clinic'
    #[arg(long, value_name = "TEXT")]
    pub(crate) label: Option<String>,
    /// A public passphrase hint shown before decryption (never the
    /// passphrase itself)
    #[arg(long, value_name = "TEXT")]
    pub(crate) hint: Option<String>,
    /// Ask that the envelope not be opened after a date: a duration from
    /// now (30d, 12h, 2w) or a day (2026-12-31, the end of it in UTC).
    /// Advisory: the page and sealer open refuse after it, but a changed
    /// clock or another decryptor is not stopped
    #[arg(long, value_name = "WHEN")]
    pub(crate) expires: Option<String>,
    /// Ask for a receipt at the --from address: whoever opens the envelope
    /// with a passphrase is offered a code to send back, which sealer
    /// receipt verify recognises (the envelope is logged in the sent-log)
    #[arg(long)]
    pub(crate) receipt: bool,
    /// Ask for a receipt at ADDRESS instead of the --from address
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) receipt_to: Option<String>,
    /// Ask for secure replies: the page offers whoever opens the envelope
    /// to answer with an envelope sealed, on their device, to the reply key
    /// in FILE (from sealer keygen) and to their passphrase, which
    /// sealer open --identity and sealer unwrap open (the envelope is
    /// logged in the sent-log, so an answer names whom it answers)
    #[arg(long, value_name = "FILE.pub")]
    pub(crate) reply_key: Option<PathBuf>,
    /// Where answers go [default: the --from address]
    #[arg(long, value_name = "ADDRESS", requires = "reply_key")]
    pub(crate) reply_to: Option<String>,
    /// The most a reply's text and files may hold, in megabytes (1 to 100)
    /// [default: 20]
    #[arg(long, value_name = "MB", requires = "reply_key",
          value_parser = clap::value_parser!(u64).range(1..=100))]
    pub(crate) reply_limit: Option<u64>,
    /// The sent-log that receipts are recognised from [default:
    /// $XDG_DATA_HOME/sealer/sent-log.jsonl or
    /// ~/.local/share/sealer/sent-log.jsonl]
    #[arg(long, value_name = "FILE", env = "SEALER_SENT_LOG")]
    pub(crate) sent_log: Option<PathBuf>,
    /// Write the envelope to FILE.html ('-' for standard output)
    #[arg(long, short, value_name = "FILE.html")]
    pub(crate) output: PathBuf,
    /// Also write the notice e-mail, ready to send, with the envelope
    /// attached (needs --from)
    #[arg(long, value_name = "FILE.eml")]
    pub(crate) eml: Option<PathBuf>,
    /// Show the real subject in the notice e-mail, readable by anyone who
    /// sees the mail. Without it the notice's subject is neutral (the
    /// label, or 'Secure message from ORGANISATION') and the real one
    /// stays sealed
    #[arg(long)]
    pub(crate) show_subject: bool,
    /// The default now (kept so that scripts that give it still run)
    #[arg(long, hide = true, conflicts_with = "show_subject")]
    pub(crate) hide_subject: bool,
    /// Scan the text and every file for viruses with ClamAV (clamd)
    /// before sealing: a threat found refuses the message (exit code 10);
    /// the envelope tells recipients what was scanned, by which
    /// signatures
    #[arg(long)]
    pub(crate) scan: bool,
    /// Where clamd listens: its socket, or HOST:PORT [default:
    /// /run/clamav/clamd.ctl]
    #[arg(long, value_name = "SOCKET", requires = "scan")]
    pub(crate) clamd: Option<String>,
    /// Seal even when clamd cannot be reached or refuses a part (too
    /// big); the envelope then says what was not scanned
    #[arg(long, requires = "scan")]
    pub(crate) allow_unscanned: bool,
    /// Replace the outputs if they exist
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) passphrase: SealPassphraseSource,
    /// Also seal to the recovery key in FILE (from sealer keygen): its
    /// identity opens the envelope without a passphrase (repeatable)
    #[arg(long, value_name = "FILE.pub")]
    pub(crate) recovery_key: Vec<PathBuf>,
    /// Sign the envelope with the signing key in FILE (from sealer keygen
    /// --signing); recipients see the signer's fingerprint after opening
    #[arg(long, value_name = "FILE")]
    pub(crate) sign: Option<PathBuf>,
    /// Generate a six-word passphrase and print it once
    #[arg(long, conflicts_with_all = ["passphrase_file", "passphrase_env"])]
    pub(crate) generate_passphrase: bool,
    /// The passphrases given (--passphrase-file, --passphrase-env or the
    /// prompt) are generated words, e.g. from `sealer passphrase`: the
    /// recipient may type them with any spacing and capitals. Each must be
    /// six or more words of the spoken list
    #[arg(long, conflicts_with = "generate_passphrase")]
    pub(crate) generated: bool,
    /// With --generate-passphrase: one passphrase per recipient (To and
    /// Cc), each opening the envelope, instead of one for all
    #[arg(long, requires = "generate_passphrase")]
    pub(crate) per_recipient: bool,
    /// With --generate-passphrase: write it to FILE (a new file, readable
    /// only by you) instead of printing it; with --per-recipient, FILE is a
    /// new folder with one ADDRESS.txt per recipient
    #[arg(long, value_name = "FILE", requires = "generate_passphrase")]
    pub(crate) passphrase_out: Option<PathBuf>,
    /// Accept a passphrase the strength check rates weak
    #[arg(long)]
    pub(crate) allow_weak_passphrase: bool,
    #[command(flatten)]
    pub(crate) branding: BrandingArgs,
    // Last: its help heading applies to the options after it.
    #[command(flatten)]
    pub(crate) smtp: SmtpArgs,
}

/// An SMTP server to submit to (`send`; `seal` with --smtp sends the notice
/// e-mail there).
#[derive(Debug, Args)]
#[command(next_help_heading = "Sending (SMTP)")]
pub(crate) struct SmtpArgs {
    /// The SMTP server: HOST or HOST:PORT (seal: send the notice e-mail
    /// there once sealed)
    #[arg(long, value_name = "HOST[:PORT]")]
    pub(crate) smtp: Option<String>,
    /// starttls (port 587, the server must offer STARTTLS), implicit (TLS
    /// from the start, port 465) or none (port 25, no encryption: never
    /// with a password)
    #[arg(long, value_enum, default_value_t = SmtpSecurity::Starttls, value_name = "MODE")]
    pub(crate) smtp_security: SmtpSecurity,
    /// The user name to authenticate as
    #[arg(long, value_name = "NAME")]
    pub(crate) smtp_user: Option<String>,
    /// Read the SMTP password from FILE (its first line)
    #[arg(
        long,
        value_name = "FILE",
        requires = "smtp_user",
        conflicts_with = "smtp_password_env"
    )]
    pub(crate) smtp_password_file: Option<PathBuf>,
    /// Read the SMTP password from the environment variable VAR
    #[arg(long, value_name = "VAR", requires = "smtp_user")]
    pub(crate) smtp_password_env: Option<String>,
    /// Trust the CA certificates in FILE (PEM) besides the system's, e.g.
    /// the organisation's own
    #[arg(long, value_name = "FILE")]
    pub(crate) smtp_ca_file: Option<PathBuf>,
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SmtpSecurity {
    /// STARTTLS, required
    Starttls,
    /// TLS from the first byte
    Implicit,
    /// No encryption (a relay on this machine or network only)
    None,
}

#[derive(Debug, Args)]
pub(crate) struct SendArgs {
    /// The message to send (.eml), or '-' for standard input
    #[arg(value_name = "MESSAGE")]
    pub(crate) message: PathBuf,
    /// The envelope sender (default: the message's From address)
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) from: Option<String>,
    /// An envelope recipient (repeatable; default: the message's To, Cc and
    /// Bcc addresses)
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) to: Vec<String>,
    /// Send a message that carries no envelope
    #[arg(long)]
    pub(crate) allow_unsealed: bool,
    #[command(flatten)]
    pub(crate) smtp: SmtpArgs,
}

/// The organisation's look (templates/README.md explains each).
#[derive(Debug, Args)]
#[command(next_help_heading = "Branding")]
pub(crate) struct BrandingArgs {
    /// Take any of envelope.html.j2, notice.txt.j2, notice.html.j2 and
    /// branding.json from DIR instead of the built-in ones; the flags below
    /// override branding.json
    #[arg(long, value_name = "DIR")]
    pub(crate) template_dir: Option<PathBuf>,
    /// The organisation's name, shown on the page and in the notice
    #[arg(long, value_name = "NAME")]
    pub(crate) organisation: Option<String>,
    /// A logo for the page and the notice: a PNG, JPEG, GIF or WebP file of
    /// at most 128 KiB
    #[arg(long, value_name = "FILE")]
    pub(crate) logo: Option<PathBuf>,
    /// The colour of headings and the Open button, e.g. '#7a1f5c' (dark
    /// enough for white text on it)
    #[arg(long, value_name = "#RRGGBB", alias = "accent-color")]
    pub(crate) accent_colour: Option<String>,
    /// Help shown at the foot of the page and the notice, e.g. who to call
    /// when the passphrase is lost
    #[arg(long, value_name = "TEXT")]
    pub(crate) help_text: Option<String>,
    /// A contact line (phone, address, web site) at the foot of the page and
    /// the notice
    #[arg(long, value_name = "TEXT")]
    pub(crate) contact: Option<String>,
    /// The language of the page and the notice (BCP 47: en, de, fr-CH); the
    /// built-in texts are English, translated templates go in --template-dir
    #[arg(long, value_name = "CODE")]
    pub(crate) lang: Option<String>,
    /// The https:// address of your opener site (sealer opener), which the
    /// notice and the page give recipients on a phone
    #[arg(long, value_name = "URL")]
    pub(crate) opener_url: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct OpenArgs {
    /// The envelope: an .html page, an .eml that carries one, or a raw
    /// envelope file
    #[arg(value_name = "ENVELOPE")]
    pub(crate) envelope: PathBuf,
    /// Save attachments into DIR (created if missing; default: a new folder
    /// named after the envelope, in the current directory)
    #[arg(long, value_name = "DIR")]
    pub(crate) output_dir: Option<PathBuf>,
    /// The sent-log that tells, for a secure reply, which envelope it
    /// answers and to whom that was sent [default: as for sealer seal]
    #[arg(long, value_name = "FILE", env = "SEALER_SENT_LOG")]
    pub(crate) sent_log: Option<PathBuf>,
    /// Also print the original message's header lines, when a mail gateway
    /// sealed it (sealer wrap keeps them)
    #[arg(long)]
    pub(crate) headers: bool,
    #[command(flatten)]
    pub(crate) unlocking: Unlocking,
}

/// How an envelope is opened, and whose signature it must carry (`open`,
/// `inspect --verify`).
#[derive(Debug, Args)]
pub(crate) struct Unlocking {
    /// Require a valid signature by the signer key in FILE.pub (from its
    /// sender, received another way); otherwise exit 8, and nothing is
    /// saved
    #[arg(long, value_name = "FILE.pub")]
    pub(crate) signer: Option<PathBuf>,
    /// Open with the recovery identity in FILE (from sealer keygen) instead
    /// of a passphrase
    #[arg(long, value_name = "FILE", conflicts_with_all = ["passphrase_file", "passphrase_env"])]
    pub(crate) identity: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) passphrase: PassphraseSource,
}

#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    /// The envelope: an .html page, an .eml that carries one, or a raw
    /// envelope file
    #[arg(value_name = "ENVELOPE")]
    pub(crate) envelope: PathBuf,
    /// Print JSON instead of text
    #[arg(long)]
    pub(crate) json: bool,
    /// Also open the envelope (with the passphrase, or --identity) to verify
    /// all of it and show its sender signature; nothing of the message is
    /// shown or saved. Implied by the options below
    #[arg(long)]
    pub(crate) verify: bool,
    #[command(flatten)]
    pub(crate) unlocking: Unlocking,
}

#[derive(Debug, Args)]
pub(crate) struct WrapArgs {
    /// The message (RFC 5322), or '-' for standard input
    #[arg(value_name = "MESSAGE", default_value = "-")]
    pub(crate) message: PathBuf,
    /// The sealing policy (TOML; examples/policy.toml shows every key)
    #[arg(long, value_name = "FILE")]
    pub(crate) policy: PathBuf,
    /// The SMTP envelope recipients (one or more); when given, they, not
    /// the To and Cc headers, decide the policy and the passphrases (Bcc
    /// recipients are only here)
    #[arg(long, value_name = "ADDRESS", num_args = 1.., allow_hyphen_values = true)]
    pub(crate) recipient: Vec<String>,
    /// The SMTP envelope sender, for the audit log (default: the From
    /// header's address)
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) sender: Option<String>,
    /// Write the outgoing message to FILE (a new file) instead of standard
    /// output
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Append one JSON line per message to FILE: time, Message-ID, sender,
    /// recipients, rule, action, envelope size (never a passphrase or
    /// content)
    #[arg(long, value_name = "FILE")]
    pub(crate) audit_log: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct UnwrapArgs {
    /// The message (RFC 5322), or '-' for standard input
    #[arg(value_name = "MESSAGE", default_value = "-")]
    pub(crate) message: PathBuf,
    /// The unwrap policy (TOML; examples/unwrap-policy.toml shows every key)
    #[arg(long, value_name = "FILE")]
    pub(crate) policy: PathBuf,
    /// The SMTP envelope recipients, for the audit log (default: the To and
    /// Cc headers)
    #[arg(long, value_name = "ADDRESS", num_args = 1.., allow_hyphen_values = true)]
    pub(crate) recipient: Vec<String>,
    /// The SMTP envelope sender, for the audit log (default: the From
    /// header's address)
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) sender: Option<String>,
    /// Write the delivered message to FILE (a new file) instead of
    /// standard output
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Append one JSON line per message to FILE: time, Message-ID, sender,
    /// recipients, action, the envelope answered (never content)
    #[arg(long, value_name = "FILE")]
    pub(crate) audit_log: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct KeygenArgs {
    /// Write the identity to FILE (a new file, mode 600) and the public key
    /// to FILE.pub
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: PathBuf,
    /// Make a signing key (Ed25519, for seal --sign) instead of a recovery
    /// key
    #[arg(long)]
    pub(crate) signing: bool,
}

#[derive(Debug, Args)]
pub(crate) struct OpenerArgs {
    /// The folder to write the site into (made if missing)
    #[arg(long, short, value_name = "DIR")]
    pub(crate) output: PathBuf,
    /// Replace the site's files if the folder already has them
    #[arg(long)]
    pub(crate) force: bool,
    #[command(flatten)]
    pub(crate) branding: BrandingArgs,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The envelope page (.html), an .eml that carries one, or an opener
    /// site (sealer opener): its folder, or its https:// address
    #[arg(value_name = "ENVELOPE")]
    pub(crate) envelope: PathBuf,
    /// The organisation's template folder the page was sealed with (its
    /// envelope.html.j2 and branding.json)
    #[arg(long, value_name = "DIR")]
    pub(crate) template_dir: Option<PathBuf>,
    /// Print JSON instead of text
    #[arg(long)]
    pub(crate) json: bool,
}

/// What `sealer receipt` does.
#[derive(Debug, Subcommand)]
pub(crate) enum ReceiptCommand {
    /// Tell which envelope a receipt code names and with whose passphrase
    /// it was opened
    #[command(after_help = "\
Examples:
  sealer receipt verify 0BQF-8Q81-716T-A4GC-775M-Q7VR
  sealer receipt verify - < receipt-mail.eml     # every code in a receipt e-mail (decoded)

A code is recognised only from the sent-log of the sealer that sealed the envelope (sealer seal \
--receipt appends to it). Exit code 0 every code recognised, 9 a code names no logged envelope \
(forged, mistyped, or sealed with another sent-log), 3 not a receipt code or no sent-log.")]
    Verify(ReceiptVerifyArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ReceiptVerifyArgs {
    /// Receipt codes (24 characters, dashes optional), or '-' to find every
    /// code in standard input (e.g. the receipt e-mail)
    #[arg(value_name = "CODE", required = true)]
    pub(crate) codes: Vec<String>,
    /// The sent-log the codes are looked up in [default:
    /// $XDG_DATA_HOME/sealer/sent-log.jsonl or
    /// ~/.local/share/sealer/sent-log.jsonl]
    #[arg(long, value_name = "FILE", env = "SEALER_SENT_LOG")]
    pub(crate) sent_log: Option<PathBuf>,
    /// Print JSON instead of text
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PassphraseArgs {
    /// Number of words (6 to 24)
    #[arg(long, default_value_t = envelope_core::DEFAULT_WORDS, value_name = "N")]
    pub(crate) words: usize,
}
