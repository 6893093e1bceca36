//! `sealer`: seal e-mail into a self-contained, passphrase-protected HTML
//! envelope, and open, inspect or make passphrases for envelopes.
#![forbid(unsafe_code)]

mod args;
mod failure;
mod inspect;
mod keys;
mod no_dumps;
mod open;
mod opener;
mod progress;
mod receipt;
mod seal;
mod secret;
mod send;
mod site_url;
mod terminal;
mod unwrap;
mod verify;
mod wrap;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    no_dumps::forbid_core_dumps();
    quiet_broken_pipe();
    let wrapping = std::env::args_os().nth(1).is_some_and(|arg| arg == "wrap");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // A mail server retries a filter that is called wrongly (75,
        // EX_TEMPFAIL) rather than bouncing the mail (clap's 2).
        Err(err) if wrapping && err.use_stderr() => {
            let _ = err.print();
            return ExitCode::from(wrap::sysexits::Sysexit::TempFail as u8);
        }
        Err(err) => err.exit(),
    };
    let result = match cli.command {
        Command::Seal(args) => seal::run(*args),
        Command::Open(args) => open::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Passphrase(args) => secret::print_generated(args.words),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "sealer", &mut script);
            terminal::write_stdout(&script)
        }
        Command::Send(args) => send::run(args),
        Command::Keygen(args) => keys::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Opener(args) => opener::run(args),
        Command::Receipt(args::ReceiptCommand::Verify(args)) => receipt::verify(args),
        Command::Wrap(args) => return as_filter(|| wrap::run(args)),
        Command::Unwrap(args) => return as_filter(|| unwrap::run(args)),
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .map_err(|err| failure::Failure::new(failure::Code::Failed, err.to_string()))
                .and_then(|()| terminal::write_stdout(&page))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("sealer: {failure}");
            failure.exit_code()
        }
    }
}

/// A reader that stops early (`sealer verify --json | head`) is not a
/// failure: what it wanted it got. Printing to a closed pipe panics in Rust
/// (it ignores SIGPIPE); such a panic ends the program quietly with 0, as
/// ripgrep does. Every other panic is reported as before.
fn quiet_broken_pipe() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        report(info);
    }));
}

/// `sealer wrap` and `unwrap`, whose every ending, even a bug's panic, is a
/// `sysexits.h` code: a panic is a failure that may pass (75), so the mail
/// server keeps the message queued.
fn as_filter(filter: impl FnOnce() -> Result<(), wrap::sysexits::GatewayFailure>) -> ExitCode {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        std::process::exit(wrap::sysexits::Sysexit::TempFail as i32);
    }));
    match filter() {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("sealer: {failure}");
            failure.exit_code()
        }
    }
}
