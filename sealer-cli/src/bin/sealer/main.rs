//! `sealer`: seal e-mail into a self-contained, passphrase-protected HTML
//! envelope, and open, inspect or make passphrases for envelopes.
#![forbid(unsafe_code)]

mod args;
mod failure;
mod inspect;
mod open;
mod progress;
mod seal;
mod secret;
mod terminal;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Seal(args) => seal::run(*args),
        Command::Open(args) => open::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Passphrase(args) => secret::print_generated(args.words),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "sealer", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => clap_mangen::Man::new(Cli::command())
            .render(&mut std::io::stdout())
            .map_err(|err| failure::Failure::new(failure::Code::Failed, err.to_string())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("sealer: {failure}");
            failure.exit_code()
        }
    }
}
