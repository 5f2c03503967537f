//! `imgmerge`: parse, set up logging, run, map the outcome to an exit code.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match imgmerge::cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    imgmerge::init_tracing(cli.verbose);
    let mut stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = imgmerge::run(
        cli,
        imgmerge::Io {
            stdin: &mut stdin,
            stdout: &mut out,
        },
    );
    let flushed = out.flush().map_err(|e| match e.kind() {
        std::io::ErrorKind::BrokenPipe => imgmerge::Failure::BrokenPipe,
        _ => imgmerge::Failure::Io(format!("cannot write stdout: {e}")),
    });
    match result.and(flushed) {
        Ok(()) | Err(imgmerge::Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(f) => {
            // One line, whatever the message holds.
            let line = f.to_string().replace(['\n', '\r'], " ");
            eprintln!("imgmerge: {line}");
            ExitCode::from(f.exit_code())
        }
    }
}
