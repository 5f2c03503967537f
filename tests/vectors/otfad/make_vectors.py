"""OTFAD key blob and image encryption vectors from SPSDK 3.12's API (spsdk.image.otfad.KeyBlob).

Run with SPSDK 3.12's Python from this folder: `$SPSDK3/bin/python make_vectors.py`.
Writes the *.bin files and vectors.json (the parameters of each case, hex).
"""

import json

from spsdk.image.otfad.otfad import KeyBlob
from spsdk.utils.misc import align_block

APP = open("../mbi/app/app.bin", "rb").read()  # 1002 bytes

BLOBS = [
    # name, start, end, key, counter, kek, zero_fill
    ("kb0", 0x08001000, 0x080FFFFF, "00112233445566778899aabbccddeeff", "0011223344556677",
     "000102030405060708090a0b0c0d0e0f", "00000000"),
    ("kb1", 0x08100000, 0x081003FF, "f0e1d2c3b4a5968778695a4b3c2d1e0f", "a1b2c3d4e5f60718",
     "ffeeddccbbaa99887766554433221100", "5a3c9e01"),
    ("kb2", 0x00000000, 0xFFFFFFFF, "2b7e151628aed2a6abf7158809cf4f3c", "f0f1f2f3f4f5f6f7",
     "2b7e151628aed2a6abf7158809cf4f3c", "deadbeef"),
]

# name, blob, load address, counter address (None: SPSDK's default, the blob's start), byte swap
IMAGES = [
    ("img_start", "kb0", 0x08001000, None, False),
    ("img_start_swap", "kb0", 0x08001000, None, True),
    ("img_offset", "kb0", 0x08003400, 0x08003400, False),
    ("img_offset_sb21", "kb0", 0x08003400, None, False),
    ("img_offset_swap", "kb1", 0x08100200, 0x08100200, True),
]

cases = {"blobs": [], "images": []}
blobs = {}
for name, start, end, key, ctr, kek, fill in BLOBS:
    kb = KeyBlob(start, end, bytes.fromhex(key), bytes.fromhex(ctr), zero_fill=bytes.fromhex(fill))
    blobs[name] = kb
    open(f"{name}.bin", "wb").write(kb.export(kek=kek))
    cases["blobs"].append(
        {"file": f"{name}.bin", "start": start, "end": end, "key": key, "counter": ctr,
         "kek": kek, "zero_fill": fill}
    )
for name, blob, address, counter, swap in IMAGES:
    data = align_block(APP, 512)
    enc = blobs[blob].encrypt_image(base_address=address, data=data, byte_swap=swap,
                                    counter_value=counter)
    open(f"{name}.bin", "wb").write(enc)
    cases["images"].append(
        {"file": f"{name}.bin", "blob": blob, "address": address,
         "counter_address": counter if counter is not None else blobs[blob].start_addr,
         "byte_swap": swap, "plain": "../mbi/app/app.bin (zero-padded to 512)"}
    )
json.dump(cases, open("vectors.json", "w"), indent=1)
