//! One test per ROM rule.

use super::*;
use proptest::prelude::*;
use provkit::family::family;
use provkit::mboot::command::KEY_TYPE_SBKEK;

fn rom(name: &str) -> Rom {
    Rom::new(family(name).unwrap(), RomOptions::instant())
}

fn send(rom: &mut Rom, c: &Command) -> (Response, Phase) {
    let r = rom.command(&c.to_packet().encode());
    (Response::from_packet(&r.packet).unwrap(), r.phase)
}

fn status(rom: &mut Rom, c: Command) -> StatusCode {
    let (r, _) = send(rom, &c);
    rom.response_delivered();
    r.status()
}

fn decode(p: &Packet) -> Response {
    Response::from_packet(p).unwrap()
}

/// write-memory with a data phase in `chunk`-byte pieces; the status that decides.
fn write(rom: &mut Rom, addr: u32, data: &[u8]) -> StatusCode {
    write_mem(rom, addr, data, 0)
}

fn write_mem(rom: &mut Rom, addr: u32, data: &[u8], memory_id: u32) -> StatusCode {
    let (r, phase) = send(
        rom,
        &Command::WriteMemory {
            address: addr,
            byte_count: data.len() as u32,
            memory_id,
        },
    );
    if !r.status().is_success() || phase == Phase::None {
        return r.status();
    }
    for c in data.chunks(56) {
        match rom.data_in(c) {
            DataIn::More => {}
            DataIn::Finished(p) | DataIn::Aborted(p) => return decode(&p).status(),
            DataIn::Unexpected => panic!("unexpected"),
        }
    }
    panic!("data phase did not finish")
}

/// read-memory; the data received and the deciding status.
fn read(rom: &mut Rom, addr: u32, len: u32) -> (Vec<u8>, StatusCode) {
    let (r, phase) = send(
        rom,
        &Command::ReadMemory {
            address: addr,
            byte_count: len,
            memory_id: 0,
        },
    );
    if !r.status().is_success() {
        assert_eq!(phase, Phase::None);
        return (Vec::new(), r.status());
    }
    let mut out = Vec::new();
    loop {
        match rom.data_out(512) {
            DataOut::Chunk(c) => out.extend(c),
            DataOut::Finished(p) | DataOut::Aborted(p) => return (out, decode(&p).status()),
            DataOut::Unexpected => panic!("unexpected"),
        }
    }
}

fn prop(rom: &mut Rom, tag: PropertyTag, index: u32) -> Result<Vec<u32>, StatusCode> {
    match send(rom, &Command::GetProperty { tag: tag.0, index }).0 {
        Response::GetProperty { status, values } if status.is_success() => Ok(values),
        Response::GetProperty { status, values } => {
            assert!(values.is_empty(), "an error carries no values");
            Err(status)
        }
        other => panic!("{other:?}"),
    }
}

fn erase(rom: &mut Rom, addr: u32, len: u32) -> StatusCode {
    status(
        rom,
        Command::FlashEraseRegion {
            address: addr,
            byte_count: len,
            memory_id: 0,
        },
    )
}

#[test]
fn flash_must_be_erased_before_programming() {
    let mut r = rom("lpc55s69");
    let page = vec![0xA5u8; 512];
    assert_eq!(write(&mut r, 0x1000, &page), StatusCode::SUCCESS);
    assert_eq!(
        write(&mut r, 0x1000, &page),
        StatusCode::MEMORY_CUMULATIVE_WRITE
    );
    assert_eq!(erase(&mut r, 0x1000, 0x200), StatusCode::SUCCESS);
    assert_eq!(r.peek(0x1000, 4).unwrap(), [0xFF; 4]);
    assert_eq!(write(&mut r, 0x1000, &page), StatusCode::SUCCESS);
}

#[test]
fn cumulative_write_aborts_the_data_phase_mid_way() {
    let mut r = rom("lpc55s69");
    assert_eq!(write(&mut r, 0x2200, &[1u8; 512]), StatusCode::SUCCESS);
    // Pages 0x2000 and 0x2200: the second is programmed already.
    let (first, _) = send(
        &mut r,
        &Command::WriteMemory {
            address: 0x2000,
            byte_count: 1024,
            memory_id: 0,
        },
    );
    assert!(first.status().is_success());
    let mut outcome = None;
    for c in [0u8; 1024].chunks(256) {
        match r.data_in(c) {
            DataIn::More => {}
            other => {
                outcome = Some(other);
                break;
            }
        }
    }
    match outcome {
        Some(DataIn::Aborted(p)) => {
            assert_eq!(decode(&p).status(), StatusCode::MEMORY_CUMULATIVE_WRITE)
        }
        other => panic!("{other:?}"),
    }
    assert!(!r.in_data_phase());
}

