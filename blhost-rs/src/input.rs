//! Command-line data arguments: `{{hex}}` data, `FILE[,SIZE]`, key files, batch lines.
//! Every function here is total: bad input is an `Err(message)`, never a panic.

use std::fs;

/// Reads a whole file, naming it in the error.
pub fn read_file(path: &str) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("cannot read '{path}': {e}"))
}

/// SPSDK's hex-data argument: `{{11 22 33}}`, `{{112233}}` or `[[112233]]` (spaces are
/// ignored). `Ok(None)` if `arg` is not hex data at all (then it names a file).
///
/// Unlike SPSDK, an odd number of hex digits is an error (SPSDK turns a trailing single
/// digit into a byte of its own).
pub fn parse_hex_data(arg: &str) -> Result<Option<Vec<u8>>, String> {
    let t: String = arg.chars().filter(|&c| c != ' ').collect();
    let opens = t.starts_with("{{") || t.starts_with("[[");
    let closes = t.ends_with("}}") || t.ends_with("]]");
    if !(opens && closes) || t.len() < 4 {
        return Ok(None);
    }
    let inner = t
        .replace("{{", "")
        .replace("}}", "")
        .replace("[[", "")
        .replace("]]", "");
    if !inner.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("incorrect hex-data '{arg}': not a hex string"));
    }
    if inner.is_empty() {
        return Err(format!("incorrect hex-data '{arg}': no data"));
    }
    if inner.len() % 2 != 0 {
        return Err(format!(
            "incorrect hex-data '{arg}': odd number of hex digits"
        ));
    }
    provkit::codec::from_hex(&inner)
        .map(Some)
        .map_err(|e| format!("incorrect hex-data '{arg}': {e}"))
}

/// SPSDK's `FILE[,SIZE]`: the path and the optional byte count.
pub fn split_file_and_size(arg: &str) -> Result<(&str, Option<usize>), String> {
    match arg.split_once(',') {
        None => Ok((arg, None)),
        Some((path, size)) => {
            let n = crate::cli::num_u64(size).map_err(|e| format!("bad size in '{arg}': {e}"))?;
            let n = usize::try_from(n).map_err(|_| format!("bad size in '{arg}'"))?;
            Ok((path, Some(n)))
        }
    }
}

/// The data of a `FILE[,BYTE_COUNT] | {{HEX-DATA}}` argument (write-memory, fuse-program).
/// A BYTE_COUNT larger than the file takes the whole file, as SPSDK's `f.read(size)`.
pub fn load_data_arg(arg: &str) -> Result<Vec<u8>, String> {
    if let Some(data) = parse_hex_data(arg)? {
        return Ok(data);
    }
    let (path, size) = split_file_and_size(arg)?;
    let mut data = read_file(path)?;
    if let Some(n) = size {
        data.truncate(n);
    }
    Ok(data)
}

/// Hex text as SPSDK's `load_hex_string` reads it (optional `0x`, `_` separators, a
/// number that must fit in `size` bytes, big-endian, zero-padded on the left).
fn hex_text_key(text: &str, size: usize) -> Option<Vec<u8>> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_prefix("0x").unwrap_or(&t);
    let digits: String = t.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > size * 2 {
        return None;
    }
    let padded = format!("{significant:0>width$}", width = size * 2);
    provkit::codec::from_hex(&padded).ok()
}

/// The key of `key-provisioning set_user_key [-s BITS] TYPE FILE[,SIZE]`.
///
/// The expected size is BITS/8 with `-s`, else SIZE, else the file size. A file holding
/// hex text of that size is decoded; otherwise the file is binary (its first SIZE bytes
/// when SIZE is given: SPSDK documents that but then rejects any file longer than SIZE).
/// With `-s`, FILE may also be the key itself as hex.
pub fn load_user_key(arg: &str, key_size_bits: Option<u32>) -> Result<Vec<u8>, String> {
    let (path, size) = split_file_and_size(arg)?;
    let file = fs::read(path);
    let expected = match (key_size_bits, size, &file) {
        (Some(bits), _, _) => (bits / 8) as usize,
        (None, Some(n), _) if n > 0 => n,
        (None, _, Ok(bytes)) => bytes.len(),
        (None, _, Err(e)) => return Err(format!("cannot read '{path}': {e}")),
    };
    if expected == 0 {
        return Err(format!(
            "the key size must be positive (got {expected} bytes)"
        ));
    }
    match file {
        Ok(bytes) => {
            if let Some(key) = std::str::from_utf8(&bytes)
                .ok()
                .and_then(|t| hex_text_key(t, expected))
            {
                return Ok(key);
            }
            let mut key = bytes;
            if key_size_bits.is_none() && size.is_some() {
                key.truncate(expected);
            }
            if key.len() != expected {
                return Err(format!(
                    "invalid key size in '{path}': expected {expected} bytes, got {}",
                    key.len()
                ));
            }
            Ok(key)
        }
        Err(e) if key_size_bits.is_some() => hex_text_key(arg, expected).ok_or_else(|| {
            format!("'{arg}' is neither a readable file ({e}) nor a {expected}-byte hex key")
        }),
        Err(e) => Err(format!("cannot read '{path}': {e}")),
    }
}

