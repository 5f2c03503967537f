"""SB2.1 files made live with SPSDK 3.12's Python API, for tests/sbgen_sb21.rs.

SPSDK's YAML/BD flows cannot make files with more than one HMAC per section, CALL or RESET
commands, or an RSA-4096 certificate chosen per file; its Python API can
(`BootSectionV2(hmac_count=...)`, `CmdCall`, `CmdReset`). This script makes such files and
prints, per file, one JSON line with the raw 16-byte headers of every command as SPSDK
exported them (the decoder under test must find the same).

Usage: python sb21_spsdk_api.py OUT_DIR KEK_HEX
Run with the SPSDK 3.12 venv's python. Keys and certificates are generated here (RSA-2048
and RSA-4096, self-signed, not CA); nothing is read from the project.
"""

import json
import os
import sys
from datetime import datetime, timezone

from spsdk.crypto.certificate import Certificate, generate_name
from spsdk.crypto.keys import PrivateKeyRsa
from spsdk.crypto.signature_provider import PlainFileSP
from spsdk.image.cert_block.cert_block_v1 import CertBlockV1
from spsdk.sbfile.sb2.commands import (
    CmdCall,
    CmdErase,
    CmdFill,
    CmdJump,
    CmdLoad,
    CmdMemEnable,
    CmdNop,
    CmdReset,
    CmdVersionCheck,
    VersionCheckType,
)
from spsdk.sbfile.sb2.images import BootImageV21, SBV2xAdvancedParams
from spsdk.sbfile.sb2.sections import BootSectionV2
from spsdk.utils.family import FamilyRevision


def payload(n: int, seed: int) -> bytes:
    return bytes((i * 7 + seed) & 0xFF for i in range(n))


def cases():
    """(name, RSA bits, flags, [(uid, hmac_count, [commands])])"""
    return [
        (
            "hmac5_call_reset",
            2048,
            0x8,
            [
                (
                    1,
                    5,
                    [
                        CmdErase(address=0, length=0x2800),
                        CmdLoad(address=0x10000000, data=payload(1700, 1)),
                        CmdLoad(address=0x20000000, data=payload(37, 2), mem_id=9),
                        CmdCall(address=0xFFFF0000, argument=0x1234),
                        CmdJump(address=0x12345678),
                        CmdReset(),
                    ],
                ),
                (0, 10, [CmdErase(address=0, length=0x2800), CmdLoad(0x80000000, payload(1696, 3)), CmdReset()]),
            ],
        ),
        (
            "rsa4096_hmac10",
            4096,
            0x8,
            [
                (
                    0,
                    10,
                    [
                        CmdVersionCheck(VersionCheckType.NON_SECURE_VERSION, 7),
                        CmdFill(address=0x20001000, pattern=0x1234),
                        CmdMemEnable(address=0x20002000, size=4, mem_id=9),
                        CmdLoad(address=0x80000000, data=payload(3000, 4)),
                        CmdNop(),
                        CmdCall(address=0x1000),
                        CmdReset(),
                    ],
                ),
            ],
        ),
        (
            "sha_three_sections",
            2048,
            0x8008,
            [
                (0, 1, [CmdLoad(address=0x0, data=payload(100, 5)), CmdReset()]),
                (7, 3, [CmdErase(address=0x1000, length=0x1000, flags=1), CmdJump(0x20, 5, 0x20010000)]),
                (2, 2, [CmdCall(address=0x300, argument=9), CmdLoad(0x400, payload(64, 6))]),
            ],
        ),
    ]


def main(out_dir: str, kek_hex: str) -> None:
    kek = bytes.fromhex(kek_hex)
    for name, bits, flags, spec in cases():
        key = PrivateKeyRsa.generate_key(bits)
        key_path = os.path.join(out_dir, f"{name}_key.pem")
        key.save(key_path)
        subject = generate_name({"COMMON_NAME": f"sb21 {name} root"})
        cert = Certificate.generate_certificate(
            subject, subject, key.get_public_key(), key, serial_number=0x5B21
        )
        cb = CertBlockV1(FamilyRevision("lpc55s69"), build_number=3)
        cb.add_certificate(cert)
        cb.set_root_key_hash(0, cert)
        sections = [BootSectionV2(uid, *cmds, hmac_count=h) for uid, h, cmds in spec]
        adv = SBV2xAdvancedParams(
            dek=bytes(range(32)),
            mac=bytes(range(32, 64)),
            nonce=bytes.fromhex("0102030405060708090a0b0c0d0e0f10"),
            timestamp=datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
            padding=bytes(8),
        )
        image = BootImageV21(
            kek,
            *sections,
            product_version="1.2.3",
            component_version="4.5.6",
            build_number=3,
            advanced_params=adv,
            flags=flags,
        )
        image.cert_block = cb
        image.signature_provider = PlainFileSP(key_path)
        data = image.export()
        path = os.path.join(out_dir, f"{name}.sb")
        with open(path, "wb") as f:
            f.write(data)
        # After export: LOAD headers hold the CRC of their (randomly) padded payload.
        print(
            json.dumps(
                {
                    "file": path,
                    "rkth": cb.rkth.hex(),
                    "sections": [
                        {
                            "uid": s.uid,
                            "hmac_count": s.hmac_count,
                            "commands": [c.export()[:16].hex() for c in s],
                        }
                        for s in sections
                    ],
                }
            )
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