#[test]
fn flash_alignment_and_range_status_codes() {
    let mut r = rom("lpc55s69");
    assert_eq!(
        write(&mut r, 0x1004, &[0; 16]),
        StatusCode::FLASH_ALIGNMENT_ERROR
    );
    assert_eq!(
        erase(&mut r, 0x1001, 0x200),
        StatusCode::FLASH_ALIGNMENT_ERROR
    );
    assert_eq!(
        erase(&mut r, 0x1000, 0x201),
        StatusCode::FLASH_ALIGNMENT_ERROR
    );
    assert_eq!(
        erase(&mut r, 0x9DE00, 0x200),
        StatusCode::MEMORY_RANGE_INVALID
    );
    assert_eq!(
        erase(&mut r, 0x9DC00, 0x400),
        StatusCode::MEMORY_RANGE_INVALID
    );
    assert_eq!(erase(&mut r, 0x1234, 0), StatusCode::SUCCESS);
    assert_eq!(
        write(&mut r, 0x6000_0000, &[0; 4]),
        StatusCode::MEMORY_RANGE_INVALID
    );
    // A RAM write running past the end of RAM is refused before the data phase.
    assert_eq!(
        write(&mut r, 0x2003_FFF0, &[0; 32]),
        StatusCode::MEMORY_RANGE_INVALID
    );
    assert_eq!(
        erase(&mut r, 0x2000_0000, 0x200),
        StatusCode::MEMORY_RANGE_INVALID
    );
    // MCX N erases 8 KiB sectors.
    let mut m = rom("mcxn947");
    assert_eq!(
        erase(&mut m, 0x2000, 0x200),
        StatusCode::FLASH_ALIGNMENT_ERROR
    );
    assert_eq!(erase(&mut m, 0x2000, 0x2000), StatusCode::SUCCESS);
}

#[test]
fn partial_last_page_is_padded_with_ff() {
    let mut r = rom("lpc55s69");
    assert_eq!(write(&mut r, 0x4000, &[0x11; 10]), StatusCode::SUCCESS);
    let page = r.peek(0x4000, 512).unwrap();
    assert_eq!(&page[..10], &[0x11; 10]);
    assert!(page[10..].iter().all(|&b| b == 0xFF));
    // The page is programmed: the rest of it cannot be written without an erase.
    assert_eq!(
        write(&mut r, 0x4000, &[0x22; 512]),
        StatusCode::MEMORY_CUMULATIVE_WRITE
    );
    assert_eq!(write(&mut r, 0x4200, &[0x22; 512]), StatusCode::SUCCESS);
}

#[test]
fn blank_pages_are_unreadable_on_lpc55_and_read_ff_on_mcxn() {
    let mut r = rom("lpc55s69");
    assert_eq!(
        read(&mut r, 0x8000, 16).1,
        StatusCode::MEMORY_BLANK_PAGE_READ_DISALLOWED
    );
    assert_eq!(write(&mut r, 0x8000, &[7; 512]), StatusCode::SUCCESS);
    // The first chunk reads, the second hits the erased page: partial data + status.
    let (data, st) = read(&mut r, 0x8000, 1024);
    assert_eq!(st, StatusCode::MEMORY_BLANK_PAGE_READ_DISALLOWED);
    assert_eq!(data, vec![7; 512]);
    let mut m = rom("mcxn947");
    assert_eq!(
        read(&mut m, 0x8000, 16),
        (vec![0xFF; 16], StatusCode::SUCCESS)
    );
}

#[test]
fn read_rules_nmpa_and_read_past_end_of_ram() {
    let mut r = rom("lpc55s69");
    assert_eq!(
        read(&mut r, 0x9FC70, 16).1,
        StatusCode::FLASH_NMPA_UPDATE_NOT_ALLOWED
    );
    assert_eq!(
        read(&mut r, 0x1009_FC70, 16).1,
        StatusCode::FLASH_NMPA_UPDATE_NOT_ALLOWED
    );
    assert_eq!(
        read(&mut r, 0x5000_0FFC, 4).1,
        StatusCode::MEMORY_RANGE_INVALID
    );
    let end = 0x2004_0000u32;
    let (data, st) = read(&mut r, end - 1024, 2048);
    assert_eq!(st, StatusCode::MEMORY_RANGE_INVALID);
    assert_eq!(data.len(), 1024);
}

#[test]
fn reserved_regions_refuse_writes_but_are_reported() {
    let mut r = rom("lpc55s36");
    assert_eq!(
        prop(&mut r, PropertyTag::RESERVED_REGIONS, 0).unwrap(),
        vec![0x2000_0000, 0x2000_5FFF]
    );
    assert_eq!(
        write(&mut r, 0x2000_5FFC, &[0; 8]),
        StatusCode::MEMORY_RANGE_INVALID
    );
    assert_eq!(
        write(&mut r, 0x3000_0000, &[0; 8]),
        StatusCode::MEMORY_RANGE_INVALID
    );
    assert_eq!(write(&mut r, 0x2000_6000, &[1; 8]), StatusCode::SUCCESS);
    assert_eq!(
        status(
            &mut r,
            Command::FillMemory {
                address: 0x2000_0000,
                byte_count: 4,
                pattern: 1
            }
        ),
        StatusCode::MEMORY_RANGE_INVALID
    );
    // Reads of reserved RAM are allowed.
    assert_eq!(read(&mut r, 0x2000_0000, 4).1, StatusCode::SUCCESS);
}

