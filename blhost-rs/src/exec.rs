//! Running the subcommands: each one does what SPSDK 3.12's does on the wire and prints
//! what SPSDK prints, through one [`McuBoot`] session per process (one ping).

use crate::cli::{Cli, Cmd, Endian, KeyProv, Lock, PatternFormat, Shell, TrustProv};
use crate::family::{self, Family};
use crate::input;
use crate::output::{Report, Word, format_raw_data};
use crate::{Connector, Failure};
use clap::CommandFactory;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use provkit::mboot::command::USER_KEY_TYPES;
use provkit::mboot::link::{DataAck, Link, LinkError};
use provkit::mboot::session::{DataOutcome, Error as SessionError};
use provkit::mboot::{Command, KeyProvOp, McuBoot, MemoryId, Response, SessionOptions, StatusCode};
use std::io::{IsTerminal, Read, Write};
use std::time::Duration;

/// Data phases at least this long get a progress bar (on a TTY).
const PROGRESS_MIN: usize = 4096;

/// SPSDK's key blob length (AES-128 DEK).
const KEY_BLOB_LEN: u32 = 72;

/// flash-image erases whole 1 KiB blocks around each segment.
const FLASH_IMAGE_ALIGN: u64 = 1024;

type Session = McuBoot<Box<dyn Link>>;

/// The state of one invocation.
pub(crate) struct Ctx<'a> {
    cli: &'a Cli,
    out: &'a mut dyn Write,
    connect: Connector<'a>,
    session: Option<Session>,
    json: bool,
    silent: bool,
    usb: bool,
    progress: bool,
    timeout: Duration,
}

/// A status, and the response when the device sent one (none after a timeout).
struct Answer {
    status: StatusCode,
    response: Option<Response>,
}

fn usage(msg: impl Into<String>) -> Failure {
    Failure::Usage(msg.into())
}

/// Logs SPSDK's memory ID rewrite that we do not do.
fn note_memory_id(memory_id: u32) {
    if MemoryId(memory_id).spsdk_would_clamp() {
        tracing::debug!(
            "memory ID {memory_id} is sent unchanged (SPSDK would send 0 for mapped memory)"
        );
    }
}

/// `u32::try_from(len)` for data lengths.
fn len_u32(len: usize, what: &str) -> Result<u32, Failure> {
    u32::try_from(len).map_err(|_| usage(format!("{what} is too large ({len} bytes)")))
}

/// Words of a TP sentinel frame: `op | argc << 8 | version << 16 | 0x17 << 24`, args.
fn sentinel(op: u8, args: &[u32]) -> Vec<u32> {
    let argc = args.len() as u32 & 0xFF;
    let mut v = vec![u32::from(op) | argc << 8 | 0x17 << 24];
    v.extend_from_slice(args);
    v
}

/// Python's `hex(n)`.
fn hex(n: u32) -> String {
    format!("{n:#x}")
}

/// A name from a table (case-insensitive) or a number, as SPSDK's `_parse_key_type`.
fn key_type(s: &str, table: &[(&str, u32)], what: &str) -> Result<u32, Failure> {
    if let Ok(n) = crate::cli::num_u32(s) {
        return Ok(n);
    }
    let upper = s.trim().to_ascii_uppercase();
    table
        .iter()
        .find(|(name, _)| *name == upper)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            usage(format!(
                "unknown {what} '{s}' (use a number or one of {})",
                names.join(", ")
            ))
        })
}

const OEM_KEY_TYPES: &[(&str, u32)] = &[
    ("MFWISK", 0xC3A5),
    ("ENCKEY", 0x3CA5),
    ("MFWENCK", 0xA5C3),
    ("GENSIGNK", 0x5A3C),
    ("GETCUSTMKSK", 0x3C5A),
];
const STORE_KEY_TYPES: &[(&str, u32)] = &[
    ("CKDFK", 1),
    ("HKDFK", 2),
    ("HMACK", 3),
    ("CMACK", 4),
    ("AESK", 5),
    ("KUOK", 6),
];
const KEK_IDS: &[(&str, u32)] = &[
    ("INT_SK", 0x10),
    ("EXT_SK", 0x11),
    ("NXP_CUST_KEK_INT_SK", 0x10),
    ("NXP_CUST_KEK_EXT_SK", 0x11),
];

impl<'a> Ctx<'a> {
    pub(crate) fn new(cli: &'a Cli, out: &'a mut dyn Write, connect: Connector<'a>) -> Self {
        let progress =
            !cli.json && !cli.silent && cli.verbose == 0 && std::io::stderr().is_terminal();
        Ctx {
            cli,
            out,
            connect,
            session: None,
            json: cli.json,
            silent: cli.silent,
            usb: cli.usb.is_some(),
            progress,
            timeout: Duration::from_millis(u64::from(cli.timeout)),
        }
    }

    // ----- plumbing -------------------------------------------------------------------

    /// The session, connected and pinged on first use.
    fn session(&mut self) -> Result<&mut Session, Failure> {
        if self.session.is_none() {
            let link = (self.connect)(self.cli)?;
            let opts = SessionOptions {
                timeout: self.timeout,
                max_packet: None,
                cancel: Some(crate::interrupted()),
            };
            self.session = Some(McuBoot::new(link, opts));
        }
        let Some(s) = self.session.as_mut() else {
            return Err(Failure::Other("internal error: no session".into()));
        };
        if let Err(e) = s.open() {
            let port = s.link().describe();
            return Err(Failure::Connection(format!(
                "cannot talk to the device on {port}: {e}"
            )));
        }
        Ok(s)
    }

    /// Maps a session error: a timeout is SPSDK's status 10004 (NoResponse), anything
    /// else ends the run with exit 2.
    fn lift<T>(name: &str, r: Result<T, SessionError>) -> Result<Result<T, StatusCode>, Failure> {
        match r {
            Ok(v) => Ok(Ok(v)),
            Err(SessionError::Link {
                source: LinkError::Timeout { what, ms },
                ..
            }) => {
                tracing::info!("{name}: no answer ({what}, {ms} ms): status NoResponse");
                Ok(Err(StatusCode::NO_RESPONSE))
            }
            Err(e @ SessionError::Cancelled { .. }) => Err(Failure::Other(format!("{name}: {e}"))),
            Err(e) => Err(Failure::Connection(format!("{name}: {e}"))),
        }
    }

    /// Runs a command without a data phase.
    fn command(&mut self, name: &str, cmd: &Command) -> Result<Answer, Failure> {
        let r = self.session()?.command(cmd);
        Ok(match Self::lift(name, r)? {
            Ok(resp) => Answer {
                status: resp.status(),
                response: Some(resp),
            },
            Err(status) => Answer {
                status,
                response: None,
            },
        })
    }

