//! provkit's host session (McuBoot over UartLink and HidLink) against the in-memory
//! simulator.

mod common;

use common::{Kind, pattern, session};
use devsim::inmem::SimOptions;
use provkit::mboot::command::{KEY_TYPE_SBKEK, Response};
use provkit::mboot::{Command, CommandTag, KeyProvOp, NoProgress, PropertyTag, StatusCode};

const BOTH: [Kind; 2] = [Kind::Uart, Kind::Hid];

fn generic_status(r: &Response) -> StatusCode {
    r.status()
}

#[test]
fn get_property_and_max_packet_per_interface() {
    for kind in BOTH {
        let (mut mb, _sim) = session(kind, "lpc55s69", SimOptions::default());
        assert_eq!(
            mb.get_property(PropertyTag::CURRENT_VERSION, 0).unwrap(),
            vec![0x4B03_0000]
        );
        assert_eq!(
            mb.get_property(PropertyTag::AVAILABLE_COMMANDS, 0).unwrap(),
            vec![0x0011_0DCF]
        );
        let mp = mb.get_property(PropertyTag::MAX_PACKET_SIZE, 0).unwrap()[0];
        assert_eq!(mp, if kind == Kind::Uart { 512 } else { 56 }, "{kind:?}");
        let err = mb.get_property(PropertyTag(99), 0).unwrap_err();
        assert!(
            err.to_string().contains("kStatus_UnknownProperty (10300)"),
            "{err}"
        );
        // A command the family lacks answers UnknownCommand, as property 7 says.
        let r = mb
            .command(&Command::FillMemory {
                address: 0x2000_0000,
                byte_count: 4,
                pattern: 1,
            })
            .unwrap();
        assert_eq!(
            r,
            Response::Generic {
                status: StatusCode::UNKNOWN_COMMAND,
                command: CommandTag::FILL_MEMORY
            }
        );
    }
}

#[test]
fn ram_round_trip_256_kib() {
    for kind in BOTH {
        let (mut mb, sim) = session(kind, "mcxn947", SimOptions::default());
        let data = pattern(256 * 1024, 1);
        let addr = 0x2001_0000;
        let w = mb
            .write_data(
                &Command::WriteMemory {
                    address: addr,
                    byte_count: data.len() as u32,
                    memory_id: 0,
                },
                &data,
                &mut NoProgress,
            )
            .unwrap();
        assert_eq!(w.status(), StatusCode::SUCCESS, "{kind:?}");
        assert_eq!(w.sent, data.len());
        let r = mb
            .read_data(
                &Command::ReadMemory {
                    address: addr,
                    byte_count: data.len() as u32,
                    memory_id: 0,
                },
                &mut NoProgress,
            )
            .unwrap();
        assert_eq!(r.status(), StatusCode::SUCCESS);
        assert!(r.data == data, "{kind:?}: read-back differs");
        sim.with_rom(|rom| assert_eq!(rom.peek(addr, 16).unwrap(), data[..16]));
    }
}

#[test]
fn flash_erase_program_read_back() {
    for kind in BOTH {
        let (mut mb, _sim) = session(kind, "lpc55s69", SimOptions::default());
        let img = pattern(20 * 1024 + 100, 2);
        let erase = Command::FlashEraseRegion {
            address: 0x1_0000,
            byte_count: 0x8000,
            memory_id: 0,
        };
        assert_eq!(
            generic_status(&mb.command(&erase).unwrap()),
            StatusCode::SUCCESS
        );
        let write = Command::WriteMemory {
            address: 0x1_0000,
            byte_count: img.len() as u32,
            memory_id: 0,
        };
        assert_eq!(
            mb.write_data(&write, &img, &mut NoProgress)
                .unwrap()
                .status(),
            StatusCode::SUCCESS
        );
        let read = Command::ReadMemory {
            address: 0x1_0000,
            byte_count: img.len() as u32,
            memory_id: 0,
        };
        let r = mb.read_data(&read, &mut NoProgress).unwrap();
        assert_eq!(r.status(), StatusCode::SUCCESS);
        assert!(r.data == img);
        // Programming again without an erase: the device aborts the data phase.
        let again = mb.write_data(&write, &img, &mut NoProgress).unwrap();
        assert_eq!(
            again.status(),
            StatusCode::MEMORY_CUMULATIVE_WRITE,
            "{kind:?}"
        );
        if kind == Kind::Uart {
            // UART: ACK-abort stops the host at once (USB notices only at the end).
            assert!(again.sent < img.len());
        }
        // The session is still usable.
        assert_eq!(
            mb.get_property(PropertyTag::CURRENT_VERSION, 0).unwrap(),
            vec![0x4B03_0000]
        );
        let unaligned = Command::FlashEraseRegion {
            address: 0x1_0001,
            byte_count: 0x200,
            memory_id: 0,
        };
        assert_eq!(
            generic_status(&mb.command(&unaligned).unwrap()),
            StatusCode::FLASH_ALIGNMENT_ERROR
        );
    }
}

