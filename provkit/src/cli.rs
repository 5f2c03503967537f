//! Helpers every tool's `main` shares (feature `cli`): logging set-up. Library code never
//! prints; only binaries call this.

use std::io::IsTerminal;

/// Logging on stderr: warnings by default, `-v` info, `-vv` debug, `-vvv` trace; `RUST_LOG`
/// overrides. Results go to stdout, so logs never mix with them. Nothing in provkit logs
/// key material.
pub fn init_logging(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    // A second initialisation (tests calling `run` repeatedly) is not an error.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .without_time()
        .try_init();
}