    fn bar(&self, label: &str, total: usize) -> Option<ProgressBar> {
        if !self.progress || total < PROGRESS_MIN {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(label.to_string());
        Some(bar)
    }

    /// Runs a command with a host-to-device data phase.
    fn write_data(
        &mut self,
        name: &str,
        label: &str,
        cmd: &Command,
        data: &[u8],
    ) -> Result<Result<DataOutcome, StatusCode>, Failure> {
        let bar = self.bar(label, data.len());
        let mut cb = |done: usize, _total: usize| {
            if let Some(b) = &bar {
                b.set_position(done as u64);
            }
        };
        let r = self.session()?.write_data(cmd, data, &mut cb);
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        Self::lift(name, r)
    }

    /// Runs a command with a device-to-host data phase.
    fn read_data(
        &mut self,
        name: &str,
        label: &str,
        cmd: &Command,
        expected: usize,
    ) -> Result<Result<DataOutcome, StatusCode>, Failure> {
        let bar = self.bar(label, expected);
        let mut cb = |done: usize, _total: usize| {
            if let Some(b) = &bar {
                b.set_position(done as u64);
            }
        };
        let r = self.session()?.read_data(cmd, &mut cb);
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        Self::lift(name, r)
    }

    /// Prints a report; a failure status ends the run with exit 1.
    fn report(&mut self, r: Report) -> Result<(), Failure> {
        r.write(self.out, self.json, self.silent)
            .map_err(Failure::from_stdout)?;
        if r.status.is_success() {
            Ok(())
        } else {
            Err(Failure::Status {
                command: r.command.to_string(),
                status: r.status,
            })
        }
    }

    fn print(&mut self, text: &str) -> Result<(), Failure> {
        self.out
            .write_all(text.as_bytes())
            .map_err(Failure::from_stdout)
    }

    /// Read data: to FILE, or as hex on stdout (also for FILE `-`).
    fn emit_data(&mut self, data: &[u8], file: Option<&str>, hexdump: bool) -> Result<(), Failure> {
        if data.is_empty() {
            return Ok(());
        }
        match file {
            Some(path) if path != "-" => write_file(path, data),
            _ => {
                let mut text = format_raw_data(data, hexdump);
                text.push('\n');
                self.print(&text)
            }
        }
    }

    /// A status-only command.
    fn simple(&mut self, name: &'static str, cmd: &Command) -> Result<(), Failure> {
        let a = self.command(name, cmd)?;
        self.report(Report::status(name, a.status))
    }

    // ----- dispatch -------------------------------------------------------------------

    /// Runs one subcommand (`in_batch`: a line of a batch file).
    pub(crate) fn exec(&mut self, cmd: &Cmd, in_batch: bool) -> Result<(), Failure> {
        if cmd.needs_device() && self.session.is_none() {
            // Fail early (exit 1) without an interface, as SPSDK.
            self.cli.interface()?;
        }
        let name = cmd.name();
        match cmd {
            Cmd::Batch { command_file } => {
                if in_batch {
                    return Err(usage("a batch file cannot run 'batch'"));
                }
                self.batch(command_file)
            }
            Cmd::Call { address, argument } => self.simple(
                name,
                &Command::Call {
                    address: *address,
                    argument: *argument,
                },
            ),
            Cmd::ConfigureMemory { memory_id, address } => self.simple(
                name,
                &Command::ConfigureMemory {
                    memory_id: *memory_id,
                    address: *address,
                },
            ),
            Cmd::EfuseProgramOnce {
                address,
                data,
                lock,
                verify,
                ..
            } => self.efuse_program_once(*address, *data, *lock, *verify),
            Cmd::EfuseReadOnce { address } => {
                let a = self.command(
                    name,
                    &Command::FlashReadOnce {
                        index: *address,
                        byte_count: 4,
                    },
                )?;
                let value = match (&a.response, a.status.is_success()) {
                    (Some(Response::FlashReadOnce { data, .. }), true) => data.first().copied(),
                    _ => None,
                };
                let response = value.map(|v| vec![Word::Int(4), Word::from(v)]);
                self.report(Report {
                    command: name,
                    response,
                    status: a.status,
                    extra: None,
                })
            }
            Cmd::EleMessage {
                cmd_msg_addr,
                cmd_msg_cnt,
                resp_msg_addr,
                resp_msg_cnt,
            } => self.simple(
                name,
                &Command::EleMessage {
                    cmd_msg_addr: *cmd_msg_addr,
                    cmd_msg_cnt: *cmd_msg_cnt,
                    resp_msg_addr: *resp_msg_addr,
                    resp_msg_cnt: *resp_msg_cnt,
                },
            ),
            Cmd::Execute {
                address,
                argument,
                stackpointer,
            } => self.simple(
                name,
                &Command::Execute {
                    address: *address,
                    argument: *argument,
                    stack_pointer: *stackpointer,
                },
            ),
            Cmd::FillMemory {
                address,
                byte_count,
                pattern,
                format,
            } => {
                let pattern = fill_pattern(*pattern, *format)?;
                self.simple(
                    name,
                    &Command::FillMemory {
                        address: *address,
                        byte_count: *byte_count,
                        pattern,
                    },
                )
            }
            Cmd::FlashEraseAll { memory_id } => self.simple(
                name,
                &Command::FlashEraseAll {
                    memory_id: *memory_id,
                },
            ),
            Cmd::FlashEraseAllUnsecure => self.simple(name, &Command::FlashEraseAllUnsecure),
            Cmd::FlashEraseRegion {
                address,
                byte_count,
                memory_id,
            } => {
                note_memory_id(*memory_id);
                self.simple(
                    name,
                    &Command::FlashEraseRegion {
                        address: *address,
                        byte_count: *byte_count,
                        memory_id: *memory_id,
                    },
                )
            }
            Cmd::FlashImage {
                file,
                erase,
                memory_id,
                base_offset,
            } => self.flash_image(file, erase, *memory_id, *base_offset),
            Cmd::FlashProgramOnce {
                index,
                byte_count,
                data,
                endianness,
            } => {
                let count: usize = if byte_count == "8" { 8 } else { 4 };
                let bytes = program_once_bytes(*data, count, *endianness)?;
                let words = bytes
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect();
                self.simple(
                    name,
                    &Command::FlashProgramOnce {
                        index: *index,
                        byte_count: count as u32,
                        data: words,
                    },
                )
            }
            Cmd::FlashReadOnce { index, byte_count } => {
                let count: u32 = if byte_count == "8" { 8 } else { 4 };
                let a = self.command(
                    name,
                    &Command::FlashReadOnce {
                        index: *index,
                        byte_count: count,
                    },
                )?;
                let response = match (&a.response, a.status.is_success()) {
                    (
                        Some(Response::FlashReadOnce {
                            byte_count, data, ..
                        }),
                        true,
                    ) => {
                        let bytes: Vec<u8> = data.iter().flat_map(|w| w.to_le_bytes()).collect();
                        let n = (*byte_count as usize).min(bytes.len());
                        let value = bytes[..n]
                            .iter()
                            .rev()
                            .take(8)
                            .fold(0u64, |acc, &b| acc << 8 | u64::from(b));
                        Some(vec![Word::Int(n as u64), Word::Int(value)])
                    }
                    _ => None,
                };
                self.report(Report {
                    command: name,
                    response,
                    status: a.status,
                    extra: None,
                })
            }
            Cmd::FlashReadResource {
                address,
                length,
                option,
                file,
                use_hexdump,
                ..
            } => {
                if length % 4 != 0 {
                    return Err(usage(
                        "the number of bytes to read is not aligned to 4 bytes",
                    ));
                }
                let option = if option == "1" { 1 } else { 0 };
                let cmd = Command::FlashReadResource {
                    address: *address,
                    byte_count: *length,
                    option,
                };
                self.read_to_output(name, &cmd, *length, file.as_deref(), *use_hexdump, false)
            }
            Cmd::FlashSecurityDisable { key } => {
                let key = backdoor_key(key)?;
                self.simple(name, &Command::FlashSecurityDisable { key })
            }
            Cmd::FuseProgram {
                address,
                data,
                memory_id,
            } => {
                let data = input::load_data_arg(data).map_err(usage)?;
                note_memory_id(*memory_id);
                let cmd = Command::FuseProgram {
                    address: *address,
                    byte_count: len_u32(data.len(), "fuse data")?,
                    memory_id: *memory_id,
                };
                self.write_and_report(name, "Programming fuses", &cmd, &data, true)
            }
            Cmd::FuseRead {
                address,
                byte_count,
                file,
                memory_id,
                use_hexdump,
                ..
            } => {
                note_memory_id(*memory_id);
                let cmd = Command::FuseRead {
                    address: *address,
                    byte_count: *byte_count,
                    memory_id: *memory_id,
                };
                self.read_to_output(
                    name,
                    &cmd,
                    *byte_count,
                    file.as_deref(),
                    *use_hexdump,
                    false,
                )
            }
            Cmd::GenerateKeyBlob {
                dek_file,
                blob_file,
                key_sel,
            } => self.generate_key_blob(dek_file, blob_file, key_sel),
            Cmd::GetFamilies { cmd_name } => {
                let text = family::families_text(cmd_name.as_deref());
                self.print(&text)
            }
            Cmd::GetProperty {
                property_tag,
                index,
                family,
            } => self.get_property(property_tag, *index, family.family.as_deref()),
            Cmd::ListMemory => {
                let text = crate::listmem::list_memory(self)?;
                self.print(&text)
            }
            Cmd::LoadImage { file } => self.load_image(file),
            Cmd::ProgramAeskey { file } => {
                let data = input::read_file(file).map_err(usage)?;
                let cmd = Command::WriteMemory {
                    address: 0,
                    byte_count: len_u32(data.len(), "key file")?,
                    memory_id: MemoryId::AES_KEY.0,
                };
                self.write_and_report(name, "Programming key", &cmd, &data, false)
            }
            Cmd::ReadMemory {
                address,
                byte_count,
                file,
                memory_id,
                use_hexdump,
                fast_mode,
                ..
            } => {
                note_memory_id(*memory_id);
                let cmd = Command::ReadMemory {
                    address: *address,
                    byte_count: *byte_count,
                    memory_id: *memory_id,
                };
                let chunked = self.usb && !*fast_mode;
                self.read_to_output(
                    name,
                    &cmd,
                    *byte_count,
                    file.as_deref(),
                    *use_hexdump,
                    chunked,
                )
            }
            Cmd::ReceiveSbFile { file, .. } => {
                let data = input::read_file(file).map_err(usage)?;
                let cmd = Command::ReceiveSbFile {
                    byte_count: len_u32(data.len(), "SB file")?,
                };
                let status = match self.write_data(name, "Sending SB file", &cmd, &data)? {
                    Ok(o) => o.status(),
                    Err(s) => s,
                };
                // SPSDK >= 3.10: a pending jump/reset after the whole file is success.
                let status = if status == StatusCode::ROMLDR_PENDING_JUMP_COMMAND
                    || status == StatusCode::ROMLDR_PENDING_RESET_COMMAND
                {
                    tracing::info!("SB file returned {status}: treated as success");
                    StatusCode::SUCCESS
                } else {
                    status
                };
                self.report(Report::status(name, status))
            }
            Cmd::ReliableUpdate { address } => {
                self.simple(name, &Command::ReliableUpdate { address: *address })
            }
            Cmd::Reset { reset_parameter } => {
                let r = self.session()?.reset(*reset_parameter);
                let status = match Self::lift(name, r)? {
                    Ok(resp) => resp.status(),
                    Err(_) => {
                        tracing::info!("no response to reset, ignoring it");
                        StatusCode::SUCCESS
                    }
                };
                self.report(Report::status(name, status))
            }
            Cmd::SetProperty {
                property_tag,
                value,
                family,
            } => {
                let fam = lookup_family(family.family.as_deref())?;
                let tag = family::parse_property(property_tag, fam).map_err(usage)?;
                if !family::is_known_tag(tag, fam) {
                    tracing::info!("Unknown property id: {tag} ({tag:#x})");
                }
                self.simple(name, &Command::SetProperty { tag, value: *value })
            }
            Cmd::UpdateLifeCycle { life_cycle } => self.simple(
                name,
                &Command::UpdateLifeCycle {
                    life_cycle: *life_cycle,
                },
            ),
            Cmd::WriteMemory {
                address,
                data,
                memory_id,
            } => {
                let data = input::load_data_arg(data).map_err(usage)?;
                note_memory_id(*memory_id);
                let cmd = Command::WriteMemory {
                    address: *address,
                    byte_count: len_u32(data.len(), "data")?,
                    memory_id: *memory_id,
                };
                self.write_and_report(name, "Writing memory", &cmd, &data, true)
            }
            Cmd::KeyProvisioning(k) => self.key_provisioning(k),
            Cmd::TrustProvisioning(t) => self.trust_provisioning(t),
            Cmd::Completions { shell } => {
                let shell = match shell {
                    Shell::Bash => clap_complete::Shell::Bash,
                    Shell::Zsh => clap_complete::Shell::Zsh,
                    Shell::Fish => clap_complete::Shell::Fish,
                    Shell::Powershell => clap_complete::Shell::PowerShell,
                    Shell::Elvish => clap_complete::Shell::Elvish,
                };
                let mut buf = Vec::new();
                clap_complete::generate(shell, &mut Cli::command(), "blhost", &mut buf);
                self.out.write_all(&buf).map_err(Failure::from_stdout)
            }
        }
    }

    // ----- commands -------------------------------------------------------------------

    fn batch(&mut self, file: &str) -> Result<(), Failure> {
        let text = if file == "-" {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| usage(format!("cannot read the batch from stdin: {e}")))?;
            s
        } else {
            let bytes = input::read_file(file).map_err(usage)?;
            String::from_utf8(bytes).map_err(|_| usage(format!("'{file}' is not UTF-8 text")))?
        };
        // Parse every line before running any, so a typo on line 9 does not leave the
        // device half-programmed.
        let mut cmds = Vec::new();
        for (no, line) in text.lines().enumerate() {
            let no = no + 1;
            let tokens = input::split_line(line).map_err(|e| usage(format!("{file}:{no}: {e}")))?;
            let Some(first) = tokens.first() else {
                continue;
            };
            if !crate::cli::is_subcommand(first) {
                return Err(usage(format!("{file}:{no}: Unknown command: {first}")));
            }
            let cmd = crate::cli::parse_batch_line(&tokens).map_err(|e| {
                let msg = e.to_string();
                let first_line = msg
                    .lines()
                    .next()
                    .unwrap_or("invalid arguments")
                    .trim_start_matches("error: ");
                usage(format!("{file}:{no}: {first_line}"))
            })?;
            if matches!(cmd, Cmd::Batch { .. }) {
                return Err(usage(format!(
                    "{file}:{no}: a batch file cannot run 'batch'"
                )));
            }
            cmds.push(cmd);
        }
        for cmd in &cmds {
            if crate::interrupted().load(std::sync::atomic::Ordering::Relaxed) {
                return Err(Failure::Other("batch interrupted (Ctrl-C)".into()));
            }
            self.exec(cmd, true)?;
        }
        Ok(())
    }

