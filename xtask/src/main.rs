//! Build helper. `cargo xtask build-decryptor [--check]`
//!
//! Builds the browser decryptor reproducibly: `envelope-wasm` for
//! `wasm32-unknown-unknown` with the pinned toolchain and the `decryptor`
//! profile (opt-level "z", LTO, one codegen unit, `panic = "abort"`,
//! no debug info), every build path remapped, then `wasm-bindgen --target
//! no-modules` (pinned version) for the JavaScript glue. The two files go to
//! `sealer-cli/decryptor/`, which the sealer embeds byte for byte, and their
//! SHA-256 to `sealer-cli/decryptor/SHA256SUMS`.
//!
//! `--check` builds into a scratch folder and fails unless the result is
//! identical to the committed files: the reproducibility test CI runs.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use sha2::{Digest, Sha256};

/// The wasm-bindgen CLI must match the `wasm-bindgen` crate exactly.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
const WASM_FILE: &str = "envelope_wasm_bg.wasm";
const JS_FILE: &str = "envelope_wasm.js";

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|err| format!("cannot run {command:?}: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed with {status}"))
    }
}

fn check_wasm_bindgen() -> Result<(), String> {
    let output = Command::new("wasm-bindgen")
        .arg("--version")
        .output()
        .map_err(|_| {
            format!(
                "wasm-bindgen is not installed: cargo install wasm-bindgen-cli --version {WASM_BINDGEN_VERSION}"
            )
        })?;
    let version = String::from_utf8_lossy(&output.stdout);
    if !version.contains(WASM_BINDGEN_VERSION) {
        return Err(format!(
            "wasm-bindgen {WASM_BINDGEN_VERSION} is needed, found {}: cargo install wasm-bindgen-cli --version {WASM_BINDGEN_VERSION}",
            version.trim()
        ));
    }
    Ok(())
}

/// Builds the decryptor into `out_dir`, returning the two file paths.
fn build(root: &Path, out_dir: &Path) -> Result<[PathBuf; 2], String> {
    check_wasm_bindgen()?;
    let target_dir = root.join("target").join("decryptor");
    let home = |var: &str, fallback: &str| {
        std::env::var(var).unwrap_or_else(|_| {
            let user_home = std::env::var("HOME").unwrap_or_default();
            format!("{user_home}/{fallback}")
        })
    };
    let remaps = [
        (root.display().to_string(), "/sealer"),
        (home("CARGO_HOME", ".cargo"), "/cargo"),
        (home("RUSTUP_HOME", ".rustup"), "/rustup"),
    ];
    let rustflags: Vec<String> = remaps
        .iter()
        .map(|(from, to)| format!("--remap-path-prefix={from}={to}"))
        .collect();
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .env("CARGO_ENCODED_RUSTFLAGS", rustflags.join("\u{1f}"))
            .env_remove("RUSTFLAGS")
            .env("CARGO_TARGET_DIR", &target_dir)
            .env("SOURCE_DATE_EPOCH", "0")
            .args([
                "build",
                "--locked",
                "--package",
                "envelope-wasm",
                "--lib",
                "--target",
                "wasm32-unknown-unknown",
                "--profile",
                "decryptor",
            ]),
    )?;
    let wasm = target_dir
        .join("wasm32-unknown-unknown")
        .join("decryptor")
        .join("envelope_wasm.wasm");
    std::fs::create_dir_all(out_dir).map_err(|e| e.to_string())?;
    run(Command::new("wasm-bindgen")
        .arg("--target")
        .arg("no-modules")
        .arg("--no-typescript")
        .arg("--out-dir")
        .arg(out_dir)
        .arg(&wasm))?;
    let wasm_out = out_dir.join(WASM_FILE);
    let bytes = std::fs::read(&wasm_out).map_err(|e| e.to_string())?;
    std::fs::write(&wasm_out, strip_custom_sections(&bytes)?).map_err(|e| e.to_string())?;
    Ok([wasm_out, out_dir.join(JS_FILE)])
}

/// Removes the `name` and `producers` custom sections: function names are a
/// third of the module and nothing needs them at run time, and `producers`
/// names tool versions that the reproducibility check already pins.
fn strip_custom_sections(wasm: &[u8]) -> Result<Vec<u8>, String> {
    fn leb128(bytes: &[u8], at: &mut usize) -> Result<usize, String> {
        let (mut value, mut shift) = (0usize, 0);
        loop {
            let byte = *bytes.get(*at).ok_or("truncated wasm")?;
            *at += 1;
            value |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
            if shift > 28 {
                return Err("bad LEB128 in wasm".into());
            }
        }
    }
    if wasm.get(..8) != Some(b"\0asm\x01\0\0\0".as_slice()) {
        return Err("not a wasm module".into());
    }
    let mut out = wasm[..8].to_vec();
    let mut at = 8;
    while at < wasm.len() {
        let start = at;
        let id = wasm[at];
        at += 1;
        let size = leb128(wasm, &mut at)?;
        let body = at;
        let end = body
            .checked_add(size)
            .filter(|&e| e <= wasm.len())
            .ok_or("truncated wasm")?;
        let drop = id == 0 && {
            let mut name_at = body;
            let len = leb128(wasm, &mut name_at)?;
            let name = wasm.get(name_at..name_at + len).ok_or("truncated wasm")?;
            name == b"name" || name == b"producers"
        };
        if !drop {
            out.extend_from_slice(&wasm[start..end]);
        }
        at = end;
    }
    Ok(out)
}

fn sha256_hex(path: &Path) -> Result<(String, usize), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let digest = Sha256::digest(&bytes);
    Ok((
        digest.iter().map(|b| format!("{b:02x}")).collect(),
        bytes.len(),
    ))
}

fn sums(files: &[PathBuf]) -> Result<String, String> {
    let mut out = String::new();
    for file in files {
        let (hex, _) = sha256_hex(file)?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push_str(&format!("{hex}  {name}\n"));
    }
    Ok(out)
}

fn build_decryptor(check: bool) -> Result<(), String> {
    let root = workspace_root();
    let committed = root.join("sealer-cli").join("decryptor");
    let out_dir = if check {
        root.join("target").join("decryptor").join("check")
    } else {
        committed.clone()
    };
    let files = build(&root, &out_dir)?;
    let sums = sums(&files)?;
    for file in &files {
        let (hex, len) = sha256_hex(file)?;
        println!("{hex}  {} ({len} bytes)", file.display());
    }
    if check {
        let expected = std::fs::read_to_string(committed.join("SHA256SUMS"))
            .map_err(|e| format!("sealer-cli/decryptor/SHA256SUMS: {e}"))?;
        for name in [WASM_FILE, JS_FILE] {
            let built = std::fs::read(out_dir.join(name)).map_err(|e| e.to_string())?;
            let kept = std::fs::read(committed.join(name)).map_err(|e| e.to_string())?;
            if built != kept {
                return Err(format!(
                    "the rebuilt {name} differs from sealer-cli/decryptor/{name}: the build is not reproducible, or the committed decryptor is stale (run cargo xtask build-decryptor)"
                ));
            }
        }
        if expected != sums {
            return Err("sealer-cli/decryptor/SHA256SUMS is stale".into());
        }
        println!("reproducible: the rebuilt decryptor is byte-identical to the committed one");
    } else {
        std::fs::write(committed.join("SHA256SUMS"), sums).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["build-decryptor"] => build_decryptor(false),
        ["build-decryptor", "--check"] => build_decryptor(true),
        _ => Err("usage: cargo xtask build-decryptor [--check]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}
