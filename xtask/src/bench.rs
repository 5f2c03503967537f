//! `cargo xtask bench`: our `blhost` against SPSDK's `blhost` and against the wire-time bound,
//! all measured in the same run against `devsim` over a pty.
//!
//! 1. `get-property 1` at 57600 baud (devsim paces the UART): median of N runs of ours and of
//!    SPSDK 3.12.0, next to the time the bytes need on the wire: ping 2 + ping response 10 +
//!    command frame 18 + ACK 2 + response frame 18 + ACK 2 = 52 bytes x 10 bits / 57600
//!    (frame sizes computed with provkit's own encoder).
//!    Targets: ours <= 1.15 x bound; SPSDK / ours >= 20.
//! 2. Five separate invocations, unpaced (`get-property 1`, `11`, `24`, `read-memory
//!    0x20000000 16`, `get-property 2`): median total wall time of ours and of SPSDK.
//!    Target: ours < 0.1 s.
//! 3. `write-memory` of 1 MiB at 115200 baud into the largest RAM region of an i.MX RT595
//!    (found at run time with `get-property 14`/`15`, minus the reserved regions of
//!    `get-property 12`), against the wire-time bound at the device's max packet size P
//!    (`get-property 11`): per chunk (6 + len) + ACK 2; command frame 22 + ACK 2; two generic
//!    responses of 18 + ACK 2; ping exchange 12; get-property 11 exchange 18 + 2 + 18 + 2; all x
//!    10 bits / 115200. Target: achieved fraction of the bound >= 95%.
//!
//! Each part has its own devsim (one per port link), stopped when the part ends. A missed
//! target prints `MISSED`; the exit status is non-zero only when something failed to run.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

use provkit::mboot::uart::{self, Frame};
use provkit::mboot::{Command as MbootCommand, CommandTag, Packet, Response, StatusCode};

use crate::cargo_tasks;
use crate::cmd;
use crate::demo::pseudo_random_bytes;
use crate::devsim::{Devsim, McuOptions};
use crate::setup;

/// Longest time one short blhost invocation may take.
const SHORT_TIMEOUT: Duration = Duration::from_secs(60);

/// Wire size of a UART frame, from provkit's encoder.
fn frame_len(f: &Frame) -> u64 {
    uart::encode(f).len() as u64
}

/// Wire size of a command or response frame carrying `pkt`.
fn packet_frame_len(pkt: &Packet) -> u64 {
    frame_len(&Frame::Command(pkt.encode()))
}

/// Bytes of the ping exchange (ping + ping response).
fn ping_bytes() -> u64 {
    frame_len(&Frame::Ping) + frame_len(&Frame::ping_response_p130())
}

/// Bytes of a command that answers with one response and no data phase: command frame,
/// the device's ACK, the response frame, the host's ACK.
fn exchange_bytes(cmd: &MbootCommand, resp: &Response) -> u64 {
    let ack = frame_len(&Frame::Ack);
    packet_frame_len(&cmd.to_packet()) + ack + packet_frame_len(&resp.to_packet()) + ack
}

/// Bytes on the wire for `get-property TAG` answered with one value, plus the ping.
fn get_property_wire_bytes(tag: u32) -> u64 {
    let cmd = MbootCommand::GetProperty { tag, index: 0 };
    let resp = Response::GetProperty {
        status: StatusCode::SUCCESS,
        values: vec![0],
    };
    ping_bytes() + exchange_bytes(&cmd, &resp)
}

/// The five commands of part 2.
const FIVE_COMMANDS: [&[&str]; 5] = [
    &["get-property", "1"],
    &["get-property", "11"],
    &["get-property", "24"],
    &["read-memory", "0x20000000", "16"],
    &["get-property", "2"],
];

/// Size written in part 3.
const WRITE_LEN: u64 = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Met,
    Missed,
    /// A plain measurement without a target.
    Info,
    Failed,
}

struct Row {
    part: String,
    what: String,
    value: String,
    target: String,
    verdict: Verdict,
}

impl Row {
    fn info(part: &str, what: impl Into<String>, value: impl Into<String>) -> Row {
        Row {
            part: part.to_owned(),
            what: what.into(),
            value: value.into(),
            target: String::new(),
            verdict: Verdict::Info,
        }
    }

    fn target(
        part: &str,
        what: impl Into<String>,
        value: impl Into<String>,
        target: impl Into<String>,
        met: bool,
    ) -> Row {
        Row {
            part: part.to_owned(),
            what: what.into(),
            value: value.into(),
            target: target.into(),
            verdict: if met { Verdict::Met } else { Verdict::Missed },
        }
    }
}

