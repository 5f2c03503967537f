//! Replays SPSDK's captured UART traces against our `blhost` binary.
//!
//! Each trace in `vectors/blhost/uart_traces` (and the fault traces) is the exact byte
//! exchange between SPSDK 3.12 `blhost` and a device. A replay device on a pty answers
//! with the trace's device bytes; our binary must send the same command and data
//! frames as SPSDK (with the documented differences: one ping per session instead of
//! three per call, ACKs not compared, memory IDs not clamped to 0, a NAKed frame is
//! retransmitted) and print the same stdout.

use e2e::{bin, vector};
use provkit::mboot::Command;
use provkit::mboot::uart::{self, Decoded, Frame, FrameDecoder};
use serialport::{SerialPort, TTYPort};
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// One host frame we expect and the device bytes that answer it.
#[derive(Debug, Clone)]
struct Exchange {
    host: Frame,
    reply: Vec<u8>,
}

fn parse_trace(text: &str) -> Vec<(char, Vec<u8>)> {
    let mut out = Vec::new();
    let mut dir = None;
    for line in text.lines() {
        if let Some(c) = line.chars().next().filter(|c| *c == '>' || *c == '<') {
            dir = Some(c);
        } else if let (Some(d), true) = (dir, line.starts_with(' ')) {
            out.push((d, provkit::codec::from_hex(line).expect("trace hex")));
            dir = None;
        }
    }
    out
}

/// Builds the exchanges: ACKs dropped, repeated pings collapsed into the first.
fn exchanges(events: &[(char, Vec<u8>)]) -> Vec<Exchange> {
    let mut ex: Vec<Exchange> = Vec::new();
    let mut pinged = false;
    let mut drop_ping_response = false;
    let mut dec = FrameDecoder::new();
    for (dir, bytes) in events {
        if *dir == '>' {
            dec.push(bytes);
            while let Some(Decoded::Frame(f)) = dec.next() {
                match f {
                    Frame::Ack => {}
                    Frame::Ping if pinged => drop_ping_response = true,
                    f => {
                        pinged |= f == Frame::Ping;
                        ex.push(Exchange {
                            host: f,
                            reply: Vec::new(),
                        });
                    }
                }
            }
        } else {
            let mut b = bytes.as_slice();
            if drop_ping_response && b.len() >= 10 && b[..2] == [0x5A, 0xA7] {
                b = &b[10..];
                drop_ping_response = false;
            }
            if let Some(last) = ex.last_mut() {
                last.reply.extend_from_slice(b);
            }
        }
    }
    ex
}

/// Serves `ex` on the pty master; returns how many exchanges were completed or the
/// first mismatch.
fn serve(mut master: TTYPort, ex: Vec<Exchange>, stop: Duration) -> Result<usize, String> {
    let mut dec = FrameDecoder::new();
    let mut i = 0;
    let t0 = Instant::now();
    let mut buf = [0u8; 4096];
    master.set_timeout(Duration::from_millis(20)).unwrap();
    while t0.elapsed() < stop {
        while let Some(d) = dec.next() {
            let f = match d {
                Decoded::Frame(Frame::Ack) => continue,
                Decoded::Frame(f) => f,
                Decoded::BadCrc { .. } => return Err(format!("exchange {i}: bad CRC from host")),
            };
            let Some(e) = ex.get(i) else {
                return Err(format!("unexpected extra frame from host: {f:?}"));
            };
            if f != e.host {
                return Err(format!(
                    "exchange {i}: host sent {f:?}, SPSDK sent {:?}",
                    e.host
                ));
            }
            master.write_all(&e.reply).unwrap();
            i += 1;
        }
        match master.read(&mut buf) {
            Ok(n) if n > 0 => dec.push(&buf[..n]),
            _ => {
                if i == ex.len() && t0.elapsed() > Duration::from_millis(300) {
                    break;
                }
            }
        }
    }
    Ok(i)
}

