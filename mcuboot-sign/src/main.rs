//! `mcuboot-sign`: parse, set up logging, run, map the outcome to an exit code
//! (0 ok, 1 verification failed, 2 usage or input error, 3 output error).

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = mcuboot_sign::cli::Cli::parse();
    mcuboot_sign::init_tracing(cli.verbose);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = mcuboot_sign::run(cli, &mut out);
    let flushed = out.flush();
    match (result, flushed) {
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Ok(()), Err(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        (Ok(()), Err(e)) => {
            eprintln!("mcuboot-sign: cannot write to stdout: {e}");
            ExitCode::from(3)
        }
        (Err(f), _) => {
            if !f.message.is_empty() {
                eprintln!("mcuboot-sign: {}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}