/// What every part needs.
struct Bench {
    blhost: PathBuf,
    spsdk_blhost: PathBuf,
    devsim: PathBuf,
    work: PathBuf,
    runs: u32,
}

/// `cargo xtask bench`.
pub fn run(runs: u32) -> Result<()> {
    let tools = setup::run()?;
    let bins = cargo_tasks::build_release("bench")?;
    let work = tempfile::Builder::new()
        .prefix("provkit-bench-")
        .tempdir()
        .context("bench: cannot create a temporary directory")?;
    let bench = Bench {
        blhost: bins.blhost,
        spsdk_blhost: tools.spsdk3.join("bin").join("blhost"),
        devsim: bins.devsim,
        work: work.path().to_path_buf(),
        runs,
    };

    type Part = fn(&Bench, &mut Vec<Row>) -> Result<()>;
    let parts: [(&str, &str, Part); 3] = [
        ("1", "get-property 1 at 57600 baud", Bench::part1),
        ("2", "five invocations, unpaced", Bench::part2),
        ("3", "write-memory 1 MiB at 115200 baud", Bench::part3),
    ];
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for (id, title, part) in parts {
        eprintln!("[xtask bench] part {id}: {title}");
        // Rows measured before a failure are kept.
        if let Err(err) = part(&bench, &mut rows) {
            eprintln!("[xtask bench] part {id} failed: {err:#}");
            rows.push(Row {
                part: id.to_owned(),
                what: format!("{title}: failed (error above)"),
                value: String::new(),
                target: String::new(),
                verdict: Verdict::Failed,
            });
            failed.push(id);
        }
    }

    println!();
    println!("provkit blhost benchmark (median of {runs} runs unless noted; devsim over a pty)");
    print!("{}", table(&rows));
    if !failed.is_empty() {
        let kept = work.keep();
        eprintln!(
            "[xtask bench] files of the failed parts (devsim logs) are kept in {}",
            kept.display()
        );
        bail!(
            "bench: part(s) {} failed to run (errors above)",
            failed.join(", ")
        );
    }
    Ok(())
}

impl Bench {
    fn start_devsim(&self, part: &str, family: &str, baud: Option<u32>) -> Result<Devsim> {
        let link = self.work.join(format!("port{part}"));
        let log = self.work.join(format!("devsim{part}.log"));
        let opts = McuOptions {
            family,
            link: &link,
            baud,
        };
        Devsim::start(&self.devsim, &opts, &log).with_context(|| format!("bench: part {part}"))
    }

