//! `dat-tool`: see `dat-tool --help`. Exit codes: 0 ok; 1 verification or authentication
//! failed; 2 usage or input error; 3 no device, transport error or timeout.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match dat_tool::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    dat_tool::init_logging(cli.verbose);
    let mut out = std::io::stdout().lock();
    match dat_tool::run(cli, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("dat-tool: {}", f.message());
            ExitCode::from(f.code())
        }
    }
}
