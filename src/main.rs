use std::process::ExitCode;

fn main() -> ExitCode {
    holdspace::cli::main()
}