/// Lines SPSDK writes to stderr (the captures merge both streams).
fn spsdk_stdout_only(captured: &str) -> (String, i32) {
    let mut rc = -1;
    let mut out = String::new();
    for line in captured.lines() {
        if let Some(r) = line.strip_prefix("rc=") {
            rc = r.parse().unwrap();
        } else if line.starts_with("SPSDKAppError")
            || line.starts_with("WARNING:")
            || line.starts_with("ERROR:")
            || line.starts_with("McuBootConnectionError")
            || line.starts_with("See debug log")
        {
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    (out, rc)
}

struct Case<'a> {
    trace: &'a str,
    args: &'a [&'a str],
    /// Adjusts the exchanges for a documented difference from SPSDK.
    adjust: fn(&mut Vec<Exchange>),
    /// The SPSDK capture whose stdout and exit code we must match.
    expect: &'a str,
}

fn keep(_: &mut Vec<Exchange>) {}

fn replay(case: &Case<'_>, workdir: &Path) {
    let text = std::fs::read_to_string(vector(&format!("blhost/{}.trace", case.trace))).unwrap();
    let mut ex = exchanges(&parse_trace(&text));
    (case.adjust)(&mut ex);
    let n = ex.len();
    let (master, slave) = TTYPort::pair().expect("pty pair");
    let path = slave.name().expect("pty name");
    let dev = std::thread::spawn(move || serve(master, ex, Duration::from_secs(10)));
    let port = format!("{path},115200");
    let mut args = vec!["-p", port.as_str()];
    args.extend_from_slice(case.args);
    let out = std::process::Command::new(bin("blhost"))
        .args(&args)
        .current_dir(workdir)
        .output()
        .unwrap();
    drop(slave);
    let served = dev.join().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let served = served
        .unwrap_or_else(|e| panic!("{}: {e}\nstdout:\n{stdout}\nstderr:\n{stderr}", case.trace));
    assert_eq!(
        served, n,
        "{}: host stopped after {served} of {n} exchanges; stderr: {stderr}",
        case.trace
    );
    let captured =
        std::fs::read_to_string(vector(&format!("blhost/{}.stdout", case.expect))).unwrap();
    let (want, rc) = spsdk_stdout_only(&captured);
    assert_eq!(
        stdout, want,
        "{}: stdout differs from SPSDK's (stderr: {stderr})",
        case.trace
    );
    assert_eq!(
        out.status.code(),
        Some(rc),
        "{}: exit code (stderr: {stderr})",
        case.trace
    );
    assert!(
        stderr.lines().count() <= 1,
        "{}: stderr must be one line at most: {stderr}",
        case.trace
    );
}

fn workdir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for f in ["in36.bin", "cmds.bcf"] {
        std::fs::copy(vector(&format!("blhost/uart_traces/{f}")), d.path().join(f)).unwrap();
    }
    let in80: Vec<u8> = [0x11, 0x22, 0x33, 0x44].repeat(20);
    std::fs::write(d.path().join("in80.bin"), in80).unwrap();
    d
}

macro_rules! trace_case {
    ($name:ident, $trace:expr, [$($arg:expr),*]) => {
        trace_case!($name, $trace, [$($arg),*], keep, $trace);
    };
    ($name:ident, $trace:expr, [$($arg:expr),*], $adjust:expr, $expect:expr) => {
        #[test]
        fn $name() {
            let d = workdir();
            replay(&Case { trace: $trace, args: &[$($arg),*], adjust: $adjust, expect: $expect }, d.path());
        }
    };
}

