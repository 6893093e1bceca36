//! `sealer`: seal e-mail into a self-contained, passphrase-protected HTML
//! envelope, and open, inspect or make passphrases for envelopes.
#![forbid(unsafe_code)]

mod args;
mod failure;
mod inspect;
mod open;
mod seal;
mod secret;
mod terminal;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Seal(args) => seal::run(*args),
        Command::Open(args) => open::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Passphrase(args) => secret::print_generated(args.words),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("sealer: {failure}");
            failure.exit_code()
        }
    }
}
