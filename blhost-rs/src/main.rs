//! `blhost`: parse, set up logging, run, map the outcome to SPSDK's exit codes.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match blhost_rs::cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    blhost_rs::init_tracing(cli.verbose);
    blhost_rs::install_interrupt_handler();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = blhost_rs::run(cli, &mut out, &blhost_rs::connect);
    let flushed = out.flush().map_err(blhost_rs::Failure::from_stdout);
    match result.and(flushed) {
        Ok(()) | Err(blhost_rs::Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("blhost: {f}");
            ExitCode::from(f.exit_code())
        }
    }
}