    fn efuse_program_once(
        &mut self,
        address: u32,
        data: u32,
        lock: Lock,
        verify: bool,
    ) -> Result<(), Failure> {
        let name = "efuse-program-once";
        let index = if lock == Lock::Lock {
            address | 1 << 24
        } else {
            address
        };
        let a = self.command(
            name,
            &Command::FlashProgramOnce {
                index,
                byte_count: 4,
                data: vec![data],
            },
        )?;
        let mut status = a.status;
        let mut ok = status.is_success();
        if ok && verify {
            let r = self.command(
                name,
                &Command::FlashReadOnce {
                    index: index & 0x00FF_FFFF,
                    byte_count: 4,
                },
            )?;
            status = r.status;
            let read = match (&r.response, r.status.is_success()) {
                (Some(Response::FlashReadOnce { data, .. }), true) => data.first().copied(),
                _ => None,
            };
            ok = match read {
                Some(v) if v & data == data => true,
                Some(v) => {
                    tracing::info!("read back {v:#010x}, expected the bits of {data:#010x}");
                    status = StatusCode::OTP_VERIFY_FAIL;
                    false
                }
                None => false,
            };
        }
        self.report(Report {
            command: name,
            response: Some(vec![Word::Bool(ok)]),
            status,
            extra: None,
        })
    }

