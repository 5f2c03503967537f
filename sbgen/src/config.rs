//! SPSDK YAML configurations, read the way `nxpimage` reads them: paths relative to the
//! config file (then to the working directory), numbers as YAML integers or strings
//! (`0x10`, `0b101`, `0o7`, `1_000`, a trailing `u`/`l` as in C), booleans as YAML booleans
//! or the strings SPSDK's loader turns into them. Unknown keys are reported on stderr
//! (SPSDK rejects some of them; we keep going), never silently dropped.

use crate::error::{Failure, Result, usage};
use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};

/// One (sub-)configuration: a YAML mapping plus where relative paths start.
#[derive(Debug, Clone)]
pub struct Config {
    /// The mapping.
    pub map: Mapping,
    /// Base directory for relative paths (the config file's directory).
    pub dir: PathBuf,
    /// Context for messages (`sb31.yaml` or `sb31.yaml: commands[2].load`).
    pub ctx: String,
}

/// Parses an integer as SPSDK's `value_to_int` does (strictly: garbage is an error, where
/// SPSDK sometimes turns it into 0).
pub fn parse_number(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.trim_end_matches(['u', 'l']);
    provkit::codec::parse_int(t)
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        other => format!("{other:?}"),
    }
}

impl Config {
    /// Loads a YAML file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read(path).map_err(|e| Failure::io(path, &e))?;
        let value: Value = serde_yaml::from_slice(&text)
            .map_err(|e| usage(format!("{}: not a YAML file: {e}", path.display())))?;
        let map = match value {
            Value::Mapping(m) => m,
            _ => {
                return Err(usage(format!(
                    "{}: expected a YAML mapping at the top",
                    path.display()
                )));
            }
        };
        // Relative to the working directory when the config is a bare file name.
        let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        Ok(Config {
            map,
            dir,
            ctx: path.display().to_string(),
        })
    }

    /// A nested mapping (a command's parameters).
    pub fn child(&self, value: &Value, ctx: String) -> Result<Config> {
        match value {
            Value::Mapping(m) => Ok(Config {
                map: m.clone(),
                dir: self.dir.clone(),
                ctx,
            }),
            Value::Null => Ok(Config {
                map: Mapping::new(),
                dir: self.dir.clone(),
                ctx,
            }),
            _ => Err(usage(format!("{ctx}: expected a mapping"))),
        }
    }

    /// The raw value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// True when `key` is present (and not null).
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn err(&self, key: &str, why: impl std::fmt::Display) -> Failure {
        usage(format!("{}: {key}: {why}", self.ctx))
    }

    /// An integer.
    pub fn int(&self, key: &str) -> Result<Option<u64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.err(key, format!("{n} is not a non-negative integer"))),
            Some(Value::String(s)) => parse_number(s).map(Some).map_err(|e| self.err(key, e)),
            Some(Value::Bool(b)) => Ok(Some(u64::from(*b))),
            Some(v) => Err(self.err(key, format!("{} is not a number", value_text(v)))),
        }
    }

    /// An integer that must fit 32 bits.
    pub fn u32(&self, key: &str) -> Result<Option<u32>> {
        match self.int(key)? {
            None => Ok(None),
            Some(v) => u32::try_from(v)
                .map(Some)
                .map_err(|_| self.err(key, format!("0x{v:X} does not fit 32 bits"))),
        }
    }

    /// A required 32-bit integer.
    pub fn u32_req(&self, key: &str) -> Result<u32> {
        self.u32(key)?
            .ok_or_else(|| self.err(key, "required key is missing"))
    }

    /// A 32-bit integer with a default.
    pub fn u32_or(&self, key: &str, default: u32) -> Result<u32> {
        Ok(self.u32(key)?.unwrap_or(default))
    }

    /// A string (numbers and booleans are turned into text).
    pub fn str(&self, key: &str) -> Option<String> {
        self.get(key).map(value_text)
    }

    /// A required string.
    pub fn str_req(&self, key: &str) -> Result<String> {
        self.str(key)
            .ok_or_else(|| self.err(key, "required key is missing"))
    }

    /// A boolean (`true/false`, `yes/no`, `1/0`, `on/off`).
    pub fn bool_or(&self, key: &str, default: bool) -> Result<bool> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::Number(n)) => Ok(n.as_u64() != Some(0)),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "on" | "1" | "t" => Ok(true),
                "false" | "no" | "n" | "off" | "0" | "f" => Ok(false),
                _ => Err(self.err(key, format!("'{s}' is not a boolean"))),
            },
            Some(v) => Err(self.err(key, format!("{} is not a boolean", value_text(v)))),
        }
    }

    /// Resolves a path as SPSDK does: absolute as is; else relative to the config file's
    /// directory if it exists there, else relative to the working directory if it exists
    /// there, else (for the error message) relative to the config file.
    pub fn resolve(&self, p: &str) -> PathBuf {
        let p = Path::new(p.trim());
        if p.is_absolute() {
            return p.to_path_buf();
        }
        let local = self.dir.join(p);
        if local.exists() || !p.exists() {
            local
        } else {
            p.to_path_buf()
        }
    }

    /// A path-valued key, resolved.
    pub fn path(&self, key: &str) -> Option<PathBuf> {
        self.str(key).map(|p| self.resolve(&p))
    }

    /// Reads the file named by `key`.
    pub fn read_file(&self, key: &str) -> Result<Option<(PathBuf, Vec<u8>)>> {
        match self.path(key) {
            None => Ok(None),
            Some(p) => {
                let data = std::fs::read(&p).map_err(|e| {
                    Failure::Io(format!("{}: {key}: {}: {e}", self.ctx, p.display()))
                })?;
                Ok(Some((p, data)))
            }
        }
    }

    /// Reports keys that are not in `known` (on stderr, through tracing).
    pub fn warn_unknown(&self, known: &[&str]) {
        for k in self.map.keys() {
            let name = value_text(k);
            if !known.contains(&name.as_str()) {
                tracing::warn!("{}: unknown key '{name}' ignored", self.ctx);
            }
        }
    }
}
