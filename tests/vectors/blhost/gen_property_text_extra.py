"""Write property_text_extra.txt: extra SPSDK 3.12 renderings checked by provkit's unit tests.

Run from this directory with the SPSDK 3.12.0 venv:  $SPSDK3/bin/python gen_property_text_extra.py
Output is JSON Lines (one object per line, '#' lines are comments):
  {"kind": "render", "tag": T, "values": [...], "text": str(parse_property_value(T, values))}
      "text" is null (and "error" names the exception) where SPSDK raises.
  {"kind": "parse_cli", "input": s, "tag": spsdk.apps.blhost_helper.parse_property_tag(s)}
      "tag" is null where SPSDK returns a number above 0xFFFFFFFF ("spsdk" keeps it).
  {"kind": "size", "value": n, "text": spsdk.mboot.properties.size_fmt(n)}
  {"kind": "status", "code": c, "text": spsdk.mboot.error_codes.stringify_status_code(c)}
Random cases use a fixed seed, so the output is reproducible.
"""

import json
import random

import spsdk
from spsdk.apps.blhost_helper import parse_property_tag
from spsdk.mboot.error_codes import StatusCode, stringify_status_code
from spsdk.mboot.properties import parse_property_value, size_fmt

out = []


def render(tag, values):
    try:
        text, err = str(parse_property_value(tag, list(values))), None
    except Exception as e:  # noqa: BLE001 - the exception type is the fact we record
        text, err = None, type(e).__name__
    obj = {"kind": "render", "tag": tag, "values": list(values), "text": text}
    if err:
        obj["error"] = err
    out.append(obj)


HANDPICKED = [
    (0, [1]), (1, []), (1, [0x40010203]), (1, [0x5B010203]), (1, [0x41FFFFFF]), (24, [0]),
    (2, [0]), (2, [0xFFFFFFFF]), (2, [0x100]),
    (3, [0xFFFFFFFF, 5]), (4, [1023]), (4, [1024]), (4, [1536]), (4, [1048575]),
    (4, [16 << 20]), (4, [1 << 30]), (4, [0xFFFFFFFF]), (4, [1280]), (4, [1792]),
    (6, [0xFFFFFFFF]), (7, [0]), (7, [0xFFFFFFFF]), (7, [0x00110DCF]), (7, [0x80000000]),
    (7, [0x01000000]), (7, [0x7E000000]),
    (8, [99]), (8, [10400]), (8, [0]), (9, [0]), (9, [10300]), (9, [0xFFFFFFFF]),
    (23, [405]), (23, [7000]), (26, [10404]), (26, [1]),
    (22, [1]), (22, [2]), (22, [5]), (29, [1]), (29, [7]),
    (10, [0]), (10, [2]), (13, [1]), (19, [0]), (17, [2]), (17, [0x5AA55AA5]), (34, [0]),
    (34, [1]), (34, [2]),
    (12, []), (12, [1, 2, 3]), (12, [0x100, 0x50]), (12, [0x100, 0x100]), (12, [0, 0xFFFFFFFF]),
    (12, [5, 0, 0x1000, 0x1FFF, 7, 0, 0x20000000, 0x2000FFFF]), (12, [0xFFFFFFFF, 0]),
    (18, []), (18, [1]), (18, [0x4123100C, 0x503A567B, 0xC76086BC, 0x67229EBD, 0xFF]),
    (21, [0x80000000]), (32, [0x80000000]), (33, [0x7FFFFFFF]), (30, [0]),
    (25, [0]), (25, [2, 0]), (25, [0x1A, 0, 0x400, 0, 0x1000]), (25, [0xFF, 1, 2, 3, 4, 5, 6]),
    (25, [0x02, 0, 0xFFFFFFFF]), (25, [0x01, 0x60000000]), (25, [0x14, 0, 0, 512, 0, 0x10000]),
    (25, [0x1F, 0x08000000, 0x4000, 0x100, 0x1000]), (25, [0xE0]),
    (28, [0x0000FF12]), (28, [0x80000000]), (28, [0xFFFFFFFF]),
    (31, []), (31, [0xFFFF0001, 0x80000001]), (31, [0xFFFFFFFF]), (31, [0, 0, 0, 1 << 31]),
    (36, [0x0302]), (36, [0]), (36, [0x0101]), (36, [0xFFFFFFFF]),
    (37, [0xC0000400]), (37, [0x3FFFFFFF]), (37, [0x7FFF]), (37, [0]), (37, [0x40000008]),
    (37, [0x80001FFF]), (37, [0x12345678]),
    (35, [5]), (38, [1, 2]), (99, []), (99, [0x11, 0x22]), (0xFF, [1]), (0x100, [0]),
    (0xFFFFFFFF, [0xFFFFFFFF]),
]
for tag, values in HANDPICKED:
    render(tag, values)