    fn write_and_report(
        &mut self,
        name: &'static str,
        label: &str,
        cmd: &Command,
        data: &[u8],
        with_len: bool,
    ) -> Result<(), Failure> {
        let (status, complete) = match self.write_data(name, label, cmd, data)? {
            Ok(o) => (o.status(), o.status().is_success() && o.sent == data.len()),
            Err(s) => (s, false),
        };
        let response = if !with_len {
            Some(Vec::new())
        } else if complete {
            Some(vec![Word::Int(data.len() as u64)])
        } else {
            None
        };
        self.report(Report {
            command: name,
            response,
            status,
            extra: None,
        })
    }

    /// read-memory, fuse-read, flash-read-resource: data (to FILE or stdout) before the
    /// status block, which ends with `Read N of M bytes.`
    fn read_to_output(
        &mut self,
        name: &'static str,
        cmd: &Command,
        count: u32,
        file: Option<&str>,
        hexdump: bool,
        chunked: bool,
    ) -> Result<(), Failure> {
        let (data, status) = if chunked {
            self.read_chunked(name, cmd, count)?
        } else {
            match self.read_data(name, "Reading memory", cmd, count as usize)? {
                Ok(o) => {
                    let status = o.status();
                    let mut data = o.data;
                    data.truncate(count as usize);
                    (data, status)
                }
                Err(s) => (Vec::new(), s),
            }
        };
        self.emit_data(&data, file, hexdump)?;
        let n = data.len();
        self.report(Report {
            command: name,
            response: Some(vec![Word::Int(n as u64)]),
            status,
            extra: Some(format!("Read {n} of {count} bytes.")),
        })
    }