    /// `blhost -p PORT ARGS` (our or SPSDK's) with output captured.
    fn blhost(&self, program: &Path, port: &str, args: &[&str]) -> Command {
        let mut c = Command::new(program);
        c.arg("-p")
            .arg(port)
            .args(args)
            .current_dir(&self.work)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// Runs a sequence of blhost commands once and returns the total wall time.
    fn sequence(
        &self,
        step: &str,
        program: &Path,
        port: &str,
        commands: &[&[&str]],
    ) -> Result<Duration> {
        let start = Instant::now();
        for args in commands {
            let mut c = self.blhost(program, port, args);
            let line = cmd::display(&c);
            let timed = cmd::run_with_timeout(step, &mut c, SHORT_TIMEOUT)?;
            cmd::check(step, &line, &timed.output)?;
        }
        Ok(start.elapsed())
    }

    /// One warm-up run (not counted), then the median of `runs` runs.
    fn median_of_runs(
        &self,
        step: &str,
        program: &Path,
        port: &str,
        commands: &[&[&str]],
    ) -> Result<Duration> {
        self.sequence(step, program, port, commands)?;
        let mut times = Vec::new();
        for _ in 0..self.runs {
            times.push(self.sequence(step, program, port, commands)?);
        }
        Ok(cmd::median(&mut times))
    }

    fn part1(&self, rows: &mut Vec<Row>) -> Result<()> {
        let baud = 57_600;
        let bound = wire_time(get_property_wire_bytes(1), baud);
        rows.push(Row::info(
            "1",
            format!(
                "wire-time bound ({} bytes x 10 bits / {baud})",
                get_property_wire_bytes(1)
            ),
            fmt_duration(bound),
        ));
        let sim = self.start_devsim("1", "lpc55s69", Some(baud))?;
        let port = format!("{},{baud}", sim.link.display());
        let cmds: [&[&str]; 1] = [&["get-property", "1"]];

        let ours = self.median_of_runs("bench: part 1 (ours)", &self.blhost, &port, &cmds)?;
        let ours_vs_bound = secs(ours) / secs(bound);
        rows.push(Row::info(
            "1",
            "ours: blhost get-property 1",
            fmt_duration(ours),
        ));
        rows.push(Row::target(
            "1",
            "ours / bound",
            format!("{ours_vs_bound:.2}x"),
            "<= 1.15x",
            ours_vs_bound <= 1.15,
        ));

        let spsdk =
            self.median_of_runs("bench: part 1 (SPSDK)", &self.spsdk_blhost, &port, &cmds)?;
        drop(sim);
        let spsdk_vs_ours = secs(spsdk) / secs(ours);
        rows.push(Row::info(
            "1",
            "SPSDK 3.12.0: blhost get-property 1",
            fmt_duration(spsdk),
        ));
        rows.push(Row::target(
            "1",
            "SPSDK / ours",
            format!("{spsdk_vs_ours:.1}x"),
            ">= 20x",
            spsdk_vs_ours >= 20.0,
        ));
        Ok(())
    }

    fn part2(&self, rows: &mut Vec<Row>) -> Result<()> {
        let sim = self.start_devsim("2", "lpc55s69", None)?;
        let port = sim.link.display().to_string();

        let ours =
            self.median_of_runs("bench: part 2 (ours)", &self.blhost, &port, &FIVE_COMMANDS)?;
        rows.push(Row::target(
            "2",
            "ours: 5 invocations, total",
            fmt_duration(ours),
            "< 100 ms",
            ours < Duration::from_millis(100),
        ));

        let spsdk = self.median_of_runs(
            "bench: part 2 (SPSDK)",
            &self.spsdk_blhost,
            &port,
            &FIVE_COMMANDS,
        )?;
        drop(sim);
        let ratio = secs(spsdk) / secs(ours);
        rows.push(Row::info(
            "2",
            "SPSDK 3.12.0: 5 invocations, total",
            fmt_duration(spsdk),
        ));
        rows.push(Row::info("2", "SPSDK / ours", format!("{ratio:.1}x")));
        Ok(())
    }

    fn part3(&self, rows: &mut Vec<Row>) -> Result<()> {
        let baud = 115_200;
        let family = "mimxrt595s";
        let sim = self.start_devsim("3", family, Some(baud))?;
        let port = format!("{},{baud}", sim.link.display());
        let step = "bench: part 3";

        let packet = *self
            .property(&port, 11, None)?
            .first()
            .ok_or_else(|| anyhow!("{step}: get-property 11 returned no value"))?;
        if packet == 0 {
            bail!("{step}: get-property 11 returned a max packet size of 0");
        }
        let address = self.pick_ram(&port)?;
        let bound = wire_time(write_memory_wire_bytes(WRITE_LEN, packet), baud);
        rows.push(Row::info(
            "3",
            format!("wire-time bound ({family}, {address:#x}, P={packet})"),
            fmt_duration(bound),
        ));

        let image = self.work.join("image-1MiB.bin");
        let len = usize::try_from(WRITE_LEN).context("1 MiB fits in usize")?;
        fs::write(&image, pseudo_random_bytes(len, 0xB1A5_7ED0_0001))
            .with_context(|| format!("{step}: cannot write {}", image.display()))?;
        let address_arg = format!("{address:#x}");
        let mut c = self.blhost(
            &self.blhost,
            &port,
            &["write-memory", &address_arg, "image-1MiB.bin"],
        );
        let line = cmd::display(&c);
        eprintln!(
            "[xtask bench] part 3: $ {line} (about {:.0} s)",
            secs(bound)
        );
        let timed = cmd::run_with_timeout(step, &mut c, bound * 3 + Duration::from_secs(60))?;
        cmd::check(step, &line, &timed.output)?;
        drop(sim);

        let fraction = secs(bound) / secs(timed.elapsed);
        rows.push(Row::info(
            "3",
            "ours: blhost write-memory 1 MiB (1 run)",
            fmt_duration(timed.elapsed),
        ));
        rows.push(Row::target(
            "3",
            "bound / ours",
            format!("{:.1}%", fraction * 100.0),
            ">= 95%",
            fraction >= 0.95,
        ));
        Ok(())
    }

    /// `blhost -j get-property TAG [INDEX]` with our blhost: the response words.
    fn property(&self, port: &str, tag: u32, index: Option<u32>) -> Result<Vec<u64>> {
        let tag_s = tag.to_string();
        let index_s = index.map(|i| i.to_string());
        let mut args = vec!["-j", "get-property", tag_s.as_str()];
        if let Some(i) = &index_s {
            args.push(i);
        }
        let mut c = self.blhost(&self.blhost, port, &args);
        let line = cmd::display(&c);
        let step = "bench: part 3 (memory map)";
        let timed = cmd::run_with_timeout(step, &mut c, SHORT_TIMEOUT)?;
        cmd::check(step, &line, &timed.output)?;
        let stdout = String::from_utf8_lossy(&timed.output.stdout);
        parse_response(&stdout)
            .with_context(|| format!("{step}: `{line}` printed {:?}", stdout.trim()))
    }

    /// The start of a 1 MiB window in the largest free part of the device's RAM regions.
    fn pick_ram(&self, port: &str) -> Result<u64> {
        let step = "bench: part 3 (memory map)";
        let mut regions: Vec<(u64, u64)> = Vec::new();
        for index in [None, Some(1), Some(2), Some(3)] {
            let (Ok(start), Ok(size)) = (
                self.property(port, 14, index),
                self.property(port, 15, index),
            ) else {
                if index.is_none() {
                    // Index 0 must work: report why it did not.
                    self.property(port, 14, None)?;
                    self.property(port, 15, None)?;
                }
                break;
            };
            let (Some(&start), Some(&size)) = (start.first(), size.first()) else {
                break;
            };
            if size == 0 || regions.contains(&(start, size)) {
                break;
            }
            regions.push((start, size));
        }
        // Reserved regions: [start, end] pairs, end inclusive. Unknown means none.
        let reserved: Vec<(u64, u64)> = self
            .property(port, 12, None)
            .map(|words| {
                words
                    .chunks_exact(2)
                    .map(|p| (p[0], p[1].saturating_add(1)))
                    .collect()
            })
            .unwrap_or_default();

        let mut best: Option<(u64, u64)> = None;
        for &(start, size) in &regions {
            for (s, e) in free_intervals(start, start.saturating_add(size), &reserved) {
                if best.is_none_or(|(bs, be)| e - s > be - bs) {
                    best = Some((s, e));
                }
            }
        }
        let Some((s, e)) = best else {
            bail!("{step}: the device reported no RAM region (get-property 14/15)");
        };
        let aligned = s.next_multiple_of(0x1000);
        let start = if aligned.saturating_add(WRITE_LEN) <= e {
            aligned
        } else {
            s
        };
        if start.saturating_add(WRITE_LEN) > e {
            bail!(
                "{step}: largest free RAM is {:#x}..{:#x} ({} KiB), less than 1 MiB \
                 (RAM regions {regions:x?}, reserved {reserved:x?})",
                s,
                e,
                (e - s) / 1024
            );
        }
        Ok(start)
    }
}

/// Bytes on the wire for `write-memory` of `len` bytes with packets of `packet` bytes,
/// including the ping and get-property 11 exchanges blhost does first (see the module doc).
fn write_memory_wire_bytes(len: u64, packet: u64) -> u64 {
    let full = len / packet;
    let rest = len % packet;
    let mut bytes = full * (6 + packet + 2);
    if rest > 0 {
        bytes += 6 + rest + 2;
    }
    let ack = frame_len(&Frame::Ack);
    let write = MbootCommand::WriteMemory {
        address: 0,
        byte_count: 0,
        memory_id: 0,
    };
    let generic = Response::Generic {
        status: StatusCode::SUCCESS,
        command: CommandTag::WRITE_MEMORY,
    };
    // Command + ACK + initial response + ACK, then the closing response + ACK.
    let fixed = exchange_bytes(&write, &generic) + packet_frame_len(&generic.to_packet()) + ack;
    bytes + fixed + get_property_wire_bytes(11)
}

/// Time `bytes` need on a UART with 10 bits per byte.
fn wire_time(bytes: u64, baud: u32) -> Duration {
    Duration::from_secs_f64(bytes as f64 * 10.0 / f64::from(baud))
}

/// `[start, end)` minus the `reserved` ranges (each `[start, end)`).
fn free_intervals(start: u64, end: u64, reserved: &[(u64, u64)]) -> Vec<(u64, u64)> {
    let mut free = vec![(start, end)];
    for &(rs, re) in reserved {
        free = free
            .into_iter()
            .flat_map(|(s, e)| {
                if re <= s || rs >= e {
                    vec![(s, e)]
                } else {
                    [(s, rs.max(s)), (re.min(e), e)]
                        .into_iter()
                        .filter(|(a, b)| a < b)
                        .collect()
                }
            })
            .collect();
    }
    free
}

/// The `response` array of SPSDK-style `blhost -j` output.
fn parse_response(stdout: &str) -> Result<Vec<u64>> {
    let json = match (stdout.find('{'), stdout.rfind('}')) {
        (Some(a), Some(b)) if a < b => &stdout[a..=b],
        _ => bail!("no JSON object in the output"),
    };
    let value: serde_json::Value =
        serde_json::from_str(json).context("output is not valid JSON")?;
    let words = value
        .get("response")
        .and_then(|r| r.as_array())
        .ok_or_else(|| anyhow!("JSON has no `response` array"))?;
    words
        .iter()
        .map(|w| {
            w.as_u64()
                .ok_or_else(|| anyhow!("response word {w} is not an unsigned integer"))
        })
        .collect()
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64().max(1e-9)
}

fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1000.0)
    }
}

