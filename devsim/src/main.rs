//! `devsim`: see `devsim --help`. Exit codes: 0 ok, 2 usage or input error, 3 pty or
//! I/O failure. Logs go to stderr; stdout carries only the ready line (or the family
//! listing).

#![forbid(unsafe_code)]

mod cli;

use clap::Parser;
use cli::{Cli, Cmd, McuArgs};
use devsim::pty::Pty;
use devsim::rom::{Interface, Rom, RomOptions};
use devsim::uart::{UartDevice, UartOptions};
use devsim::wire::{Faults, Wire, WireOptions};
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

/// A failure with its exit code.
struct Failure {
    code: u8,
    message: String,
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

fn io_failure(message: impl Into<String>) -> Failure {
    Failure {
        code: 3,
        message: message.into(),
    }
}

/// Logging on stderr (see [`provkit::cli::init_logging`]).
fn init_logging(verbose: u8) {
    provkit::cli::init_logging(verbose);
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let r = match cli.command {
        Cmd::Mcu(args) => mcu(args),
        Cmd::Families { json } => families(json),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("devsim: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn families(json: bool) -> Result<(), Failure> {
    let all = provkit::family::try_all().map_err(|e| io_failure(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    let text = if json {
        let v: Vec<serde_json::Value> = all
            .iter()
            .map(|f| {
                serde_json::json!({
                    "name": f.name,
                    "aliases": f.aliases,
                    "description": f.description,
                    "usb": format!("0x{:04X}:0x{:04X}", f.usb.vid, f.usb.pid),
                    "sb_version": f.sb_version,
                    "current_version": format!("0x{:08X}", f.current_version),
                    "available_commands": format!("0x{:08X}", f.available_commands()),
                    "flash_size": f.flash.iter().map(|r| u64::from(r.size)).sum::<u64>(),
                    "ram_size": f.ram.iter().map(|r| u64::from(r.size)).sum::<u64>(),
                    "flexspi": f.flexspi.as_ref().map(|x| format!("0x{:08X}", x.window.start)),
                    "max_packet": {"uart": f.max_packet.uart, "usb": f.max_packet.usb},
                })
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&v).map_err(|e| io_failure(e.to_string()))?;
        s.push('\n');
        s
    } else {
        let mut s = String::new();
        for f in all {
            s.push_str(&format!(
                "{:<12} {:<34} {}\n",
                f.name,
                if f.aliases.is_empty() {
                    "-".to_string()
                } else {
                    f.aliases.join(",")
                },
                f.description
            ));
        }
        s
    };
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| io_failure(format!("cannot write to stdout: {e}")))
}

fn mcu(args: McuArgs) -> Result<(), Failure> {
    let family = provkit::family::family(&args.family).ok_or_else(|| {
        usage(format!(
            "--family: unknown family {:?} (known: {})",
            args.family,
            provkit::family::names().join(", ")
        ))
    })?;
    let faults = match &args.faults {
        Some(spec) => Some(spec.parse::<Faults>().map_err(|e| usage(e.to_string()))?),
        None => None,
    };
    if !(args.time_scale.is_finite() && args.time_scale >= 0.0) {
        return Err(usage(format!(
            "--time-scale: {} is not a non-negative number",
            args.time_scale
        )));
    }
    if let Some(n) = args.max_packet {
        if !(32..=8192).contains(&n) {
            return Err(usage(format!("--max-packet: {n} is outside 32..=8192")));
        }
    }
    let dm_port = match &args.dm_listen {
        Some(_) => Some(devsim::dm::DebugPort::from_specs(family, &args.dm_opt).map_err(usage)?),
        None => None,
    };
    let opts = RomOptions {
        interface: Interface::Uart,
        max_packet: args.max_packet,
        time_scale: args.time_scale,
        seed: None,
    };
    let mut rom = Rom::new(family, opts);
    if let Some(dir) = &args.state {
        match rom.load_state(dir) {
            Ok(true) => tracing::info!("state loaded from {}", dir.display()),
            Ok(false) => tracing::info!("no state in {} yet", dir.display()),
            Err(e) => return Err(usage(format!("--state: {e:#}"))),
        }
    }
    devsim::rom::sb::apply_cli(
        &mut rom,
        args.sbkek.as_deref(),
        args.kdk_access_rights,
        args.state.clone(),
    )
    .map_err(usage)?;
    if !args.mcuboot.is_empty() {
        let m = devsim::boot::mcuboot::McuBoot::from_specs(
            family,
            &args.mcuboot,
            args.state.as_deref(),
        )
        .map_err(usage)?;
        rom.set_mcuboot(m);
    }

    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(sig, stop.clone())
            .map_err(|e| io_failure(format!("cannot install a signal handler: {e}")))?;
    }

    let mut pty = Pty::open().map_err(|e| io_failure(e.to_string()))?;
    pty.link(&args.link)
        .map_err(|e| io_failure(format!("--link: {e}")))?;
    let stream = pty.take_stream().map_err(|e| io_failure(e.to_string()))?;
    let rom = Arc::new(Mutex::new(rom));
    let dm = match (args.dm_listen.as_deref(), dm_port) {
        (Some(addr), Some(port)) => Some(
            devsim::dm::DmServer::spawn(addr, rom.clone(), port, stop.clone())
                .map_err(|e| io_failure(format!("--dm-listen {addr}: {e}")))?,
        ),
        _ => None,
    };
    let mut ready =
        serde_json::json!({"event": "ready", "port": pty.name(), "family": family.name});
    if let Some(d) = &dm {
        ready["dm"] = d.local_addr().to_string().into();
    }
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{ready}")
            .and_then(|()| out.flush())
            .map_err(|e| io_failure(format!("cannot write the ready line: {e}")))?;
    }
    tracing::info!(port = pty.name(), link = %args.link.display(), family = %family.name, "serving");
    // Power-on secure-boot check (SB3.1 families), reported after the ready line.
    rom.lock().unwrap_or_else(|e| e.into_inner()).boot_check();

    let wire = Wire::new(
        stream,
        WireOptions {
            baud: args.baud,
            faults,
        },
    );
    let mut engine = UartDevice::new(wire, rom.clone(), UartOptions::for_baud(args.baud), stop);
    let served = engine.serve();
    pty.unlink();
    if let Some(d) = dm {
        d.join();
    }

    let saved = match &args.state {
        Some(dir) => rom
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .save_state(dir)
            .map_err(|e| io_failure(format!("--state: cannot save: {e:#}"))),
        None => Ok(()),
    };
    served.map_err(|e| io_failure(format!("{}: {e}", pty.name())))?;
    saved
}