    /// SPSDK's USB-HID read-memory: one ReadMemory per max-packet chunk (unless
    /// `--fast-mode`). Data read before a failing chunk is kept (SPSDK drops it).
    fn read_chunked(
        &mut self,
        name: &str,
        cmd: &Command,
        count: u32,
    ) -> Result<(Vec<u8>, StatusCode), Failure> {
        let Command::ReadMemory {
            address, memory_id, ..
        } = *cmd
        else {
            return Err(Failure::Other(
                "internal error: chunked read of a non-read command".into(),
            ));
        };
        let chunk = {
            let r = self.session()?.max_packet_size();
            Self::lift(name, r)?.unwrap_or(provkit::mboot::session::DEFAULT_MAX_PACKET)
        };
        let chunk = u32::try_from(chunk.max(1)).unwrap_or(u32::MAX);
        let bar = self.bar("Reading memory", count as usize);
        let mut data = Vec::with_capacity((count as usize).min(1 << 24));
        let mut status = StatusCode::SUCCESS;
        let mut offset = 0u32;
        while offset < count {
            let len = chunk.min(count - offset);
            let part = Command::ReadMemory {
                address: address.wrapping_add(offset),
                byte_count: len,
                memory_id,
            };
            let r = self
                .session()?
                .read_data(&part, &mut provkit::mboot::NoProgress);
            match Self::lift(name, r)? {
                Ok(o) => {
                    status = o.status();
                    let got = o.data.len().min(len as usize);
                    data.extend_from_slice(&o.data[..got]);
                    if !status.is_success() || got < len as usize {
                        break;
                    }
                }
                Err(s) => {
                    status = s;
                    break;
                }
            }
            offset += len;
            if let Some(b) = &bar {
                b.set_position(u64::from(offset));
            }
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        Ok((data, status))
    }

    fn get_property(
        &mut self,
        tag_arg: &str,
        index: u32,
        family: Option<&str>,
    ) -> Result<(), Failure> {
        let name = "get-property";
        let fam = lookup_family(family)?;
        let tag = family::parse_property(tag_arg, fam).map_err(usage)?;
        if tag == 0 {
            // SPSDK prints the command's help for 0 / list-properties.
            let mut cmd = Cli::command();
            let help = cmd
                .find_subcommand_mut("get-property")
                .map(|c| c.render_long_help().to_string())
                .unwrap_or_default();
            return self.print(&help);
        }
        if !family::is_known_tag(tag, fam) {
            tracing::info!("Unknown property id: {tag} ({tag:#x})");
        }
        let a = self.command(name, &Command::GetProperty { tag, index })?;
        let values = match a.response {
            Some(Response::GetProperty { values, .. }) if a.status.is_success() => Some(values),
            Some(ref r) if a.status.is_success() => {
                return Err(Failure::Connection(format!(
                    "{name}: received an invalid get-property response: {r:?}"
                )));
            }
            _ => None,
        };
        let extra = values
            .as_ref()
            .filter(|v| !v.is_empty())
            .map(|v| family::render_property(tag, v, fam));
        let response = values.map(|v| v.into_iter().map(Word::from).collect());
        self.report(Report {
            command: name,
            response,
            status: a.status,
            extra,
        })
    }

    fn generate_key_blob(
        &mut self,
        dek_file: &str,
        blob_file: &str,
        key_sel: &str,
    ) -> Result<(), Failure> {
        let name = "generate-key-blob";
        let key_sel = match key_sel.trim().to_ascii_uppercase().as_str() {
            "0" | "OPTMK" | "OTPMK" => 0,
            "1" => 1,
            "2" | "ZMK" => 2,
            "3" | "CMK" => 3,
            other => {
                return Err(usage(format!(
                    "invalid KEY_SEL '{other}' (use 0, 1, 2, 3, OTPMK, ZMK or CMK)"
                )));
            }
        };
        let dek = input::read_file(dek_file).map_err(usage)?;
        let phase0 = Command::GenerateKeyBlob {
            key_sel,
            length: len_u32(dek.len(), "DEK")?,
            phase: 0,
        };
        let status = match self.write_data(name, "Sending DEK", &phase0, &dek)? {
            Ok(o) => o.status(),
            Err(s) => s,
        };
        let (blob, status) = if status.is_success() {
            let phase1 = Command::GenerateKeyBlob {
                key_sel,
                length: KEY_BLOB_LEN,
                phase: 1,
            };
            match self.read_data(name, "Reading key blob", &phase1, KEY_BLOB_LEN as usize)? {
                Ok(o) => {
                    let s = o.status();
                    (o.data, s)
                }
                Err(s) => (Vec::new(), s),
            }
        } else {
            (Vec::new(), status)
        };
        if !blob.is_empty() {
            write_file(blob_file, &blob)?;
        }
        let response =
            (!blob.is_empty()).then(|| vec![Word::from(status.0), Word::Int(blob.len() as u64)]);
        self.report(Report {
            command: name,
            response,
            status,
            extra: None,
        })
    }

    fn load_image(&mut self, file: &str) -> Result<(), Failure> {
        let name = "load-image";
        let data = input::read_file(file).map_err(usage)?;
        let timeout = self.timeout;
        let chunk = {
            let r = self.session()?.max_packet_size();
            Self::lift(name, r)?.unwrap_or(provkit::mboot::session::DEFAULT_MAX_PACKET)
        };
        let bar = self.bar("Loading image", data.len());
        let mut status = StatusCode::SUCCESS;
        let mut sent = 0usize;
        for c in data.chunks(chunk.max(1)) {
            let link = self.session()?.link();
            match link.send_data(c, timeout) {
                Ok(DataAck::Accepted) => sent += c.len(),
                Ok(DataAck::Aborted) => {
                    status = StatusCode::ABORT_DATA_PHASE;
                    break;
                }
                Err(LinkError::Timeout { .. }) => {
                    status = StatusCode::NO_RESPONSE;
                    break;
                }
                Err(e) => return Err(Failure::Connection(format!("{name}: {e}"))),
            }
            if let Some(b) = &bar {
                b.set_position(sent as u64);
            }
        }
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        self.report(Report::status(name, status))
    }

    fn flash_image(
        &mut self,
        file: &str,
        erase: &str,
        memory_id: u32,
        base_offset: u64,
    ) -> Result<(), Failure> {
        let name = "flash-image";
        let (do_erase, mut mem) = match erase {
            "erase" => (true, 0),
            "none" => (false, 0),
            other => match crate::cli::mem_id(other) {
                Ok(m) => (false, m),
                Err(_) => {
                    return Err(usage(format!(
                        "invalid ERASE '{other}': use 'erase', 'none' or a memory ID"
                    )));
                }
            },
        };
        if memory_id != 0 {
            mem = memory_id;
        }
        note_memory_id(mem);
        let bytes = input::read_file(file).map_err(usage)?;
        // The format as provkit::image::load detects it: content, then extension, else binary.
        let format = provkit::image::Format::detect(&bytes)
            .or_else(|| provkit::image::Format::from_extension(file))
            .unwrap_or(provkit::image::Format::Bin);
        let image = provkit::image::load_as(format, file, &bytes, Some(base_offset))
            .map_err(|e| usage(e.to_string()))?;
        let is_bin = format == provkit::image::Format::Bin;
        let mut segments: Vec<(u32, Vec<u8>)> = Vec::new();
        for seg in image.segments() {
            let addr = if is_bin {
                seg.address
            } else {
                seg.address.saturating_add(base_offset)
            };
            let end = addr.saturating_add(seg.data.len() as u64);
            if end > 1 << 32 {
                return Err(usage(format!(
                    "{file}: segment at {addr:#x} ({} bytes) is outside the 32-bit address space",
                    seg.data.len()
                )));
            }
            segments.push((addr as u32, seg.data.clone()));
        }
        if do_erase {
            for (addr, data) in &segments {
                let start = u64::from(*addr) / FLASH_IMAGE_ALIGN * FLASH_IMAGE_ALIGN;
                let end = (u64::from(*addr) + data.len() as u64).div_ceil(FLASH_IMAGE_ALIGN)
                    * FLASH_IMAGE_ALIGN;
                let cmd = Command::FlashEraseRegion {
                    address: start as u32,
                    byte_count: u32::try_from(end - start).unwrap_or(u32::MAX),
                    memory_id: mem,
                };
                let a = self.command(name, &cmd)?;
                if !a.status.is_success() {
                    return self.report(Report::status(name, a.status));
                }
            }
        }
        for (i, (addr, data)) in segments.iter().enumerate() {
            let cmd = Command::WriteMemory {
                address: *addr,
                byte_count: len_u32(data.len(), "segment")?,
                memory_id: mem,
            };
            let label = format!("Writing segment #{}", i + 1);
            let status = match self.write_data(name, &label, &cmd, data)? {
                Ok(o) => o.status(),
                Err(s) => s,
            };
            self.report(Report::status(name, status))?;
        }
        Ok(())
    }

    fn key_provisioning(&mut self, k: &KeyProv) -> Result<(), Failure> {
        let name = k.name();
        let user_types: Vec<(&str, u32)> = USER_KEY_TYPES.to_vec();
        let user_type = |s: &str| -> u32 {
            // SPSDK: a number, a name (case-insensitive), or 0xFF for anything else.
            crate::cli::num_u32(s).unwrap_or_else(|_| {
                let upper = s.trim().to_ascii_uppercase();
                user_types
                    .iter()
                    .find(|(n, _)| *n == upper)
                    .map_or(0xFF, |(_, v)| *v)
            })
        };
        match k {
            KeyProv::Enroll => self.simple(name, &Command::KeyProvisioning(KeyProvOp::Enroll)),
            KeyProv::SetUserKey {
                key_size,
                key_type,
                file,
            } => {
                let key_type = user_type(key_type);
                let key = input::load_user_key(file, *key_size).map_err(usage)?;
                let cmd = Command::KeyProvisioning(KeyProvOp::SetUserKey {
                    key_type,
                    key_size: len_u32(key.len(), "key")?,
                });
                self.write_and_report(name, "Sending key", &cmd, &key, false)
            }
            KeyProv::SetKey { key_type, key_size } => {
                let key_type = user_type(key_type);
                self.simple(
                    name,
                    &Command::KeyProvisioning(KeyProvOp::SetIntrinsicKey {
                        key_type,
                        key_size: *key_size,
                    }),
                )
            }
            KeyProv::WriteKeyNonvolatile { memory_id } => self.simple(
                name,
                &Command::KeyProvisioning(KeyProvOp::WriteNonVolatile {
                    memory_id: *memory_id,
                }),
            ),
            KeyProv::ReadKeyNonvolatile { memory_id } => self.simple(
                name,
                &Command::KeyProvisioning(KeyProvOp::ReadNonVolatile {
                    memory_id: *memory_id,
                }),
            ),
            KeyProv::WriteKeyStore { file } => {
                let (path, size) = input::split_file_and_size(file).map_err(usage)?;
                let mut data = input::read_file(path).map_err(usage)?;
                if let Some(n) = size {
                    data.truncate(n);
                }
                let cmd = Command::KeyProvisioning(KeyProvOp::WriteKeyStore {
                    size: len_u32(data.len(), "key store")?,
                });
                self.write_and_report(name, "Sending key store", &cmd, &data, false)
            }
            KeyProv::ReadKeyStore { file } => {
                let cmd = Command::KeyProvisioning(KeyProvOp::ReadKeyStore);
                let (data, status) = match self.read_data(name, "Reading key store", &cmd, 0)? {
                    Ok(o) => {
                        let s = o.status();
                        (o.data, s)
                    }
                    Err(s) => (Vec::new(), s),
                };
                if !data.is_empty() {
                    write_file(file, &data)?;
                }
                let response = (!data.is_empty()).then(|| vec![Word::Int(data.len() as u64)]);
                self.report(Report {
                    command: name,
                    response,
                    status,
                    extra: None,
                })
            }
        }
    }

    /// A TrustProvisioning (0x16) or EL2GO (0x20) command: the status and the B6 values.
    /// A trust-provisioning operation whose answer is just its status.
    fn tp_status(&mut self, name: &'static str, params: Vec<u32>) -> Result<(), Failure> {
        let (status, _) = self.tp(name, &Command::TrustProvisioning { params })?;
        self.report(Report::status(name, status))
    }

    fn tp(&mut self, name: &str, cmd: &Command) -> Result<(StatusCode, Option<Vec<u32>>), Failure> {
        let a = self.command(name, cmd)?;
        let values = match a.response {
            Some(Response::TrustProvisioning { values, .. }) => Some(values),
            _ => None,
        };
        Ok((a.status, values))
    }

    fn trust_provisioning(&mut self, t: &TrustProv) -> Result<(), Failure> {
        let name = t.name();
        let tp = |params: Vec<u32>| Command::TrustProvisioning { params };
        const OUT_OK: &str = "Output data size/value(s) is(are):\n";
        const OUT_SMALL: &str =
            "Output buffer(s) is(are) smaller than the minimum requested which is(are):\n";
        let prefix = |s: StatusCode| if s.is_success() { OUT_OK } else { OUT_SMALL };
        match t {
            TrustProv::ProveGenuinity {
                address,
                buffer_size,
            }
            | TrustProv::ProveGenuinityHybrid {
                address,
                buffer_size,
            } => {
                if *buffer_size > 0xFFFF {
                    return Err(usage("BUFFER_SIZE must be less than 0xFFFF"));
                }
                let op = if matches!(t, TrustProv::ProveGenuinity { .. }) {
                    0xF4
                } else {
                    0xF5
                };
                let args = [(address >> 32) as u32, *address as u32, *buffer_size];
                let (status, values) = self.tp(name, &tp(sentinel(op, &args)))?;
                let len = match (status.is_success(), values) {
                    (true, Some(v)) => match v.first() {
                        Some(&n) => Some(n),
                        None => {
                            return Err(Failure::Connection(format!(
                                "{name}: the response has no prove-genuinity response size"
                            )));
                        }
                    },
                    _ => None,
                };
                let extra = len
                    .filter(|&n| n != 0)
                    .map(|n| format!("TP response will be {n} bytes long."));
                self.report(Report {
                    command: name,
                    response: Some(vec![Word::from(len)]),
                    status,
                    extra,
                })
            }
            TrustProv::IspSetWrapData {
                address,
                control,
                stage,
            } => {
                let control = if *address == 0 { 2 } else { *control };
                let args = [
                    control << 8 | *stage,
                    (address >> 32) as u32,
                    *address as u32,
                ];
                let (status, _) = self.tp(name, &tp(sentinel(0xF0, &args)))?;
                self.report(Report {
                    command: name,
                    response: None,
                    status,
                    extra: None,
                })
            }
            TrustProv::OemGenMasterShare {
                oem_share_input_addr,
                oem_share_input_size,
                oem_enc_share_output_addr,
                oem_enc_share_output_size,
                oem_enc_master_share_output_addr,
                oem_enc_master_share_output_size,
                oem_cust_cert_puk_output_addr,
                oem_cust_cert_puk_output_size,
            } => {
                let cmd = tp(vec![
                    0,
                    *oem_share_input_addr,
                    *oem_share_input_size,
                    *oem_enc_share_output_addr,
                    *oem_enc_share_output_size,
                    *oem_enc_master_share_output_addr,
                    *oem_enc_master_share_output_size,
                    *oem_cust_cert_puk_output_addr,
                    *oem_cust_cert_puk_output_size,
                ]);
                let (status, values) = self.tp(name, &cmd)?;
                let extra = match values.as_deref() {
                    Some([a, b, c, ..]) => Some(format!(
                        "{}\tOEM Share size: {a} ({})\n\tOEM Master Share size: {b} ({})\n\tCust Cert Puk size: {c} ({})",
                        prefix(status),
                        hex(*a),
                        hex(*b),
                        hex(*c)
                    )),
                    _ => None,
                };
                self.report_values(name, status, values, extra)
            }
            TrustProv::OemSetMasterShare {
                oem_share_input_addr,
                oem_share_input_size,
                oem_enc_master_share_input_addr,
                oem_enc_master_share_input_size,
            } => self.tp_status(
                name,
                vec![
                    1,
                    *oem_share_input_addr,
                    *oem_share_input_size,
                    *oem_enc_master_share_input_addr,
                    *oem_enc_master_share_input_size,
                ],
            ),
            TrustProv::OemGetCustCertDicePuk {
                oem_rkth_input_addr,
                oem_rkth_input_size,
                oem_cust_cert_dice_puk_output_addr,
                oem_cust_cert_dice_puk_output_size,
            } => {
                let cmd = tp(vec![
                    2,
                    *oem_rkth_input_addr,
                    *oem_rkth_input_size,
                    *oem_cust_cert_dice_puk_output_addr,
                    *oem_cust_cert_dice_puk_output_size,
                ]);
                let (status, values) = self.tp(name, &cmd)?;
                let v = values.and_then(|v| v.first().copied());
                // SPSDK's failure prefix has no line break before the size.
                let extra = v.filter(|&n| n != 0).map(|n| {
                    let p = if status.is_success() {
                        OUT_OK
                    } else {
                        OUT_SMALL.trim_end_matches('\n')
                    };
                    format!("{p}\tCust Cert Dice Puk size: {n} ({})", hex(n))
                });
                self.report(Report {
                    command: name,
                    response: Some(vec![Word::from(v)]),
                    status,
                    extra,
                })
            }
            TrustProv::OemGetCustDiceResponse {
                challenge_addr,
                challenge_size,
                response_addr,
                response_size,
            } => {
                let cmd = tp(vec![
                    7,
                    *challenge_addr,
                    *challenge_size,
                    *response_addr,
                    *response_size,
                ]);
                let (status, values) = self.tp(name, &cmd)?;
                let v = values.and_then(|v| v.first().copied());
                let extra = v.filter(|&n| n != 0).map(|n| {
                    if status.is_success() {
                        format!("Response size: {n} ({})\n", hex(n))
                    } else {
                        "Output buffer is smaller than the minimum requested size".to_string()
                    }
                });
                self.report(Report {
                    command: name,
                    response: Some(vec![Word::from(v)]),
                    status,
                    extra,
                })
            }
            TrustProv::HsmGenKey {
                key_type,
                reserved,
                key_blob_output_addr,
                key_blob_output_size,
                ecdsa_puk_output_addr,
                ecdsa_puk_output_size,
            } => {
                let kt = self::key_type(key_type, OEM_KEY_TYPES, "OEM key type")?;
                let cmd = tp(vec![
                    3,
                    kt,
                    *reserved,
                    *key_blob_output_addr,
                    *key_blob_output_size,
                    *ecdsa_puk_output_addr,
                    *ecdsa_puk_output_size,
                ]);
                let (status, values) = self.tp(name, &cmd)?;
                let extra = match values.as_deref() {
                    Some([a, b, ..]) => Some(format!(
                        "{}\tKey Blob size: {a} ({})\n\tECDSA Puk size: {b} ({})",
                        prefix(status),
                        hex(*a),
                        hex(*b)
                    )),
                    _ => None,
                };
                self.report_values(name, status, values, extra)
            }
            TrustProv::HsmStoreKey {
                key_type,
                key_property,
                key_input_addr,
                key_input_size,
                key_blob_output_addr,
                key_blob_output_size,
            } => {
                let kt = self::key_type(key_type, STORE_KEY_TYPES, "key type")?;
                let cmd = tp(vec![
                    4,
                    kt,
                    *key_property,
                    *key_input_addr,
                    *key_input_size,
                    *key_blob_output_addr,
                    *key_blob_output_size,
                ]);
                let (status, values) = self.tp(name, &cmd)?;
                let extra = match (values.as_deref(), status.is_success()) {
                    (Some([h, s, ..]), true) => Some(format!(
                        "{OUT_OK}\tKey Header: {h} ({})\n\tKey Blob size: {s} ({})",
                        hex(*h),
                        hex(*s)
                    )),
                    _ => None,
                };
                self.report_values(name, status, values, extra)
            }
            TrustProv::HsmEncBlk {
                mfg_cust_mk_sk_0_blob_input_addr,
                mfg_cust_mk_sk_0_blob_input_size,
                kek_id,
                sb3_header_input_addr,
                sb3_header_input_size,
                block_num,
                block_data_addr,
                block_data_size,
            } => {
                let kek = key_type(kek_id, KEK_IDS, "KEK ID")?;
                self.tp_status(
                    name,
                    vec![
                        5,
                        *mfg_cust_mk_sk_0_blob_input_addr,
                        *mfg_cust_mk_sk_0_blob_input_size,
                        kek,
                        *sb3_header_input_addr,
                        *sb3_header_input_size,
                        *block_num,
                        *block_data_addr,
                        *block_data_size,
                    ],
                )
            }
            TrustProv::HsmEncSign {
                key_blob_input_addr,
                key_blob_input_size,
                block_data_input_addr,
                block_data_input_size,
                signature_output_addr,
                signature_output_size,
            } => {
                let cmd = tp(vec![
                    6,
                    *key_blob_input_addr,
                    *key_blob_input_size,
                    *block_data_input_addr,
                    *block_data_input_size,
                    *signature_output_addr,
                    *signature_output_size,
                ]);
                let (status, values) = self.tp(name, &cmd)?;
                let v = values.and_then(|v| v.first().copied());
                let extra = v
                    .filter(|&n| n != 0)
                    .map(|n| format!("{}\tSignature size: {n} ({})", prefix(status), hex(n)));
                self.report(Report {
                    command: name,
                    response: Some(vec![Word::from(v)]),
                    status,
                    extra,
                })
            }
            TrustProv::WpcGetId {
                wpc_id_blob_addr: a,
                wpc_id_blob_size: s,
            } => self.tp_status(name, vec![0x0500_0000, *a, *s]),
            TrustProv::NxpGetId {
                id_blob_addr: a,
                id_blob_size: s,
            } => self.tp_status(name, vec![0x0500_0001, *a, *s]),
            TrustProv::WpcInsertCert {
                wpc_cert_addr,
                wpc_cert_len,
                ec_id_offset,
                wpc_puk_offset,
            } => self.tp_status(
                name,
                vec![
                    0x0500_0002,
                    *wpc_cert_addr,
                    *wpc_cert_len,
                    *ec_id_offset,
                    *wpc_puk_offset,
                ],
            ),
            TrustProv::WpcSignCsr {
                csr_tbs_addr,
                csr_tbs_len,
                signature_addr,
                signature_len,
            } => self.tp_status(
                name,
                vec![
                    0x0500_0003,
                    *csr_tbs_addr,
                    *csr_tbs_len,
                    *signature_addr,
                    *signature_len,
                ],
            ),
            TrustProv::DscHsmCreateSession {
                oem_seed_input_addr,
                oem_seed_input_size,
                oem_share_output_addr,
                oem_share_output_size,
            } => self.tp_status(
                name,
                vec![
                    0x0600_0000,
                    *oem_seed_input_addr,
                    *oem_seed_input_size,
                    *oem_share_output_addr,
                    *oem_share_output_size,
                ],
            ),
            TrustProv::DscHsmEncBlk {
                sbx_header_input_addr,
                sbx_header_input_size,
                block_num,
                block_data_addr,
                block_data_size,
            } => self.tp_status(
                name,
                vec![
                    0x0600_0001,
                    *sbx_header_input_addr,
                    *sbx_header_input_size,
                    *block_num,
                    *block_data_addr,
                    *block_data_size,
                ],
            ),
            TrustProv::DscHsmEncSign {
                block_data_input_addr,
                block_data_input_size,
                signature_output_addr,
                signature_output_size,
            } => self.tp_status(
                name,
                vec![
                    0x0600_0002,
                    *block_data_input_addr,
                    *block_data_input_size,
                    *signature_output_addr,
                    *signature_output_size,
                ],
            ),
            TrustProv::El2goCloseDevice { address, dry_run } => {
                let cmd = Command::El2go {
                    params: vec![2, *address, u32::from(*dry_run)],
                };
                let (status, values) = self.tp(name, &cmd)?;
                let v = values.and_then(|v| v.first().copied());
                self.report(Report {
                    command: name,
                    response: Some(vec![Word::from(v)]),
                    status,
                    extra: None,
                })
            }
            TrustProv::El2goGetVersion => {
                let (status, values) = self.tp(name, &Command::El2go { params: vec![1] })?;
                self.report_values(name, status, values, None)
            }
            TrustProv::El2goBatchTp {
                address,
                report_address,
                dry_run,
                output,
            } => {
                let cmd = Command::El2go {
                    params: vec![3, *address, u32::from(*dry_run), *report_address],
                };
                let (status, values, data) =
                    match self.read_data(name, "Reading report", &cmd, 0)? {
                        Ok(o) => {
                            let values = match &o.first {
                                Response::TrustProvisioning { values, .. } => Some(values.clone()),
                                _ => None,
                            };
                            let s = o.status();
                            (s, values, o.data)
                        }
                        Err(s) => (s, None, Vec::new()),
                    };
                if let (Some(path), false) = (output, data.is_empty()) {
                    write_file(path, &data)?;
                }
                let extra = values.as_ref().and_then(|v| v.first()).map(|&fw| {
                    let ok = fw == 0x5A5A_5A5A;
                    format!(
                        "EL2GO status: {fw:#010x} ({}){}",
                        if ok { "success" } else { "failure" },
                        if data.is_empty() {
                            String::new()
                        } else {
                            format!("\nReport: {} bytes", data.len())
                        }
                    )
                });
                self.report_values(name, status, values, extra)
            }
        }
    }

    /// A report whose response is the B6 values list (`None` without a B6 response).
    fn report_values(
        &mut self,
        name: &'static str,
        status: StatusCode,
        values: Option<Vec<u32>>,
        extra: Option<String>,
    ) -> Result<(), Failure> {
        let response = values.map(|v| v.into_iter().map(Word::from).collect());
        self.report(Report {
            command: name,
            response,
            status,
            extra,
        })
    }

    /// For list-memory: GetProperty, `None` on a failure status (as SPSDK's
    /// `get_property` without exceptions); the status is returned too.
    pub(crate) fn property(
        &mut self,
        tag: u32,
        index: u32,
    ) -> Result<(StatusCode, Option<Vec<u32>>), Failure> {
        let a = self.command("list-memory", &Command::GetProperty { tag, index })?;
        let values = match a.response {
            Some(Response::GetProperty { values, .. }) if a.status.is_success() => Some(values),
            _ => None,
        };
        Ok((a.status, values))
    }
}

fn lookup_family(name: Option<&str>) -> Result<Option<Family>, Failure> {
    name.map(Family::lookup).transpose().map_err(usage)
}

fn write_file(path: &str, data: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, data).map_err(|e| usage(format!("cannot write '{path}': {e}")))
}

