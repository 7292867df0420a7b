//! The `myoreflex` command line: one module per subcommand, each with its own clap `Args` and
//! `run`. Errors are printed as a one-line cause chain and give a non-zero exit.

pub mod bench;
#[cfg(feature = "mujoco")]
pub mod compare;
pub mod eval;
pub mod export;
pub mod flash;
pub mod hil;
pub mod model;
pub mod replay;
pub mod train;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Tune a neuromuscular reflex walking controller and an exoskeleton torque profile.
#[derive(Debug, Parser)]
#[command(name = "myoreflex", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Physics steps per second of the native simulator (single thread).
    Bench(bench::Args),
    /// Native simulator vs MuJoCo on the open-loop recordings (needs `--features mujoco`).
    #[cfg(feature = "mujoco")]
    Compare(compare::Args),
    /// One episode of a parameter file: cost dictionary, gait statistics, trajectory CSV, plots.
    Eval(eval::Args),
    /// Write the exo parameter blob for the firmware, or inspect one.
    Export(export::Args),
    /// Program the firmware and the exo parameter blob into a board through a debug probe, or write the image (`--dry-run --out`).
    Flash(flash::Args),
    /// Hardware in the loop: the firmware (under QEMU, or on a board over serial/RTT) drives the exo of a simulated episode.
    Hil(hil::Args),
    /// Tune the controller with CMA-ES over episodes (`--config NAME|PATH`, any config key as a flag).
    Train(train::Args),
    /// Run the reflex (and exo) controller offline on a recorded sensor log.
    Replay(replay::Args),
    /// Import MyoAssist MJCF files into the simulator's model format.
    Model(model::Args),
}

/// Runs the CLI and maps errors to a one-line message and exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse_from(crate::config::args::normalize_argv(std::env::args_os()));
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", chain(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line, separated by ": " (a cause that its error already
/// ends with is not repeated).
pub fn chain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain().map(|c| c.to_string()) {
        if out.ends_with(&cause) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&cause);
    }
    out
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Bench(a) => bench::run(a),
        #[cfg(feature = "mujoco")]
        Command::Compare(a) => compare::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Export(a) => export::run(a),
        Command::Flash(a) => flash::run(a),
        Command::Hil(a) => hil::run(a),
        Command::Train(a) => train::run(a),
        Command::Replay(a) => replay::run(a),
        Command::Model(a) => model::run(a),
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// A cause that its error's message already ends with is printed once.
    #[test]
    fn a_cause_its_error_already_prints_is_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = anyhow::Error::new(io)
            .context("x.txt: no such file")
            .context("loading");
        assert_eq!(super::chain(&e), "loading: x.txt: no such file");
        let e = anyhow::anyhow!("inner").context("outer");
        assert_eq!(super::chain(&e), "outer: inner");
    }

    /// `myoreflex --help` says what every subcommand (and theirs) is for.
    #[test]
    fn every_subcommand_has_a_summary() {
        fn check(cmd: &clap::Command, path: &str) {
            for sub in cmd.get_subcommands() {
                let name = format!("{path} {}", sub.get_name());
                let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
                assert!(
                    !about.trim().is_empty(),
                    "`{name}` has no summary in --help"
                );
                check(sub, &name);
            }
        }
        let cli = Cli::command();
        cli.clone().debug_assert();
        check(&cli, "myoreflex");
    }
}
