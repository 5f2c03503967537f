//! SPSDK 3.12 blhost's stdout, byte for byte: the status block, `--json` documents
//! (Python's `json.dumps(obj, indent=3)`), and the hex / hexdump rendering of read data.

use provkit::mboot::StatusCode;
use serde_json::{Map, Value};
use std::fmt::Write as _;
use std::io::{self, Write};

/// One element of SPSDK's response list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// An integer (printed `N (0xN)`).
    Int(u64),
    /// A Python bool (efuse-program-once prints `True (0x1)`).
    Bool(bool),
    /// Python `None`: skipped in text, `null` in JSON.
    Null,
}

impl From<u32> for Word {
    fn from(v: u32) -> Self {
        Word::Int(u64::from(v))
    }
}

impl From<Option<u32>> for Word {
    fn from(v: Option<u32>) -> Self {
        v.map_or(Word::Null, Word::from)
    }
}

/// What one SPSDK `display_output` call prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// JSON `command` (SPSDK: the Python function name with `-`).
    pub command: &'static str,
    /// The response list; `None` is Python's `None` (JSON `[]`, no words).
    pub response: Option<Vec<Word>>,
    /// Device status.
    pub status: StatusCode,
    /// Text printed after the words (text mode only).
    pub extra: Option<String>,
}

impl Report {
    /// A report with a status and nothing else (`display_output([], status)`).
    pub fn status(command: &'static str, status: StatusCode) -> Self {
        Report {
            command,
            response: Some(Vec::new()),
            status,
            extra: None,
        }
    }

    /// The stdout text of this report.
    pub fn render(&self, json: bool) -> String {
        if json {
            let response: Vec<Value> = self
                .response
                .iter()
                .flatten()
                .map(|w| match *w {
                    Word::Int(v) => Value::from(v),
                    Word::Bool(b) => Value::from(b),
                    Word::Null => Value::Null,
                })
                .collect();
            let mut status = Map::new();
            status.insert("description".into(), Value::from(self.status.spsdk_text()));
            status.insert("value".into(), Value::from(self.status.0));
            let mut doc = Map::new();
            doc.insert("command".into(), Value::from(self.command));
            doc.insert("response".into(), Value::Array(response));
            doc.insert("status".into(), Value::Object(status));
            let mut s = py_json(&Value::Object(doc), 3);
            s.push('\n');
            return s;
        }
        let mut s = format!("Response status = {}\n", self.status.spsdk_text());
        let words = self.response.iter().flatten().filter(|w| **w != Word::Null);
        for (i, w) in words.enumerate() {
            let _ = match *w {
                Word::Int(v) => writeln!(s, "Response word {} = {v} ({v:#x})", i + 1),
                Word::Bool(b) => {
                    let (t, n) = if b { ("True", 1) } else { ("False", 0) };
                    writeln!(s, "Response word {} = {t} ({n:#x})", i + 1)
                }
                Word::Null => Ok(()),
            };
        }
        if let Some(extra) = self.extra.as_deref().filter(|e| !e.is_empty()) {
            s.push_str(extra);
            s.push('\n');
        }
        s
    }

    /// Prints the report (nothing when silent).
    pub fn write(&self, out: &mut dyn Write, json: bool, silent: bool) -> io::Result<()> {
        if silent {
            return Ok(());
        }
        out.write_all(self.render(json).as_bytes())
    }
}

/// Python's `json.dumps(value, indent=indent)` (default separators, `ensure_ascii=True`).
/// Integers, bools, null, strings, arrays and objects (in their order) are supported;
/// empty containers print as `[]` / `{}`.
pub fn py_json(value: &Value, indent: usize) -> String {
    let mut s = String::new();
    py_json_into(&mut s, value, indent, 0);
    s
}

fn py_json_into(s: &mut String, value: &Value, indent: usize, level: usize) {
    let pad = |s: &mut String, level: usize| {
        s.push('\n');
        s.extend(std::iter::repeat_n(' ', indent * level));
    };
    match value {
        Value::Null => s.push_str("null"),
        Value::Bool(b) => s.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => s.push_str(&n.to_string()),
        Value::String(t) => py_json_str(s, t),
        Value::Array(items) if items.is_empty() => s.push_str("[]"),
        Value::Array(items) => {
            s.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                pad(s, level + 1);
                py_json_into(s, item, indent, level + 1);
            }
            pad(s, level);
            s.push(']');
        }
        Value::Object(map) if map.is_empty() => s.push_str("{}"),
        Value::Object(map) => {
            s.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                pad(s, level + 1);
                py_json_str(s, k);
                s.push_str(": ");
                py_json_into(s, v, indent, level + 1);
            }
            pad(s, level);
            s.push('}');
        }
    }
}