/// The 32-bit word the ROM repeats for `fill-memory PATTERN FORMAT`: byte and short
/// patterns are replicated (SPSDK sends PATTERN unchanged whatever the format).
pub fn fill_pattern(pattern: u32, format: PatternFormat) -> Result<u32, Failure> {
    match format {
        PatternFormat::Word => Ok(pattern),
        PatternFormat::Short => {
            let p = u16::try_from(pattern)
                .map_err(|_| usage(format!("pattern {pattern:#x} does not fit in a short")))?;
            Ok(u32::from(p) * 0x0001_0001)
        }
        PatternFormat::Byte => {
            let p = u8::try_from(pattern)
                .map_err(|_| usage(format!("pattern {pattern:#x} does not fit in a byte")))?;
            Ok(u32::from(p) * 0x0101_0101)
        }
    }
}

/// flash-program-once DATA as `count` bytes in the requested order.
pub fn program_once_bytes(data: u64, count: usize, order: Endian) -> Result<Vec<u8>, Failure> {
    if count < 8 && data >> (8 * count) != 0 {
        return Err(usage(format!(
            "data {data:#x} does not fit in {count} bytes"
        )));
    }
    let le = data.to_le_bytes();
    let mut bytes = le[..count].to_vec();
    if order == Endian::Msb {
        bytes.reverse();
    }
    Ok(bytes)
}