#[test]
fn secure_aliases_reach_the_same_memory() {
    let mut r = rom("lpc55s69");
    assert_eq!(write(&mut r, 0x3001_0000, b"alias"), StatusCode::SUCCESS);
    assert_eq!(r.peek(0x2001_0000, 5).unwrap(), b"alias");
    assert_eq!(
        write(&mut r, 0x3003_FFFC, &[0; 8]),
        StatusCode::MEMORY_RANGE_INVALID
    );
}

#[test]
fn fuses_only_gain_bits_and_lock() {
    let mut r = rom("lpc55s36");
    let prog = |index: u32, v: u32| Command::FlashProgramOnce {
        index,
        byte_count: 4,
        data: vec![v],
    };
    assert_eq!(status(&mut r, prog(7, 0x0000_00F0)), StatusCode::SUCCESS);
    assert_eq!(status(&mut r, prog(7, 0x0000_000F)), StatusCode::SUCCESS);
    assert_eq!(r.fuse(7), Some((0xFF, false)));
    match send(
        &mut r,
        &Command::FlashReadOnce {
            index: 7,
            byte_count: 4,
        },
    )
    .0
    {
        Response::FlashReadOnce {
            status,
            byte_count,
            data,
        } => {
            assert_eq!(
                (status, byte_count, data),
                (StatusCode::SUCCESS, 4, vec![0xFF])
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        status(&mut r, prog(7 | 1 << 24, 0x100)),
        StatusCode::SUCCESS
    );
    assert_eq!(r.fuse(7), Some((0x1FF, true)));
    assert_eq!(status(&mut r, prog(7, 0x200)), StatusCode::OTP_LOCKED);
    assert_eq!(r.fuse(7), Some((0x1FF, true)));
    assert_eq!(status(&mut r, prog(10, 1)), StatusCode::OTP_INVALID_ADDRESS);
    assert_eq!(status(&mut r, prog(8, 1)), StatusCode::SUCCESS);
    let two = Command::FlashProgramOnce {
        index: 8,
        byte_count: 8,
        data: vec![2, 4],
    };
    assert_eq!(status(&mut r, two), StatusCode::SUCCESS);
    assert_eq!((r.fuse(8), r.fuse(9)), (Some((3, false)), Some((4, false))));
    assert_eq!(
        status(
            &mut r,
            Command::FlashProgramOnce {
                index: 1,
                byte_count: 3,
                data: vec![1]
            }
        ),
        StatusCode::INVALID_ARGUMENT
    );
    match send(
        &mut r,
        &Command::FlashReadOnce {
            index: 99,
            byte_count: 4,
        },
    )
    .0
    {
        Response::FlashReadOnce {
            status,
            byte_count,
            data,
        } => {
            assert_eq!(
                (status, byte_count, data.len()),
                (StatusCode::OTP_INVALID_ADDRESS, 0, 0)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn property_7_matches_the_commands_that_answer() {
    for f in provkit::family::all() {
        let mut r = Rom::new(f, RomOptions::instant());
        let mask = prop(&mut r, PropertyTag::AVAILABLE_COMMANDS, 0).unwrap()[0];
        for c in &f.commands {
            assert!(
                SUPPORTED_COMMANDS.contains(&CommandTag(*c)),
                "{}: 0x{c:02X} is not simulated",
                f.name
            );
        }
        for tag in 1u8..=0x20 {
            let listed = mask & CommandTag(tag).available_commands_bit() != 0;
            // Empty parameter lists: listed commands answer something other than 10000.
            let reply = r.command(&Packet::new(tag, 0, vec![]).encode());
            r.cancel();
            let st = Response::from_packet(&reply.packet).unwrap().status();
            assert_eq!(
                st == StatusCode::UNKNOWN_COMMAND,
                !listed,
                "{} tag 0x{tag:02X}",
                f.name
            );
            if !listed {
                assert_eq!(reply.packet.tag, 0xA0);
                assert_eq!(reply.packet.params, vec![10000, u32::from(tag)]);
            }
        }
    }
}

#[test]
fn property_25_before_and_after_configure_memory() {
    let mut r = rom("lpc55s36");
    let attrs = PropertyTag::EXTERNAL_MEMORY_ATTRIBUTES;
    assert_eq!(
        prop(&mut r, attrs, 9),
        Err(StatusCode::MEMORY_NOT_CONFIGURED)
    );
    assert_eq!(prop(&mut r, attrs, 1), Err(StatusCode::INVALID_ARGUMENT));
    assert_eq!(
        write(&mut r, 0x0800_0000, &[1, 2, 3]),
        StatusCode::MEMORY_NOT_CONFIGURED
    );
    assert_eq!(
        status(
            &mut r,
            Command::FillMemory {
                address: 0x2000_8000,
                byte_count: 4,
                pattern: 0xC040_3006
            }
        ),
        StatusCode::SUCCESS
    );
    assert_eq!(
        status(
            &mut r,
            Command::ConfigureMemory {
                memory_id: 9,
                address: 0x2000_8000
            }
        ),
        StatusCode::SUCCESS
    );
    assert_eq!(
        prop(&mut r, attrs, 9),
        Ok(vec![0x1F, 0x0800_0000, 16 * 1024, 256, 4096, 65536])
    );
    assert_eq!(write(&mut r, 0x0800_0100, &[1, 2, 3]), StatusCode::SUCCESS);
    assert_eq!(
        read(&mut r, 0x1800_0100, 4),
        (vec![1, 2, 3, 0xFF], StatusCode::SUCCESS)
    );
    // NOR programming only clears bits; with verify-writes on, a mismatch is an error.
    assert_eq!(
        write(&mut r, 0x0800_0100, &[0xFF, 0x02]),
        StatusCode::MEMORY_VERIFY_FAILED
    );
    assert_eq!(
        status(
            &mut r,
            Command::FlashEraseRegion {
                address: 0x0800_0000,
                byte_count: 0x800,
                memory_id: 9
            }
        ),
        StatusCode::FLASH_ALIGNMENT_ERROR
    );
    assert_eq!(
        status(
            &mut r,
            Command::FlashEraseRegion {
                address: 0x0800_0000,
                byte_count: 0x1000,
                memory_id: 9
            }
        ),
        StatusCode::SUCCESS
    );
    assert_eq!(read(&mut r, 0x0800_0100, 2).0, vec![0xFF, 0xFF]);
    assert_eq!(
        read(&mut r, 0x0900_0000, 4).1,
        StatusCode::MEMORY_RANGE_INVALID
    );
    // A bad configuration word is refused; a reset unconfigures.
    assert_eq!(
        status(
            &mut r,
            Command::FillMemory {
                address: 0x2000_9000,
                byte_count: 4,
                pattern: 0x1234
            }
        ),
        StatusCode::SUCCESS
    );
    assert_eq!(
        status(
            &mut r,
            Command::ConfigureMemory {
                memory_id: 9,
                address: 0x2000_9000
            }
        ),
        StatusCode::INVALID_ARGUMENT
    );
    assert_eq!(
        status(
            &mut r,
            Command::ConfigureMemory {
                memory_id: 1,
                address: 0x2000_8000
            }
        ),
        StatusCode::INVALID_ARGUMENT
    );
    r.reset();
    assert_eq!(
        prop(&mut r, attrs, 9),
        Err(StatusCode::MEMORY_NOT_CONFIGURED)
    );
    // The NOR contents survive the reset.
    assert_eq!(
        status(
            &mut r,
            Command::FillMemory {
                address: 0x2000_8000,
                byte_count: 4,
                pattern: 0xC040_3006
            }
        ),
        StatusCode::SUCCESS
    );
    assert_eq!(
        status(
            &mut r,
            Command::ConfigureMemory {
                memory_id: 9,
                address: 0x2000_8000
            }
        ),
        StatusCode::SUCCESS
    );
    assert_eq!(write(&mut r, 0x0800_2000, &[9]), StatusCode::SUCCESS);
    r.reset();
    assert_eq!(r.peek(0x0800_2000, 1), None);
}

#[test]
fn configure_memory_reads_an_fcb() {
    let mut r = rom("mcxn947");
    let mut fcb = vec![0u8; 512];
    fcb[0..4].copy_from_slice(b"FCFB");
    fcb[0x50..0x54].copy_from_slice(&0x0400_0000u32.to_le_bytes());
    fcb[0x1C0..0x1C4].copy_from_slice(&256u32.to_le_bytes());
    fcb[0x1C4..0x1C8].copy_from_slice(&4096u32.to_le_bytes());
    fcb[0x1D0..0x1D4].copy_from_slice(&0x1_0000u32.to_le_bytes());
    assert_eq!(write(&mut r, 0x2001_0000, &fcb), StatusCode::SUCCESS);
    assert_eq!(
        status(
            &mut r,
            Command::ConfigureMemory {
                memory_id: 9,
                address: 0x2001_0000
            }
        ),
        StatusCode::SUCCESS
    );
    assert_eq!(
        prop(&mut r, PropertyTag::EXTERNAL_MEMORY_ATTRIBUTES, 9),
        Ok(vec![0x1F, 0x8000_0000, 64 * 1024, 256, 4096, 65536])
    );
}

#[test]
fn reset_clears_ram_and_keeps_flash_and_fuses() {
    let mut r = rom("lpc55s36");
    assert_eq!(write(&mut r, 0x2001_0000, b"ram"), StatusCode::SUCCESS);
    assert_eq!(write(&mut r, 0x0000_2000, b"flash"), StatusCode::SUCCESS);
    assert_eq!(
        status(
            &mut r,
            Command::FlashProgramOnce {
                index: 3,
                byte_count: 4,
                data: vec![5]
            }
        ),
        StatusCode::SUCCESS
    );
    assert_eq!(
        status(&mut r, Command::SetProperty { tag: 10, value: 0 }),
        StatusCode::SUCCESS
    );
    let (resp, _) = send(&mut r, &Command::Reset { parameter: None });
    assert!(resp.status().is_success());
    assert_eq!(
        r.resets(),
        0,
        "the reset waits until the host took the answer"
    );
    assert!(r.response_delivered());
    assert_eq!(r.resets(), 1);
    assert_eq!(r.peek(0x2001_0000, 3).unwrap(), [0, 0, 0]);
    assert_eq!(r.peek(0x2000, 5).unwrap(), b"flash");
    assert_eq!(r.fuse(3), Some((5, false)));
    assert!(r.verify_writes());
}

#[test]
fn execute_jumps_then_resets_and_validates_the_address() {
    let mut r = rom("lpc55s69");
    let bad = Command::Execute {
        address: 0x6000_0000,
        argument: 0,
        stack_pointer: 0,
    };
    assert_eq!(status(&mut r, bad), StatusCode::INVALID_ARGUMENT);
    assert_eq!(write(&mut r, 0x2000_1000, b"code"), StatusCode::SUCCESS);
    let good = Command::Execute {
        address: 0x2000_1000,
        argument: 0,
        stack_pointer: 0x2000_8000,
    };
    assert_eq!(status(&mut r, good), StatusCode::SUCCESS);
    assert_eq!(r.resets(), 1);
    assert_eq!(r.peek(0x2000_1000, 4).unwrap(), [0; 4]);
    // Call is not an LPC55S69 command.
    assert_eq!(
        status(
            &mut r,
            Command::Call {
                address: 0x2000_1000,
                argument: 0
            }
        ),
        StatusCode::UNKNOWN_COMMAND
    );
}

#[test]
fn sbkek_is_stored_reversed_and_survives_reset_only_via_nv() {
    let mut r = rom("lpc55s69");
    let kp = |op| Command::KeyProvisioning(op);
    let wrap_key: Vec<u8> = (1..=32).collect();
    let sent: Vec<u8> = wrap_key.iter().rev().copied().collect();
    // Before enrollment: refused.
    let (first, phase) = send(
        &mut r,
        &kp(KeyProvOp::SetUserKey {
            key_type: KEY_TYPE_SBKEK,
            key_size: 32,
        }),
    );
    assert_eq!((first.status(), phase), (StatusCode::FAIL, Phase::None));
    assert_eq!(status(&mut r, kp(KeyProvOp::Enroll)), StatusCode::SUCCESS);
    let (first, phase) = send(
        &mut r,
        &kp(KeyProvOp::SetUserKey {
            key_type: KEY_TYPE_SBKEK,
            key_size: 32,
        }),
    );
    assert_eq!(first.tag(), ResponseTag::KEY_PROVISIONING);
    assert_eq!(
        (first.status(), phase),
        (StatusCode::SUCCESS, Phase::FromHost { byte_count: 32 })
    );
    assert_eq!(r.data_in(&sent[..16]), DataIn::More);
    match r.data_in(&sent[16..]) {
        DataIn::Finished(p) => assert_eq!(
            decode(&p),
            Response::Generic {
                status: StatusCode::SUCCESS,
                command: CommandTag::KEY_PROVISIONING
            }
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(r.sbkek().unwrap(), wrap_key);
    assert_eq!(
        r.key_store().unwrap().key(KEY_TYPE_SBKEK).unwrap(),
        sent.as_slice()
    );
    // Key store read-out.
    let (first, phase) = send(&mut r, &kp(KeyProvOp::ReadKeyStore));
    assert_eq!(
        (first.status(), phase),
        (StatusCode::SUCCESS, Phase::ToHost { byte_count: 1424 })
    );
    let mut blob = Vec::new();
    while let DataOut::Chunk(c) = r.data_out(56) {
        blob.extend(c);
    }
    assert_eq!(blob.len(), 1424);
    // Without a non-volatile copy, a reset loses the keys.
    r.reset();
    assert!(r.sbkek().is_none());
    assert!(!r.key_store().unwrap().enrolled());
    // Write the blob back, store it non-volatile, reset: the keys come back.
    let (first, _) = send(&mut r, &kp(KeyProvOp::WriteKeyStore { size: 1424 }));
    assert!(first.status().is_success());
    for c in blob.chunks(500) {
        let _ = r.data_in(c);
    }
    assert_eq!(r.sbkek().unwrap(), wrap_key);
    assert_eq!(
        status(&mut r, kp(KeyProvOp::WriteNonVolatile { memory_id: 0 })),
        StatusCode::SUCCESS
    );
    assert_eq!(r.peek(0x9E600, 4).unwrap(), b"PKKS");
    r.reset();
    assert_eq!(r.sbkek().unwrap(), wrap_key);
    assert_eq!(
        status(&mut r, kp(KeyProvOp::WriteNonVolatile { memory_id: 5 })),
        StatusCode::INVALID_ARGUMENT
    );
    assert_eq!(
        status(&mut r, kp(KeyProvOp::ReadNonVolatile { memory_id: 0 })),
        StatusCode::SUCCESS
    );
    assert_eq!(
        status(
            &mut r,
            kp(KeyProvOp::SetIntrinsicKey {
                key_type: 11,
                key_size: 32
            })
        ),
        StatusCode::SUCCESS
    );
    assert_eq!(r.key_store().unwrap().key(11).unwrap().len(), 32);
    let (bad, _) = send(
        &mut r,
        &kp(KeyProvOp::SetUserKey {
            key_type: 99,
            key_size: 32,
        }),
    );
    assert_eq!(bad.status(), StatusCode::INVALID_ARGUMENT);
}

#[test]
fn properties_answer_as_the_reference_says() {
    let mut r = rom("lpc55s69");
    assert_eq!(
        prop(&mut r, PropertyTag::CURRENT_VERSION, 0),
        Ok(vec![0x4B03_0000])
    );
    assert_eq!(prop(&mut r, PropertyTag::MAX_PACKET_SIZE, 0), Ok(vec![512]));
    assert_eq!(prop(&mut r, PropertyTag::FLASH_SIZE, 0), Ok(vec![0x9DE00]));
    assert_eq!(
        prop(&mut r, PropertyTag::FLASH_SIZE, 3),
        Ok(vec![0x9DE00]),
        "index ignored past the last region"
    );
    assert_eq!(
        prop(&mut r, PropertyTag::RAM_START_ADDRESS, 0),
        Ok(vec![0x2000_0000])
    );
    assert_eq!(
        prop(&mut r, PropertyTag::UNIQUE_DEVICE_IDENT, 0)
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        prop(&mut r, PropertyTag(99), 0),
        Err(StatusCode::UNKNOWN_PROPERTY)
    );
    assert_eq!(
        prop(&mut r, PropertyTag::EXTERNAL_MEMORY_ATTRIBUTES, 9),
        Err(StatusCode::INVALID_ARGUMENT)
    );
    assert_eq!(
        status(&mut r, Command::SetProperty { tag: 1, value: 0 }),
        StatusCode::READ_ONLY_PROPERTY
    );
    assert_eq!(
        status(&mut r, Command::SetProperty { tag: 99, value: 0 }),
        StatusCode::UNKNOWN_PROPERTY
    );
    assert_eq!(
        status(&mut r, Command::SetProperty { tag: 10, value: 2 }),
        StatusCode::INVALID_PROPERTY_VALUE
    );
    assert_eq!(
        status(&mut r, Command::SetProperty { tag: 10, value: 0 }),
        StatusCode::SUCCESS
    );
    assert_eq!(prop(&mut r, PropertyTag::VERIFY_WRITES, 0), Ok(vec![0]));
    assert_eq!(
        status(&mut r, Command::SetProperty { tag: 29, value: 1 }),
        StatusCode::SUCCESS
    );
    let pkt = r
        .command(
            &Command::GetProperty { tag: 99, index: 0 }
                .to_packet()
                .encode(),
        )
        .packet;
    assert_eq!(pkt.encode(), [0xA7, 0, 0, 1, 0x3C, 0x28, 0, 0]);
    let mut usb = Rom::new(
        family("lpc55s69").unwrap(),
        RomOptions {
            interface: Interface::Usb,
            ..RomOptions::instant()
        },
    );
    assert_eq!(
        prop(&mut usb, PropertyTag::MAX_PACKET_SIZE, 0),
        Ok(vec![56])
    );
    let mut over = Rom::new(
        family("lpc55s69").unwrap(),
        RomOptions {
            max_packet: Some(32),
            ..RomOptions::instant()
        },
    );
    assert_eq!(
        prop(&mut over, PropertyTag::MAX_PACKET_SIZE, 0),
        Ok(vec![32])
    );
    let mut rw = rom("rw612");
    assert_eq!(
        prop(&mut rw, PropertyTag::FLASH_SIZE, 0),
        Err(StatusCode::UNKNOWN_PROPERTY)
    );
    assert_eq!(
        status(&mut rw, Command::FlashEraseAll { memory_id: 0 }),
        StatusCode::INVALID_ARGUMENT
    );
}

#[test]
fn cfpa_versions_grow_and_promote_on_reset_cmpa_seals() {
    let mut r = rom("lpc55s69");
    let cfpa = |v: u32| {
        let mut p = vec![0u8; 512];
        p[4..8].copy_from_slice(&v.to_le_bytes());
        p[8] = 0xAB;
        p
    };
    assert_eq!(
        write(&mut r, 0x9DE00, &cfpa(0)),
        StatusCode::FLASH_CFPA_VERSION_ROLLBACK_DISALLOWED
    );
    assert_eq!(write(&mut r, 0x9DE00, &cfpa(2)), StatusCode::SUCCESS);
    assert_eq!(
        write(&mut r, 0x9DE00, &cfpa(2)[..256]),
        StatusCode::FLASH_ALIGNMENT_ERROR
    );
    assert_eq!(
        write(&mut r, 0x9E000, &cfpa(3)),
        StatusCode::MEMORY_RANGE_INVALID
    );
    assert_eq!(r.peek(0x9E008, 1).unwrap(), [0]);
    r.reset();
    assert_eq!(r.peek(0x9E000, 9).unwrap()[4..], [2, 0, 0, 0, 0xAB]);
    assert_eq!(
        write(&mut r, 0x9DE00, &cfpa(2)),
        StatusCode::FLASH_CFPA_VERSION_ROLLBACK_DISALLOWED
    );
    assert_eq!(read(&mut r, 0x9E000, 512).1, StatusCode::SUCCESS);
    // CMPA: writable until sealed.
    let mut cmpa = vec![0u8; 512];
    cmpa[0] = 1;
    assert_eq!(write(&mut r, 0x9E400, &cmpa), StatusCode::SUCCESS);
    cmpa[480..].fill(0x5A);
    assert_eq!(write(&mut r, 0x9E400, &cmpa), StatusCode::SUCCESS);
    assert_eq!(
        write(&mut r, 0x9E400, &[0u8; 512]),
        StatusCode::FLASH_SEALED_PFR_REGION
    );
}

#[test]
fn receive_sb_file_refuses_the_capsule_after_its_header() {
    let mut r = rom("lpc55s36");
    let (first, phase) = send(&mut r, &Command::ReceiveSbFile { byte_count: 4096 });
    assert_eq!(
        (first.status(), phase),
        (StatusCode::SUCCESS, Phase::FromHost { byte_count: 4096 })
    );
    assert_eq!(r.data_in(&[0u8; 32]), DataIn::More);
    match r.data_in(&[0u8; 32]) {
        DataIn::Aborted(p) => assert_eq!(
            decode(&p),
            Response::Generic {
                status: StatusCode::ROMLDR_SIGNATURE,
                command: CommandTag::RECEIVE_SB_FILE
            }
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        status(&mut r, Command::ReceiveSbFile { byte_count: 0 }),
        StatusCode::INVALID_ARGUMENT
    );
}

#[test]
fn trust_provisioning_answers_unknown_tp_command_or_10000() {
    let mut r = rom("lpc55s36");
    let (resp, _) = send(
        &mut r,
        &Command::TrustProvisioning {
            params: vec![0x1700_03F4, 0, 0x3000_0000, 0x1000],
        },
    );
    assert_eq!(resp.tag(), ResponseTag::TRUST_PROVISIONING);
    assert_eq!(resp.status(), StatusCode::TP_UNKNOWN_COMMAND);
    let mut s69 = rom("lpc55s69");
    assert_eq!(
        status(&mut s69, Command::TrustProvisioning { params: vec![0] }),
        StatusCode::UNKNOWN_COMMAND
    );
}

#[test]
fn host_abort_and_new_command_end_data_phases() {
    let mut r = rom("lpc55s69");
    let (_, phase) = send(
        &mut r,
        &Command::WriteMemory {
            address: 0x2000_0000,
            byte_count: 100,
            memory_id: 0,
        },
    );
    assert_eq!(phase, Phase::FromHost { byte_count: 100 });
    assert_eq!(
        decode(&r.host_abort().unwrap()).status(),
        StatusCode::ABORT_DATA_PHASE
    );
    assert_eq!(r.data_in(&[1]), DataIn::Unexpected);
    let _ = send(
        &mut r,
        &Command::ReadMemory {
            address: 0x2000_0000,
            byte_count: 100,
            memory_id: 0,
        },
    );
    assert!(r.in_data_phase());
    let _ = send(&mut r, &Command::GetProperty { tag: 1, index: 0 });
    assert!(!r.in_data_phase());
    assert_eq!(r.data_out(10), DataOut::Unexpected);
}

#[test]
fn memory_ids_and_malformed_packets() {
    let mut r = rom("lpc55s69");
    assert_eq!(
        write_mem(&mut r, 0x2000_0000, &[1], 9),
        StatusCode::INVALID_ARGUMENT
    );
    assert_eq!(
        status(&mut r, Command::FlashEraseAll { memory_id: 9 }),
        StatusCode::INVALID_ARGUMENT
    );
    let reply = r.command(&[0x07, 0, 0, 2, 1, 0]);
    assert_eq!(reply.packet.params, vec![4, 7]);
    let reply = r.command(&[]);
    assert_eq!(reply.packet.params, vec![4, 0]);
    // Write memory with one parameter is refused (needs address and length).
    let reply = r.command(&Packet::new(0x04, 1, vec![0x2000_0000]).encode());
    assert_eq!(reply.packet.params, vec![4, 4]);
    let mut n = rom("lpc55s36");
    assert_eq!(
        write_mem(&mut n, 0x0800_0000, &[1], 9),
        StatusCode::MEMORY_NOT_CONFIGURED
    );
}

#[test]
fn timing_model_scales() {
    let f = family("lpc55s69").unwrap();
    let mut slow = Rom::new(
        f,
        RomOptions {
            time_scale: 1.0,
            ..RomOptions::instant()
        },
    );
    assert_eq!(erase(&mut slow, 0, 0x8000), StatusCode::SUCCESS);
    assert_eq!(slow.take_busy(), Duration::from_millis(64 * 2));
    assert_eq!(slow.take_busy(), Duration::ZERO);
    let mut fast = rom("lpc55s69");
    assert_eq!(erase(&mut fast, 0, 0x8000), StatusCode::SUCCESS);
    assert_eq!(fast.take_busy(), Duration::ZERO);
}

#[test]
fn state_round_trips_through_a_directory() {
    let dir = std::env::temp_dir().join(format!(
        "devsim-state-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let mut r = rom("lpc55s36");
    assert_eq!(write(&mut r, 0x4000, b"persist"), StatusCode::SUCCESS);
    assert_eq!(
        write(&mut r, 0x2000_8000, &0xC040_3006u32.to_le_bytes()),
        StatusCode::SUCCESS
    );
    assert_eq!(
        status(
            &mut r,
            Command::ConfigureMemory {
                memory_id: 9,
                address: 0x2000_8000
            }
        ),
        StatusCode::SUCCESS
    );
    assert_eq!(write(&mut r, 0x0801_0000, b"nor"), StatusCode::SUCCESS);
    assert_eq!(
        status(
            &mut r,
            Command::FlashProgramOnce {
                index: 2 | 1 << 24,
                byte_count: 4,
                data: vec![0x55]
            }
        ),
        StatusCode::SUCCESS
    );
    r.save_state(&dir).unwrap();
    let mut back = rom("lpc55s36");
    assert!(back.load_state(&dir).unwrap());
    assert_eq!(back.peek(0x4000, 7).unwrap(), b"persist");
    assert_eq!(
        write(&mut back, 0x4000, b"again"),
        StatusCode::MEMORY_CUMULATIVE_WRITE
    );
    assert_eq!(back.fuse(2), Some((0x55, true)));
    assert_eq!(
        back.peek(0x2000_8000, 4).unwrap(),
        [0; 4],
        "RAM is not saved"
    );
    back.configure_for_test();
    assert_eq!(back.peek(0x0801_0000, 3).unwrap(), b"nor");
    let mut other = rom("lpc55s69");
    assert!(other.load_state(&dir).is_err());
    assert!(!rom("lpc55s36").load_state(&dir.join("missing")).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

impl Rom {
    fn configure_for_test(&mut self) {
        let g = self.family.flexspi.as_ref().map(|x| NorGeometry {
            size: x.default_size,
            page_size: x.page_size,
            sector_size: x.sector_size,
            block_size: x.block_size,
        });
        if let Some(g) = g {
            self.mem.configure_nor(g);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_never_panic(
        packet in proptest::collection::vec(any::<u8>(), 0..48),
        chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..600), 0..4),
        fam in 0usize..5,
    ) {
        let f = &provkit::family::all()[fam];
        let mut r = Rom::new(f, RomOptions::instant());
        let _ = r.command(&packet);
        for c in &chunks {
            let _ = r.data_in(c);
            let _ = r.data_out(c.len());
        }
        let _ = r.host_abort();
        r.response_delivered();
    }

    #[test]
    fn typed_commands_with_any_parameters_never_panic(
        tag in 1u8..=0x20,
        params in proptest::collection::vec(any::<u32>(), 0..10),
        data in proptest::collection::vec(any::<u8>(), 0..2000),
        fam in 0usize..5,
    ) {
        let f = &provkit::family::all()[fam];
        let mut r = Rom::new(f, RomOptions::instant());
        // Make FlexSPI usable so its paths run too.
        r.configure_for_test();
        let reply = r.command(&Packet::new(tag, 0, params).encode());
        match reply.phase {
            Phase::FromHost { .. } => {
                for c in data.chunks(97) {
                    if !matches!(r.data_in(c), DataIn::More) { break; }
                }
            }
            Phase::ToHost { .. } => {
                for _ in 0..64 {
                    if !matches!(r.data_out(1024), DataOut::Chunk(_)) { break; }
                }
            }
            Phase::None => {}
        }
        r.response_delivered();
    }
}