trace_case!(
    get_property_1,
    "uart_traces/get_property_1",
    ["get-property", "1"]
);
trace_case!(
    get_property_1_json,
    "uart_traces/get_property_1_json",
    ["-j", "get-property", "1"]
);
trace_case!(
    get_property_unknown,
    "uart_traces/get_property_unknown_99",
    ["get-property", "99"]
);
trace_case!(
    get_property_unknown_json,
    "uart_traces/get_property_unknown_99_json",
    ["-j", "get-property", "99"]
);
trace_case!(
    write_memory_file,
    "uart_traces/write_memory_36B",
    ["write-memory", "0x20000000", "in36.bin"]
);
trace_case!(
    write_memory_hex,
    "uart_traces/write_memory_hex",
    ["write-memory", "0x20000100", "{{01020304}}"]
);
trace_case!(
    write_memory_hex_json,
    "uart_traces/write_memory_hex_json",
    ["-j", "write-memory", "0x20000100", "{{01020304}}"]
);
trace_case!(
    read_memory,
    "uart_traces/read_memory_36B",
    ["read-memory", "0x20000000", "36"]
);
trace_case!(
    read_memory_hexdump,
    "uart_traces/read_memory_36B_hexdump",
    ["read-memory", "0x20000000", "36", "--use-hexdump"]
);
trace_case!(
    read_memory_json,
    "uart_traces/read_memory_json",
    ["-j", "read-memory", "0x20000000", "8"]
);
trace_case!(
    fill_memory,
    "uart_traces/fill_memory",
    ["fill-memory", "0x20000200", "16", "0xA5A5A5A5"]
);
trace_case!(
    flash_erase_region,
    "uart_traces/flash_erase_region",
    ["flash-erase-region", "0x10000", "0x2000"]
);
trace_case!(
    flash_erase_region_memid9_not_clamped,
    "uart_traces/flash_erase_region_memid9",
    ["flash-erase-region", "0x08000000", "0x1000", "9"],
    |ex| {
        // SPSDK rewrites memory ID 9 to 0; the ROM needs the 9, so we send it.
        for e in ex.iter_mut() {
            if let Frame::Command(p) = &e.host {
                if p[0] == 0x02 {
                    let c = Command::FlashEraseRegion {
                        address: 0x0800_0000,
                        byte_count: 0x1000,
                        memory_id: 9,
                    };
                    e.host = Frame::Command(c.to_packet().encode());
                }
            }
        }
    },
    "uart_traces/flash_erase_region_memid9"
);
trace_case!(
    flash_erase_all,
    "uart_traces/flash_erase_all",
    ["flash-erase-all"]
);
trace_case!(
    efuse_read_once,
    "uart_traces/efuse_read_once",
    ["efuse-read-once", "0x60"]
);
trace_case!(
    flash_read_once_json,
    "uart_traces/flash_read_once_json",
    ["-j", "flash-read-once", "0x60", "4"]
);
trace_case!(
    unknown_command,
    "uart_traces/unknown_cmd_call",
    ["call", "0x20000001", "0"]
);
trace_case!(reset, "uart_traces/reset", ["reset"]);
trace_case!(batch, "uart_traces/batch", ["batch", "cmds.bcf"]);
trace_case!(
    abort_write,
    "uart_fault_traces/abort_write",
    ["write-memory", "0x20000000", "in80.bin"]
);
trace_case!(
    abort_read,
    "uart_fault_traces/abort_read",
    ["read-memory", "0x20000000", "80"]
);
trace_case!(
    ping_garbage,
    "uart_fault_traces/ping_garbage",
    ["get-property", "1"]
);
trace_case!(
    nak_is_retransmitted,
    "uart_fault_traces/nak_once",
    ["-t", "1000", "get-property", "1"],
    |ex| {
        // SPSDK gives up on the NAK (exit 2); we retransmit the command, and the
        // device then answers as in the get_property_1 capture.
        let cmd = ex.last().expect("command").host.clone();
        ex.push(Exchange {
            host: cmd,
            reply: provkit::codec::from_hex(
                "5a a1 5a a4 0c 00 65 1c a7 00 00 02 00 00 00 00 00 00 03 4b",
            )
            .unwrap(),
        });
    },
    "uart_traces/get_property_1"
);

#[test]
fn no_device_fails_after_three_pings_with_exit_2() {
    let (mut master, slave) = TTYPort::pair().expect("pty pair");
    let path = slave.name().unwrap();
    let out = e2e::blhost(&[
        "-p",
        &format!("{path},115200"),
        "-t",
        "200",
        "get-property",
        "1",
    ]);
    let mut got = Vec::new();
    let mut buf = [0u8; 64];
    master.set_timeout(Duration::from_millis(50)).unwrap();
    while let Ok(n) = master.read(&mut buf) {
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("PING"), "{}", out.stderr);
    let ping = uart::encode(&Frame::Ping);
    let pings = got.windows(2).filter(|w| *w == ping.as_slice()).count();
    assert_eq!(pings, 3, "{got:02x?}");
}
