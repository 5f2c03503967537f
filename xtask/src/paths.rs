//! Where things live: the repository root, the cache directory and the cargo target directory.

use std::env;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The workspace root: the parent of this crate's manifest directory.
pub fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The cache directory: `$PROVKIT_CACHE`, else `~/.cache/provkit`.
pub fn cache_dir() -> Result<PathBuf> {
    if let Some(dir) = env::var_os("PROVKIT_CACHE").filter(|v| !v.is_empty()) {
        return Ok(absolute(PathBuf::from(dir)));
    }
    let Some(home) = env::var_os("HOME").filter(|v| !v.is_empty()) else {
        bail!("cannot locate the cache directory: neither PROVKIT_CACHE nor HOME is set");
    };
    Ok(PathBuf::from(home).join(".cache").join("provkit"))
}

/// The cargo target directory: `$CARGO_TARGET_DIR` (relative to the repository root when
/// relative), else `<repo>/target`.
pub fn target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => repo_root().join(dir),
        None => repo_root().join("target"),
    }
}

/// A release binary built by `cargo build --release`, checked to exist.
pub fn release_binary(name: &str) -> Result<PathBuf> {
    let path = target_dir().join("release").join(name);
    std::fs::metadata(&path).with_context(|| {
        format!(
            "release binary {} not found (is CARGO_TARGET_DIR the same as for the build?)",
            path.display()
        )
    })?;
    Ok(path)
}

fn absolute(path: PathBuf) -> PathBuf {
    if path.is_absolute() {
        return path;
    }
    match env::current_dir() {
        Ok(cwd) => cwd.join(path),
        Err(_) => path,
    }
}