/// Splits a batch line like Python's `shlex.split(line, comments=True)` (POSIX mode):
/// whitespace separates words, `'...'` and `"..."` quote, a backslash escapes (inside
/// double quotes only `\` and `"`), and `#` outside quotes starts a comment, even
/// inside a word.
pub fn split_line(line: &str) -> Result<Vec<String>, String> {
    #[derive(PartialEq)]
    enum St {
        Space,
        Word,
        Single,
        Double,
    }
    let mut words = Vec::new();
    let mut word = String::new();
    let mut st = St::Space;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match st {
            St::Space | St::Word => match c {
                c if c.is_whitespace() => {
                    if st == St::Word {
                        words.push(std::mem::take(&mut word));
                        st = St::Space;
                    }
                }
                '#' => break,
                '\'' => st = St::Single,
                '"' => st = St::Double,
                '\\' => {
                    let next = chars.next().ok_or("No escaped character")?;
                    word.push(next);
                    st = St::Word;
                }
                c => {
                    word.push(c);
                    st = St::Word;
                }
            },
            St::Single => match c {
                '\'' => st = St::Word,
                c => word.push(c),
            },
            St::Double => match c {
                '"' => st = St::Word,
                '\\' => {
                    let next = chars.next().ok_or("No escaped character")?;
                    if next != '"' && next != '\\' {
                        word.push('\\');
                    }
                    word.push(next);
                }
                c => word.push(c),
            },
        }
    }
    match st {
        St::Single | St::Double => Err("No closing quotation".into()),
        St::Word => {
            words.push(word);
            Ok(words)
        }
        St::Space => Ok(words),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn hex_data_forms() {
        assert_eq!(parse_hex_data("{{01020304}}"), Ok(Some(vec![1, 2, 3, 4])));
        assert_eq!(
            parse_hex_data("{{11 22 33}}"),
            Ok(Some(vec![0x11, 0x22, 0x33]))
        );
        assert_eq!(parse_hex_data("[[aBcD]]"), Ok(Some(vec![0xAB, 0xCD])));
        assert_eq!(parse_hex_data("file.bin"), Ok(None));
        assert_eq!(parse_hex_data("{{"), Ok(None));
        assert!(parse_hex_data("{{123}}").is_err());
        assert!(parse_hex_data("{{zz}}").is_err());
        assert!(parse_hex_data("{{}}").is_err());
        assert!(parse_hex_data("{{ é }}").is_err());
    }

    #[test]
    fn file_and_size() {
        assert_eq!(split_file_and_size("a.bin"), Ok(("a.bin", None)));
        assert_eq!(split_file_and_size("a.bin,0x10"), Ok(("a.bin", Some(16))));
        assert!(split_file_and_size("a.bin,x").is_err());
        assert!(split_file_and_size("a.bin,1,2").is_err());
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.bin");
        fs::write(&p, [1, 2, 3, 4, 5]).unwrap();
        let arg = format!("{},3", p.display());
        assert_eq!(load_data_arg(&arg), Ok(vec![1, 2, 3]));
        let arg = format!("{},99", p.display());
        assert_eq!(load_data_arg(&arg), Ok(vec![1, 2, 3, 4, 5]));
        assert!(load_data_arg("/nonexistent/x.bin").is_err());
    }

    #[test]
    fn user_keys() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("k.bin");
        let key: Vec<u8> = (0u8..32)
            .map(|i| i.wrapping_mul(37).wrapping_add(0x80))
            .collect();
        fs::write(&bin, &key).unwrap();
        let b = bin.display().to_string();
        assert_eq!(load_user_key(&b, None), Ok(key.clone()));
        assert_eq!(load_user_key(&b, Some(256)), Ok(key.clone()));
        assert_eq!(
            load_user_key(&format!("{b},16"), None),
            Ok(key[..16].to_vec())
        );
        assert!(load_user_key(&b, Some(128)).is_err());
        let txt = dir.path().join("k.txt");
        let mut f = fs::File::create(&txt).unwrap();
        writeln!(f, "000102030405060708090a0b0c0d0e0f").unwrap();
        let t = txt.display().to_string();
        assert_eq!(load_user_key(&t, Some(128)), Ok((0u8..16).collect()));
        assert_eq!(
            load_user_key("0x000102030405060708090a0b0c0d0e0f", Some(128)),
            Ok((0u8..16).collect())
        );
        assert!(load_user_key("nothex", Some(128)).is_err());
        assert!(load_user_key("/nonexistent", None).is_err());
        assert!(load_user_key(&b, Some(0)).is_err());
    }

    #[test]
    fn shell_split_like_python() {
        assert_eq!(
            split_line("get-property 1      # current version").unwrap(),
            ["get-property", "1"]
        );
        assert_eq!(
            split_line("# only a comment").unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(split_line("   ").unwrap(), Vec::<String>::new());
        assert_eq!(split_line("a#b c").unwrap(), ["a"]);
        assert_eq!(split_line("x 'a#b'").unwrap(), ["x", "a#b"]);
        assert_eq!(
            split_line("write-memory 0 '{{11 22}}'").unwrap(),
            ["write-memory", "0", "{{11 22}}"]
        );
        assert_eq!(
            split_line(r#"a "b\"c\d" e\ f ''"#).unwrap(),
            ["a", "b\"c\\d", "e f", ""]
        );
        assert!(split_line("a 'b").is_err());
        assert!(split_line("a \\").is_err());
    }
}