/// A string as Python's `json` writes it with `ensure_ascii=True`.
fn py_json_str(s: &mut String, t: &str) {
    s.push('"');
    for c in t.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            '\u{08}' => s.push_str("\\b"),
            '\u{0c}' => s.push_str("\\f"),
            ' '..='~' => s.push(c),
            _ => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(s, "\\u{unit:04x}");
                }
            }
        }
    }
    s.push('"');
}

/// SPSDK's `format_raw_data`: plain lowercase hex, 16 space-separated bytes per line,
/// or with `hexdump` the `hexdump` module's layout (offset, two groups of 8, ASCII).
/// No trailing newline.
pub fn format_raw_data(data: &[u8], hexdump: bool) -> String {
    if hexdump {
        return format_hexdump(data);
    }
    let lines: Vec<String> = data
        .chunks(16)
        .map(|line| {
            line.iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    lines.join("\n")
}

/// The Python `hexdump` module's `hexdump(data, result='return')`.
fn format_hexdump(data: &[u8]) -> String {
    let mut lines = Vec::new();
    for (i, chunk) in data.chunks(16).enumerate() {
        let mut line = format!("{:08X}: ", i * 16);
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02X}")).collect();
        let first = hex.iter().take(8).cloned().collect::<Vec<_>>().join(" ");
        line.push_str(&first);
        if chunk.len() > 8 {
            line.push_str("  ");
            line.push_str(&hex[8..].join(" "));
        }
        let mut pad = 2 + 3 * (16 - chunk.len());
        if chunk.len() <= 8 {
            pad += 1;
        }
        line.extend(std::iter::repeat_n(' ', pad));
        line.extend(chunk.iter().map(|&b| {
            if (0x20..=0x7E).contains(&b) {
                b as char
            } else {
                '.'
            }
        }));
        lines.push(line);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SPSDK 3.12.0 captures (stdout + stderr + `rc=N`), from the reference vectors.
    fn vector(name: &str) -> &'static str {
        match name {
            "get_property_1" => {
                include_str!("../../tests/vectors/blhost/uart_traces/get_property_1.stdout")
            }
            "get_property_1_json" => {
                include_str!("../../tests/vectors/blhost/uart_traces/get_property_1_json.stdout")
            }
            "get_property_unknown_99_json" => include_str!(
                "../../tests/vectors/blhost/uart_traces/get_property_unknown_99_json.stdout"
            ),
            "get_property_unknown_99" => {
                include_str!(
                    "../../tests/vectors/blhost/uart_traces/get_property_unknown_99.stdout"
                )
            }
            "flash_read_once_json" => {
                include_str!("../../tests/vectors/blhost/uart_traces/flash_read_once_json.stdout")
            }
            "write_memory_hex_json" => {
                include_str!("../../tests/vectors/blhost/uart_traces/write_memory_hex_json.stdout")
            }
            "read_memory_json" => {
                include_str!("../../tests/vectors/blhost/uart_traces/read_memory_json.stdout")
            }
            "read_memory_36B" => {
                include_str!("../../tests/vectors/blhost/uart_traces/read_memory_36B.stdout")
            }
            "read_memory_36B_hexdump" => {
                include_str!(
                    "../../tests/vectors/blhost/uart_traces/read_memory_36B_hexdump.stdout"
                )
            }
            "efuse_read_once" => {
                include_str!("../../tests/vectors/blhost/uart_traces/efuse_read_once.stdout")
            }
            "unknown_cmd_call" => {
                include_str!("../../tests/vectors/blhost/uart_traces/unknown_cmd_call.stdout")
            }
            "abort_read" => {
                include_str!("../../tests/vectors/blhost/uart_fault_traces/abort_read.stdout")
            }
            _ => panic!("no vector {name}"),
        }
    }

    /// The stdout part of a capture: without the log/error lines SPSDK writes to stderr
    /// and without the `rc=` line.
    pub(crate) fn stdout_of(capture: &str) -> String {
        let mut s = String::new();
        for line in capture.lines() {
            let stderr = [
                "WARNING:",
                "ERROR:",
                "SPSDKAppError:",
                "McuBootConnectionError:",
                "See debug log",
                "rc=",
            ]
            .iter()
            .any(|p| line.starts_with(p));
            if !stderr {
                s.push_str(line);
                s.push('\n');
            }
        }
        s
    }

    const IN36: [u8; 36] = [
        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
        0x0f, 0x10, 0xa0, 0xa1, 0xa2, 0xa3,
    ];

    #[test]
    fn get_property_text_matches_spsdk() {
        let r = Report {
            command: "get-property",
            response: Some(vec![Word::Int(0x4B03_0000)]),
            status: StatusCode::SUCCESS,
            extra: Some("Current Version = K3.0.0".into()),
        };
        assert_eq!(r.render(false), stdout_of(vector("get_property_1")));
        assert_eq!(r.render(true), stdout_of(vector("get_property_1_json")));
    }

    #[test]
    fn failure_json_has_empty_response() {
        let r = Report {
            command: "get-property",
            response: None,
            status: StatusCode(10300),
            extra: None,
        };
        assert_eq!(
            r.render(true),
            stdout_of(vector("get_property_unknown_99_json"))
        );
        assert_eq!(
            r.render(false),
            stdout_of(vector("get_property_unknown_99"))
        );
        let call = Report::status("call", StatusCode(10000));
        assert_eq!(call.render(false), stdout_of(vector("unknown_cmd_call")));
    }

    #[test]
    fn flash_read_once_and_write_memory_json() {
        let r = Report {
            command: "flash-read-once",
            response: Some(vec![Word::Int(4), Word::Int(0xDEAD_BEEF)]),
            status: StatusCode::SUCCESS,
            extra: None,
        };
        assert_eq!(r.render(true), stdout_of(vector("flash_read_once_json")));
        let r = Report {
            command: "efuse-read-once",
            response: Some(vec![Word::Int(4), Word::Int(0xDEAD_BEEF)]),
            status: StatusCode::SUCCESS,
            extra: None,
        };
        assert_eq!(r.render(false), stdout_of(vector("efuse_read_once")));
        let r = Report {
            command: "write-memory",
            response: Some(vec![Word::Int(4)]),
            status: StatusCode::SUCCESS,
            extra: None,
        };
        assert_eq!(r.render(true), stdout_of(vector("write_memory_hex_json")));
    }

    #[test]
    fn read_memory_outputs_match_spsdk() {
        let report = |n: usize, of: usize, status: u32| Report {
            command: "read-memory",
            response: Some(vec![Word::Int(n as u64)]),
            status: StatusCode(status),
            extra: Some(format!("Read {n} of {of} bytes.")),
        };
        let text = format!(
            "{}\n{}",
            format_raw_data(&IN36, false),
            report(36, 36, 0).render(false)
        );
        assert_eq!(text, stdout_of(vector("read_memory_36B")));
        let text = format!(
            "{}\n{}",
            format_raw_data(&IN36, true),
            report(36, 36, 0).render(false)
        );
        assert_eq!(text, stdout_of(vector("read_memory_36B_hexdump")));
        let text = format!(
            "{}\n{}",
            format_raw_data(&IN36[..8], false),
            report(8, 8, 0).render(true)
        );
        assert_eq!(text, stdout_of(vector("read_memory_json")));
        let text = format!(
            "{}\n{}",
            format_raw_data(&[0; 32], false),
            report(32, 80, 10201).render(false)
        );
        assert_eq!(text, stdout_of(vector("abort_read")));
    }

    #[test]
    fn python_json_details() {
        let v: Value =
            serde_json::json!({"a": [], "b": {}, "c": [true, null, "é\"\n\u{1}"], "d": [[1]]});
        assert_eq!(
            py_json(&v, 3),
            "{\n   \"a\": [],\n   \"b\": {},\n   \"c\": [\n      true,\n      null,\n      \"\\u00e9\\\"\\n\\u0001\"\n   ],\n   \"d\": [\n      [\n         1\n      ]\n   ]\n}"
        );
        assert_eq!(
            py_json(&Value::from("\u{1F600}~\u{7f}"), 3),
            "\"\\ud83d\\ude00~\\u007f\""
        );
    }

    #[test]
    fn bool_and_none_words() {
        let r = Report {
            command: "efuse-program-once",
            response: Some(vec![Word::Bool(true), Word::Null, Word::Int(255)]),
            status: StatusCode::SUCCESS,
            extra: None,
        };
        assert_eq!(
            r.render(false),
            "Response status = 0 (0x0) Success.\nResponse word 1 = True (0x1)\nResponse word 2 = 255 (0xff)\n"
        );
        assert!(
            r.render(true)
                .contains("\"response\": [\n      true,\n      null,\n      255\n   ],")
        );
    }

    #[test]
    fn hexdump_line_shapes() {
        let eight = format_raw_data(&[0x41; 8], true);
        assert_eq!(
            eight,
            format!(
                "00000000: {}{}AAAAAAAA",
                "41 ".repeat(7) + "41",
                " ".repeat(27)
            )
        );
        let nine = format_raw_data(&[0x41; 9], true);
        assert_eq!(nine.len(), 10 + 23 + 2 + 2 + 3 * 7 + 2 + 9);
        assert_eq!(format_raw_data(&[], false), "");
    }
}
