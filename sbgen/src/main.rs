//! `sbgen`: parse, set up logging, run, map the outcome to the exit code (0 ok, 1 failed,
//! 2 usage or input error, 3 I/O), one line on stderr on failure.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match sbgen::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    sbgen::init_tracing(cli.verbose);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let r = sbgen::run(cli, &mut out);
    let flushed = out.flush().map_err(sbgen::Failure::from_stdout);
    match r.and(flushed) {
        Ok(()) | Err(sbgen::Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("sbgen: {f}");
            ExitCode::from(f.exit_code())
        }
    }
}