#[test]
fn fill_configure_flexspi_and_use_it() {
    for kind in BOTH {
        let (mut mb, sim) = session(kind, "lpc55s36", SimOptions::default());
        let attrs = mb
            .get_property(PropertyTag::EXTERNAL_MEMORY_ATTRIBUTES, 9)
            .unwrap_err();
        assert!(attrs.to_string().contains("10205"), "{attrs}");
        let fill = Command::FillMemory {
            address: 0x2000_8000,
            byte_count: 4,
            pattern: 0xC040_3006,
        };
        assert_eq!(
            generic_status(&mb.command(&fill).unwrap()),
            StatusCode::SUCCESS
        );
        let cfg = Command::ConfigureMemory {
            memory_id: 9,
            address: 0x2000_8000,
        };
        assert_eq!(
            generic_status(&mb.command(&cfg).unwrap()),
            StatusCode::SUCCESS
        );
        assert_eq!(
            mb.get_property(PropertyTag::EXTERNAL_MEMORY_ATTRIBUTES, 9)
                .unwrap(),
            vec![0x1F, 0x0800_0000, 16 * 1024, 256, 4096, 65536]
        );
        let img = pattern(10_000, 3);
        let erase = Command::FlashEraseRegion {
            address: 0x0800_0000,
            byte_count: 0x4000,
            memory_id: 9,
        };
        assert_eq!(
            generic_status(&mb.command(&erase).unwrap()),
            StatusCode::SUCCESS
        );
        let write = Command::WriteMemory {
            address: 0x0800_0000,
            byte_count: img.len() as u32,
            memory_id: 9,
        };
        assert_eq!(
            mb.write_data(&write, &img, &mut NoProgress)
                .unwrap()
                .status(),
            StatusCode::SUCCESS
        );
        let read = Command::ReadMemory {
            address: 0x0800_0000,
            byte_count: img.len() as u32,
            memory_id: 0,
        };
        assert!(mb.read_data(&read, &mut NoProgress).unwrap().data == img);
        // A fill of any length.
        let fill = Command::FillMemory {
            address: 0x2001_0000,
            byte_count: 7,
            pattern: 0x4433_2211,
        };
        assert_eq!(
            generic_status(&mb.command(&fill).unwrap()),
            StatusCode::SUCCESS
        );
        sim.with_rom(|rom| {
            assert_eq!(
                rom.peek(0x2001_0000, 8).unwrap(),
                [0x11, 0x22, 0x33, 0x44, 0x11, 0x22, 0x33, 0]
            );
            assert_eq!(rom.flexspi().unwrap().size, 16 << 20);
        });
    }
}

#[test]
fn fuses_program_once_and_read_back() {
    for kind in BOTH {
        let (mut mb, sim) = session(kind, "rw612", SimOptions::default());
        let prog = |index, v| Command::FlashProgramOnce {
            index,
            byte_count: 4,
            data: vec![v],
        };
        assert_eq!(
            generic_status(&mb.command(&prog(100, 0x0F)).unwrap()),
            StatusCode::SUCCESS
        );
        assert_eq!(
            generic_status(&mb.command(&prog(100 | 1 << 24, 0xF0)).unwrap()),
            StatusCode::SUCCESS
        );
        assert_eq!(
            generic_status(&mb.command(&prog(100, 0x100)).unwrap()),
            StatusCode::OTP_LOCKED
        );
        match mb
            .command(&Command::FlashReadOnce {
                index: 100,
                byte_count: 4,
            })
            .unwrap()
        {
            Response::FlashReadOnce { status, data, .. } => {
                assert_eq!((status, data), (StatusCode::SUCCESS, vec![0xFF]));
            }
            other => panic!("{other:?}"),
        }
        sim.with_rom(|rom| assert_eq!(rom.fuse(100), Some((0xFF, true))));
    }
}

