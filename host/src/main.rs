use std::process::ExitCode;

fn main() -> ExitCode {
    myoreflex::cli::main()
}