/// The 16-hex-digit backdoor key of flash-security-disable.
pub fn backdoor_key(key: &str) -> Result<[u8; 8], Failure> {
    if key.len() != 16 {
        return Err(usage("Key length must be 8 bytes (16 hex digits)"));
    }
    let bytes = provkit::codec::from_hex(key)
        .map_err(|_| usage("Key is not a valid hex-string [A-Fa-f0-9]"))?;
    <[u8; 8]>::try_from(bytes.as_slice())
        .map_err(|_| usage("Key is not a valid hex-string [A-Fa-f0-9]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_patterns_are_replicated() {
        assert_eq!(
            fill_pattern(0xAB, PatternFormat::Byte).unwrap(),
            0xABAB_ABAB
        );
        assert_eq!(
            fill_pattern(0x1234, PatternFormat::Short).unwrap(),
            0x1234_1234
        );
        assert_eq!(
            fill_pattern(0xC040_3006, PatternFormat::Word).unwrap(),
            0xC040_3006
        );
        assert!(fill_pattern(0x1FF, PatternFormat::Byte).is_err());
        assert!(fill_pattern(0x1_0000, PatternFormat::Short).is_err());
    }

    #[test]
    fn program_once_byte_order() {
        assert_eq!(
            program_once_bytes(0x0102_0304, 4, Endian::Lsb).unwrap(),
            [4, 3, 2, 1]
        );
        assert_eq!(
            program_once_bytes(0x0102_0304, 4, Endian::Msb).unwrap(),
            [1, 2, 3, 4]
        );
        assert_eq!(
            program_once_bytes(0x0102, 8, Endian::Msb).unwrap(),
            [0, 0, 0, 0, 0, 0, 1, 2]
        );
        assert!(program_once_bytes(0x1_0000_0000, 4, Endian::Lsb).is_err());
    }

    #[test]
    fn backdoor_keys() {
        assert_eq!(
            backdoor_key("0102030405060708").unwrap(),
            [1, 2, 3, 4, 5, 6, 7, 8]
        );
        assert!(backdoor_key("01020304").is_err());
        assert!(backdoor_key("zz02030405060708").is_err());
        assert!(backdoor_key("é102030405060708").is_err());
    }

    #[test]
    fn sentinel_frames() {
        assert_eq!(
            sentinel(0xF4, &[0, 0x3000_0000, 0x1000]),
            [0x1700_03F4, 0, 0x3000_0000, 0x1000]
        );
        assert_eq!(sentinel(0xF0, &[0x014B, 0, 0x2000_8000])[0], 0x1700_03F0);
    }

    #[test]
    fn key_type_names() {
        assert_eq!(key_type("mfwisk", OEM_KEY_TYPES, "x").unwrap(), 0xC3A5);
        assert_eq!(key_type("0x10", KEK_IDS, "x").unwrap(), 0x10);
        assert_eq!(key_type("ext_sk", KEK_IDS, "x").unwrap(), 0x11);
        assert!(key_type("nope", STORE_KEY_TYPES, "x").is_err());
    }
}