#[test]
fn key_provisioning_flow() {
    for kind in BOTH {
        let (mut mb, sim) = session(kind, "lpc55s69", SimOptions::default());
        let kp = |op| Command::KeyProvisioning(op);
        assert_eq!(
            generic_status(&mb.command(&kp(KeyProvOp::Enroll)).unwrap()),
            StatusCode::SUCCESS
        );
        let wrap_key: Vec<u8> = (0x40..0x60).collect();
        let file: Vec<u8> = wrap_key.iter().rev().copied().collect();
        let set = kp(KeyProvOp::SetUserKey {
            key_type: KEY_TYPE_SBKEK,
            key_size: 32,
        });
        let out = mb.write_data(&set, &file, &mut NoProgress).unwrap();
        assert_eq!(out.status(), StatusCode::SUCCESS, "{kind:?}: {out:?}");
        assert!(matches!(out.first, Response::DataPhase { .. }));
        let nv = kp(KeyProvOp::WriteNonVolatile { memory_id: 0 });
        assert_eq!(
            generic_status(&mb.command(&nv).unwrap()),
            StatusCode::SUCCESS
        );
        let ks = mb
            .read_data(&kp(KeyProvOp::ReadKeyStore), &mut NoProgress)
            .unwrap();
        assert_eq!(ks.status(), StatusCode::SUCCESS);
        assert_eq!(ks.data.len(), 1424);
        assert_eq!(&ks.data[..4], b"PKKS");
        sim.with_rom(|rom| assert_eq!(rom.sbkek().unwrap(), wrap_key));
    }
}

#[test]
fn device_aborts_read_past_end_of_ram_with_partial_data() {
    for kind in BOTH {
        let (mut mb, _sim) = session(kind, "lpc55s69", SimOptions::default());
        let end = 0x2004_0000u32;
        let read = Command::ReadMemory {
            address: end - 1024,
            byte_count: 4096,
            memory_id: 0,
        };
        let r = mb.read_data(&read, &mut NoProgress).unwrap();
        assert_eq!(r.status(), StatusCode::MEMORY_RANGE_INVALID, "{kind:?}");
        assert!(
            !r.data.is_empty() && r.data.len() <= 1024,
            "{kind:?}: {} bytes",
            r.data.len()
        );
        // A read that starts outside the map fails in the first response.
        let bad = Command::ReadMemory {
            address: end,
            byte_count: 16,
            memory_id: 0,
        };
        let r = mb.read_data(&bad, &mut NoProgress).unwrap();
        assert_eq!(r.status(), StatusCode::MEMORY_RANGE_INVALID);
        assert!(r.data.is_empty() && r.last.is_none());
        assert_eq!(
            mb.get_property(PropertyTag::CURRENT_VERSION, 0).unwrap(),
            vec![0x4B03_0000]
        );
    }
}

#[test]
fn reset_clears_ram_and_the_session_continues() {
    for kind in BOTH {
        let (mut mb, sim) = session(kind, "lpc55s69", SimOptions::default());
        let w = Command::WriteMemory {
            address: 0x2000_1000,
            byte_count: 4,
            memory_id: 0,
        };
        assert_eq!(
            mb.write_data(&w, b"ramx", &mut NoProgress)
                .unwrap()
                .status(),
            StatusCode::SUCCESS
        );
        assert_eq!(
            generic_status(&mb.reset(None).unwrap()),
            StatusCode::SUCCESS
        );
        assert_eq!(
            mb.get_property(PropertyTag::CURRENT_VERSION, 0).unwrap(),
            vec![0x4B03_0000]
        );
        sim.with_rom(|rom| {
            assert_eq!(rom.resets(), 1, "{kind:?}");
            assert_eq!(rom.peek(0x2000_1000, 4).unwrap(), [0; 4]);
        });
    }
}

#[test]
fn receive_sb_file_with_an_unknown_header_is_refused() {
    for kind in BOTH {
        let (mut mb, _sim) = session(kind, "lpc55s36", SimOptions::default());
        let capsule = pattern(4096, 9);
        let out = mb
            .write_data(
                &Command::ReceiveSbFile {
                    byte_count: capsule.len() as u32,
                },
                &capsule,
                &mut NoProgress,
            )
            .unwrap();
        assert_eq!(out.status(), StatusCode::ROMLDR_SIGNATURE, "{kind:?}");
        assert!(out.sent < capsule.len() || kind == Kind::Hid);
    }
}