fn table(rows: &[Row]) -> String {
    let header = ["part", "measurement", "result", "target", "status"];
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            let status = match r.verdict {
                Verdict::Met => "ok",
                Verdict::Missed => "MISSED",
                Verdict::Info => "",
                Verdict::Failed => "FAILED",
            };
            [
                r.part.clone(),
                r.what.clone(),
                r.value.clone(),
                r.target.clone(),
                status.to_owned(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.len());
        }
    }
    let mut out = String::new();
    let mut line = |cols: [&str; 5]| {
        let mut l = String::new();
        for (i, (c, w)) in cols.iter().zip(widths).enumerate() {
            // Numbers right-aligned, text left-aligned.
            if i == 2 {
                let _ = write!(l, "{c:>w$}  ");
            } else {
                let _ = write!(l, "{c:<w$}  ");
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line([&rule[0], &rule[1], &rule[2], &rule[3], &rule[4]]);
    for row in &cells {
        line([&row[0], &row[1], &row[2], &row[3], &row[4]]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_property_bound_is_52_bytes() {
        // 5A A6 | 5A A7 +8 | 5A A4 len crc +12 | 5A A1 | 5A A4 len crc +12 | 5A A1
        assert_eq!(get_property_wire_bytes(1), 2 + 10 + 18 + 2 + 18 + 2);
        let bound = wire_time(get_property_wire_bytes(1), 57_600);
        assert!((bound.as_secs_f64() - 520.0 / 57_600.0).abs() < 1e-9);
    }

    #[test]
    fn write_memory_bound_counts_partial_last_chunk() {
        // 1000 bytes with P = 512: one full chunk (520) + one of 488 (496), plus the write's
        // command 22 + ACK 2 + response 18 + ACK 2 + closing response 18 + ACK 2 and the
        // ping 12 + get-property 11 exchange 18 + 2 + 18 + 2.
        let fixed = 22 + 2 + 18 + 2 + 18 + 2 + 12 + 18 + 2 + 18 + 2;
        assert_eq!(write_memory_wire_bytes(1000, 512), 520 + 496 + fixed);
        assert_eq!(write_memory_wire_bytes(1024, 512), 2 * 520 + fixed);
    }

    #[test]
    fn free_intervals_cut_out_reserved_ranges() {
        let free = free_intervals(0x100, 0x1000, &[(0x0, 0x200), (0x800, 0x900)]);
        assert_eq!(free, vec![(0x200, 0x800), (0x900, 0x1000)]);
    }

    #[test]
    fn parses_spsdk_json_response() {
        let out = "{\n \"command\": \"get-property\",\n \"response\": [1258488320],\n \
                   \"status\": {\"description\": \"0 (0x0) Success.\", \"value\": 0}\n}\n";
        assert_eq!(parse_response(out).unwrap(), vec![1_258_488_320]);
    }

    #[test]
    fn median_of_even_count_averages() {
        let ms = Duration::from_millis;
        assert_eq!(
            cmd::median(&mut [ms(4), ms(1), ms(3), ms(2)]),
            Duration::from_micros(2500)
        );
        assert_eq!(cmd::median(&mut [ms(5), ms(1), ms(3)]), ms(3));
    }
}