rng = random.Random(20261128)
INTERESTING = [0, 1, 2, 3, 0x1F, 0xFF, 1023, 1024, 1536, 0x8000, 0xFFFF, 0x10000, 0x100000,
               0x7FFFFFFF, 0x80000000, 0xC33CC33C, 0x5AA55AA5, 0xFFFFFFFF, 10300, 10403, 405]


def word():
    r = rng.random()
    if r < 0.4:
        return rng.choice(INTERESTING)
    if r < 0.7:
        return rng.randrange(0, 1 << rng.choice([4, 8, 12, 16, 24]))
    return rng.getrandbits(32)


for tag in list(range(0, 40)) + [0xFF]:
    for _ in range(12):
        render(tag, [word() for _ in range(rng.choice([1, 1, 1, 2, 4, 6]))])

CLI = [
    "1", "0x1F", "0X1f", "0b101", "0o17", "1_0", "_1", "1__0", "1_", "0x_1", "  7 ", "7u",
    "0x10ULL", "ff", "0b12", "0b", "0x", "0o", "", " ", "current-version", "CurrentVersion",
    "Current-Version", "verify-erase", "VerifyErase", "life-cycle", "LifeCycleState", "unknown",
    "Unknown", "list-properties", "ListProperties", "reserved", "reserved_1", "LastError",
    "qspi/otfad-init-status", "she-boot-mode", "SheBootMode", "flash-size-in-bytes", "FlashSize",
    "flash-size", "99", "255", "0", "4294967295", "4294967296", "0x100000000", "010", "0010",
    "1e", "0d5", "+5", "-1", "7lul", "7uuuu", "\t9\n", "0x0x1", "0_x1", "0b0b1", "0b0b_1", "0b0b",
    "0b0b1_0", "0b_0b1", "0B0B11", "0b0b1u", "0x0b1", "0o0o7", "0b0b0b1", "0b1lu", "0xfu_",
    "0b_1", "0o_7", "0x_f", "0x1_f", "0o8", "0b2", "1u1", "\x1c7\x1f", "\u00a07", "\u20287\u3000",
    "\u180e7", "\u200b7", "\x857", "7\x00", "\uff17", "0" * 4300 + "1", "0" * 4299 + "1",
    "0_" * 4300 + "1", "0_" * 4299 + "1", "0" * 4300 + "1u", "0x" + "0" * 5000 + "1",
    " current-version", "current-version ",
]
alphabet = "0123456789abcdefxobBOXuUlL_ -"
CLI += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(400)]
for s in CLI:
    v = parse_property_tag(s)
    obj = {"kind": "parse_cli", "input": s, "tag": v if v <= 0xFFFFFFFF else None}
    if v > 0xFFFFFFFF:
        obj["spsdk"] = str(v)
    out.append(obj)

for n in [0, 1, 1023, 1024, 1025, 1075, 1076, 1536, 10239, 10240, 1048575, 1048576, 16 << 20,
          (1 << 30) - 1, 1 << 30, 0xFFFFFFFF, 1 << 40, 1 << 50, (1 << 60) - 1, 1 << 60, 1 << 63,
          (1 << 64) - 1] + [rng.getrandbits(rng.choice([11, 16, 24, 32, 42, 64])) for _ in range(60)]:
    out.append({"kind": "size", "value": n, "text": size_fmt(n)})

for c in [0, 1, 5, 405, 10300, 10403, 80006, 0x5A5AA5A5, 7, 99, 10007, 99999, 0x80000000,
          0xFFFFFFFF]:
    out.append({"kind": "status", "code": c, "text": stringify_status_code(c)})

with open("property_text_extra.txt", "w", newline="\n") as f:
    f.write(f"# generated by gen_property_text_extra.py with SPSDK {spsdk.__version__}\n")
    for obj in out:
        f.write(json.dumps(obj, ensure_ascii=True) + "\n")
print(len(out), "vectors")
