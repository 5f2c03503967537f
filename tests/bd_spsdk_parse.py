"""Runs SPSDK 3.12's own BD parser over BD files, for tests/sbgen_bd.rs.

Usage: python bd_spsdk_parse.py [--extern PATH]... FILE...
Prints one JSON line per FILE: {"file": F, "ok": <the parser's dictionary>} or
{"file": F, "error": "<exception type>: <message>"}. Any exception counts as a rejection
(SPSDK's lexer raises ValueError for '01' or ''), so the script itself never fails.
"""

import json
import sys

from spsdk.sbfile.sb2.sly_bd_parser import BDParser


def main() -> None:
    args = sys.argv[1:]
    externs = []
    while len(args) >= 2 and args[0] == "--extern":
        externs.append(args[1])
        args = args[2:]
    for path in args:
        # Universal newlines, as SPSDK's load_text reads BD files.
        with open(path, "r", encoding="utf-8") as f:
            text = f.read()
        try:
            parsed = BDParser().parse(text=text, extern=externs)
            out = {"file": path, "ok": parsed}
        except Exception as exc:  # pylint: disable=broad-except
            out = {"file": path, "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(out, default=repr), flush=True)


if __name__ == "__main__":
    main()
